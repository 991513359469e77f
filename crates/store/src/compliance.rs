//! Everything the compliance rules read, for a whole caseload, team or council at
//! once: one query per kind of fact, never one per young person.
//!
//! For a team or the whole council, the facts come from `practice_summaries`:
//! one row per young person holding what the rules read, so 100,000 young people
//! are one read. Every change to those facts bumps `young_people.practice_version`
//! in its own transaction ([`practice_changed!`]); a summary older than its young
//! person's version is worked out again from the tables before it is used.

use crate::StoreError;
use crate::practice::{ActivityRow, StayRow};
use crate::{Result, Store, with_pool};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::{Date as SqlDate, Timestamp as SqlTimestamp, ToSqlx};
use pathways_domain::care::Episode;
use pathways_domain::codes::{LegalStatus, ReasonEpisodeEnded};
use pathways_domain::living::{AccommodationStay, AccommodationType, Activity, ActivitySpell};
use pathways_domain::people::KeyDocumentKind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Marks a young person's practice summary stale. Call it in the same transaction
/// as any change to what [`PracticeFacts`] holds (but for allocations and contacts
/// other than statutory visits, which are read fresh).
macro_rules! practice_changed {
    ($tx:expr, $id:expr) => {
        sqlx::query("UPDATE young_people SET practice_version = practice_version + 1 WHERE id = $1")
            .bind($id)
            .execute($tx)
            .await?
    };
}
pub(crate) use practice_changed;

/// Whose young people to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplianceScope {
    /// Currently allocated to this personal adviser.
    Adviser(i64),
    /// Currently allocated to this team.
    Team(i64),
    /// Every young person, allocated or not.
    Everyone,
    /// One young person.
    YoungPerson(i64),
}

impl ComplianceScope {
    fn key(self) -> i64 {
        match self {
            ComplianceScope::Adviser(id) | ComplianceScope::Team(id) | ComplianceScope::YoungPerson(id) => id,
            ComplianceScope::Everyone => 0,
        }
    }
}

/// The facts about one young person that compliance and the caseload columns need.
/// The practice summary holds all but the id, allocation and recent contacts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PracticeFacts {
    pub young_person_id: i64,
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: Option<String>,
    pub date_of_birth: Option<Date>,
    pub died_on: Option<Date>,
    pub returned_home_on: Option<Date>,
    pub detained_or_in_hospital_on_16th_birthday: bool,
    pub team_id: Option<i64>,
    pub personal_adviser_id: Option<i64>,
    pub episodes: Vec<Episode>,
    /// The latest needs assessment, plan and statutory visit (the rules need no
    /// more, and none of them can be dated in the future).
    pub needs_assessments: Vec<Date>,
    pub plans: Vec<Date>,
    /// As times (the caller turns them into London dates).
    pub visits: Vec<Timestamp>,
    /// Times contact was made since the `contacts_since` asked for.
    pub contacts: Vec<Timestamp>,
    pub accommodation: Vec<AccommodationStay>,
    /// The current activity, if recorded.
    pub activity: Option<ActivitySpell>,
    pub key_documents_held: Vec<KeyDocumentKind>,
}

/// A practice summary as stored: short keys and tuples, nothing blank written, so
/// 100,000 of them read and parse quickly (a few hundred bytes each).
#[derive(Debug, Serialize, Deserialize)]
struct Summary {
    #[serde(rename = "g")]
    given_name: String,
    #[serde(rename = "f")]
    family_name: String,
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    preferred_name: Option<String>,
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    date_of_birth: Option<Date>,
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    died_on: Option<Date>,
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    returned_home_on: Option<Date>,
    #[serde(rename = "h", default, skip_serializing_if = "is_false")]
    detained_or_in_hospital_on_16th_birthday: bool,
    /// (start, end, legal status, reason ended)
    #[serde(rename = "e", default, skip_serializing_if = "Vec::is_empty")]
    episodes: Vec<(Date, Option<Date>, LegalStatus, Option<ReasonEpisodeEnded>)>,
    #[serde(rename = "n", default, skip_serializing_if = "Vec::is_empty")]
    needs_assessments: Vec<Date>,
    #[serde(rename = "l", default, skip_serializing_if = "Vec::is_empty")]
    plans: Vec<Date>,
    #[serde(rename = "v", default, skip_serializing_if = "Vec::is_empty")]
    visits: Vec<Timestamp>,
    /// (start, end, kind, suitable, arranged by the council, address)
    #[serde(rename = "a", default, skip_serializing_if = "Vec::is_empty")]
    accommodation: Vec<StayTuple>,
    /// (start, end, activity, full time, detail)
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    activity: Option<ActivityTuple>,
    #[serde(rename = "k", default, skip_serializing_if = "Vec::is_empty")]
    key_documents_held: Vec<KeyDocumentKind>,
}

