-- Scale-out: which instance runs a cycle, which scheduled slot a run belongs to, and a heartbeat per live
-- instance, so that the runs and run locks of an instance that died can be closed by the survivors.

ALTER TABLE run ADD COLUMN instance_id VARCHAR(200);
-- the cron slot (fire time) a scheduled run belongs to; null for manual runs
ALTER TABLE run ADD COLUMN scheduled_for TIMESTAMP;
CREATE INDEX ix_run_status ON run (status);

CREATE TABLE service_instance (
    id          VARCHAR(200) NOT NULL PRIMARY KEY,
    started_at  TIMESTAMP    NOT NULL,
    seen_at     TIMESTAMP    NOT NULL
);
