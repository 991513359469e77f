//! Pathway plans: writing one section at a time, submitting it, the manager signing
//! it off or returning it, and recording the young person's agreement, which makes
//! it active. A review starts the next version from the last one; every version is
//! kept and can be compared.

use crate::access::{can_edit, can_read, manages};
use crate::clock::Clock;
use crate::young_person::placement_of;
use crate::{AppError, FormError, Result};
use jiff::civil::Date;
use pathways_domain::plans::{
    ActionStatus, AgreementMethod, PlanAction, PlanDimension, PlanEvent, PlanSection, PlanStatus, next_status,
};
use pathways_domain::staff::StaffMember;
use pathways_store::{AuditEntry, PlanRecord, PlanStep, Store};

/// The most actions one section holds.
pub const MAX_ACTIONS: usize = 8;
/// The longest text kept in any one box.
pub const MAX_TEXT: usize = 10_000;

/// Field ids for each action row, so errors can link to them.
pub const ACTION_FIELDS: [&str; MAX_ACTIONS] = [
    "action-1", "action-2", "action-3", "action-4", "action-5", "action-6", "action-7", "action-8",
];
pub const OWNER_FIELDS: [&str; MAX_ACTIONS] = [
    "owner-1", "owner-2", "owner-3", "owner-4", "owner-5", "owner-6", "owner-7", "owner-8",
];
pub const DUE_FIELDS: [&str; MAX_ACTIONS] = [
    "due-1-day",
    "due-2-day",
    "due-3-day",
    "due-4-day",
    "due-5-day",
    "due-6-day",
    "due-7-day",
    "due-8-day",
];

/// A plan version with what the member of staff may do with it.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub plan: PlanRecord,
    pub young_person_name: String,
    /// The version before this one, to compare with.
    pub previous: Option<PlanRecord>,
    pub may_edit: bool,
    pub may_sign_off: bool,
    /// May record the young person's agreement to a signed-off plan.
    pub may_agree: bool,
}

/// The plan versions of a young person `staff` may read, latest first.
pub async fn plans_of(store: &Store, staff: &StaffMember, young_person_id: i64) -> Result<Vec<PlanRecord>> {
    let placement = placement_of(store, young_person_id).await?;
    if !can_read(staff, placement) || !store.young_person_exists(young_person_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(store.plans_of(young_person_id).await?)
}

/// Opens one plan version; every view is audited as a read of the record.
pub async fn open_plan(store: &Store, clock: &dyn Clock, staff: &StaffMember, plan_id: i64) -> Result<PlanView> {
    let plan = store.plan(plan_id).await?.ok_or(AppError::NotFound)?;
    let placement = placement_of(store, plan.young_person_id).await?;
    let allowed = can_read(staff, placement);
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: if allowed {
            "view_young_person"
        } else {
            "view_young_person_refused"
        }
        .into(),
        young_person_id: Some(plan.young_person_id),
        detail: format!("pathway plan version {}", plan.plan_version),
    };
    store.record_audit(&entry, clock.now()).await?;
    if !allowed {
        return Err(AppError::NotFound);
    }
    let record = store
        .young_person(plan.young_person_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let previous = store
        .plans_of(plan.young_person_id)
        .await?
        .into_iter()
        .find(|p| p.plan_version == plan.plan_version - 1);
    Ok(PlanView {
        may_edit: can_edit(staff, placement) && plan.status.is_editable(),
        may_agree: can_edit(staff, placement) && plan.status == PlanStatus::SignedOff,
        may_sign_off: plan.status == PlanStatus::Submitted && placement.is_some_and(|p| manages(staff, p.team_id)),
        young_person_name: record.person.display_name(),
        previous,
        plan,
    })
}

/// Starts a first plan, or a review from the latest version.
pub async fn start_plan(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    young_person_id: i64,
) -> Result<i64, FormError> {
    crate::records::editable(store, staff, young_person_id).await?;
    // A first plan starts from what the latest needs assessment found; a review
    // starts from the plan before it (the store does that).
    let assessed = store.latest_needs_assessment(young_person_id).await?;
    let first = assessed.map(|a| a.needs.first_plan()).unwrap_or_default();
    Ok(store.start_plan(young_person_id, &first, staff.id, clock.now()).await?)
}

/// The plan, if `staff` may change it (not found otherwise).
async fn changeable(store: &Store, staff: &StaffMember, plan_id: i64) -> Result<PlanRecord, FormError> {
    let plan = store.plan(plan_id).await?.ok_or(FormError::NotFound)?;
    crate::records::editable(store, staff, plan.young_person_id).await?;
    Ok(plan)
}

/// One action row as typed; the web layer has read the date boxes.
#[derive(Debug, Clone, Default)]
pub struct ActionForm {
    pub action: String,
    pub owner: String,
    pub due_on: Option<Date>,
    pub status: String,
}

/// One section as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct SectionForm {
    pub own_words: String,
    pub needs: String,
    pub actions: Vec<ActionForm>,
}

fn too_long(text: &str) -> bool {
    text.chars().count() > MAX_TEXT
}

