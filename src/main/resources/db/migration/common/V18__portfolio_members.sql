-- Issue 22 (who may see which portfolio): roles a demo user holds on single portfolios, written by
-- PUT /portfolios/{key}/members/{user} and read at each demo login. One row per portfolio, user and role (the
-- role as granted; the hierarchy is applied when it is read). Bearer tokens carry such roles as groups
-- portfolio:<key>:<role> instead.
CREATE TABLE portfolio_member (
    portfolio_id  BIGINT        NOT NULL REFERENCES portfolio (id),
    member_name   VARCHAR(200)  NOT NULL,
    member_role   VARCHAR(16)   NOT NULL,
    granted_at    TIMESTAMP     NOT NULL,
    granted_by    VARCHAR(200)  NOT NULL,
    CONSTRAINT pk_portfolio_member PRIMARY KEY (portfolio_id, member_name, member_role)
);
-- a login reads a user's memberships across portfolios
CREATE INDEX ix_portfolio_member_name ON portfolio_member (member_name);
