//! `/young-people/{id}`: a young person's record.

use super::{category_colour, parse_id, render};
use crate::AppState;
use crate::components::{Cell, Table, Tag};
use crate::error::WebError;
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use pathways_app::clock::london;
use pathways_app::compliance::{PracticeView, practice_of};
use pathways_app::support::{MoneyView, money_of};
use pathways_app::young_person::{YoungPersonView, view_young_person};
use pathways_domain::dates::gov_uk;
use pathways_domain::people::KeyDocumentKind;
use pathways_domain::plans::{PlanDimension, PlanStatus};
use pathways_store::{AuditRecord, YoungPersonRecord};

pub fn router() -> Router<AppState> {
    Router::new().route("/young-people/{id}", get(show))
}

struct DocumentRow {
    label: &'static str,
    held_since: Option<String>,
}

#[derive(Template)]
#[template(path = "young_person.html")]
struct YoungPersonPage {
    id: i64,
    layout: Layout,
    name: String,
    legal_name: String,
    preferred_name: String,
    date_of_birth: String,
    age: String,
    category: &'static str,
    category_colour: &'static str,
    category_reason: String,
    personal_adviser: String,
    team: String,
    identity: Vec<(&'static str, String)>,
    episodes: Table,
    documents: Vec<DocumentRow>,
    flags: Table,
    allocations: Table,
    audit_trail: Option<Table>,
    can_allocate: bool,
    can_edit: bool,
    contacts: Table,
    due: Table,
    accommodation: Table,
    activity: Table,
    assessments: Table,
    latest_needs: Table,
    tasks: Table,
    many_moves: Option<usize>,
    /// May record a death: can change the record and none is recorded.
    can_record_death: bool,
    has_photo: bool,
    plans: Table,
    entitlements: Table,
    payments: Table,
    staying_put: Table,
    staying_close: Table,
    staying_close_note: &'static str,
    /// The words on the plan button: start, review or continue.
    plan_button: &'static str,
    csrf_token: String,
    banner: Option<&'static str>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Banners {
    allocated: Option<String>,
    added: Option<String>,
    saved: Option<String>,
    episode: Option<String>,
    #[serde(rename = "episode-saved")]
    episode_saved: Option<String>,
    contact: Option<String>,
    moved: Option<String>,
    activity: Option<String>,
    assessment: Option<String>,
    task: Option<String>,
    died: Option<String>,
    photo: Option<String>,
    arranged: Option<String>,
    paid: Option<String>,
    decided: Option<String>,
}

impl Banners {
    fn message(&self) -> Option<&'static str> {
        [
            (&self.added, "Young person added"),
            (&self.saved, "Details saved"),
            (&self.episode, "Episode of care added"),
            (&self.episode_saved, "Episode of care saved"),
            (&self.contact, "Contact recorded"),
            (&self.moved, "Move recorded"),
            (&self.activity, "Activity recorded"),
            (&self.assessment, "Needs assessment recorded"),
            (&self.task, "Task added"),
            (&self.died, "Death recorded"),
            (&self.photo, "Photo saved"),
            (&self.arranged, "Arrangement recorded"),
            (&self.paid, "Payment recorded"),
            (&self.decided, "Decision saved"),
            (&self.allocated, "Allocation saved"),
        ]
        .into_iter()
        .find_map(|(flag, message)| flag.as_ref().map(|_| message))
    }
}

