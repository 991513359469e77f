//! Everything the compliance rules read, for a whole caseload, team or council at
//! once: one query per kind of fact, never one per young person.

use crate::practice::{ActivityRow, StayRow};
use crate::rows::{EpisodeRow, episode_columns};
use crate::{Result, Store, with_pool};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::{Date as SqlDate, Timestamp as SqlTimestamp, ToSqlx};
use pathways_domain::care::Episode;
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
    pub needs_assessments: Vec<Date>,
    pub plans: Vec<Date>,
    /// Times of statutory visits (the caller turns them into London dates).
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
            ComplianceScope::Everyone => concat!(
                $($select)+,
                " LEFT JOIN allocations a ON a.young_person_id = ",
                $id,
                " AND a.to_date IS NULL WHERE $1 = $1 ",
                $tail
            ),
        }
    };
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
        let people_sql = scoped!(
            scope,
            "y.id",
            "",
            "SELECT y.id, y.legal_given_name, y.legal_family_name, y.preferred_name, y.date_of_birth, y.died_on,
                    y.returned_home_on, y.detained_or_in_hospital_on_16th_birthday, a.team_id, a.personal_adviser_id
             FROM young_people y"
        );
        let episodes_sql = scoped!(
            scope,
            "e.young_person_id",
            "ORDER BY e.young_person_id, e.start_date, e.id",
            concat!("SELECT ", episode_columns!(), " FROM care_episodes e")
        );
        let assessments_sql = scoped!(
            scope,
            "n.young_person_id",
            "",
            "SELECT n.young_person_id, n.completed_on FROM needs_assessments n"
        );
        let plans_sql = scoped!(
            scope,
            "p.young_person_id",
            "AND p.active_from IS NOT NULL",
            "SELECT p.young_person_id, p.active_from FROM pathway_plans p"
        );
        let visits_sql = scoped!(
            scope,
            "c.young_person_id",
            "AND c.statutory_visit GROUP BY c.young_person_id",
            "SELECT c.young_person_id, MAX(c.occurred_at) FROM contacts c"
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
            "ORDER BY s.young_person_id, s.start_on",
            "SELECT s.young_person_id, s.start_on, s.end_on, s.kind, s.suitable, s.arranged_by_council, s.address
             FROM accommodation_stays s"
        );
        let activity_sql = scoped!(
            scope,
            "v.young_person_id",
            "AND v.end_on IS NULL",
            "SELECT v.young_person_id, v.start_on, v.end_on, v.activity, v.full_time, v.detail FROM activity_spells v"
        );
        let documents_sql = scoped!(
            scope,
            "k.young_person_id",
            "AND k.held_since IS NOT NULL",
            "SELECT k.young_person_id, k.kind FROM key_documents k"
        );
        let since = contacts_since.to_sqlx();
        let (people, episodes, assessments, plans, visits, contacts, stays, activities, documents) = with_pool!(self, pool => {
            let people = sqlx::query_as::<_, PersonRow>(people_sql).bind(key).fetch_all(pool).await?;
            let episodes = sqlx::query_as::<_, EpisodeRow>(episodes_sql).bind(key).fetch_all(pool).await?;
            let assessments: Vec<(i64, SqlDate)> = sqlx::query_as(assessments_sql).bind(key).fetch_all(pool).await?;
            let plans: Vec<(i64, SqlDate)> = sqlx::query_as(plans_sql).bind(key).fetch_all(pool).await?;
            let visits: Vec<(i64, SqlTimestamp)> = sqlx::query_as(visits_sql).bind(key).fetch_all(pool).await?;
            let contacts: Vec<(i64, SqlTimestamp)> =
                sqlx::query_as(contacts_sql).bind(key).bind(since).fetch_all(pool).await?;
            let stays = sqlx::query_as::<_, StayRow>(stays_sql).bind(key).fetch_all(pool).await?;
            let activities = sqlx::query_as::<_, ActivityRow>(activity_sql).bind(key).fetch_all(pool).await?;
            let documents: Vec<(i64, String)> = sqlx::query_as(documents_sql).bind(key).fetch_all(pool).await?;
            (people, episodes, assessments, plans, visits, contacts, stays, activities, documents)
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
        for (id, on) in assessments {
            by_id.entry(id).and_modify(|f| f.needs_assessments.push(on.to_jiff()));
        }
        for (id, on) in plans {
            by_id.entry(id).and_modify(|f| f.plans.push(on.to_jiff()));
        }
        for (id, at) in visits {
            by_id.entry(id).and_modify(|f| f.visits.push(at.to_jiff()));
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
        for (id, kind) in documents {
            if let Some(kind) = KeyDocumentKind::parse(&kind) {
                by_id.entry(id).and_modify(|f| f.key_documents_held.push(kind));
            }
        }
        Ok(by_id.into_values().collect())
    }
}
