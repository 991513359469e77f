//! Adding and editing young people and their episodes of care:
//! `/young-people/new`, `/young-people/{id}/edit`, `/young-people/{id}/episodes/new`.

use super::{parse_id, render};
use crate::AppState;
use crate::components::RadioOption;
use crate::error::WebError;
use crate::forms::{DateParts, Errors, form_errors};
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use pathways_app::records::{self, Added, EpisodeForm, PersonForm, PossibleDuplicate};
use pathways_domain::codes::{Ethnicity, LegalStatus, ReasonEpisodeEnded, Sex};
use pathways_domain::dates::gov_uk;
use pathways_domain::people::Disability;
use pathways_domain::staff::Role;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/young-people/new", get(new_person).post(create_person))
        .route("/young-people/{id}/edit", get(edit_person).post(update_person))
        .route("/young-people/{id}/episodes/new", get(new_episode).post(create_episode))
        .route(
            "/young-people/{id}/episodes/{episode}/edit",
            get(edit_episode).post(update_episode),
        )
}

/// Select options, led by a blank "choose" option.
fn select(choices: Vec<(String, String)>, chosen: &str, blank: &str) -> Vec<RadioOption> {
    let mut all = vec![(String::new(), blank.to_owned())];
    all.extend(choices);
    RadioOption::list("option", all, chosen)
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
struct PersonFields {
    csrf_token: String,
    version: String,
    confirmed_new: String,
    team: String,
    given_name: String,
    family_name: String,
    preferred_name: String,
    #[serde(rename = "dob-day")]
    dob_day: String,
    #[serde(rename = "dob-month")]
    dob_month: String,
    #[serde(rename = "dob-year")]
    dob_year: String,
    sex: String,
    ethnicity: String,
    uasc: String,
    disability: String,
    child_id: String,
    upn: String,
    nhs_number: String,
    ni_number: String,
    phone: String,
    email: String,
    postcode: String,
}

impl PersonFields {
    fn dob(&self) -> DateParts {
        DateParts {
            day: self.dob_day.clone(),
            month: self.dob_month.clone(),
            year: self.dob_year.clone(),
        }
    }

    /// The app's form, and an error for a date that could not be read.
    fn form(&self) -> (PersonForm, Option<String>) {
        let (date_of_birth, date_error) = match self.dob().parse("Date of birth") {
            Ok(date) => (date, None),
            Err(message) => (None, Some(message)),
        };
        let form = PersonForm {
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            preferred_name: self.preferred_name.clone(),
            date_of_birth,
            sex: self.sex.clone(),
            ethnicity: self.ethnicity.clone(),
            uasc: self.uasc.clone(),
            disability: self.disability.clone(),
            child_id: self.child_id.clone(),
            upn: self.upn.clone(),
            nhs_number: self.nhs_number.clone(),
            ni_number: self.ni_number.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            postcode: self.postcode.clone(),
        };
        (form, date_error)
    }

    fn of(form: &PersonForm, version: i64) -> Self {
        let dob = form.date_of_birth;
        PersonFields {
            version: version.to_string(),
            given_name: form.given_name.clone(),
            family_name: form.family_name.clone(),
            preferred_name: form.preferred_name.clone(),
            dob_day: dob.map(|d| d.day().to_string()).unwrap_or_default(),
            dob_month: dob.map(|d| d.month().to_string()).unwrap_or_default(),
            dob_year: dob.map(|d| d.year().to_string()).unwrap_or_default(),
            sex: form.sex.clone(),
            ethnicity: form.ethnicity.clone(),
            uasc: form.uasc.clone(),
            disability: form.disability.clone(),
            child_id: form.child_id.clone(),
            upn: form.upn.clone(),
            nhs_number: form.nhs_number.clone(),
            ni_number: form.ni_number.clone(),
            phone: form.phone.clone(),
            email: form.email.clone(),
            postcode: form.postcode.clone(),
            ..PersonFields::default()
        }
    }
}

struct DuplicateLink {
    href: Option<String>,
    name: String,
    born: String,
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonPage {
    layout: Layout,
    heading: String,
    action: String,
    back: String,
    csrf_token: String,
    version: String,
    form: PersonFields,
    dob: DateParts,
    sex: Vec<RadioOption>,
    ethnicity: Vec<RadioOption>,
    uasc: Vec<RadioOption>,
    disability: Vec<RadioOption>,
    teams: Vec<RadioOption>,
    duplicates: Vec<DuplicateLink>,
    errors: Errors,
}

struct PersonPageParts<'a> {
    heading: String,
    action: String,
    back: String,
    fields: &'a PersonFields,
    teams: Vec<(String, String)>,
    duplicates: Vec<PossibleDuplicate>,
    errors: Errors,
}

fn person_page(state: &AppState, staff: &CurrentStaff, parts: PersonPageParts) -> PersonPage {
    let f = parts.fields;
    let pairs = |items: &[(&str, &str)]| {
        items
            .iter()
            .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
            .collect::<Vec<_>>()
    };
    PersonPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        heading: parts.heading,
        action: parts.action,
        back: parts.back,
        csrf_token: staff.session.csrf_token.clone(),
        version: f.version.clone(),
        dob: f.dob(),
        sex: RadioOption::list(
            "sex",
            Sex::ALL
                .iter()
                .map(|s| (s.code().to_owned(), s.label().to_owned()))
                .collect(),
            &f.sex,
        ),
        ethnicity: select(
            Ethnicity::ALL
                .iter()
                .map(|e| (e.code().to_owned(), format!("{} ({})", e.label(), e.code())))
                .collect(),
            &f.ethnicity,
            "Choose ethnicity",
        ),
        uasc: RadioOption::list("uasc", pairs(&[("yes", "Yes"), ("no", "No")]), &f.uasc),
        disability: RadioOption::list(
            "disability",
            [Disability::Yes, Disability::No, Disability::Unknown]
                .iter()
                .map(|d| (d.code().to_owned(), d.label().to_owned()))
                .collect(),
            &f.disability,
        ),
        teams: RadioOption::list("team", parts.teams, &f.team),
        duplicates: parts
            .duplicates
            .into_iter()
            .map(|d| DuplicateLink {
                href: d.id.map(|id| format!("/young-people/{id}")),
                name: d.name,
                born: gov_uk(d.date_of_birth),
            })
            .collect(),
        form: f.clone(),
        errors: parts.errors,
    }
}

