-- A manual edit of a channel's daily budget is recorded in the ledger like an applied plan's change, without a
-- recommendation; change_kind says where each row comes from.
ALTER TABLE budget_change ALTER COLUMN recommendation_id DROP NOT NULL;
ALTER TABLE budget_change ADD COLUMN change_kind VARCHAR(16) DEFAULT 'PLAN' NOT NULL;