type StayTuple = (Date, Option<Date>, AccommodationType, bool, bool, Option<String>);
type ActivityTuple = (Date, Option<Date>, Activity, bool, Option<String>);

fn is_false(b: &bool) -> bool {
    !*b
}

impl Summary {
    fn of(f: &PracticeFacts) -> Summary {
        Summary {
            given_name: f.given_name.clone(),
            family_name: f.family_name.clone(),
            preferred_name: f.preferred_name.clone(),
            date_of_birth: f.date_of_birth,
            died_on: f.died_on,
            returned_home_on: f.returned_home_on,
            detained_or_in_hospital_on_16th_birthday: f.detained_or_in_hospital_on_16th_birthday,
            episodes: f
                .episodes
                .iter()
                .map(|e| (e.start, e.end, e.legal_status, e.reason_ended))
                .collect(),
            needs_assessments: f.needs_assessments.clone(),
            plans: f.plans.clone(),
            visits: f.visits.clone(),
            accommodation: f
                .accommodation
                .iter()
                .map(|a| {
                    (
                        a.start,
                        a.end,
                        a.kind,
                        a.suitable,
                        a.arranged_by_council,
                        a.address.clone(),
                    )
                })
                .collect(),
            activity: f
                .activity
                .as_ref()
                .map(|a| (a.start, a.end, a.activity, a.full_time, a.detail.clone())),
            key_documents_held: f.key_documents_held.clone(),
        }
    }

    fn into_facts(self, young_person_id: i64, team_id: Option<i64>, personal_adviser_id: Option<i64>) -> PracticeFacts {
        let stay = |(start, end, kind, suitable, arranged_by_council, address): StayTuple| AccommodationStay {
            start,
            end,
            kind,
            suitable,
            arranged_by_council,
            address,
        };
        PracticeFacts {
            young_person_id,
            given_name: self.given_name,
            family_name: self.family_name,
            preferred_name: self.preferred_name,
            date_of_birth: self.date_of_birth,
            died_on: self.died_on,
            returned_home_on: self.returned_home_on,
            detained_or_in_hospital_on_16th_birthday: self.detained_or_in_hospital_on_16th_birthday,
            team_id,
            personal_adviser_id,
            episodes: self
                .episodes
                .into_iter()
                .map(|(start, end, status, reason)| Episode {
                    reason_ended: reason,
                    ..Episode::new(start, end, status)
                })
                .collect(),
            needs_assessments: self.needs_assessments,
            plans: self.plans,
            visits: self.visits,
            contacts: Vec::new(),
            accommodation: self.accommodation.into_iter().map(stay).collect(),
            activity: self
                .activity
                .map(|(start, end, activity, full_time, detail)| ActivitySpell {
                    start,
                    end,
                    activity,
                    full_time,
                    detail,
                }),
            key_documents_held: self.key_documents_held,
        }
    }
}

/// Whose facts to read straight from the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selection {
    Scope(ComplianceScope),
    /// Young people whose practice summary is missing or stale.
    StaleSummary,
}

/// The same query for each selection: `$1` is the adviser or team id (ignored for
/// everyone); `$id` is the column holding the young person's id.
macro_rules! scoped {
    ($scope:expr, $id:literal, $tail:literal, $($select:tt)+) => {
        match $scope {
            Selection::StaleSummary => concat!(
                $($select)+,
                " LEFT JOIN allocations a ON a.young_person_id = ",
                $id,
                " AND a.to_date IS NULL WHERE $1 = $1 AND ",
                $id,
                " IN (SELECT y2.id FROM young_people y2 LEFT JOIN practice_summaries s2 ON s2.young_person_id = y2.id
                      WHERE s2.practice_version IS NULL OR s2.practice_version <> y2.practice_version) ",
                $tail
            ),
            Selection::Scope(ComplianceScope::Adviser(_)) => concat!(
                $($select)+,
                " JOIN allocations a ON a.young_person_id = ",
                $id,
                " AND a.to_date IS NULL WHERE a.personal_adviser_id = $1 ",
                $tail
            ),
            Selection::Scope(ComplianceScope::Team(_)) => concat!(
                $($select)+,
                " JOIN allocations a ON a.young_person_id = ",
                $id,
                " AND a.to_date IS NULL WHERE a.team_id = $1 ",
                $tail
            ),
            Selection::Scope(ComplianceScope::YoungPerson(_)) => concat!(
                $($select)+,
                " LEFT JOIN allocations a ON a.young_person_id = ",
                $id,
                " AND a.to_date IS NULL WHERE ",
                $id,
                " = $1 ",
                $tail
            ),
            // Everyone: no join needed (the people query adds its own).
            Selection::Scope(ComplianceScope::Everyone) => concat!($($select)+, " WHERE $1 = $1 ", $tail),
        }
    };
}

