//! What the DfE's validator gets from numpy and pandas, reproduced step by step so
//! Pathways flags exactly the rows it flags: numpy's unstable sort order and the
//! single-column `sort_values` built on it, the keys a merge matches rows on,
//! sorting by CHILD and pairing rows with their `shift(1)`, pandas' date readers
//! and range, `DateOffset`'s wrap-round past 2262 and numpy's 365.2425-day year.

use super::{Col, Frame, dfe_date, plus_days, plus_years};
use hashbrown::{HashMap, HashSet};
use jiff::civil::{Date, date};
use std::cmp::Ordering;

/// The order numpy 1.24's default `argsort(kind="quicksort")` gives `values` (the
/// sort pandas' single-column `sort_values` uses): an introsort (median-of-three
/// quicksort, insertion sort for 16 or fewer, heapsort past the depth limit) that
/// is not stable, so equal values come out in the reference's order only when
/// sorted exactly the same way.
pub fn numpy_argsort<T: PartialOrd>(values: &[T]) -> Vec<usize> {
    const SMALL_QUICKSORT: usize = 15;
    let mut order: Vec<usize> = (0..values.len()).collect();
    if values.len() < 2 {
        return order;
    }
    let less = |a: usize, b: usize| values[a] < values[b];
    let mut pending: Vec<(usize, usize, i64)> = Vec::new();
    let (mut pl, mut pr) = (0, values.len() - 1);
    let mut depth = 2 * i64::from(values.len().ilog2());
    loop {
        if depth < 0 {
            numpy_heapsort(values, &mut order[pl..=pr]);
        } else {
            while pr - pl > SMALL_QUICKSORT {
                let pm = pl + ((pr - pl) >> 1);
                if less(order[pm], order[pl]) {
                    order.swap(pm, pl);
                }
                if less(order[pr], order[pm]) {
                    order.swap(pr, pm);
                }
                if less(order[pm], order[pl]) {
                    order.swap(pm, pl);
                }
                let pivot = order[pm];
                let (mut pi, mut pj) = (pl, pr - 1);
                order.swap(pm, pj);
                loop {
                    pi += 1;
                    while less(order[pi], pivot) {
                        pi += 1;
                    }
                    pj -= 1;
                    while less(pivot, order[pj]) {
                        pj -= 1;
                    }
                    if pi >= pj {
                        break;
                    }
                    order.swap(pi, pj);
                }
                order.swap(pi, pr - 1);
                depth -= 1;
                if pi - pl < pr - pi {
                    pending.push((pi + 1, pr, depth));
                    pr = pi - 1;
                } else {
                    pending.push((pl, pi - 1, depth));
                    pl = pi + 1;
                }
            }
            for i in pl + 1..=pr {
                let moving = order[i];
                let mut j = i;
                while j > pl && less(moving, order[j - 1]) {
                    order[j] = order[j - 1];
                    j -= 1;
                }
                order[j] = moving;
            }
        }
        let Some(next) = pending.pop() else { break };
        (pl, pr, depth) = next;
    }
    order
}

/// numpy's `aheapsort` of the positions in `part` by `values`, which its quicksort
/// falls back on when the partitions go too deep.
pub fn numpy_heapsort<T: PartialOrd>(values: &[T], part: &mut [usize]) {
    let less = |a: usize, b: usize| values[a] < values[b];
    // 1-based, as numpy writes it: heap place k is part[k - 1].
    let sift = |part: &mut [usize], mut i: usize, n: usize, moving: usize| {
        let mut j = i * 2;
        while j <= n {
            if j < n && less(part[j - 1], part[j]) {
                j += 1;
            }
            if !less(moving, part[j - 1]) {
                break;
            }
            part[i - 1] = part[j - 1];
            i = j;
            j += j;
        }
        part[i - 1] = moving;
    };
    let mut n = part.len();
    for l in (1..=n / 2).rev() {
        let moving = part[l - 1];
        sift(part, l, n, moving);
    }
    while n > 1 {
        let moving = part[n - 1];
        part[n - 1] = part[0];
        n -= 1;
        sift(part, 1, n, moving);
    }
}

/// The row order pandas' `sort_values` gives on one column, ascending or
/// descending: numpy's quicksort of the values that are there (ties falling as it
/// leaves them; descending sorts the reversed rows and reverses the result, as
/// pandas does), then the blank rows last in row order whichever the direction.
pub fn sort_values<T: PartialOrd + Copy>(values: &[Option<T>], ascending: bool) -> Vec<usize> {
    let (mut present, mut blank): (Vec<usize>, Vec<usize>) = (0..values.len()).partition(|&i| values[i].is_some());
    if !ascending {
        present.reverse();
    }
    let keys: Vec<T> = present.iter().filter_map(|&i| values[i]).collect();
    let mut order: Vec<usize> = numpy_argsort(&keys).into_iter().map(|k| present[k]).collect();
    if !ascending {
        order.reverse();
    }
    order.append(&mut blank);
    order
}

