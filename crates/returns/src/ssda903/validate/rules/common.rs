//! Small pieces many rules share: flagging rows, grouping them by child, and the
//! 903 ideas several rules work out (continuously looked after, a child's first or
//! last episode, periods of care, ZZ dates, who is UASC). What the reference gets
//! from numpy and pandas is in `validate::pandas`.

use super::super::{Dataset, Flagged, Follow, Outcome, TableRef};
use crate::ssda903::tables::Table;
use crate::ssda903::validate::{Col, Frame, dfe_date, plus_days, plus_months, plus_years};
use hashbrown::{HashMap, HashSet};
use jiff::civil::Date;
use std::cmp::Ordering;

/// Rearranges `items` so that the item at each position `p` is the one that was at
/// `order[p]` (`order` a permutation, as from an argsort), without a second copy.
pub fn put_in_order<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len().min(items.len()) {
        let mut at = start;
        // Follow the cycle through `start`, moving each item into its place once.
        while let Some(&from) = order.get(at) {
            if from == at || from >= items.len() {
                break;
            }
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

/// The rule ran and these rows of this year's `table` fail.
pub fn flag(table: Table, rows: impl IntoIterator<Item = usize>) -> Outcome {
    Some(vec![Flagged::new(TableRef::This(table), rows)])
}

/// The rule ran and these rows of last year's `table` fail.
pub fn flag_last(table: Table, rows: impl IntoIterator<Item = usize>) -> Outcome {
    Some(vec![Flagged::new(TableRef::Last(table), rows)])
}

/// The rule ran and these rows of two of this year's tables fail.
pub fn flag_both<A, B>(first: (Table, A), second: (Table, B)) -> Outcome
where
    A: IntoIterator<Item = usize>,
    B: IntoIterator<Item = usize>,
{
    Some(vec![
        Flagged::new(TableRef::This(first.0), first.1),
        Flagged::new(TableRef::This(second.0), second.1),
    ])
}

/// Whether `value` is one of `codes` (a blank value never is).
pub fn is_in(value: Option<&str>, codes: &[&str]) -> bool {
    value.is_some_and(|v| codes.contains(&v))
}

/// Rows of `frame` by CHILD id, in row order. Rows with a blank CHILD are left
/// out (pandas would match blank with blank in a merge: rules that need that use
/// [`merge_groups_by_child`](crate::ssda903::validate::pandas::merge_groups_by_child)).
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

/// Children the reference counts as looked after continuously through the year
/// (`add_col_to_tables_CONTINUOUSLY_LOOKED_AFTER`): an episode open at some time in
/// the year, and none that starts care in the year (RNE S), ends it before 31
/// March (a reason other than X1), or is a short break (V3/V4) in the year.
pub fn continuously_looked_after<'a>(d: &Dataset, episodes: &'a Frame) -> HashSet<&'a str> {
    let (decom, dec) = (episodes.col("DECOM"), episodes.col("DEC"));
    let (rne, rec, ls) = (episodes.col("RNE"), episodes.col("REC"), episodes.col("LS"));
    let (start, end) = (d.collection_start, d.collection_end);
    let mut in_care = HashSet::with_capacity(episodes.len());
    let mut interrupted = HashSet::new();
    for row in episodes.rows() {
        let Some(child) = episodes.child(row) else {
            continue;
        };
        let (began, ended) = (episodes.date(row, decom), episodes.date(row, dec));
        let during = began.is_some_and(|b| b <= end) && ended.is_none_or(|e| e >= start);
        let enters = episodes.get(row, rne) == Some("S") && began.is_some_and(|b| b > start && b <= end);
        let leaves = episodes.get(row, rec) != Some("X1") && ended.is_some_and(|e| e >= start && e < end);
        let short_break = is_in(episodes.get(row, ls), &["V3", "V4"]) && during;
        if during {
            in_care.insert(child);
        }
        if enters || leaves || short_break {
            interrupted.insert(child);
        }
    }
    in_care.retain(|c| !interrupted.contains(c));
    in_care
}

/// Whether the child of `row` of `frame` was looked after continuously (a row
/// with no CHILD never was).
pub fn looked_after_in(frame: &Frame, row: usize, children: &HashSet<&str>) -> bool {
    frame.child(row).is_some_and(|c| children.contains(c))
}

/// Which row of a child pandas' `idxmin` (earliest) or `idxmax` (latest) picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extreme {
    Earliest,
    Latest,
}

