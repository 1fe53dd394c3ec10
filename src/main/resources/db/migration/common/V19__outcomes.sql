-- Outcome truth (issue 24): the team's own customer value per channel and acquisition day, from its CRM or
-- warehouse (POST /portfolios/{key}/outcomes). Where a channel-day has a row here, its new customers and their
-- long-term value replace what the metric row says (platforms never know them). A re-post of a channel-day
-- replaces it: cohort values mature. ltv is per new customer, cohort_value the cohort's total; both are kept
-- (one is given, the other derived) so neither is recomputed on every read.
CREATE TABLE outcome (
    channel_id     BIGINT        NOT NULL REFERENCES channel (id),
    odate          DATE          NOT NULL,
    new_customers  NUMERIC(25,6) NOT NULL,
    ltv            NUMERIC(19,4),
    cohort_value   NUMERIC(19,4) NOT NULL,
    reported_at    TIMESTAMP     NOT NULL,
    CONSTRAINT pk_outcome PRIMARY KEY (channel_id, odate)
);
