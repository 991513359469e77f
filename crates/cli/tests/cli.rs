//! The `pathways` command as a user runs it: arguments, output and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn pathways(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pathways"))
        .args(args)
        .output()
        .expect("run pathways")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
const EPISODES: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// A small return: one child in each of several categories on 26 November 2026.
fn sample_return(dir: &Path) {
    write(
        dir,
        "header.csv",
        &format!(
            "{HEADER}E1,F,15/06/2009,WBRI,,,\nR1,M,15/06/2009,WBRI,,,\nF1,F,01/01/2007,BAFR,,,\nQ1,M,01/01/2009,WBRI,,,\nU1,F,01/01/2012,WBRI,,,\nN1,M,01/01/2009,WBRI,,,\nX9,M,01/01/2000,WBRI,,,\n"
        ),
    );
    // Episodes split over two files, as some systems export them.
    write(
        dir,
        "episodes-1.csv",
        &format!(
            "{EPISODES}E1,01/03/2025,S,C2,N1,U1,PR1,,,,,,\nR1,01/01/2025,S,C2,N1,U1,PR1,01/08/2026,E8,,,,\nF1,01/01/2022,S,V2,N8,U6,PR4,01/01/2025,E17,,,,\n"
        ),
    );
    write(
        dir,
        "episodes-2.csv",
        &format!(
            "{EPISODES}Q1,01/02/2025,S,V2,N1,U1,PR1,01/03/2025,E4A,,,,\nU1,01/01/2024,S,C2,N1,U1,PR1,,,,,,\nN1,01/01/2020,S,C2,N1,U1,PR1,01/06/2023,E4A,,,,\n"
        ),
    );
    write(
        dir,
        "oc3.csv",
        "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nF1,01/01/2007,YES,F2,D1\n",
    );
    write(dir, "notes.txt", "not a table");
}

