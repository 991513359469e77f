-- Pathway plan content and lifecycle: the content of each version as JSON (the
-- statutory dimensions, each with the young person's words, needs and actions), who
-- submitted and signed it off, the manager's comments, and the young person's agreement.
ALTER TABLE pathway_plans ADD COLUMN content TEXT NOT NULL DEFAULT '';
ALTER TABLE pathway_plans ADD COLUMN submitted_by INTEGER REFERENCES staff (id);
ALTER TABLE pathway_plans ADD COLUMN submitted_at TEXT;
ALTER TABLE pathway_plans ADD COLUMN signed_off_by INTEGER REFERENCES staff (id);
ALTER TABLE pathway_plans ADD COLUMN signed_off_at TEXT;
ALTER TABLE pathway_plans ADD COLUMN manager_comments TEXT;
ALTER TABLE pathway_plans ADD COLUMN agreed_on TEXT;
ALTER TABLE pathway_plans ADD COLUMN agreement_method TEXT;
ALTER TABLE pathway_plans ADD COLUMN updated_at TEXT;