/// The part of a care episode the legal category engine reads.
#[derive(Debug, sqlx::FromRow)]
struct SpellRow {
    young_person_id: i64,
    start_date: SqlDate,
    end_date: Option<SqlDate>,
    legal_status: String,
    reason_ended: Option<String>,
}

impl SpellRow {
    fn into_domain(self) -> Result<(i64, Episode)> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} {value:?}"));
        let status = LegalStatus::parse(&self.legal_status).map_err(|_| corrupt("legal status", &self.legal_status))?;
        let mut episode = Episode::new(self.start_date.to_jiff(), self.end_date.map(|d| d.to_jiff()), status);
        episode.reason_ended = match self.reason_ended {
            Some(r) => Some(ReasonEpisodeEnded::parse(&r).map_err(|_| corrupt("reason episode ended", &r))?),
            None => None,
        };
        Ok((self.young_person_id, episode))
    }
}

#[derive(Debug, sqlx::FromRow)]
struct PersonRow {
    id: i64,
    practice_version: i64,
    legal_given_name: String,
    legal_family_name: String,
    preferred_name: Option<String>,
    date_of_birth: SqlDate,
    died_on: Option<SqlDate>,
    returned_home_on: Option<SqlDate>,
    detained_or_in_hospital_on_16th_birthday: bool,
    team_id: Option<i64>,
    personal_adviser_id: Option<i64>,
    assessed_on: Option<SqlDate>,
    planned_on: Option<SqlDate>,
    visited_at: Option<SqlTimestamp>,
    documents: Option<i64>,
}

/// One row per young person, with the latest needs assessment, plan and statutory
/// visit and the key documents held folded in: fewer rows are faster on both
/// databases. Only the latest date of each matters (none can be in the future).
macro_rules! person_columns {
    () => {
        "SELECT y.id, y.practice_version, y.legal_given_name, y.legal_family_name, y.preferred_name, y.date_of_birth, y.died_on,
                y.returned_home_on, y.detained_or_in_hospital_on_16th_birthday, a.team_id, a.personal_adviser_id,
                (SELECT MAX(n.completed_on) FROM needs_assessments n WHERE n.young_person_id = y.id) AS assessed_on,
                (SELECT MAX(p.active_from) FROM pathway_plans p
                 WHERE p.young_person_id = y.id AND p.active_from IS NOT NULL) AS planned_on,
                (SELECT MAX(c.occurred_at) FROM contacts c
                 WHERE c.young_person_id = y.id AND c.statutory_visit) AS visited_at,
                (SELECT SUM(CASE k.kind WHEN 'national_insurance_number' THEN 1 WHEN 'birth_certificate' THEN 2
                                        WHEN 'passport_or_id' THEN 4 WHEN 'bank_account' THEN 8 ELSE 0 END)
                 FROM key_documents k WHERE k.young_person_id = y.id AND k.held_since IS NOT NULL) AS documents
         FROM young_people y"
    };
}

/// The key documents in a bit set made by `person_columns!`.
fn held(bits: i64) -> Vec<KeyDocumentKind> {
    [
        (1, KeyDocumentKind::NationalInsuranceNumber),
        (2, KeyDocumentKind::BirthCertificate),
        (4, KeyDocumentKind::PassportOrId),
        (8, KeyDocumentKind::BankAccount),
    ]
    .into_iter()
    .filter(|(bit, _)| bits & bit != 0)
    .map(|(_, kind)| kind)
    .collect()
}

impl Store {
    /// The practice facts of every young person in `scope`, with contacts made since
    /// `contacts_since` (enough for the in-touch windows), in no particular order.
    /// A team or the whole council is read from the practice summaries.
    pub async fn practice_facts(
        &self,
        scope: ComplianceScope,
        contacts_since: Timestamp,
    ) -> Result<Vec<PracticeFacts>> {
        match scope {
            ComplianceScope::Team(_) | ComplianceScope::Everyone => self.summarised_facts(scope, contacts_since).await,
            ComplianceScope::Adviser(_) | ComplianceScope::YoungPerson(_) => Ok(self
                .direct_facts(Selection::Scope(scope), contacts_since)
                .await?
                .into_iter()
                .map(|(facts, _)| facts)
                .collect()),
        }
    }

