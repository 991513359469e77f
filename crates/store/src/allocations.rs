//! Teams' caseloads, unallocated young people, and allocating them (with history).

use crate::audit::insert_audit;
use crate::rows::{EpisodeRow, YoungPersonRow, episode_columns, sql_date, young_person_columns};
use crate::{AuditEntry, Result, Store, StoreError, with_pool};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::{Date as SqlDate, ToSqlx};
use pathways_domain::care::Episode;
use pathways_domain::people::YoungPerson;
use std::collections::HashMap;

/// A personal adviser in a team and how many young people they have now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdviserCaseload {
    pub staff_id: i64,
    pub name: String,
    pub active: bool,
    pub young_people: i64,
}

/// A young person waiting for a personal adviser (or, outside any team, for a team).
#[derive(Debug, Clone)]
pub struct UnallocatedRecord {
    pub id: i64,
    pub person: YoungPerson,
    pub team_name: Option<String>,
    /// Since when they have waited (the current allocation's start), if in a team.
    pub since: Option<Date>,
    pub episodes: Vec<Episode>,
}

#[derive(Debug, sqlx::FromRow)]
struct UnallocatedRow {
    #[sqlx(flatten)]
    person: YoungPersonRow,
    team_name: Option<String>,
    since: Option<SqlDate>,
}

/// A change of allocation to make.
#[derive(Debug, Clone)]
pub struct Reallocation {
    pub young_person_id: i64,
    pub team_id: i64,
    pub personal_adviser_id: Option<i64>,
    pub on: Date,
    pub reason: String,
    /// The member of staff making the change.
    pub by: i64,
}