#[test]
fn leaving_care_status_gives_each_childs_category_as_json_sorted_by_child() {
    let dir = tempfile::tempdir().unwrap();
    sample_return(dir.path());
    let out = pathways(&[
        "leaving-care-status",
        "--as-at",
        "2026-11-26",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json.as_array().unwrap();
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["child"].as_str().unwrap().to_owned(),
                r["category"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("E1", "eligible"),
        ("F1", "former_relevant"),
        ("N1", "not_care_leaver"),
        ("Q1", "qualifying"),
        ("R1", "relevant"),
        ("U1", "looked_after_under_16"),
        ("X9", "not_care_leaver"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(a, b)| ((*a).into(), (*b).into())).collect();
    assert_eq!(got, expected);
    assert!(rows.iter().all(|r| !r["reason"].as_str().unwrap().is_empty()));
    assert!(
        rows.iter().all(|r| r.as_object().unwrap().len() == 3),
        "exactly child, category, reason"
    );
}

#[test]
fn leaving_care_status_prints_a_table_for_people() {
    let dir = tempfile::tempdir().unwrap();
    sample_return(dir.path());
    let out = pathways(&[
        "leaving-care-status",
        "--as-at",
        "2026-11-26",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("CHILD"));
    assert!(
        text.lines()
            .any(|l| l.starts_with("E1") && l.contains("eligible") && l.contains("CPPCR 2010 reg 40"))
    );
}

#[test]
fn malformed_input_exits_2_naming_file_line_and_field_and_prints_nothing() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "header.csv",
            &format!("{HEADER}A1,F,31/02/2009,WBRI,,,\n"),
            "header.csv:2: DOB: \"31/02/2009\" is not a real date",
        ),
        (
            "episodes.csv",
            &format!("{EPISODES}A1,01/03/2025,S,C2,,,,,,,,,\nA1,2025-04-01,P,C2,,,,,,,,,\n"),
            "episodes.csv:3: DECOM: expected a date as DD/MM/YYYY",
        ),
        (
            "episodes.csv",
            &format!("{EPISODES}A1,01/03/2025,S,ZZ,,,,,,,,,\n"),
            "episodes.csv:2: LS: \"ZZ\" is not a valid legal status (LS) code",
        ),
        (
            "other.csv",
            "NAME,AGE\nx,1\n",
            "other.csv:1: the header row (NAME,AGE) does not match any SSDA903 table",
        ),
    ];
    for (file, text, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "header.csv", &format!("{HEADER}A1,F,01/01/2009,WBRI,,,\n"));
        write(dir.path(), "episodes.csv", EPISODES);
        write(dir.path(), file, text);
        let out = pathways(&[
            "leaving-care-status",
            "--as-at",
            "2026-11-26",
            "--format",
            "json",
            dir.path().to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{file}: {}", stderr(&out));
        assert!(stdout(&out).is_empty(), "nothing on stdout");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains(message), "{err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = pathways(&[
        "leaving-care-status",
        "--as-at",
        "26/11/2026",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("expected a date as YYYY-MM-DD"),
        "{}",
        stderr(&out)
    );
    let out = pathways(&["leaving-care-status", "--as-at", "2026-11-26", "/no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/no/such/folder: cannot read the folder"),
        "{}",
        stderr(&out)
    );
    let out = pathways(&["no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
    let out = pathways(&["migrate", "--database-url", "mysql://localhost/x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("use sqlite:FILE or postgres://"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unreachable_database_exits_1_with_one_line() {
    let out = pathways(&["migrate", "--database-url", "postgres://nobody@127.0.0.1:1/pathways"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with("pathways: cannot connect to the database"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn migrate_then_serve_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("council.sqlite").display());
    let unmigrated = pathways(&["serve", "--database-url", &url, "--bind", "127.0.0.1:0"]);
    assert_eq!(unmigrated.status.code(), Some(1));
    assert!(
        stderr(&unmigrated).contains("run `pathways migrate"),
        "{}",
        stderr(&unmigrated)
    );
    for _ in 0..2 {
        let out = pathways(&["migrate", "--database-url", &url]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("The database is up to date"));
    }
}

#[tokio::test]
async fn migrate_on_postgresql() {
    let url = pathways_testkit::postgres_database_url().await;
    let out = pathways(&["migrate", "--database-url", &url]);
    assert!(out.status.success(), "{}", stderr(&out));
    let store = pathways_store::Store::connect(&url).await.unwrap();
    store.check_migrated().await.unwrap();
}

/// A minimal HTTP GET, so the test needs no client library.
fn http_get(address: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn the_demo_creates_demoshire_prints_the_sign_ins_and_serves_pages() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pathways"))
        .args([
            "demo",
            "--db",
            db.to_str().unwrap(),
            "--bind",
            "127.0.0.1:0",
            "--size",
            "200",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let mut address = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.trim().strip_prefix("Open http://") {
            address = Some(rest.trim_end_matches('/').to_owned());
        }
        let done = line.contains("Press Ctrl-C");
        printed.push(line);
        if done {
            break;
        }
    }
    let text = printed.join("\n");
    let address = address.unwrap_or_else(|| panic!("no URL printed: {text}"));
    for account in [
        "admin@demoshire.test",
        "manager.north@demoshire.test",
        "pa.north1@demoshire.test",
        "demo-password",
    ] {
        assert!(text.contains(account), "{account} not printed");
    }
    let health = http_get(&address, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let sign_in = http_get(&address, "/sign-in");
    assert!(sign_in.contains("Sign in to Pathways") && sign_in.contains("Demoshire County Council"));
    child.kill().unwrap();
    child.wait().unwrap();

    // A second run reuses the council.
    let again = pathways(&["demo", "--db", db.to_str().unwrap(), "--seed-only"]);
    assert!(again.status.success());
    assert!(
        stderr(&again).contains("Reusing the demo council"),
        "{}",
        stderr(&again)
    );
}

/// A return with two Header errors (an unknown ethnicity, a blank sex) and one
/// episode, for the year ending 31 March 2026.
fn return_with_errors(dir: &Path) {
    write(
        dir,
        "header.csv",
        &format!("{HEADER}A1,F,15/06/2009,WBRI,,,\nB2,,01/01/2010,XXXX,,,\n"),
    );
    write(
        dir,
        "episodes.csv",
        &format!("{EPISODES}A1,01/05/2025,S,C2,N1,U1,PR1,,,,XX9 9XX,XX9 9XY,\n"),
    );
}

#[test]
fn validate_903_lists_each_failing_row_as_json_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    return_with_errors(dir.path());
    let out = pathways(&[
        "validate-903",
        "--year",
        "2026",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let run: Vec<&str> = json["rules_run"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        run.len() > 100,
        "every rule whose tables are present runs: {}",
        run.len()
    );
    assert!(run.contains(&"103") && run.contains(&"101"));
    let errors = json["errors"].as_array().unwrap();
    let has = |code: &str, table: &str, row: u64| {
        errors
            .iter()
            .any(|e| e["code"] == code && e["table"] == table && e["row"] == row && e["child"].is_string())
    };
    assert!(
        has("103", "Header", 1),
        "unknown ethnicity on the second row: {errors:?}"
    );
    assert!(has("101", "Header", 1), "blank sex");
    assert!(!has("103", "Header", 0));
    // Only the rules asked for.
    let only = pathways(&[
        "validate-903",
        "--year",
        "2026",
        "--format",
        "json",
        "--rules",
        "103",
        dir.path().to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&only)).unwrap();
    assert_eq!(json["rules_run"], serde_json::json!(["103"]));
    assert_eq!(json["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn validate_903_groups_errors_by_rule_for_people_and_writes_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    return_with_errors(dir.path());
    let out = pathways(&[
        "validate-903",
        "--year",
        "2026",
        "--rules",
        "101,103",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("31 March 2026"), "{text}");
    assert!(
        text.contains("103") && text.contains("The ethnicity code is either not valid"),
        "{text}"
    );
    assert!(text.contains("child B2"), "{text}");
    let book = dir.path().join("check.xlsx");
    let out = pathways(&[
        "validate-903",
        "--year",
        "2026",
        "--format",
        "xlsx",
        "--output",
        book.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("workbook written to"));
    let bytes = std::fs::read(&book).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx file is a zip");
}

#[test]
fn validate_903_refuses_what_it_cannot_check_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    return_with_errors(dir.path());
    let path = dir.path().to_str().unwrap();
    let year = pathways(&["validate-903", "--year", "2019", path]);
    assert_eq!(year.status.code(), Some(2));
    assert!(
        stderr(&year).contains("years ending 31 March 2023 to 2027"),
        "{}",
        stderr(&year)
    );
    let rules = pathways(&["validate-903", "--year", "2026", "--rules", "103,NOPE", path]);
    assert_eq!(rules.status.code(), Some(2));
    assert!(stderr(&rules).contains("no rule NOPE"), "{}", stderr(&rules));
    write(dir.path(), "odd.csv", "NAME,AGE\nx,1\n");
    let odd = pathways(&["validate-903", "--year", "2026", path]);
    assert_eq!(odd.status.code(), Some(2));
    assert!(stderr(&odd).contains("odd.csv:1: the header row (NAME,AGE) does not match any SSDA903 table"));
    assert!(stdout(&odd).is_empty(), "nothing half-reported");
}

fn ssda903_fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/fixtures/ssda903-2026")
}

#[test]
fn import_903_loads_a_return_once_and_says_so_or_names_the_bad_field() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("council.sqlite").display());
    assert!(pathways(&["migrate", "--database-url", &url]).status.success());
    let fixture = ssda903_fixture();
    let out = pathways(&["import-903", "--database-url", &url, fixture.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("children: 4 added, 0 updated, 0 unchanged"), "{text}");
    assert!(text.contains("episodes: 4 added, 0 replaced"), "{text}");
    assert!(text.contains("OC3 rows: 2 added, 0 updated, 0 unchanged"), "{text}");
    let again = pathways(&["import-903", "--database-url", &url, fixture.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).starts_with("Nothing changed"), "{}", stdout(&again));

    let bad = tempfile::tempdir().unwrap();
    write(bad.path(), "header.csv", &format!("{HEADER}Z1,F,31/02/2008,WBRI,,,\n"));
    write(bad.path(), "episodes.csv", EPISODES);
    let out = pathways(&["import-903", "--database-url", &url, bad.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.trim_end()
            .ends_with("header.csv:2: DOB: \"31/02/2008\" is not a real date (nothing was imported)"),
        "{err}"
    );
}

#[test]
fn export_903_writes_what_was_imported_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("council.sqlite").display());
    assert!(pathways(&["migrate", "--database-url", &url]).status.success());
    let fixture = ssda903_fixture();
    assert!(
        pathways(&["import-903", "--database-url", &url, fixture.to_str().unwrap()])
            .status
            .success()
    );
    let out_dir = dir.path().join("return");
    let out = pathways(&[
        "export-903",
        "--year",
        "2026",
        "--database-url",
        &url,
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("year ending 31 March 2026"), "{text}");
    assert!(text.contains("header.csv: 4 children"), "{text}");
    assert!(
        text.contains("oc3.csv: 2 rows (0 from Pathways' records, 2 as imported)"),
        "{text}"
    );
    for name in ["header.csv", "episodes.csv", "oc3.csv"] {
        assert_eq!(
            std::fs::read(out_dir.join(name)).unwrap(),
            std::fs::read(fixture.join(name)).unwrap(),
            "{name}"
        );
    }
    let out = pathways(&[
        "export-903",
        "--year",
        "26",
        "--database-url",
        &url,
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}
