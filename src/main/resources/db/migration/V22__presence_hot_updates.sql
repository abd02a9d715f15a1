-- Every heartbeat updates its learner's learner_presence row, and seen_at changes each time. The
-- index on seen_at made every one of those updates a non-HOT update: a new entry in both indexes
-- and a dead tuple per heartbeat (231,182 updates, 0 HOT, in a 20 s benchmark), so the table and
-- its primary key bloated through a wave. No query can use it: the at-risk list compares
-- coalesce(p.seen_at, e.started_at) across a left join, which this index does not serve.
DROP INDEX IF EXISTS learner_presence_seen_idx;
-- Room on each page for the new version of a row, so that updates stay on the page (HOT).
ALTER TABLE learner_presence SET (fillfactor = 80);
ALTER TABLE lesson_progress SET (fillfactor = 80);
