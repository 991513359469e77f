//! Staff pages driven through the real router, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use pathways_app::clock::FixedClock;
use pathways_app::demo::{DEMO_PASSWORD, create_demo_council};
use pathways_app::mail::{MailSink, Mailer, plain_text};
use pathways_domain::legal::LegalRules;
use pathways_domain::plans::PlanDimension;
use pathways_testkit::{TestStore, on_both_backends};
use pathways_web::{AppState, WebSettings, router};
use std::sync::Arc;
use tower::ServiceExt;

struct TestApp {
    router: Router,
    store: TestStore,
}

struct Page {
    status: StatusCode,
    headers: header::HeaderMap,
    body: String,
}

impl Page {
    fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect()
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c.split(';').next().unwrap_or("").to_owned())
    }

    fn csrf_token(&self) -> String {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker).expect("a CSRF field") + marker.len();
        self.body[start..].split('"').next().unwrap_or("").to_owned()
    }

    /// The id of the first young person linked from the page.
    fn first_young_person(&self) -> i64 {
        self.body
            .split("href=\"/young-people/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .parse()
            .unwrap()
    }

    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

impl TestApp {
    async fn new(store: TestStore, size: usize) -> TestApp {
        Self::with_settings(store, size, WebSettings::default()).await
    }

    async fn with_settings(store: TestStore, size: usize, settings: WebSettings) -> TestApp {
        let clock = FixedClock("2026-11-26T10:00:00Z".parse().unwrap());
        create_demo_council(&store, &clock, &LegalRules::default(), size, &mut |_, _| {})
            .await
            .unwrap();
        let state = AppState {
            store: store.store.clone(),
            clock: Arc::new(clock),
            rules: Arc::new(LegalRules::default()),
            compliance: Arc::default(),
            overdue_counts: Arc::default(),
            money: Arc::default(),
            settings: Arc::new(WebSettings {
                council_name: "Demoshire County Council".into(),
                ..settings
            }),
        };
        TestApp {
            router: router(state),
            store,
        }
    }

    async fn send(&self, request: Request<Body>) -> Page {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, cookie: &str) -> Page {
        let request = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    async fn post(&self, path: &str, cookie: &str, form: &str) -> Page {
        let request = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_owned()))
            .unwrap();
        self.send(request).await
    }

    /// The North team manager adds a young person born 1 March 2009 (17 on the test
    /// date); returns the manager's session, its CSRF token and the new record's id.
    async fn new_seventeen_year_old(&self) -> (String, String, i64) {
        let manager = self.sign_in("manager.north@demoshire.test").await;
        let csrf = self.get("/team", &manager).await.csrf_token();
        let person = PERSON
            .replace("dob-year=2008", "dob-year=2009")
            .replace("dob-month=2", "dob-month=3")
            .replace("dob-day=29", "dob-day=1");
        let added = self
            .post("/young-people/new", &manager, &format!("csrf_token={csrf}&{person}"))
            .await;
        let id = added
            .location()
            .trim_start_matches("/young-people/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        (manager, csrf, id)
    }

    /// Signs in through the form; returns the session cookie (`name=value`).
    async fn sign_in(&self, email: &str) -> String {
        let form = self.get("/sign-in", "").await;
        let csrf_cookie = form.cookie("pathways_sign_in_csrf").unwrap();
        let body = format!(
            "csrf_token={}&email={email}&password={DEMO_PASSWORD}",
            form.csrf_token()
        );
        let done = self.post("/sign-in", &csrf_cookie, &body).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        done.cookie("pathways_session").expect("a session cookie")
    }
}

async fn signing_in_sets_a_secure_http_only_session_cookie(store: TestStore) {
    let app = TestApp::new(store, 30).await;
    let form = app.get("/sign-in", "").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf_cookie = form
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("pathways_sign_in_csrf="))
        .unwrap();
    assert!(
        csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"),
        "{csrf_cookie}"
    );
    let cookie = form.cookie("pathways_sign_in_csrf").unwrap();
    let body = format!(
        "csrf_token={}&email=PA.North1%40demoshire.test&password={DEMO_PASSWORD}",
        form.csrf_token()
    );
    let done = app.post("/sign-in", &cookie, &body).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/");
    let session = done
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("pathways_session="))
        .unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(attribute), "{attribute} missing from {session}");
    }
    let home = app.get("/", done.cookie("pathways_session").as_deref().unwrap()).await;
    assert_eq!(home.location(), "/caseload");
}

async fn a_wrong_password_shows_the_error_summary_and_keeps_the_email(store: TestStore) {
    let app = TestApp::new(store, 10).await;
    let form = app.get("/sign-in", "").await;
    let cookie = form.cookie("pathways_sign_in_csrf").unwrap();
    let body = format!(
        "csrf_token={}&email=pa.north1%40demoshire.test&password=wrong",
        form.csrf_token()
    );
    let page = app.post("/sign-in", &cookie, &body).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("<title>Error: Sign in"), "GOV.UK error title");
    assert!(page.body.contains("govuk-error-summary"));
    assert!(
        page.body
            .contains("<a href=\"#email\">Enter a correct email address and password</a>")
    );
    assert!(page.body.contains("value=\"pa.north1@demoshire.test\""), "email kept");
    assert!(page.cookie("pathways_session").is_none());
    let empty = app
        .post(
            "/sign-in",
            &cookie,
            &format!("csrf_token={}&email=&password=", form.csrf_token()),
        )
        .await;
    assert!(empty.body.contains("Enter your email address") && empty.body.contains("Enter your password"));
}

