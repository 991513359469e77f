-- SSDA903 import and export: the Header fields Pathways did not keep yet, and the
-- OC3 rows of imported returns (exported again while the store has no history of
-- its own for that young person; see pathways_app::ssda903).
ALTER TABLE young_people ADD COLUMN upn_unknown TEXT;
ALTER TABLE young_people ADD COLUMN mother TEXT;
ALTER TABLE young_people ADD COLUMN mc_dob TEXT;

CREATE TABLE ssda903_oc3 (
    young_person_id INTEGER PRIMARY KEY REFERENCES young_people (id) ON DELETE CASCADE,
    in_touch TEXT NOT NULL,
    activ TEXT NOT NULL,
    accom TEXT NOT NULL
);
