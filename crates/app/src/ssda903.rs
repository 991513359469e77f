//! SSDA903 import and export between the store and the DfE's CSV tables.
//!
//! Import ([`import_903`]): Header, Episodes and OC3 tables from a folder, into the
//! store in one transaction, young people matched by CHILD id. Export
//! ([`export_903`]): header.csv, episodes.csv and oc3.csv for a collection year, in
//! the row order of [`pathways_returns::ssda903::Exchange`] (by CHILD, episodes by
//! DECOM), so exporting what was imported gives the same bytes.
//!
//! Which OC3 row wins: the store's own history. A young person with any contact,
//! accommodation or activity recorded in Pathways has their OC3 row worked out from
//! it ([`pathways_domain::oc3::oc3_outcome`]); the imported row is exported only
//! while Pathways has none of these for them.

use crate::clock::london;
use jiff::Timestamp;
use jiff::civil::Date;
use pathways_domain::compliance::ComplianceRules;
use pathways_domain::ids::Upn;
use pathways_domain::legal::{LeavingCareFacts, LegalRules};
use pathways_domain::oc3::{Oc3Facts, collection_year, in_oc3_cohort, oc3_birthday, oc3_outcome};
use pathways_returns::ssda903::{self, Exchange, ExchangeChild, HeaderRow, InputError, Oc3Row};
use pathways_store::{AuditEntry, ImportSummary, Ssda903Person, Ssda903Record, Store, StoreError, StoredOc3};
use std::collections::BTreeMap;
use std::path::Path;

