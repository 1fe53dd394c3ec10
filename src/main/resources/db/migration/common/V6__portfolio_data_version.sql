-- Bumped by every write that changes what a portfolio's facts are computed from (metrics, channels, policy,
-- applied budgets), on whichever instance: cached facts are valid while it stays the same.
ALTER TABLE portfolio ADD COLUMN data_version BIGINT DEFAULT 0 NOT NULL;
