//! `/young-people/{id}`: a young person's record.

use super::{category_colour, render};
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
use pathways_app::young_person::{YoungPersonView, view_young_person};
use pathways_domain::dates::gov_uk;
use pathways_domain::people::KeyDocumentKind;
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
}

impl Banners {
    fn message(&self) -> Option<&'static str> {
        [
            (&self.added, "Young person added"),
            (&self.saved, "Details saved"),
            (&self.episode, "Episode of care added"),
            (&self.episode_saved, "Episode of care saved"),
            (&self.contact, "Contact recorded"),
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
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
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
    let today = state.clock.today();
    let mut page = page(view, Layout::signed_in(&state.settings.council_name, &staff, ""), today);
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
