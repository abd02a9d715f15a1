-- Answers to writes sent with an Idempotency-Key, so a retry gets the first answer.
-- response is NULL while the first request is still being processed.
CREATE TABLE idempotent_request (
    principal   varchar(100) NOT NULL,
    key         varchar(200) NOT NULL,
    fingerprint varchar(64)  NOT NULL,
    response    text,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
CREATE INDEX idempotent_request_created_idx ON idempotent_request (created_at);
