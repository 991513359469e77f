//! Dates as the DfE's validator computes them (pandas `to_datetime` with
//! `format="%d/%m/%Y", errors="coerce"`, and `DateOffset`), so every rule that
//! compares dates agrees with the reference to the day.

use jiff::ToSpan;
use jiff::civil::{Date, date};

/// pandas timestamps cover 21 September 1677 to 11 April 2262; anything outside
/// reads as no date.
const EARLIEST: Date = date(1677, 9, 22);
const LATEST: Date = date(2262, 4, 11);

/// A `DD/MM/YYYY` date as the reference reads it: day and month of one or two
/// digits, a four-digit year, nothing else (no spaces); `None` otherwise.
pub fn dfe_date(text: &str) -> Option<Date> {
    let mut parts = text.split('/');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let digits =
        |s: &str, min: usize, max: usize| (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(day, 1, 2) || !digits(month, 1, 2) || !digits(year, 4, 4) {
        return None;
    }
    let parsed = Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()?;
    (EARLIEST..=LATEST).contains(&parsed).then_some(parsed)
}

/// `date + DateOffset(years=n)`: 29 February becomes 28 February in other years.
pub fn plus_years(date: Date, years: i16) -> Option<Date> {
    date.checked_add(years.years()).ok()
}

/// `date + DateOffset(months=n)`: the day is clipped to the end of a shorter month.
pub fn plus_months(date: Date, months: i32) -> Option<Date> {
    date.checked_add(months.months()).ok()
}

/// `date + DateOffset(days=n)` (or `pd.Timedelta(days=n)`).
pub fn plus_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(days.days()).ok()
}

/// `(later - earlier).days`, negative when `later` is before `earlier`.
pub fn days_between(earlier: Date, later: Date) -> i64 {
    i64::from((later - earlier).get_days())
}

/// Age in whole years on `on` as the reference computes it with
/// `relativedelta`/`DateOffset` (birthday on 28 February in non-leap years).
pub fn age_on(dob: Date, on: Date) -> i16 {
    let mut age = on.year() - dob.year();
    if plus_years(dob, age).is_some_and(|birthday| birthday > on) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_exactly_as_the_reference_reads_them() {
        // Each case was checked against pandas 1.5 `to_datetime(format="%d/%m/%Y", errors="coerce")`.
        let cases = [
            ("1/2/2020", Some(date(2020, 2, 1))),
            ("01/02/2020", Some(date(2020, 2, 1))),
            ("001/02/2020", None),
            ("01/2/020", None),
            ("01/02/02020", None),
            ("01/02/1600", None),
            ("01/02/2300", None),
            ("1/1/1678", Some(date(1678, 1, 1))),
            ("29/02/2021", None),
            ("29/02/2020", Some(date(2020, 2, 29))),
            ("01/02/2020/", None),
            ("+1/02/2020", None),
            ("01/02/ 2020", None),
            ("01 /02/2020", None),
            ("01/02/2020 ", None),
            ("0/1/2020", None),
            ("01/13/2020", None),
            ("2020-02-01", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(dfe_date(text), expected, "{text:?}");
        }
    }

    #[test]
    fn offsets_clip_to_the_end_of_the_month_as_date_offset_does() {
        assert_eq!(plus_years(date(2004, 2, 29), 18), Some(date(2022, 2, 28)));
        assert_eq!(plus_years(date(2004, 2, 29), 20), Some(date(2024, 2, 29)));
        assert_eq!(plus_months(date(2023, 1, 31), 1), Some(date(2023, 2, 28)));
        assert_eq!(plus_days(date(2023, 12, 31), 1), Some(date(2024, 1, 1)));
        assert_eq!(days_between(date(2024, 3, 1), date(2024, 2, 28)), -2);
    }

    #[test]
    fn age_turns_on_the_birthday_and_on_28_february_for_leap_day_birthdays() {
        assert_eq!(age_on(date(2008, 4, 1), date(2026, 3, 31)), 17);
        assert_eq!(age_on(date(2008, 4, 1), date(2026, 4, 1)), 18);
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 2, 28)), 18);
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 2, 27)), 17);
    }
}
