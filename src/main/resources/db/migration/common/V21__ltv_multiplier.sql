-- Outcome truth (issue 24): a channel whose value rests on platform revenue only (no customer data) may have it
-- scaled by its kind's long-term multiplier from the policy (policy.ltvMultiplier, e.g. {"social": 2.5}), as JSON.
ALTER TABLE portfolio ADD COLUMN ltv_multipliers VARCHAR(2000);
