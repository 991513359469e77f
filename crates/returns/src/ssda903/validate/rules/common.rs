//! Small pieces many rules share.

use super::super::{Flagged, Outcome, TableRef};
use crate::ssda903::tables::Table;
use crate::ssda903::validate::Frame;
use std::collections::HashMap;

/// The rule ran and these rows of this year's `table` fail.
pub fn flag(table: Table, rows: impl IntoIterator<Item = usize>) -> Outcome {
    Some(vec![Flagged::new(TableRef::This(table), rows)])
}

/// The rule ran and these rows of last year's `table` fail.
pub fn flag_last(table: Table, rows: impl IntoIterator<Item = usize>) -> Outcome {
    Some(vec![Flagged::new(TableRef::Last(table), rows)])
}

/// Whether `value` is one of `codes` (a blank value never is).
pub fn is_in(value: Option<&str>, codes: &[&str]) -> bool {
    value.is_some_and(|v| codes.contains(&v))
}

/// Rows of `frame` by CHILD id, in row order. Rows with a blank CHILD are left
/// out (pandas would match blank with blank in a merge: rules that need that
/// handle it themselves).
pub fn rows_by_child(frame: &Frame) -> HashMap<&str, Vec<usize>> {
    let child = frame.col("CHILD");
    let mut rows: HashMap<&str, Vec<usize>> = HashMap::new();
    for row in frame.rows() {
        if let Some(id) = frame.get(row, child) {
            rows.entry(id).or_default().push(row);
        }
    }
    rows
}
