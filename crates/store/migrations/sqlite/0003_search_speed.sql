-- Speed for "find a young person" and the team page at regional scale.
-- Names: a trigram full-text index, so LIKE '%part%' does not scan every record.
CREATE VIRTUAL TABLE young_people_names USING fts5(
    search_name, content = 'young_people', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO young_people_names (young_people_names) VALUES ('rebuild');
CREATE TRIGGER young_people_names_insert AFTER INSERT ON young_people BEGIN
    INSERT INTO young_people_names (rowid, search_name) VALUES (new.id, new.search_name);
END;
CREATE TRIGGER young_people_names_delete AFTER DELETE ON young_people BEGIN
    INSERT INTO young_people_names (young_people_names, rowid, search_name) VALUES ('delete', old.id, old.search_name);
END;
CREATE TRIGGER young_people_names_update AFTER UPDATE OF search_name ON young_people BEGIN
    INSERT INTO young_people_names (young_people_names, rowid, search_name) VALUES ('delete', old.id, old.search_name);
    INSERT INTO young_people_names (rowid, search_name) VALUES (new.id, new.search_name);
END;
-- Who waits for a personal adviser in a team, longest first.
CREATE INDEX allocations_waiting ON allocations (team_id, from_date) WHERE to_date IS NULL AND personal_adviser_id IS NULL;
