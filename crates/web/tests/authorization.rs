//! The authorization matrix: every route, for every kind of member of staff (and
//! nobody signed in), answers as this one table says. A route added to the app
//! without a row here fails `every_route_has_a_row`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use pathways_app::clock::FixedClock;
use pathways_app::demo::{DEMO_PASSWORD, create_demo_council};
use pathways_domain::legal::LegalRules;
use pathways_testkit::{TestStore, on_both_backends};
use pathways_web::{AppState, WebSettings, router};
use std::collections::BTreeSet;
use std::sync::Arc;
use tower::ServiceExt;

/// Who is asking. In `/young-people/{id}` paths the young person is in the North
/// team and on pa.north1's caseload; in `/admin/users/{id}` paths the account is
/// pa.central1's (not one of the actors, since one row deactivates it).
const ACTORS: [&str; 10] = [
    "anonymous",
    "pa.north1@demoshire.test",
    "pa.north2@demoshire.test",
    "pa.east1@demoshire.test",
    "manager.north@demoshire.test",
    "manager.east@demoshire.test",
    "service.manager@demoshire.test",
    "performance@demoshire.test",
    "auditor@demoshire.test",
    "admin@demoshire.test",
];

/// What an actor gets: `A` allowed (anything but the two below), `N` not found
/// (404, the same as a record that does not exist), `S` sent to sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    A,
    N,
    S,
}
use Outcome::*;