async fn a_member_of_staff_changes_their_password_and_signs_in_again(store: TestStore) {
    let app = TestApp::new(store, 5).await;
    let session = app.sign_in("pa.north1@demoshire.test").await;
    let form = app.get("/account/password", &session).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf_token();
    let wrong = app
        .post(
            "/account/password",
            &session,
            &format!("csrf_token={csrf}&current_password=nope&new_password=short&confirm_password=short"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("<a href=\"#current_password\">Enter your current password correctly</a>")
    );
    assert!(
        wrong
            .body
            .contains("<a href=\"#new_password\">Password must be 12 characters or more</a>")
    );
    assert!(!wrong.body.contains("value=\"nope\""), "passwords are never sent back");
    let mismatch = app
        .post("/account/password", &session, &format!("csrf_token={csrf}&current_password={DEMO_PASSWORD}&new_password=correct-horse-battery&confirm_password=correct-horse-batterz"))
        .await;
    assert!(mismatch.body.contains("Enter the same password twice"));
    let done = app
        .post("/account/password", &session, &format!("csrf_token={csrf}&current_password={DEMO_PASSWORD}&new_password=correct-horse-battery&confirm_password=correct-horse-battery"))
        .await;
    assert_eq!(done.location(), "/sign-in?password-changed=1");
    assert!(
        app.get("/sign-in?password-changed=1", "")
            .await
            .body
            .contains("Your password has been changed")
    );
    assert_eq!(
        app.get("/caseload", &session).await.location(),
        "/sign-in?timed-out=1",
        "signed out everywhere"
    );
    let login = app.get("/sign-in", "").await;
    let cookie = login.cookie("pathways_sign_in_csrf").unwrap();
    let old = app
        .post(
            "/sign-in",
            &cookie,
            &format!(
                "csrf_token={}&email=pa.north1%40demoshire.test&password={DEMO_PASSWORD}",
                login.csrf_token()
            ),
        )
        .await;
    assert_eq!(
        old.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old password no longer works"
    );
    let new = app
        .post(
            "/sign-in",
            &cookie,
            &format!(
                "csrf_token={}&email=pa.north1%40demoshire.test&password=correct-horse-battery",
                login.csrf_token()
            ),
        )
        .await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}

async fn a_forgotten_password_is_reset_from_a_link_sent_by_email(store: TestStore) {
    let sink = MailSink::start(|_| {}).await.unwrap();
    let settings = WebSettings {
        public_url: "https://pathways.demoshire.test".into(),
        mailer: Some(Mailer::new(&sink.url(), "Pathways <pathways@demoshire.test>").unwrap()),
        ..WebSettings::default()
    };
    let app = TestApp::with_settings(store, 5, settings).await;
    let form = app.get("/forgot-password", "").await;
    let cookie = form.cookie("pathways_sign_in_csrf").unwrap();
    let ask = |email: &str| format!("csrf_token={}&email={email}", form.csrf_token());
    // An address with no account gets the same answer, and no email is sent.
    let unknown = app
        .post("/forgot-password", &cookie, &ask("nobody%40demoshire.test"))
        .await;
    let known = app
        .post("/forgot-password", &cookie, &ask("PA.North1%40demoshire.test"))
        .await;
    assert!(unknown.body.contains("Check your email") && known.body.contains("Check your email"));
    let mut received = Vec::new();
    for _ in 0..50 {
        received = sink.received();
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(received.len(), 1, "one email, to the real account only");
    assert_eq!(received[0].to, ["pa.north1@demoshire.test"]);
    let text = plain_text(&received[0].data);
    let link = text
        .split_whitespace()
        .find(|w| w.starts_with("https://pathways.demoshire.test/reset-password?token="))
        .unwrap();
    let path = link.trim_start_matches("https://pathways.demoshire.test");

    let reset = app.get(path, "").await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    let reset_cookie = reset.cookie("pathways_sign_in_csrf").unwrap();
    let short = app
        .post(
            path,
            &reset_cookie,
            &format!(
                "csrf_token={}&new_password=short&confirm_password=short",
                reset.csrf_token()
            ),
        )
        .await;
    assert!(short.body.contains("Password must be 12 characters or more"));
    let body = format!(
        "csrf_token={}&new_password=a-new-long-password&confirm_password=a-new-long-password",
        reset.csrf_token()
    );
    let done = app.post(path, &reset_cookie, &body).await;
    assert_eq!(done.location(), "/sign-in?password-changed=1");
    // The link works once.
    let again = app.get(path, "").await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.body.contains("This link has expired"));
    let login = app.get("/sign-in", "").await;
    let login_cookie = login.cookie("pathways_sign_in_csrf").unwrap();
    let signed_in = app
        .post(
            "/sign-in",
            &login_cookie,
            &format!(
                "csrf_token={}&email=pa.north1%40demoshire.test&password=a-new-long-password",
                login.csrf_token()
            ),
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
}

async fn guessing_passwords_is_stopped_with_a_clear_message(store: TestStore) {
    let app = TestApp::new(store, 5).await;
    let form = app.get("/sign-in", "").await;
    let cookie = form.cookie("pathways_sign_in_csrf").unwrap();
    let attempt = |password: &str| {
        format!(
            "csrf_token={}&email=pa.east1%40demoshire.test&password={password}",
            form.csrf_token()
        )
    };
    for _ in 0..5 {
        assert_eq!(
            app.post("/sign-in", &cookie, &attempt("guess")).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    let locked = app.post("/sign-in", &cookie, &attempt(DEMO_PASSWORD)).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        locked
            .body
            .contains("You have tried to sign in too many times. Wait 15 minutes, then try again")
    );
    assert!(locked.cookie("pathways_session").is_none());
}

async fn a_sign_in_form_without_its_csrf_token_is_refused(store: TestStore) {
    let app = TestApp::new(store, 10).await;
    let form = app.get("/sign-in", "").await;
    let body = format!(
        "csrf_token={}&email=pa.north1%40demoshire.test&password={DEMO_PASSWORD}",
        form.csrf_token()
    );
    let no_cookie = app.post("/sign-in", "", &body).await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);
    let other_cookie = app.post("/sign-in", "pathways_sign_in_csrf=forged", &body).await;
    assert_eq!(other_cookie.status, StatusCode::FORBIDDEN);
    assert!(other_cookie.body.contains("Your form has expired"));
}

async fn pages_need_a_signed_in_member_of_staff(store: TestStore) {
    let app = TestApp::new(store, 10).await;
    for path in ["/", "/caseload", "/young-people/1"] {
        let page = app.get(path, "").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.location(), "/sign-in", "{path}");
        let forged = app.get(path, "pathways_session=not-a-session").await;
        assert_eq!(forged.location(), "/sign-in?timed-out=1", "{path}");
    }
}

async fn a_personal_adviser_sees_their_caseload_and_opens_a_record(store: TestStore) {
    let app = TestApp::new(store, 120).await;
    let session = app.sign_in("pa.north1@demoshire.test").await;
    let caseload = app.get("/caseload", &session).await;
    assert_eq!(caseload.status, StatusCode::OK);
    assert!(
        caseload.body.contains("allocated to you, as at 26 November 2026"),
        "{}",
        caseload.body
    );
    let id = caseload.first_young_person();
    let record = app.get(&format!("/young-people/{id}"), &session).await;
    assert_eq!(record.status, StatusCode::OK);
    for section in [
        "Legal category",
        "Care history",
        "Key documents",
        "Risk flags",
        "Allocation history",
    ] {
        assert!(record.body.contains(section), "{section}");
    }
    assert!(
        !record.body.contains("Who has viewed"),
        "personal advisers do not see the audit trail"
    );
    let trail = app.store.audit_trail(id, 1).await.unwrap();
    assert_eq!(trail[0].action, "view_young_person");
}

async fn a_caseload_sorts_by_age_and_filters_by_category(store: TestStore) {
    let app = TestApp::new(store, 200).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let all = app.get("/caseload", &pa).await;
    let total = all.body.matches("href=\"/young-people/").count();
    assert!(total > 3);
    let by_age = app.get("/caseload?sort=age", &pa).await;
    assert!(
        by_age
            .body
            .contains("aria-sort=\"ascending\"><a class=\"govuk-link\" href=\"/caseload?sort=age")
    );
    // Ages read down the table never fall.
    let ages: Vec<i32> = by_age
        .body
        .split("govuk-table__cell govuk-table__cell--numeric\">")
        .skip(1)
        .map(|cell| cell.split('<').next().unwrap().trim().parse().unwrap())
        .collect();
    assert_eq!(ages.len(), total);
    assert!(ages.windows(2).all(|w| w[0] <= w[1]), "{ages:?}");
    let eligible = app.get("/caseload?category=eligible", &pa).await;
    let shown = eligible.body.matches("href=\"/young-people/").count();
    assert_eq!(eligible.body.matches(">Eligible</strong>").count(), shown);
    assert!(shown < total && eligible.body.contains(&format!("of your {total} young people")));
    assert!(eligible.body.contains("Clear filters"));
}

async fn signed_in_pages_warn_before_the_session_ends_and_can_keep_it_alive(store: TestStore) {
    let app = TestApp::new(store, 5).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let page = app.get("/caseload", &pa).await;
    assert!(page.body.contains("data-session-timeout=\"1800\""));
    assert!(page.body.contains("You will be signed out soon") && page.body.contains("after 30 minutes"));
    let alive = app.get("/session/keep-alive", &pa).await;
    assert_eq!(alive.status, StatusCode::NO_CONTENT);
    let signed_out = app.get("/sign-in", "").await;
    assert!(
        !signed_out.body.contains("data-session-timeout"),
        "no warning when nobody is signed in"
    );
}

async fn an_episode_is_corrected_and_a_stale_form_is_refused(store: TestStore) {
    let app = TestApp::new(store, 20).await;
    // A new 17-year-old, never looked after: not a care leaver.
    let (manager, csrf, id) = app.new_seventeen_year_old().await;
    let open = "start-day=1&start-month=4&start-year=2025&legal_status=V2&placement=U1";
    app.post(
        &format!("/young-people/{id}/episodes/new"),
        &manager,
        &format!("csrf_token={csrf}&{open}"),
    )
    .await;
    let record = app.get(&format!("/young-people/{id}"), &manager).await;
    let edit_path = format!("/young-people/{id}/episodes/");
    let link = record
        .body
        .split(&format!("href=\"{edit_path}"))
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .find(|link| link.ends_with("/edit"))
        .unwrap();
    let path = format!("{edit_path}{link}");
    let form = app.get(&path, &manager).await;
    assert!(
        form.body.contains("Change an episode of care") && form.body.contains("value=\"2025\""),
        "{path}: {}",
        form.body
    );
    let version = field(&form.body, "version").to_owned();
    // Ending the episode on 1 June 2025, after 61 days, without a reason: explained.
    let ended =
        "start-day=1&start-month=4&start-year=2025&end-day=1&end-month=6&end-year=2025&legal_status=V2&placement=U1";
    let no_reason = app
        .post(&path, &manager, &format!("csrf_token={csrf}&version={version}&{ended}"))
        .await;
    assert!(no_reason.body.contains("Select why the episode ended"));
    let saved = app
        .post(
            &path,
            &manager,
            &format!("csrf_token={csrf}&version={version}&{ended}&reason_ended=E13"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let record = app.get(saved.location(), &manager).await;
    assert!(record.body.contains("Episode of care saved"));
    assert!(
        record.body.contains(">Qualifying</strong>"),
        "61 days looked after after 16: qualifying, not eligible"
    );
    // The same form sent again holds an old version: refused, nothing overwritten.
    let stale = app
        .post(&path, &manager, &format!("csrf_token={csrf}&version={version}&{open}"))
        .await;
    assert!(
        stale
            .body
            .contains("Someone else saved changes to this record while you were editing it")
    );
    assert!(
        app.store.young_person(id).await.unwrap().unwrap().episodes[0]
            .end
            .is_some()
    );
}

async fn a_personal_adviser_records_a_visit_from_the_record_and_the_caseload_shows_it(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let caseload = app.get("/caseload", &pa).await;
    let id = caseload.first_young_person();
    let record = app.get(&format!("/young-people/{id}"), &pa).await;
    assert!(
        record
            .body
            .contains(&format!("href=\"/young-people/{id}/contacts/new\""))
    );
    let form = app.get(&format!("/young-people/{id}/contacts/new"), &pa).await;
    assert!(form.body.contains("value=\"26\""), "today is filled in");
    let csrf = form.csrf_token();
    let path = format!("/young-people/{id}/contacts/new");
    // A phone call cannot be a statutory visit, and the summary is missing.
    let wrong = app
        .post(&path, &pa, &format!("csrf_token={csrf}&date-day=25&date-month=11&date-year=2026&time=14:30&contact_type=phone&outcome=not_seen&statutory_visit=yes"))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("Only a home or office visit where the young person was seen can count as a statutory visit")
    );
    assert!(wrong.body.contains("Enter what happened, or why the attempt failed"));
    assert!(wrong.body.contains("value=\"14:30\""));
    let visit = "date-day=25&date-month=11&date-year=2026&time=14:30&contact_type=home_visit&outcome=seen&seen_alone=yes&summary=Talked+about+college&statutory_visit=yes";
    let saved = app.post(&path, &pa, &format!("csrf_token={csrf}&{visit}")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let failed =
        "date-day=26&date-month=11&date-year=2026&time=09:00&contact_type=home_visit&outcome=failed&summary=No+answer";
    app.post(&path, &pa, &format!("csrf_token={csrf}&{failed}")).await;
    let record = app.get(&format!("/young-people/{id}?contact=1"), &pa).await;
    assert!(record.body.contains("Contact recorded"));
    assert!(record.body.contains("25 November 2026 at 14:30") && record.body.contains("Statutory visit"));
    assert!(record.body.contains("Attempt failed: no contact"));
    let caseload = app.get("/caseload", &pa).await;
    let row = caseload
        .body
        .split(&format!("/young-people/{id}\""))
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        row.contains("25 November 2026"),
        "the last contact made, not the failed attempt: {row}"
    );
}

async fn another_teams_record_is_not_found(store: TestStore) {
    let app = TestApp::new(store, 30).await;
    let session = app.sign_in("pa.north1@demoshire.test").await;
    let mut checked = 0;
    for id in 1..=30 {
        let Some((team, _)) = app.store.current_allocation(id).await.unwrap() else {
            continue;
        };
        let page = app.get(&format!("/young-people/{id}"), &session).await;
        let north = app
            .store
            .teams()
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.name == "North")
            .unwrap();
        let expected = if team == north.id {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        };
        assert_eq!(page.status, expected, "young person {id}");
        checked += 1;
    }
    assert!(checked > 20);
    assert_eq!(
        app.get("/young-people/999999", &session).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/young-people/abc", &session).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn managers_and_auditors_see_who_viewed_a_record(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let auditor = app.sign_in("auditor@demoshire.test").await;
    let caseload = app.get("/caseload", &pa).await;
    let id = caseload.first_young_person();
    app.get(&format!("/young-people/{id}"), &pa).await;
    let record = app.get(&format!("/young-people/{id}"), &auditor).await;
    assert!(record.body.contains("Who has viewed and changed this record"));
    assert!(record.body.contains("Viewed the record"));
    let adviser = app
        .store
        .staff_for_sign_in("pa.north1@demoshire.test")
        .await
        .unwrap()
        .unwrap()
        .0;
    assert!(
        record.body.contains(&adviser.display_name),
        "the adviser's view is listed"
    );
}

async fn signing_out_needs_the_csrf_token_and_ends_the_session(store: TestStore) {
    let app = TestApp::new(store, 10).await;
    let session = app.sign_in("pa.north1@demoshire.test").await;
    let caseload = app.get("/caseload", &session).await;
    let forged = app.post("/sign-out", &session, "csrf_token=forged").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/caseload", &session).await.status, StatusCode::OK);
    let out = app
        .post("/sign-out", &session, &format!("csrf_token={}", caseload.csrf_token()))
        .await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(out.body.contains("You have signed out"));
    assert_eq!(app.get("/caseload", &session).await.location(), "/sign-in?timed-out=1");
}

async fn every_response_carries_the_security_headers(store: TestStore) {
    let app = TestApp::new(store, 5).await;
    for path in [
        "/sign-in",
        "/healthz",
        "/no-such-page",
        "/assets/govuk-frontend.min.css",
    ] {
        let page = app.get(path, "").await;
        let csp = page
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(page.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        assert_eq!(page.headers.get(header::REFERRER_POLICY).unwrap(), "same-origin");
        assert!(page.headers.get("x-request-id").is_some(), "{path}");
    }
    let page = app.get("/sign-in", "").await;
    assert_eq!(page.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    assert!(!page.body.contains("<script>"), "no inline script");
    assert_eq!(app.get("/no-such-page", "").await.status, StatusCode::NOT_FOUND);
}

async fn the_health_check_reports_the_database(store: TestStore) {
    let app = TestApp::new(store, 1).await;
    let page = app.get("/healthz", "").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body, r#"{"status":"ok"}"#);
    app.store.close().await;
    let down = app.get("/healthz", "").await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
}

async fn the_design_system_assets_are_served(store: TestStore) {
    let app = TestApp::new(store, 1).await;
    let css = app.get("/assets/govuk-frontend.min.css", "").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains(".govuk-button"));
    assert!(
        !css.body.contains("GDS Transport"),
        "the GOV.UK-only font is not used by a council service"
    );
    let js = app.get("/assets/init.js", "").await;
    assert!(
        js.headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(app.get("/assets/nope.js", "").await.status, StatusCode::NOT_FOUND);
}

async fn finding_a_young_person_by_part_of_a_name_stays_within_the_team(store: TestStore) {
    let app = TestApp::new(store, 90).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let auditor = app.sign_in("auditor@demoshire.test").await;
    // Somebody in another team, searched for by part of their family name in capitals.
    let north = app
        .store
        .teams()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "North")
        .unwrap()
        .id;
    let mut other = None;
    for id in 1..=90 {
        if let Some((team, _)) = app.store.current_allocation(id).await.unwrap()
            && team != north
        {
            other = Some(app.store.young_person(id).await.unwrap().unwrap());
            break;
        }
    }
    let other = other.unwrap();
    let family = &other.person.legal_name.family;
    let part = family[..family.len().min(4)].to_uppercase();
    let by_auditor = app.get(&format!("/find?search=1&name={part}"), &auditor).await;
    assert_eq!(by_auditor.status, StatusCode::OK);
    assert!(
        by_auditor.body.contains(&format!("/young-people/{}\"", other.id)),
        "the auditor finds everyone"
    );
    let by_pa = app.get(&format!("/find?search=1&name={part}"), &pa).await;
    assert!(
        !by_pa.body.contains(&format!("/young-people/{}\"", other.id)),
        "not another team's young person"
    );
    let by_id = app
        .get(
            &format!("/find?search=1&id={}", other.person.local_id.to_lowercase()),
            &auditor,
        )
        .await;
    assert!(by_id.body.contains("1 young person found"), "{}", by_id.body);
    let trail = app.store.count_audit_entries().await.unwrap();
    assert!(trail > 0);
}

async fn an_empty_or_impossible_search_is_explained(store: TestStore) {
    let app = TestApp::new(store, 5).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let empty = app.get("/find?search=1&name=&id=", &pa).await;
    assert!(empty.body.contains("<title>Error: Find a young person"));
    assert!(
        empty
            .body
            .contains("<a href=\"#name\">Enter a name, date of birth or id</a>")
    );
    let bad = app
        .get("/find?search=1&dob-day=31&dob-month=2&dob-year=2008", &pa)
        .await;
    assert!(
        bad.body
            .contains("<a href=\"#dob-day\">Date of birth must be a real date</a>")
    );
    assert!(bad.body.contains("value=\"31\""), "what was typed is kept");
    let blank = app.get("/find", &pa).await;
    assert!(!blank.body.contains("govuk-error-summary"));
    assert!(!blank.body.contains("Results"));
}

/// The id of a young person in `team` waiting for a personal adviser.
async fn waiting_in(app: &TestApp, team: &str) -> i64 {
    let team = app
        .store
        .teams()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == team)
        .unwrap()
        .id;
    app.store.unallocated(Some(team), 1, 0).await.unwrap()[0].id
}

/// The value of the input called `name` (HTML-escaped as sent).
fn field<'a>(body: &'a str, name: &str) -> &'a str {
    let tag = body
        .split(&format!("name=\"{name}\""))
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or("");
    tag.split("value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
}

async fn a_team_manager_sees_caseload_sizes_and_who_is_waiting(store: TestStore) {
    let app = TestApp::new(store, 200).await;
    let manager = app.sign_in("manager.north@demoshire.test").await;
    assert_eq!(app.get("/", &manager).await.location(), "/team");
    let team = app.get("/team", &manager).await;
    assert_eq!(team.status, StatusCode::OK);
    assert!(team.body.contains("<h1 class=\"govuk-heading-l\">North</h1>"));
    assert!(team.body.contains("Personal advisers:") && team.body.contains("waiting"));
    let waiting = waiting_in(&app, "North").await;
    assert!(team.body.contains(&format!("/young-people/{waiting}/allocate")));
    let east = app
        .store
        .teams()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "East")
        .unwrap()
        .id;
    assert_eq!(
        app.get(&format!("/team?team={east}"), &manager).await.status,
        StatusCode::NOT_FOUND,
        "own team only"
    );
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    assert_eq!(app.get("/team", &pa).await.status, StatusCode::NOT_FOUND);
    let auditor = app.sign_in("auditor@demoshire.test").await;
    let east_page = app.get(&format!("/team?team={east}"), &auditor).await;
    assert!(east_page.body.contains(">East</h1>"));
    assert!(!east_page.body.contains("/allocate\""), "auditors change nothing");
}