/// Teams a service manager chooses from when adding; a team manager adds to their own.
async fn team_choices(state: &AppState, staff: &CurrentStaff) -> Result<Vec<(String, String)>, WebError> {
    if staff.session.staff.role != Role::ServiceManager {
        return Ok(Vec::new());
    }
    Ok(state
        .store
        .teams()
        .await?
        .into_iter()
        .map(|t| (t.id.to_string(), t.name))
        .collect())
}

async fn new_person(State(state): State<AppState>, staff: CurrentStaff) -> Result<Response, WebError> {
    if !records::may_add(&staff.session.staff) {
        return Err(WebError::NotFound);
    }
    let teams = team_choices(&state, &staff).await?;
    let fields = PersonFields::default();
    let parts = PersonPageParts {
        heading: "Add a young person".into(),
        action: "/young-people/new".into(),
        back: "/team".into(),
        fields: &fields,
        teams,
        duplicates: Vec::new(),
        errors: Errors::default(),
    };
    Ok(render(&person_page(&state, &staff, parts)))
}

async fn create_person(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(fields): Form<PersonFields>,
) -> Result<Response, WebError> {
    staff.check_csrf(&fields.csrf_token)?;
    if !records::may_add(&staff.session.staff) {
        return Err(WebError::NotFound);
    }
    let (form, date_error) = fields.form();
    let team = fields.team.parse().ok();
    let confirmed = fields.confirmed_new == "yes";
    let outcome = records::add_young_person(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        &form,
        team,
        confirmed,
    )
    .await;
    let (errors, duplicates) = match outcome {
        // An unreadable date reaches the app as no date, which it refuses, so a
        // record is never added while a date error stands.
        Ok(Added::Added(id)) => return Ok(Redirect::to(&format!("/young-people/{id}?added=1")).into_response()),
        Ok(Added::PossibleDuplicates(found)) => (Errors::default(), found),
        Err(e) => (with_date_error(form_errors(e, "given_name")?, date_error), Vec::new()),
    };
    let parts = PersonPageParts {
        heading: "Add a young person".into(),
        action: "/young-people/new".into(),
        back: "/team".into(),
        fields: &fields,
        teams: team_choices(&state, &staff).await?,
        duplicates,
        errors,
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&person_page(&state, &staff, parts)),
    )
        .into_response())
}

/// Puts the web layer's date message in place of the app's "Enter the date".
fn with_date_error(mut errors: Errors, date_error: Option<String>) -> Errors {
    if let Some(message) = date_error {
        for error in &mut errors.0 {
            if error.field == "dob-day" {
                error.message = message.clone();
            }
        }
    }
    errors
}

