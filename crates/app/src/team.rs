//! A team manager's view of their team, and allocating young people to personal
//! advisers (with a reason, keeping the history).

use crate::access::{Placement, can_read};
use crate::clock::Clock;
use crate::young_person::placement_of;
use crate::{AppError, FormError, Result};
use jiff::civil::Date;
use pathways_domain::dates::age_on;
use pathways_domain::legal::{Determination, LegalRules, legal_category};
use pathways_domain::staff::{Role, StaffMember, Team};
use pathways_store::{AdviserCaseload, AuditEntry, Reallocation, Store, StoreError};

/// How many unallocated young people the team page lists at once.
pub const UNALLOCATED_PAGE: i64 = 100;

/// The team a member of staff may look at: their own for a team manager, any for
/// roles that see every team; none for others.
pub fn may_view_team(staff: &StaffMember, team_id: i64) -> bool {
    staff.active
        && match staff.role {
            Role::TeamManager => staff.team_id == Some(team_id),
            Role::ServiceManager | Role::PerformanceOfficer | Role::Auditor => true,
            Role::PersonalAdviser | Role::Administrator => false,
        }
}

/// Whether `staff` may move a young person from `current` to `team_id`: a service
/// manager anywhere; a team manager within their own team, or into it from no team.
pub fn may_allocate(staff: &StaffMember, current: Option<Placement>, team_id: i64) -> bool {
    staff.active
        && match staff.role {
            Role::ServiceManager => true,
            Role::TeamManager => {
                let own = staff.team_id;
                own == Some(team_id) && current.is_none_or(|c| Some(c.team_id) == own)
            }
            _ => false,
        }
}

/// One young person waiting for a personal adviser.
#[derive(Debug, Clone)]
pub struct WaitingYoungPerson {
    pub id: i64,
    pub name: String,
    pub date_of_birth: Date,
    pub age: i16,
    pub category: Determination,
    pub waiting_since: Option<Date>,
}

#[derive(Debug, Clone)]
pub struct TeamView {
    pub team: Team,
    /// Teams the member of staff may switch to (more than one for service-wide roles).
    pub teams: Vec<Team>,
    pub advisers: Vec<AdviserCaseload>,
    /// Per adviser: (young people with something overdue, overdue items).
    pub overdue: std::collections::HashMap<i64, (usize, usize)>,
    /// When the overdue counts were worked out.
    pub overdue_as_at: jiff::Timestamp,
    pub unallocated: Vec<WaitingYoungPerson>,
    pub unallocated_total: i64,
    pub may_allocate: bool,
}

/// The team page: each adviser's caseload size and who is waiting. `team_id`
/// defaults to the member of staff's own team, or the first team.
pub async fn team_view(
    store: &Store,
    clock: &dyn Clock,
    rules: &LegalRules,
    compliance: &pathways_domain::compliance::ComplianceRules,
    overdue_counts: &crate::compliance::OverdueCounts,
    staff: &StaffMember,
    team_id: Option<i64>,
) -> Result<TeamView> {
    let teams = store.teams().await?;
    let team_id = team_id
        .or(staff.team_id)
        .or(teams.first().map(|t| t.id))
        .ok_or(AppError::NotFound)?;
    let team = teams
        .iter()
        .find(|t| t.id == team_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if !may_view_team(staff, team_id) {
        return Err(AppError::NotFound);
    }
    let today = clock.today();
    let mut unallocated = Vec::new();
    for waiting in store.unallocated(Some(team_id), UNALLOCATED_PAGE, 0).await? {
        unallocated.push(WaitingYoungPerson {
            id: waiting.id,
            name: waiting.person.display_name(),
            date_of_birth: waiting.person.date_of_birth,
            age: age_on(waiting.person.date_of_birth, today, rules.leap_day_birthday),
            category: legal_category(&waiting.person.leaving_care_facts(&waiting.episodes), today, rules),
            waiting_since: waiting.since,
        });
    }
    let visible_teams = teams.into_iter().filter(|t| may_view_team(staff, t.id)).collect();
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "view_team".into(),
        young_person_id: None,
        detail: format!("team {team_id}"),
    };
    store.record_audit(&entry, clock.now()).await?;
    let (overdue_as_at, overdue) = overdue_counts
        .for_team(store, clock, rules, compliance, team_id)
        .await?;
    Ok(TeamView {
        advisers: store.team_caseloads(team_id).await?,
        overdue,
        overdue_as_at,
        unallocated_total: store.count_unallocated(Some(team_id)).await?,
        may_allocate: may_allocate(
            staff,
            Some(Placement {
                team_id,
                personal_adviser_id: None,
            }),
            team_id,
        ),
        team,
        teams: visible_teams,
        unallocated,
    })
}