    /// The same facts as [`Store::practice_facts`], always read from the tables
    /// (for checking the summaries).
    pub async fn practice_facts_from_tables(
        &self,
        scope: ComplianceScope,
        contacts_since: Timestamp,
    ) -> Result<Vec<PracticeFacts>> {
        let facts = self.direct_facts(Selection::Scope(scope), contacts_since).await?;
        Ok(facts.into_iter().map(|(facts, _)| facts).collect())
    }

    /// Works out every missing or stale practice summary and saves it. Returns how
    /// many were written.
    pub async fn refresh_practice_summaries(&self) -> Result<usize> {
        let fresh = self.direct_facts(Selection::StaleSummary, Timestamp::MAX).await?;
        self.save_summaries(&fresh).await?;
        Ok(fresh.len())
    }

    async fn save_summaries(&self, fresh: &[(PracticeFacts, i64)]) -> Result<()> {
        let rows = fresh
            .iter()
            .map(|(facts, version)| {
                let json = serde_json::to_string(&Summary::of(facts))
                    .map_err(|e| StoreError::Corrupt(format!("practice summary: {e}")))?;
                Ok((facts.young_person_id, *version, json))
            })
            .collect::<Result<Vec<_>>>()?;
        // A summary is only ever replaced by one worked out from a later version.
        let sql: &str = "INSERT INTO practice_summaries (young_person_id, practice_version, facts) VALUES ($1, $2, $3)
                   ON CONFLICT (young_person_id) DO UPDATE SET practice_version = excluded.practice_version,
                       facts = excluded.facts
                   WHERE excluded.practice_version > practice_summaries.practice_version";
        for chunk in rows.chunks(2_000) {
            match self {
                Store::Sqlite(pool) => {
                    let mut tx = pool.begin().await?;
                    for (id, version, json) in chunk {
                        sqlx::query(sql)
                            .bind(id)
                            .bind(version)
                            .bind(json)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                }
                // One statement per chunk: a round trip per row is slow over a network.
                Store::Postgres(pool) => {
                    let ids: Vec<i64> = chunk.iter().map(|r| r.0).collect();
                    let versions: Vec<i64> = chunk.iter().map(|r| r.1).collect();
                    let facts: Vec<&str> = chunk.iter().map(|r| r.2.as_str()).collect();
                    sqlx::query(
                        "INSERT INTO practice_summaries (young_person_id, practice_version, facts)
                         SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::TEXT[])
                         ON CONFLICT (young_person_id) DO UPDATE SET practice_version = excluded.practice_version,
                             facts = excluded.facts
                         WHERE excluded.practice_version > practice_summaries.practice_version",
                    )
                    .bind(ids)
                    .bind(versions)
                    .bind(facts)
                    .execute(pool)
                    .await?;
                }
            }
        }
        Ok(())
    }

    /// A team's or the council's facts from the summaries; stale ones are worked
    /// out again from the tables and saved.
    async fn summarised_facts(&self, scope: ComplianceScope, contacts_since: Timestamp) -> Result<Vec<PracticeFacts>> {
        let key = scope.key();
        // Everyone in scope; the summary only when it is current.
        let summaries_sql = match scope {
            ComplianceScope::Team(_) => {
                "SELECT y.id, CASE WHEN s.practice_version = y.practice_version THEN s.facts END, a.team_id,
                        a.personal_adviser_id
                 FROM allocations a JOIN young_people y ON y.id = a.young_person_id
                 LEFT JOIN practice_summaries s ON s.young_person_id = y.id
                 WHERE a.to_date IS NULL AND a.team_id = $1"
            }
            _ => {
                "SELECT y.id, CASE WHEN s.practice_version = y.practice_version THEN s.facts END, a.team_id,
                        a.personal_adviser_id
                 FROM young_people y LEFT JOIN practice_summaries s ON s.young_person_id = y.id
                 LEFT JOIN allocations a ON a.young_person_id = y.id AND a.to_date IS NULL WHERE $1 = $1"
            }
        };
        let contacts_sql = scoped!(
            Selection::Scope(scope),
            "c.young_person_id",
            "AND c.occurred_at >= $2 AND c.outcome <> 'failed'",
            "SELECT c.young_person_id, c.occurred_at FROM contacts c"
        );
        let since = contacts_since.to_sqlx();
        let (rows, contacts) = with_pool!(self, pool => {
            tokio::try_join!(
                sqlx::query_as::<_, SummaryRow>(summaries_sql).bind(key).fetch_all(pool),
                sqlx::query_as::<_, (i64, SqlTimestamp)>(contacts_sql).bind(key).bind(since).fetch_all(pool),
            )?
        });
        let (mut all, stale) = read_summaries(&rows)?;
        if !stale.is_empty() {
            all.extend(self.worked_out_again(&stale, contacts_since).await?);
        }
        let mut by_id: HashMap<i64, usize> = HashMap::with_capacity(all.len());
        for (i, f) in all.iter_mut().enumerate() {
            f.contacts.clear();
            by_id.insert(f.young_person_id, i);
        }
        for (id, at) in contacts {
            if let Some(&i) = by_id.get(&id) {
                all[i].contacts.push(at.to_jiff());
            }
        }
        Ok(all)
    }

