-- Jobs that sweep shared tables run once per period across all instances: the first instance to
-- claim a period's slot runs the job, the others find it taken and skip (see ClusterJobs).
CREATE TABLE scheduled_job (
    name          varchar(64) PRIMARY KEY,
    last_slot     bigint      NOT NULL,
    last_run_at   timestamptz NOT NULL,
    last_instance varchar(80) NOT NULL,
    runs          bigint      NOT NULL DEFAULT 1
);
