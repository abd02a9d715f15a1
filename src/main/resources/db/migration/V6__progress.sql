-- One row per learner and lesson: everything the credit rules need, updated in place by every
-- heartbeat, so storage grows with learners x lessons, never with heartbeats.
CREATE TABLE lesson_progress (
    learner_id     bigint           NOT NULL REFERENCES learner (id),
    lesson_id      bigint           NOT NULL REFERENCES lesson (id),
    course_id      bigint           NOT NULL REFERENCES course (id),
    credited_sec   double precision NOT NULL DEFAULT 0,
    -- Video: bit i set = the 5-second bucket i of the timeline was played at normal speed.
    coverage       bit varying      NOT NULL DEFAULT B'',
    covered_sec    integer          NOT NULL DEFAULT 0,
    completed_at   timestamptz,
    -- The anchor the next heartbeat of the same player session is measured against.
    session_id     varchar(64)      NOT NULL,
    last_seq       bigint           NOT NULL,
    device_id      varchar(100)     NOT NULL,
    last_server_at timestamptz      NOT NULL,
    last_sent_at   timestamptz      NOT NULL,
    last_position  double precision NOT NULL,
    last_playing   boolean          NOT NULL,
    -- Accepted (not duplicate) heartbeats: lets the crash test compare stored state with 2xx answers.
    heartbeats     integer          NOT NULL DEFAULT 0,
    -- Bumped by every write; a writer states the version it read, so a stale write changes nothing.
    version        bigint           NOT NULL DEFAULT 1,
    PRIMARY KEY (learner_id, lesson_id)
);

-- Where and when each learner last studied: the "two places at once" rule reads this.
CREATE TABLE learner_presence (
    learner_id bigint       PRIMARY KEY REFERENCES learner (id),
    device_id  varchar(100) NOT NULL,
    session_id varchar(64)  NOT NULL,
    seen_at    timestamptz  NOT NULL,
    version    bigint       NOT NULL DEFAULT 1
);

-- A learner met a course's completion rule; written once, read by certificates and reports.
CREATE TABLE course_completion (
    learner_id   bigint      NOT NULL REFERENCES learner (id),
    course_id    bigint      NOT NULL REFERENCES course (id),
    completed_at timestamptz NOT NULL,
    PRIMARY KEY (learner_id, course_id)
);