/// Rows of `frame` by the value in `col` as a pandas merge matches them: a blank
/// value is a key of its own (`None`) and matches other blank values.
pub fn merge_groups(frame: &Frame, col: Col) -> HashMap<Option<&str>, Vec<usize>> {
    let mut rows: HashMap<Option<&str>, Vec<usize>> = HashMap::with_capacity(frame.len());
    for row in frame.rows() {
        rows.entry(frame.get(row, col)).or_default().push(row);
    }
    rows
}

/// [`merge_groups`] on CHILD: a blank CHILD matches a blank CHILD.
pub fn merge_groups_by_child(frame: &Frame) -> HashMap<Option<&str>, Vec<usize>> {
    merge_groups(frame, frame.col("CHILD"))
}

/// The values of `column` in `rows`, a blank included as `None`: pandas `isin`
/// finds a blank value among values holding a blank.
pub fn values_in<'a>(
    frame: &'a Frame,
    column: &str,
    rows: impl IntoIterator<Item = usize>,
) -> HashSet<Option<&'a str>> {
    let col = frame.col(column);
    rows.into_iter().map(|row| frame.get(row, col)).collect()
}

/// pandas `a != b` on two cells: true unless both are filled in and equal (a
/// blank is `NaN`, unequal even to a blank).
pub fn pandas_ne(a: Option<&str>, b: Option<&str>) -> bool {
    a.is_none() || a != b
}

/// A value as pandas `astype(str)` shows it: a blank is `"nan"`.
pub fn as_text(value: Option<&str>) -> &str {
    value.unwrap_or("nan")
}

/// A sort key that puts a blank after every value, as pandas `sort_values` puts
/// blanks (`na_position="last"`).
pub fn blank_last<T: Ord>(value: Option<T>) -> (bool, Option<T>) {
    (value.is_none(), value)
}

/// pandas' order of two values of a sorted column: ascending or descending, blanks
/// last whichever the direction.
pub fn cmp_blank_last<T: Ord>(a: Option<T>, b: Option<T>, ascending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) if ascending => a.cmp(&b),
        (Some(a), Some(b)) => b.cmp(&a),
        (a, b) => a.is_none().cmp(&b.is_none()),
    }
}

/// Row numbers in the order pandas `sort_values(["CHILD", ...])` gives: by CHILD
/// (blank last), then by `key` (put blanks last in it with [`blank_last`]), ties
/// in row order (pandas sorts on more than one column stably).
pub fn sorted_by_child<K: Ord>(frame: &Frame, key: impl Fn(usize) -> K) -> Vec<usize> {
    let mut rows: Vec<usize> = frame.rows().collect();
    rows.sort_by_cached_key(|&r| (frame.child_rank(r), key(r)));
    rows
}

/// Pairs (previous, current) of consecutive rows in `order` that belong to the
/// same child, where a blank CHILD matches nothing: the reference compares each
/// row with its `shift(1)` and tests `CHILD == CHILD_previous`, and a blank is
/// never equal to a blank.
pub fn same_child_pairs(frame: &Frame, order: &[usize]) -> Vec<(usize, usize)> {
    let child = frame.col("CHILD");
    order
        .windows(2)
        .filter(|w| frame.get(w[0], child).is_some() && frame.get(w[0], child) == frame.get(w[1], child))
        .map(|w| (w[0], w[1]))
        .collect()
}

/// Each row in `order` with the row before it, where the reference pairs rows by
/// *merging* a table with its `shift(1)` on CHILD (unlike [`same_child_pairs`]):
/// only rows of the same child, but a blank CHILD matching a blank CHILD, and the
/// first row, when its CHILD is blank, with the blank row `shift` adds (`None`).
pub fn with_previous_of_same_child(frame: &Frame, order: &[usize]) -> Vec<(usize, Option<usize>)> {
    let child = frame.col("CHILD");
    order
        .iter()
        .enumerate()
        .filter_map(|(at, &row)| match at.checked_sub(1).map(|before| order[before]) {
            Some(previous) => (frame.get(previous, child) == frame.get(row, child)).then_some((row, Some(previous))),
            None => frame.get(row, child).is_none().then_some((row, None)),
        })
        .collect()
}

/// The first day pandas' nanosecond timestamps can hold.
pub const FIRST_PANDAS_DAY: Date = date(1677, 9, 22);
/// The last day pandas' nanosecond timestamps can hold.
pub const LAST_PANDAS_DAY: Date = date(2262, 4, 11);

/// `day` when pandas can hold it (from 22 September 1677 to 11 April 2262); pandas
/// reads a date outside that range as no date.
pub fn in_pandas_range(day: Date) -> Option<Date> {
    (FIRST_PANDAS_DAY..=LAST_PANDAS_DAY).contains(&day).then_some(day)
}

