//! One function per command.

use crate::{Failure, Format, ReportFormat};
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use pathways_app::clock::SystemClock;
use pathways_app::demo::{COUNCIL_NAME, DEMO_PASSWORD, create_demo_council, demo_sign_ins};
use pathways_app::mail::{MailSink, Mailer};
use pathways_domain::legal::{LegalRules, legal_category};
use pathways_returns::ssda903;
use pathways_store::{Store, StoreError};
use pathways_web::{AppState, WebSettings};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

pub fn parse_iso_date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse::<jiff::civil::Date>()
        .map_err(|_| format!("expected a date as YYYY-MM-DD, found {text:?}"))
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn connect(url: &str) -> Result<Store, Failure> {
    Store::connect(url).await.map_err(|e| match e {
        StoreError::BadUrl(_) => Failure::BadInput(format!("pathways: {e}")),
        other => Failure::CouldNotRun(other.into()),
    })
}

pub async fn demo(db: &Path, bind: &str, size: usize, seed_only: bool) -> Result<(), Failure> {
    init_logging();
    let url = format!("sqlite:{}", db.display());
    let store = connect(&url).await?;
    store.migrate().await.context("setting up the demo database")?;
    let clock = SystemClock;
    let rules = LegalRules::default();
    let bar = ProgressBar::new(size as u64).with_style(
        ProgressStyle::with_template("Creating Demoshire {bar:40} {pos}/{len} young people ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let summary = create_demo_council(&store, &clock, &rules, size, &mut |done, _| {
        bar.set_position(done as u64)
    })
    .await
    .map_err(|e| Failure::CouldNotRun(anyhow::anyhow!("{e}")))?;
    bar.finish_and_clear();
    if summary.created {
        eprintln!(
            "Created {} young people and {} staff in {:.2} s",
            summary.young_people,
            summary.staff,
            started.elapsed().as_secs_f64()
        );
    } else {
        eprintln!(
            "Reusing the demo council in {} ({} young people)",
            db.display(),
            summary.young_people
        );
    }
    if seed_only {
        return Ok(());
    }
    let listener = listen(bind).await?;
    let address = listener.local_addr().context("reading the listening address")?;
    println!("Pathways demo: {COUNCIL_NAME}");
    println!("  Open http://{address}/");
    println!("  Sign in with any of these accounts, password {DEMO_PASSWORD}:");
    for account in demo_sign_ins() {
        let team = account.team.map(|t| format!(", {t} team")).unwrap_or_default();
        println!("    {:<34} {}{team}", account.email, account.role.label());
    }
    // The demo's email goes to a mailbox inside this process, printed here.
    let sink = MailSink::start(|mail| {
        println!(
            "\n--- Email to {} ---\n{}---",
            mail.to.join(", "),
            pathways_app::mail::plain_text(&mail.data)
        );
    })
    .await
    .context("starting the demo mailbox")?;
    let mailer = Mailer::new(&sink.url(), "Demoshire Pathways <pathways@demoshire.test>")
        .map_err(|e| Failure::CouldNotRun(e.into()))?;
    println!("  Emails (such as password resets) are printed here.");
    println!("  Press Ctrl-C to stop.");
    // Browsers keep Secure cookies on http://localhost but not on other plain-HTTP hosts.
    let web = WebSettings {
        council_name: COUNCIL_NAME.to_owned(),
        secure_cookies: address.ip().is_loopback(),
        public_url: format!("http://{address}"),
        mailer: Some(mailer),
        ..WebSettings::default()
    };
    serve_on(listener, store, web).await
}

async fn listen(bind: &str) -> Result<tokio::net::TcpListener, Failure> {
    tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| Failure::CouldNotRun(anyhow::anyhow!("cannot listen on {bind}: {e}")))
}

async fn serve_on(listener: tokio::net::TcpListener, store: Store, settings: WebSettings) -> Result<(), Failure> {
    let state = AppState {
        store,
        clock: Arc::new(SystemClock),
        rules: Arc::new(LegalRules::default()),
        compliance: Arc::default(),
        overdue_counts: Arc::default(),
        money: Arc::default(),
        settings: Arc::new(settings),
    };
    pathways_web::serve(listener, state).await.context("serving")?;
    Ok(())
}

