//! Parity with the DfE's community validator (`csc-validator-be-903` 0.1.17, module
//! `lac_validator`): synthetic returns for 2025, 2026 and 2027, with and without
//! errors, validated by both; for every rule Pathways has for the year, whether it
//! ran and the (table, row) pairs it flags must be the same.
//!
//! The reference needs Python: `PATHWAYS_LAC_PYTHON` names a Python that has
//! `lac_validator`; otherwise a virtual environment is made in Cargo's target
//! folder and the package installed from PyPI. Without Python or network the test
//! says why and passes (skipped).
//!
//! - `PATHWAYS_PARITY_CASES=N`: N returns per year (default 3) for long runs.
//! - `PATHWAYS_PARITY_SEED=S`: a different set of returns (default 0).
//! - `PATHWAYS_PARITY_JOBS=J`: J reference processes at once (default 1).
//! - `tests/reference/differences.txt`: known differences, `CODE YEARS reason` per
//!   line (`YEARS` is `2026`, `2025-2027`, `2025,2027` or `all`). A listed rule is
//!   still compared and its differences printed, but they do not fail the test;
//!   when the reason starts with `skip` it is not compared at all.
//!
//! A difference prints the rule, the return (year, seed, size, error rate and the
//! folder it was kept in), and up to 10 rows flagged by only one side with the
//! child's rows in every table. Re-run one with
//! `tests/reference/compare.py PYTHON target/debug/examples/validate_903 YEAR DIR DIR/previous --rules CODE`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pathways_returns::ssda903::Table;
use pathways_returns::ssda903::synthetic::{ErrorRate, generate, generate_harsh};
use pathways_returns::ssda903::validate::{Dataset, Follow, Frame, Report, rules, validate};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const REFERENCE_PACKAGE: &str = "csc-validator-be-903==0.1.17";
const LOCAL_AUTHORITY: &str = "E09000027";

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("reference")
}

#[derive(Debug, Clone)]
struct Case {
    year: i16,
    children: usize,
    seed: u64,
    rate: f64,
    /// With errors that make some of the reference's own rules crash (those rules
    /// are then not compared on this return).
    harsh: bool,
}

impl std::fmt::Display for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "year {}, seed {}, {} children, error rate {}{}",
            self.year,
            self.seed,
            self.children,
            self.rate,
            if self.harsh { " (harsh)" } else { "" }
        )
    }
}

fn cases() -> Vec<Case> {
    let per_year: usize = std::env::var("PATHWAYS_PARITY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let base: u64 = std::env::var("PATHWAYS_PARITY_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let mut cases = Vec::new();
    for (y, year) in [2025i16, 2026, 2027].into_iter().enumerate() {
        for i in 0..per_year {
            // The first two of each year: a small return with many errors and a
            // larger one with few (alternating by year), errors the reference copes
            // with; the third has errors some of its rules crash on; then other mixes.
            let (children, rate, harsh) = match i {
                0 => [(40, 0.2, false), (40, 0.02, false)][y % 2],
                1 => [(200, 0.02, false), (200, 0.2, false)][y % 2],
                2 => (100, 0.05, true),
                _ => [
                    (100, 0.0, false),
                    (400, 0.05, false),
                    (25, 0.4, true),
                    (250, 0.1, false),
                    (60, 0.02, true),
                ][i % 5],
            };
            cases.push(Case {
                year,
                children,
                seed: base * 1000 + u64::from(year.unsigned_abs()) * 10 + i as u64,
                rate,
                harsh,
            });
        }
    }
    cases
}

/// How the known differences file treats a rule in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Known {
    Skip,
    Differs,
}

