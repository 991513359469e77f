//! Validates a return and prints the JSON `pathways validate-903 --format json`
//! prints, without building the whole product: for comparing rules with the DfE's
//! validator while working on them.
//!
//! `cargo run -p pathways-returns --example validate_903 -- YEAR DIR [PREVIOUS_DIR] [--rules 101,103]`
//!
//! `--text` prints the plain-text report instead of JSON; `--xlsx FILE` also writes
//! the workbook. `--times` runs each rule on its own, one after another, and prints
//! the slowest with the time each took.

use pathways_returns::ssda903::validate::report::{self, Lines};
use pathways_returns::ssda903::validate::{Dataset, rules, validate};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let rules = args.iter().position(|a| a == "--rules").map(|at| {
        let codes: Vec<String> = args
            .get(at + 1)
            .map(|c| c.split(',').map(str::to_owned).collect())
            .unwrap_or_default();
        args.drain(at..(at + 2).min(args.len()));
        codes
    });
    let as_text = args
        .iter()
        .position(|a| a == "--text")
        .map(|at| args.remove(at))
        .is_some();
    let times = args
        .iter()
        .position(|a| a == "--times")
        .map(|at| args.remove(at))
        .is_some();
    let xlsx = args.iter().position(|a| a == "--xlsx").map(|at| {
        let file = args.get(at + 1).cloned().unwrap_or_default();
        args.drain(at..(at + 2).min(args.len()));
        file
    });
    let (Some(year), Some(dir)) = (args.first().and_then(|y| y.parse::<i16>().ok()), args.get(1)) else {
        eprintln!("usage: validate_903 YEAR DIR [PREVIOUS_DIR] [--rules CODE,CODE] [--text] [--xlsx FILE]");
        return ExitCode::FAILURE;
    };
    let mut dataset = match Dataset::read(year, Path::new(dir), args.get(2).map(Path::new)) {
        Ok(dataset) => dataset,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    dataset.local_authority = Some("E09000027".to_owned());
    if times {
        print_rule_times(&dataset);
        return ExitCode::SUCCESS;
    }
    let report = validate(&dataset, rules.as_deref());
    let year_rules = rules::for_year(year);
    if let Some(file) = xlsx {
        let written = report::workbook(&report, &dataset, &year_rules)
            .map_err(|e| e.to_string())
            .and_then(|bytes| std::fs::write(&file, bytes).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    }
    if as_text {
        print!(
            "{}",
            report::text(&report, &dataset, &year_rules, &Lines::read(&dataset))
        );
        return ExitCode::SUCCESS;
    }
    // Streamed: a large return's JSON is as big as the return itself.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = serde_json::to_writer(&mut out, &report)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!("{e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Each rule timed on its own, slowest first, with the share of the whole.
fn print_rule_times(dataset: &Dataset) {
    let mut timed: Vec<(f64, &str)> = rules::for_year(dataset.year)
        .into_iter()
        .map(|rule| {
            let started = std::time::Instant::now();
            let _ = std::hint::black_box((rule.check)(dataset));
            (started.elapsed().as_secs_f64(), rule.code)
        })
        .collect();
    let total: f64 = timed.iter().map(|(s, _)| s).sum();
    timed.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("{} rules one after another: {total:.3} s", timed.len());
    for (seconds, code) in timed.iter().take(30) {
        println!(
            "{code:>10} {:8.1} ms {:5.1}%",
            seconds * 1000.0,
            100.0 * seconds / total
        );
    }
}
