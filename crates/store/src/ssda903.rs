//! SSDA903 import and export: young people matched by CHILD id, their Header
//! fields and episodes, and imported OC3 rows; and everything the export reads.
//!
//! An import is one transaction: every young person, episode and OC3 row, each
//! change audited, or nothing. Changes to a young person or their episodes bump
//! `practice_version` (the practice summary goes stale); new people need nothing.

use crate::audit::insert_audit;
use crate::compliance::practice_changed;
use crate::practice::{ActivityRow, StayRow};
use crate::rows::{EpisodeRow, episode_columns, sql_date, sql_opt_date};
use crate::{AuditEntry, Result, Store, StoreError, with_pool};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::{Date as SqlDate, Timestamp as SqlTimestamp, ToSqlx};
use pathways_domain::care::Episode;
use pathways_domain::codes::{Ethnicity, Sex};
use pathways_domain::ids::{ChildId, Upn};
use pathways_domain::living::{AccommodationStay, ActivitySpell};
use std::collections::HashMap;

/// An imported OC3 row's outcome columns, as written in the return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOc3 {
    pub in_touch: String,
    pub activity: String,
    pub accommodation: String,
}

/// A child from an SSDA903 return, as the store keeps them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ssda903Person {
    pub child_id: ChildId,
    pub sex: Sex,
    pub date_of_birth: Date,
    pub ethnicity: Ethnicity,
    pub upn: Option<Upn>,
    /// The return's UPN when it is not a UPN (`UN1`–`UN10`: why there is none).
    pub upn_unknown: Option<String>,
    pub mother: Option<String>,
    pub mc_dob: Option<Date>,
    /// Oldest first. On import these replace the stored episodes starting on or
    /// after the first of them; earlier ones (from earlier years' returns) stay.
    pub episodes: Vec<Episode>,
    pub oc3: Option<StoredOc3>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub children_added: usize,
    pub children_updated: usize,
    pub children_unchanged: usize,
    /// Episodes of children added.
    pub episodes_added: usize,
    /// Episodes written for existing children whose episodes differed.
    pub episodes_replaced: usize,
    pub oc3_added: usize,
    pub oc3_updated: usize,
    pub oc3_unchanged: usize,
}

impl ImportSummary {
    /// Whether the import changed anything.
    pub fn changed_anything(&self) -> bool {
        self.children_added + self.children_updated + self.episodes_replaced + self.oc3_added + self.oc3_updated > 0
    }
}

/// A young person with a CHILD id and everything the export reads about them.
#[derive(Debug, Clone)]
pub struct Ssda903Record {
    pub id: i64,
    pub person: Ssda903Person,
    pub died_on: Option<Date>,
    pub returned_home_on: Option<Date>,
    /// When contact was made (failed attempts excluded).
    pub contacts: Vec<Timestamp>,
    pub accommodation: Vec<AccommodationStay>,
    pub activity: Vec<ActivitySpell>,
}

#[derive(Debug, sqlx::FromRow)]
struct HeaderRow {
    id: i64,
    child_id: String,
    sex: String,
    date_of_birth: SqlDate,
    ethnicity: String,
    upn: Option<String>,
    upn_unknown: Option<String>,
    mother: Option<String>,
    mc_dob: Option<SqlDate>,
    died_on: Option<SqlDate>,
    returned_home_on: Option<SqlDate>,
}

macro_rules! header_columns {
    () => {
        "id, child_id, sex, date_of_birth, ethnicity, upn, upn_unknown, mother, mc_dob, died_on, returned_home_on"
    };
}

#[derive(Debug, sqlx::FromRow)]
struct Oc3Row {
    young_person_id: i64,
    in_touch: String,
    activ: String,
    accom: String,
}