/// A date as pandas reads it with `dayfirst=True` and no format, for the forms
/// councils write: `DD/MM/YYYY` (or with `-` or `.`), `YYYY-MM-DD`, spaces around,
/// and day and month swapped when the month cannot be one (`01/13/2020` is 13
/// January). Other text, which pandas hands to a guessing parser, reads as no date
/// here ([`loose_date`] reads more of it: rules written with this narrower reader
/// keep it, so their results do not change).
pub fn dayfirst_date(text: Option<&str>) -> Option<Date> {
    let text = text?.trim();
    if let Some(parsed) = dfe_date(text) {
        return Some(parsed);
    }
    let separator = text.chars().find(|c| matches!(c, '/' | '-' | '.'))?;
    let parts: Vec<&str> = text.split(separator).collect();
    let [a, b, c] = parts[..] else { return None };
    let number = |part: &str, max_len: usize| -> Option<i16> {
        let digits = !part.is_empty() && part.len() <= max_len && part.bytes().all(|x| x.is_ascii_digit());
        if digits { part.parse().ok() } else { None }
    };
    let parsed = if a.len() == 4 {
        Date::new(
            number(a, 4)?,
            i8::try_from(number(b, 2)?).ok()?,
            i8::try_from(number(c, 2)?).ok()?,
        )
        .ok()
    } else {
        let (year, first, second) = (number(c, 4)?, number(a, 2)?, number(b, 2)?);
        let (first, second) = (i8::try_from(first).ok()?, i8::try_from(second).ok()?);
        (c.len() == 4)
            .then(|| {
                Date::new(year, second, first)
                    .or_else(|_| Date::new(year, first, second))
                    .ok()
            })
            .flatten()
    }?;
    in_pandas_range(parsed)
}

/// A date as pandas 1.5 reads text with `to_datetime(dayfirst=True)` and no format:
/// ISO dates (`2025-04-01`, `20250401`), then `D/M/YYYY` with `/`, `-`, `.` or a
/// space (day and month swapped when the month cannot be one), then the common
/// forms `dateutil` reads (two-digit years, month names). Text with a time of day,
/// and the rarer forms `dateutil` accepts, read as no date. (The rules that were
/// written with the narrower [`dayfirst_date`] keep that one.)
pub fn loose_date(text: &str, year: i16) -> Option<Date> {
    if matches!(text, "NAT" | "NAN") {
        return None;
    }
    if let Some(iso) = iso_date(text) {
        return iso;
    }
    if !looks_like_a_date(text) {
        return None;
    }
    if let Some(delimited) = delimited_date(text) {
        return delimited;
    }
    dateutil_date(text, year)
}

/// A date from its parts, within the range pandas can hold.
fn ymd_in_pandas_range(year: i64, month: i64, day: i64) -> Option<Date> {
    let day = Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()?;
    in_pandas_range(day)
}

/// pandas' ISO 8601 reader: `Some(date)` when it reads the text (`Some(None)` when
/// the date is out of range), `None` when the text is not ISO and other readers try.
fn iso_date(text: &str) -> Option<Option<Date>> {
    let b = text.trim_start().as_bytes();
    let digit = |i: usize| b.get(i).filter(|c| c.is_ascii_digit()).map(|c| i64::from(c - b'0'));
    let (year, mut i) = match (digit(0), digit(1), digit(2), digit(3)) {
        (Some(a), Some(b), Some(c), Some(d)) => (a * 1000 + b * 100 + c * 10 + d, 4),
        _ => (0, 0),
    };
    if i == b.len() {
        return Some(ymd_in_pandas_range(year, 1, 1));
    }
    let separator = match b.get(i) {
        Some(c) if c.is_ascii_digit() => None,
        Some(&c) if b"-./\\ ".contains(&c) => {
            i += 1;
            digit(i)?;
            Some(c)
        }
        _ => return None,
    };
    let mut month = digit(i)?;
    i += 1;
    if let Some(second) = digit(i) {
        month = month * 10 + second;
        i += 1;
    } else if separator.is_none() {
        return None;
    }
    if !(1..=12).contains(&month) {
        return None;
    }
    if i == b.len() {
        return separator.map(|_| ymd_in_pandas_range(year, month, 1));
    }
    if let Some(sep) = separator {
        if b.get(i) != Some(&sep) || i + 1 == b.len() {
            return None;
        }
        i += 1;
    }
    let mut day = digit(i)?;
    i += 1;
    if let Some(second) = digit(i) {
        day = day * 10 + second;
        i += 1;
    } else if separator.is_none() {
        return None;
    }
    // An impossible day falls to the other readers, which cannot read it either.
    (i == b.len()).then(|| ymd_in_pandas_range(year, month, day))
}

