//! SSDA903 import and export between the store and the DfE's CSV tables, and
//! checking an uploaded return with the DfE's validation rules.
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
//!
//! Checking ([`check_903_return`]): CSV files uploaded by a performance officer or
//! service manager, held in memory only, validated rule by rule; the check is
//! audited with counts, never the files' contents.

use crate::clock::{Clock, london};
use jiff::Timestamp;
use jiff::civil::Date;
use pathways_domain::compliance::ComplianceRules;
use pathways_domain::ids::Upn;
use pathways_domain::legal::{LeavingCareFacts, LegalRules};
use pathways_domain::oc3::{Oc3Facts, collection_year, in_oc3_cohort, oc3_birthday, oc3_outcome};
use pathways_domain::staff::{Role, StaffMember};
use pathways_returns::ssda903::validate::report::Lines;
use pathways_returns::ssda903::validate::{Dataset, Frame, Report, validate};
use pathways_returns::ssda903::{self, Exchange, ExchangeChild, HeaderRow, InputError, Oc3Row};
use pathways_store::{AuditEntry, ImportSummary, Ssda903Person, Ssda903Record, Store, StoreError, StoredOc3};
use std::collections::BTreeMap;
use std::path::Path;

// What pages showing a checked return need, so they depend on this crate alone.
pub use pathways_returns::ssda903::validate::{Follow, TableRef, report, rules};

/// The most a return to check may be, both years together: a large council's
/// (50,000 children) is about 25 MB of CSV, so this leaves room to spare.
pub const MAX_RETURN_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

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

/// Whether `staff` may check an SSDA903 return: performance officers, who make the
/// statutory returns, and service managers, who answer for them.
pub fn may_check_returns(staff: &StaffMember) -> bool {
    staff.active && checks_returns(staff.role)
}

/// Whether the role checks statutory returns (for the navigation).
pub fn checks_returns(role: Role) -> bool {
    matches!(role, Role::PerformanceOfficer | Role::ServiceManager)
}

/// The collection year being gathered on `today`: the one ending on the first
/// 31 March on or after it, within the years Pathways has rules for.
pub fn current_collection_year(today: Date) -> i16 {
    let year = if today.month() >= 4 {
        today.year().saturating_add(1)
    } else {
        today.year()
    };
    year.clamp(rules::FIRST_YEAR, rules::LAST_YEAR)
}

/// A council's ONS code as typed (`e09000027 ` is `E09000027`); `None` when blank.
/// Local authority codes are a letter and eight digits.
pub fn ons_code(typed: &str) -> Result<Option<String>, &'static str> {
    let code = typed.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    let mut chars = code.chars();
    let letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if code.len() == 9 && letter && chars.all(|c| c.is_ascii_digit()) {
        Ok(Some(code))
    } else {
        Err("Enter the council's ONS code as a letter and 8 numbers, like E09000027")
    }
}

/// One uploaded CSV file, held in memory only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A return to check, as uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnUpload {
    /// The collection year: the one ending 31 March `year`.
    pub year: i16,
    pub this_year: Vec<UploadedFile>,
    /// Last year's return, for the rules that compare the two.
    pub last_year: Vec<UploadedFile>,
    pub local_authority: Option<String>,
    pub follow: Follow,
}

/// What to make of a checked return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOutput {
    /// The report, to show.
    Report,
    /// The workbook (`report::workbook`) too.
    Workbook,
}

/// A checked return: the tables read, what the rules found and where each row is
/// in its file.
#[derive(Debug)]
pub struct CheckedReturn {
    pub dataset: Dataset,
    pub report: Report,
    pub lines: Lines,
    /// The xlsx workbook, when asked for.
    pub workbook: Option<Vec<u8>>,
}

impl CheckedReturn {
    /// How many data rows the return's tables hold, both years.
    pub fn rows(&self) -> usize {
        report::tables(&self.dataset).map(|(_, frame)| frame.len()).sum()
    }
}

