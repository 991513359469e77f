//! Recording what a young person's life looks like now: a move of accommodation, a
//! change of activity (EET), a completed needs assessment; and tasks added by hand.

use crate::clock::Clock;
use crate::records::editable;
use crate::young_person::placement_of;
use crate::{FormError, Result};
use jiff::civil::Date;
use pathways_domain::dates::gov_uk;
use pathways_domain::living::{
    AccommodationStay, AccommodationType, Activity, ActivitySpell, SpellProblem, check_new_spell,
};
use pathways_domain::plans::{AssessedNeeds, PlanDimension};
use pathways_domain::staff::{Role, StaffMember};
use pathways_store::{NewTask, Store};

type FieldErrors = Vec<(&'static str, String)>;

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn yes_no(text: &str) -> Option<bool> {
    match text {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// A start date that must be given and cannot be in the future.
fn check_start(date: Option<Date>, today: Date, what: &str, errors: &mut FieldErrors) -> Option<Date> {
    match date {
        None => errors.push(("start-day", format!("Enter the date {what}"))),
        Some(d) if d > today => errors.push(("start-day", format!("The date {what} must be today or in the past"))),
        Some(d) => return Some(d),
    }
    None
}

fn spell_problem(problem: SpellProblem, what: &str) -> (&'static str, String) {
    let message = match problem {
        SpellProblem::EndsBeforeStart => format!("The {what} must end after it starts"),
        SpellProblem::Overlaps(start) => {
            format!("This overlaps the {what} that started on {}", gov_uk(start))
        }
        SpellProblem::StartsBeforeCurrent(start) => {
            format!("The date must be after the current {what} started on {}", gov_uk(start))
        }
    };
    ("start-day", message)
}

/// A move into new accommodation, as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct AccommodationForm {
    pub start: Option<Date>,
    pub kind: String,
    pub suitable: String,
    pub arranged_by_council: String,
    pub address: String,
}

/// Checks a move against today and the history it joins.
pub fn check_accommodation(
    form: &AccommodationForm,
    today: Date,
    history: &[AccommodationStay],
) -> std::result::Result<AccommodationStay, FieldErrors> {
    let mut errors = Vec::new();
    let start = check_start(form.start, today, "they moved in", &mut errors);
    let kind = AccommodationType::parse(&form.kind);
    if kind.is_none() {
        errors.push(("kind", "Select the type of accommodation".to_owned()));
    }
    let suitable = yes_no(&form.suitable);
    match (suitable, kind) {
        (None, _) => errors.push(("suitable", "Select whether the accommodation is suitable".to_owned())),
        (Some(true), Some(k)) if !k.can_be_suitable() => {
            errors.push(("suitable", format!("{} is always recorded as not suitable", k.label())))
        }
        _ => {}
    }
    let arranged = yes_no(&form.arranged_by_council);
    if arranged.is_none() {
        errors.push((
            "arranged_by_council",
            "Select whether the council arranged the accommodation".to_owned(),
        ));
    }
    if let Some(start) = start
        && let Err(problem) = check_new_spell(history, start, None)
    {
        errors.push(spell_problem(problem, "accommodation"));
    }
    match (start, kind, suitable, arranged, errors.is_empty()) {
        (Some(start), Some(kind), Some(suitable), Some(arranged_by_council), true) => Ok(AccommodationStay {
            start,
            end: None,
            kind,
            suitable,
            arranged_by_council,
            address: optional(&form.address),
        }),
        _ => Err(errors),
    }
}

/// Records a move for a young person whose record `staff` may change.
pub async fn record_accommodation(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    form: &AccommodationForm,
) -> Result<(), FormError> {
    editable(store, staff, id).await?;
    let history = store.accommodation_of(id).await?;
    let stay = check_accommodation(form, clock.today(), &history).map_err(FormError::Invalid)?;
    Ok(store
        .insert_accommodation_stay(id, &stay, staff.id, clock.now())
        .await?)
}

/// A change of activity, as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct ActivityForm {
    pub start: Option<Date>,
    pub activity: String,
    pub full_time: String,
    pub detail: String,
}

/// Checks a change of activity against today and the history it joins.
pub fn check_activity(
    form: &ActivityForm,
    today: Date,
    history: &[ActivitySpell],
) -> std::result::Result<ActivitySpell, FieldErrors> {
    let mut errors = Vec::new();
    let start = check_start(form.start, today, "this started", &mut errors);
    let activity = Activity::parse(&form.activity);
    if activity.is_none() {
        errors.push(("activity", "Select what the young person is doing".to_owned()));
    }
    let full_time = match (yes_no(&form.full_time), activity) {
        (Some(f), _) => f,
        (None, Some(a)) if a.is_eet() => {
            errors.push(("full_time", "Select whether it is full-time or part-time".to_owned()));
            false
        }
        (None, _) => false,
    };
    if let Some(start) = start
        && let Err(problem) = check_new_spell(history, start, None)
    {
        errors.push(spell_problem(problem, "activity"));
    }
    match (start, activity, errors.is_empty()) {
        (Some(start), Some(activity), true) => Ok(ActivitySpell {
            start,
            end: None,
            activity,
            full_time: full_time && activity.is_eet(),
            detail: optional(&form.detail),
        }),
        _ => Err(errors),
    }
}

/// Records a change of activity for a young person whose record `staff` may change.
pub async fn record_activity(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    form: &ActivityForm,
) -> Result<(), FormError> {
    editable(store, staff, id).await?;
    let history = store.activity_of(id).await?;
    let spell = check_activity(form, clock.today(), &history).map_err(FormError::Invalid)?;
    Ok(store.insert_activity_spell(id, &spell, staff.id, clock.now()).await?)
}

/// The longest text kept in a summary.
pub const MAX_TEXT: usize = 10_000;

/// A needs assessment as typed: the date, the needs found in each dimension, and
/// anything else worth saying.
#[derive(Debug, Clone, Default)]
pub struct NeedsAssessmentForm {
    pub completed_on: Option<Date>,
    pub needs: Vec<(PlanDimension, String)>,
    pub summary: String,
}

/// The form field for the needs found in `dimension`.
pub fn needs_field(dimension: PlanDimension) -> &'static str {
    match dimension {
        PlanDimension::Health => "needs-health",
        PlanDimension::Education => "needs-education",
        PlanDimension::Accommodation => "needs-accommodation",
        PlanDimension::Finance => "needs-finance",
        PlanDimension::Relationships => "needs-relationships",
        PlanDimension::PracticalSkills => "needs-practical_skills",
        PlanDimension::Identity => "needs-identity",
        PlanDimension::EmotionalWellbeing => "needs-emotional_wellbeing",
        PlanDimension::Contingency => "needs-contingency",
    }
}

