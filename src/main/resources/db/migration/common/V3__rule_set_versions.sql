-- Every rule set version that was ever active, with its files, so any past recommendation's policy can be read back.
CREATE TABLE rule_set_version (
    version     CHAR(64)      NOT NULL PRIMARY KEY,
    loaded_at   TIMESTAMP     NOT NULL,
    loaded_by   VARCHAR(200)  NOT NULL,
    files       TEXT          NOT NULL
);
CREATE INDEX ix_rule_set_version_loaded ON rule_set_version (loaded_at);