/// Why a return could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    /// The member of staff may not check returns.
    #[error("not found")]
    NotFound,
    /// A file is wrong (not an SSDA903 table, a ragged row, a table given twice),
    /// or none was given; `last_year` says which of the two uploads it was in.
    #[error("{error}")]
    Input { error: InputError, last_year: bool },
    /// The return cannot be written as a workbook (a table with more rows than a
    /// sheet holds).
    #[error("{0}")]
    Workbook(String),
    /// The check stopped without finishing (a bug, not the files).
    #[error("the check stopped: {0}")]
    Stopped(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads the uploaded files into a return (one file's bytes in memory at a time
/// beyond the tables read so far), with the line of each row in its file.
pub fn dataset_from_uploads(upload: ReturnUpload) -> Result<(Dataset, Lines), CheckError> {
    let ReturnUpload {
        year,
        this_year,
        last_year,
        local_authority,
        follow,
    } = upload;
    if !(rules::FIRST_YEAR..=rules::LAST_YEAR).contains(&year) {
        let error = InputError::file(
            "the collection year",
            format!(
                "Pathways has the rules for the years ending 31 March {} to {}, not {year}",
                rules::FIRST_YEAR,
                rules::LAST_YEAR
            ),
        );
        return Err(CheckError::Input {
            error,
            last_year: false,
        });
    }
    if this_year.is_empty() {
        return Err(CheckError::Input {
            error: InputError::file("this year's return", "no CSV files were chosen"),
            last_year: false,
        });
    }
    let mut dataset = Dataset::new(year);
    dataset.local_authority = local_authority;
    dataset.follow = follow;
    let mut lines = Lines::default();
    for (files, previous_year) in [(this_year, false), (last_year, true)] {
        let located = |error| CheckError::Input {
            error,
            last_year: previous_year,
        };
        for file in files {
            let frame = Frame::read(&file.name, &file.bytes).map_err(located)?;
            let table = if previous_year {
                TableRef::Last(frame.table)
            } else {
                TableRef::This(frame.table)
            };
            let found = Lines::of_csv(&file.bytes).filter(|found| found.len() == frame.len());
            drop(file);
            dataset.add(frame, previous_year).map_err(located)?;
            if let Some(found) = found {
                lines.insert(table, found);
            }
        }
    }
    dataset.derive_columns();
    Ok((dataset, lines))
}

/// Checks an uploaded return with every rule of its year, off the async threads
/// (validation keeps every core busy for seconds on a large council's return),
/// and makes the workbook when asked. Audited with the year and counts only.
pub async fn check_903_return(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    upload: ReturnUpload,
    output: CheckOutput,
) -> Result<CheckedReturn, CheckError> {
    if !may_check_returns(staff) {
        return Err(CheckError::NotFound);
    }
    let files = upload.this_year.len() + upload.last_year.len();
    let checked = tokio::task::spawn_blocking(move || {
        let (dataset, lines) = dataset_from_uploads(upload)?;
        let report = validate(&dataset, None);
        let workbook = match output {
            CheckOutput::Report => None,
            CheckOutput::Workbook => {
                let year_rules = rules::for_year(dataset.year);
                let bytes = report::workbook(&report, &dataset, &year_rules).map_err(|e| {
                    CheckError::Workbook(format!("The workbook could not be made from these files: {e}"))
                })?;
                Some(bytes)
            }
        };
        Ok::<_, CheckError>(CheckedReturn {
            dataset,
            report,
            lines,
            workbook,
        })
    })
    .await
    .map_err(|e| CheckError::Stopped(e.to_string()))??;
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "validate_903".into(),
        young_person_id: None,
        detail: format!(
            "validated an SSDA903 return: year ending 31 March {}, {files} files, {} rows, {} errors{}",
            checked.dataset.year,
            checked.rows(),
            checked.report.errors.len(),
            if output == CheckOutput::Workbook {
                ", as a workbook"
            } else {
                ""
            }
        ),
    };
    store.record_audit(&entry, clock.now()).await?;
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_current_collection_year_ends_on_the_next_31_march() {
        assert_eq!(current_collection_year(date(2026, 11, 26)), 2027);
        assert_eq!(current_collection_year(date(2026, 3, 31)), 2026);
        assert_eq!(current_collection_year(date(2026, 4, 1)), 2027);
        // Outside the years Pathways has rules for: the nearest it has.
        assert_eq!(current_collection_year(date(2040, 6, 1)), rules::LAST_YEAR);
        assert_eq!(current_collection_year(date(2001, 6, 1)), rules::FIRST_YEAR);
    }

    #[test]
    fn ons_codes_are_a_letter_and_eight_digits() {
        assert_eq!(ons_code(" e09000027 "), Ok(Some("E09000027".to_owned())));
        assert_eq!(ons_code(""), Ok(None));
        assert!(ons_code("E0900002").is_err());
        assert!(ons_code("909000027").is_err());
        assert!(ons_code("E0900002X").is_err());
    }

    fn file(name: &str, text: &str) -> UploadedFile {
        UploadedFile {
            name: name.to_owned(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn upload(this_year: Vec<UploadedFile>, last_year: Vec<UploadedFile>) -> ReturnUpload {
        ReturnUpload {
            year: 2026,
            this_year,
            last_year,
            local_authority: None,
            follow: Follow::RuleText,
        }
    }

    const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/01/2010,WBRI,,,\n\n2,Z,01/01/2010,WBRI,,,\n";

    #[test]
    fn uploaded_files_become_a_return_with_each_rows_line() {
        let (dataset, lines) =
            dataset_from_uploads(upload(vec![file("header.csv", HEADER)], vec![file("old.csv", HEADER)])).unwrap();
        let header = TableRef::This(ssda903::Table::Header);
        assert_eq!(dataset.table(header).map(Frame::len), Some(2));
        assert_eq!(lines.line(header, 1), Some(4), "the blank line counts");
        assert!(dataset.table(TableRef::Last(ssda903::Table::Header)).is_some());
    }

    #[test]
    fn bad_uploads_say_which_file_and_line() {
        let wrong = |this, last| match dataset_from_uploads(upload(this, last)) {
            Err(CheckError::Input { error, last_year }) => (error.to_string(), last_year),
            other => panic!("{other:?}"),
        };
        let (message, last_year) = wrong(vec![file("notes.csv", "NAME,AGE\nSam,17\n")], vec![]);
        assert!(message.starts_with("notes.csv"), "{message}");
        assert!(!last_year);
        let ragged = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/01/2010\n";
        let (message, last_year) = wrong(vec![file("header.csv", HEADER)], vec![file("ragged.csv", ragged)]);
        assert!(message.starts_with("ragged.csv:2"), "{message}");
        assert!(last_year);
        let (message, _) = wrong(vec![file("a.csv", HEADER), file("b.csv", HEADER)], vec![]);
        assert!(message.contains("b.csv") && message.contains("a.csv"), "{message}");
        let (message, _) = wrong(vec![], vec![]);
        assert!(message.contains("no CSV files"), "{message}");
    }
}
