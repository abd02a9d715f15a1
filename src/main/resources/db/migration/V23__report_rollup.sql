-- Report roll-ups (issue 22): per campaign, dimension and value, the counts of every locality's
-- whole subtree (itself included), so a report reads one row per group it shows instead of
-- summing every counter below it (10,000 village rows for a province's 20 districts).
--
-- Counting transactions never update these rows. Kept by report_apply directly, every heartbeat
-- batch, quiz completion and import would update the province's rows and hold their locks until
-- commit, so all of them would run one after another. Instead report_apply appends its changes,
-- one row per ancestor, to report_rollup_delta (an append shares no row with anyone), and
-- ReportRollups folds the appended rows into report_rollup every second, one folder at a time.
-- A report reads report_rollup and the rows not folded yet in the same statement (one snapshot):
-- the fold moves counts from one table to the other in one transaction, so a report is exact,
-- never stale by the fold's period.
--
-- path and depth (path segments: a province is 1) are copied from locality so a level's rows are
-- found by one index range; a change of any locality's path rebuilds the roll-ups from
-- report_counter (report_rollup_rebuild, below), which stays the exact per-locality source.
CREATE TABLE report_rollup (
    campaign_id   bigint       NOT NULL,
    dimension     varchar(16)  COLLATE "C" NOT NULL,
    value         varchar(100) COLLATE "C" NOT NULL,
    locality_code varchar(32)  COLLATE "C" NOT NULL,
    path          text         COLLATE "C" NOT NULL,
    depth         integer      NOT NULL,
    enrolled      integer      NOT NULL DEFAULT 0,
    activated     integer      NOT NULL DEFAULT 0,
    started       integer      NOT NULL DEFAULT 0,
    completed     integer      NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, dimension, value, locality_code)
) WITH (fillfactor = 70);
-- Room on each page: a fold's update of a row's counts (no indexed column changes) stays on its
-- page (a HOT update), so the indexes are not touched and old versions are pruned as pages are read.
-- A level's rows (locality reports) and a subtree root's rows (the other groupings, the totals).
CREATE INDEX report_rollup_level ON report_rollup (campaign_id, dimension, depth, path);
CREATE INDEX report_rollup_root ON report_rollup (campaign_id, dimension, locality_code);