/// Records a completed needs assessment (CLR 2010 reg 5): every dimension must be
/// dealt with, if only to say there are no needs.
pub async fn record_needs_assessment(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    form: &NeedsAssessmentForm,
) -> Result<(), FormError> {
    editable(store, staff, id).await?;
    let (completed_on, needs) = check_needs_assessment(form, clock.today()).map_err(FormError::Invalid)?;
    Ok(store
        .insert_needs_assessment(id, completed_on, &needs, form.summary.trim(), staff.id, clock.now())
        .await?)
}

fn check_needs_assessment(
    form: &NeedsAssessmentForm,
    today: Date,
) -> std::result::Result<(Date, AssessedNeeds), Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    match form.completed_on {
        None => errors.push((
            "completed-day",
            "Enter the date the assessment was completed".to_owned(),
        )),
        Some(d) if d > today => errors.push(("completed-day", "The date must be today or in the past".to_owned())),
        Some(_) => {}
    }
    let needs = AssessedNeeds(
        form.needs
            .iter()
            .filter(|(d, _)| PlanDimension::ASSESSED.contains(d))
            .map(|(d, text)| (*d, text.trim().to_owned()))
            .collect(),
    );
    for &dimension in PlanDimension::ASSESSED {
        let field = needs_field(dimension);
        let label = dimension.label().to_lowercase();
        if needs.of(dimension).is_empty() {
            errors.push((
                field,
                format!("Enter the needs found for {label}, or write \"None identified\""),
            ));
        } else if needs.of(dimension).chars().count() > MAX_TEXT {
            errors.push((
                field,
                format!("The needs for {label} must be {MAX_TEXT} characters or fewer"),
            ));
        }
    }
    if form.summary.trim().chars().count() > MAX_TEXT {
        errors.push((
            "summary",
            format!("Anything else must be {MAX_TEXT} characters or fewer"),
        ));
    }
    match (form.completed_on, errors.is_empty()) {
        (Some(on), true) => Ok((on, needs)),
        _ => Err(errors),
    }
}

/// The longest task title.
pub const MAX_TITLE: usize = 200;

/// Who a task about a young person may be given to: the allocated PA and, for a
/// manager, any active PA in the young person's team.
pub async fn task_assignees(store: &Store, staff: &StaffMember, id: i64) -> Result<Vec<(i64, String)>, FormError> {
    editable(store, staff, id).await?;
    let placement = placement_of(store, id).await?.ok_or(FormError::NotFound)?;
    if staff.role == Role::PersonalAdviser {
        return Ok(vec![(staff.id, staff.display_name.clone())]);
    }
    Ok(store
        .team_caseloads(placement.team_id)
        .await?
        .into_iter()
        .filter(|a| a.active)
        .map(|a| (a.staff_id, a.name))
        .collect())
}

