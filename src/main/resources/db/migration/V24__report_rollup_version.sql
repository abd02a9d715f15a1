-- The roll-ups' version (issue 22): a new random value whenever report_rollup changes (a fold that
-- moved changes, a rebuild). The roll-ups change only there, so a report can keep what it summed
-- from them at a version and, while the version stays, read only the changes not folded yet (a
-- handful) instead of a level's thousands of roll-up rows, and still be exact: the version and the
-- unfolded changes are read in one statement (ReportService), and a fold moves changes and renews
-- the version in one transaction. Random, not a counter: a database restored from a backup never
-- hands a running server a number it has already seen with other counts.
CREATE TABLE report_rollup_state (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  uuid    NOT NULL DEFAULT gen_random_uuid()
);
INSERT INTO report_rollup_state DEFAULT VALUES;

-- V23's fold, and the version renewed when it moved anything (in the same transaction).
CREATE OR REPLACE FUNCTION report_rollup_fold() RETURNS bigint LANGUAGE sql AS $$
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
        RETURNING 1),
    renewed AS (
        UPDATE report_rollup_state SET version = gen_random_uuid() WHERE EXISTS (SELECT 1 FROM moved))
    SELECT count(*) FROM moved
$$;

-- V23's rebuild, and the version renewed.
CREATE OR REPLACE FUNCTION report_rollup_rebuild(lock_wait text) RETURNS void LANGUAGE plpgsql AS $$
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
    UPDATE report_rollup_state SET version = gen_random_uuid();
END $$;
