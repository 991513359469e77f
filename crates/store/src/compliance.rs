//! Everything the compliance rules read, for a whole caseload, team or council at
//! once: one query per kind of fact, never one per young person.

use crate::StoreError;
use crate::practice::{ActivityRow, StayRow};
use crate::{Result, Store, with_pool};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::{Date as SqlDate, Timestamp as SqlTimestamp, ToSqlx};
use pathways_domain::care::Episode;
use pathways_domain::codes::{LegalStatus, ReasonEpisodeEnded};
use pathways_domain::living::{AccommodationStay, ActivitySpell};
use pathways_domain::people::KeyDocumentKind;
use std::collections::HashMap;

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
#[derive(Debug, Clone, Default)]
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

/// The same query for each scope: `$1` is the adviser or team id (ignored for
/// everyone); `$id` is the column holding the young person's id.
macro_rules! scoped {
    ($scope:expr, $id:literal, $tail:literal, $($select:tt)+) => {
        match $scope {
            ComplianceScope::Adviser(_) => concat!(
                $($select)+,
                " JOIN allocations a ON a.young_person_id = ",
                $id,
                " AND a.to_date IS NULL WHERE a.personal_adviser_id = $1 ",
                $tail
            ),
            ComplianceScope::Team(_) => concat!(
                $($select)+,
                " JOIN allocations a ON a.young_person_id = ",
                $id,
                " AND a.to_date IS NULL WHERE a.team_id = $1 ",
                $tail
            ),
            ComplianceScope::YoungPerson(_) => concat!(
                $($select)+,
                " LEFT JOIN allocations a ON a.young_person_id = ",
                $id,
                " AND a.to_date IS NULL WHERE ",
                $id,
                " = $1 ",
                $tail
            ),
            // Everyone: no join needed (the people query adds its own).
            ComplianceScope::Everyone => concat!($($select)+, " WHERE $1 = $1 ", $tail),
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
        "SELECT y.id, y.legal_given_name, y.legal_family_name, y.preferred_name, y.date_of_birth, y.died_on,
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
    pub async fn practice_facts(
        &self,
        scope: ComplianceScope,
        contacts_since: Timestamp,
    ) -> Result<Vec<PracticeFacts>> {
        let key = scope.key();
        let people_sql = match scope {
            ComplianceScope::Everyone => concat!(
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
        let mut by_id: HashMap<i64, PracticeFacts> = people
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
                (p.id, facts)
            })
            .collect();
        for row in episodes {
            let (id, episode) = row.into_domain()?;
            if let Some(f) = by_id.get_mut(&id) {
                f.episodes.push(episode);
            }
        }
        for (id, at) in contacts {
            by_id.entry(id).and_modify(|f| f.contacts.push(at.to_jiff()));
        }
        for row in stays {
            let id = row.young_person_id;
            let stay = row.into_domain()?;
            by_id.entry(id).and_modify(|f| f.accommodation.push(stay));
        }
        for row in activities {
            let id = row.young_person_id;
            let spell = row.into_domain()?;
            by_id.entry(id).and_modify(|f| f.activity = Some(spell));
        }
        Ok(by_id.into_values().collect())
    }
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