/// Checks a section: lengths, and each action row either blank (dropped) or with
/// the action written. Who and when may wait until the plan is submitted.
pub fn check_section(
    dimension: PlanDimension,
    form: &SectionForm,
) -> std::result::Result<PlanSection, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    for (id, text) in [("own_words", &form.own_words), ("needs", &form.needs)] {
        if too_long(text) {
            errors.push((id, format!("Must be {MAX_TEXT} characters or fewer")));
        }
    }
    let mut actions = Vec::new();
    for (n, row) in form.actions.iter().take(MAX_ACTIONS).enumerate() {
        let blank = row.action.trim().is_empty() && row.owner.trim().is_empty() && row.due_on.is_none();
        if blank {
            continue;
        }
        if row.action.trim().is_empty() {
            errors.push((ACTION_FIELDS[n], format!("Action {}: enter what will be done", n + 1)));
        } else if too_long(&row.action) || too_long(&row.owner) {
            errors.push((ACTION_FIELDS[n], format!("Action {}: too long", n + 1)));
        }
        actions.push(PlanAction {
            action: row.action.trim().to_owned(),
            owner: row.owner.trim().to_owned(),
            due_on: row.due_on,
            status: ActionStatus::parse(&row.status).unwrap_or(ActionStatus::NotStarted),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PlanSection {
        dimension,
        own_words: form.own_words.trim().to_owned(),
        needs: form.needs.trim().to_owned(),
        actions,
    })
}

/// Saves one section of a draft, refused if someone saved the plan since `version`.
pub async fn save_section(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    plan_id: i64,
    version: i64,
    dimension: PlanDimension,
    form: &SectionForm,
) -> Result<(), FormError> {
    let plan = changeable(store, staff, plan_id).await?;
    if !plan.status.is_editable() {
        return Err(FormError::Conflict(format!(
            "This plan is {} and cannot be changed",
            plan.status.label().to_lowercase()
        )));
    }
    let section = check_section(dimension, form).map_err(FormError::Invalid)?;
    let content = plan.content.with_section(section);
    Ok(store
        .save_plan_content(plan_id, version, &content, staff.id, clock.now())
        .await?)
}

fn step_error(e: pathways_domain::plans::PlanStepError) -> FormError {
    FormError::Conflict(e.to_string())
}

/// Sends a draft to the manager; refused until every section is ready.
pub async fn submit_plan(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    plan_id: i64,
    version: i64,
) -> Result<(), FormError> {
    let plan = changeable(store, staff, plan_id).await?;
    next_status(plan.status, PlanEvent::Submit).map_err(step_error)?;
    let problems: Vec<(&'static str, String)> = plan
        .content
        .problems()
        .into_iter()
        .map(|(d, message)| (d.code(), message))
        .collect();
    if !problems.is_empty() {
        return Err(FormError::Invalid(problems));
    }
    Ok(store
        .step_plan(plan_id, version, plan.status, &PlanStep::Submit, staff.id, clock.now())
        .await?)
}

/// The manager's decision on a submitted plan: sign it off, or return it with
/// comments saying what to change.
pub async fn decide_plan(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    plan_id: i64,
    version: i64,
    decision: &str,
    comments: &str,
) -> Result<(), FormError> {
    let plan = store.plan(plan_id).await?.ok_or(FormError::NotFound)?;
    let placement = placement_of(store, plan.young_person_id).await?;
    if !placement.is_some_and(|p| manages(staff, p.team_id)) {
        return Err(FormError::NotFound);
    }
    let comments = comments.trim();
    if too_long(comments) {
        return Err(FormError::Invalid(vec![(
            "comments",
            format!("Comments must be {MAX_TEXT} characters or fewer"),
        )]));
    }
    let step = match decision {
        "sign_off" => PlanStep::SignOff {
            comments: Some(comments.to_owned()).filter(|c| !c.is_empty()),
        },
        "return" if comments.is_empty() => {
            return Err(FormError::Invalid(vec![(
                "comments",
                "Say what needs to change before the plan can be signed off".to_owned(),
            )]));
        }
        "return" => PlanStep::Return {
            comments: comments.to_owned(),
        },
        _ => {
            return Err(FormError::Invalid(vec![(
                "decision",
                "Select whether to sign off the plan or return it".to_owned(),
            )]));
        }
    };
    let event = if matches!(step, PlanStep::Return { .. }) {
        PlanEvent::Return
    } else {
        PlanEvent::SignOff
    };
    next_status(plan.status, event).map_err(step_error)?;
    Ok(store
        .step_plan(plan_id, version, plan.status, &step, staff.id, clock.now())
        .await?)
}

/// Records the young person's agreement to a signed-off plan, which makes it the
/// active plan from that date.
pub async fn record_agreement(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    plan_id: i64,
    version: i64,
    agreed_on: Option<Date>,
    method: &str,
) -> Result<(), FormError> {
    let plan = changeable(store, staff, plan_id).await?;
    next_status(plan.status, PlanEvent::RecordAgreement).map_err(step_error)?;
    let mut errors = Vec::new();
    let signed_off = plan.signed_off_at.map(|at| at.to_zoned(crate::clock::london()).date());
    match agreed_on {
        None => errors.push((
            "agreed-day",
            "Enter the date the young person agreed the plan".to_owned(),
        )),
        Some(on) if on > clock.today() => {
            errors.push(("agreed-day", "The date must be today or in the past".to_owned()))
        }
        Some(on) if signed_off.is_some_and(|s| on < s) => errors.push((
            "agreed-day",
            "The date must be on or after the plan was signed off".to_owned(),
        )),
        Some(_) => {}
    }
    let method = AgreementMethod::parse(method);
    if method.is_none() {
        errors.push(("method", "Select how the young person agreed the plan".to_owned()));
    }
    let (Some(on), Some(method), true) = (agreed_on, method, errors.is_empty()) else {
        return Err(FormError::Invalid(errors));
    };
    Ok(store
        .step_plan(
            plan_id,
            version,
            plan.status,
            &PlanStep::Agree { on, method },
            staff.id,
            clock.now(),
        )
        .await?)
}
