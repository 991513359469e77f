-- The needs a needs assessment found in each dimension (JSON object keyed by
-- dimension code); assessments recorded before this hold only their summary.
ALTER TABLE needs_assessments ADD COLUMN needs TEXT NOT NULL DEFAULT '{}';
