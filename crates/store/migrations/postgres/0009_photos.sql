-- An optional photo of a young person, re-encoded on upload (no location or
-- camera metadata is kept). One per young person; a new one replaces it.
CREATE TABLE young_person_photos (
    young_person_id BIGINT PRIMARY KEY REFERENCES young_people (id) ON DELETE CASCADE,
    jpeg BYTEA NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES staff (id),
    uploaded_at TIMESTAMPTZ NOT NULL
);