/// pandas' first test of text it could not read as ISO: a number under 1000 (and
/// a lone `A`, `M`, `P` or `T`) is not a date.
fn looks_like_a_date(text: &str) -> bool {
    if text.starts_with('0') {
        return true;
    }
    if matches!(text, "A" | "M" | "P" | "T") {
        return false;
    }
    match text.trim().parse::<f64>() {
        Ok(number) if !text.trim().is_empty() && !text.trim().contains(['I', 'N']) => number >= 1000.0,
        _ => true,
    }
}

/// pandas' `_parse_delimited_date`: `MM/DD/YYYY` read day first, `MM/YYYY`.
/// `Some(None)` when the text has the shape but is not a date.
fn delimited_date(text: &str) -> Option<Option<Date>> {
    let b = text.as_bytes();
    let delimiter = |i: usize| b.get(i).is_some_and(|c| b" /-.".contains(c));
    let number = |from: usize, len: usize| -> i64 {
        b.get(from..from + len)
            .filter(|s| s.iter().all(u8::is_ascii_digit))
            .map_or(-1, |s| s.iter().fold(0, |n, c| n * 10 + i64::from(c - b'0')))
    };
    let (first, second, year, can_swap) = match b.len() {
        10 if delimiter(2) && delimiter(5) => (number(0, 2), number(3, 2), number(6, 4), true),
        9 if delimiter(1) && delimiter(4) => (number(0, 1), number(2, 2), number(5, 4), true),
        9 if delimiter(2) && delimiter(4) => (number(0, 2), number(3, 1), number(5, 4), true),
        8 if delimiter(1) && delimiter(3) => (number(0, 1), number(2, 1), number(4, 4), true),
        7 if delimiter(2) && b[2] != b'.' => (number(0, 2), 1, number(3, 4), false),
        _ => return None,
    };
    if first < 0 || second < 0 || year < 1000 {
        return None;
    }
    let (mut month, mut day) = (first, second);
    if (1..=31).contains(&month) && (1..=31).contains(&day) && (month <= 12 || day <= 12) {
        if can_swap && (month > 12 || day <= 12) {
            (month, day) = (day, month);
        }
        return Some(ymd_in_pandas_range(year, month, day));
    }
    Some(None)
}

/// The forms of `dateutil.parser.parse(dayfirst=True)` seen in returns: day, month
/// (number or name) and year separated by `/`, `-`, `.`, `,` or spaces, or six
/// digits `DDMMYY`; a two-digit year is the one within 50 years of `year_now`
/// (the reference uses the machine's clock; Pathways uses the collection year so a
/// return validates the same on any day).
fn dateutil_date(text: &str, year_now: i16) -> Option<Date> {
    const MONTHS: [&[&str]; 12] = [
        &["JAN", "JANUARY"],
        &["FEB", "FEBRUARY"],
        &["MAR", "MARCH"],
        &["APR", "APRIL"],
        &["MAY"],
        &["JUN", "JUNE"],
        &["JUL", "JULY"],
        &["AUG", "AUGUST"],
        &["SEP", "SEPT", "SEPTEMBER"],
        &["OCT", "OCTOBER"],
        &["NOV", "NOVEMBER"],
        &["DEC", "DECEMBER"],
    ];
    let trimmed = text.trim().trim_end_matches('.');
    let all_digits = trimmed.bytes().all(|c| c.is_ascii_digit());
    let tokens: Vec<&str> = if all_digits && trimmed.len() == 6 {
        vec![&trimmed[0..2], &trimmed[2..4], &trimmed[4..6]]
    } else if all_digits && trimmed.len() == 8 {
        vec![&trimmed[0..4], &trimmed[4..6], &trimmed[6..8]]
    } else {
        let separators: Vec<char> = trimmed.chars().filter(|c| "/-.,".contains(*c)).collect();
        let comma_in_number = trimmed
            .as_bytes()
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b',' && w[2].is_ascii_digit());
        if separators.windows(2).any(|w| w[0] != w[1]) || comma_in_number {
            return None;
        }
        trimmed
            .split(|c: char| " /-.,".contains(c))
            .filter(|t| !t.is_empty() && !matches!(*t, "OF" | "AT" | "ON" | "AND"))
            .map(|t| {
                ["ST", "ND", "RD", "TH"]
                    .iter()
                    .find_map(|suffix| t.strip_suffix(suffix).filter(|n| n.bytes().all(|c| c.is_ascii_digit())))
                    .filter(|n| !n.is_empty())
                    .unwrap_or(t)
            })
            .collect()
    };
    // (value, 'Y' for a year of more than two digits, 'M' for a month name)
    let mut ymd: Vec<(i64, Option<char>)> = Vec::new();
    let mut century_given = false;
    for token in tokens {
        if token.bytes().all(|c| c.is_ascii_digit()) {
            let value: i64 = token.parse().ok()?;
            if token.len() > 2 {
                century_given = true;
                ymd.push((value, Some('Y')));
            } else {
                ymd.push((value, None));
            }
        } else {
            let month = MONTHS.iter().position(|names| names.contains(&token))?;
            ymd.push((month as i64 + 1, Some('M')));
        }
    }
    let labelled = |label: char| ymd.iter().position(|(_, l)| *l == Some(label));
    if ymd.iter().filter(|(_, l)| *l == Some('Y')).count() > 1
        || ymd.iter().filter(|(_, l)| *l == Some('M')).count() > 1
    {
        return None;
    }
    let (year, month, day) = resolve_ymd(&ymd, labelled('Y'), labelled('M'))?;
    let mut year = year?;
    if year < 100 && !century_given {
        let this_year = i64::from(year_now);
        year += this_year / 100 * 100;
        if year >= this_year + 50 {
            year -= 100;
        } else if year < this_year - 50 {
            year += 100;
        }
    }
    ymd_in_pandas_range(year, month.unwrap_or(1), day.unwrap_or(1))
}

