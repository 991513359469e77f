//! Writes a synthetic SSDA903 return (this year's tables and last year's in
//! `previous/`) for comparing validators and measuring them.
//!
//! `cargo run -p pathways-returns --example synthetic_903 -- CHILDREN YEAR SEED OUT_DIR [ERROR_RATE] [--harsh]`
//!
//! YEAR is the year the collection ends (2026 = the year ending 31 March 2026);
//! ERROR_RATE is the fraction of rows given an error (default 0). With `--harsh`
//! the errors include ones that make some of the DfE validator's own rules crash.

use pathways_returns::ssda903::synthetic::{ErrorRate, generate, generate_harsh};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let harsh = args.iter().any(|a| a == "--harsh");
    args.retain(|a| a != "--harsh");
    let parsed = (
        args.first().and_then(|a| a.parse::<usize>().ok()),
        args.get(1).and_then(|a| a.parse::<i16>().ok()),
        args.get(2).and_then(|a| a.parse::<u64>().ok()),
        args.get(3),
        args.get(4).map_or(Some(0.0), |a| a.parse::<f64>().ok()),
    );
    let (Some(children), Some(year), Some(seed), Some(dir), Some(rate)) = parsed else {
        eprintln!("usage: synthetic_903 CHILDREN YEAR SEED OUT_DIR [ERROR_RATE] [--harsh]");
        return ExitCode::FAILURE;
    };
    if !(0.0..=1.0).contains(&rate) {
        eprintln!("ERROR_RATE is a fraction from 0 to 1");
        return ExitCode::FAILURE;
    }
    let generated = if harsh {
        generate_harsh(children, year, seed, ErrorRate(rate))
    } else {
        generate(children, year, seed, ErrorRate(rate))
    };
    if let Err(e) = generated.write(Path::new(dir)) {
        eprintln!("cannot write {dir}: {e}");
        return ExitCode::FAILURE;
    }
    for (label, tables) in [("this year", &generated.this), ("previous", &generated.previous)] {
        let counts: Vec<String> = tables
            .tables
            .iter()
            .map(|(table, rows)| format!("{table} {}", rows.len()))
            .collect();
        println!("{label} ({}): {}", tables.year, counts.join(", "));
    }
    ExitCode::SUCCESS
}
