//! `/caseload`: a personal adviser's young people.

use super::{category_colour, render};
use crate::AppState;
use crate::components::{Cell, RadioOption, Table, Tag};
use crate::error::WebError;
use crate::forms::Errors;
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use pathways_app::caseload::{CaseloadFilter, CaseloadOrder, arrange, my_caseload};
use pathways_domain::compliance::{DueItem, DueStatus};
use pathways_domain::dates::gov_uk;
use pathways_domain::legal::LegalCategory;
use pathways_domain::living::{AccommodationStay, ActivitySpell};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/caseload", get(show))
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct CaseloadPage {
    layout: Layout,
    total: usize,
    sort: &'static str,
    categories: Vec<RadioOption>,
    flagged: bool,
    overdue: bool,
    filtered: bool,
    table: Table,
    /// Filters cannot be wrong (anything unknown means "all"), so this stays empty.
    errors: Errors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CaseloadQuery {
    sort: String,
    category: String,
    flagged: String,
    overdue: String,
}

async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<CaseloadQuery>,
) -> Result<Response, WebError> {
    let entries = my_caseload(
        &state.store,
        state.clock.as_ref(),
        &state.rules,
        &state.compliance,
        &staff.session.staff,
    )
    .await?;
    let total = entries.len();
    let order = CaseloadOrder::parse(&query.sort);
    let filter = CaseloadFilter {
        category: LegalCategory::parse(&query.category),
        flagged_only: query.flagged == "yes",
        overdue_only: query.overdue == "yes",
    };
    // The categories on this caseload, in the engine's order, to filter by.
    let mut present: Vec<LegalCategory> = entries.iter().map(|e| e.category.category).collect();
    present.sort();
    present.dedup();
    let shown = arrange(entries, filter, order);
    let people = if shown.len() == 1 { "person" } else { "people" };
    let caption = if shown.len() == total {
        format!(
            "{total} young {people} allocated to you, as at {}",
            gov_uk(state.clock.today())
        )
    } else {
        format!(
            "{} of your {total} young people, as at {}",
            shown.len(),
            gov_uk(state.clock.today())
        )
    };
    let filters = format!(
        "&category={}{}{}",
        filter.category.map_or("", |c| c.code()),
        if filter.flagged_only { "&flagged=yes" } else { "" },
        if filter.overdue_only { "&overdue=yes" } else { "" }
    );
    let sort_link = |o: CaseloadOrder| (format!("/caseload?sort={}{filters}", o.code()), order == o);
    let mut table = Table::new(
        caption,
        &[
            "Name",
            "Date of birth",
            "Age",
            "Legal category",
            "Accommodation",
            "Activity",
            "Last contact",
            "Next due",
            "Flags",
        ],
    )
    .numeric(2)
    .caption_size("m");
    for (column, o) in [
        (0, CaseloadOrder::Name),
        (2, CaseloadOrder::Age),
        (3, CaseloadOrder::Category),
        (7, CaseloadOrder::NextDue),
    ] {
        let (href, current) = sort_link(o);
        table = table.sortable(column, href, current);
    }
    for e in shown {
        let category = e.category.category;
        let mut flags: Vec<Tag> = e.risk_flags.iter().map(|f| Tag::new(f.label(), "red")).collect();
        if e.many_moves {
            flags.push(Tag::new("3+ moves in a year", "orange"));
        }
        table.row(vec![
            Cell::Link {
                href: format!("/young-people/{}", e.id),
                text: e.name,
            },
            Cell::Text(gov_uk(e.date_of_birth)),
            Cell::Numeric(e.age.to_string()),
            Cell::Tags(vec![Tag::new(category.label(), category_colour(category))]),
            accommodation_cell(e.accommodation.as_ref()),
            activity_cell(e.activity.as_ref()),
            Cell::Text(e.last_contact.map_or_else(|| "None recorded".to_owned(), gov_uk)),
            due_cell(e.next_due.as_ref(), e.overdue),
            Cell::Tags(flags),
        ]);
    }
    let mut categories = vec![RadioOption {
        id: "category".into(),
        value: String::new(),
        label: "All categories".into(),
        hint: String::new(),
        checked: filter.category.is_none(),
    }];
    categories.extend(present.into_iter().map(|c| RadioOption {
        id: String::new(),
        value: c.code().into(),
        label: c.label().into(),
        hint: String::new(),
        checked: filter.category == Some(c),
    }));
    let page = CaseloadPage {
        layout: Layout::signed_in(&state.settings.council_name, &staff, "/caseload"),
        total,
        sort: order.code(),
        categories,
        flagged: filter.flagged_only,
        overdue: filter.overdue_only,
        filtered: filter != CaseloadFilter::default(),
        table,
        errors: Errors::default(),
    };
    Ok(render(&page))
}

/// Where the young person lives now; unsuitable accommodation is tagged.
pub(crate) fn accommodation_cell(stay: Option<&AccommodationStay>) -> Cell {
    // The words before any bracket: the record has the full description.
    let short = |s: &AccommodationStay| s.kind.label().split(" (").next().unwrap_or_default().to_owned();
    match stay {
        None => Cell::Text("Not recorded".to_owned()),
        Some(s) if s.suitable && s.kind.can_be_suitable() => Cell::Text(short(s)),
        Some(s) => Cell::TagsThenText(vec![Tag::new("Not suitable", "red")], short(s)),
    }
}

/// What the young person is doing now; NEET is tagged.
pub(crate) fn activity_cell(spell: Option<&ActivitySpell>) -> Cell {
    match spell {
        None => Cell::Text("Not recorded".to_owned()),
        Some(a) if a.activity.is_eet() => {
            let hours = if a.full_time { "full-time" } else { "part-time" };
            Cell::Text(format!("{} ({hours})", a.activity.label()))
        }
        Some(a) => Cell::TagsThenText(vec![Tag::new("NEET", "orange")], a.activity.label().to_owned()),
    }
}

/// The tag colour for how soon something is due (text carries the meaning too).
pub(crate) fn due_colour(status: DueStatus) -> &'static str {
    match status {
        DueStatus::Overdue => "red",
        DueStatus::DueWithin7Days => "orange",
        DueStatus::DueWithin30Days => "yellow",
        DueStatus::Later => "grey",
        DueStatus::Done => "green",
    }
}

/// The next statutory item: its status as a tag, what it is and its date.
fn due_cell(next: Option<&DueItem>, overdue: usize) -> Cell {
    let Some(item) = next else {
        return Cell::Text("Nothing due".to_owned());
    };
    let mut tags = vec![Tag::new(item.status.label(), due_colour(item.status))];
    if overdue > 1 {
        tags = vec![Tag::new(format!("{overdue} overdue"), "red")];
    }
    Cell::TagsThenText(tags, format!("{}, {}", item.kind.label(), gov_uk(item.due_on)))
}
