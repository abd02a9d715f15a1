-- Events for learners' lesson streams, kept long enough to replay a reconnect (Last-Event-ID)
-- and trimmed by a scheduled job. learner_id NULL: for every stream of the course.
CREATE TABLE stream_event (
    id         bigserial   PRIMARY KEY,
    course_id  bigint      NOT NULL REFERENCES course (id),
    learner_id bigint      REFERENCES learner (id),
    kind       varchar(32) NOT NULL,
    data       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stream_event_course_idx ON stream_event (course_id, id);
CREATE INDEX stream_event_created_idx ON stream_event (created_at);
