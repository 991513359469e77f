//! How long statutory compliance takes for a whole council's young people.
//!
//! `cargo run --release -p pathways-app --example compliance_at_scale -- [SIZE] [DB]`
//! seeds a demo council of SIZE young people (default 100,000) into the SQLite
//! file DB (default `compliance-SIZE.db`, reused when it exists), or with DB
//! `postgres` into a throwaway PostgreSQL cluster, then times working out
//! everything due for every young person, five times, with reading the same young
//! people without the rules as the baseline. It also reports the CPU time the
//! process used (all threads), which a busy machine inflates far less than the
//! elapsed time. The first read after seeding or migrating works out any missing
//! practice summaries and is reported on its own.

use pathways_app::clock::{Clock, SystemClock};
use pathways_app::compliance::{compliance_of, summarise};
use pathways_app::demo::create_demo_council;
use pathways_domain::compliance::ComplianceRules;
use pathways_domain::legal::LegalRules;
use pathways_store::{ComplianceScope, Store};
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(100_000);
    let db = args.next().unwrap_or_else(|| format!("compliance-{size}.db"));
    let url = if db == "postgres" {
        pathways_testkit::postgres_database_url().await
    } else {
        format!("sqlite:{db}")
    };
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    let clock = SystemClock;
    let legal = LegalRules::default();
    let rules = ComplianceRules::default();
    let started = Instant::now();
    let summary = create_demo_council(&store, &clock, &legal, size, &mut |_, _| {}).await?;
    if summary.created {
        println!(
            "seeded {} young people in {:.1} s",
            summary.young_people,
            started.elapsed().as_secs_f64()
        );
    }
    let t = Instant::now();
    let refreshed = store.refresh_practice_summaries().await?;
    println!(
        "worked out {refreshed} missing or stale practice summaries in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let mut baseline = Vec::new();
    let mut full = Vec::new();
    let mut cpu = Vec::new();
    let mut people = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let facts = store.practice_facts(ComplianceScope::Everyone, clock.now()).await?;
        baseline.push(t.elapsed().as_secs_f64());
        drop(facts);
        let (t, c) = (Instant::now(), cpu_seconds());
        let all = compliance_of(&store, &clock, &legal, &rules, ComplianceScope::Everyone).await?;
        full.push(t.elapsed().as_secs_f64());
        cpu.push(cpu_seconds() - c);
        people = all.len();
        if full.len() == 1 {
            for m in summarise(&all) {
                println!("  {}: {:?}% of {}", m.measure.label(), m.percent(), m.applicable);
            }
        }
    }
    baseline.sort_by(f64::total_cmp);
    full.sort_by(f64::total_cmp);
    cpu.sort_by(f64::total_cmp);
    let (b, f) = (baseline[2], full[2]);
    println!("young people: {people}");
    println!("reading the facts only (baseline), median of 5: {:.3} s", b);
    println!(
        "reading and applying every rule, median of 5:  {:.3} s ({:.2}x the baseline)",
        f,
        f / b
    );
    println!("rules alone: {:.3} s", f - b);
    println!(
        "CPU time of reading and applying every rule, median of 5: {:.3} s",
        cpu[2]
    );
    Ok(())
}

/// User and system CPU time of this process so far, in seconds (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line, in 1/100 s on Linux.
    (ticks(11) + ticks(12)) / 100.0
}
