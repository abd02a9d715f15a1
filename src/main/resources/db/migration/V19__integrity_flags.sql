-- Integrity signals: the signs that someone studied in another's name or not at all, each kept once
-- per learner, campaign and kind with its evidence, severity and time, for supporters to review.
CREATE TABLE integrity_flag (
    id            bigserial   PRIMARY KEY,
    campaign_id   bigint      NOT NULL REFERENCES campaign (id),
    learner_id    bigint      NOT NULL REFERENCES learner (id),
    kind          varchar(30) NOT NULL,
    severity      varchar(10) NOT NULL,
    status        varchar(10) NOT NULL DEFAULT 'OPEN',
    evidence      jsonb       NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, learner_id, kind)
);
CREATE INDEX integrity_flag_campaign ON integrity_flag (campaign_id, status, kind);
