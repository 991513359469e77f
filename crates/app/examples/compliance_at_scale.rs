//! How long statutory compliance takes for a whole council's young people.
//!
//! `cargo run --release -p pathways-app --example compliance_at_scale -- [SIZE] [DB]`
//! seeds a demo council of SIZE young people (default 100,000) into the SQLite
//! file DB (default `compliance-SIZE.db`, reused when it exists), or with DB
//! `postgres` into a throwaway PostgreSQL cluster, then times working out
//! everything due for every young person, five times, with reading the same young
//! people without the rules as the baseline.

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
    let mut baseline = Vec::new();
    let mut full = Vec::new();
    let mut people = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let facts = store.practice_facts(ComplianceScope::Everyone, clock.now()).await?;
        baseline.push(t.elapsed().as_secs_f64());
        drop(facts);
        let t = Instant::now();
        let all = compliance_of(&store, &clock, &legal, &rules, ComplianceScope::Everyone).await?;
        full.push(t.elapsed().as_secs_f64());
        people = all.len();
        if full.len() == 1 {
            for m in summarise(&all) {
                println!("  {}: {:?}% of {}", m.measure.label(), m.percent(), m.applicable);
            }
        }
    }
    baseline.sort_by(f64::total_cmp);
    full.sort_by(f64::total_cmp);
    let (b, f) = (baseline[2], full[2]);
    println!("young people: {people}");
    println!("reading the facts only (baseline), median of 5: {:.3} s", b);
    println!(
        "reading and applying every rule, median of 5:  {:.3} s ({:.2}x the baseline)",
        f,
        f / b
    );
    println!("rules alone: {:.3} s", f - b);
    Ok(())
}