/// (method, route as registered, expected outcome for each actor in `ACTORS` order).
/// `/sign-out` is last because it ends the session.
const MATRIX: &[(&str, &str, [Outcome; 10])] = &[
    //                                          anon pa.n1 pa.n2 pa.e1 m.n m.e sm  po  aud adm
    ("GET", "/healthz", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/assets/{name}", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/sign-in", [A, A, A, A, A, A, A, A, A, A]),
    ("POST", "/sign-in", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/forgot-password", [A, A, A, A, A, A, A, A, A, A]),
    ("POST", "/forgot-password", [A, A, A, A, A, A, A, A, A, A]),
    // Without a valid link, a reset page is not found for anyone.
    ("GET", "/reset-password", [N, N, N, N, N, N, N, N, N, N]),
    ("POST", "/reset-password", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/", [S, A, A, A, A, A, A, A, A, A]),
    ("GET", "/session/keep-alive", [S, A, A, A, A, A, A, A, A, A]),
    ("GET", "/caseload", [S, A, A, A, A, A, A, A, A, N]),
    ("GET", "/find", [S, A, A, A, A, A, A, A, A, N]),
    ("GET", "/team", [S, N, N, N, A, A, A, A, A, N]),
    ("GET", "/young-people/{id}", [S, A, A, N, A, N, A, A, A, N]),
    ("GET", "/young-people/{id}/allocate", [S, N, N, N, A, N, A, N, N, N]),
    ("POST", "/young-people/{id}/allocate", [S, N, N, N, A, N, A, N, N, N]),
    ("GET", "/young-people/new", [S, N, N, N, A, A, A, N, N, N]),
    ("POST", "/young-people/new", [S, N, N, N, A, A, A, N, N, N]),
    ("GET", "/young-people/{id}/edit", [S, A, N, N, A, N, A, N, N, N]),
    ("POST", "/young-people/{id}/edit", [S, A, N, N, A, N, A, N, N, N]),
    ("GET", "/young-people/{id}/episodes/new", [S, A, N, N, A, N, A, N, N, N]),
    (
        "POST",
        "/young-people/{id}/episodes/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "GET",
        "/young-people/{id}/episodes/{episode}/edit",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "POST",
        "/young-people/{id}/episodes/{episode}/edit",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    ("GET", "/young-people/{id}/contacts/new", [S, A, N, N, A, N, A, N, N, N]),
    (
        "POST",
        "/young-people/{id}/contacts/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "GET",
        "/young-people/{id}/accommodation/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "POST",
        "/young-people/{id}/accommodation/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    ("GET", "/young-people/{id}/activity/new", [S, A, N, N, A, N, A, N, N, N]),
    (
        "POST",
        "/young-people/{id}/activity/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "GET",
        "/young-people/{id}/needs-assessments/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "POST",
        "/young-people/{id}/needs-assessments/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    ("GET", "/young-people/{id}/tasks/new", [S, A, N, N, A, N, A, N, N, N]),
    ("POST", "/young-people/{id}/tasks/new", [S, A, N, N, A, N, A, N, N, N]),
    ("GET", "/young-people/{id}/death", [S, A, N, N, A, N, A, N, N, N]),
    ("POST", "/young-people/{id}/death", [S, A, N, N, A, N, A, N, N, N]),
    // No photo yet: not found even for those who may read the record.
    ("GET", "/young-people/{id}/photo", [S, N, N, N, N, N, N, N, N, N]),
    ("GET", "/young-people/{id}/photo/new", [S, A, N, N, A, N, A, N, N, N]),
    ("POST", "/young-people/{id}/photo/new", [S, A, N, N, A, N, A, N, N, N]),
    ("POST", "/young-people/{id}/plans/new", [S, A, N, N, A, N, A, N, N, N]),
    ("GET", "/plans/{plan}", [S, A, A, N, A, N, A, A, A, N]),
    (
        "GET",
        "/plans/{plan}/sections/{dimension}",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "POST",
        "/plans/{plan}/sections/{dimension}",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    ("POST", "/plans/{plan}/submit", [S, A, N, N, A, N, A, N, N, N]),
    // Only managers decide; the plan here is a draft, so they are told it is not ready.
    ("POST", "/plans/{plan}/decision", [S, N, N, N, A, N, A, N, N, N]),
    // Agreement is recorded only for a signed-off plan: this one is a draft.
    ("GET", "/plans/{plan}/agreement", [S, N, N, N, N, N, N, N, N, N]),
    ("POST", "/plans/{plan}/agreement", [S, N, N, N, N, N, N, N, N, N]),
    ("GET", "/plans/{plan}/compare", [S, A, A, N, A, N, A, A, A, N]),
    ("GET", "/plans/{plan}/pdf", [S, A, A, N, A, N, A, A, A, N]),
    (
        "GET",
        "/young-people/{id}/staying-put/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "POST",
        "/young-people/{id}/staying-put/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "GET",
        "/young-people/{id}/staying-close/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    (
        "POST",
        "/young-people/{id}/staying-close/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    ("GET", "/young-people/{id}/payments/new", [S, A, N, N, A, N, A, N, N, N]),
    (
        "POST",
        "/young-people/{id}/payments/new",
        [S, A, N, N, A, N, A, N, N, N],
    ),
    // The payment id here is a young person's id: no such payment, for anyone.
    ("POST", "/payments/{payment}/approve", [S, N, N, N, N, N, N, N, N, N]),
    ("POST", "/payments/{payment}/refuse", [S, N, N, N, N, N, N, N, N, N]),
    ("GET", "/tasks", [S, A, A, A, A, A, A, A, A, N]),
    // The task id here is a young person's id: no such task, for anyone.
    ("POST", "/tasks/{id}/done", [S, N, N, N, N, N, N, N, N, N]),
    ("GET", "/compliance", [S, A, A, A, A, A, A, A, A, N]),
    // Checking a statutory return: performance officers and service managers.
    ("GET", "/returns/ssda903", [S, N, N, N, N, N, A, A, N, N]),
    ("POST", "/returns/ssda903", [S, N, N, N, N, N, A, A, N, N]),
    ("GET", "/account/password", [S, A, A, A, A, A, A, A, A, A]),
    ("POST", "/account/password", [S, A, A, A, A, A, A, A, A, A]),
    ("GET", "/admin/users", [S, N, N, N, N, N, N, N, N, A]),
    ("GET", "/admin/users/new", [S, N, N, N, N, N, N, N, N, A]),
    ("POST", "/admin/users/new", [S, N, N, N, N, N, N, N, N, A]),
    ("GET", "/admin/users/{id}", [S, N, N, N, N, N, N, N, N, A]),
    ("POST", "/admin/users/{id}", [S, N, N, N, N, N, N, N, N, A]),
    ("POST", "/admin/teams", [S, N, N, N, N, N, N, N, N, A]),
    ("POST", "/admin/users/{id}/active", [S, N, N, N, N, N, N, N, N, A]),
    ("POST", "/sign-out", [S, A, A, A, A, A, A, A, A, A]),
];

/// Every `.route("path", get(..).post(..))` in the web crate's source, as
/// (method, path) pairs.
fn registered_routes() -> BTreeSet<(String, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    let mut dirs = vec![src];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // `.route(` then the path literal, on the same line or (formatted) the next.
            for call in text.split(".route(").skip(1) {
                let Some(call) = call.trim_start().strip_prefix('"') else {
                    continue;
                };
                let (route, rest) = call.split_once('"').unwrap();
                // The handlers named up to the end of this `.route(...)` call.
                let mut depth = 1;
                let end = rest
                    .char_indices()
                    .find(|(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map_or(rest.len(), |(i, _)| i);
                let handlers = &rest[..end];
                for (needle, method) in [("get(", "GET"), ("post(", "POST")] {
                    if handlers.contains(needle) {
                        found.insert((method.to_owned(), route.to_owned()));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn every_route_has_a_row() {
    let in_matrix: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let registered = registered_routes();
    assert!(
        registered.len() >= 10,
        "the route scan found too little: {registered:?}"
    );
    let missing: Vec<_> = registered.difference(&in_matrix).collect();
    assert!(
        missing.is_empty(),
        "routes with no row in the authorization matrix: {missing:?}"
    );
    let stale: Vec<_> = in_matrix.difference(&registered).collect();
    assert!(stale.is_empty(), "rows for routes that no longer exist: {stale:?}");
}

struct Response {
    status: StatusCode,
    location: String,
    body: String,
    set_cookies: Vec<String>,
}

async fn send(app: &axum::Router, method: &str, path: &str, cookie: &str, body: &str) -> Response {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let set_cookies = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .collect();
    let body = String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes()).into_owned();
    Response {
        status,
        location,
        body,
        set_cookies,
    }
}

fn csrf_in(body: &str) -> String {
    body.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_owned()
}

/// Signs in through the form; returns the session cookie and the session's CSRF
/// token (from the sign-out form in the header of the actor's first page).
async fn sign_in(app: &axum::Router, email: &str) -> (String, String) {
    let form = send(app, "GET", "/sign-in", "", "").await;
    let cookie = form
        .set_cookies
        .iter()
        .find(|c| c.starts_with("pathways_sign_in_csrf="))
        .unwrap()
        .clone();
    let body = format!(
        "csrf_token={}&email={email}&password={DEMO_PASSWORD}",
        csrf_in(&form.body)
    );
    let done = send(app, "POST", "/sign-in", &cookie, &body).await;
    let session = done
        .set_cookies
        .iter()
        .find(|c| c.starts_with("pathways_session="))
        .unwrap()
        .clone();
    let home = send(app, "GET", "/", &session, "").await;
    let csrf = csrf_in(&send(app, "GET", &home.location, &session, "").await.body);
    assert!(!csrf.is_empty(), "{email}: no CSRF token on {}", home.location);
    (session, csrf)
}

async fn the_authorization_matrix_holds(store: TestStore) {
    let clock = FixedClock("2026-11-26T10:00:00Z".parse().unwrap());
    create_demo_council(&store, &clock, &LegalRules::default(), 200, &mut |_, _| {})
        .await
        .unwrap();
    let state = AppState {
        store: store.store.clone(),
        clock: Arc::new(clock),
        rules: Arc::new(LegalRules::default()),
        compliance: Arc::default(),
        overdue_counts: Arc::default(),
        money: Arc::default(),
        settings: Arc::new(WebSettings::default()),
    };
    let app = router(state);
    let pa = store
        .staff_for_sign_in("pa.north1@demoshire.test")
        .await
        .unwrap()
        .unwrap()
        .0;
    let id = store.caseload(pa.id, 1, 0).await.unwrap()[0].id;
    let account = store
        .staff_for_sign_in("pa.central1@demoshire.test")
        .await
        .unwrap()
        .unwrap()
        .0
        .id;
    let episode = store.young_person(id).await.unwrap().unwrap().episode_ids[0];
    let plan = store
        .start_plan(id, &Default::default(), pa.id, "2026-11-26T10:00:00Z".parse().unwrap())
        .await
        .unwrap();
    let mut sessions = Vec::new();
    for actor in ACTORS {
        if actor == "anonymous" {
            sessions.push((String::new(), String::new()));
            continue;
        }
        sessions.push(sign_in(&app, actor).await);
    }
    let mut failures = Vec::new();
    for (method, route, expected) in MATRIX {
        for ((actor, (session, csrf)), want) in ACTORS.iter().zip(&sessions).zip(expected) {
            let target = if route.starts_with("/admin/") { account } else { id };
            let path = route
                .replace("{id}", &target.to_string())
                .replace("{episode}", &episode.to_string())
                .replace("{plan}", &plan.to_string())
                .replace("{dimension}", "health")
                .replace("{payment}", &id.to_string())
                .replace("{name}", "app.css");
            let body = format!("csrf_token={csrf}");
            let got = send(&app, method, &path, session, &body).await;
            let outcome = if got.status == StatusCode::NOT_FOUND {
                N
            } else if got.status == StatusCode::SEE_OTHER && got.location.starts_with("/sign-in") {
                S
            } else {
                A
            };
            if outcome != *want {
                failures.push(format!(
                    "{method} {route} as {actor}: expected {want:?}, got {outcome:?} ({})",
                    got.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Refusals are audited like reads.
    let refused = store.audit_trail(id, 200).await.unwrap();
    assert!(refused.iter().any(|e| e.action == "view_young_person_refused"));
}

on_both_backends!(the_authorization_matrix_holds);
