-- What compliance reads about each young person, kept as one row per person so a
-- whole council's compliance is a single read (docs/decisions.md). Every change to
-- what a summary holds bumps young_people.practice_version in the same
-- transaction; a summary with an older version is stale and is worked out again
-- on the next read, so a summary can be late but never wrong.
ALTER TABLE young_people ADD COLUMN practice_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE practice_summaries (
    young_person_id BIGINT PRIMARY KEY REFERENCES young_people (id) ON DELETE CASCADE,
    practice_version BIGINT NOT NULL,
    facts TEXT NOT NULL
);
