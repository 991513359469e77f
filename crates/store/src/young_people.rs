//! Young people's records: identity, care history, key documents, risk flags and
//! allocations. Every change is audited in the same transaction.

use crate::audit::insert_audit;
use crate::rows::{
    EpisodeRow, KeyDocumentRow, RiskFlagRow, YoungPersonRow, episode_columns, sql_date, sql_opt_date,
    young_person_columns,
};
use crate::staff::unique_to_conflict;
use crate::{AuditEntry, Result, Store, with_pool};
use jiff::Timestamp;
use jiff_sqlx::{Date as SqlDate, ToSqlx};
use pathways_domain::care::Episode;
use pathways_domain::people::{KeyDocument, RiskFlag, YoungPerson};
use pathways_domain::staff::Allocation;
use std::collections::HashMap;

/// A young person to add, with everything known about them so far.
#[derive(Debug, Clone)]
pub struct NewYoungPerson {
    pub person: YoungPerson,
    pub episodes: Vec<Episode>,
    pub key_documents: Vec<KeyDocument>,
    pub risk_flags: Vec<RiskFlag>,
    pub allocation: Option<Allocation>,
    /// Practice already done, when bringing in a record from elsewhere.
    pub history: PracticeHistory,
}

/// Practice recorded before the record came to Pathways: visits are recorded as
/// made by the allocated personal adviser, and skipped when there is none.
#[derive(Debug, Clone, Default)]
pub struct PracticeHistory {
    pub accommodation: Vec<pathways_domain::living::AccommodationStay>,
    pub activity: Vec<pathways_domain::living::ActivitySpell>,
    pub needs_assessments: Vec<jiff::civil::Date>,
    pub plans: Vec<jiff::civil::Date>,
    pub visits: Vec<Timestamp>,
}

/// A young person's whole record as stored.
#[derive(Debug, Clone)]
pub struct YoungPersonRecord {
    pub id: i64,
    /// Optimistic-locking version: a save must name the version it edited.
    pub version: i64,
    pub person: YoungPerson,
    /// Oldest first.
    pub episodes: Vec<Episode>,
    /// The stored id of each episode, in the same order, for editing one.
    pub episode_ids: Vec<i64>,
    pub key_documents: Vec<KeyDocument>,
    pub risk_flags: Vec<RiskFlag>,
    /// Newest first; the current allocation has no end date.
    pub allocations: Vec<AllocationRecord>,
}

impl YoungPersonRecord {
    pub fn current_allocation(&self) -> Option<&AllocationRecord> {
        self.allocations.iter().find(|a| a.allocation.to.is_none())
    }
}

/// An allocation with the names people read.
#[derive(Debug, Clone)]
pub struct AllocationRecord {
    pub allocation: Allocation,
    pub team_name: String,
    pub personal_adviser_name: Option<String>,
}

/// One young person on a caseload, with what the list needs to show.
#[derive(Debug, Clone)]
pub struct CaseloadRecord {
    pub id: i64,
    pub person: YoungPerson,
    pub episodes: Vec<Episode>,
    pub risk_flags: Vec<RiskFlag>,
}

