-- Issue 14, the strategists' language: a channel's tags (comma-separated slugs such as brand,prospecting) that
-- rules read as ChannelFacts.tags and caps and floors select by, and on a recommendation the resolver's
-- adjustments (every clamp, drop and conflict) and the rules' flags, both JSON arrays.
ALTER TABLE channel ADD COLUMN tags VARCHAR(1000);
ALTER TABLE recommendation ADD COLUMN adjustments TEXT;
ALTER TABLE recommendation ADD COLUMN flags TEXT;