async fn edit_person(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let record = records::editable(&state.store, &staff.session.staff, id)
        .await
        .map_err(WebError::from)?;
    let fields = PersonFields::of(&PersonForm::of(&record.person), record.version);
    let parts = PersonPageParts {
        heading: format!("Change {}'s details", record.person.display_name()),
        action: format!("/young-people/{id}/edit"),
        back: format!("/young-people/{id}"),
        fields: &fields,
        teams: Vec::new(),
        duplicates: Vec::new(),
        errors: Errors::default(),
    };
    Ok(render(&person_page(&state, &staff, parts)))
}

async fn update_person(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<PersonFields>,
) -> Result<Response, WebError> {
    staff.check_csrf(&fields.csrf_token)?;
    let id = parse_id(&id)?;
    let (form, date_error) = fields.form();
    let version = fields.version.parse().unwrap_or(0);
    let errors = match records::edit_young_person(
        &state.store,
        state.clock.as_ref(),
        &staff.session.staff,
        id,
        version,
        &form,
    )
    .await
    {
        Ok(()) => return Ok(Redirect::to(&format!("/young-people/{id}?saved=1")).into_response()),
        Err(e) => with_date_error(form_errors(e, "given_name")?, date_error),
    };
    let parts = PersonPageParts {
        heading: "Change details".into(),
        action: format!("/young-people/{id}/edit"),
        back: format!("/young-people/{id}"),
        fields: &fields,
        teams: Vec::new(),
        duplicates: Vec::new(),
        errors,
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(&person_page(&state, &staff, parts)),
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(default)]
struct EpisodeFields {
    csrf_token: String,
    version: String,
    #[serde(rename = "start-day")]
    start_day: String,
    #[serde(rename = "start-month")]
    start_month: String,
    #[serde(rename = "start-year")]
    start_year: String,
    #[serde(rename = "end-day")]
    end_day: String,
    #[serde(rename = "end-month")]
    end_month: String,
    #[serde(rename = "end-year")]
    end_year: String,
    legal_status: String,
    placement: String,
    reason_ended: String,
}

fn date_parts(date: Option<jiff::civil::Date>) -> DateParts {
    DateParts {
        day: date.map(|d| d.day().to_string()).unwrap_or_default(),
        month: date.map(|d| d.month().to_string()).unwrap_or_default(),
        year: date.map(|d| d.year().to_string()).unwrap_or_default(),
    }
}

impl EpisodeFields {
    fn start(&self) -> DateParts {
        DateParts {
            day: self.start_day.clone(),
            month: self.start_month.clone(),
            year: self.start_year.clone(),
        }
    }

    fn end(&self) -> DateParts {
        DateParts {
            day: self.end_day.clone(),
            month: self.end_month.clone(),
            year: self.end_year.clone(),
        }
    }

    fn of(form: &EpisodeForm, version: i64) -> Self {
        let (start, end) = (date_parts(form.start), date_parts(form.end));
        EpisodeFields {
            version: version.to_string(),
            start_day: start.day,
            start_month: start.month,
            start_year: start.year,
            end_day: end.day,
            end_month: end.month,
            end_year: end.year,
            legal_status: form.legal_status.clone(),
            placement: form.placement.clone(),
            reason_ended: form.reason_ended.clone(),
            ..EpisodeFields::default()
        }
    }

    /// The app's form, or the errors of dates that could not be read.
    fn form(&self) -> Result<EpisodeForm, Errors> {
        let mut errors = Errors::default();
        let start = self.start().parse("Start date").unwrap_or_else(|m| {
            errors.add("start-day", m);
            None
        });
        let end = self.end().parse("End date").unwrap_or_else(|m| {
            errors.add("end-day", m);
            None
        });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(EpisodeForm {
            start,
            end,
            legal_status: self.legal_status.clone(),
            placement: self.placement.clone(),
            reason_ended: self.reason_ended.clone(),
        })
    }
}

#[derive(Template)]
#[template(path = "episode_form.html")]
struct EpisodePage {
    layout: Layout,
    id: i64,
    name: String,
    heading: &'static str,
    action: String,
    version: String,
    csrf_token: String,
    start: DateParts,
    end: DateParts,
    legal_status: Vec<RadioOption>,
    placement: String,
    reason_ended: Vec<RadioOption>,
    errors: Errors,
}

/// Which episode form: adding one, or changing the episode with this id.
#[derive(Debug, Clone, Copy)]
enum EpisodeTarget {
    New,
    Existing(i64),
}

fn episode_page(
    state: &AppState,
    staff: &CurrentStaff,
    record: &pathways_store::YoungPersonRecord,
    target: EpisodeTarget,
    fields: &EpisodeFields,
    errors: Errors,
) -> EpisodePage {
    let id = record.id;
    let (heading, action) = match target {
        EpisodeTarget::New => ("Add an episode of care", format!("/young-people/{id}/episodes/new")),
        EpisodeTarget::Existing(episode) => (
            "Change an episode of care",
            format!("/young-people/{id}/episodes/{episode}/edit"),
        ),
    };
    EpisodePage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        id,
        name: record.person.display_name(),
        heading,
        action,
        version: if fields.version.is_empty() {
            record.version.to_string()
        } else {
            fields.version.clone()
        },
        csrf_token: staff.session.csrf_token.clone(),
        start: fields.start(),
        end: fields.end(),
        legal_status: select(
            LegalStatus::ALL
                .iter()
                .map(|s| (s.code().to_owned(), format!("{} – {}", s.code(), s.label())))
                .collect(),
            &fields.legal_status,
            "Choose legal status",
        ),
        placement: fields.placement.clone(),
        reason_ended: select(
            ReasonEpisodeEnded::ALL
                .iter()
                .map(|r| (r.code().to_owned(), format!("{} – {}", r.code(), r.label())))
                .collect(),
            &fields.reason_ended,
            "Not ended",
        ),
        errors,
    }
}

