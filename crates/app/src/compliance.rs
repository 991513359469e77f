//! Compliance for a caseload, a team or the whole council: what is due and overdue
//! for each young person, task lists, and the percentages managers are judged on.
//! The rules themselves are in `pathways_domain::compliance`.

use crate::clock::{Clock, london};
use crate::team::may_view_team;
use crate::{AppError, Result};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use pathways_domain::compliance::{ComplianceFacts, ComplianceRules, DueItem, DueStatus, Measure, due_items};
use pathways_domain::legal::{Determination, LegalCategory, LegalRules, eligible_since, legal_category};
use pathways_domain::living::{AccommodationStay, ActivitySpell, MANY_MOVES, current_on, moves_in_12_months};
use pathways_domain::staff::{Role, StaffMember};
use pathways_store::{AuditEntry, ComplianceScope, PracticeFacts, Store, TaskRecord};
use std::collections::HashMap;

pub use crate::practice::complete_task_as;

/// One young person's position as at today.
#[derive(Debug, Clone)]
pub struct PersonCompliance {
    pub young_person_id: i64,
    pub name: String,
    pub personal_adviser_id: Option<i64>,
    pub category: Determination,
    /// Everything due, soonest first, done items last.
    pub items: Vec<DueItem>,
    pub accommodation: Option<AccommodationStay>,
    pub activity: Option<ActivitySpell>,
    pub moves_in_12_months: usize,
}

impl PersonCompliance {
    pub fn overdue(&self) -> usize {
        self.items.iter().filter(|i| i.status == DueStatus::Overdue).count()
    }

    /// The first thing still to do.
    pub fn next_due(&self) -> Option<&DueItem> {
        pathways_domain::compliance::next_due(&self.items)
    }

    /// Three or more moves in 12 months: the monthly audit list.
    pub fn many_moves(&self) -> bool {
        self.moves_in_12_months >= MANY_MOVES
    }
}

/// The day a young person stopped being looked after, if they are not now.
fn left_care_on(facts: &PracticeFacts, today: Date) -> Option<Date> {
    let counted = facts.episodes.iter().filter(|e| !e.legal_status.is_short_break());
    let mut ends = Vec::new();
    for e in counted {
        match e.end {
            Some(end) if end <= today => ends.push(end),
            _ => return None,
        }
    }
    ends.into_iter().max()
}

fn date_in_london(at: Timestamp) -> Date {
    at.to_zoned(london()).date()
}

/// Applies the rules to one young person's facts.
pub fn assess(facts: &PracticeFacts, today: Date, legal: &LegalRules, rules: &ComplianceRules) -> PersonCompliance {
    let given = facts.preferred_name.as_deref().unwrap_or(&facts.given_name);
    let name = format!("{given} {}", facts.family_name);
    let dob = facts.date_of_birth.unwrap_or(today);
    let leaving = pathways_domain::legal::LeavingCareFacts {
        date_of_birth: dob,
        episodes: &facts.episodes,
        died_on: facts.died_on,
        returned_home_on: facts.returned_home_on,
        detained_or_in_hospital_on_16th_birthday: facts.detained_or_in_hospital_on_16th_birthday,
    };
    let category = legal_category(&leaving, today, legal);
    let visits: Vec<Date> = facts.visits.iter().map(|at| date_in_london(*at)).collect();
    let contacts: Vec<Date> = facts.contacts.iter().map(|at| date_in_london(*at)).collect();
    let mut stays = facts.accommodation.clone();
    stays.sort_by_key(|s| s.start);
    // Every stay after the first is a move into new accommodation.
    let moves: Vec<(Date, bool)> = stays.iter().skip(1).map(|s| (s.start, s.arranged_by_council)).collect();
    let compliance_facts = ComplianceFacts {
        date_of_birth: dob,
        category: category.category,
        // Only the needs assessment's due date uses it, and only these categories have one.
        eligible_since: matches!(
            category.category,
            LegalCategory::Eligible | LegalCategory::Relevant | LegalCategory::FormerRelevant
        )
        .then(|| eligible_since(&leaving, legal))
        .flatten(),
        needs_assessments: &facts.needs_assessments,
        plans: &facts.plans,
        visits: &visits,
        left_care_on: left_care_on(facts, today),
        contacts: &contacts,
        moves: &moves,
        key_documents_held: &facts.key_documents_held,
    };
    let items = due_items(&compliance_facts, today, rules);
    PersonCompliance {
        young_person_id: facts.young_person_id,
        name,
        personal_adviser_id: facts.personal_adviser_id,
        category,
        items,
        accommodation: current_on(&stays, today).cloned(),
        activity: facts.activity.clone().filter(|a| a.start <= today),
        moves_in_12_months: moves_in_12_months(&stays, today),
    }
}