/// What the allocation form offers.
#[derive(Debug, Clone)]
pub struct AllocationChoices {
    pub young_person_name: String,
    pub current: Option<Placement>,
    /// Teams the young person may be moved to, each with its personal advisers.
    pub teams: Vec<(Team, Vec<AdviserCaseload>)>,
}

/// The choices for allocating one young person; not found unless `staff` may
/// allocate them somewhere.
pub async fn allocation_choices(store: &Store, staff: &StaffMember, young_person_id: i64) -> Result<AllocationChoices> {
    let current = placement_of(store, young_person_id).await?;
    let record = store.young_person(young_person_id).await?.ok_or(AppError::NotFound)?;
    if !(can_read(staff, current) || current.is_none() && staff.role == Role::TeamManager) {
        return Err(AppError::NotFound);
    }
    let mut teams = Vec::new();
    for team in store.teams().await? {
        if may_allocate(staff, current, team.id) {
            let advisers = store
                .team_caseloads(team.id)
                .await?
                .into_iter()
                .filter(|a| a.active)
                .collect();
            teams.push((team, advisers));
        }
    }
    if teams.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(AllocationChoices {
        young_person_name: record.person.display_name(),
        current,
        teams,
    })
}

/// A request to allocate, as the form sent it.
#[derive(Debug, Clone)]
pub struct AllocationRequest {
    pub team_id: i64,
    pub personal_adviser_id: Option<i64>,
    pub reason: String,
    /// The allocation the form was shown with, to refuse a stale change.
    pub expected: Option<Placement>,
}

/// Longest reason kept.
pub const MAX_REASON: usize = 500;

/// Allocates a young person to a team and (optionally) a personal adviser.
pub async fn allocate(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    young_person_id: i64,
    request: &AllocationRequest,
) -> Result<(), FormError> {
    let choices = allocation_choices(store, staff, young_person_id).await?;
    let mut errors = Vec::new();
    let team = choices.teams.iter().find(|(t, _)| t.id == request.team_id);
    match (team, request.personal_adviser_id) {
        (None, _) => errors.push(("team", "Select a team you can allocate to".to_owned())),
        (Some((_, advisers)), Some(pa)) if !advisers.iter().any(|a| a.staff_id == pa) => {
            errors.push(("adviser", "Select a personal adviser in the team".to_owned()));
        }
        _ => {}
    }
    let reason = request.reason.trim();
    if reason.is_empty() {
        errors.push(("reason", "Enter the reason for the allocation".to_owned()));
    } else if reason.chars().count() > MAX_REASON {
        errors.push(("reason", format!("Reason must be {MAX_REASON} characters or fewer")));
    }
    if !errors.is_empty() {
        return Err(FormError::Invalid(errors));
    }
    let change = Reallocation {
        young_person_id,
        team_id: request.team_id,
        personal_adviser_id: request.personal_adviser_id,
        on: clock.today(),
        reason: reason.to_owned(),
        by: staff.id,
    };
    let expected = request.expected.map(|p| (p.team_id, p.personal_adviser_id));
    store
        .reallocate(&change, expected, clock.now())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(message) => FormError::Conflict(message),
            other => FormError::Store(other),
        })
}