async fn a_team_manager_allocates_a_waiting_young_person_with_a_reason(store: TestStore) {
    let app = TestApp::new(store, 200).await;
    let manager = app.sign_in("manager.north@demoshire.test").await;
    let id = waiting_in(&app, "North").await;
    let form = app.get(&format!("/young-people/{id}/allocate"), &manager).await;
    assert_eq!(form.status, StatusCode::OK);
    let adviser = app
        .store
        .staff_for_sign_in("pa.north2@demoshire.test")
        .await
        .unwrap()
        .unwrap()
        .0;
    let north = adviser.team_id.unwrap();
    let choice = format!("{north}:{}", adviser.id);
    assert!(form.body.contains(&format!("value=\"{choice}\"")));
    let (csrf, expected) = (form.csrf_token(), field(&form.body, "expected").to_owned());

    // No choice and no reason: both explained, nothing saved.
    let empty = app
        .post(
            &format!("/young-people/{id}/allocate"),
            &manager,
            &format!("csrf_token={csrf}&expected={expected}"),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .body
            .contains("<a href=\"#allocation\">Select who should be their personal adviser</a>")
    );
    assert!(
        empty
            .body
            .contains("<a href=\"#reason\">Enter the reason for the allocation</a>")
    );
    // A choice but no reason: the choice is kept.
    let no_reason = app
        .post(
            &format!("/young-people/{id}/allocate"),
            &manager,
            &format!("csrf_token={csrf}&expected={expected}&allocation={choice}&reason=+"),
        )
        .await;
    assert!(no_reason.body.contains(&format!("value=\"{choice}\" checked")));
    assert_eq!(app.store.current_allocation(id).await.unwrap(), Some((north, None)));

    let body = format!("csrf_token={csrf}&expected={expected}&allocation={choice}&reason=Caseload+balance");
    let done = app.post(&format!("/young-people/{id}/allocate"), &manager, &body).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), format!("/young-people/{id}?allocated=1"));
    let record = app.get(done.location(), &manager).await;
    assert!(record.body.contains("Allocation saved"));
    assert!(record.body.contains("Caseload balance"), "the reason is in the history");
    assert_eq!(
        app.store.current_allocation(id).await.unwrap(),
        Some((north, Some(adviser.id)))
    );
    let history = app.store.young_person(id).await.unwrap().unwrap().allocations;
    assert_eq!(history.len(), 2);
    // The same form sent again is stale: refused, not applied twice.
    let again = app.post(&format!("/young-people/{id}/allocate"), &manager, &body).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("Someone else changed this young person"));
    assert_eq!(app.store.young_person(id).await.unwrap().unwrap().allocations.len(), 2);
}