/// Outgoing email and the public address for links in it.
#[derive(Debug)]
pub struct MailSettings {
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
}

pub async fn serve(database_url: &str, bind: &str, insecure_cookies: bool, mail: MailSettings) -> Result<(), Failure> {
    init_logging();
    let store = connect(database_url).await?;
    store.check_migrated().await?;
    let council_name = store
        .setting("council_name")
        .await?
        .unwrap_or_else(|| "Pathways".into());
    let listener = listen(bind).await?;
    let address = listener.local_addr().context("reading the listening address")?;
    tracing::info!(%address, "serving Pathways");
    let mailer = match &mail.smtp_url {
        Some(url) => Some(Mailer::new(url, &mail.mail_from).map_err(|e| Failure::BadInput(format!("pathways: {e}")))?),
        None => None,
    };
    println!("Pathways is serving on http://{address}/");
    let web = WebSettings {
        council_name,
        secure_cookies: !insecure_cookies,
        public_url: mail.public_url.unwrap_or_else(|| format!("http://{address}")),
        mailer,
        ..WebSettings::default()
    };
    serve_on(listener, store, web).await
}

pub async fn migrate(database_url: &str) -> Result<(), Failure> {
    let store = connect(database_url).await?;
    store.migrate().await?;
    let versions = store.known_migrations();
    println!(
        "The database is up to date ({} migrations, latest {}).",
        versions.len(),
        versions.last().copied().unwrap_or(0)
    );
    store.close().await;
    Ok(())
}

#[derive(Debug, Serialize)]
struct ChildStatus {
    child: String,
    category: &'static str,
    reason: String,
}

pub fn leaving_care_status(as_at: jiff::civil::Date, dir: &Path, format: Format) -> Result<(), Failure> {
    let bad = |e: ssda903::InputError| Failure::BadInput(e.to_string());
    let found = ssda903::read_dir(dir).map_err(bad)?;
    let children = ssda903::children_from(&found, &dir.display().to_string()).map_err(bad)?;
    let rules = LegalRules::default();
    let statuses: Vec<ChildStatus> = children
        .iter()
        .map(|child| {
            let facts = pathways_domain::legal::LeavingCareFacts {
                date_of_birth: child.date_of_birth,
                episodes: &child.episodes,
                died_on: None,
                returned_home_on: None,
                detained_or_in_hospital_on_16th_birthday: false,
            };
            let found = legal_category(&facts, as_at, &rules);
            ChildStatus {
                child: child.child.to_string(),
                category: found.category.code(),
                reason: found.reason,
            }
        })
        .collect();
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&statuses).context("writing JSON")?;
            println!("{json}");
        }
        Format::Text => {
            let width = statuses.iter().map(|s| s.child.len()).max().unwrap_or(5).max(5);
            println!("{:<width$}  {:<26}  REASON", "CHILD", "CATEGORY");
            for s in &statuses {
                println!("{:<width$}  {:<26}  {}", s.child, s.category, s.reason);
            }
        }
    }
    Ok(())
}

/// What `validate-903` was asked to check.
pub struct Validation {
    pub year: i16,
    pub dir: PathBuf,
    pub previous: Option<PathBuf>,
    pub rules: Option<Vec<String>>,
    pub output: Option<PathBuf>,
    pub local_authority: Option<String>,
    /// Follow the DfE's validator where it departs from the DfE's rule text.
    pub as_reference: bool,
}

