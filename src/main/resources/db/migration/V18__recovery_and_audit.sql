-- Account recovery: a supporter issues a fresh activation code for a learner who forgot the PIN.
-- Such a code expires (codes from a roster import keep no expiry: NULL).
ALTER TABLE learner ADD COLUMN activation_code_expires_at timestamptz;

-- Staff actions that touch learners: who, what, when. Kept here, never written to the log.
-- locality_code places the entry for scope filtering (the learner's, else the campaign's).
CREATE TABLE audit_entry (
    id             bigserial    PRIMARY KEY,
    at             timestamptz  NOT NULL DEFAULT now(),
    staff_id       bigint       NOT NULL,
    staff_username varchar(100) NOT NULL,
    action         varchar(40)  NOT NULL,
    learner_id     bigint,
    campaign_id    bigint,
    locality_code  varchar(32)  NOT NULL,
    detail         jsonb        NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_entry_learner ON audit_entry (learner_id, at DESC);
CREATE INDEX audit_entry_campaign ON audit_entry (campaign_id, at DESC);
CREATE INDEX audit_entry_at ON audit_entry (at DESC);
