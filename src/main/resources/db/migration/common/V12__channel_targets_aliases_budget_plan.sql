-- Issues 15 and 16: where a channel's budget lives on an ad platform (target: connector, account, campaigns,
-- split; JSON), the campaign names an export's rows map to it by (aliases; JSON array), and a portfolio's
-- budget plan (monthly budget and flights; JSON) that the total daily budget is paced against.
ALTER TABLE channel ADD COLUMN aliases TEXT;
ALTER TABLE channel ADD COLUMN target TEXT;
ALTER TABLE portfolio ADD COLUMN budget_plan TEXT;