    /// Facts for the young people in `stale` (id, team, adviser) from the tables;
    /// saves every stale summary found on the way.
    async fn worked_out_again(
        &self,
        stale: &[(i64, Option<i64>, Option<i64>)],
        contacts_since: Timestamp,
    ) -> Result<Vec<PracticeFacts>> {
        let found = if stale.len() <= 20 {
            let mut found = Vec::new();
            for &(id, _, _) in stale {
                found.extend(
                    self.direct_facts(Selection::Scope(ComplianceScope::YoungPerson(id)), contacts_since)
                        .await?,
                );
            }
            found
        } else {
            self.direct_facts(Selection::StaleSummary, contacts_since).await?
        };
        self.save_summaries(&found).await?;
        let mut by_id: HashMap<i64, PracticeFacts> = found
            .into_iter()
            .map(|(facts, _)| (facts.young_person_id, facts))
            .collect();
        let mut out = Vec::with_capacity(stale.len());
        for &(id, team, pa) in stale {
            // Brought up to date by someone else meanwhile: read it on its own.
            let facts = match by_id.remove(&id) {
                Some(facts) => Some(facts),
                None => self
                    .direct_facts(Selection::Scope(ComplianceScope::YoungPerson(id)), contacts_since)
                    .await?
                    .pop()
                    .map(|(facts, _)| facts),
            };
            if let Some(mut facts) = facts {
                facts.team_id = team;
                facts.personal_adviser_id = pa;
                out.push(facts);
            }
        }
        Ok(out)
    }