/// Contacts older than this cannot fall in an open or recently missed in-touch window.
fn contacts_since(now: Timestamp) -> Timestamp {
    now.checked_sub(500.days().hours(0)).unwrap_or(now)
}

/// Compliance for everyone in `scope` as at today, in no particular order. Callers
/// check permission first.
pub async fn compliance_of(
    store: &Store,
    clock: &dyn Clock,
    legal: &LegalRules,
    rules: &ComplianceRules,
    scope: ComplianceScope,
) -> Result<Vec<PersonCompliance>> {
    let today = clock.today();
    let facts = store.practice_facts(scope, contacts_since(clock.now())).await?;
    if facts.len() < PARALLEL_FROM {
        return Ok(facts.iter().map(|f| assess(f, today, legal, rules)).collect());
    }
    // A whole council: every core, off the threads that answer requests.
    let (legal, rules) = (legal.clone(), rules.clone());
    let assessed = tokio::task::spawn_blocking(move || assess_in_parallel(&facts, today, &legal, &rules)).await;
    assessed.map_err(|e| AppError::Store(pathways_store::StoreError::Corrupt(format!("compliance worker: {e}"))))
}

/// Below this many young people, one thread is quicker than starting more.
const PARALLEL_FROM: usize = 5_000;

fn assess_in_parallel(
    facts: &[PracticeFacts],
    today: Date,
    legal: &LegalRules,
    rules: &ComplianceRules,
) -> Vec<PersonCompliance> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = facts.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = facts
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|f| assess(f, today, legal, rules)).collect::<Vec<_>>()))
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    })
}

/// How one measure stands: of the young people it applies to, how many are in time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureSummary {
    pub measure: Measure,
    pub applicable: usize,
    pub in_time: usize,
}

impl MeasureSummary {
    /// Whole-number percentage in time; none when nobody is counted.
    pub fn percent(&self) -> Option<u32> {
        (self.applicable > 0).then(|| {
            let pct = (self.in_time as f64 * 100.0 / self.applicable as f64).round();
            pct as u32
        })
    }
}

/// Per measure: a young person counts when any item of that measure applies to
/// them, and is in time when none of those items is overdue.
pub fn summarise(people: &[PersonCompliance]) -> Vec<MeasureSummary> {
    Measure::ALL
        .iter()
        .map(|&measure| {
            let mut applicable = 0;
            let mut in_time = 0;
            for p in people {
                let mut items = p.items.iter().filter(|i| i.kind.measure() == measure).peekable();
                if items.peek().is_none() {
                    continue;
                }
                applicable += 1;
                if items.all(|i| i.status != DueStatus::Overdue) {
                    in_time += 1;
                }
            }
            MeasureSummary {
                measure,
                applicable,
                in_time,
            }
        })
        .collect()
}

/// Per personal adviser: (young people with something overdue, overdue items).
pub type AdviserOverdue = HashMap<i64, (usize, usize)>;

/// Overdue items per personal adviser.
pub fn overdue_by_adviser(people: &[PersonCompliance]) -> AdviserOverdue {
    let mut counts: HashMap<i64, (usize, usize)> = HashMap::new();
    for p in people {
        let (Some(pa), overdue) = (p.personal_adviser_id, p.overdue()) else {
            continue;
        };
        if overdue > 0 {
            let entry = counts.entry(pa).or_default();
            entry.0 += 1;
            entry.1 += overdue;
        }
    }
    counts
}

/// One line of a task list: a statutory item or a task added by hand.
#[derive(Debug, Clone)]
pub struct TaskLine {
    pub young_person_id: Option<i64>,
    pub name: Option<String>,
    pub what: String,
    pub due_on: Date,
    pub status: DueStatus,
    pub reason: String,
    /// Set for a task added by hand, which can be marked done.
    pub task_id: Option<i64>,
    pub assigned_to: Option<String>,
}