/// For each child, the first of `rows` with the child's earliest or latest `date`,
/// and that date, children in the order of their first dated row: pandas
/// `groupby("CHILD")[date].idxmin()` / `idxmax()`. Rows without a date, and a
/// blank CHILD (as `groupby` drops it), are left out.
// Reference quirk: a child whose dates are all blank makes pandas raise, so the
// whole rule fails in the reference; here that child is left out.
pub fn extreme_by_child_in_order(
    frame: &Frame,
    rows: impl IntoIterator<Item = usize>,
    date: impl Fn(usize) -> Option<Date>,
    extreme: Extreme,
) -> Vec<(&str, usize, Date)> {
    let mut found: Vec<(&str, usize, Date)> = Vec::new();
    // Where each child is in `found`, by the child's rank (a number below the row count).
    let mut at: Vec<usize> = vec![usize::MAX; frame.len()];
    for row in rows {
        let (Some(child), Some(value)) = (frame.child(row), date(row)) else {
            continue;
        };
        let Some(slot) = at.get_mut(frame.child_rank(row) as usize) else {
            continue;
        };
        if *slot == usize::MAX {
            *slot = found.len();
            found.push((child, row, value));
            continue;
        }
        let i = *slot;
        let better = match extreme {
            Extreme::Earliest => value < found[i].2,
            Extreme::Latest => value > found[i].2,
        };
        if better {
            found[i] = (child, row, value);
        }
    }
    found
}

/// [`extreme_by_child_in_order`] by CHILD: each child's row and its date.
pub fn extreme_by_child(
    frame: &Frame,
    rows: impl IntoIterator<Item = usize>,
    date: impl Fn(usize) -> Option<Date>,
    extreme: Extreme,
) -> HashMap<&str, (usize, Date)> {
    extreme_by_child_in_order(frame, rows, date, extreme)
        .into_iter()
        .map(|(child, row, value)| (child, (row, value)))
        .collect()
}

/// Periods of care by CHILD (blank CHILD included: each such episode is a period
/// of its own), as the reference builds them (577, 578, and batch f's rules): episodes with a
/// valid DECOM in order of CHILD and DECOM, a new period starting at a new child or
/// at an episode that starts after the previous one ended. Each period is its
/// first episode's DECOM and its last episode's DEC.
pub fn periods_of_care(epi: &Frame) -> HashMap<Option<&str>, Vec<(Date, Option<Date>)>> {
    let (child, decom, dec) = (epi.col("CHILD"), epi.col("DECOM"), epi.col("DEC"));
    let mut order: Vec<(usize, Date)> = epi
        .rows()
        .filter_map(|r| epi.date(r, decom).map(|start| (r, start)))
        .collect();
    order.sort_by_cached_key(|&(r, start)| (epi.child_rank(r), start));
    let mut periods: HashMap<Option<&str>, Vec<(Date, Option<Date>)>> = HashMap::new();
    let mut previous: Option<(Option<&str>, Option<Date>)> = None;
    for (r, start) in order {
        let (id, end) = (epi.get(r, child), epi.date(r, dec));
        let continues = previous
            .is_some_and(|(prev_id, prev_end)| id.is_some() && id == prev_id && prev_end.is_none_or(|p| start <= p));
        let child_periods = periods.entry(id).or_default();
        match child_periods.last_mut() {
            Some(period) if continues => period.1 = end,
            _ => child_periods.push((start, end)),
        }
        previous = Some((id, end));
    }
    periods
}

/// A date as a return writes it, as a rule compares it with another: the day it
/// names when the DfE's rule text is followed and it reads as a date (so `1/6/2020`
/// and `01/06/2020` are the same day), otherwise the text as written, which is how
/// the reference compares these dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WrittenDate<'a> {
    Day(Date),
    Text(&'a str),
}

/// [`WrittenDate`] of `text` under `follow`.
pub fn written_date(follow: Follow, text: &str) -> WrittenDate<'_> {
    match (follow, dfe_date(text)) {
        (Follow::RuleText, Some(day)) => WrittenDate::Day(day),
        _ => WrittenDate::Text(text),
    }
}

/// Whether two dates, both given, are the same [`WrittenDate`] (a blank never is).
pub fn same_written_date(follow: Follow, a: Option<&str>, b: Option<&str>) -> bool {
    a.zip(b)
        .is_some_and(|(a, b)| written_date(follow, a) == written_date(follow, b))
}

/// The order of two written dates: by day when both are [`WrittenDate::Day`],
/// otherwise as text (the reference's `<` on text).
pub fn cmp_written_dates(follow: Follow, a: &str, b: &str) -> Ordering {
    match (written_date(follow, a), written_date(follow, b)) {
        (WrittenDate::Day(a), WrittenDate::Day(b)) => a.cmp(&b),
        _ => a.cmp(b),
    }
}

