//! Validating a whole SSDA903 return, rule by rule, with the same results as the
//! DfE's community validator (`lac_validator`).

mod dates;
mod frame;
pub mod pandas;
pub mod report;
pub mod rules;
#[cfg(test)]
pub(crate) mod testing;

pub use dates::{age_on, days_between, dfe_date, plus_days, plus_months, plus_years};
pub use frame::{Col, Frame};
pub use rules::Rule;

use super::read::InputError;
use super::tables::Table;
use jiff::civil::{Date, date};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// This year's table or last year's (the reference calls the latter `Episodes_last`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableRef {
    This(Table),
    Last(Table),
}

impl TableRef {
    /// The reference's name: `Episodes`, or `Episodes_last` for last year's.
    pub fn name(self) -> &'static str {
        match self {
            TableRef::This(table) => table.name(),
            TableRef::Last(table) => table.last_year_name(),
        }
    }
}

impl fmt::Display for TableRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Rows of one table a rule flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flagged {
    pub table: TableRef,
    pub rows: Vec<usize>,
}

impl Flagged {
    pub fn new(table: TableRef, rows: impl IntoIterator<Item = usize>) -> Flagged {
        Flagged {
            table,
            rows: rows.into_iter().collect(),
        }
    }
}

/// What a rule found: `None` when it could not run for want of a table.
pub type Outcome = Option<Vec<Flagged>>;

/// Whose reading of a rule to follow where the DfE's validator departs from the
/// DfE's own rule text (its known bugs: `rules::corrections()`, listed in
/// `docs/903-differences.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Follow {
    /// The DfE's published rule text: what Pathways reports unless asked otherwise.
    #[default]
    RuleText,
    /// The DfE's validator, bugs included, so a council can match its list row for row.
    Reference,
}

/// A return to validate: this year's tables, last year's if given, and the year.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The year the collection ends (31 March).
    pub year: i16,
    pub collection_start: Date,
    pub collection_end: Date,
    /// The council's ONS code (e.g. `E09000027`), used by rules about placement
    /// locations; `None` when not given.
    pub local_authority: Option<String>,
    /// Whose reading of the rules the reference gets wrong to follow.
    pub follow: Follow,
    this: BTreeMap<Table, Frame>,
    last: BTreeMap<Table, Frame>,
}

impl Dataset {
    /// An empty return for the collection year ending 31 March `year`.
    pub fn new(year: i16) -> Dataset {
        Dataset {
            year,
            collection_start: date(year - 1, 4, 1),
            collection_end: date(year, 3, 31),
            local_authority: None,
            follow: Follow::default(),
            this: BTreeMap::new(),
            last: BTreeMap::new(),
        }
    }

    /// This year's `table`, if the return has it.
    pub fn this(&self, table: Table) -> Option<&Frame> {
        self.this.get(&table)
    }

    /// Last year's `table`, if it was given.
    pub fn last(&self, table: Table) -> Option<&Frame> {
        self.last.get(&table)
    }

    pub fn table(&self, table: TableRef) -> Option<&Frame> {
        match table {
            TableRef::This(t) => self.this(t),
            TableRef::Last(t) => self.last(t),
        }
    }

    /// Adds a table; a second file holding the same table is refused.
    pub fn add(&mut self, frame: Frame, previous_year: bool) -> Result<(), InputError> {
        let tables = if previous_year { &mut self.last } else { &mut self.this };
        if let Some(first) = tables.get(&frame.table) {
            return Err(InputError::file(
                &frame.file,
                format!("holds the {} table, which {} holds already", frame.table, first.file),
            ));
        }
        tables.insert(frame.table, frame);
        Ok(())
    }

    /// Reads this year's CSV tables from `dir` and last year's from `previous`.
    pub fn read(year: i16, dir: &Path, previous: Option<&Path>) -> Result<Dataset, InputError> {
        let mut dataset = Dataset::new(year);
        for (folder, previous_year) in [(Some(dir), false), (previous, true)] {
            let Some(folder) = folder else { continue };
            for frame in read_in_parallel(&csv_files(folder)?) {
                dataset.add(frame?, previous_year)?;
            }
        }
        dataset.derive_columns();
        Ok(dataset)
    }

    /// Columns the reference adds on reading: `UASC` on the Header ("1" when the
    /// child is in the UASC table, else "0"), when the UASC table is present.
    pub fn derive_columns(&mut self) {
        for tables in [&mut self.this, &mut self.last] {
            // A blank CHILD is listed too: pandas' merge matches blank with blank.
            let uasc_children: Option<(BTreeSet<String>, bool)> = tables.get(&Table::Uasc).map(|uasc| {
                let listed = uasc.rows().filter_map(|r| uasc.child(r).map(str::to_owned)).collect();
                (listed, uasc.rows().any(|r| uasc.child(r).is_none()))
            });
            if let (Some(header), Some((uasc, blank_listed))) = (tables.get_mut(&Table::Header), uasc_children)
                && !header.has_column("UASC")
            {
                header.add_column("UASC", |h, row| {
                    let listed = h.child(row).map_or(blank_listed, |c| uasc.contains(c));
                    Some(if listed { "1" } else { "0" }.to_owned())
                });
            }
        }
    }
}

