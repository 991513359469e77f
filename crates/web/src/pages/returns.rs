//! `/returns/ssda903`: a performance officer checks an SSDA903 return before
//! sending it to the DfE, as a report on the page or as a workbook. The files are
//! read from the form into memory, checked, and dropped: never stored.

use super::render;
use crate::AppState;
use crate::components::{Cell, RadioOption, Table};
use crate::error::WebError;
use crate::forms::Errors;
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pathways_app::ssda903::report::{self, RuleFindings, plural, thousands};
use pathways_app::ssda903::{
    CheckError, CheckOutput, CheckedReturn, Follow, MAX_RETURN_UPLOAD_BYTES, ReturnUpload, TableRef, UploadedFile,
    check_903_return, current_collection_year, may_check_returns, ons_code, rules,
};

const PATH: &str = "/returns/ssda903";

/// This route only: a large council's return, both years, with room to spare.
pub fn router() -> Router<AppState> {
    Router::new().route(
        "/returns/ssda903",
        get(show_form)
            .post(submit)
            .layer(DefaultBodyLimit::max(MAX_RETURN_UPLOAD_BYTES)),
    )
}

/// What the form keeps when it is shown again (files cannot be kept).
#[derive(Debug, Clone)]
struct Choices {
    year: String,
    local_authority: String,
    follow_reference: bool,
}

#[derive(Template)]
#[template(path = "ssda903_form.html")]
struct FormPage {
    layout: Layout,
    csrf_token: String,
    years: Vec<RadioOption>,
    choices: Choices,
    errors: Errors,
    this_year_hint: String,
    last_year_hint: &'static str,
}

fn form_page(state: &AppState, staff: &CurrentStaff, choices: Choices, errors: Errors) -> FormPage {
    let years = (rules::FIRST_YEAR..=rules::LAST_YEAR)
        .rev()
        .map(|year| RadioOption {
            id: String::new(),
            value: year.to_string(),
            label: format!("{} to {year} (ending 31 March {year})", year - 1),
            hint: String::new(),
            checked: choices.year == year.to_string(),
        })
        .collect();
    FormPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, PATH),
        csrf_token: staff.session.csrf_token.clone(),
        years,
        choices,
        errors,
        this_year_hint: format!(
            "Every table of the return (Header, Episodes, UASC, OC2, OC3 and the others) as CSV files with \
             their header rows: select several files at once. Up to {} MB together.",
            MAX_RETURN_UPLOAD_BYTES / (1024 * 1024)
        ),
        last_year_hint: "Last year's return, for the rules that compare the two years.",
    }
}

/// Only those who check returns see the page; to anyone else it does not exist,
/// as with every page outside a role.
fn allowed(staff: &CurrentStaff) -> Result<(), WebError> {
    if may_check_returns(&staff.session.staff) {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

async fn show_form(State(state): State<AppState>, staff: CurrentStaff) -> Result<Response, WebError> {
    allowed(&staff)?;
    let choices = Choices {
        year: current_collection_year(state.clock.today()).to_string(),
        local_authority: String::new(),
        follow_reference: false,
    };
    Ok(render(&form_page(&state, &staff, choices, Errors::default())))
}

/// The form as sent.
struct Sent {
    choices: Choices,
    this_year: Vec<UploadedFile>,
    last_year: Vec<UploadedFile>,
    workbook: bool,
}

/// Why the form was not read.
enum NotRead {
    /// Without this session's CSRF token.
    Csrf,
    /// Cut off part way (over the size limit, or the connection dropped): what to say.
    Cut(String),
}

/// Reads the form. The CSRF token is the form's first field, so a post without
/// it is refused before any file is read.
async fn read_form(staff: &CurrentStaff, mut multipart: Multipart) -> Result<Sent, NotRead> {
    let mut sent = Sent {
        choices: Choices {
            year: String::new(),
            local_authority: String::new(),
            follow_reference: false,
        },
        this_year: Vec::new(),
        last_year: Vec::new(),
        workbook: false,
    };
    let mut token_checked = false;
    while let Some(field) = multipart.next_field().await.map_err(|e| cut(e.status()))? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "csrf_token" {
            let token = field.text().await.map_err(|e| cut(e.status()))?;
            staff.check_csrf(&token).map_err(|_| NotRead::Csrf)?;
            token_checked = true;
            continue;
        }
        if !token_checked {
            return Err(NotRead::Csrf);
        }
        match name.as_str() {
            "this_year" => sent.this_year.extend(read_file(field).await?),
            "last_year" => sent.last_year.extend(read_file(field).await?),
            "year" => sent.choices.year = text(field).await?,
            "local_authority" => sent.choices.local_authority = text(field).await?,
            "follow_reference" => sent.choices.follow_reference = text(field).await? == "yes",
            "action" => sent.workbook = text(field).await? == "workbook",
            _ => {}
        }
    }
    if token_checked { Ok(sent) } else { Err(NotRead::Csrf) }
}

/// What to say when the form was cut off: over the size limit, or otherwise.
fn cut(status: StatusCode) -> NotRead {
    NotRead::Cut(if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!(
            "The files must be smaller than {} MB together: check this year's return without last year's, \
             or ask Pathways support",
            MAX_RETURN_UPLOAD_BYTES / (1024 * 1024)
        )
    } else {
        "The files could not be read: choose the files again".to_owned()
    })
}

