-- Campaign operations: a learner's milestones per campaign, report counters kept by triggers,
-- support per locality, announcements.

-- started_at: the first credited study time in one of the campaign's courses; completed_at: every
-- course of the campaign completed. Activation is the learner's own (learner.activated_at).
ALTER TABLE enrolment ADD COLUMN started_at timestamptz;
ALTER TABLE enrolment ADD COLUMN completed_at timestamptz;
UPDATE enrolment e SET started_at = s.first FROM (
    SELECT e2.campaign_id, e2.learner_id, min(lp.last_server_at) AS first
    FROM enrolment e2 JOIN campaign c ON c.id = e2.campaign_id
    JOIN lesson_progress lp ON lp.learner_id = e2.learner_id AND lp.course_id = ANY (c.course_ids) AND lp.credited_sec > 0
    GROUP BY 1, 2) s
WHERE e.campaign_id = s.campaign_id AND e.learner_id = s.learner_id;
UPDATE enrolment e SET completed_at = d.last FROM (
    SELECT cc.campaign_id, cc.learner_id, max(cc.completed_at) AS last, count(*) AS n
    FROM course_completion cc GROUP BY 1, 2) d JOIN campaign c ON c.id = d.campaign_id
WHERE e.campaign_id = d.campaign_id AND e.learner_id = d.learner_id AND d.n >= cardinality(c.course_ids);
UPDATE enrolment SET started_at = completed_at WHERE started_at IS NULL AND completed_at IS NOT NULL;
-- The at-risk lists read these partial indexes, never the progress rows.
CREATE INDEX enrolment_not_started_idx ON enrolment (campaign_id) WHERE started_at IS NULL;
CREATE INDEX enrolment_studying_idx ON enrolment (campaign_id, wave_id) WHERE started_at IS NOT NULL AND completed_at IS NULL;
CREATE INDEX learner_presence_seen_idx ON learner_presence (seen_at);

-- The trigger queries reach learners and enrolments through LATERAL ... OFFSET 0: a nested loop
-- over the changed rows with an index lookup each, never a scan of a big table per statement
-- (the planner may otherwise hash-join a 1,000-row batch against every learner). They run through
-- EXECUTE so each statement is planned for the tables as they are now: a cached plan made while
-- a table was nearly empty (the first batches of an import) would keep scanning it as it grows.

-- Report counters: per campaign, per learner locality, per report dimension and its value, the
-- learners enrolled / activated / started / completed. Reports sum these rows (one per locality
-- and value) instead of counting learners. Triggers keep them exact in the same transaction as
-- every change, with one ordered statement per change (transition tables), so bulk imports stay
-- cheap and concurrent writers take row locks in the same order.
-- No foreign keys and byte-wise ("C") keys: the rows are derived data, and an import batch touches
-- a couple of thousand of them, where key checks and locale-aware sorting cost more than the sums.
CREATE TABLE report_counter (
    campaign_id   bigint      NOT NULL,
    dimension     varchar(16) COLLATE "C" NOT NULL,
    value         varchar(100) COLLATE "C" NOT NULL,
    locality_code varchar(32) COLLATE "C" NOT NULL,
    enrolled      integer     NOT NULL DEFAULT 0,
    activated     integer     NOT NULL DEFAULT 0,
    started       integer     NOT NULL DEFAULT 0,
    completed     integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, dimension, value, locality_code)
);

-- The report keys of one enrolment: every learner counts once in each dimension.
CREATE FUNCTION report_keys(wave_id bigint, nominated_by text, target_group text, gender text, ethnicity text)
RETURNS TABLE (dimension text, value text) LANGUAGE sql IMMUTABLE AS $$
    VALUES ('locality', ''), ('wave', coalesce(wave_id::text, '')), ('nominatedBy', coalesce(nominated_by, '')),
           ('targetGroup', coalesce(target_group, '')), ('gender', coalesce(gender, '')),
           ('ethnicity', coalesce(ethnicity, ''))