impl HeaderRow {
    fn into_person(self) -> Result<(i64, Ssda903Person, Option<Date>, Option<Date>)> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} {value:?}"));
        let person = Ssda903Person {
            child_id: ChildId::parse(&self.child_id).map_err(|_| corrupt("CHILD id", &self.child_id))?,
            sex: Sex::parse(&self.sex).map_err(|_| corrupt("sex", &self.sex))?,
            date_of_birth: self.date_of_birth.to_jiff(),
            ethnicity: Ethnicity::parse(&self.ethnicity).map_err(|_| corrupt("ethnicity", &self.ethnicity))?,
            upn: match self.upn {
                Some(upn) => Some(Upn::parse(&upn).map_err(|_| corrupt("UPN", &upn))?),
                None => None,
            },
            upn_unknown: self.upn_unknown,
            mother: self.mother,
            mc_dob: self.mc_dob.map(|d| d.to_jiff()),
            episodes: Vec::new(),
            oc3: None,
        };
        Ok((
            self.id,
            person,
            self.died_on.map(|d| d.to_jiff()),
            self.returned_home_on.map(|d| d.to_jiff()),
        ))
    }
}

/// The Header fields an import may change differ.
fn header_differs(stored: &Ssda903Person, new: &Ssda903Person) -> bool {
    (
        stored.sex,
        stored.date_of_birth,
        stored.ethnicity,
        &stored.upn,
        &stored.upn_unknown,
        &stored.mother,
        stored.mc_dob,
    ) != (
        new.sex,
        new.date_of_birth,
        new.ethnicity,
        &new.upn,
        &new.upn_unknown,
        &new.mother,
        new.mc_dob,
    )
}

const INSERT_PERSON: &str = "INSERT INTO young_people (local_id, child_id, upn, upn_unknown, mother, mc_dob, \
     legal_given_name, legal_family_name, date_of_birth, sex, ethnicity, disability, created_at, updated_at, search_name) \
     VALUES ($1, $2, $3, $4, $5, $6, 'CHILD', $2, $7, $8, $9, 'unknown', $10, $10, $11) RETURNING id";

const UPDATE_PERSON: &str = "UPDATE young_people SET upn = $2, upn_unknown = $3, mother = $4, mc_dob = $5, \
     date_of_birth = $6, sex = $7, ethnicity = $8, updated_at = $9, version = version + 1, \
     practice_version = practice_version + 1 WHERE id = $1";

const INSERT_EPISODE: &str = "INSERT INTO care_episodes (young_person_id, start_date, end_date, reason_new, \
     legal_status, category_of_need, placement, placement_provider, reason_ended, reason_place_change, \
     home_postcode, placement_postcode, urn) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

macro_rules! insert_episodes {
    ($tx:expr, $id:expr, $episodes:expr) => {
        for e in $episodes {
            sqlx::query(INSERT_EPISODE)
                .bind($id)
                .bind(sql_date(e.start))
                .bind(sql_opt_date(e.end))
                .bind(e.reason_new.as_deref())
                .bind(e.legal_status.code())
                .bind(e.category_of_need.as_deref())
                .bind(e.placement.as_deref())
                .bind(e.placement_provider.as_deref())
                .bind(e.reason_ended.map(|r| r.code()))
                .bind(e.reason_place_change.as_deref())
                .bind(e.home_postcode.as_deref())
                .bind(e.placement_postcode.as_deref())
                .bind(e.urn.as_deref())
                .execute(&mut *$tx)
                .await?;
        }
    };
}