#[derive(Debug, sqlx::FromRow)]
struct EpisodeWithId {
    #[sqlx(flatten)]
    episode: EpisodeRow,
    id: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct PersonRiskFlagRow {
    young_person_id: i64,
    #[sqlx(flatten)]
    flag: RiskFlagRow,
}

#[derive(Debug, sqlx::FromRow)]
struct AllocationRow {
    team_id: i64,
    team_name: String,
    personal_adviser_id: Option<i64>,
    personal_adviser_name: Option<String>,
    from_date: SqlDate,
    to_date: Option<SqlDate>,
    reason: String,
}

impl AllocationRow {
    fn into_record(self) -> AllocationRecord {
        AllocationRecord {
            allocation: Allocation {
                team_id: self.team_id,
                personal_adviser_id: self.personal_adviser_id,
                from: self.from_date.to_jiff(),
                to: self.to_date.map(|d| d.to_jiff()),
                reason: self.reason,
            },
            team_name: self.team_name,
            personal_adviser_name: self.personal_adviser_name,
        }
    }
}

const INSERT_YOUNG_PERSON: &str = "INSERT INTO young_people (local_id, child_id, upn, nhs_number, ni_number, \
     legal_given_name, legal_family_name, preferred_name, date_of_birth, sex, gender, ethnicity, uasc, disability, \
     phone, email, address, postcode, died_on, returned_home_on, detained_or_in_hospital_on_16th_birthday, version, \
     created_at, updated_at, search_name) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1, $22, $22, $23) \
     RETURNING id";

/// Every name a young person goes by, lower case, for "find a young person".
pub(crate) fn search_name(person: &YoungPerson) -> String {
    let preferred = person.preferred_name.as_deref().unwrap_or("");
    format!("{} {} {preferred}", person.legal_name.given, person.legal_name.family).to_lowercase()
}

/// Binds a young person's columns in the order both the INSERT and the UPDATE
/// list them (local id to detained-on-16th-birthday), after whatever `$query`
/// has bound already.
macro_rules! bind_person {
    ($query:expr, $local_id:expr, $p:expr) => {
        $query
            .bind($local_id)
            .bind($p.child_id.as_ref().map(|c| c.as_str()))
            .bind($p.upn.as_ref().map(|c| c.as_str()))
            .bind($p.nhs_number.as_ref().map(|c| c.as_str()))
            .bind($p.ni_number.as_ref().map(|c| c.as_str()))
            .bind(&$p.legal_name.given)
            .bind(&$p.legal_name.family)
            .bind($p.preferred_name.as_deref())
            .bind(sql_date($p.date_of_birth))
            .bind($p.sex.code())
            .bind($p.gender.as_deref())
            .bind($p.ethnicity.code())
            .bind($p.uasc)
            .bind($p.disability.code())
            .bind($p.contact.phone.as_deref())
            .bind($p.contact.email.as_deref())
            .bind($p.contact.address.as_deref())
            .bind($p.contact.postcode.as_deref())
            .bind(sql_opt_date($p.died_on))
            .bind(sql_opt_date($p.returned_home_on))
            .bind($p.detained_or_in_hospital_on_16th_birthday)
    };
}

/// Inserts one episode on a connection or transaction (the same binds on both backends).
macro_rules! insert_episode {
    ($executor:expr, $young_person_id:expr, $e:expr) => {
        sqlx::query(INSERT_EPISODE)
            .bind($young_person_id)
            .bind(sql_date($e.start))
            .bind(sql_opt_date($e.end))
            .bind($e.reason_new.as_deref())
            .bind($e.legal_status.code())
            .bind($e.category_of_need.as_deref())
            .bind($e.placement.as_deref())
            .bind($e.placement_provider.as_deref())
            .bind($e.reason_ended.map(|r| r.code()))
            .bind($e.reason_place_change.as_deref())
            .bind($e.home_postcode.as_deref())
            .bind($e.placement_postcode.as_deref())
            .bind($e.urn.as_deref())
            .execute($executor)
            .await?
    };
}

const INSERT_EPISODE: &str = "INSERT INTO care_episodes (young_person_id, start_date, end_date, reason_new, \
     legal_status, category_of_need, placement, placement_provider, reason_ended, reason_place_change, \
     home_postcode, placement_postcode, urn) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

impl Store {
    /// Adds young people with their histories in one transaction (all or none),
    /// writing an audit entry for each. Returns their ids in order.
    pub async fn insert_young_people(
        &self,
        people: &[NewYoungPerson],
        by: Option<i64>,
        why: &str,
        now: Timestamp,
    ) -> Result<Vec<i64>> {
        let at = now.to_sqlx();
        let ids = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(people.len());
            for (n, new) in people.iter().enumerate() {
                let p = &new.person;
                // No local id yet: a unique placeholder, replaced by "PW" and the row id below.
                let local_id = if p.local_id.is_empty() { format!("pending-{}-{n}", now.as_nanosecond()) } else { p.local_id.clone() };
                let id: i64 = bind_person!(sqlx::query_scalar(INSERT_YOUNG_PERSON), &local_id, p)
                    .bind(at)
                    .bind(search_name(p))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| unique_to_conflict(e, &format!(
                        "a young person with local id {:?} or CHILD id {:?} already exists",
                        p.local_id,
                        p.child_id.as_ref().map(|c| c.as_str()).unwrap_or("")
                    )))?;
                if p.local_id.is_empty() {
                    sqlx::query("UPDATE young_people SET local_id = 'PW' || CAST(id AS TEXT) WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                for e in &new.episodes {
                    insert_episode!(&mut *tx, id, e);
                }
                for d in &new.key_documents {
                    sqlx::query("INSERT INTO key_documents (young_person_id, kind, held_since) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(d.kind.code())
                        .bind(sql_opt_date(d.held_since))
                        .execute(&mut *tx)
                        .await?;
                }
                for f in &new.risk_flags {
                    sqlx::query("INSERT INTO risk_flags (young_person_id, kind, from_date, to_date) VALUES ($1, $2, $3, $4)")
                        .bind(id)
                        .bind(f.kind.code())
                        .bind(sql_date(f.from))
                        .bind(sql_opt_date(f.to))
                        .execute(&mut *tx)
                        .await?;
                }
                if let Some(a) = &new.allocation {
                    sqlx::query(
                        "INSERT INTO allocations (young_person_id, team_id, personal_adviser_id, from_date, to_date, reason)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(id)
                    .bind(a.team_id)
                    .bind(a.personal_adviser_id)
                    .bind(sql_date(a.from))
                    .bind(sql_opt_date(a.to))
                    .bind(&a.reason)
                    .execute(&mut *tx)
                    .await?;
                }
                let h = &new.history;
                let recorder = new.allocation.as_ref().and_then(|a| a.personal_adviser_id).or(by);
                if let Some(recorder) = recorder {
                    for stay in &h.accommodation {
                        sqlx::query(
                            "INSERT INTO accommodation_stays (young_person_id, start_on, end_on, kind, suitable, arranged_by_council,
                                 address, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                        )
                        .bind(id).bind(sql_date(stay.start)).bind(sql_opt_date(stay.end)).bind(stay.kind.code())
                        .bind(stay.suitable).bind(stay.arranged_by_council).bind(stay.address.as_deref()).bind(recorder).bind(at)
                        .execute(&mut *tx).await?;
                    }
                    for spell in &h.activity {
                        sqlx::query(
                            "INSERT INTO activity_spells (young_person_id, start_on, end_on, activity, full_time, detail,
                                 recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        )
                        .bind(id).bind(sql_date(spell.start)).bind(sql_opt_date(spell.end)).bind(spell.activity.code())
                        .bind(spell.full_time).bind(spell.detail.as_deref()).bind(recorder).bind(at)
                        .execute(&mut *tx).await?;
                    }
                    for on in &h.needs_assessments {
                        sqlx::query(
                            "INSERT INTO needs_assessments (young_person_id, completed_on, summary, recorded_by, recorded_at)
                             VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(id).bind(sql_date(*on)).bind("Recorded before Pathways.").bind(recorder).bind(at)
                        .execute(&mut *tx).await?;
                    }
                    for (n, on) in h.plans.iter().enumerate() {
                        let status = if n + 1 == h.plans.len() { "active" } else { "superseded" };
                        sqlx::query(
                            "INSERT INTO pathway_plans (young_person_id, plan_version, status, active_from, created_by, created_at)
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(id).bind(n as i64 + 1).bind(status).bind(sql_date(*on)).bind(recorder).bind(at)
                        .execute(&mut *tx).await?;
                    }
                    for visit in &h.visits {
                        sqlx::query(
                            "INSERT INTO contacts (young_person_id, occurred_at, contact_type, outcome, seen_alone, location, present,
                                 summary, statutory_visit, recorded_by, recorded_at)
                             VALUES ($1, $2, 'home_visit', 'seen', TRUE, NULL, NULL, 'Statutory visit.', TRUE, $3, $4)",
                        )
                        .bind(id).bind(crate::rows::whole_seconds(*visit).to_sqlx()).bind(recorder).bind(at)
                        .execute(&mut *tx).await?;
                    }
                }
                let entry = AuditEntry { staff_id: by, action: "create_young_person".into(), young_person_id: Some(id), detail: why.to_owned() };
                insert_audit(&mut *tx, &entry, at).await?;
                ids.push(id);
            }
            tx.commit().await?;
            ids
        });
        Ok(ids)
    }

    /// A young person's whole record, or `None` when there is no such id.
    pub async fn young_person(&self, id: i64) -> Result<Option<YoungPersonRecord>> {
        let person_sql = concat!(
            "SELECT ",
            young_person_columns!(),
            " FROM young_people y WHERE y.id = $1"
        );
        let episode_sql = concat!(
            "SELECT ",
            episode_columns!(),
            ", e.id FROM care_episodes e WHERE e.young_person_id = $1 ORDER BY e.start_date, e.id"
        );
        let (person, episodes, documents, flags, allocations) = with_pool!(self, pool => {
            let Some(person) = sqlx::query_as::<_, YoungPersonRow>(person_sql).bind(id).fetch_optional(pool).await? else {
                return Ok(None);
            };
            let episodes = sqlx::query_as::<_, EpisodeWithId>(episode_sql).bind(id).fetch_all(pool).await?;
            let documents = sqlx::query_as::<_, KeyDocumentRow>(
                "SELECT kind, held_since FROM key_documents WHERE young_person_id = $1 ORDER BY kind",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let flags = sqlx::query_as::<_, RiskFlagRow>(
                "SELECT kind, from_date, to_date FROM risk_flags WHERE young_person_id = $1 ORDER BY from_date DESC, id DESC",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let allocations = sqlx::query_as::<_, AllocationRow>(
                "SELECT a.team_id, t.name AS team_name, a.personal_adviser_id, s.display_name AS personal_adviser_name,
                        a.from_date, a.to_date, a.reason
                 FROM allocations a JOIN teams t ON t.id = a.team_id LEFT JOIN staff s ON s.id = a.personal_adviser_id
                 WHERE a.young_person_id = $1 ORDER BY a.from_date DESC, a.id DESC",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            (person, episodes, documents, flags, allocations)
        });
        let (id, version, person) = person.into_domain()?;
        Ok(Some(YoungPersonRecord {
            id,
            version,
            person,
            episode_ids: episodes.iter().map(|e| e.id).collect(),
            episodes: episodes
                .into_iter()
                .map(|e| e.episode.into_domain().map(|(_, e)| e))
                .collect::<Result<_>>()?,
            key_documents: documents
                .into_iter()
                .map(KeyDocumentRow::into_domain)
                .collect::<Result<_>>()?,
            risk_flags: flags.into_iter().map(RiskFlagRow::into_domain).collect::<Result<_>>()?,
            allocations: allocations.into_iter().map(AllocationRow::into_record).collect(),
        }))
    }

    /// The team a young person is allocated to now and their personal adviser, if any:
    /// what access checks need, without loading the record. A closed record (after a
    /// death) stays with the team that held it last, with no personal adviser.
    pub async fn current_allocation(&self, young_person_id: i64) -> Result<Option<(i64, Option<i64>)>> {
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, (i64, Option<i64>)>(
                "SELECT team_id, CASE WHEN to_date IS NULL THEN personal_adviser_id END FROM allocations
                 WHERE young_person_id = $1
                 ORDER BY (to_date IS NULL) DESC, from_date DESC, id DESC LIMIT 1",
            )
            .bind(young_person_id)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row)
    }

    /// Records a death: the date on the record and the end of the current
    /// allocation, if nobody saved the record since `expected_version`.
    pub async fn record_death(
        &self,
        id: i64,
        expected_version: i64,
        died_on: jiff::civil::Date,
        by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let at = crate::rows::whole_seconds(now).to_sqlx();
        let day = sql_date(died_on);
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE young_people SET died_on = $2, version = version + 1, practice_version = practice_version + 1, updated_at = $4
                 WHERE id = $1 AND version = $3",
            )
            .bind(id)
            .bind(day)
            .bind(expected_version)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(crate::StoreError::Conflict(
                    "Someone else changed this record while you were recording this: check the record and try again".into(),
                ));
            }
            sqlx::query(
                "UPDATE allocations SET to_date = CASE WHEN from_date > $2 THEN from_date ELSE $2 END
                 WHERE young_person_id = $1 AND to_date IS NULL",
            )
            .bind(id)
            .bind(day)
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "record_death".into(),
                young_person_id: Some(id),
                detail: format!("died on {died_on}; allocation ended"),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Whether a young person with this id exists.
    pub async fn young_person_exists(&self, id: i64) -> Result<bool> {
        let found = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("SELECT id FROM young_people WHERE id = $1").bind(id).fetch_optional(pool).await
        })?;
        Ok(found.is_some())
    }

