-- Issue 16 (connectors): what each ad-platform connector last did (shown by GET /connectors; never a credential:
-- those come from configuration only), and what an apply through connectors changed on the platforms.
CREATE TABLE connector_status (
    connector     VARCHAR(32)   PRIMARY KEY,
    last_pull     TIMESTAMP,
    last_error    VARCHAR(1000),
    last_error_at TIMESTAMP
);
INSERT INTO connector_status (connector) VALUES ('google-ads');
INSERT INTO connector_status (connector) VALUES ('meta-ads');

-- [{connector, account, campaign, budgetId, before, after}] as JSON: the platform budgets an apply changed
-- (all of them when it succeeded, exactly those that did change when it failed part-way); null: none.
ALTER TABLE recommendation ADD COLUMN changed_targets TEXT;