/// Ids in the URL that are not numbers are simply not found.
async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Query(banners): Query<Banners>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let staff_member = &staff.session.staff;
    let view = view_young_person(
        &state.store,
        state.clock.as_ref(),
        &state.rules,
        staff_member,
        id,
        "record",
    )
    .await?;
    let practice = practice_of(
        &state.store,
        state.clock.as_ref(),
        &state.rules,
        &state.compliance,
        staff_member,
        id,
    )
    .await?;
    let today = state.clock.today();
    let mut page = page(view, Layout::signed_in(&state.settings.council_name, &staff, ""), today);
    page.due = due_table(&practice);
    page.accommodation = accommodation_table(&practice);
    page.activity = activity_table(&practice);
    page.assessments = assessments_table(&practice);
    page.latest_needs = latest_needs_table(&practice);
    page.tasks = tasks_table(&practice);
    page.many_moves = practice
        .position
        .many_moves()
        .then_some(practice.position.moves_in_12_months);
    page.has_photo = state.store.has_photo(id).await.map_err(WebError::internal)?;
    let plans = state.store.plans_of(id).await.map_err(WebError::internal)?;
    page.plan_button = if plans.is_empty() {
        "Start the first pathway plan"
    } else if plans.iter().any(|p| p.status.is_open()) {
        "Continue the plan being written"
    } else {
        "Start a review of the plan"
    };
    page.plans = plans_table(&plans);
    page.csrf_token = staff.session.csrf_token.clone();
    let money = money_of(&state.store, state.clock.as_ref(), &state.money, staff_member, id).await?;
    page.entitlements = entitlements_table(&money);
    page.payments = payments_table(&money, &staff.session.csrf_token);
    page.staying_put = arrangements_table("Staying Put", "Former foster carers", &money.staying_put);
    page.staying_close = arrangements_table("Staying Close", "Provided by", &money.staying_close);
    page.staying_close_note = if money.staying_close_statutory {
        "Staying Close is a statutory duty (Children Act 1989 s23CZAA)."
    } else {
        "Staying Close is the council's own offer until the statutory duty comes into force."
    };
    page.banner = banners.message();
    Ok(render(&page))
}

fn or_dash(value: Option<String>) -> String {
    value.filter(|v| !v.is_empty()).unwrap_or_else(|| "Not recorded".into())
}

fn page(view: YoungPersonView, layout: Layout, today: jiff::civil::Date) -> YoungPersonPage {
    let record = &view.record;
    let id = record.id;
    let person = &record.person;
    let current = record.current_allocation();
    let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_owned();
    YoungPersonPage {
        id,
        layout,
        name: person.display_name(),
        legal_name: format!("{} {}", person.legal_name.given, person.legal_name.family),
        preferred_name: or_dash(person.preferred_name.clone()),
        date_of_birth: gov_uk(person.date_of_birth),
        age: view.age.to_string(),
        category: view.category.category.label(),
        category_colour: category_colour(view.category.category),
        category_reason: view.category.reason.clone(),
        personal_adviser: current
            .and_then(|a| a.personal_adviser_name.clone())
            .unwrap_or_else(|| "Not allocated".into()),
        team: current.map_or_else(|| "Not allocated".into(), |a| a.team_name.clone()),
        identity: vec![
            ("Local id", person.local_id.clone()),
            (
                "SSDA903 CHILD id",
                or_dash(person.child_id.as_ref().map(ToString::to_string)),
            ),
            ("UPN", or_dash(person.upn.as_ref().map(ToString::to_string))),
            (
                "NHS number",
                or_dash(person.nhs_number.as_ref().map(ToString::to_string)),
            ),
            (
                "National Insurance number",
                or_dash(person.ni_number.as_ref().map(ToString::to_string)),
            ),
            ("Sex", person.sex.label().to_owned()),
            ("Ethnicity", person.ethnicity.label().to_owned()),
            ("Unaccompanied asylum-seeking child", yes_no(person.uasc)),
            ("Disability", person.disability.label().to_owned()),
            ("Phone", or_dash(person.contact.phone.clone())),
            ("Email", or_dash(person.contact.email.clone())),
        ],
        episodes: episodes_table(record, view.can_edit),
        documents: KeyDocumentKind::ALL
            .iter()
            .map(|kind| DocumentRow {
                label: kind.label(),
                held_since: record
                    .key_documents
                    .iter()
                    .find(|d| d.kind == *kind)
                    .map(|d| d.held_since.map_or_else(|| "a date not recorded".into(), gov_uk)),
            })
            .collect(),
        flags: flags_table(record, today),
        allocations: allocations_table(record),
        audit_trail: view.audit_trail.as_deref().map(audit_table),
        can_allocate: view.can_allocate,
        contacts: contacts_table(&view.contacts),
        can_edit: view.can_edit,
        due: Table::new("", &[]),
        accommodation: Table::new("", &[]),
        activity: Table::new("", &[]),
        assessments: Table::new("", &[]),
        latest_needs: Table::new("", &[]),
        tasks: Table::new("", &[]),
        many_moves: None,
        can_record_death: view.can_edit && person.died_on.is_none(),
        has_photo: false,
        plans: Table::new("", &[]),
        entitlements: Table::new("", &[]),
        payments: Table::new("", &[]),
        staying_put: Table::new("", &[]),
        staying_close: Table::new("", &[]),
        staying_close_note: "",
        plan_button: "",
        csrf_token: String::new(),
        banner: None,
    }
}