fn known_differences() -> BTreeMap<(String, i16), (Known, String)> {
    let text = std::fs::read_to_string(reference_dir().join("differences.txt")).unwrap_or_default();
    let mut known = BTreeMap::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let mut parts = line.splitn(3, char::is_whitespace);
        let (Some(code), Some(years)) = (parts.next(), parts.next()) else {
            panic!("differences.txt: `{line}` is not `CODE YEARS reason`");
        };
        let reason = parts.next().unwrap_or("").trim().to_owned();
        let how = if reason.to_ascii_lowercase().starts_with("skip") {
            Known::Skip
        } else {
            Known::Differs
        };
        let years: Vec<i16> = if years.eq_ignore_ascii_case("all") || years == "*" {
            (rules::FIRST_YEAR..=rules::LAST_YEAR).collect()
        } else {
            years
                .split(',')
                .flat_map(|part| match part.split_once('-') {
                    Some((a, b)) => {
                        let (a, b): (i16, i16) = (a.parse().expect("a year"), b.parse().expect("a year"));
                        (a..=b).collect::<Vec<_>>()
                    }
                    None => vec![
                        part.parse()
                            .unwrap_or_else(|_| panic!("differences.txt: bad years in `{line}`")),
                    ],
                })
                .collect()
        };
        for year in years {
            known.insert((code.to_owned(), year), (how.clone(), reason.clone()));
        }
    }
    known
}

/// A Python that can run the reference, or why there is none.
fn reference_python() -> Result<PathBuf, String> {
    let works = |python: &Path| {
        Command::new(python)
            .args(["-c", "import lac_validator.lac_validator"])
            .current_dir(reference_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if let Ok(python) = std::env::var("PATHWAYS_LAC_PYTHON") {
        let python = PathBuf::from(python);
        return if works(&python) {
            Ok(python)
        } else {
            Err(format!(
                "PATHWAYS_LAC_PYTHON={} cannot import lac_validator",
                python.display()
            ))
        };
    }
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lac-venv");
    let python = if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    };
    if works(&python) {
        return Ok(python);
    }
    let system = ["python3", "python"]
        .into_iter()
        .find(|p| {
            Command::new(p)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or("no python3 on PATH")?;
    let made = Command::new(system)
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .map_err(|e| format!("cannot run {system} -m venv: {e}"))?;
    if !made.status.success() {
        return Err(format!(
            "{system} -m venv {} failed: {}",
            venv.display(),
            String::from_utf8_lossy(&made.stderr).trim()
        ));
    }
    eprintln!("installing {REFERENCE_PACKAGE} into {} (once)", venv.display());
    let installed = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            REFERENCE_PACKAGE,
        ])
        .output()
        .map_err(|e| format!("cannot run pip: {e}"))?;
    if !installed.status.success() {
        let _ = std::fs::remove_dir_all(&venv);
        return Err(format!(
            "pip install {REFERENCE_PACKAGE} failed: {}",
            String::from_utf8_lossy(&installed.stderr).trim()
        ));
    }
    if works(&python) {
        Ok(python)
    } else {
        Err(format!(
            "{REFERENCE_PACKAGE} installed but lac_validator does not import"
        ))
    }
}

/// The reference's result for one return.
struct Reference {
    /// Every rule the reference has for the year.
    rules: BTreeSet<String>,
    run: BTreeSet<String>,
    failed: BTreeSet<String>,
    errors: BTreeMap<String, BTreeSet<(String, usize)>>,
    seconds: f64,
}

fn parse_reference(line: &str) -> Result<Reference, String> {
    let json: Value = serde_json::from_str(line).map_err(|e| format!("reference printed {line:?}: {e}"))?;
    if let Some(error) = json.get("error") {
        return Err(format!("the reference could not read the return: {error}"));
    }
    let codes = |key: &str| -> BTreeSet<String> {
        json[key]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let mut errors: BTreeMap<String, BTreeSet<(String, usize)>> = BTreeMap::new();
    for e in json["errors"].as_array().into_iter().flatten() {
        let (Some(code), Some(table), Some(row)) = (e["code"].as_str(), e["table"].as_str(), e["row"].as_u64()) else {
            return Err(format!("unexpected error entry {e}"));
        };
        errors
            .entry(code.to_owned())
            .or_default()
            .insert((table.to_owned(), row as usize));
    }
    Ok(Reference {
        rules: codes("rules"),
        run: codes("rules_run"),
        failed: codes("rules_failed"),
        errors,
        seconds: json["seconds"].as_f64().unwrap_or(0.0),
    })
}

/// Following the DfE's rule text changes only the rules listed as corrections.
fn assert_only_corrections_differ(case: &Case, rule_text: &Report, reference: &Report) {
    let corrected: BTreeSet<&str> = rules::corrections().map(|c| c.code).collect();
    let (rule_text, reference) = (pathways_errors(rule_text), pathways_errors(reference));
    for code in rule_text.keys().chain(reference.keys()) {
        assert!(
            rule_text.get(code) == reference.get(code) || corrected.contains(code.as_str()),
            "{case}: rule {code} gives other rows following the rule text, but it is not a listed correction"
        );
    }
}

fn pathways_errors(report: &Report) -> BTreeMap<String, BTreeSet<(String, usize)>> {
    let mut errors: BTreeMap<String, BTreeSet<(String, usize)>> = BTreeMap::new();
    for e in &report.errors {
        errors
            .entry(e.code.to_owned())
            .or_default()
            .insert((e.table.to_owned(), e.row));
    }
    errors
}

/// The frame the reference calls `name` (`Episodes`, `Episodes_last`...).
fn frame_named<'a>(dataset: &'a Dataset, name: &str) -> Option<&'a Frame> {
    Table::ALL.iter().find_map(|t| {
        if t.name() == name {
            dataset.this(*t)
        } else if t.last_year_name() == name {
            dataset.last(*t)
        } else {
            None
        }
    })
}