async fn editable_record(
    state: &AppState,
    staff: &CurrentStaff,
    id: &str,
) -> Result<pathways_store::YoungPersonRecord, WebError> {
    let id = parse_id(id)?;
    records::editable(&state.store, &staff.session.staff, id)
        .await
        .map_err(WebError::from)
}

async fn new_episode(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let record = editable_record(&state, &staff, &id).await?;
    let page = episode_page(
        &state,
        &staff,
        &record,
        EpisodeTarget::New,
        &EpisodeFields::default(),
        Errors::default(),
    );
    Ok(render(&page))
}

async fn create_episode(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(fields): Form<EpisodeFields>,
) -> Result<Response, WebError> {
    staff.check_csrf(&fields.csrf_token)?;
    let record = editable_record(&state, &staff, &id).await?;
    let errors = match fields.form() {
        Err(date_errors) => date_errors,
        Ok(form) => match records::add_episode(
            &state.store,
            state.clock.as_ref(),
            &staff.session.staff,
            record.id,
            &form,
        )
        .await
        {
            Ok(()) => {
                return Ok(
                    Redirect::to(&format!("/young-people/{}?episode=1#care-history", record.id)).into_response(),
                );
            }
            Err(e) => form_errors(e, "start-day")?,
        },
    };
    let page = episode_page(&state, &staff, &record, EpisodeTarget::New, &fields, errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}

/// The record and the position of one of its episodes, if both exist and may be changed.
async fn record_with_episode(
    state: &AppState,
    staff: &CurrentStaff,
    id: &str,
    episode: &str,
) -> Result<(pathways_store::YoungPersonRecord, usize, i64), WebError> {
    let record = editable_record(state, staff, id).await?;
    let episode_id: i64 = episode.parse().map_err(|_| WebError::NotFound)?;
    let index = record
        .episode_ids
        .iter()
        .position(|e| *e == episode_id)
        .ok_or(WebError::NotFound)?;
    Ok((record, index, episode_id))
}

async fn edit_episode(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path((id, episode)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (record, index, episode_id) = record_with_episode(&state, &staff, &id, &episode).await?;
    let fields = EpisodeFields::of(&EpisodeForm::of(&record.episodes[index]), record.version);
    let page = episode_page(
        &state,
        &staff,
        &record,
        EpisodeTarget::Existing(episode_id),
        &fields,
        Errors::default(),
    );
    Ok(render(&page))
}

async fn update_episode(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path((id, episode)): Path<(String, String)>,
    Form(fields): Form<EpisodeFields>,
) -> Result<Response, WebError> {
    staff.check_csrf(&fields.csrf_token)?;
    let (record, _, episode_id) = record_with_episode(&state, &staff, &id, &episode).await?;
    let version = fields.version.parse().unwrap_or(0);
    let errors = match fields.form() {
        Err(date_errors) => date_errors,
        Ok(form) => {
            let staff_member = &staff.session.staff;
            match records::edit_episode(
                &state.store,
                state.clock.as_ref(),
                staff_member,
                record.id,
                episode_id,
                version,
                &form,
            )
            .await
            {
                Ok(()) => {
                    return Ok(
                        Redirect::to(&format!("/young-people/{}?episode-saved=1#care-history", record.id))
                            .into_response(),
                    );
                }
                Err(e) => form_errors(e, "start-day")?,
            }
        }
    };
    let page = episode_page(
        &state,
        &staff,
        &record,
        EpisodeTarget::Existing(episode_id),
        &fields,
        errors,
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}
