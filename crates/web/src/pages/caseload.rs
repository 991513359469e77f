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
use pathways_domain::dates::gov_uk;
use pathways_domain::legal::LegalCategory;
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
}

async fn show(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(query): Query<CaseloadQuery>,
) -> Result<Response, WebError> {
    let entries = my_caseload(&state.store, state.clock.as_ref(), &state.rules, &staff.session.staff).await?;
    let total = entries.len();
    let order = CaseloadOrder::parse(&query.sort);
    let filter = CaseloadFilter {
        category: LegalCategory::parse(&query.category),
        flagged_only: query.flagged == "yes",
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
        "&category={}{}",
        filter.category.map_or("", |c| c.code()),
        if filter.flagged_only { "&flagged=yes" } else { "" }
    );
    let sort_link = |o: CaseloadOrder| (format!("/caseload?sort={}{filters}", o.code()), order == o);
    let mut table = Table::new(
        caption,
        &[
            "Name",
            "Date of birth",
            "Age",
            "Legal category",
            "Last contact",
            "Flags",
        ],
    )
    .numeric(2)
    .caption_size("m");
    for (column, o) in [
        (0, CaseloadOrder::Name),
        (2, CaseloadOrder::Age),
        (3, CaseloadOrder::Category),
    ] {
        let (href, current) = sort_link(o);
        table = table.sortable(column, href, current);
    }
    for e in shown {
        let category = e.category.category;
        table.row(vec![
            Cell::Link {
                href: format!("/young-people/{}", e.id),
                text: e.name,
            },
            Cell::Text(gov_uk(e.date_of_birth)),
            Cell::Numeric(e.age.to_string()),
            Cell::Tags(vec![Tag::new(category.label(), category_colour(category))]),
            Cell::Text(e.last_contact.map_or_else(|| "None recorded".to_owned(), gov_uk)),
            Cell::Tags(e.risk_flags.iter().map(|f| Tag::new(f.label(), "red")).collect()),
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
        filtered: filter != CaseloadFilter::default(),
        table,
        errors: Errors::default(),
    };
    Ok(render(&page))
}