/// The care history; with a "Change" link on each episode for those who may edit.
fn episodes_table(record: &YoungPersonRecord, can_edit: bool) -> Table {
    let mut headings = vec!["Started", "Ended", "Legal status", "Placement", "Reason ended"];
    if can_edit {
        headings.push("Action");
    }
    let mut table = Table::new("Episodes of care, oldest first", &headings);
    for (e, episode_id) in record.episodes.iter().zip(&record.episode_ids) {
        let mut row = vec![
            Cell::Text(gov_uk(e.start)),
            Cell::Text(e.end.map_or_else(|| "Still looked after".into(), gov_uk)),
            Cell::Text(format!("{} – {}", e.legal_status.code(), e.legal_status.label())),
            Cell::Text(or_dash(e.placement.clone())),
            Cell::Text(
                e.reason_ended
                    .map_or_else(String::new, |r| format!("{} – {}", r.code(), r.label())),
            ),
        ];
        if can_edit {
            row.push(Cell::Link {
                href: format!("/young-people/{}/episodes/{episode_id}/edit", record.id),
                text: format!("Change the episode from {}", gov_uk(e.start)),
            });
        }
        table.row(row);
    }
    table
}

fn flags_table(record: &YoungPersonRecord, today: jiff::civil::Date) -> Table {
    let mut table = Table::new("Risk flags, newest first", &["Flag", "From", "To", "Status"]);
    for f in &record.risk_flags {
        let status = if f.is_active_on(today) {
            Tag::new("Active", "red")
        } else {
            Tag::new("Ended", "grey")
        };
        table.row(vec![
            Cell::Text(f.kind.label().to_owned()),
            Cell::Text(gov_uk(f.from)),
            Cell::Text(f.to.map_or_else(String::new, gov_uk)),
            Cell::Tags(vec![status]),
        ]);
    }
    table
}

fn allocations_table(record: &YoungPersonRecord) -> Table {
    let mut table = Table::new(
        "Allocations, newest first",
        &["Team", "Personal adviser", "From", "To", "Reason"],
    );
    for a in &record.allocations {
        table.row(vec![
            Cell::Text(a.team_name.clone()),
            Cell::Text(a.personal_adviser_name.clone().unwrap_or_else(|| "None".into())),
            Cell::Text(gov_uk(a.allocation.from)),
            Cell::Text(a.allocation.to.map_or_else(|| "Current".into(), gov_uk)),
            Cell::Text(a.allocation.reason.clone()),
        ]);
    }
    table
}

fn audit_table(trail: &[AuditRecord]) -> Table {
    let caption = format!("The latest {} entries, newest first", trail.len());
    let mut table = Table::new(caption, &["When", "Who", "What", "Detail"]);
    for entry in trail {
        let local = entry.at.to_zoned(london());
        table.row(vec![
            Cell::Text(format!("{} at {}", gov_uk(local.date()), local.strftime("%H:%M"))),
            Cell::Text(entry.staff_name.clone().unwrap_or_else(|| "System".into())),
            Cell::Text(audit_action_label(&entry.action)),
            Cell::Text(entry.detail.clone()),
        ]);
    }
    table
}

/// What an audit action means, in words.
fn audit_action_label(action: &str) -> String {
    match action {
        "view_young_person" => "Viewed the record".into(),
        "view_young_person_refused" => "Tried to view the record (outside their scope)".into(),
        "create_young_person" => "Added the record".into(),
        "allocate" => "Changed the allocation".into(),
        other => other.replace('_', " "),
    }
}

