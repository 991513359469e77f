-- Names folded to lower case in one column, so "find a young person" matches any
-- part of a legal or preferred name with one LIKE. Kept in step by the store.
ALTER TABLE young_people ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
UPDATE young_people
SET search_name = lower(legal_given_name || ' ' || legal_family_name || ' ' || coalesce(preferred_name, ''));
CREATE INDEX young_people_child_id_upper ON young_people (upper(child_id));
CREATE INDEX young_people_local_id_upper ON young_people (upper(local_id));