/// A `DD/MM/YYYY` date in which an unknown day or month may be written `ZZ` and an
/// unknown year `ZZZZ`, read with `ZZ` as 01 and `ZZZZ` as 2000, and the place (0
/// for the day, 1 for the month) of the last `ZZ`.
fn zz_date_parts(text: &str) -> Option<(Date, Option<usize>)> {
    let parts: Vec<&str> = text.split('/').collect();
    if parts.len() != 3 {
        return None;
    }
    let mut unknown = None;
    let mut known = Vec::with_capacity(3);
    for (i, part) in parts.into_iter().enumerate() {
        match part {
            "ZZ" => {
                known.push("01");
                unknown = Some(i);
            }
            "ZZZZ" => known.push("2000"),
            other => known.push(other),
        }
    }
    Some((dfe_date(&known.join("/"))?, unknown))
}

/// The reference's `valid_date` (the social worker rules): a `ZZ` day or month
/// reads as 01, `ZZZZ` as 2000.
pub fn zz_date(text: &str) -> Option<Date> {
    zz_date_parts(text).map(|(date, _)| date)
}

/// A DATE_PERM as rule 632 of the reference reads it: an unknown day (`ZZ`) means
/// the month's last day and an unknown month the day before that day next year
/// (so not [`zz_date`]'s first day); `ZZZZ` reads as 2000.
// Reference quirk: ZZ/ZZ/YYYY reads as 31 December, but 05/ZZ/2020 as 4 January 2021.
pub fn zz_date_as_last_possible(text: &str) -> Option<Date> {
    let (date, unknown) = zz_date_parts(text)?;
    match unknown {
        Some(0) => plus_days(plus_months(date, 1)?, -1),
        Some(1) => plus_days(plus_years(date, 1)?, -1),
        _ => Some(date),
    }
}

/// Which columns of a UASC table mark a child as UASC when any is filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UascDetails {
    /// SEX, DOB or DUC, as the reference's 164 names them.
    SexDobDuc,
    /// Any column but CHILD, as the reference's 392a, 392b and 406 take them: the
    /// same as `SexDobDuc` unless the file has columns of its own besides those.
    AllButChild,
}

/// Children the reference counts as UASC this year or last: from each year's
/// Header (its derived UASC column is 1) or, without a Header, from its UASC table
/// (rows with a detail filled in, `details` saying which columns count). `None`
/// when no year tells who is UASC (the reference then does not run the rule).
pub fn uasc_this_or_last_year(d: &Dataset, details: UascDetails) -> Option<HashSet<Option<&str>>> {
    let mut known = false;
    let mut children = HashSet::new();
    let years = [
        (d.this(Table::Header), d.this(Table::Uasc)),
        (d.last(Table::Header), d.last(Table::Uasc)),
    ];
    for (header, uasc) in years {
        if let Some(header) = header {
            if header.has_column("UASC") {
                known = true;
                let (child, status) = (header.col("CHILD"), header.col("UASC"));
                let listed = header.rows().filter(|&r| header.get(r, status) == Some("1"));
                children.extend(listed.map(|r| header.get(r, child)));
            }
        } else if let Some(uasc) = uasc {
            known = true;
            let child = uasc.col("CHILD");
            let columns: Vec<Col> = match details {
                UascDetails::SexDobDuc => ["SEX", "DOB", "DUC"].iter().map(|c| uasc.col(c)).collect(),
                UascDetails::AllButChild => uasc
                    .columns()
                    .iter()
                    .filter(|c| c.as_str() != "CHILD")
                    .map(|c| uasc.col(c))
                    .collect(),
            };
            let listed = uasc
                .rows()
                .filter(|&r| columns.iter().any(|&c| uasc.get(r, c).is_some()));
            children.extend(listed.map(|r| uasc.get(r, child)));
        }
    }
    known.then_some(children)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn putting_in_order_gives_what_indexing_by_the_order_gives(
            order in (0usize..40).prop_flat_map(|n| Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
        ) {
            let items: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            let expected: Vec<usize> = order.iter().map(|&i| items[i]).collect();
            let mut arranged = items.clone();
            put_in_order(&mut arranged, order);
            prop_assert_eq!(arranged, expected);
        }
    }

    use super::*;
    use jiff::civil::date;

    #[test]
    fn permanence_dates_read_unknown_parts_as_the_reference_does() {
        assert_eq!(zz_date_as_last_possible("ZZ/02/2024"), Some(date(2024, 2, 29)));
        assert_eq!(zz_date_as_last_possible("ZZ/ZZ/1993"), Some(date(1993, 12, 31)));
        assert_eq!(zz_date_as_last_possible("05/ZZ/2020"), Some(date(2021, 1, 4)));
        assert_eq!(zz_date_as_last_possible("ZZ/ZZ/ZZZZ"), Some(date(2000, 12, 31)));
        assert_eq!(zz_date_as_last_possible("ZZ/ZZ/ZZ"), None);
        assert_eq!(zz_date_as_last_possible("ZZ/ZZ"), None);
    }
}