/// Contacts newest first, failed attempts included and marked.
fn contacts_table(contacts: &[pathways_store::ContactRecord]) -> Table {
    let mut table = Table::new(
        "Contacts and visits, newest first",
        &["When", "How", "Outcome", "Summary", "Recorded by"],
    );
    for record in contacts {
        let c = &record.contact;
        let local = c.occurred_at.to_zoned(london());
        let mut outcome = vec![Tag::new(
            c.outcome.label(),
            if c.made_contact() { "green" } else { "red" },
        )];
        if c.statutory_visit {
            outcome.push(Tag::new("Statutory visit", "blue"));
        }
        table.row(vec![
            Cell::Text(format!("{} at {}", gov_uk(local.date()), local.strftime("%H:%M"))),
            Cell::Text(c.contact_type.label().to_owned()),
            Cell::Tags(outcome),
            Cell::Text(c.summary.clone()),
            Cell::Text(record.recorded_by.clone()),
        ]);
    }
    table
}

/// Everything statutory for this young person: open items first, then done.
fn due_table(practice: &PracticeView) -> Table {
    let mut table = Table::new("What is due", &["What", "Due by", "Status", "Why"]);
    for item in &practice.position.items {
        table.row(vec![
            Cell::Text(item.kind.label()),
            Cell::Text(gov_uk(item.due_on)),
            Cell::Tags(vec![Tag::new(
                item.status.label(),
                super::caseload::due_colour(item.status),
            )]),
            Cell::Text(item.reason.clone()),
        ]);
    }
    table
}

/// Where the young person has lived, latest first, with the OC3 code.
fn accommodation_table(practice: &PracticeView) -> Table {
    let mut table = Table::new(
        "Accommodation, latest first",
        &[
            "From",
            "Until",
            "Accommodation",
            "Suitable",
            "Arranged by the council",
            "SSDA903 code",
        ],
    );
    for stay in practice.accommodation.iter().rev() {
        let suitable = if stay.suitable && stay.kind.can_be_suitable() {
            Tag::new("Suitable", "green")
        } else {
            Tag::new("Not suitable", "red")
        };
        table.row(vec![
            Cell::Text(gov_uk(stay.start)),
            Cell::Text(stay.end.map_or_else(|| "Now".to_owned(), gov_uk)),
            Cell::Text(match &stay.address {
                Some(address) => format!("{}: {address}", stay.kind.label()),
                None => stay.kind.label().to_owned(),
            }),
            Cell::Tags(vec![suitable]),
            Cell::Text(if stay.arranged_by_council { "Yes" } else { "No" }.to_owned()),
            Cell::Text(stay.oc3_code()),
        ]);
    }
    table
}

/// What the young person has been doing, latest first.
fn activity_table(practice: &PracticeView) -> Table {
    let mut table = Table::new(
        "Education, employment or training, latest first",
        &["From", "Until", "Activity", "Details", "SSDA903 code"],
    );
    for spell in practice.activity.iter().rev() {
        table.row(vec![
            Cell::Text(gov_uk(spell.start)),
            Cell::Text(spell.end.map_or_else(|| "Now".to_owned(), gov_uk)),
            super::caseload::activity_cell(Some(spell)),
            Cell::Text(spell.detail.clone().unwrap_or_default()),
            Cell::Text(spell.oc3().code().to_owned()),
        ]);
    }
    table
}

fn assessments_table(practice: &PracticeView) -> Table {
    let mut table = Table::new(
        "Needs assessments, latest first",
        &["Completed", "Anything else", "Recorded by"],
    );
    for a in &practice.needs_assessments {
        table.row(vec![
            Cell::Text(gov_uk(a.completed_on)),
            Cell::Text(a.summary.clone()),
            Cell::Text(a.recorded_by.clone()),
        ]);
    }
    table
}

/// The needs the latest assessment found, dimension by dimension; empty when it
/// was recorded before needs were kept by dimension.
fn latest_needs_table(practice: &PracticeView) -> Table {
    let Some(latest) = practice.needs_assessments.first() else {
        return Table::new("", &[]);
    };
    let mut table = Table::new(
        format!("Needs found at the assessment of {}", gov_uk(latest.completed_on)),
        &["Dimension", "Needs found"],
    );
    for &d in PlanDimension::ASSESSED {
        let needs = latest.needs.of(d);
        if !needs.is_empty() {
            table.row(vec![Cell::Text(d.label().to_owned()), Cell::Text(needs.to_owned())]);
        }
    }
    table
}