/// One file of a file input; `None` for the empty part a browser sends when no
/// file was chosen.
async fn read_file(field: Field<'_>) -> Result<Option<UploadedFile>, NotRead> {
    // Only the file's own name: a browser may send a path, which is not ours to keep.
    let name = field
        .file_name()
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .to_owned();
    let bytes = field.bytes().await.map_err(|e| cut(e.status()))?;
    if name.is_empty() && bytes.is_empty() {
        return Ok(None);
    }
    Ok(Some(UploadedFile {
        name: if name.is_empty() {
            "unnamed file".to_owned()
        } else {
            name
        },
        // Taken over, not copied: a large return is held once.
        bytes: Vec::from(bytes),
    }))
}

async fn text(field: Field<'_>) -> Result<String, NotRead> {
    field.text().await.map_err(|e| cut(e.status()))
}

/// One failing rule on the report page.
struct RuleSection {
    rule: RuleFindings,
    /// "2 rows (Header 2), for 2 children".
    rows: String,
    /// The first rows: table, line and child.
    table: Table,
    /// "and 3 more", or nothing when every row is listed.
    more: String,
}

/// What the report page shows.
#[derive(Template)]
#[template(path = "ssda903_report.html")]
struct ReportPage {
    layout: Layout,
    year_label: String,
    files: Table,
    rules_run: String,
    errors_found: String,
    /// When no rule found anything: what to say in the panel, or why nothing ran.
    all_clear: Option<String>,
    nothing_ran: bool,
    findings: Vec<RuleSection>,
    failed: Vec<(&'static str, &'static str)>,
    follow_reference: bool,
}

fn report_page(state: &AppState, staff: &CurrentStaff, checked: &CheckedReturn) -> ReportPage {
    let CheckedReturn {
        dataset,
        report: found,
        lines,
        ..
    } = checked;
    let year_rules = rules::for_year(dataset.year);
    let mut files = Table::new("Files read", &["File", "Table", "Year", "Rows"]).numeric(3);
    for (table, frame) in report::tables(dataset) {
        let whose = match table {
            TableRef::This(_) => "This year's",
            TableRef::Last(_) => "Last year's",
        };
        files.row(vec![
            Cell::Text(frame.file.clone()),
            Cell::Text(table.name().to_owned()),
            Cell::Text(whose.to_owned()),
            Cell::Numeric(thousands(frame.len())),
        ]);
    }
    let run = found.rules_run.len();
    let errors_found = if found.errors.is_empty() {
        "None".to_owned()
    } else {
        format!(
            "{}, for {}",
            thousands(found.errors.len()),
            plural(report::children_with_errors(found), "child", "children")
        )
    };
    let all_clear = (found.errors.is_empty() && run > 0).then(|| {
        if found.rules_failed.is_empty() {
            format!("The return passes all {} that ran.", plural(run, "rule", "rules"))
        } else {
            format!(
                "No errors found by the {} that ran, but {} could not run (listed below).",
                plural(run, "rule", "rules"),
                plural(found.rules_failed.len(), "rule", "rules")
            )
        }
    });
    let findings = report::by_rule(found, &year_rules, lines)
        .into_iter()
        .map(|rule| {
            let tables: Vec<String> = rule
                .tables
                .iter()
                .map(|(table, count)| format!("{table} {}", thousands(*count)))
                .collect();
            let rows = format!(
                "{} ({}), for {}",
                plural(rule.rows, "row", "rows"),
                tables.join(", "),
                plural(rule.children, "child", "children")
            );
            let caption = if rule.more > 0 {
                format!("The first {} rows of rule {}", rule.first_rows.len(), rule.code)
            } else {
                format!("Rows of rule {}", rule.code)
            };
            let mut table = Table::new(caption, &["Table", "Line in the file", "Child"]);
            for row in &rule.first_rows {
                table.row(vec![
                    Cell::Text(row.table.to_owned()),
                    Cell::Text(match row.line {
                        Some(line) => format!("line {line}"),
                        None => format!("data row {}", row.row + 1),
                    }),
                    Cell::Text(row.child.clone().unwrap_or_else(|| "no CHILD ID".to_owned())),
                ]);
            }
            let more = if rule.more > 0 {
                format!("and {} more", thousands(rule.more))
            } else {
                String::new()
            };
            RuleSection {
                rule,
                rows,
                table,
                more,
            }
        })
        .collect();
    let failed = found
        .rules_failed
        .iter()
        .map(|code| {
            let message = year_rules.iter().find(|r| r.code == *code).map_or("", |r| r.message);
            (*code, message)
        })
        .collect();
    ReportPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, PATH),
        year_label: report::year_label(dataset.year),
        files,
        rules_run: thousands(run),
        errors_found,
        all_clear,
        nothing_ran: run == 0 && found.rules_failed.is_empty(),
        findings,
        failed,
        follow_reference: dataset.follow == Follow::Reference,
    }
}

