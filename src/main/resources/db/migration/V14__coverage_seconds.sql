-- Video coverage moves from 5-second to 1-second buckets (a bucket counts when a played interval
-- covers its midpoint, so any heartbeat interval fills the timeline). Each stored 5-second bit
-- becomes five 1-second bits, cut to the lesson's duration: covered_sec does not change.
UPDATE lesson_progress lp
SET coverage = left(replace(replace(lp.coverage::text, '1', '11111'), '0', '00000'), l.duration_sec)::varbit
FROM lesson l
WHERE l.id = lp.lesson_id AND length(lp.coverage) > 0;
