-- Completion checks still owed: written in the same transaction as the lesson completion or the
-- passing grade that calls for one, deleted once a check has run. A check that fails (pool busy,
-- database restarting, the instance stopped) stays here and CompletionOutbox retries it, so no
-- completion waits for the learner to ask. completed_at is the moment the requirement was met
-- (the completion's time); a newer need for the same course replaces it.
CREATE TABLE completion_check (
    learner_id   bigint      NOT NULL REFERENCES learner (id),
    course_id    bigint      NOT NULL REFERENCES course (id),
    completed_at timestamptz NOT NULL,
    due_at       timestamptz NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (learner_id, course_id)
);
CREATE INDEX completion_check_due ON completion_check (due_at);