impl Store {
    /// The personal advisers of a team with their current caseload sizes, by name.
    pub async fn team_caseloads(&self, team_id: i64) -> Result<Vec<AdviserCaseload>> {
        let rows: Vec<(i64, String, bool, i64)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT s.id, s.display_name, s.active, COALESCE(c.n, 0)
                 FROM staff s LEFT JOIN (
                     SELECT personal_adviser_id, COUNT(*) AS n FROM allocations
                     WHERE team_id = $1 AND to_date IS NULL AND personal_adviser_id IS NOT NULL
                     GROUP BY personal_adviser_id
                 ) c ON c.personal_adviser_id = s.id
                 WHERE s.team_id = $1 AND s.role = 'personal_adviser'
                 ORDER BY s.display_name, s.id",
            )
            .bind(team_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(staff_id, name, active, young_people)| AdviserCaseload {
                staff_id,
                name,
                active,
                young_people,
            })
            .collect())
    }

    /// Young people in `team` with no personal adviser, longest waiting first; with
    /// `None`, young people allocated to no team at all.
    pub async fn unallocated(&self, team: Option<i64>, limit: i64, offset: i64) -> Result<Vec<UnallocatedRecord>> {
        let in_team = concat!(
            "SELECT ",
            young_person_columns!(),
            ", t.name AS team_name, a.from_date AS since
             FROM young_people y JOIN allocations a ON a.young_person_id = y.id AND a.to_date IS NULL
             JOIN teams t ON t.id = a.team_id
             WHERE a.team_id = $1 AND a.personal_adviser_id IS NULL
             ORDER BY a.from_date, y.id LIMIT $2 OFFSET $3"
        );
        let no_team = concat!(
            "SELECT ",
            young_person_columns!(),
            ", NULL AS team_name, NULL AS since
             FROM young_people y
             WHERE NOT EXISTS (SELECT 1 FROM allocations a WHERE a.young_person_id = y.id AND a.to_date IS NULL)
               AND y.died_on IS NULL AND $1 IS NULL
             ORDER BY y.legal_family_name, y.id LIMIT $2 OFFSET $3"
        );
        // Episodes of the same page of people only.
        let in_team_episodes = concat!(
            "SELECT ",
            episode_columns!(),
            " FROM care_episodes e WHERE e.young_person_id IN (
                 SELECT y.id FROM young_people y JOIN allocations a ON a.young_person_id = y.id AND a.to_date IS NULL
                 WHERE a.team_id = $1 AND a.personal_adviser_id IS NULL
                 ORDER BY a.from_date, y.id LIMIT $2 OFFSET $3)
             ORDER BY e.young_person_id, e.start_date, e.id"
        );
        let no_team_episodes = concat!(
            "SELECT ",
            episode_columns!(),
            " FROM care_episodes e WHERE e.young_person_id IN (
                 SELECT y.id FROM young_people y
                 WHERE NOT EXISTS (SELECT 1 FROM allocations a WHERE a.young_person_id = y.id AND a.to_date IS NULL)
                   AND y.died_on IS NULL AND $1 IS NULL
                 ORDER BY y.legal_family_name, y.id LIMIT $2 OFFSET $3)
             ORDER BY e.young_person_id, e.start_date, e.id"
        );
        let (sql, episodes_sql) = if team.is_some() {
            (in_team, in_team_episodes)
        } else {
            (no_team, no_team_episodes)
        };
        let (rows, episodes) = with_pool!(self, pool => {
            let rows = sqlx::query_as::<_, UnallocatedRow>(sql).bind(team).bind(limit).bind(offset).fetch_all(pool).await?;
            let episodes = sqlx::query_as::<_, EpisodeRow>(episodes_sql)
                .bind(team)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            (rows, episodes)
        });
        let mut by_person: HashMap<i64, Vec<Episode>> = HashMap::new();
        for row in episodes {
            let (id, episode) = row.into_domain()?;
            by_person.entry(id).or_default().push(episode);
        }
        rows.into_iter()
            .map(|row| {
                let (id, _, person) = row.person.into_domain()?;
                Ok(UnallocatedRecord {
                    id,
                    person,
                    team_name: row.team_name,
                    since: row.since.map(|d| d.to_jiff()),
                    episodes: by_person.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// How many wait, as for [`Store::unallocated`].
    pub async fn count_unallocated(&self, team: Option<i64>) -> Result<i64> {
        let n = with_pool!(self, pool => {
            match team {
                Some(team) => sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM allocations WHERE team_id = $1 AND to_date IS NULL AND personal_adviser_id IS NULL",
                )
                .bind(team)
                .fetch_one(pool)
                .await,
                None => sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM young_people y WHERE y.died_on IS NULL AND NOT EXISTS
                     (SELECT 1 FROM allocations a WHERE a.young_person_id = y.id AND a.to_date IS NULL)",
                )
                .fetch_one(pool)
                .await,
            }
        })?;
        Ok(n)
    }

    /// Ends the current allocation on `on` and starts the new one, keeping the
    /// history, in one transaction with its audit entry. Refused if the young
    /// person's allocation changed since `expected` was read (someone else
    /// allocated them first).
    pub async fn reallocate(
        &self,
        change: &Reallocation,
        expected: Option<(i64, Option<i64>)>,
        now: Timestamp,
    ) -> Result<()> {
        let at = now.to_sqlx();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let current: Option<(i64, Option<i64>)> = sqlx::query_as(
                "SELECT team_id, personal_adviser_id FROM allocations WHERE young_person_id = $1 AND to_date IS NULL
                 ORDER BY from_date DESC, id DESC LIMIT 1",
            )
            .bind(change.young_person_id)
            .fetch_optional(&mut *tx)
            .await?;
            if current != expected {
                return Err(StoreError::Conflict(
                    "Someone else changed this young person's allocation while you were choosing: check it and try again".into(),
                ));
            }
            sqlx::query("UPDATE allocations SET to_date = $2 WHERE young_person_id = $1 AND to_date IS NULL")
                .bind(change.young_person_id)
                .bind(sql_date(change.on))
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO allocations (young_person_id, team_id, personal_adviser_id, from_date, to_date, reason)
                 VALUES ($1, $2, $3, $4, NULL, $5)",
            )
            .bind(change.young_person_id)
            .bind(change.team_id)
            .bind(change.personal_adviser_id)
            .bind(sql_date(change.on))
            .bind(&change.reason)
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(change.by),
                action: "allocate".into(),
                young_person_id: Some(change.young_person_id),
                detail: format!(
                    "team {} adviser {}",
                    change.team_id,
                    change.personal_adviser_id.map_or_else(|| "none".to_owned(), |id| id.to_string())
                ),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