CREATE TABLE report_rollup_delta (
    campaign_id   bigint       NOT NULL,
    dimension     varchar(16)  COLLATE "C" NOT NULL,
    value         varchar(100) COLLATE "C" NOT NULL,
    locality_code varchar(32)  COLLATE "C" NOT NULL,
    path          text         COLLATE "C" NOT NULL,
    depth         integer      NOT NULL,
    enrolled      integer      NOT NULL,
    activated     integer      NOT NULL,
    started       integer      NOT NULL,
    completed     integer      NOT NULL
);
-- Few rows at a time (a second's changes): found by campaign, dimension and locality.
CREATE INDEX report_rollup_delta_key ON report_rollup_delta (campaign_id, dimension, locality_code);

-- Every ancestor of a locality and itself: its code, path and depth.
CREATE FUNCTION locality_lineage(locality_path text)
RETURNS TABLE (code text, path text, depth integer) LANGUAGE sql IMMUTABLE AS $$
    SELECT s.code, '/' || array_to_string(p.segments[1:s.depth], '/') || '/', s.depth::int
    FROM (SELECT string_to_array(trim(BOTH '/' FROM locality_path), '/') AS segments) p
    CROSS JOIN LATERAL unnest(p.segments) WITH ORDINALITY AS s(code, depth)
$$;

-- The counters as before, and the same changes for every ancestor, appended (see the top of this
-- file). The changes are added up per locality first, so a million-learner import expands tens of
-- thousands of sums to their ancestors, not six million keys. The statement's snapshot is taken
-- after its table locks, so a counting transaction held by report_rollup_rebuild's lock reads the
-- tree as that rebuild left it.
CREATE OR REPLACE FUNCTION report_apply(changes report_change[]) RETURNS void LANGUAGE sql AS $$
    WITH summed AS (
        SELECT x.campaign_id, k.dimension COLLATE "C" AS dimension, k.value COLLATE "C" AS value,
               x.locality_code COLLATE "C" AS locality_code, sum(x.sign)::int AS enrolled,
               sum(x.sign * x.activated)::int AS activated, sum(x.sign * x.started)::int AS started,
               sum(x.sign * x.completed)::int AS completed
        FROM unnest(changes) AS x
        -- The same keys as report_keys(), written in line: a function call per row costs more than the rest.
        CROSS JOIN LATERAL (VALUES ('locality', ''), ('wave', coalesce(x.wave_id::text, '')),
            ('nominatedBy', coalesce(x.nominated_by, '')), ('targetGroup', coalesce(x.target_group, '')),
            ('gender', coalesce(x.gender, '')), ('ethnicity', coalesce(x.ethnicity, ''))) AS k(dimension, value)
        GROUP BY 1, 2, 3, 4
        HAVING sum(x.sign) <> 0 OR sum(x.sign * x.activated) <> 0 OR sum(x.sign * x.started) <> 0
            OR sum(x.sign * x.completed) <> 0),
    counted AS (
        INSERT INTO report_counter AS rc (campaign_id, dimension, value, locality_code, enrolled, activated, started, completed)
        SELECT * FROM summed
        ORDER BY 1, 2, 3, 4
        ON CONFLICT (campaign_id, dimension, value, locality_code) DO UPDATE SET
            enrolled = rc.enrolled + excluded.enrolled, activated = rc.activated + excluded.activated,
            started = rc.started + excluded.started, completed = rc.completed + excluded.completed
        RETURNING 1)
    INSERT INTO report_rollup_delta (campaign_id, dimension, value, locality_code, path, depth,
                                     enrolled, activated, started, completed)
    SELECT s.campaign_id, s.dimension, s.value, a.code, a.path, a.depth, sum(s.enrolled), sum(s.activated),
           sum(s.started), sum(s.completed)
    FROM summed s
    JOIN locality l ON l.code = s.locality_code
    CROSS JOIN LATERAL locality_lineage(l.path) AS a
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(s.enrolled) <> 0 OR sum(s.activated) <> 0 OR sum(s.started) <> 0 OR sum(s.completed) <> 0
$$;

-- Moves appended changes into the roll-ups; the number of changes moved. One folder at a time
-- (the advisory lock is the roll-ups' own), and in key order, so two instances never deadlock.
CREATE FUNCTION report_rollup_fold() RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('report_rollup'));
    WITH moved AS (DELETE FROM report_rollup_delta RETURNING *),
    folded AS (
        INSERT INTO report_rollup AS r (campaign_id, dimension, value, locality_code, path, depth,
                                        enrolled, activated, started, completed)
        SELECT campaign_id, dimension, value, locality_code, min(path), min(depth), sum(enrolled),
               sum(activated), sum(started), sum(completed)
        FROM moved GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (campaign_id, dimension, value, locality_code) DO UPDATE SET
            enrolled = r.enrolled + excluded.enrolled, activated = r.activated + excluded.activated,
            started = r.started + excluded.started, completed = r.completed + excluded.completed
        RETURNING 1)
    SELECT count(*) FROM moved
$$;

-- The roll-ups recomputed from report_counter, for when the locality tree changed shape. The lock
-- waits for counting transactions in flight and holds new ones until this transaction ends, so
-- none appends a change computed with the tree as it was. While this waits, counting transactions
-- queue behind it, so a wait is bounded (lock_wait): a long transaction holding the counters (a
-- big roster import) makes the tree change fail with SQL state 55P03, answered 503 "busy, retry",
-- instead of stalling every heartbeat batch and completion until the import ends. NULL waits as
-- long as it takes (the migration below).
CREATE FUNCTION report_rollup_rebuild(lock_wait text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    previous text := current_setting('lock_timeout');
BEGIN
    IF lock_wait IS NOT NULL THEN
        PERFORM set_config('lock_timeout', lock_wait, true);
    END IF;
    LOCK TABLE report_counter IN SHARE ROW EXCLUSIVE MODE;
    PERFORM set_config('lock_timeout', previous, true);
    PERFORM pg_advisory_xact_lock(hashtext('report_rollup'));
    DELETE FROM report_rollup_delta;
    DELETE FROM report_rollup;
    INSERT INTO report_rollup (campaign_id, dimension, value, locality_code, path, depth,
                               enrolled, activated, started, completed)
    SELECT rc.campaign_id, rc.dimension, rc.value, a.code, a.path, a.depth, sum(rc.enrolled), sum(rc.activated),
           sum(rc.started), sum(rc.completed)
    FROM report_counter rc
    JOIN locality l ON l.code = rc.locality_code
    CROSS JOIN LATERAL locality_lineage(l.path) AS a
    GROUP BY 1, 2, 3, 4, 5, 6
    ORDER BY 1, 2, 3, 4;
END $$;

CREATE FUNCTION locality_paths_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.code = o.code WHERE n.path <> o.path) THEN
        PERFORM report_rollup_rebuild('2s');
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER locality_paths_changed AFTER UPDATE ON locality REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION locality_paths_changed();

SELECT report_rollup_rebuild(NULL);
