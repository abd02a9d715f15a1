-- Certificates. Each campaign prints its own serials: {prefix}-{year}-{number}-{check}, numbers
-- counted per campaign by certificates_issued (the row lock on the campaign keeps them gap-free).
ALTER TABLE campaign ADD COLUMN certificate_prefix varchar(8);
ALTER TABLE campaign ADD COLUMN issuing_body varchar(300);
ALTER TABLE campaign ADD COLUMN certificates_issued integer NOT NULL DEFAULT 0;
UPDATE campaign SET certificate_prefix = 'C' || id WHERE certificate_prefix IS NULL;
ALTER TABLE campaign ALTER COLUMN certificate_prefix SET NOT NULL;

-- A completion belongs to the campaign it was earned in: last year's is not this year's.
ALTER TABLE course_completion ADD COLUMN campaign_id bigint REFERENCES campaign (id);
UPDATE course_completion cc SET campaign_id = (
    SELECT e.campaign_id FROM enrolment e JOIN campaign c ON c.id = e.campaign_id
    WHERE e.learner_id = cc.learner_id AND cc.course_id = ANY (c.course_ids)
    ORDER BY e.enrolled_at DESC LIMIT 1);
DELETE FROM course_completion WHERE campaign_id IS NULL;
ALTER TABLE course_completion ALTER COLUMN campaign_id SET NOT NULL;
ALTER TABLE course_completion DROP CONSTRAINT course_completion_pkey;
ALTER TABLE course_completion ADD PRIMARY KEY (campaign_id, learner_id, course_id);
CREATE INDEX course_completion_learner_idx ON course_completion (learner_id, course_id);

-- What the certificate says is copied at issue, so it never changes after (the PDF bytes neither).
CREATE TABLE certificate (
    serial        varchar(40)  PRIMARY KEY,
    campaign_id   bigint       NOT NULL REFERENCES campaign (id),
    learner_id    bigint       NOT NULL REFERENCES learner (id),
    course_id     bigint       NOT NULL REFERENCES course (id),
    number        integer      NOT NULL,
    holder_name   varchar(200) NOT NULL,
    birth_year    integer,
    locality_code varchar(32)  NOT NULL REFERENCES locality (code),
    locality_name text         NOT NULL,
    course_title  varchar(300) NOT NULL,
    campaign_name varchar(200) NOT NULL,
    issuing_body  varchar(300) NOT NULL,
    issued_at     timestamptz  NOT NULL,
    revoked_at    timestamptz,
    revoke_reason varchar(500),
    revoked_by    bigint       REFERENCES staff_account (id),
    UNIQUE (campaign_id, learner_id, course_id),
    UNIQUE (campaign_id, number)
);
CREATE INDEX certificate_learner_idx ON certificate (learner_id);
CREATE INDEX certificate_campaign_issued_idx ON certificate (campaign_id, issued_at);
CREATE INDEX certificate_issued_idx ON certificate (issued_at);

-- The first render of each PDF, served byte for byte afterwards.
CREATE TABLE certificate_pdf (
    serial      varchar(40) PRIMARY KEY REFERENCES certificate (serial),
    pdf         bytea       NOT NULL,
    rendered_at timestamptz NOT NULL DEFAULT now()
);

-- Serials are unique across campaigns because a prefix is used by one campaign per year.
CREATE UNIQUE INDEX campaign_certificate_prefix_idx ON campaign (certificate_prefix, year);
