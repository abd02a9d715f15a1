-- Study time the server saw happen: per lesson, the credit that server-side time between the
-- learner's requests backs (a replay's claimed span counts only as far as the time since the
-- learner was last heard from). Completion needs enough of it (phocap.integrity.min-observed-fraction).
-- NULL on rows written before this migration: their credit counts as observed (nothing else is
-- known of it), so a learner half-way through a course on upgrade day is not held back, and adding
-- the column rewrites no row.
ALTER TABLE lesson_progress ADD COLUMN observed_sec double precision;

-- The learner's credited time on their current day (in phocap.integrity.zone), for the
-- more-than-10-hours-a-day sign; kept with the presence row every heartbeat writes anyway.
ALTER TABLE learner_presence ADD COLUMN day date;
ALTER TABLE learner_presence ADD COLUMN day_credited_sec double precision NOT NULL DEFAULT 0;

-- Which devices a learner studied from, per day: written when a learner's device or day changes
-- and on each concurrent-session refusal, never per heartbeat. SHARED_DEVICE and CONCURRENT_DEVICES
-- are read from it.
CREATE TABLE device_use (
    device_id  varchar(100) NOT NULL,
    day        date         NOT NULL,
    learner_id bigint       NOT NULL REFERENCES learner (id),
    first_at   timestamptz  NOT NULL,
    last_at    timestamptz  NOT NULL,
    switches   integer      NOT NULL DEFAULT 0,
    refusals   integer      NOT NULL DEFAULT 0,
    PRIMARY KEY (device_id, day, learner_id)
);
CREATE INDEX device_use_learner ON device_use (learner_id, day);

-- Per campaign and flag kind: ISSUE (certificates as usual) or HOLD_FLAGGED (a learner with an
-- unresolved flag of that kind gets the completion but not yet the certificate). Kinds left out
-- take the defaults (HOLD_FLAGGED for IMPLAUSIBLE_PACE, ISSUE for the rest).
ALTER TABLE campaign ADD COLUMN certificate_policy jsonb NOT NULL DEFAULT '{}';

-- A supporter's review of a flag.
ALTER TABLE integrity_flag ADD COLUMN reviewed_by bigint;
ALTER TABLE integrity_flag ADD COLUMN reviewed_at timestamptz;
ALTER TABLE integrity_flag ADD COLUMN review_note varchar(1000);
CREATE INDEX integrity_flag_learner ON integrity_flag (learner_id, campaign_id);