fn tasks_table(practice: &PracticeView) -> Table {
    let mut table = Table::new("Tasks added by hand, soonest first", &["Task", "Due by", "Assigned to"]);
    for t in &practice.tasks {
        table.row(vec![
            Cell::Text(t.title.clone()),
            Cell::Text(gov_uk(t.due_on)),
            Cell::Text(t.assigned_to_name.clone()),
        ]);
    }
    table
}

/// Every version of the pathway plan, latest first.
fn plans_table(plans: &[pathways_store::PlanRecord]) -> Table {
    let mut table = Table::new(
        "Pathway plan versions, latest first",
        &["Version", "Status", "Active from"],
    );
    for p in plans {
        let colour = match p.status {
            PlanStatus::Active => "green",
            PlanStatus::Submitted | PlanStatus::SignedOff => "yellow",
            PlanStatus::Returned => "orange",
            PlanStatus::Draft | PlanStatus::Superseded => "grey",
        };
        table.row(vec![
            Cell::Link {
                href: format!("/plans/{}", p.id),
                text: format!("Version {}", p.plan_version),
            },
            Cell::Tags(vec![Tag::new(p.status.label(), colour)]),
            Cell::Text(p.active_from.map(gov_uk).unwrap_or_default()),
        ]);
    }
    table
}

/// Running totals against each entitlement's limit.
fn entitlements_table(money: &MoneyView) -> Table {
    let mut table = Table::new(
        "Entitlements",
        &["Entitlement", "Limit", "Approved", "Awaiting approval", "Left"],
    )
    .numeric(1)
    .numeric(2)
    .numeric(3)
    .numeric(4);
    for t in &money.totals {
        let or_none =
            |p: Option<pathways_domain::support::Pence>| p.map_or_else(|| "No limit".to_owned(), |p| p.to_string());
        table.row(vec![
            Cell::Text(t.entitlement.label().to_owned()),
            Cell::Numeric(or_none(t.limit)),
            Cell::Numeric(t.approved.to_string()),
            Cell::Numeric(t.awaiting.to_string()),
            Cell::Numeric(or_none(t.remaining())),
        ]);
    }
    table
}

/// Payments, latest first; managers approve or refuse those waiting.
fn payments_table(money: &MoneyView, csrf_token: &str) -> Table {
    use pathways_domain::support::PaymentStatus;
    let mut headings = vec!["Date", "For", "Amount", "Status"];
    if money.may_decide {
        headings.extend(["Approve", "Refuse"]);
    }
    let mut table = Table::new("Payments, latest first", &headings).numeric(2);
    for p in &money.payments {
        let colour = match p.status {
            PaymentStatus::Approved => "green",
            PaymentStatus::AwaitingApproval => "yellow",
            PaymentStatus::Refused => "red",
        };
        let mut row = vec![
            Cell::Text(gov_uk(p.paid_on)),
            Cell::Text(format!("{}: {}", p.entitlement.label(), p.description)),
            Cell::Numeric(p.amount.to_string()),
            Cell::Tags(vec![Tag::new(p.status.label(), colour)]),
        ];
        if money.may_decide {
            let waiting = p.status == PaymentStatus::AwaitingApproval;
            for (verb, label) in [("approve", "Approve"), ("refuse", "Refuse")] {
                row.push(if waiting {
                    Cell::PostButton {
                        action: format!("/payments/{}/{verb}", p.id),
                        csrf_token: csrf_token.to_owned(),
                        label,
                        hidden: format!("{} of {}", p.description, p.amount),
                    }
                } else {
                    Cell::Text(String::new())
                });
            }
        }
        table.row(row);
    }
    table
}

fn arrangements_table(caption: &str, with: &'static str, list: &[pathways_store::Arrangement]) -> Table {
    let mut table = Table::new(caption, &[with, "From", "Until", "Weekly allowance"]);
    for a in list {
        table.row(vec![
            Cell::Text(a.with.clone()),
            Cell::Text(gov_uk(a.start)),
            Cell::Text(a.end.map_or_else(|| "Continuing".to_owned(), gov_uk)),
            Cell::Text(a.weekly.map(|w| w.to_string()).unwrap_or_default()),
        ]);
    }
    table
}
