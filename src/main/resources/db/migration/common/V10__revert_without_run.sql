-- A revert (POST /recommendations/{id}/revert) is made by a person, not by a run: it has no run.
ALTER TABLE recommendation ALTER COLUMN run_id DROP NOT NULL;
