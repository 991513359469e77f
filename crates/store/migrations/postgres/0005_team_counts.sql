-- Caseload sizes per personal adviser in a team, counted from one index.
CREATE INDEX allocations_team_adviser ON allocations (team_id, personal_adviser_id) WHERE to_date IS NULL;