/// Reads each file as a frame, files shared out over the cores; results in the
/// order of `paths`. A file's bytes go as soon as it is read.
fn read_in_parallel(paths: &[std::path::PathBuf]) -> Vec<Result<Frame, InputError>> {
    let read = |path: &std::path::PathBuf| {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| InputError::file(&name, format!("cannot read the file: {e}")))?;
        Frame::read(&name, &bytes)
    };
    on_every_core(paths, read)
        .into_iter()
        .zip(paths)
        .map(|(frame, path)| {
            frame.unwrap_or_else(|| Err(InputError::file(&path.display().to_string(), "the file was not read")))
        })
        .collect()
}

/// `work` done on each item, items shared out over the cores as they come free;
/// results in the order of `items` (`None` only if a worker could not record one).
fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = items.iter().map(|_| None).collect();
    let slots = std::sync::Mutex::new(&mut results);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let result = work(item);
                    if let Ok(mut slots) = slots.lock() {
                        slots[i] = Some(result);
                    }
                }
            });
        }
    });
    results
}

/// The `.csv` files in `folder`, in name order.
fn csv_files(folder: &Path) -> Result<Vec<std::path::PathBuf>, InputError> {
    let shown = folder.display().to_string();
    let entries =
        std::fs::read_dir(folder).map_err(|e| InputError::file(&shown, format!("cannot read the folder: {e}")))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| InputError::file(&shown, format!("cannot read the folder: {e}")))?
            .path();
        if path.extension().is_some_and(|ext| ext.eq_ignore_ascii_case("csv")) && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(InputError::file(&shown, "no .csv files found"));
    }
    paths.sort();
    Ok(paths)
}

/// One failing row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ValidationError {
    pub table: &'static str,
    /// 0-based data row of the table's CSV.
    pub row: usize,
    pub code: &'static str,
    pub child: Option<String>,
}

/// The result of validating a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Rules that ran: the return had the tables they need.
    pub rules_run: Vec<&'static str>,
    /// Rules that stopped on data they could not handle (reported, never hidden).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules_failed: Vec<&'static str>,
    pub errors: Vec<ValidationError>,
}

/// Runs `rules` (every rule of the year when `None`) over the return, on every core.
pub fn validate(dataset: &Dataset, only: Option<&[String]>) -> Report {
    let rules: Vec<&Rule> = rules::for_year(dataset.year)
        .into_iter()
        .filter(|r| only.is_none_or(|codes| codes.iter().any(|c| c.eq_ignore_ascii_case(r.code))))
        .collect();
    let outcomes = run_in_parallel(dataset, &rules);
    let mut report = Report {
        rules_run: Vec::new(),
        rules_failed: Vec::new(),
        errors: Vec::new(),
    };
    for (rule, outcome) in rules.iter().zip(outcomes) {
        match outcome {
            Err(()) => report.rules_failed.push(rule.code),
            Ok(None) => {}
            Ok(Some(flagged)) => {
                report.rules_run.push(rule.code);
                report.errors.extend(failing_rows(dataset, rule.code, flagged));
            }
        }
    }
    report
}

/// One rule's failing rows, each once, by table name and row (the rules come in
/// code order, so the report is in code order without comparing codes).
fn failing_rows(dataset: &Dataset, code: &'static str, flagged: Vec<Flagged>) -> Vec<ValidationError> {
    let mut rows: Vec<(&'static str, usize, &Frame)> = Vec::new();
    for found in flagged {
        let Some(frame) = dataset.table(found.table) else {
            continue;
        };
        let name = found.table.name();
        rows.extend(
            found
                .rows
                .into_iter()
                .filter(|&r| r < frame.len())
                .map(|r| (name, r, frame)),
        );
    }
    rows.sort_unstable_by_key(|&(table, row, _)| (table, row));
    rows.dedup_by_key(|&mut (table, row, _)| (table, row));
    rows.into_iter()
        .map(|(table, row, frame)| ValidationError {
            table,
            row,
            code,
            child: frame.child(row).map(str::to_owned),
        })
        .collect()
}

/// Each rule's outcome, in order; `Err` when the rule panicked (a bug in the rule
/// on unexpected data: the other rules still run and the failure is reported).
fn run_in_parallel(dataset: &Dataset, rules: &[&Rule]) -> Vec<Result<Outcome, ()>> {
    on_every_core(rules, |rule| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (rule.check)(dataset))).map_err(|_| ())
    })
    .into_iter()
    .map(|o| o.unwrap_or(Err(())))
    .collect()
}