pub fn validate_903(request: &Validation, format: ReportFormat) -> Result<(), Failure> {
    use ssda903::validate::{Dataset, report, rules, validate};
    let year = request.year;
    if !(rules::FIRST_YEAR..=rules::LAST_YEAR).contains(&year) {
        return Err(Failure::BadInput(format!(
            "--year {year}: Pathways has the rules for the years ending 31 March {} to {}",
            rules::FIRST_YEAR,
            rules::LAST_YEAR
        )));
    }
    let year_rules = rules::for_year(year);
    if let Some(codes) = &request.rules {
        let unknown: Vec<&str> = codes
            .iter()
            .filter(|c| !year_rules.iter().any(|r| r.code.eq_ignore_ascii_case(c)))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(Failure::BadInput(format!(
                "--rules: no rule {} in the year ending 31 March {year}",
                unknown.join(", ")
            )));
        }
    }
    let mut dataset =
        Dataset::read(year, &request.dir, request.previous.as_deref()).map_err(|e| Failure::BadInput(e.to_string()))?;
    dataset.local_authority = request.local_authority.clone();
    if request.as_reference {
        dataset.follow = ssda903::validate::Follow::Reference;
    }
    let found = validate(&dataset, request.rules.as_deref());
    match format {
        ReportFormat::Json => {
            // Streamed: a large return's JSON is as big as the return itself.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            serde_json::to_writer(&mut out, &found).context("writing JSON")?;
            writeln!(out).and_then(|()| out.flush()).context("writing JSON")?;
        }
        ReportFormat::Text => print!(
            "{}",
            report::text(&found, &dataset, &year_rules, &report::Lines::read(&dataset))
        ),
        ReportFormat::Xlsx => {
            let path = request
                .output
                .clone()
                .unwrap_or_else(|| PathBuf::from(format!("validation-{year}.xlsx")));
            let bytes = report::workbook(&found, &dataset, &year_rules).context("making the workbook")?;
            std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
            println!(
                "{} errors in {} rules; workbook written to {}",
                found.errors.len(),
                found.rules_run.len(),
                path.display()
            );
        }
    }
    Ok(())
}

fn ssda903_failure(error: pathways_app::ssda903::Ssda903Error, what: &str) -> Failure {
    match error {
        pathways_app::ssda903::Ssda903Error::Input(e) => Failure::BadInput(format!("{e} ({what})")),
        pathways_app::ssda903::Ssda903Error::Store(e) => {
            Failure::CouldNotRun(anyhow::Error::new(e).context(what.to_owned()))
        }
    }
}

pub async fn import_903(database_url: &str, dir: &Path) -> Result<(), Failure> {
    use pathways_app::clock::Clock;
    let store = connect(database_url).await?;
    store.check_migrated().await?;
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("Importing {bar:40} {pos}/{len} children ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let result = pathways_app::ssda903::import_903(&store, dir, SystemClock.now(), &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .await;
    bar.finish_and_clear();
    store.close().await;
    let s = result.map_err(|e| ssda903_failure(e, "nothing was imported"))?;
    let seconds = started.elapsed().as_secs_f64();
    if !s.changed_anything() {
        println!(
            "Nothing changed: the database already holds these tables ({} children, {} OC3 rows; {seconds:.2} s).",
            s.children_unchanged, s.oc3_unchanged
        );
        return Ok(());
    }
    println!("Imported the SSDA903 tables in {} ({seconds:.2} s):", dir.display());
    println!(
        "  children: {} added, {} updated, {} unchanged",
        s.children_added, s.children_updated, s.children_unchanged
    );
    println!(
        "  episodes: {} added, {} replaced",
        s.episodes_added, s.episodes_replaced
    );
    println!(
        "  OC3 rows: {} added, {} updated, {} unchanged",
        s.oc3_added, s.oc3_updated, s.oc3_unchanged
    );
    Ok(())
}

pub async fn export_903(year: i16, database_url: &str, out_dir: &Path) -> Result<(), Failure> {
    use pathways_app::clock::Clock;
    let store = connect(database_url).await?;
    store.check_migrated().await?;
    let started = Instant::now();
    let rules = pathways_domain::compliance::ComplianceRules::default();
    let result =
        pathways_app::ssda903::export_903(&store, year, &LegalRules::default(), &rules, out_dir, SystemClock.now())
            .await;
    store.close().await;
    let s = result.map_err(|e| ssda903_failure(e, "the return was not written"))?;
    println!(
        "Wrote the SSDA903 return for the year ending 31 March {year} to {} ({:.2} s):",
        out_dir.display(),
        started.elapsed().as_secs_f64()
    );
    println!("  header.csv: {} children", s.children);
    println!("  episodes.csv: {} episodes", s.episodes);
    println!(
        "  oc3.csv: {} rows ({} from Pathways' records, {} as imported)",
        s.oc3_computed + s.oc3_imported,
        s.oc3_computed,
        s.oc3_imported
    );
    Ok(())
}
