-- Issue 15 parts 2 and 3: a recommendation's summary for people (what moves, why, the forecast, pacing, held
-- channels) and the pacing part of its plan (JSON: period, budget, spend to date, daily target, totals).
ALTER TABLE recommendation ADD COLUMN summary TEXT;
ALTER TABLE recommendation ADD COLUMN pacing TEXT;