    /// The young people currently allocated to a personal adviser, by family name,
    /// a page at a time.
    pub async fn caseload(&self, personal_adviser_id: i64, limit: i64, offset: i64) -> Result<Vec<CaseloadRecord>> {
        let people_sql = concat!(
            "SELECT ",
            young_person_columns!(),
            " FROM young_people y JOIN allocations a ON a.young_person_id = y.id
             WHERE a.personal_adviser_id = $1 AND a.to_date IS NULL
             ORDER BY y.legal_family_name, y.legal_given_name, y.id LIMIT $2 OFFSET $3"
        );
        // Episodes and flags of the same page of people only, never the whole caseload.
        let episodes_sql = concat!(
            "SELECT ",
            episode_columns!(),
            " FROM care_episodes e WHERE e.young_person_id IN (
                 SELECT y.id FROM young_people y JOIN allocations a ON a.young_person_id = y.id
                 WHERE a.personal_adviser_id = $1 AND a.to_date IS NULL
                 ORDER BY y.legal_family_name, y.legal_given_name, y.id LIMIT $2 OFFSET $3)
             ORDER BY e.young_person_id, e.start_date, e.id"
        );
        let flags_sql = "SELECT f.young_person_id, f.kind, f.from_date, f.to_date FROM risk_flags f
             WHERE f.young_person_id IN (
                 SELECT y.id FROM young_people y JOIN allocations a ON a.young_person_id = y.id
                 WHERE a.personal_adviser_id = $1 AND a.to_date IS NULL
                 ORDER BY y.legal_family_name, y.legal_given_name, y.id LIMIT $2 OFFSET $3)
             ORDER BY f.young_person_id, f.from_date";
        let (people, episodes, flags) = with_pool!(self, pool => {
            let people = sqlx::query_as::<_, YoungPersonRow>(people_sql)
                .bind(personal_adviser_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            let episodes = sqlx::query_as::<_, EpisodeRow>(episodes_sql)
                .bind(personal_adviser_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            let flags = sqlx::query_as::<_, PersonRiskFlagRow>(flags_sql)
                .bind(personal_adviser_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await?;
            (people, episodes, flags)
        });
        let mut by_person: HashMap<i64, Vec<Episode>> = HashMap::new();
        for row in episodes {
            let (id, episode) = row.into_domain()?;
            by_person.entry(id).or_default().push(episode);
        }
        let mut flags_by_person: HashMap<i64, Vec<RiskFlag>> = HashMap::new();
        for row in flags {
            flags_by_person
                .entry(row.young_person_id)
                .or_default()
                .push(row.flag.into_domain()?);
        }
        people
            .into_iter()
            .map(|row| {
                let (id, _, person) = row.into_domain()?;
                Ok(CaseloadRecord {
                    id,
                    person,
                    episodes: by_person.remove(&id).unwrap_or_default(),
                    risk_flags: flags_by_person.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    pub async fn count_young_people(&self) -> Result<i64> {
        let n = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM young_people").fetch_one(pool).await
        })?;
        Ok(n)
    }
}

impl Store {
    /// Saves changes to a young person's identity and contact details, if nobody
    /// saved a newer version since `expected_version` was read (optimistic locking).
    /// Returns the new version.
    pub async fn update_young_person(
        &self,
        id: i64,
        expected_version: i64,
        person: &YoungPerson,
        by: i64,
        now: Timestamp,
    ) -> Result<i64> {
        let at = now.to_sqlx();
        let p = person;
        let new_version = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let update = sqlx::query(
                "UPDATE young_people SET local_id = $3, child_id = $4, upn = $5, nhs_number = $6, ni_number = $7,
                     legal_given_name = $8, legal_family_name = $9, preferred_name = $10, date_of_birth = $11, sex = $12,
                     gender = $13, ethnicity = $14, uasc = $15, disability = $16, phone = $17, email = $18, address = $19,
                     postcode = $20, died_on = $21, returned_home_on = $22, detained_or_in_hospital_on_16th_birthday = $23,
                     search_name = $24, updated_at = $25, version = version + 1, practice_version = practice_version + 1
                 WHERE id = $1 AND version = $2",
            )
            .bind(id)
            .bind(expected_version);
            let updated = bind_person!(update, &p.local_id, p)
            .bind(search_name(p))
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| unique_to_conflict(e, "another young person already has this local id or CHILD id"))?;
            if updated.rows_affected() == 0 {
                return Err(crate::StoreError::Conflict(
                    "Someone else saved changes to this record while you were editing it".into(),
                ));
            }
            let entry = AuditEntry { staff_id: Some(by), action: "update_young_person".into(), young_person_id: Some(id), detail: "details".into() };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
            expected_version + 1
        });
        Ok(new_version)
    }

    /// Adds an episode of care, audited, and bumps the record's version.
    pub async fn insert_episode(&self, young_person_id: i64, episode: &Episode, by: i64, now: Timestamp) -> Result<()> {
        let at = now.to_sqlx();
        let e = episode;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            insert_episode!(&mut *tx, young_person_id, e);
            sqlx::query("UPDATE young_people SET version = version + 1, practice_version = practice_version + 1, updated_at = $2 WHERE id = $1")
                .bind(young_person_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            let entry = AuditEntry { staff_id: Some(by), action: "add_episode".into(), young_person_id: Some(young_person_id), detail: format!("episode from {}", e.start) };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Young people born on `date_of_birth`, for the duplicate check when adding one.
    pub async fn born_on(
        &self,
        date_of_birth: jiff::civil::Date,
        limit: i64,
    ) -> Result<Vec<(i64, YoungPerson, Option<i64>)>> {
        let sql = concat!(
            "SELECT ",
            young_person_columns!(),
            ", a.team_id FROM young_people y
             LEFT JOIN allocations a ON a.young_person_id = y.id AND a.to_date IS NULL
             WHERE y.date_of_birth = $1 ORDER BY y.id LIMIT $2"
        );
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, BornOnRow>(sql).bind(sql_date(date_of_birth)).bind(limit).fetch_all(pool).await
        })?;
        rows.into_iter()
            .map(|row| {
                let (id, _, person) = row.person.into_domain()?;
                Ok((id, person, row.team_id))
            })
            .collect()
    }
}

#[derive(Debug, sqlx::FromRow)]
struct BornOnRow {
    #[sqlx(flatten)]
    person: YoungPersonRow,
    team_id: Option<i64>,
}

impl Store {
    /// Replaces one episode of care, if the record is still at `expected_version`
    /// (optimistic locking on the whole record), audited in the same transaction.
    pub async fn update_episode(
        &self,
        young_person_id: i64,
        episode_id: i64,
        expected_version: i64,
        e: &Episode,
        by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let at = now.to_sqlx();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let bumped = sqlx::query("UPDATE young_people SET version = version + 1, practice_version = practice_version + 1, updated_at = $3 WHERE id = $1 AND version = $2")
                .bind(young_person_id)
                .bind(expected_version)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            if bumped.rows_affected() == 0 {
                return Err(crate::StoreError::Conflict(
                    "Someone else saved changes to this record while you were editing it".into(),
                ));
            }
            let updated = sqlx::query(
                "UPDATE care_episodes SET start_date = $3, end_date = $4, legal_status = $5, placement = $6, reason_ended = $7
                 WHERE id = $1 AND young_person_id = $2",
            )
            .bind(episode_id)
            .bind(young_person_id)
            .bind(sql_date(e.start))
            .bind(sql_opt_date(e.end))
            .bind(e.legal_status.code())
            .bind(e.placement.as_deref())
            .bind(e.reason_ended.map(|r| r.code()))
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(crate::StoreError::Conflict("That episode of care no longer exists".into()));
            }
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "update_episode".into(),
                young_person_id: Some(young_person_id),
                detail: format!("episode {episode_id}"),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
