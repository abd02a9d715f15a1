-- Idempotency fingerprints were unsalted SHA-256 over the whole request, password included, so a
-- stored one could confirm a guessed password offline. They are now "salt:hash" over the request's
-- canonical form without secrets. The old records (at most a day of retries) are dropped: a retry of
-- one of them runs again instead of replaying.
DELETE FROM idempotent_request;
ALTER TABLE idempotent_request ALTER COLUMN fingerprint TYPE varchar(100);
