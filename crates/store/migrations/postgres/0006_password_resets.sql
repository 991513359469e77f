-- "Forgotten your password?" links: only the SHA-256 of each token is kept; a link
-- works once, for a limited time.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX password_resets_staff ON password_resets (staff_id);
