-- Practice records the compliance rules read: accommodation and activity histories,
-- needs assessments, pathway plans (their lifecycle; the plan content follows) and
-- tasks added by hand. Dates are civil dates; `end_on` is the day a stay ended.
CREATE TABLE accommodation_stays (
    id INTEGER PRIMARY KEY,
    young_person_id INTEGER NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    start_on TEXT NOT NULL,
    end_on TEXT,
    kind TEXT NOT NULL,
    suitable BOOLEAN NOT NULL,
    arranged_by_council BOOLEAN NOT NULL,
    address TEXT,
    recorded_by INTEGER NOT NULL REFERENCES staff (id),
    recorded_at TEXT NOT NULL,
    CHECK (end_on IS NULL OR end_on > start_on)
);
CREATE INDEX accommodation_stays_young_person ON accommodation_stays (young_person_id, start_on);

CREATE TABLE activity_spells (
    id INTEGER PRIMARY KEY,
    young_person_id INTEGER NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    start_on TEXT NOT NULL,
    end_on TEXT,
    activity TEXT NOT NULL,
    full_time BOOLEAN NOT NULL,
    detail TEXT,
    recorded_by INTEGER NOT NULL REFERENCES staff (id),
    recorded_at TEXT NOT NULL,
    CHECK (end_on IS NULL OR end_on > start_on)
);
CREATE INDEX activity_spells_young_person ON activity_spells (young_person_id, start_on);

CREATE TABLE needs_assessments (
    id INTEGER PRIMARY KEY,
    young_person_id INTEGER NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    completed_on TEXT NOT NULL,
    summary TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES staff (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX needs_assessments_young_person ON needs_assessments (young_person_id, completed_on);

CREATE TABLE pathway_plans (
    id INTEGER PRIMARY KEY,
    young_person_id INTEGER NOT NULL REFERENCES young_people (id) ON DELETE CASCADE,
    plan_version INTEGER NOT NULL,
    status TEXT NOT NULL,
    active_from TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER NOT NULL REFERENCES staff (id),
    created_at TEXT NOT NULL,
    UNIQUE (young_person_id, plan_version)
);
CREATE INDEX pathway_plans_active ON pathway_plans (young_person_id, active_from) WHERE active_from IS NOT NULL;

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    young_person_id INTEGER REFERENCES young_people (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    assigned_to INTEGER NOT NULL REFERENCES staff (id),
    created_by INTEGER NOT NULL REFERENCES staff (id),
    created_at TEXT NOT NULL,
    done_on TEXT,
    done_by INTEGER REFERENCES staff (id)
);
CREATE INDEX tasks_open_assigned ON tasks (assigned_to, due_on) WHERE done_on IS NULL;
CREATE INDEX tasks_young_person ON tasks (young_person_id);

-- Statutory visits are read per young person, latest first.
CREATE INDEX contacts_statutory_visits ON contacts (young_person_id, occurred_at) WHERE statutory_visit;