async fn submit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    allowed(&staff)?;
    let default_choices = || Choices {
        year: current_collection_year(state.clock.today()).to_string(),
        local_authority: String::new(),
        follow_reference: false,
    };
    let read = match multipart {
        Ok(multipart) => read_form(&staff, multipart).await,
        // Not a file upload at all (a browser sends one even when no file is chosen).
        Err(_) => Err(NotRead::Cut("Select this year's CSV files".to_owned())),
    };
    let sent = match read {
        Ok(sent) => sent,
        Err(NotRead::Csrf) => return Err(WebError::Csrf),
        Err(NotRead::Cut(message)) => {
            let errors = Errors::from(vec![("this_year", message)]);
            return Ok(again(&state, &staff, default_choices(), errors));
        }
    };
    let mut errors = Errors::default();
    let year = sent
        .choices
        .year
        .parse::<i16>()
        .ok()
        .filter(|y| (rules::FIRST_YEAR..=rules::LAST_YEAR).contains(y));
    if year.is_none() {
        errors.add("year", "Select the collection year");
    }
    if sent.this_year.is_empty() {
        errors.add("this_year", "Select this year's CSV files");
    }
    let local_authority = ons_code(&sent.choices.local_authority).unwrap_or_else(|message| {
        errors.add("local_authority", message);
        None
    });
    let (Some(year), true) = (year, errors.is_empty()) else {
        return Ok(again(&state, &staff, sent.choices, errors));
    };
    let upload = ReturnUpload {
        year,
        this_year: sent.this_year,
        last_year: sent.last_year,
        local_authority,
        follow: if sent.choices.follow_reference {
            Follow::Reference
        } else {
            Follow::RuleText
        },
    };
    let output = if sent.workbook {
        CheckOutput::Workbook
    } else {
        CheckOutput::Report
    };
    match check_903_return(&state.store, state.clock.as_ref(), &staff.session.staff, upload, output).await {
        Ok(mut checked) => Ok(match checked.workbook.take() {
            Some(bytes) => {
                let file = format!("attachment; filename=\"ssda903-validation-{year}.xlsx\"");
                let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned();
                (
                    [(header::CONTENT_TYPE, kind), (header::CONTENT_DISPOSITION, file)],
                    bytes,
                )
                    .into_response()
            }
            None => render(&report_page(&state, &staff, &checked)),
        }),
        Err(CheckError::NotFound) => Err(WebError::NotFound),
        Err(CheckError::Input { error, last_year }) => {
            let field = if last_year { "last_year" } else { "this_year" };
            errors.add(field, error.to_string());
            Ok(again(&state, &staff, sent.choices, errors))
        }
        Err(CheckError::Workbook(message)) => {
            errors.add("this_year", message);
            Ok(again(&state, &staff, sent.choices, errors))
        }
        Err(e @ (CheckError::Stopped(_) | CheckError::Store(_))) => Err(WebError::internal(e)),
    }
}

/// The form again, with its errors and what was chosen (files must be chosen again).
fn again(state: &AppState, staff: &CurrentStaff, choices: Choices, errors: Errors) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&form_page(state, staff, choices, errors)),
    )
        .into_response()
}
