-- Contacts and visits: what personal advisers do every day (CLR 2010 reg 8(1):
-- keep a written record of contacts). Failed attempts are recorded too.
CREATE TABLE contacts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    young_person_id BIGINT NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    occurred_at TIMESTAMPTZ NOT NULL,
    contact_type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    seen_alone BOOLEAN,
    location TEXT,
    present TEXT,
    summary TEXT NOT NULL,
    statutory_visit BOOLEAN NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES staff (id),
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX contacts_young_person ON contacts (young_person_id, occurred_at);
