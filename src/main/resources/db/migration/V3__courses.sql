-- A course is identified by its code; each POST of the same code adds an immutable version.
CREATE TABLE course (
    id         bigserial   PRIMARY KEY,
    code       varchar(64) NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE course_version (
    id         bigserial    PRIMARY KEY,
    course_id  bigint       NOT NULL REFERENCES course (id),
    version    integer      NOT NULL,
    title      varchar(300) NOT NULL,
    language   varchar(16)  NOT NULL,
    -- The package as posted (quiz answers included: they never leave the server).
    package    jsonb        NOT NULL,
    etag       varchar(64)  NOT NULL,
    created_at timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (course_id, version)
);

-- Lessons are content-addressed within a course: a new version whose lesson has the same code
-- and the same content reuses the same row, so progress recorded against it carries over.
CREATE TABLE lesson (
    id            bigserial    PRIMARY KEY,
    course_id     bigint       NOT NULL REFERENCES course (id),
    code          varchar(64)  NOT NULL,
    content_hash  varchar(64)  NOT NULL,
    title         varchar(300) NOT NULL,
    kind          varchar(16)  NOT NULL CHECK (kind IN ('VIDEO', 'READING', 'DOCUMENT')),
    duration_sec  integer      NOT NULL,
    body          text,
    media         varchar(300),
    min_coverage  double precision NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (course_id, code, content_hash)
);

CREATE TABLE course_version_lesson (
    version_id   bigint       NOT NULL REFERENCES course_version (id),
    lesson_id    bigint       NOT NULL REFERENCES lesson (id),
    module_code  varchar(64)  NOT NULL,
    module_title varchar(300) NOT NULL,
    position     integer      NOT NULL,
    PRIMARY KEY (version_id, lesson_id),
    UNIQUE (version_id, position)
);