/// What import and export can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Ssda903Error {
    /// The files are wrong: nothing was written.
    #[error("{0}")]
    Input(#[from] InputError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads the tables in `dir` and imports them in one transaction (all or nothing),
/// audited as the command line. `progress` is called with (children done, total).
pub async fn import_903(
    store: &Store,
    dir: &Path,
    now: Timestamp,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<ImportSummary, Ssda903Error> {
    let found = ssda903::read_dir(dir)?;
    let exchange = ssda903::exchange_from(&found, &dir.display().to_string())?;
    let mut oc3: BTreeMap<_, _> = exchange.oc3.into_iter().map(|r| (r.child.clone(), r)).collect();
    let people: Vec<Ssda903Person> = exchange
        .children
        .into_iter()
        .map(|child| {
            let row = oc3.remove(&child.header.child);
            person_from(child, row)
        })
        .collect();
    let total = people.len();
    let why = format!("import-903 from {}", dir.display());
    let summary = store
        .import_ssda903(&people, None, &why, now, &mut |done| progress(done, total))
        .await?;
    Ok(summary)
}

fn person_from(child: ExchangeChild, oc3: Option<Oc3Row>) -> Ssda903Person {
    let h = child.header;
    let (upn, upn_unknown) = match h.upn {
        Some(text) => match Upn::parse(&text) {
            Ok(upn) if upn.as_str() == text => (Some(upn), None),
            _ => (None, Some(text)),
        },
        None => (None, None),
    };
    Ssda903Person {
        child_id: h.child,
        sex: h.sex,
        date_of_birth: h.date_of_birth,
        ethnicity: h.ethnicity,
        upn,
        upn_unknown,
        mother: h.mother,
        mc_dob: h.mc_dob,
        episodes: child.episodes,
        oc3: oc3.map(|r| StoredOc3 {
            in_touch: r.in_touch,
            activity: r.activity,
            accommodation: r.accommodation,
        }),
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub children: usize,
    pub episodes: usize,
    /// OC3 rows worked out from Pathways' own records.
    pub oc3_computed: usize,
    /// OC3 rows exported as imported (no history in Pathways).
    pub oc3_imported: usize,
}

/// The tables for the collection year ending 31 March `year` (see [`exchange_for_year`]).
pub async fn export_903(
    store: &Store,
    year: i16,
    legal: &LegalRules,
    rules: &ComplianceRules,
    out_dir: &Path,
    now: Timestamp,
) -> Result<ExportSummary, Ssda903Error> {
    let records = store.ssda903_records().await?;
    let (exchange, summary) = exchange_for_year(&records, year, legal, rules);
    exchange.write_dir(out_dir)?;
    let entry = AuditEntry {
        staff_id: None,
        action: "export_903".into(),
        young_person_id: None,
        detail: format!("year ending 31 March {year} to {}", out_dir.display()),
    };
    store.record_audit(&entry, now).await?;
    Ok(summary)
}

/// The return for the collection year ending 31 March `year`:
/// - Episodes: every episode open on any day of the year;
/// - OC3: young people whose 17th–21st birthday falls in the year and who were
///   eligible when they left care ([`in_oc3_cohort`]); their imported row instead
///   while Pathways has no contact, accommodation or activity for them;
/// - Header: every young person with an episode or an OC3 row in the return.
pub fn exchange_for_year(
    records: &[Ssda903Record],
    year: i16,
    legal: &LegalRules,
    rules: &ComplianceRules,
) -> (Exchange, ExportSummary) {
    let (first, last) = collection_year(year);
    let mut summary = ExportSummary::default();
    let mut sorted: Vec<&Ssda903Record> = records.iter().collect();
    sorted.sort_by(|a, b| a.person.child_id.as_str().cmp(b.person.child_id.as_str()));
    let mut exchange = Exchange::default();
    for record in sorted {
        let p = &record.person;
        let mut episodes: Vec<_> = p
            .episodes
            .iter()
            .filter(|e| e.start <= last && e.end.is_none_or(|end| end >= first))
            .cloned()
            .collect();
        episodes.sort_by_key(|e| e.start);
        let oc3 = oc3_row(record, year, legal, rules);
        match &oc3 {
            Some((_, true)) => summary.oc3_imported += 1,
            Some((_, false)) => summary.oc3_computed += 1,
            None => {}
        }
        if episodes.is_empty() && oc3.is_none() {
            continue;
        }
        summary.children += 1;
        summary.episodes += episodes.len();
        if let Some((row, _)) = oc3 {
            exchange.oc3.push(row);
        }
        exchange.children.push(ExchangeChild {
            header: HeaderRow {
                child: p.child_id.clone(),
                sex: p.sex,
                date_of_birth: p.date_of_birth,
                ethnicity: p.ethnicity,
                upn: p
                    .upn
                    .as_ref()
                    .map(|u| u.as_str().to_owned())
                    .or_else(|| p.upn_unknown.clone()),
                mother: p.mother.clone(),
                mc_dob: p.mc_dob,
            },
            episodes,
        });
    }
    (exchange, summary)
}

/// The young person's OC3 row for the year, and whether it is the imported one.
fn oc3_row(record: &Ssda903Record, year: i16, legal: &LegalRules, rules: &ComplianceRules) -> Option<(Oc3Row, bool)> {
    let p = &record.person;
    let on = oc3_birthday(p.date_of_birth, year, rules)?;
    let row = |in_touch: String, activity: String, accommodation: String| Oc3Row {
        child: p.child_id.clone(),
        date_of_birth: p.date_of_birth,
        in_touch,
        activity,
        accommodation,
    };
    let has_history = !(record.contacts.is_empty() && record.accommodation.is_empty() && record.activity.is_empty());
    if let Some(imported) = p.oc3.as_ref().filter(|_| !has_history) {
        let r = row(
            imported.in_touch.clone(),
            imported.activity.clone(),
            imported.accommodation.clone(),
        );
        return Some((r, true));
    }
    let leaving_care = LeavingCareFacts {
        date_of_birth: p.date_of_birth,
        episodes: &p.episodes,
        died_on: record.died_on,
        returned_home_on: record.returned_home_on,
        // Not held with the 903 tables; it only matters to a child detained on
        // their 16th birthday.
        detained_or_in_hospital_on_16th_birthday: false,
    };
    if !in_oc3_cohort(&leaving_care, on, legal) {
        return None;
    }
    let tz = london();
    let contacts: Vec<Date> = record
        .contacts
        .iter()
        .map(|at| at.to_zoned(tz.clone()).date())
        .collect();
    let facts = Oc3Facts {
        date_of_birth: p.date_of_birth,
        died_on: record.died_on,
        returned_home_on: record.returned_home_on,
        contacts: &contacts,
        accommodation: &record.accommodation,
        activity: &record.activity,
    };
    let outcome = oc3_outcome(&facts, on, rules);
    Some((
        row(
            outcome.in_touch.code().to_owned(),
            outcome.activity,
            outcome.accommodation,
        ),
        false,
    ))
}