impl Store {
    /// Imports children from an SSDA903 return in one transaction, matching young
    /// people by CHILD id: new ones are added (named "CHILD" and their id until
    /// someone records their name), existing ones get the return's Header fields and
    /// episodes where they differ, and OC3 rows are kept for the export. Calls
    /// `progress` with the number of children done. Audited as `by` with `why`.
    pub async fn import_ssda903(
        &self,
        people: &[Ssda903Person],
        by: Option<i64>,
        why: &str,
        now: Timestamp,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<ImportSummary> {
        let at = crate::rows::whole_seconds(now).to_sqlx();
        let mut summary = ImportSummary::default();
        let episode_sql = concat!(
            "SELECT ",
            episode_columns!(),
            " FROM care_episodes e WHERE e.young_person_id = $1 ORDER BY e.start_date, e.id"
        );
        let header_sql = concat!("SELECT ", header_columns!(), " FROM young_people WHERE child_id = $1");
        let audit = |action: &str, id: i64, detail: String| AuditEntry {
            staff_id: by,
            action: action.to_owned(),
            young_person_id: Some(id),
            detail,
        };
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (n, new) in people.iter().enumerate() {
                let stored = sqlx::query_as::<_, HeaderRow>(header_sql)
                    .bind(new.child_id.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                let id = match stored {
                    None => {
                        let id: i64 = sqlx::query_scalar(INSERT_PERSON)
                            .bind(format!("pending-{}", new.child_id))
                            .bind(new.child_id.as_str())
                            .bind(new.upn.as_ref().map(|u| u.as_str()))
                            .bind(new.upn_unknown.as_deref())
                            .bind(new.mother.as_deref())
                            .bind(sql_opt_date(new.mc_dob))
                            .bind(sql_date(new.date_of_birth))
                            .bind(new.sex.code())
                            .bind(new.ethnicity.code())
                            .bind(at)
                            .bind(format!("child {}", new.child_id).to_lowercase())
                            .fetch_one(&mut *tx)
                            .await?;
                        sqlx::query("UPDATE young_people SET local_id = 'PW' || CAST(id AS TEXT) WHERE id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        insert_episodes!(tx, id, &new.episodes);
                        summary.children_added += 1;
                        summary.episodes_added += new.episodes.len();
                        insert_audit(&mut *tx, &audit("import_903_create", id, why.to_owned()), at).await?;
                        id
                    }
                    Some(row) => {
                        let (id, person, _, _) = row.into_person()?;
                        let mut changed = false;
                        if header_differs(&person, new) {
                            sqlx::query(UPDATE_PERSON)
                                .bind(id)
                                .bind(new.upn.as_ref().map(|u| u.as_str()))
                                .bind(new.upn_unknown.as_deref())
                                .bind(new.mother.as_deref())
                                .bind(sql_opt_date(new.mc_dob))
                                .bind(sql_date(new.date_of_birth))
                                .bind(new.sex.code())
                                .bind(new.ethnicity.code())
                                .bind(at)
                                .execute(&mut *tx)
                                .await?;
                            insert_audit(&mut *tx, &audit("import_903_update", id, format!("{why}: Header")), at).await?;
                            changed = true;
                        }
                        let rows = sqlx::query_as::<_, EpisodeRow>(episode_sql).bind(id).fetch_all(&mut *tx).await?;
                        let from = new.episodes.iter().map(|e| e.start).min();
                        let mut current = Vec::new();
                        for row in rows {
                            let (_, episode) = row.into_domain()?;
                            if from.is_some_and(|from| episode.start >= from) {
                                current.push(episode);
                            }
                        }
                        if let Some(from) = from.filter(|_| current != new.episodes) {
                            sqlx::query("DELETE FROM care_episodes WHERE young_person_id = $1 AND start_date >= $2")
                                .bind(id)
                                .bind(sql_date(from))
                                .execute(&mut *tx)
                                .await?;
                            insert_episodes!(tx, id, &new.episodes);
                            practice_changed!(&mut *tx, id);
                            let detail = format!("{why}: {} episodes from {from}", new.episodes.len());
                            insert_audit(&mut *tx, &audit("import_903_episodes", id, detail), at).await?;
                            summary.episodes_replaced += new.episodes.len();
                            changed = true;
                        }
                        if changed {
                            summary.children_updated += 1;
                        } else {
                            summary.children_unchanged += 1;
                        }
                        id
                    }
                };
                if let Some(oc3) = &new.oc3 {
                    let stored = sqlx::query_as::<_, Oc3Row>(
                        "SELECT young_person_id, in_touch, activ, accom FROM ssda903_oc3 WHERE young_person_id = $1",
                    )
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let same = stored.as_ref().is_some_and(|s| {
                        (s.in_touch.as_str(), s.activ.as_str(), s.accom.as_str())
                            == (oc3.in_touch.as_str(), oc3.activity.as_str(), oc3.accommodation.as_str())
                    });
                    if same {
                        summary.oc3_unchanged += 1;
                    } else {
                        sqlx::query(
                            "INSERT INTO ssda903_oc3 (young_person_id, in_touch, activ, accom) VALUES ($1, $2, $3, $4)
                             ON CONFLICT (young_person_id) DO UPDATE
                             SET in_touch = excluded.in_touch, activ = excluded.activ, accom = excluded.accom",
                        )
                        .bind(id)
                        .bind(&oc3.in_touch)
                        .bind(&oc3.activity)
                        .bind(&oc3.accommodation)
                        .execute(&mut *tx)
                        .await?;
                        if stored.is_some() {
                            summary.oc3_updated += 1;
                        } else {
                            summary.oc3_added += 1;
                        }
                        insert_audit(&mut *tx, &audit("import_903_oc3", id, why.to_owned()), at).await?;
                    }
                }
                progress(n + 1);
            }
            tx.commit().await?;
        });
        Ok(summary)
    }

    /// Every young person with a CHILD id, by CHILD id, with what the SSDA903
    /// export reads: Header fields, episodes, imported OC3 row, contacts made,
    /// accommodation and activity.
    pub async fn ssda903_records(&self) -> Result<Vec<Ssda903Record>> {
        let people_sql = concat!(
            "SELECT ",
            header_columns!(),
            " FROM young_people WHERE child_id IS NOT NULL ORDER BY child_id"
        );
        let episodes_sql = concat!(
            "SELECT ",
            episode_columns!(),
            " FROM care_episodes e JOIN young_people y ON y.id = e.young_person_id
             WHERE y.child_id IS NOT NULL ORDER BY e.young_person_id, e.start_date, e.id"
        );
        let (people, episodes, oc3, contacts, stays, spells) = with_pool!(self, pool => {
            let people = sqlx::query_as::<_, HeaderRow>(people_sql).fetch_all(pool).await?;
            let episodes = sqlx::query_as::<_, EpisodeRow>(episodes_sql).fetch_all(pool).await?;
            let oc3 = sqlx::query_as::<_, Oc3Row>("SELECT young_person_id, in_touch, activ, accom FROM ssda903_oc3")
                .fetch_all(pool)
                .await?;
            let contacts = sqlx::query_as::<_, (i64, SqlTimestamp)>(
                "SELECT c.young_person_id, c.occurred_at FROM contacts c JOIN young_people y ON y.id = c.young_person_id
                 WHERE y.child_id IS NOT NULL AND c.outcome <> 'failed' ORDER BY c.young_person_id, c.occurred_at",
            )
            .fetch_all(pool)
            .await?;
            let stays = sqlx::query_as::<_, StayRow>(
                "SELECT s.young_person_id, s.start_on, s.end_on, s.kind, s.suitable, s.arranged_by_council, s.address
                 FROM accommodation_stays s JOIN young_people y ON y.id = s.young_person_id
                 WHERE y.child_id IS NOT NULL ORDER BY s.young_person_id, s.start_on, s.id",
            )
            .fetch_all(pool)
            .await?;
            let spells = sqlx::query_as::<_, ActivityRow>(
                "SELECT a.young_person_id, a.start_on, a.end_on, a.activity, a.full_time, a.detail
                 FROM activity_spells a JOIN young_people y ON y.id = a.young_person_id
                 WHERE y.child_id IS NOT NULL ORDER BY a.young_person_id, a.start_on, a.id",
            )
            .fetch_all(pool)
            .await?;
            (people, episodes, oc3, contacts, stays, spells)
        });
        let mut records = Vec::with_capacity(people.len());
        let mut index = HashMap::with_capacity(people.len());
        for row in people {
            let (id, person, died_on, returned_home_on) = row.into_person()?;
            index.insert(id, records.len());
            records.push(Ssda903Record {
                id,
                person,
                died_on,
                returned_home_on,
                contacts: Vec::new(),
                accommodation: Vec::new(),
                activity: Vec::new(),
            });
        }
        let of = |id: i64| index.get(&id).copied();
        for row in episodes {
            let (id, episode) = row.into_domain()?;
            if let Some(i) = of(id) {
                records[i].person.episodes.push(episode);
            }
        }
        for row in oc3 {
            if let Some(i) = of(row.young_person_id) {
                records[i].person.oc3 = Some(StoredOc3 {
                    in_touch: row.in_touch,
                    activity: row.activ,
                    accommodation: row.accom,
                });
            }
        }
        for (id, at) in contacts {
            if let Some(i) = of(id) {
                records[i].contacts.push(at.to_jiff());
            }
        }
        for row in stays {
            let id = row.young_person_id;
            let stay = row.into_domain()?;
            if let Some(i) = of(id) {
                records[i].accommodation.push(stay);
            }
        }
        for row in spells {
            let id = row.young_person_id;
            let spell = row.into_domain()?;
            if let Some(i) = of(id) {
                records[i].activity.push(spell);
            }
        }
        Ok(records)
    }
}