/// Adds a task about a young person, assigned to someone who may work on it.
pub async fn add_task(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    title: &str,
    due_on: Option<Date>,
    assigned_to: Option<i64>,
) -> Result<i64, FormError> {
    let assignees = task_assignees(store, staff, id).await?;
    let mut errors = Vec::new();
    let title = title.trim();
    if title.is_empty() {
        errors.push(("title", "Enter what needs doing".to_owned()));
    } else if title.chars().count() > MAX_TITLE {
        errors.push(("title", format!("Task must be {MAX_TITLE} characters or fewer")));
    }
    if due_on.is_none() {
        errors.push(("due-day", "Enter the date it is due".to_owned()));
    }
    let assigned_to = assigned_to.filter(|a| assignees.iter().any(|(id, _)| id == a));
    if assigned_to.is_none() {
        errors.push(("assigned_to", "Select who will do it".to_owned()));
    }
    let (Some(due_on), Some(assigned_to), true) = (due_on, assigned_to, errors.is_empty()) else {
        return Err(FormError::Invalid(errors));
    };
    let task = NewTask {
        young_person_id: Some(id),
        title: title.to_owned(),
        due_on,
        assigned_to,
    };
    Ok(store.insert_task(&task, staff.id, clock.now()).await?)
}

/// Marks a task done: the person it is assigned to, or a manager of their team.
pub async fn complete_task_as(store: &Store, clock: &dyn Clock, staff: &StaffMember, task_id: i64) -> Result<()> {
    let (task, done) = store.task(task_id).await?.ok_or(crate::AppError::NotFound)?;
    let assignee = store.staff_member(task.assigned_to).await?;
    let manages = |s: &StaffMember| {
        staff.role == Role::ServiceManager || staff.role == Role::TeamManager && staff.team_id == s.team_id
    };
    let allowed = staff.active && (task.assigned_to == staff.id || assignee.as_ref().is_some_and(manages));
    if !allowed || done {
        return Err(crate::AppError::NotFound);
    }
    store
        .complete_task(task_id, clock.today(), staff.id, clock.now())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2026, 11, 26);

    fn move_form() -> AccommodationForm {
        AccommodationForm {
            start: Some(date(2026, 11, 20)),
            kind: "D".into(),
            suitable: "yes".into(),
            arranged_by_council: "yes".into(),
            address: " 4 Mill Lane ".into(),
        }
    }

    fn current() -> Vec<AccommodationStay> {
        vec![AccommodationStay {
            start: date(2026, 6, 1),
            end: None,
            kind: AccommodationType::StayingPut,
            suitable: true,
            arranged_by_council: true,
            address: None,
        }]
    }

    #[test]
    fn a_move_is_checked_field_by_field() {
        let stay = check_accommodation(&move_form(), TODAY, &current()).unwrap();
        assert_eq!(stay.oc3_code(), "D1");
        assert_eq!(stay.address.as_deref(), Some("4 Mill Lane"));
        let cases = [
            (
                AccommodationForm {
                    start: None,
                    ..move_form()
                },
                "start-day",
                "Enter the date they moved in",
            ),
            (
                AccommodationForm {
                    start: Some(date(2026, 11, 27)),
                    ..move_form()
                },
                "start-day",
                "The date they moved in must be today or in the past",
            ),
            (
                AccommodationForm {
                    start: Some(date(2026, 6, 1)),
                    ..move_form()
                },
                "start-day",
                "The date must be after the current accommodation started on 1 June 2026",
            ),
            (
                AccommodationForm {
                    kind: "Q".into(),
                    ..move_form()
                },
                "kind",
                "Select the type of accommodation",
            ),
            (
                AccommodationForm {
                    kind: "S".into(),
                    ..move_form()
                },
                "suitable",
                "No fixed abode or homeless is always recorded as not suitable",
            ),
            (
                AccommodationForm {
                    arranged_by_council: String::new(),
                    ..move_form()
                },
                "arranged_by_council",
                "Select whether the council arranged the accommodation",
            ),
        ];
        for (form, field, message) in cases {
            let errors = check_accommodation(&form, TODAY, &current()).unwrap_err();
            assert_eq!(errors, vec![(field, message.to_owned())], "{form:?}");
        }
    }

    #[test]
    fn an_activity_needs_hours_only_when_it_is_education_employment_or_training() {
        let form = ActivityForm {
            start: Some(date(2026, 9, 1)),
            activity: "college_fe".into(),
            full_time: String::new(),
            detail: "Wirral Met".into(),
        };
        let errors = check_activity(&form, TODAY, &[]).unwrap_err();
        assert_eq!(errors[0].0, "full_time");
        let neet = ActivityForm {
            activity: "neet_not_ready".into(),
            ..form.clone()
        };
        let spell = check_activity(&neet, TODAY, &[]).unwrap();
        assert_eq!(spell.oc3().code(), "G5");
        let full = ActivityForm {
            full_time: "yes".into(),
            ..form
        };
        assert_eq!(check_activity(&full, TODAY, &[]).unwrap().oc3().code(), "F2");
    }
}