$$;

-- One enrolment's contribution: +1 (sign) for the states it now holds, -1 for the ones it no longer does.
CREATE TYPE report_change AS (campaign_id bigint, locality_code text, wave_id bigint, nominated_by text,
    target_group text, gender text, ethnicity text, activated int, started int, completed int, sign int);

-- Adds up contributions (an array, not jsonb: a million-row change stays far below the size limits).
CREATE FUNCTION report_apply(changes report_change[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO report_counter AS rc (campaign_id, dimension, value, locality_code, enrolled, activated, started, completed)
    SELECT x.campaign_id, k.dimension COLLATE "C", k.value COLLATE "C", x.locality_code COLLATE "C", sum(x.sign),
           sum(x.sign * x.activated),
           sum(x.sign * x.started), sum(x.sign * x.completed)
    FROM unnest(changes) AS x
    -- The same keys as report_keys(), written in line: a function call per row costs more than the rest.
    CROSS JOIN LATERAL (VALUES ('locality', ''), ('wave', coalesce(x.wave_id::text, '')),
        ('nominatedBy', coalesce(x.nominated_by, '')), ('targetGroup', coalesce(x.target_group, '')),
        ('gender', coalesce(x.gender, '')), ('ethnicity', coalesce(x.ethnicity, ''))) AS k(dimension, value)
    GROUP BY 1, 2, 3, 4
    HAVING sum(x.sign) <> 0 OR sum(x.sign * x.activated) <> 0 OR sum(x.sign * x.started) <> 0
        OR sum(x.sign * x.completed) <> 0
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (campaign_id, dimension, value, locality_code) DO UPDATE SET
        enrolled = rc.enrolled + excluded.enrolled, activated = rc.activated + excluded.activated,
        started = rc.started + excluded.started, completed = rc.completed + excluded.completed
$$;

CREATE FUNCTION enrolment_counters() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changes report_change[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- A roster import counts its new enrolments in one statement at its end.
        IF current_setting('phocap.defer_enrolment_counters', true) = 'on' THEN
            RETURN NULL;
        END IF;
        EXECUTE $q$SELECT array_agg(r::report_change) FROM (
            SELECT n.campaign_id, le.locality_code, n.wave_id, n.nominated_by, n.target_group, le.gender, le.ethnicity,
                   (le.activated_at IS NOT NULL)::int AS activated, (n.started_at IS NOT NULL)::int AS started,
                   (n.completed_at IS NOT NULL)::int AS completed, 1 AS sign
            FROM new_rows n CROSS JOIN LATERAL (SELECT * FROM learner WHERE id = n.learner_id OFFSET 0) le) r$q$ INTO changes;
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE $q$SELECT array_agg(r::report_change) FROM (
            SELECT o.campaign_id, le.locality_code, o.wave_id, o.nominated_by, o.target_group, le.gender, le.ethnicity,
                   (le.activated_at IS NOT NULL)::int AS activated, (o.started_at IS NOT NULL)::int AS started,
                   (o.completed_at IS NOT NULL)::int AS completed, -1 AS sign
            FROM old_rows o CROSS JOIN LATERAL (SELECT * FROM learner WHERE id = o.learner_id OFFSET 0) le) r$q$ INTO changes;
    ELSE
        -- Old rows count -1 and new rows +1; what did not change cancels out in report_apply.
        EXECUTE $q$SELECT array_agg(r::report_change) FROM (
            SELECT o.campaign_id, le.locality_code, o.wave_id, o.nominated_by, o.target_group, le.gender, le.ethnicity,
                   (le.activated_at IS NOT NULL)::int AS activated, (o.started_at IS NOT NULL)::int AS started,
                   (o.completed_at IS NOT NULL)::int AS completed, -1 AS sign
            FROM old_rows o CROSS JOIN LATERAL (SELECT * FROM learner WHERE id = o.learner_id OFFSET 0) le
            UNION ALL
            SELECT n.campaign_id, le.locality_code, n.wave_id, n.nominated_by, n.target_group, le.gender, le.ethnicity,
                   (le.activated_at IS NOT NULL)::int, (n.started_at IS NOT NULL)::int, (n.completed_at IS NOT NULL)::int, 1
            FROM new_rows n CROSS JOIN LATERAL (SELECT * FROM learner WHERE id = n.learner_id OFFSET 0) le) r$q$ INTO changes;
    END IF;
    IF changes IS NOT NULL THEN
        PERFORM report_apply(changes);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER enrolment_counters_insert AFTER INSERT ON enrolment REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION enrolment_counters();
CREATE TRIGGER enrolment_counters_update AFTER UPDATE ON enrolment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION enrolment_counters();
CREATE TRIGGER enrolment_counters_delete AFTER DELETE ON enrolment REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION enrolment_counters();

-- A learner's own columns move all their enrolments between counter rows.
CREATE FUNCTION learner_counters() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE changes report_change[];
BEGIN
    EXECUTE $q$SELECT array_agg(r::report_change) FROM (
        SELECT e.campaign_id, o.locality_code, e.wave_id, e.nominated_by, e.target_group, o.gender, o.ethnicity,
               (o.activated_at IS NOT NULL)::int AS activated, (e.started_at IS NOT NULL)::int AS started,
               (e.completed_at IS NOT NULL)::int AS completed, -1 AS sign
        FROM old_rows o CROSS JOIN LATERAL (SELECT * FROM enrolment WHERE learner_id = o.id OFFSET 0) e
        UNION ALL
        SELECT e.campaign_id, n.locality_code, e.wave_id, e.nominated_by, e.target_group, n.gender, n.ethnicity,
               (n.activated_at IS NOT NULL)::int, (e.started_at IS NOT NULL)::int, (e.completed_at IS NOT NULL)::int, 1
        FROM new_rows n CROSS JOIN LATERAL (SELECT * FROM enrolment WHERE learner_id = n.id OFFSET 0) e) r$q$ INTO changes;
    IF changes IS NOT NULL THEN
        PERFORM report_apply(changes);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER learner_counters_update AFTER UPDATE ON learner REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION learner_counters();

-- Counters for what is already there.
SELECT report_apply(coalesce((SELECT array_agg(r::report_change) FROM (
    SELECT e.campaign_id, le.locality_code, e.wave_id, e.nominated_by, e.target_group, le.gender, le.ethnicity,
           (le.activated_at IS NOT NULL)::int AS activated, (e.started_at IS NOT NULL)::int AS started,
           (e.completed_at IS NOT NULL)::int AS completed, 1 AS sign
    FROM enrolment e JOIN learner le ON le.id = e.learner_id) r), '{}'::report_change[]));

-- Where learners of a locality (and everything below it without its own) get help.
CREATE TABLE locality_support (
    locality_code varchar(32)  PRIMARY KEY REFERENCES locality (code),
    channel_url   varchar(500),
    hotline       varchar(20),
    contacts      jsonb        NOT NULL DEFAULT '[]',
    updated_by    bigint       REFERENCES staff_account (id),
    updated_at    timestamptz  NOT NULL DEFAULT now()
);

-- Announcements to a campaign, optionally narrowed to a wave and/or a locality subtree.
CREATE TABLE announcement (
    id            bigserial    PRIMARY KEY,
    campaign_id   bigint       NOT NULL REFERENCES campaign (id),
    wave_id       bigint       REFERENCES wave (id),
    locality_code varchar(32)  REFERENCES locality (code),
    text          varchar(2000) NOT NULL,
    created_by    bigint       NOT NULL REFERENCES staff_account (id),
    created_at    timestamptz  NOT NULL,
    expires_at    timestamptz  NOT NULL
);
CREATE INDEX announcement_campaign_idx ON announcement (campaign_id, expires_at);
