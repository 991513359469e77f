-- Pathways foundation schema (PostgreSQL). Keep in step with migrations/sqlite:
-- the same version numbers and the same tables, columns and indexes.

CREATE TABLE teams (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE staff (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    team_id BIGINT REFERENCES teams (id),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE young_people (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    local_id TEXT NOT NULL UNIQUE,
    child_id TEXT UNIQUE,
    upn TEXT,
    nhs_number TEXT,
    ni_number TEXT,
    legal_given_name TEXT NOT NULL,
    legal_family_name TEXT NOT NULL,
    preferred_name TEXT,
    date_of_birth DATE NOT NULL,
    sex TEXT NOT NULL,
    gender TEXT,
    ethnicity TEXT NOT NULL,
    uasc BOOLEAN NOT NULL DEFAULT FALSE,
    disability TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    address TEXT,
    postcode TEXT,
    died_on DATE,
    returned_home_on DATE,
    detained_or_in_hospital_on_16th_birthday BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX young_people_family_name ON young_people (legal_family_name, legal_given_name);
CREATE INDEX young_people_date_of_birth ON young_people (date_of_birth);

CREATE TABLE care_episodes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    young_person_id BIGINT NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    start_date DATE NOT NULL,
    end_date DATE,
    reason_new TEXT,
    legal_status TEXT NOT NULL,
    category_of_need TEXT,
    placement TEXT,
    placement_provider TEXT,
    reason_ended TEXT,
    reason_place_change TEXT,
    home_postcode TEXT,
    placement_postcode TEXT,
    urn TEXT,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX care_episodes_young_person ON care_episodes (young_person_id, start_date);

CREATE TABLE key_documents (
    young_person_id BIGINT NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    held_since DATE,
    PRIMARY KEY (young_person_id, kind)
);

CREATE TABLE risk_flags (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    young_person_id BIGINT NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    from_date DATE NOT NULL,
    to_date DATE
);
CREATE INDEX risk_flags_young_person ON risk_flags (young_person_id);

CREATE TABLE allocations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    young_person_id BIGINT NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    personal_adviser_id BIGINT REFERENCES staff (id),
    from_date DATE NOT NULL,
    to_date DATE,
    reason TEXT NOT NULL
);
CREATE INDEX allocations_young_person ON allocations (young_person_id, from_date);
CREATE INDEX allocations_current_adviser ON allocations (personal_adviser_id) WHERE to_date IS NULL;
CREATE INDEX allocations_current_team ON allocations (team_id) WHERE to_date IS NULL;

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id BIGINT NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_staff ON sessions (staff_id);

-- Who read or changed which record, when, and why. Written in the same
-- transaction as the change it records.
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at TIMESTAMPTZ NOT NULL,
    staff_id BIGINT REFERENCES staff (id),
    action TEXT NOT NULL,
    young_person_id BIGINT REFERENCES young_people (id),
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_young_person ON audit_log (young_person_id, occurred_at);
CREATE INDEX audit_log_staff ON audit_log (staff_id, occurred_at);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
