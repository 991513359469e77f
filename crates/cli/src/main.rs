//! `pathways`: the one binary. Argument parsing, progress and exit codes only;
//! the work is done by the library crates.
//!
//! Exit codes: 0 done; 1 could not run (database unreachable, port in use…);
//! 2 bad input (arguments, files), with a message saying what to fix.

mod commands;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "pathways", version, about = "Pathways: the leaving-care service system")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// How `validate-903` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    /// Errors grouped by rule, for people.
    Text,
    /// `{"rules_run": [...], "errors": [{"table", "row", "code", "child"}]}`.
    Json,
    /// A workbook: a summary sheet and each table with its error cells highlighted.
    Xlsx,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create (or reuse) the fictional Demoshire council on SQLite and serve it.
    Demo {
        /// The SQLite file to use; created when missing.
        #[arg(long, default_value = "pathways-demo.sqlite")]
        db: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// How many young people Demoshire has.
        #[arg(long, default_value_t = 1000)]
        size: usize,
        /// Create the council, print what was made, and exit without serving.
        #[arg(long)]
        seed_only: bool,
    },
    /// Serve the web app on a database already migrated.
    Serve {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Allow session cookies over plain HTTP (only behind a trusted network).
        #[arg(long)]
        insecure_cookies: bool,
        /// The address people use to reach Pathways, for links in emails
        /// (default: http:// and the bind address).
        #[arg(long, env = "PATHWAYS_PUBLIC_URL")]
        public_url: Option<String>,
        /// SMTP server for outgoing email, e.g. smtp://relay.example.gov.uk:587?tls=required
        #[arg(long, env = "PATHWAYS_SMTP_URL")]
        smtp_url: Option<String>,
        /// The address email comes from.
        #[arg(long, env = "PATHWAYS_MAIL_FROM", default_value = "Pathways <pathways@localhost>")]
        mail_from: String,
    },
    /// Apply database migrations.
    Migrate {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
    },
    /// Legal leaving-care category of each child in SSDA903 Header and Episodes
    /// CSV tables, as at a date.
    LeavingCareStatus {
        /// The date to work out categories for (YYYY-MM-DD).
        #[arg(long, value_parser = commands::parse_iso_date)]
        as_at: jiff::civil::Date,
        /// Folder holding the SSDA903 CSV tables.
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Validate an SSDA903 return (its CSV tables in DIR) with the DfE's rules for
    /// the collection year ending 31 March YEAR. Exits 0 when errors are found.
    #[command(name = "validate-903")]
    Validate903 {
        /// The year the collection ends, e.g. 2026 for 1 April 2025 to 31 March 2026.
        #[arg(long)]
        year: i16,
        /// Folder holding this year's CSV tables.
        dir: PathBuf,
        /// Folder holding last year's tables, for the rules that compare years.
        #[arg(long)]
        previous: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// Run only these rules (codes separated by commas, e.g. 103,545B).
        #[arg(long, value_delimiter = ',')]
        rules: Option<Vec<String>>,
        /// Where `--format xlsx` writes the workbook (default: validation-YEAR.xlsx).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The council's ONS code (e.g. E09000027), for rules about placement areas.
        #[arg(long)]
        local_authority: Option<String>,
        /// Give the results the DfE's validator gives, its known bugs included, where
        /// it departs from the DfE's rule text (listed in docs/903-differences.md).
        #[arg(long)]
        as_reference: bool,
    },
    /// Import children (Header), episodes (Episodes) and OC3 rows from SSDA903 CSV
    /// tables into the database, in one transaction, matching young people by CHILD id.
    #[command(name = "import-903")]
    Import903 {
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        /// Folder holding the SSDA903 CSV tables.
        dir: PathBuf,
    },
    /// Write header.csv, episodes.csv and oc3.csv for a collection year from the database.
    #[command(name = "export-903")]
    Export903 {
        /// The collection year, by the year it ends (31 March YYYY).
        #[arg(long, value_parser = clap::value_parser!(i16).range(2000..=2100))]
        year: i16,
        #[arg(long, env = "DATABASE_URL")]
        database_url: String,
        /// Folder to write the tables to (created when missing).
        out_dir: PathBuf,
    },
}

/// Why a command failed, and so which exit code.
#[derive(Debug)]
enum Failure {
    /// The input was wrong: exit 2.
    BadInput(String),
    /// Something outside the input failed: exit 1.
    CouldNotRun(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::CouldNotRun(error.into())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("pathways: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(Failure::CouldNotRun(error)) => {
            eprintln!("pathways: {error:#}");
            ExitCode::from(1)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Demo {
            db,
            bind,
            size,
            seed_only,
        } => commands::demo(&db, &bind, size, seed_only).await,
        Command::Serve {
            database_url,
            bind,
            insecure_cookies,
            public_url,
            smtp_url,
            mail_from,
        } => {
            let mail = commands::MailSettings {
                public_url,
                smtp_url,
                mail_from,
            };
            commands::serve(&database_url, &bind, insecure_cookies, mail).await
        }
        Command::Migrate { database_url } => commands::migrate(&database_url).await,
        Command::LeavingCareStatus { as_at, dir, format } => commands::leaving_care_status(as_at, &dir, format),
        Command::Validate903 {
            year,
            dir,
            previous,
            format,
            rules,
            output,
            local_authority,
            as_reference,
        } => {
            let request = commands::Validation {
                year,
                dir,
                previous,
                rules,
                output,
                local_authority,
                as_reference,
            };
            commands::validate_903(&request, format)
        }
        Command::Import903 { database_url, dir } => commands::import_903(&database_url, &dir).await,
        Command::Export903 {
            year,
            database_url,
            out_dir,
        } => commands::export_903(year, &database_url, &out_dir).await,
    }
}
