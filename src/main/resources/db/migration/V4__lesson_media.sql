-- The media file of a lesson, kept in the blob store under its SHA-256 (content-addressed).
CREATE TABLE lesson_media (
    lesson_id    bigint       PRIMARY KEY REFERENCES lesson (id),
    blob_key     varchar(64)  NOT NULL,
    content_type varchar(100) NOT NULL,
    size         bigint       NOT NULL,
    updated_at   timestamptz  NOT NULL DEFAULT now()
);