fn show_row(frame: &Frame, row: usize) -> String {
    frame
        .columns()
        .iter()
        .map(|c| frame.get(row, frame.col(c)).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(",")
}

/// The child's rows in every table of both years.
fn child_rows(dataset: &Dataset, child: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for table in Table::ALL {
        for (name, frame) in [
            (table.name(), dataset.this(*table)),
            (table.last_year_name(), dataset.last(*table)),
        ] {
            let Some(frame) = frame else { continue };
            let rows: Vec<usize> = frame.rows().filter(|&r| frame.child(r) == Some(child)).collect();
            if !rows.is_empty() {
                lines.push(format!("      {name}: {}", frame.columns().join(",")));
            }
            for row in rows {
                lines.push(format!("      {name}[{row}] {}", show_row(frame, row)));
            }
        }
    }
    lines
}

/// One rule's results on one return.
struct Outcome<'a> {
    code: &'a str,
    /// Whether the reference and Pathways ran the rule.
    ran: (bool, bool),
    /// Whether Pathways' rule panicked.
    failed: bool,
    reference: &'a BTreeSet<(String, usize)>,
    ours: &'a BTreeSet<(String, usize)>,
}

/// A rule's results differing on one return, described for a person.
fn describe(outcome: &Outcome, case: &Case, dir: &Path, dataset: &Dataset) -> String {
    let Outcome {
        code,
        ran,
        failed,
        reference,
        ours,
    } = outcome;
    let mut out = vec![format!(
        "rule {code} differs on {case} (return in {})\n  ran: reference {}, pathways {}{}",
        dir.display(),
        ran.0,
        ran.1,
        if *failed { " (Pathways' rule panicked)" } else { "" }
    )];
    let only: Vec<(&str, &(String, usize))> = reference
        .difference(ours)
        .map(|r| ("only the reference", r))
        .chain(ours.difference(reference).map(|r| ("only Pathways", r)))
        .collect();
    if !only.is_empty() {
        out.push(format!(
            "  {} rows flagged by only the reference, {} by only Pathways; the first {}:",
            reference.difference(ours).count(),
            ours.difference(reference).count(),
            only.len().min(10)
        ));
    }
    let mut shown_children = BTreeSet::new();
    for (who, (table, row)) in only.into_iter().take(10) {
        let frame = frame_named(dataset, table);
        let child = frame.and_then(|f| (*row < f.len()).then(|| f.child(*row)).flatten());
        let values = frame
            .filter(|f| *row < f.len())
            .map_or_else(|| "(no such row)".to_owned(), |f| show_row(f, *row));
        out.push(format!("    {table}[{row}] flagged by {who}: {values}"));
        if let Some(child) = child
            && shown_children.insert(child.to_owned())
        {
            out.push(format!("    child {child}'s rows:"));
            out.extend(child_rows(dataset, child));
        }
    }
    out.join("\n")
}

