//! Building small returns in rule tests.

// Helpers for rule tests; not every batch uses every one.
#![allow(dead_code)]

use super::{Dataset, Frame, validate};
use crate::ssda903::tables::Table;

/// A return being built for a test.
pub struct Build(Dataset);

/// An empty return for the collection year ending 31 March `year`.
pub fn dataset(year: i16) -> Build {
    Build(Dataset::new(year))
}

/// A frame of `table` whose rows set only the named columns (others blank;
/// an empty value is blank). Values are upper-cased as on reading.
pub fn frame(table: Table, rows: &[&[(&str, &str)]]) -> Frame {
    let mut frame = Frame::new(table, &format!("{table}.csv"));
    for row in rows {
        let fields: Vec<Option<&str>> = table
            .columns()
            .iter()
            .map(|column| row.iter().find(|(c, _)| c == column).map(|(_, v)| *v))
            .collect();
        frame.push_row(fields);
    }
    frame
}

impl Build {
    pub fn table(mut self, table: Table, rows: &[&[(&str, &str)]]) -> Build {
        let _ = self.0.add(frame(table, rows), false);
        self
    }

    pub fn last(mut self, table: Table, rows: &[&[(&str, &str)]]) -> Build {
        let _ = self.0.add(frame(table, rows), true);
        self
    }

    pub fn done(mut self) -> Dataset {
        self.0.derive_columns();
        self.0
    }
}

/// A return holding only a Header table.
pub fn header(year: i16, rows: &[&[(&str, &str)]]) -> Dataset {
    dataset(year).table(Table::Header, rows).done()
}

/// The (table, row) pairs rule `code` flags, in order.
pub fn run(dataset: &Dataset, code: &str) -> Vec<(&'static str, usize)> {
    let report = validate(dataset, Some(&[code.to_owned()]));
    assert!(report.rules_failed.is_empty(), "rule {code} failed to run");
    report.errors.into_iter().map(|e| (e.table, e.row)).collect()
}

/// Whether rule `code` ran (it had the tables it needs).
pub fn ran(dataset: &Dataset, code: &str) -> bool {
    validate(dataset, Some(&[code.to_owned()])).rules_run.contains(&code)
}
