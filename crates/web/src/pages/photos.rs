//! `/young-people/{id}/photo`: a young person's optional photo, and adding one.

use super::{parse_id, render};
use crate::AppState;
use crate::error::WebError;
use crate::forms::{Errors, form_errors};
use crate::layout::Layout;
use crate::session::CurrentStaff;
use askama::Template;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use pathways_app::photos::{MAX_UPLOAD_BYTES, upload_photo, view_photo};
use pathways_app::records::editable;

pub fn router() -> Router<AppState> {
    Router::new().route("/young-people/{id}/photo", get(show_photo)).route(
        "/young-people/{id}/photo/new",
        get(show_form)
            .post(submit)
            // Room for the photo and the form around it.
            .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES + 64 * 1024)),
    )
}

async fn show_photo(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let jpeg = view_photo(&state.store, state.clock.as_ref(), &staff.session.staff, id).await?;
    Ok(([(header::CONTENT_TYPE, "image/jpeg")], jpeg).into_response())
}

#[derive(Template)]
#[template(path = "photo_form.html")]
struct PhotoPage {
    layout: Layout,
    id: i64,
    name: String,
    csrf_token: String,
    errors: Errors,
}

async fn page(state: &AppState, staff: &CurrentStaff, id: i64, errors: Errors) -> Result<PhotoPage, WebError> {
    let record = editable(&state.store, &staff.session.staff, id)
        .await
        .map_err(WebError::from)?;
    Ok(PhotoPage {
        layout: Layout::signed_in(&state.settings.council_name, staff, ""),
        id,
        name: record.person.display_name(),
        csrf_token: staff.session.csrf_token.clone(),
        errors,
    })
}

async fn show_form(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    Ok(render(&page(&state, &staff, id, Errors::default()).await?))
}

/// The form's two fields; an upload over the limit is reported, not failed.
async fn read_form(mut multipart: Multipart) -> Result<(String, Vec<u8>), &'static str> {
    let too_big = "The photo must be smaller than 10 MB";
    let mut csrf_token = String::new();
    let mut photo = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| too_big)? {
        match field.name() {
            Some("csrf_token") => csrf_token = field.text().await.map_err(|_| too_big)?,
            Some("photo") => photo = field.bytes().await.map_err(|_| too_big)?.to_vec(),
            _ => {}
        }
    }
    Ok((csrf_token, photo))
}

async fn submit(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    // Scope first: a record the member of staff may not change is not found,
    // whatever was sent.
    let mut page = page(&state, &staff, id, Errors::default()).await?;
    let read = match multipart {
        Ok(multipart) => read_form(multipart).await,
        Err(_) => Err("Select a photo"),
    };
    page.errors = match read {
        Err(message) => Errors::from(vec![("photo", message.to_owned())]),
        Ok((csrf_token, photo)) => {
            staff.check_csrf(&csrf_token)?;
            match upload_photo(&state.store, state.clock.as_ref(), &staff.session.staff, id, &photo).await {
                Ok(()) => return Ok(Redirect::to(&format!("/young-people/{id}?photo=1")).into_response()),
                Err(e) => form_errors(e, "photo")?,
            }
        }
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response())
}
