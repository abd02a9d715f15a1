-- Every instance asks every 20 s which token families were revoked within one access-token
-- lifetime (RevokedFamilies): an index over the few revoked rows keeps that cheap.
CREATE INDEX refresh_token_revoked_at ON refresh_token (revoked_at) WHERE revoked_at IS NOT NULL;