/// A task list: what is overdue, due within 7 days and due within 30 days.
#[derive(Debug, Clone, Default)]
pub struct TaskList {
    pub overdue: Vec<TaskLine>,
    pub within_7_days: Vec<TaskLine>,
    pub within_30_days: Vec<TaskLine>,
}

impl TaskList {
    fn push(&mut self, line: TaskLine) {
        match line.status {
            DueStatus::Overdue => self.overdue.push(line),
            DueStatus::DueWithin7Days => self.within_7_days.push(line),
            DueStatus::DueWithin30Days => self.within_30_days.push(line),
            DueStatus::Later | DueStatus::Done => {}
        }
    }

    fn sort(&mut self) {
        for list in [&mut self.overdue, &mut self.within_7_days, &mut self.within_30_days] {
            list.sort_by(|a, b| (a.due_on, &a.name).cmp(&(b.due_on, &b.name)));
        }
    }
}

/// Builds a task list from statutory items and tasks added by hand.
pub fn task_list(people: &[PersonCompliance], tasks: &[TaskRecord], today: Date) -> TaskList {
    let mut list = TaskList::default();
    for p in people {
        for item in p.items.iter().filter(|i| i.status.is_open()) {
            list.push(TaskLine {
                young_person_id: Some(p.young_person_id),
                name: Some(p.name.clone()),
                what: item.kind.label(),
                due_on: item.due_on,
                status: item.status,
                reason: item.reason.clone(),
                task_id: None,
                assigned_to: None,
            });
        }
    }
    for t in tasks {
        let status = if t.due_on < today {
            DueStatus::Overdue
        } else if t.due_on <= today.saturating_add(7.days()) {
            DueStatus::DueWithin7Days
        } else {
            // Tasks added by hand are listed however far ahead they fall.
            DueStatus::DueWithin30Days
        };
        list.push(TaskLine {
            young_person_id: t.young_person_id,
            name: t.young_person_name.clone(),
            what: t.title.clone(),
            due_on: t.due_on,
            status,
            reason: "Added by hand.".to_owned(),
            task_id: Some(t.id),
            assigned_to: Some(t.assigned_to_name.clone()),
        });
    }
    list.sort();
    list
}

/// Whose work a member of staff may see on the task and compliance pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkScope {
    /// A personal adviser's own caseload.
    Own,
    Team(i64),
}

/// The scope to show by default: a PA's own caseload, a manager's team.
pub fn default_scope(staff: &StaffMember) -> Option<WorkScope> {
    match staff.role {
        Role::PersonalAdviser => Some(WorkScope::Own),
        Role::TeamManager | Role::ServiceManager | Role::PerformanceOfficer | Role::Auditor => {
            staff.team_id.map(WorkScope::Team)
        }
        Role::Administrator => None,
    }
}

fn permitted(staff: &StaffMember, scope: WorkScope) -> Result<ComplianceScope> {
    match scope {
        WorkScope::Own if staff.active && staff.role == Role::PersonalAdviser => Ok(ComplianceScope::Adviser(staff.id)),
        WorkScope::Team(team) if may_view_team(staff, team) => Ok(ComplianceScope::Team(team)),
        _ => Err(AppError::NotFound),
    }
}

/// Limits on lists read for one page.
const TASKS_SHOWN: i64 = 500;

/// A task list for a PA's caseload or a team; viewing it is audited.
pub async fn tasks_for(
    store: &Store,
    clock: &dyn Clock,
    legal: &LegalRules,
    rules: &ComplianceRules,
    staff: &StaffMember,
    scope: WorkScope,
) -> Result<TaskList> {
    let store_scope = permitted(staff, scope)?;
    let people = compliance_of(store, clock, legal, rules, store_scope).await?;
    let tasks = match scope {
        WorkScope::Own => store.open_tasks_for(staff.id, TASKS_SHOWN).await?,
        WorkScope::Team(team) => store.open_tasks_for_team(team, TASKS_SHOWN).await?,
    };
    audit_view(store, clock, staff, "view_tasks", scope).await?;
    Ok(task_list(&people, &tasks, clock.today()))
}

/// Compliance percentages for a team, overall and per personal adviser.
#[derive(Debug, Clone)]
pub struct ComplianceReport {
    pub overall: Vec<MeasureSummary>,
    /// (adviser id, summaries), in no particular order.
    pub by_adviser: Vec<(i64, Vec<MeasureSummary>)>,
    pub young_people: usize,
}