#[test]
fn pathways_flags_the_same_rows_as_the_dfe_validator() {
    let python = match reference_python() {
        Ok(python) => python,
        Err(why) => {
            eprintln!("reference parity skipped: {why}");
            return;
        }
    };
    let known = known_differences();
    let cases = cases();
    let root = tempfile::Builder::new()
        .prefix("pathways-903-parity-")
        .tempdir()
        .unwrap();
    let dirs: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let dir = root.path().join(format!("{}-{i}", case.year));
            let generated = if case.harsh {
                generate_harsh(case.children, case.year, case.seed, ErrorRate(case.rate))
            } else {
                generate(case.children, case.year, case.seed, ErrorRate(case.rate))
            };
            generated.write(&dir).unwrap();
            dir
        })
        .collect();

    // The reference works through the returns (in one process, or as many as
    // PATHWAYS_PARITY_JOBS says) while Pathways validates them here.
    let jobs: usize = std::env::var("PATHWAYS_PARITY_JOBS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
        .clamp(1, cases.len().max(1));
    let readers: Vec<_> = (0..jobs)
        .map(|job| {
            let mut process = Command::new(&python)
                .arg(reference_dir().join("lac_reference.py"))
                .arg("--batch")
                .current_dir(reference_dir())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap();
            let mut stdin = process.stdin.take().unwrap();
            for (i, (case, dir)) in cases.iter().zip(&dirs).enumerate() {
                if i % jobs == job {
                    let previous = dir.join("previous");
                    writeln!(stdin, "{} {} {}", case.year, dir.display(), previous.display()).unwrap();
                }
            }
            drop(stdin);
            let stdout = process.stdout.take().unwrap();
            std::thread::spawn(move || {
                let lines: Vec<String> = BufReader::new(stdout).lines().map_while(Result::ok).collect();
                let _ = process.wait();
                lines
            })
        })
        .collect();
    let ours: Vec<(Dataset, Report, f64)> = cases
        .iter()
        .zip(&dirs)
        .map(|(case, dir)| {
            let mut dataset = Dataset::read(case.year, dir, Some(&dir.join("previous")))
                .unwrap_or_else(|e| panic!("Pathways cannot read the return for {case}: {e}"));
            dataset.local_authority = Some(LOCAL_AUTHORITY.to_owned());
            // Where the DfE's rule text and the reference part, Pathways follows the
            // rule text; only the listed corrections may differ from the reference then.
            let rule_text = validate(&dataset, None);
            dataset.follow = Follow::Reference;
            let started = std::time::Instant::now();
            let report = validate(&dataset, None);
            let seconds = started.elapsed().as_secs_f64();
            assert_only_corrections_differ(case, &rule_text, &report);
            (dataset, report, seconds)
        })
        .collect();
    let mut answers: Vec<std::vec::IntoIter<String>> = readers
        .into_iter()
        .map(|reader| reader.join().unwrap_or_default().into_iter())
        .collect();

    let mut failures = Vec::new();
    let mut known_seen: BTreeMap<(String, i16), usize> = BTreeMap::new();
    let mut compared = 0;
    let mut flagged_somewhere: BTreeSet<String> = BTreeSet::new();
    let mut not_compared: BTreeMap<String, usize> = BTreeMap::new();
    let mut lacking: BTreeMap<i16, BTreeSet<String>> = BTreeMap::new();
    for (i, ((case, dir), (dataset, report, our_seconds))) in cases.iter().zip(&dirs).zip(&ours).enumerate() {
        let line = answers[i % jobs]
            .next()
            .unwrap_or_else(|| panic!("the reference stopped before {case}"));
        let reference = parse_reference(&line).unwrap_or_else(|e| panic!("{case}: {e}"));
        let ours = pathways_errors(report);
        let codes: Vec<&str> = rules::for_year(case.year).iter().map(|r| r.code).collect();
        lacking
            .entry(case.year)
            .or_default()
            .extend(reference.rules.iter().filter(|c| !codes.contains(&c.as_str())).cloned());
        let failed: Vec<&str> = reference.failed.iter().map(String::as_str).collect();
        eprintln!(
            "{case}: reference {:.1}s, Pathways {:.3}s, {} Pathways rules; the reference's own rules failed: {}",
            reference.seconds,
            our_seconds,
            codes.len(),
            failed.join(" ")
        );
        for code in codes {
            let listed = known.get(&(code.to_owned(), case.year));
            if matches!(listed, Some((Known::Skip, _))) {
                continue;
            }
            if reference.failed.contains(code) {
                // The reference crashed on this return: nothing to compare with.
                *not_compared.entry(code.to_owned()).or_default() += 1;
                continue;
            }
            compared += 1;
            let empty = BTreeSet::new();
            let theirs = reference.errors.get(code).unwrap_or(&empty);
            let mine = ours.get(code).unwrap_or(&empty);
            if !theirs.is_empty() {
                flagged_somewhere.insert(code.to_owned());
            }
            let ran = (reference.run.contains(code), report.rules_run.contains(&code));
            let failed = report.rules_failed.contains(&code);
            if theirs == mine && ran.0 == ran.1 && !failed {
                continue;
            }
            let outcome = Outcome {
                code,
                ran,
                failed,
                reference: theirs,
                ours: mine,
            };
            let text = describe(&outcome, case, dir, dataset);
            if let Some((Known::Differs, reason)) = listed {
                *known_seen.entry((code.to_owned(), case.year)).or_default() += 1;
                eprintln!("known difference ({reason}):\n{text}");
            } else {
                failures.push(text);
            }
        }
    }

    eprintln!(
        "compared {compared} rule results over {} returns; {} rules flagged rows in the reference somewhere",
        cases.len(),
        flagged_somewhere.len()
    );
    if !not_compared.is_empty() {
        let list: Vec<String> = not_compared.iter().map(|(c, n)| format!("{c} ({n})")).collect();
        eprintln!(
            "not compared where the reference's own rule failed: {}",
            list.join(", ")
        );
    }
    for (year, codes) in lacking.iter().filter(|(_, codes)| !codes.is_empty()) {
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        eprintln!(
            "{year}: {} rules of the reference Pathways does not have yet: {}",
            codes.len(),
            codes.join(" ")
        );
    }
    for ((code, year), (how, _)) in &known {
        let ran_this_year = cases.iter().any(|c| c.year == *year);
        let has_rule = rules::for_year(*year).iter().any(|r| r.code == code);
        if *how == Known::Differs && ran_this_year && has_rule && !known_seen.contains_key(&(code.clone(), *year)) {
            eprintln!("differences.txt lists {code} for {year}, but it agreed on every return: remove it?");
        }
    }
    if failures.is_empty() {
        return;
    }
    let kept = root.keep();
    panic!(
        "{} rule results differ from the DfE validator (returns kept in {}):\n\n{}",
        failures.len(),
        kept.display(),
        failures.join("\n\n")
    );
}
