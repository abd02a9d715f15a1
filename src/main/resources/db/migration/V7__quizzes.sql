-- Quizzes are content-addressed like lessons: a new course version with the same quiz reuses its
-- row, so attempts and passes carry over.
CREATE TABLE quiz (
    id                    bigserial    PRIMARY KEY,
    course_id             bigint       NOT NULL REFERENCES course (id),
    code                  varchar(64)  NOT NULL,
    content_hash          varchar(64)  NOT NULL,
    title                 varchar(300) NOT NULL,
    questions_per_attempt integer      NOT NULL,
    time_limit_sec        integer      NOT NULL,
    max_attempts          integer      NOT NULL,
    pass_score            integer      NOT NULL,
    -- After submission the learner may see the right answers and explanations.
    review                boolean      NOT NULL DEFAULT false,
    cooldown_sec          integer      NOT NULL DEFAULT 0,
    -- Which attempt decides that the quiz is passed: BEST (any passed attempt) or LAST.
    score_policy          varchar(4)   NOT NULL DEFAULT 'BEST' CHECK (score_policy IN ('BEST', 'LAST')),
    -- The questions with their answers: never sent to a learner.
    bank                  jsonb        NOT NULL,
    created_at            timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (course_id, code, content_hash)
);

CREATE TABLE course_version_quiz (
    version_id bigint  NOT NULL REFERENCES course_version (id),
    quiz_id    bigint  NOT NULL REFERENCES quiz (id),
    position   integer NOT NULL,
    PRIMARY KEY (version_id, quiz_id)
);

-- One attempt: its paper and key are stored, so grading never reads the bank again.
CREATE TABLE quiz_attempt (
    id            bigserial   PRIMARY KEY,
    quiz_id       bigint      NOT NULL REFERENCES quiz (id),
    learner_id    bigint      NOT NULL REFERENCES learner (id),
    number        integer     NOT NULL,
    paper         jsonb       NOT NULL,
    answer_key    jsonb       NOT NULL,
    answers       jsonb       NOT NULL DEFAULT '{}',
    started_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    submitted_at  timestamptz,
    graded_by     varchar(8)  CHECK (graded_by IN ('LEARNER', 'EXPIRY')),
    score         integer,
    correct       integer,
    total         integer     NOT NULL,
    passed        boolean,
    time_used_sec integer,
    UNIQUE (quiz_id, learner_id, number)
);
CREATE INDEX quiz_attempt_learner_idx ON quiz_attempt (learner_id, quiz_id);
CREATE INDEX quiz_attempt_open_idx ON quiz_attempt (expires_at) WHERE submitted_at IS NULL;