/// Year, month and day as far as `dateutil` can tell them apart.
type Ymd = (Option<i64>, Option<i64>, Option<i64>);

/// `dateutil`'s `_ymd.resolve_ymd` with `dayfirst=True`, `yearfirst=False`.
fn resolve_ymd(ymd: &[(i64, Option<char>)], year_at: Option<usize>, month_at: Option<usize>) -> Option<Ymd> {
    let v = |i: usize| ymd[i].0;
    let labels = usize::from(year_at.is_some()) + usize::from(month_at.is_some());
    if (ymd.len() == labels && labels > 0) || (ymd.len() == 3 && labels == 2) {
        let mut at = [year_at, month_at, None];
        if ymd.len() == 3 {
            let free = (0..3).find(|i| !at.contains(&Some(*i)));
            at[at.iter().position(Option::is_none)?] = free;
        }
        let get = |i: Option<usize>| i.map(v);
        return Some((get(at[0]), get(at[1]), get(at[2])));
    }
    match (ymd.len(), month_at) {
        (1, _) | (2, Some(_)) => {
            let (month, other) = match month_at {
                Some(m) => (Some(v(m)), v(if m == 0 { 1 } else { 0 })),
                None => (None, v(0)),
            };
            if ymd.len() > 1 || month_at.is_none() {
                return Some(if other > 31 {
                    (Some(other), month, None)
                } else {
                    (None, month, Some(other))
                });
            }
            Some((None, month, None))
        }
        (2, None) => Some(if v(0) > 31 {
            (Some(v(0)), Some(v(1)), None)
        } else if v(1) > 31 {
            (Some(v(1)), Some(v(0)), None)
        } else if v(1) <= 12 {
            (None, Some(v(1)), Some(v(0)))
        } else {
            (None, Some(v(0)), Some(v(1)))
        }),
        (3, Some(0)) => Some(if v(1) > 31 {
            (Some(v(1)), Some(v(0)), Some(v(2)))
        } else {
            (Some(v(2)), Some(v(0)), Some(v(1)))
        }),
        (3, Some(1)) => Some(if v(0) > 31 {
            (Some(v(0)), Some(v(1)), Some(v(2)))
        } else {
            (Some(v(2)), Some(v(1)), Some(v(0)))
        }),
        (3, Some(_)) => Some(if v(1) > 31 {
            (Some(v(1)), Some(v(2)), Some(v(0)))
        } else {
            (Some(v(0)), Some(v(2)), Some(v(1)))
        }),
        (3, None) => Some(if v(0) > 31 || year_at == Some(0) {
            if v(2) <= 12 {
                (Some(v(0)), Some(v(2)), Some(v(1)))
            } else {
                (Some(v(0)), Some(v(1)), Some(v(2)))
            }
        } else if v(0) > 12 || v(1) <= 12 {
            (Some(v(2)), Some(v(1)), Some(v(0)))
        } else {
            (Some(v(2)), Some(v(0)), Some(v(1)))
        }),
        _ => None,
    }
}

/// `date + DateOffset(years=n)` as the reference's pandas computes it on a column:
/// a result after 11 April 2262 silently wraps round to a time in 1677 to 1686,
/// earlier than any date read from a return and equal to none (stood for here by
/// 21 September 1677, the day before the earliest date pandas reads).
pub fn offset_years(date: Date, years: i16) -> Option<Date> {
    plus_years(date, years).map(|later| {
        if later > LAST_PANDAS_DAY {
            jiff::civil::date(1677, 9, 21)
        } else {
            later
        }
    })
}

/// The reference's `np.timedelta64(1, "Y")`: an average Gregorian year, in seconds.
const NUMPY_YEAR_SECONDS: i64 = 31_556_952;