    /// Facts straight from the tables, each with the practice version they were
    /// read at (read before everything else, so the facts are at least that new).
    async fn direct_facts(&self, selection: Selection, contacts_since: Timestamp) -> Result<Vec<(PracticeFacts, i64)>> {
        let scope = selection;
        let key = match selection {
            Selection::Scope(scope) => scope.key(),
            Selection::StaleSummary => 0,
        };
        let people_sql = match scope {
            Selection::Scope(ComplianceScope::Everyone) => concat!(
                person_columns!(),
                " LEFT JOIN allocations a ON a.young_person_id = y.id AND a.to_date IS NULL WHERE $1 = $1"
            ),
            _ => scoped!(scope, "y.id", "", person_columns!()),
        };
        // Only what the legal category engine reads.
        let episodes_sql = scoped!(
            scope,
            "e.young_person_id",
            // No order: the engine sorts each young person's spells itself.
            "",
            "SELECT e.young_person_id, e.start_date, e.end_date, e.legal_status, e.reason_ended FROM care_episodes e"
        );
        let contacts_sql = scoped!(
            scope,
            "c.young_person_id",
            "AND c.occurred_at >= $2 AND c.outcome <> 'failed'",
            "SELECT c.young_person_id, c.occurred_at FROM contacts c"
        );
        let stays_sql = scoped!(
            scope,
            "s.young_person_id",
            "",
            "SELECT s.young_person_id, s.start_on, s.end_on, s.kind, s.suitable, s.arranged_by_council, s.address
             FROM accommodation_stays s"
        );
        let activity_sql = scoped!(
            scope,
            "v.young_person_id",
            "AND v.end_on IS NULL",
            "SELECT v.young_person_id, v.start_on, v.end_on, v.activity, v.full_time, v.detail FROM activity_spells v"
        );
        let since = contacts_since.to_sqlx();
        let (people, episodes, contacts, stays, activities) = with_pool!(self, pool => {
            let people = sqlx::query_as::<_, PersonRow>(people_sql).bind(key).fetch_all(pool).await?;
            // Independent reads: run together, each on its own connection.
            let (episodes, contacts, stays, activities) = tokio::try_join!(
                sqlx::query_as::<_, SpellRow>(episodes_sql).bind(key).fetch_all(pool),
                sqlx::query_as::<_, (i64, SqlTimestamp)>(contacts_sql).bind(key).bind(since).fetch_all(pool),
                sqlx::query_as::<_, StayRow>(stays_sql).bind(key).fetch_all(pool),
                sqlx::query_as::<_, ActivityRow>(activity_sql).bind(key).fetch_all(pool),
            )?;
            (people, episodes, contacts, stays, activities)
        });
        let mut by_id: HashMap<i64, (PracticeFacts, i64)> = people
            .into_iter()
            .map(|p| {
                let facts = PracticeFacts {
                    young_person_id: p.id,
                    given_name: p.legal_given_name,
                    family_name: p.legal_family_name,
                    preferred_name: p.preferred_name,
                    date_of_birth: Some(p.date_of_birth.to_jiff()),
                    died_on: p.died_on.map(|d| d.to_jiff()),
                    returned_home_on: p.returned_home_on.map(|d| d.to_jiff()),
                    detained_or_in_hospital_on_16th_birthday: p.detained_or_in_hospital_on_16th_birthday,
                    team_id: p.team_id,
                    personal_adviser_id: p.personal_adviser_id,
                    needs_assessments: p.assessed_on.map(|d| d.to_jiff()).into_iter().collect(),
                    plans: p.planned_on.map(|d| d.to_jiff()).into_iter().collect(),
                    visits: p.visited_at.map(|t| t.to_jiff()).into_iter().collect(),
                    key_documents_held: held(p.documents.unwrap_or(0)),
                    ..PracticeFacts::default()
                };
                (p.id, (facts, p.practice_version))
            })
            .collect();
        for row in episodes {
            let (id, episode) = row.into_domain()?;
            if let Some((f, _)) = by_id.get_mut(&id) {
                f.episodes.push(episode);
            }
        }
        for (id, at) in contacts {
            by_id.entry(id).and_modify(|(f, _)| f.contacts.push(at.to_jiff()));
        }
        for row in stays {
            let id = row.young_person_id;
            let stay = row.into_domain()?;
            by_id.entry(id).and_modify(|(f, _)| f.accommodation.push(stay));
        }
        for row in activities {
            let id = row.young_person_id;
            let spell = row.into_domain()?;
            by_id.entry(id).and_modify(|(f, _)| f.activity = Some(spell));
        }
        Ok(by_id.into_values().collect())
    }
}

/// A young person in scope: id, current summary if any, team and adviser.
type SummaryRow = (i64, Option<String>, Option<i64>, Option<i64>);

/// Parses the summaries on every core; returns the facts, and the young people
/// (id, team, adviser) whose summary is missing or stale.
#[allow(clippy::type_complexity)]
fn read_summaries(rows: &[SummaryRow]) -> Result<(Vec<PracticeFacts>, Vec<(i64, Option<i64>, Option<i64>)>)> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = rows.len().div_ceil(workers).max(1);
    let parsed: Vec<Result<Vec<PracticeFacts>>> = std::thread::scope(|threads| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|part| {
                threads.spawn(move || {
                    part.iter()
                        .filter_map(|(id, json, team, pa)| {
                            let json = json.as_ref()?;
                            Some(
                                serde_json::from_str::<Summary>(json)
                                    .map(|summary| summary.into_facts(*id, *team, *pa))
                                    .map_err(|e| StoreError::Corrupt(format!("practice summary of {id}: {e}"))),
                            )
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(StoreError::Corrupt("reading practice summaries".into())))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(rows.len());
    for part in parsed {
        all.extend(part?);
    }
    let stale = rows
        .iter()
        .filter(|(_, json, _, _)| json.is_none())
        .map(|(id, _, team, pa)| (*id, *team, *pa))
        .collect();
    Ok((all, stale))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_document_has_a_bit() {
        assert_eq!(held(15), KeyDocumentKind::ALL.to_vec());
        assert_eq!(held(0), Vec::new());
        assert_eq!(
            held(2 | 8),
            vec![KeyDocumentKind::BirthCertificate, KeyDocumentKind::BankAccount]
        );
    }
}
