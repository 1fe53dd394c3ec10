-- A warehouse pull of the outcomes feed (issue 24 item 2): a portfolio may name a SQL query run against a
-- datasource from configuration (spendshift.warehouse.<name>.*; the credentials are never stored here) every
-- outcomes_interval. outcome_pull keeps each portfolio's last pull: last_attempt is claimed by one conditional
-- UPDATE, so of several replicas polling at once only one pulls.
ALTER TABLE portfolio ADD COLUMN outcomes_type VARCHAR(16);
ALTER TABLE portfolio ADD COLUMN outcomes_datasource VARCHAR(100);
ALTER TABLE portfolio ADD COLUMN outcomes_query TEXT;
ALTER TABLE portfolio ADD COLUMN outcomes_interval VARCHAR(40);

CREATE TABLE outcome_pull (
    portfolio_id   BIGINT        NOT NULL PRIMARY KEY REFERENCES portfolio (id),
    last_attempt   TIMESTAMP,
    last_success   TIMESTAMP,
    last_error     VARCHAR(4000),
    rows_ingested  BIGINT        NOT NULL DEFAULT 0
);