/// Whether `days` (a whole number of days) reaches `years` of the reference's
/// `np.timedelta64(years, "Y")`.
pub fn at_least_numpy_years(days: i64, years: i64) -> bool {
    days * 86_400 >= years * NUMPY_YEAR_SECONDS
}

/// The earliest date on or after `day - np.timedelta64(1, "Y")` (365.2425 days
/// before, at midnight: 365 days before).
pub fn numpy_year_before(day: Date) -> Date {
    plus_days(day, -365).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_argsort_orders_ties_as_numpy_does() {
        // Expected orders printed by numpy 1.24 `np.argsort(keys)` and
        // `np.argsort(keys, kind="heapsort")`.
        let alternating: Vec<i32> = (0..40).map(|i| if i % 2 == 0 { 2020 } else { 2019 }).collect();
        assert_eq!(
            numpy_argsort(&alternating),
            [
                19, 37, 35, 33, 31, 29, 27, 25, 23, 21, 17, 15, 13, 39, 11, 1, 3, 9, 7, 5, 14, 36, 2, 34, 32, 4, 30,
                28, 26, 12, 24, 8, 22, 20, 38, 18, 10, 16, 6, 0
            ]
        );
        let keys = [
            4, 2, 5, 2, 5, 5, 5, 4, 0, 3, 1, 5, 0, 1, 0, 2, 3, 1, 3, 4, 0, 4, 1, 0, 5, 1, 3, 2, 1, 3, 1, 0, 1, 4, 4, 3,
            1, 1, 0, 0, 1, 1, 1, 1, 2, 2, 1, 4, 5, 5, 1, 1, 5, 1, 3, 2, 0, 2, 3, 1,
        ];
        assert_eq!(
            numpy_argsort(&keys),
            [
                20, 38, 39, 56, 31, 23, 14, 8, 12, 22, 42, 59, 41, 43, 40, 30, 32, 25, 28, 36, 37, 53, 10, 50, 51, 46,
                17, 13, 15, 27, 44, 55, 3, 57, 1, 45, 54, 29, 58, 26, 9, 35, 18, 16, 34, 7, 47, 0, 21, 33, 19, 49, 11,
                24, 52, 6, 5, 4, 2, 48
            ]
        );
        let mut order: Vec<usize> = (0..keys.len()).collect();
        numpy_heapsort(&keys, &mut order);
        assert_eq!(
            order,
            [
                38, 56, 23, 14, 20, 39, 31, 8, 12, 30, 22, 13, 53, 59, 37, 43, 40, 42, 46, 41, 17, 10, 50, 32, 51, 25,
                28, 36, 57, 27, 55, 45, 44, 1, 3, 15, 29, 58, 54, 26, 9, 18, 35, 16, 47, 21, 19, 34, 33, 7, 0, 6, 52,
                49, 24, 48, 11, 5, 2, 4
            ]
        );
    }

    #[test]
    fn numpy_argsort_matches_numpy_on_ties() {
        // numpy 1.24 `np.argsort([...], kind="quicksort")`.
        let values = [3, 1, 2, 1, 3, 0, 2, 2, 1, 0, 3, 1, 2, 0, 0, 1, 3, 2, 1, 2];
        assert_eq!(
            numpy_argsort(&values),
            [9, 5, 14, 13, 1, 3, 15, 8, 18, 11, 17, 12, 19, 7, 6, 2, 4, 16, 10, 0]
        );
        let small = [2, 1, 2, 1];
        assert_eq!(numpy_argsort(&small), [1, 3, 0, 2], "small arrays sort stably");
    }

    #[test]
    fn numpy_argsort_matches_numpy_on_seventeen_values() {
        // np.array([0, 1, 3, 1, 2, 3, 0, 3, 1, 3, 2, 0, 3, 3, 3, 3, 3]).argsort(kind="quicksort")
        let values = [0, 1, 3, 1, 2, 3, 0, 3, 1, 3, 2, 0, 3, 3, 3, 3, 3];
        assert_eq!(
            numpy_argsort(&values),
            [0, 11, 6, 8, 1, 3, 4, 10, 5, 2, 7, 15, 9, 12, 13, 14, 16]
        );
        let mut heap = vec![3, 0, 2, 1, 4];
        numpy_heapsort(&[5, 1, 4, 1, 0], &mut heap);
        assert_eq!(
            heap.iter().map(|&i| [5, 1, 4, 1, 0][i]).collect::<Vec<_>>(),
            [0, 1, 1, 4, 5]
        );
    }

    #[test]
    fn numpy_argsort_matches_numpy_past_sixteen_values() {
        // np.argsort([(i * 7) % 5 for i in range(40)], kind="quicksort") with numpy 1.24.
        let values: Vec<i32> = (0..40).map(|i| (i * 7) % 5).collect();
        let expected = [
            0, 20, 15, 30, 10, 25, 35, 5, 23, 8, 33, 28, 13, 3, 38, 18, 6, 21, 1, 36, 16, 26, 11, 31, 34, 29, 19, 14,
            9, 4, 24, 39, 27, 22, 17, 12, 32, 7, 2, 37,
        ];
        assert_eq!(numpy_argsort(&values), expected);
        let mut part: Vec<usize> = (0..40).collect();
        numpy_heapsort(&values, &mut part);
        assert!(part.windows(2).all(|w| values[w[0]] <= values[w[1]]));
    }

    #[test]
    fn sorting_on_one_column_leaves_ties_as_numpy_does() {
        let values = [
            2, 1, 3, 5, 0, 0, 4, 0, 2, 4, 0, 4, 1, 0, 0, 3, 3, 0, 1, 0, 4, 3, 0, 4, 0, 1, 5, 5, 4, 0, 4, 4, 3, 0, 1, 0,
            4, 1, 2, 3,
        ];
        // numpy 1.24 `np.argsort(values, kind="quicksort")` and `kind="heapsort"`.
        let quicksort = [
            19, 22, 24, 14, 13, 10, 17, 33, 29, 5, 4, 35, 7, 34, 25, 12, 37, 1, 18, 0, 8, 38, 39, 21, 16, 2, 15, 32,
            36, 6, 31, 20, 28, 11, 23, 30, 9, 27, 26, 3,
        ];
        let heapsort = [
            13, 7, 17, 24, 10, 19, 4, 22, 35, 5, 29, 33, 14, 1, 25, 18, 12, 34, 37, 38, 8, 0, 2, 21, 39, 16, 32, 15,
            30, 28, 6, 23, 11, 20, 9, 36, 31, 27, 26, 3,
        ];
        assert_eq!(numpy_argsort(&values), quicksort);
        let mut indices: Vec<usize> = (0..values.len()).collect();
        numpy_heapsort(&values, &mut indices);
        assert_eq!(indices, heapsort);
        assert_eq!(
            numpy_argsort(&values[..17]),
            [14, 13, 4, 5, 7, 10, 1, 12, 0, 8, 15, 2, 16, 11, 6, 9, 3]
        );
        let with_blanks = [Some("B"), None, Some("A"), Some("B"), None];
        assert_eq!(sort_values(&with_blanks, true), [2, 0, 3, 1, 4]);
        assert_eq!(sort_values(&with_blanks, false), [0, 3, 2, 1, 4]);
    }

    proptest::proptest! {
        #[test]
        fn numpy_argsort_sorts_every_position_once(keys in proptest::collection::vec(0u8..6, 0..300)) {
            let order = numpy_argsort(&keys);
            let mut seen = order.clone();
            seen.sort_unstable();
            proptest::prop_assert_eq!(seen, (0..keys.len()).collect::<Vec<_>>());
            proptest::prop_assert!(order.windows(2).all(|w| keys[w[0]] <= keys[w[1]]));
        }
    }

    #[test]
    fn dayfirst_dates_read_the_common_forms() {
        assert_eq!(dayfirst_date(Some("01/02/2020")), Some(date(2020, 2, 1)));
        assert_eq!(dayfirst_date(Some(" 1-2-2020 ")), Some(date(2020, 2, 1)));
        assert_eq!(dayfirst_date(Some("01/13/2020")), Some(date(2020, 1, 13)));
        assert_eq!(dayfirst_date(Some("2020-01-02")), Some(date(2020, 1, 2)));
        assert_eq!(dayfirst_date(Some("29/02/2021")), None);
        assert_eq!(dayfirst_date(Some("1/2/0020")), None);
        assert_eq!(dayfirst_date(None), None);
    }

    #[test]
    fn loose_dates_read_as_pandas_reads_them_without_a_format() {
        // Each case checked against pandas 1.5 `to_datetime(dayfirst=True, errors="coerce")`.
        let cases: &[(&str, Option<&str>)] = &[
            ("2024-05-01", Some("2024-05-01")),
            ("1/2/24", Some("2024-02-01")),
            ("05.06.2024", Some("2024-06-05")),
            (" 01/02/2024", Some("2024-02-01")),
            ("31/02/2024", None),
            ("13/13/2024", None),
            ("01/13/2024", Some("2024-01-13")),
            ("ZZ/ZZ/ZZZZ", None),
            ("01/01/ZZZZ", None),
            ("ZZ/05/2024", None),
            ("2024/06/07", Some("2024-06-07")),
            ("20240105", Some("2024-01-05")),
            ("1/2/2024", Some("2024-02-01")),
            ("01/02/2024 ", Some("2024-02-01")),
            ("5 JAN 2024", Some("2024-01-05")),
            ("JAN 5 2024", Some("2024-01-05")),
            ("2024", Some("2024-01-01")),
            ("NAN", None),
            ("NAT", None),
            ("X", None),
            ("01-02-2024", Some("2024-02-01")),
            ("01/02/1901", Some("1901-02-01")),
            ("29/02/2024", Some("2024-02-29")),
            ("29/02/2023", None),
            ("1.2.2024", Some("2024-02-01")),
            ("01/2024", Some("2024-01-01")),
            ("1901-01-01", Some("1901-01-01")),
            ("01/01/1901", Some("1901-01-01")),
            ("1/12/2024", Some("2024-12-01")),
            ("12/1/2024", Some("2024-01-12")),
            ("010224", Some("2024-02-01")),
            ("240105", Some("2005-01-24")),
            ("5", None),
            ("999", None),
            ("1000", None),
            ("12.5", None),
            ("1E5", None),
            ("05-JAN-2024", Some("2024-01-05")),
            ("5-JAN-24", Some("2024-01-05")),
            ("JANUARY 2024", Some("2024-01-01")),
            ("JAN 2024", Some("2024-01-01")),
            ("2024 JAN 5", Some("2024-01-05")),
            ("5 JAN", None),
            ("13/01", None),
            ("1/2024", Some("2024-01-01")),
            // A two-digit year is the one within 50 years of today (so 99 is 1999 until 2049).
            ("01/02/99", Some("1999-02-01")),
            ("09/10/2011.", Some("2011-10-09")),
            ("01/02/00", Some("2000-02-01")),
            ("2024-13-01", Some("2024-01-13")),
            ("2024-02-30", None),
            ("2024-2-3", Some("2024-02-03")),
            ("2024/2/3", Some("2024-02-03")),
            ("2024.02.03", Some("2024-02-03")),
            ("2024 02 03", Some("2024-02-03")),
            ("2024-02", Some("2024-02-01")),
            ("202402", None),
            ("A", None),
            ("T", None),
            ("1/2/3", Some("2003-02-01")),
            ("1/2", None),
            ("01 02 2024", Some("2024-02-01")),
            ("1 2 2024", Some("2024-02-01")),
            ("3RD JAN 2024", Some("2024-01-03")),
            ("5 SEPT 2024", Some("2024-09-05")),
            ("5 SEP 2024", Some("2024-09-05")),
            ("31/06/2024", None),
            ("00/01/2024", None),
            ("01/00/2024", None),
            ("0/1/2024", None),
            ("1-2-2024", Some("2024-02-01")),
            ("01.02.24", Some("2024-02-01")),
            ("01/02-2024", Some("2024-02-01")),
            ("01/02/0999", None),
            ("31/12/2262", None),
            ("01/01/1600", None),
            ("2262-04-12", None),
            ("1677-09-21", None),
            ("99-01-01", Some("1999-01-01")),
            ("32/01/2024", None),
            ("01/32/2024", None),
            ("12/31/2024", Some("2024-12-31")),
            ("31/12/24", Some("2024-12-31")),
            ("1/1/01", Some("2001-01-01")),
            ("0", None),
            ("00", None),
            ("0000", None),
            ("2024-", Some("2024-01-01")),
            ("-2024", None),
            ("MAY 2024", Some("2024-05-01")),
            ("1ST OF MAY 2024", Some("2024-05-01")),
            ("5TH MAY 2024", Some("2024-05-05")),
            ("FEB 29 2024", Some("2024-02-29")),
            ("29 FEB 2023", None),
            ("\\01/02/2024", None),
            ("01\\02\\2024", None),
            ("2024\\01\\02", Some("2024-01-02")),
            ("1, 2, 2024", Some("2024-02-01")),
            ("2024-01-01 ", Some("2024-01-01")),
            (" 2024-01-01", Some("2024-01-01")),
            ("12345", None),
            ("123456", None),
            ("1234567", None),
            ("12345678", None),
            ("01012024", None),
            ("16 11 2012", Some("2012-11-16")),
            ("03 14 14", Some("2014-03-14")),
            ("24/08/1996", Some("1996-08-24")),
            ("26-4-98", Some("1998-04-26")),
            ("8-9-2029", Some("2029-09-08")),
            ("2003.3.0", None),
            ("8-12-2030", Some("2030-12-08")),
            ("2013-0-19", None),
            ("4.5.2009", Some("2009-05-04")),
            ("5-19-61", Some("2061-05-19")),
            ("7/11/30", Some("2030-11-07")),
            ("250053", None),
            ("0-7-1992", None),
            ("14.15.44", None),
            ("6 9 2013", Some("2013-09-06")),
            ("78-5-13", Some("1978-05-13")),
            ("11.14.17", Some("2017-11-14")),
            ("12.11.1995", Some("1995-11-12")),
            ("10/11/10", Some("2010-11-10")),
            ("22-13-58", None),
            ("02122021", None),
        ];
        for (text, expected) in cases {
            let got = loose_date(text, 2026).map(|d| d.to_string());
            assert_eq!(got.as_deref(), *expected, "{text:?}");
        }
    }
}
