-- Administrative tree: province -> (district) -> commune -> village, any depth.
-- path holds the codes from the root, '/'-separated and '/'-terminated, so a subtree is a prefix.
CREATE TABLE locality (
    code        varchar(32)  PRIMARY KEY,
    name        varchar(200) NOT NULL,
    level       integer      NOT NULL,
    parent_code varchar(32)  REFERENCES locality (code),
    path        text         NOT NULL
);
CREATE INDEX locality_parent_idx ON locality (parent_code);
CREATE INDEX locality_path_idx ON locality (path text_pattern_ops);

CREATE TABLE staff_account (
    id            bigserial    PRIMARY KEY,
    username      varchar(100) NOT NULL UNIQUE,
    password_hash varchar(100) NOT NULL,
    role          varchar(16)  NOT NULL CHECK (role IN ('ADMIN', 'SUPPORTER')),
    scope         text[]       NOT NULL,
    full_name     varchar(200) NOT NULL,
    phone         varchar(16),
    created_at    timestamptz  NOT NULL DEFAULT now()
);

-- A learner is one person, identified by a Vietnamese mobile number in E.164 form.
CREATE TABLE learner (
    id              bigserial    PRIMARY KEY,
    phone           varchar(16)  NOT NULL UNIQUE,
    full_name       varchar(200) NOT NULL,
    birth_year      integer,
    gender          varchar(8),
    ethnicity       varchar(64),
    locality_code   varchar(32)  NOT NULL REFERENCES locality (code),
    national_id     varchar(16),
    activation_code varchar(16),
    activated_at    timestamptz,
    pin_hash        varchar(100),
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX learner_locality_idx ON learner (locality_code);

CREATE TABLE campaign (
    id              bigserial    PRIMARY KEY,
    name            varchar(200) NOT NULL,
    year            integer      NOT NULL,
    locality_code   varchar(32)  NOT NULL REFERENCES locality (code),
    course_ids      bigint[]     NOT NULL,
    target_learners integer      NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE wave (
    id            bigserial    PRIMARY KEY,
    campaign_id   bigint       NOT NULL REFERENCES campaign (id),
    name          varchar(200) NOT NULL,
    opens_at      timestamptz  NOT NULL,
    closes_at     timestamptz  NOT NULL,
    capacity      integer      NOT NULL,
    grace_minutes integer      NOT NULL DEFAULT 0,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    CHECK (closes_at > opens_at)
);
CREATE INDEX wave_campaign_idx ON wave (campaign_id);

-- A learner's place in a campaign: who nominated them, and which wave they study in.
CREATE TABLE enrolment (
    campaign_id  bigint      NOT NULL REFERENCES campaign (id),
    learner_id   bigint      NOT NULL REFERENCES learner (id),
    nominated_by varchar(32) NOT NULL,
    target_group varchar(100),
    wave_id      bigint      REFERENCES wave (id),
    import_id    bigint,
    enrolled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, learner_id)
);
CREATE INDEX enrolment_learner_idx ON enrolment (learner_id);
CREATE INDEX enrolment_wave_idx ON enrolment (wave_id);
CREATE INDEX enrolment_import_idx ON enrolment (import_id);

CREATE TABLE roster_import (
    id          bigserial    PRIMARY KEY,
    campaign_id bigint       NOT NULL REFERENCES campaign (id),
    created_by  bigint       NOT NULL REFERENCES staff_account (id),
    file_name   varchar(300),
    format      varchar(8)   NOT NULL,
    status      varchar(8)   NOT NULL CHECK (status IN ('RUNNING', 'DONE', 'FAILED')),
    total       integer      NOT NULL DEFAULT 0,
    created     integer      NOT NULL DEFAULT 0,
    updated     integer      NOT NULL DEFAULT 0,
    rejected    integer      NOT NULL DEFAULT 0,
    message     text,
    started_at  timestamptz  NOT NULL DEFAULT now(),
    finished_at timestamptz
);

CREATE TABLE roster_reject (
    import_id bigint  NOT NULL REFERENCES roster_import (id) ON DELETE CASCADE,
    line      integer NOT NULL,
    field     varchar(32),
    message   text    NOT NULL,
    raw       text    NOT NULL,
    PRIMARY KEY (import_id, line)
);

-- Refresh tokens are stored only as SHA-256 hashes; a family is one login's chain of rotations.
CREATE TABLE refresh_token (
    id           bigserial   PRIMARY KEY,
    token_hash   varchar(64) NOT NULL UNIQUE,
    family       uuid        NOT NULL,
    subject_kind varchar(8)  NOT NULL CHECK (subject_kind IN ('STAFF', 'LEARNER')),
    subject_id   bigint      NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_token_family_idx ON refresh_token (family);