/// The compliance page for a team or a PA's own caseload; viewing it is audited.
pub async fn compliance_report(
    store: &Store,
    clock: &dyn Clock,
    legal: &LegalRules,
    rules: &ComplianceRules,
    staff: &StaffMember,
    scope: WorkScope,
) -> Result<ComplianceReport> {
    let store_scope = permitted(staff, scope)?;
    let people = compliance_of(store, clock, legal, rules, store_scope).await?;
    let mut by_pa: HashMap<i64, Vec<PersonCompliance>> = HashMap::new();
    for p in &people {
        if let Some(pa) = p.personal_adviser_id {
            by_pa.entry(pa).or_default().push(p.clone());
        }
    }
    audit_view(store, clock, staff, "view_compliance", scope).await?;
    Ok(ComplianceReport {
        overall: summarise(&people),
        by_adviser: by_pa.into_iter().map(|(pa, list)| (pa, summarise(&list))).collect(),
        young_people: people.len(),
    })
}

async fn audit_view(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    action: &str,
    scope: WorkScope,
) -> Result<()> {
    let detail = match scope {
        WorkScope::Own => "own caseload".to_owned(),
        WorkScope::Team(team) => format!("team {team}"),
    };
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: action.into(),
        young_person_id: None,
        detail,
    };
    store.record_audit(&entry, clock.now()).await?;
    Ok(())
}

/// Overdue counts per team, kept for a short while: a team can hold tens of
/// thousands of young people at regional scale, and the team page must stay fast.
/// The page says when the counts were worked out.
#[derive(Debug, Default)]
pub struct OverdueCounts {
    by_team: std::sync::Mutex<HashMap<i64, (Timestamp, AdviserOverdue)>>,
}

impl OverdueCounts {
    /// How long counts are kept.
    pub const KEEP_SECONDS: i64 = 60;

    /// Per adviser in the team: (young people with something overdue, overdue items),
    /// and when that was worked out.
    pub async fn for_team(
        &self,
        store: &Store,
        clock: &dyn Clock,
        legal: &LegalRules,
        rules: &ComplianceRules,
        team_id: i64,
    ) -> Result<(Timestamp, AdviserOverdue)> {
        let now = clock.now();
        if let Ok(cache) = self.by_team.lock()
            && let Some((at, counts)) = cache.get(&team_id)
            && now.duration_since(*at).as_secs() < Self::KEEP_SECONDS
            && *at <= now
        {
            return Ok((*at, counts.clone()));
        }
        let people = compliance_of(store, clock, legal, rules, ComplianceScope::Team(team_id)).await?;
        let counts = overdue_by_adviser(&people);
        if let Ok(mut cache) = self.by_team.lock() {
            cache.insert(team_id, (now, counts.clone()));
        }
        Ok((now, counts))
    }

    /// Forgets every count, after a change that may alter them.
    pub fn clear(&self) {
        if let Ok(mut cache) = self.by_team.lock() {
            cache.clear();
        }
    }
}

/// The practice side of one young person's record.
#[derive(Debug, Clone)]
pub struct PracticeView {
    pub position: PersonCompliance,
    /// Earliest first.
    pub accommodation: Vec<AccommodationStay>,
    pub activity: Vec<ActivitySpell>,
    pub needs_assessments: Vec<pathways_store::NeedsAssessmentRecord>,
    pub tasks: Vec<TaskRecord>,
}

/// What is due for one young person, with their histories. The caller has opened
/// (and so audited) the record; this checks scope again.
pub async fn practice_of(
    store: &Store,
    clock: &dyn Clock,
    legal: &LegalRules,
    rules: &ComplianceRules,
    staff: &StaffMember,
    id: i64,
) -> Result<PracticeView> {
    let placement = crate::young_person::placement_of(store, id).await?;
    if !crate::access::can_read(staff, placement) {
        return Err(AppError::NotFound);
    }
    let position = compliance_of(store, clock, legal, rules, ComplianceScope::YoungPerson(id))
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    Ok(PracticeView {
        position,
        accommodation: store.accommodation_of(id).await?,
        activity: store.activity_of(id).await?,
        needs_assessments: store.needs_assessments_of(id).await?,
        tasks: store.open_tasks_about(id, TASKS_SHOWN).await?,
    })
}
