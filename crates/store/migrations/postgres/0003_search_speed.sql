-- Speed for "find a young person" and the team page at regional scale.
-- Names: a trigram index, so LIKE '%part%' does not scan every record. pg_trgm ships
-- with PostgreSQL and is a trusted extension (PostgreSQL 13+): a database owner may
-- create it; otherwise ask the DBA to run CREATE EXTENSION pg_trgm first.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX young_people_search_name_trgm ON young_people USING gin (search_name gin_trgm_ops);
-- Who waits for a personal adviser in a team, longest first.
CREATE INDEX allocations_waiting ON allocations (team_id, from_date) WHERE to_date IS NULL AND personal_adviser_id IS NULL;