async fn only_managers_in_scope_may_allocate(store: TestStore) {
    let app = TestApp::new(store, 200).await;
    let id = waiting_in(&app, "North").await;
    let east_manager = app.sign_in("manager.east@demoshire.test").await;
    assert_eq!(
        app.get(&format!("/young-people/{id}/allocate"), &east_manager)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    assert_eq!(
        app.get(&format!("/young-people/{id}/allocate"), &pa).await.status,
        StatusCode::NOT_FOUND
    );
    let caseload = app.get("/caseload", &pa).await;
    let post = app
        .post(
            &format!("/young-people/{id}/allocate"),
            &pa,
            &format!("csrf_token={}&allocation=1:2&reason=x", caseload.csrf_token()),
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    let service = app.sign_in("service.manager@demoshire.test").await;
    let form = app.get(&format!("/young-people/{id}/allocate"), &service).await;
    assert!(
        form.body.contains("(East)") && form.body.contains("(North)"),
        "a service manager may allocate to any team"
    );
}

async fn an_administrator_adds_a_user_and_deactivating_them_ends_their_sessions(store: TestStore) {
    let app = TestApp::new(store, 10).await;
    let admin = app.sign_in("admin@demoshire.test").await;
    assert_eq!(app.get("/", &admin).await.location(), "/admin/users");
    let list = app.get("/admin/users", &admin).await;
    assert!(list.body.contains("pa.north1@demoshire.test"));
    let csrf = list.csrf_token();
    let north = app
        .store
        .teams()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "North")
        .unwrap()
        .id;

    // Mistakes are explained with the typed values kept.
    let bad = app
        .post(
            "/admin/users/new",
            &admin,
            &format!(
                "csrf_token={csrf}&display_name=Ann+Other&email=not-an-email&role=personal_adviser&team=&password=short"
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("<a href=\"#email\">Enter an email address in the correct format")
    );
    assert!(
        bad.body
            .contains("<a href=\"#team\">Select the team of a personal adviser or team manager</a>")
    );
    assert!(
        bad.body
            .contains("<a href=\"#password\">Password must be 12 characters or more</a>")
    );
    assert!(bad.body.contains("value=\"Ann Other\""));
    let duplicate = app
        .post("/admin/users/new", &admin, &format!("csrf_token={csrf}&display_name=X&email=PA.NORTH1%40demoshire.test&role=personal_adviser&team={north}&password=a-long-password"))
        .await;
    assert!(duplicate.body.contains("A user with this email address already exists"));

    let made = app
        .post("/admin/users/new", &admin, &format!("csrf_token={csrf}&display_name=Ann+Other&email=ann.other%40demoshire.test&role=personal_adviser&team={north}&password=a-long-password"))
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let (ann, _) = app
        .store
        .staff_for_sign_in("ann.other@demoshire.test")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ann.team_id, Some(north));
    // Ann signs in with her first password.
    let form = app.get("/sign-in", "").await;
    let cookie = form.cookie("pathways_sign_in_csrf").unwrap();
    let signed_in = app
        .post(
            "/sign-in",
            &cookie,
            &format!(
                "csrf_token={}&email=ann.other%40demoshire.test&password=a-long-password",
                form.csrf_token()
            ),
        )
        .await;
    let ann_session = signed_in.cookie("pathways_session").unwrap();
    assert_eq!(app.get("/caseload", &ann_session).await.status, StatusCode::OK);

    let off = app
        .post(
            &format!("/admin/users/{}/active", ann.id),
            &admin,
            &format!("csrf_token={csrf}&active=false"),
        )
        .await;
    assert_eq!(off.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/caseload", &ann_session).await.location(),
        "/sign-in?timed-out=1",
        "signed out at once"
    );
    assert!(
        app.store
            .staff_for_sign_in("ann.other@demoshire.test")
            .await
            .unwrap()
            .is_none()
    );
    let me = app
        .store
        .staff_for_sign_in("admin@demoshire.test")
        .await
        .unwrap()
        .unwrap()
        .0;
    let myself = app
        .post(
            &format!("/admin/users/{}/active", me.id),
            &admin,
            &format!("csrf_token={csrf}&active=false"),
        )
        .await;
    assert!(myself.body.contains("You cannot deactivate your own account"));
    let team = app
        .post("/admin/teams", &admin, &format!("csrf_token={csrf}&name=North"))
        .await;
    assert!(team.body.contains("A team with this name already exists"));
    assert_eq!(
        app.post(
            "/admin/teams",
            &admin,
            &format!("csrf_token={csrf}&name=Leaving+care+UASC")
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
}

const PERSON: &str =
    "given_name=Kai&family_name=Newman&dob-day=29&dob-month=2&dob-year=2008&sex=M&ethnicity=WBRI&uasc=no&disability=no";

async fn a_manager_adds_a_young_person_correcting_a_mistake_and_is_warned_of_a_duplicate(store: TestStore) {
    let app = TestApp::new(store, 20).await;
    let manager = app.sign_in("manager.north@demoshire.test").await;
    let team = app.get("/team", &manager).await;
    assert!(team.body.contains("href=\"/young-people/new\""));
    let csrf = team.csrf_token();
    // An impossible date: explained, everything typed kept, nothing saved.
    let wrong = PERSON.replace(
        "dob-day=29&dob-month=2&dob-year=2008",
        "dob-day=30&dob-month=2&dob-year=2008",
    );
    let before = app.store.count_young_people().await.unwrap();
    let page = app
        .post("/young-people/new", &manager, &format!("csrf_token={csrf}&{wrong}"))
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("<a href=\"#dob-day\">Date of birth must be a real date</a>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"Newman\"") && page.body.contains("value=\"30\""));
    assert_eq!(app.store.count_young_people().await.unwrap(), before);
    // Corrected: added to the manager's team, waiting for an adviser.
    let added = app
        .post("/young-people/new", &manager, &format!("csrf_token={csrf}&{PERSON}"))
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let record = app.get(added.location(), &manager).await;
    assert!(record.body.contains("Young person added") && record.body.contains("Kai Newman"));
    let id: i64 = added
        .location()
        .trim_start_matches("/young-people/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let stored = app.store.young_person(id).await.unwrap().unwrap();
    assert_eq!(stored.person.local_id, format!("PW{id}"));
    assert_eq!(stored.current_allocation().unwrap().team_name, "North");
    // The same young person again: a warning, not a second record, until confirmed.
    let again = app
        .post(
            "/young-people/new",
            &manager,
            &format!("csrf_token={csrf}&{}", PERSON.replace("Kai", "kai")),
        )
        .await;
    assert!(again.body.contains("This may be a young person already recorded"));
    assert!(again.body.contains(&format!("href=\"/young-people/{id}\"")));
    assert_eq!(app.store.count_young_people().await.unwrap(), before + 1);
    let confirmed = app
        .post(
            "/young-people/new",
            &manager,
            &format!("csrf_token={csrf}&confirmed_new=yes&{PERSON}"),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.count_young_people().await.unwrap(), before + 2);
}

async fn two_people_editing_the_same_record_do_not_overwrite_each_other(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let manager = app.sign_in("manager.north@demoshire.test").await;
    let caseload = app.get("/caseload", &pa).await;
    let id = caseload.first_young_person();
    let pa_form = app.get(&format!("/young-people/{id}/edit"), &pa).await;
    let manager_form = app.get(&format!("/young-people/{id}/edit"), &manager).await;
    let fields = |body: &str| {
        [
            "version",
            "given_name",
            "family_name",
            "dob-day",
            "dob-month",
            "dob-year",
        ]
        .iter()
        .map(|name| format!("{name}={}", field(body, name)))
        .collect::<Vec<_>>()
        .join("&")
    };
    let chosen = |body: &str, name: &str| {
        body.split(&format!("name=\"{name}\" type=\"radio\" value=\""))
            .skip(1)
            .find(|rest| rest.split('>').next().unwrap_or("").contains("checked"))
            .map(|r| r.split('"').next().unwrap().to_owned())
            .unwrap()
    };
    let rest = |body: &str| {
        let ethnicity = body
            .split("selected>")
            .next()
            .unwrap()
            .rsplit("value=\"")
            .next()
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        format!(
            "sex={}&uasc={}&disability={}&ethnicity={ethnicity}",
            chosen(body, "sex"),
            chosen(body, "uasc"),
            chosen(body, "disability")
        )
    };
    let pa_body = format!(
        "csrf_token={}&{}&{}&preferred_name=Sunny",
        pa_form.csrf_token(),
        fields(&pa_form.body),
        rest(&pa_form.body)
    );
    let saved = app.post(&format!("/young-people/{id}/edit"), &pa, &pa_body).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let manager_body = format!(
        "csrf_token={}&{}&{}&preferred_name=Storm",
        manager_form.csrf_token(),
        fields(&manager_form.body),
        rest(&manager_form.body)
    );
    let refused = app
        .post(&format!("/young-people/{id}/edit"), &manager, &manager_body)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Someone else saved changes to this record while you were editing it")
    );
    assert!(
        refused.body.contains("value=\"Storm\""),
        "the second person's text is kept"
    );
    let stored = app.store.young_person(id).await.unwrap().unwrap();
    assert_eq!(stored.person.preferred_name.as_deref(), Some("Sunny"));
    assert_eq!(
        app.store
            .audit_trail(id, 5)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "update_young_person")
            .count(),
        1
    );
}

async fn an_overlapping_episode_is_refused_and_a_correct_one_changes_the_category(store: TestStore) {
    let app = TestApp::new(store, 20).await;
    // A new 17-year-old, never looked after: not a care leaver.
    let (manager, csrf, id) = app.new_seventeen_year_old().await;
    let path = format!("/young-people/{id}/episodes/new");
    let open = "start-day=1&start-month=4&start-year=2025&legal_status=V2&placement=u1";
    assert_eq!(
        app.post(&path, &manager, &format!("csrf_token={csrf}&{open}"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let record = app.get(&format!("/young-people/{id}"), &manager).await;
    assert!(
        record.body.contains(">Eligible</strong>"),
        "looked after since April 2025, aged 16+"
    );
    let overlapping = app
        .post(&path, &manager, &format!("csrf_token={csrf}&start-day=1&start-month=5&start-year=2025&end-day=1&end-month=6&end-year=2025&legal_status=C2&reason_ended=E8"))
        .await;
    assert_eq!(overlapping.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        overlapping
            .body
            .contains("This episode overlaps another episode of care")
    );
    let backwards = app
        .post(&path, &manager, &format!("csrf_token={csrf}&start-day=1&start-month=5&start-year=2020&end-day=1&end-month=4&end-year=2020&legal_status=C2&reason_ended=E8"))
        .await;
    assert!(backwards.body.contains("End date must be on or after the start date"));
    assert_eq!(app.store.young_person(id).await.unwrap().unwrap().episodes.len(), 1);
}

/// The caseload row of one young person.
fn caseload_row(body: &str, id: i64) -> String {
    body.split(&format!("/young-people/{id}\""))
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap()
        .to_owned()
}

async fn a_personal_adviser_records_a_move_and_a_visit_becomes_due_within_seven_days(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let id = app.get("/caseload", &pa).await.first_young_person();
    let path = format!("/young-people/{id}/accommodation/new");
    let form = app.get(&path, &pa).await;
    let csrf = form.csrf_token();
    // Homelessness is never suitable; the date is in the future.
    let wrong = app
        .post(
            &path,
            &pa,
            &format!("csrf_token={csrf}&start-day=27&start-month=11&start-year=2026&kind=S&suitable=yes&arranged_by_council=no"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("The date they moved in must be today or in the past")
    );
    assert!(
        wrong
            .body
            .contains("No fixed abode or homeless is always recorded as not suitable")
    );
    assert!(
        wrong.body.contains("href=\"#start-day\""),
        "the summary links to the date"
    );
    let moved = app
        .post(
            &path,
            &pa,
            &format!("csrf_token={csrf}&start-day=24&start-month=11&start-year=2026&kind=E&suitable=yes&arranged_by_council=yes&address=Hope+Street"),
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let record = app.get(&format!("/young-people/{id}?moved=1"), &pa).await;
    assert!(record.body.contains("Move recorded"));
    assert!(record.body.contains("Supported lodgings: Hope Street") && record.body.contains("E1"));
    // Moving on 24 November puts a visit due by 1 December (CLR 2010 reg 8(2)),
    // unless the young person is not owed visits.
    let row = caseload_row(&app.get("/caseload", &pa).await.body, id);
    assert!(row.contains("Supported lodgings"), "{row}");
    if record.body.contains("Moved into new accommodation on 24 November 2026") {
        assert!(record.body.contains("1 December 2026"));
    }
    // The same date again is refused: it is not after the current stay began.
    let again = app
        .post(
            &path,
            &pa,
            &format!("csrf_token={csrf}&start-day=24&start-month=11&start-year=2026&kind=U&suitable=yes&arranged_by_council=no"),
        )
        .await;
    assert!(
        again
            .body
            .contains("The date must be after the current accommodation started on 24 November 2026")
    );
}

async fn a_needs_assessment_covers_every_dimension_and_the_first_plan_starts_from_it(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let (manager, csrf, id) = app.new_seventeen_year_old().await;
    let path = format!("/young-people/{id}/needs-assessments/new");
    assert_eq!(app.get(&path, &manager).await.status, StatusCode::OK);
    let partial = app
        .post(
            &path,
            &manager,
            &format!("csrf_token={csrf}&completed-day=27&completed-month=11&completed-year=2026&needs-health=Register+with+a+dentist"),
        )
        .await;
    assert_eq!(partial.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(partial.body.contains("The date must be today or in the past"));
    assert!(partial.body.contains("Enter the needs found for identity, or write"));
    assert!(
        partial.body.contains("href=\"#needs-practical_skills\""),
        "the summary links to each missing dimension"
    );
    assert!(!partial.body.contains("Enter the needs found for health"));
    assert!(
        partial.body.contains("Register with a dentist"),
        "what was typed is kept"
    );
    assert!(
        app.store.needs_assessments_of(id).await.unwrap().is_empty(),
        "nothing saved"
    );
    let needs = "needs-health=Register+with+a+dentist&needs-education=College+place+for+September\
        &needs-accommodation=Stay+with+foster+carers&needs-finance=Open+a+bank+account\
        &needs-relationships=Contact+with+sister&needs-practical_skills=Cooking+on+a+budget\
        &needs-identity=None+identified&needs-emotional_wellbeing=Keep+seeing+CAMHS";
    let saved = app
        .post(
            &path,
            &manager,
            &format!("csrf_token={csrf}&completed-day=20&completed-month=11&completed-year=2026&{needs}&summary=Done+with+her+carer"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let record = app.get(&format!("/young-people/{id}"), &manager).await;
    assert!(
        record
            .body
            .contains("Needs found at the assessment of 20 November 2026")
    );
    assert!(record.body.contains("Cooking on a budget") && record.body.contains("Done with her carer"));
    // The first plan starts from the assessment: each section's needs are filled in.
    let started = app
        .post(
            &format!("/young-people/{id}/plans/new"),
            &manager,
            &format!("csrf_token={csrf}"),
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let section = app
        .get(&format!("{}/sections/finance", started.location()), &manager)
        .await;
    assert!(section.body.contains("Open a bank account"), "{}", section.body);
    let contingency = app
        .get(&format!("{}/sections/contingency", started.location()), &manager)
        .await;
    assert!(!contingency.body.contains("None identified"));
}

async fn tasks_are_added_by_hand_listed_and_marked_done(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let manager = app.sign_in("manager.north@demoshire.test").await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let id = app.get("/caseload", &pa).await.first_young_person();
    let path = format!("/young-people/{id}/tasks/new");
    let form = app.get(&path, &manager).await;
    let csrf = form.csrf_token();
    let missing = app.post(&path, &manager, &format!("csrf_token={csrf}&title=")).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Enter what needs doing") && missing.body.contains("Select who will do it"));
    let pa_id = field(&form.body, "assigned_to");
    let added = app
        .post(
            &path,
            &manager,
            &format!("csrf_token={csrf}&title=Book+passport+appointment&due-day=30&due-month=11&due-year=2026&assigned_to={pa_id}"),
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let tasks = app.get("/tasks", &pa).await;
    assert!(tasks.body.contains("Book passport appointment"), "the PA sees the task");
    let team_tasks = app.get("/tasks", &manager).await;
    assert!(team_tasks.body.contains("Book passport appointment"));
    assert!(team_tasks.body.contains("North team"));
    let done_path = tasks
        .body
        .split("action=\"/tasks/")
        .nth(1)
        .map(|r| format!("/tasks/{}", r.split('"').next().unwrap()))
        .unwrap();
    let other = app.sign_in("pa.east1@demoshire.test").await;
    let refused = app
        .post(
            &done_path,
            &other,
            &format!("csrf_token={}", app.get("/tasks", &other).await.csrf_token()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND, "not theirs to close");
    let done = app
        .post(&done_path, &pa, &format!("csrf_token={}", tasks.csrf_token()))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let after = app.get("/tasks?done=1", &pa).await;
    assert!(after.body.contains("Task marked as done"));
    assert!(!after.body.contains("Book passport appointment"));
    let compliance = app.get("/compliance", &manager).await;
    assert_eq!(compliance.status, StatusCode::OK);
    assert!(compliance.body.contains("Visits within timescale") && compliance.body.contains("By personal adviser"));
    let own = app.get("/compliance", &pa).await;
    assert!(own.body.contains("Your caseload") && !own.body.contains("By personal adviser"));
    assert_eq!(
        app.get("/compliance?team=999", &manager).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn recording_a_death_ends_the_allocation_and_keeps_the_record_readable(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let id = app.get("/caseload", &pa).await.first_young_person();
    let record = app.get(&format!("/young-people/{id}"), &pa).await;
    assert!(record.body.contains(&format!("href=\"/young-people/{id}/death\"")));
    let path = format!("/young-people/{id}/death");
    let form = app.get(&path, &pa).await;
    let csrf = form.csrf_token();
    let version = field(&form.body, "version").to_owned();
    let future = app
        .post(
            &path,
            &pa,
            &format!("csrf_token={csrf}&version={version}&died-day=1&died-month=12&died-year=2026"),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("The date must be today or in the past"));
    let stale = app
        .post(
            &path,
            &pa,
            &format!("csrf_token={csrf}&version=0&died-day=20&died-month=11&died-year=2026"),
        )
        .await;
    assert!(
        stale.body.contains("Someone else changed this record"),
        "a stale version is refused"
    );
    let done = app
        .post(
            &path,
            &pa,
            &format!("csrf_token={csrf}&version={version}&died-day=20&died-month=11&died-year=2026"),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let record = app.get(&format!("/young-people/{id}?died=1"), &pa).await;
    assert_eq!(record.status, StatusCode::OK, "the team can still read the record");
    assert!(record.body.contains("Death recorded") && record.body.contains("Died on 20 November 2026"));
    assert!(!record.body.contains("has died</a>"), "no second death");
    assert!(
        record.body.contains("20 November 2026"),
        "the allocation ended that day"
    );
    let caseload = app.get("/caseload", &pa).await;
    assert!(
        !caseload.body.contains(&format!("/young-people/{id}\"")),
        "off the caseload"
    );
    assert_eq!(
        app.get(&format!("/young-people/{id}/edit"), &pa).await.status,
        StatusCode::NOT_FOUND,
        "the former personal adviser can no longer change it"
    );
    let manager = app.sign_in("manager.north@demoshire.test").await;
    assert_eq!(
        app.get(&format!("/young-people/{id}/edit"), &manager).await.status,
        StatusCode::OK
    );
}

/// A `multipart/form-data` body with the CSRF token and one file.
fn photo_upload(csrf: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "pathways-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn a_photo_is_added_without_its_metadata_and_shown_only_within_scope(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let id = app.get("/caseload", &pa).await.first_young_person();
    let path = format!("/young-people/{id}/photo/new");
    let csrf = app.get(&path, &pa).await.csrf_token();
    let send = |content_type: String, body: Vec<u8>| {
        Request::post(&path)
            .header(header::COOKIE, &pa)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap()
    };
    let (kind, body) = photo_upload(&csrf, b"not a picture");
    let wrong = app.send(send(kind, body)).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("The photo must be a JPEG or PNG"));
    // Noise compresses badly: a photo of several megabytes, as phones take.
    let mut seed: u32 = 7;
    let picture = image::RgbImage::from_fn(1200, 900, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut png = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    // Whatever rides along in the file (here, after the image data) is not kept.
    png.extend_from_slice(b"GPSLatitude 53.4084");
    assert!(png.len() > 2 * 1024 * 1024, "{} bytes", png.len());
    let (kind, body) = photo_upload(&csrf, &png);
    let saved = app.send(send(kind, body)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let record = app.get(&format!("/young-people/{id}?photo=1"), &pa).await;
    assert!(record.body.contains("Photo saved") && record.body.contains("alt=\"Photo of "));
    let photo = app.get(&format!("/young-people/{id}/photo"), &pa).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(photo.headers.get(header::CONTENT_TYPE).unwrap(), "image/jpeg");
    assert!(photo.body.len() < png.len() && !photo.body.contains("GPSLatitude"));
    let east = app.sign_in("pa.east1@demoshire.test").await;
    assert_eq!(
        app.get(&format!("/young-people/{id}/photo"), &east).await.status,
        StatusCode::NOT_FOUND
    );
    let trail = app.store.audit_trail(id, 50).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "set_photo"));
    assert!(
        trail
            .iter()
            .any(|e| e.action == "view_young_person" && e.detail == "photo")
    );
}

/// A `multipart/form-data` body for the SSDA903 form: its fields (a `None` value
/// leaves the field out), then each (input, file name, contents).
fn return_upload(fields: &[(&str, Option<&str>)], files: &[(&str, &str, &str)]) -> (String, Vec<u8>) {
    let boundary = "pathways-903-boundary";
    let mut body = String::new();
    for (name, value) in fields {
        if let Some(value) = value {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            ));
        }
    }
    for (input, file, text) in files {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{input}\"; filename=\"{file}\"\r\nContent-Type: text/csv\r\n\r\n{text}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body.into_bytes())
}

/// This year's Header: child 1002's sex and child 1003's ethnicity are not 903 codes.
const HEADER_WITH_ERRORS: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n\
    1001,M,01/01/2010,WBRI,,,\n\
    1002,Z,01/01/2010,WBRI,,,\n\
    \n\
    1003,F,01/01/2010,XXXX,,,\n";

async fn a_performance_officer_checks_an_ssda903_return_and_downloads_the_workbook(store: TestStore) {
    let app = TestApp::new(store, 20).await;
    let officer = app.sign_in("performance@demoshire.test").await;
    let team = app.get("/team", &officer).await;
    assert!(team.body.contains("href=\"/returns/ssda903\""), "in the navigation");
    let form = app.get("/returns/ssda903", &officer).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    // The collection year being gathered on 26 November 2026 ends 31 March 2027.
    assert!(form.body.contains("<option value=\"2027\" selected>"), "{}", form.body);
    let csrf = form.csrf_token();
    let post = |fields: &[(&str, Option<&str>)], files: &[(&str, &str, &str)]| {
        let (kind, body) = return_upload(fields, files);
        Request::post("/returns/ssda903")
            .header(header::COOKIE, &officer)
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .unwrap()
    };
    let fields = |action: &'static str| -> Vec<(&str, Option<&str>)> {
        vec![
            ("csrf_token", Some(csrf.as_str())),
            ("year", Some("2027")),
            ("local_authority", Some("e09000027")),
            ("action", Some(action)),
        ]
    };
    let check = fields("check");
    let audited = app.store.count_audit_entries().await.unwrap();
    let files = [("this_year", "header.csv", HEADER_WITH_ERRORS)];
    let report = app.send(post(&check, &files)).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert!(
        report.body.contains("year ending 31 March 2027 (2026-27)"),
        "{}",
        report.body
    );
    assert!(report.body.contains("header.csv") && report.body.contains(">Header<"));
    assert!(
        report
            .body
            .contains("101: The child or young person’s reported sex is not valid.")
    );
    assert!(
        report
            .body
            .contains("103: The ethnicity code is either not valid or has not been entered.")
    );
    // Each row by its line in the file (the blank line counts) and its child.
    let rule_103 = report.body.split("id=\"rule-103\"").nth(1).unwrap();
    let first_row = rule_103.split("</tr>").nth(1).unwrap();
    assert!(
        first_row.contains("line 5") && first_row.contains("1003"),
        "{first_row}"
    );
    let rule_101 = report.body.split("id=\"rule-101\"").nth(1).unwrap();
    assert!(rule_101.split("</tr>").nth(1).unwrap().contains("line 3"));
    let download = app.send(post(&fields("workbook"), &files)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(
        download.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = download
        .headers
        .get(header::CONTENT_DISPOSITION)
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(disposition, "attachment; filename=\"ssda903-validation-2027.xlsx\"");
    assert!(
        download.body.as_bytes().starts_with(b"PK\x03\x04"),
        "a zip, as xlsx files are"
    );
    // Each check is audited (with the year and counts, never the files).
    assert_eq!(app.store.count_audit_entries().await.unwrap(), audited + 2);

    // A file that is not a return, and a ragged row, are named with their line;
    // what was chosen is kept, the files are asked for again.
    let bad = app
        .send(post(&check, &[("this_year", "notes.csv", "NAME,AGE\nSam,17\n")]))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("govuk-error-summary"), "{}", bad.body);
    assert!(
        bad.body
            .contains("notes.csv:1: the header row (NAME,AGE) does not match any SSDA903 table")
    );
    assert!(bad.body.contains("choose the files again"));
    assert!(bad.body.contains("value=\"e09000027\""), "the code typed is kept");
    assert!(bad.body.starts_with("<!DOCTYPE html>") && bad.body.contains("<title>Error: "));
    let ragged = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1001,M,01/01/2010,WBRI,,,\n1002,M\n";
    let bad = app
        .send(post(
            &check,
            &[
                ("this_year", "header.csv", HEADER_WITH_ERRORS),
                ("last_year", "old-header.csv", ragged),
            ],
        ))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("href=\"#last_year\">old-header.csv:3: the row has 2 fields but the header has 7"),
        "{}",
        bad.body
    );
    let none = app.send(post(&check, &[])).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Select this year&#39;s CSV files"), "{}", none.body);

    // Over the limit for this route (a large council's return is about 25 MB).
    let huge = "a".repeat(pathways_app::ssda903::MAX_RETURN_UPLOAD_BYTES + 1);
    let too_big = app.send(post(&check, &[("this_year", "header.csv", &huge)])).await;
    drop(huge);
    assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_big.body.contains("The files must be smaller than 64 MB together"),
        "{}",
        too_big.body
    );

    // Without the CSRF token, refused before the files are read.
    let mut forged = check.clone();
    forged.retain(|(name, _)| *name != "csrf_token");
    let refused = app.send(post(&forged, &files)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Only those who make the returns.
    let adviser = app.sign_in("pa.north1@demoshire.test").await;
    assert_eq!(
        app.get("/returns/ssda903", &adviser).await.status,
        StatusCode::NOT_FOUND
    );
    let caseload = app.get("/caseload", &adviser).await;
    assert!(
        !caseload.body.contains("/returns/ssda903"),
        "not in an adviser's navigation"
    );
    let (kind, body) = return_upload(&check, &files);
    let as_adviser = Request::post("/returns/ssda903")
        .header(header::COOKIE, &adviser)
        .header(header::CONTENT_TYPE, kind)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(as_adviser).await.status, StatusCode::NOT_FOUND);
}

/// Saves one section of a plan as its form would, returning the response.
async fn save_plan_section(app: &TestApp, who: &str, plan: &str, dimension: &str, fields: &str) -> Page {
    let path = format!("{plan}/sections/{dimension}");
    let form = app.get(&path, who).await;
    assert_eq!(form.status, StatusCode::OK, "{path}");
    let version = field(&form.body, "version").to_owned();
    app.post(
        &path,
        who,
        &format!("csrf_token={}&version={version}&{fields}", form.csrf_token()),
    )
    .await
}

async fn a_pathway_plan_goes_from_draft_to_active_and_a_review_makes_a_new_version(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let manager = app.sign_in("manager.north@demoshire.test").await;
    let id = app.get("/caseload", &pa).await.first_young_person();
    let record = app.get(&format!("/young-people/{id}"), &pa).await;
    let started = app
        .post(
            &format!("/young-people/{id}/plans/new"),
            &pa,
            &format!("csrf_token={}", record.csrf_token()),
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let plan = started.location().to_owned();
    let page = app.get(&plan, &pa).await;
    assert!(page.body.contains("Draft") && page.body.contains("Not started"));
    // Submitting an empty plan names every section that is missing its needs.
    let version = field(&page.body, "version").to_owned();
    let early = app
        .post(
            &format!("{plan}/submit"),
            &pa,
            &format!("csrf_token={}&version={version}", page.csrf_token()),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early
            .body
            .contains("Contingency plan: set out the needs, or say there are none")
    );
    assert!(early.body.contains("href=\"#contingency\""));
    // An action without a date is kept as typed; a badly typed date is an error.
    let wrong = save_plan_section(
        &app,
        &pa,
        &plan,
        "health",
        "own_words=I+want+to+see+a+dentist&needs=Register+with+a+GP&action-1=Book+GP&owner-1=Sam&due-1-day=31&due-1-month=2&due-1-year=2027",
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("value=\"Book GP\""), "typed text is kept");
    for dimension in PlanDimension::ALL {
        let fields = if *dimension == PlanDimension::Health {
            "own_words=I+want+to+see+a+dentist&needs=Register+with+a+GP&action-1=Book+GP&owner-1=Sam&due-1-day=15&due-1-month=1&due-1-year=2027&status-1=not_started".to_owned()
        } else {
            format!("needs=Needs+for+{}", dimension.code())
        };
        let saved = save_plan_section(&app, &pa, &plan, dimension.code(), &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{dimension:?}: {}", saved.body);
    }
    // A save from a form opened before the last save is refused, keeping the text.
    let stale = app
        .post(
            &format!("{plan}/sections/identity"),
            &pa,
            &format!("csrf_token={}&version={version}&needs=Old+text", page.csrf_token()),
        )
        .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("Someone else changed this plan") && stale.body.contains("Old text"));
    let submit = |who: String| {
        let app = &app;
        let plan = plan.clone();
        async move {
            let page = app.get(&plan, &who).await;
            let version = field(&page.body, "version").to_owned();
            (page.csrf_token(), version)
        }
    };
    let (csrf, version) = submit(pa.clone()).await;
    let sent = app
        .post(
            &format!("{plan}/submit"),
            &pa,
            &format!("csrf_token={csrf}&version={version}"),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    // The PA cannot sign off their own plan; the manager returns it with comments.
    let (csrf, version) = submit(pa.clone()).await;
    let own = app
        .post(
            &format!("{plan}/decision"),
            &pa,
            &format!("csrf_token={csrf}&version={version}&decision=sign_off"),
        )
        .await;
    assert_eq!(own.status, StatusCode::NOT_FOUND);
    let (csrf, version) = submit(manager.clone()).await;
    let no_comment = app
        .post(
            &format!("{plan}/decision"),
            &manager,
            &format!("csrf_token={csrf}&version={version}&decision=return"),
        )
        .await;
    assert!(no_comment.body.contains("Say what needs to change"));
    let returned = app
        .post(
            &format!("{plan}/decision"),
            &manager,
            &format!("csrf_token={csrf}&version={version}&decision=return&comments=Add+the+college+course"),
        )
        .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER);
    assert!(app.get(&plan, &pa).await.body.contains("Add the college course"));
    let saved = save_plan_section(&app, &pa, &plan, "education", "needs=College+course+from+January").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let (csrf, version) = submit(pa.clone()).await;
    app.post(
        &format!("{plan}/submit"),
        &pa,
        &format!("csrf_token={csrf}&version={version}"),
    )
    .await;
    let (csrf, version) = submit(manager.clone()).await;
    let signed = app
        .post(
            &format!("{plan}/decision"),
            &manager,
            &format!("csrf_token={csrf}&version={version}&decision=sign_off"),
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    // The young person's agreement, recorded by the PA, makes it active.
    let agreement = app.get(&format!("{plan}/agreement"), &pa).await;
    assert_eq!(agreement.status, StatusCode::OK);
    let version = field(&agreement.body, "version").to_owned();
    let csrf = agreement.csrf_token();
    let future = app
        .post(
            &format!("{plan}/agreement"),
            &pa,
            &format!(
                "csrf_token={csrf}&version={version}&agreed-day=27&agreed-month=11&agreed-year=2026&method=in_person"
            ),
        )
        .await;
    assert!(future.body.contains("The date must be today or in the past"));
    let agreed = app
        .post(
            &format!("{plan}/agreement"),
            &pa,
            &format!(
                "csrf_token={csrf}&version={version}&agreed-day=26&agreed-month=11&agreed-year=2026&method=in_person"
            ),
        )
        .await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);
    let active = app.get(&format!("{plan}?agreed=1"), &pa).await;
    assert!(
        active.body.contains("this is now the active plan")
            && active.body.contains("Signed in person on 26 November 2026")
    );
    let pdf = app.get(&format!("{plan}/pdf"), &pa).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers.get(header::CONTENT_TYPE).unwrap(), "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"), "a PDF");
    assert!(pdf.body.contains("StructTreeRoot"), "tagged for screen readers");
    assert!(pdf.body.contains("pdfuaid"), "declares PDF/UA");
    let record = app.get(&format!("/young-people/{id}"), &pa).await;
    assert!(record.body.contains("Start a review of the plan"));
    // A review starts version 2 from version 1; comparing shows what changed.
    let review = app
        .post(
            &format!("/young-people/{id}/plans/new"),
            &pa,
            &format!("csrf_token={}", record.csrf_token()),
        )
        .await;
    let second = review.location().to_owned();
    assert_ne!(second, plan);
    let copy = app.get(&second, &pa).await;
    let number = |body: &str| -> i64 {
        body.split("Pathway plan, version ")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    };
    assert_eq!(number(&copy.body), number(&page.body) + 1);
    assert!(
        copy.body.contains("Register with a GP"),
        "the review starts from the last version"
    );
    assert!(
        app.get(&format!("{second}/compare"), &pa)
            .await
            .body
            .contains("Nothing has changed")
    );
    save_plan_section(
        &app,
        &pa,
        &second,
        "accommodation",
        "needs=Moving+to+a+flat&own_words=I+want+my+own+place",
    )
    .await;
    let compared = app.get(&format!("{second}/compare"), &pa).await;
    assert!(compared.body.contains("The needs changed") && compared.body.contains("Moving to a flat"));
    assert!(
        compared.body.contains("Needs for accommodation"),
        "the earlier text is shown beside it"
    );
    let trail = app.store.audit_trail(id, 100).await.unwrap();
    for action in [
        "start_pathway_plan",
        "edit_pathway_plan",
        "submit_pathway_plan",
        "return_pathway_plan",
        "sign_off_pathway_plan",
        "agree_pathway_plan",
    ] {
        assert!(trail.iter().any(|e| e.action == action), "{action} audited");
    }
}

async fn payments_over_the_threshold_wait_for_a_manager_and_totals_run_against_limits(store: TestStore) {
    let app = TestApp::new(store, 60).await;
    let pa = app.sign_in("pa.north1@demoshire.test").await;
    let manager = app.sign_in("manager.north@demoshire.test").await;
    let id = app.get("/caseload", &pa).await.first_young_person();
    let path = format!("/young-people/{id}/payments/new");
    let csrf = app.get(&path, &pa).await.csrf_token();
    let wrong = app
        .post(
            &path,
            &pa,
            &format!("csrf_token={csrf}&amount=12.5&paid-day=20&paid-month=11&paid-year=2026"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Select what the payment is for"));
    assert!(wrong.body.contains("Enter the amount in pounds, like 150 or 49.99"));
    assert!(wrong.body.contains("value=\"12.5\""), "typed amount kept");
    let pay = |amount: &str, what: &str| {
        format!(
            "csrf_token={csrf}&entitlement=setting_up_home&amount={amount}&description={what}&paid-day=20&paid-month=11&paid-year=2026"
        )
    };
    let small = app.post(&path, &pa, &pay("%C2%A3180.00", "Kettle+and+bedding")).await;
    assert_eq!(small.status, StatusCode::SEE_OTHER, "{}", small.body);
    let large = app.post(&path, &pa, &pay("1%2C200", "Sofa+and+bed")).await;
    assert_eq!(large.status, StatusCode::SEE_OTHER);
    let record = app.get(&format!("/young-people/{id}?paid=1"), &pa).await;
    assert!(record.body.contains("Payment recorded"));
    assert!(record.body.contains("£3,000.00") && record.body.contains("£180.00") && record.body.contains("£1,200.00"));
    assert!(
        record.body.contains("Awaiting a manager"),
        "£1,200 is over the £250 threshold"
    );
    assert!(!record.body.contains("/approve\""), "a PA cannot approve");
    let seen = app.get(&format!("/young-people/{id}"), &manager).await;
    let approve = seen
        .body
        .split("action=\"/payments/")
        .nth(1)
        .map(|r| format!("/payments/{}", r.split('"').next().unwrap()))
        .unwrap();
    assert!(approve.ends_with("/approve"));
    let by_pa = app.post(&approve, &pa, &format!("csrf_token={csrf}")).await;
    assert_eq!(by_pa.status, StatusCode::NOT_FOUND);
    let done = app
        .post(&approve, &manager, &format!("csrf_token={}", seen.csrf_token()))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let after = app.get(&format!("/young-people/{id}"), &manager).await;
    assert!(after.body.contains("£1,380.00"), "approved so far");
    assert!(after.body.contains("£1,620.00"), "left of the £3,000 allowance");
    assert_eq!(
        app.post(&approve, &manager, &format!("csrf_token={}", seen.csrf_token()))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "decided once"
    );
    // Staying Put starts at 18 and carries a weekly allowance.
    let put = format!("/young-people/{id}/staying-put/new");
    let early = app
        .post(
            &put,
            &pa,
            &format!("csrf_token={csrf}&with=Pat+and+Lee+Morgan&start-day=1&start-month=1&start-year=2000&weekly=222"),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("Staying Put starts at 18"));
}

on_both_backends!(
    a_performance_officer_checks_an_ssda903_return_and_downloads_the_workbook,
    payments_over_the_threshold_wait_for_a_manager_and_totals_run_against_limits,
    a_pathway_plan_goes_from_draft_to_active_and_a_review_makes_a_new_version,
    recording_a_death_ends_the_allocation_and_keeps_the_record_readable,
    a_photo_is_added_without_its_metadata_and_shown_only_within_scope,
    a_personal_adviser_records_a_move_and_a_visit_becomes_due_within_seven_days,
    a_needs_assessment_covers_every_dimension_and_the_first_plan_starts_from_it,
    tasks_are_added_by_hand_listed_and_marked_done,
    a_personal_adviser_records_a_visit_from_the_record_and_the_caseload_shows_it,
    an_episode_is_corrected_and_a_stale_form_is_refused,
    signed_in_pages_warn_before_the_session_ends_and_can_keep_it_alive,
    a_caseload_sorts_by_age_and_filters_by_category,
    a_forgotten_password_is_reset_from_a_link_sent_by_email,
    a_member_of_staff_changes_their_password_and_signs_in_again,
    guessing_passwords_is_stopped_with_a_clear_message,
    a_manager_adds_a_young_person_correcting_a_mistake_and_is_warned_of_a_duplicate,
    two_people_editing_the_same_record_do_not_overwrite_each_other,
    an_overlapping_episode_is_refused_and_a_correct_one_changes_the_category,
    an_administrator_adds_a_user_and_deactivating_them_ends_their_sessions,
    a_team_manager_sees_caseload_sizes_and_who_is_waiting,
    a_team_manager_allocates_a_waiting_young_person_with_a_reason,
    only_managers_in_scope_may_allocate,
    finding_a_young_person_by_part_of_a_name_stays_within_the_team,
    an_empty_or_impossible_search_is_explained,
    signing_in_sets_a_secure_http_only_session_cookie,
    a_wrong_password_shows_the_error_summary_and_keeps_the_email,
    a_sign_in_form_without_its_csrf_token_is_refused,
    pages_need_a_signed_in_member_of_staff,
    a_personal_adviser_sees_their_caseload_and_opens_a_record,
    another_teams_record_is_not_found,
    managers_and_auditors_see_who_viewed_a_record,
    signing_out_needs_the_csrf_token_and_ends_the_session,
    every_response_carries_the_security_headers,
    the_health_check_reports_the_database,
    the_design_system_assets_are_served,
);
