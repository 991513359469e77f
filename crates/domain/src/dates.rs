//! Dates as a leaving-care service uses them: birthdays, ages, GOV.UK display and
//! the DfE's `DD/MM/YYYY` exchange format.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where a 29 February birthday falls in a year that has no 29 February.
///
/// The law does not say in words we could verify (DOMAIN.md 1.3, open item 2), so it
/// is a setting. Legal ages default to 1 March; the SSDA903 validation rules keep the
/// DfE validator's 28 February (pandas `DateOffset` clips back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeapDayBirthday {
    #[default]
    FirstMarch,
    TwentyEighthFebruary,
}

/// The date of the `years`-th birthday of someone born on `dob`.
pub fn birthday(dob: Date, years: i16, leap: LeapDayBirthday) -> Date {
    let year = dob.year().saturating_add(years);
    match Date::new(year, dob.month(), dob.day()) {
        Ok(date) => date,
        // Only 29 February in a common year fails to exist.
        Err(_) => match leap {
            LeapDayBirthday::FirstMarch => Date::new(year, 3, 1),
            LeapDayBirthday::TwentyEighthFebruary => Date::new(year, 2, 28),
        }
        .unwrap_or(dob),
    }
}

/// Age in completed years on `on`: the number of birthdays reached by that date.
///
/// The one function every rule uses for ages, so that the 29 February convention is
/// applied the same way everywhere. Negative before birth.
pub fn age_on(dob: Date, on: Date, leap: LeapDayBirthday) -> i16 {
    let mut age = on.year() - dob.year();
    if birthday(dob, age, leap) > on {
        age -= 1;
    }
    age
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    to.duration_since(from).as_secs() / 86_400
}

/// The date `days` days after `date` (saturating at the ends of the calendar).
pub fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(jiff::SignedDuration::from_hours(days.saturating_mul(24)))
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// The same day `months` months later; the end of the month when that day does not exist.
pub fn add_months(date: Date, months: i32) -> Date {
    date.checked_add(jiff::Span::new().months(months))
        .unwrap_or(if months < 0 { Date::MIN } else { Date::MAX })
}

/// `21st`, `22nd`, `25th`: for birthdays in reasons people read.
pub fn ordinal(n: i16) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// GOV.UK style: `22 November 2026`.
pub fn gov_uk(date: Date) -> String {
    let month = MONTHS
        .get(usize::try_from(date.month() - 1).unwrap_or(0))
        .copied()
        .unwrap_or("");
    format!("{} {} {}", date.day(), month, date.year())
}

/// Why a DfE `DD/MM/YYYY` date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("expected a date as DD/MM/YYYY, found {0:?}")]
    Format(String),
    #[error("{0:?} is not a real date")]
    NotADate(String),
}

/// Reads the DfE's `DD/MM/YYYY` (as in SSDA903 CSV tables).
pub fn parse_dfe(text: &str) -> Result<Date, DateError> {
    let text = text.trim();
    let parts: Vec<&str> = text.split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return Err(DateError::Format(text.to_owned()));
    };
    let all_digits = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(d, 2) && all_digits(m, 2) && all_digits(y, 4)) {
        return Err(DateError::Format(text.to_owned()));
    }
    let number = |s: &str| s.parse::<i16>().map_err(|_| DateError::Format(text.to_owned()));
    let (day, month, year) = (number(d)?, number(m)?, number(y)?);
    let day = i8::try_from(day).map_err(|_| DateError::NotADate(text.to_owned()))?;
    let month = i8::try_from(month).map_err(|_| DateError::NotADate(text.to_owned()))?;
    Date::new(year, month, day).map_err(|_| DateError::NotADate(text.to_owned()))
}

/// Writes the DfE's `DD/MM/YYYY`.
pub fn format_dfe(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn leap_day_birthdays_follow_the_configured_convention() {
        let dob = date(2008, 2, 29);
        let cases = [
            (LeapDayBirthday::FirstMarch, 2024, date(2024, 2, 29)),
            (LeapDayBirthday::FirstMarch, 2026, date(2026, 3, 1)),
            (LeapDayBirthday::TwentyEighthFebruary, 2026, date(2026, 2, 28)),
            (LeapDayBirthday::TwentyEighthFebruary, 2028, date(2028, 2, 29)),
        ];
        for (leap, year, expected) in cases {
            assert_eq!(birthday(dob, year - 2008, leap), expected, "{leap:?} {year}");
        }
    }

    #[test]
    fn age_changes_on_the_birthday_not_the_day_before() {
        let dob = date(2008, 11, 26);
        let leap = LeapDayBirthday::FirstMarch;
        assert_eq!(age_on(dob, date(2026, 11, 25), leap), 17);
        assert_eq!(age_on(dob, date(2026, 11, 26), leap), 18);
        assert_eq!(age_on(dob, date(2008, 11, 25), leap), -1);
        assert_eq!(age_on(dob, dob, leap), 0);
    }

    #[test]
    fn leap_day_child_turns_18_on_1_march_or_28_february() {
        let dob = date(2008, 2, 29);
        assert_eq!(age_on(dob, date(2026, 2, 28), LeapDayBirthday::FirstMarch), 17);
        assert_eq!(age_on(dob, date(2026, 3, 1), LeapDayBirthday::FirstMarch), 18);
        assert_eq!(
            age_on(dob, date(2026, 2, 28), LeapDayBirthday::TwentyEighthFebruary),
            18
        );
        assert_eq!(
            age_on(dob, date(2026, 2, 27), LeapDayBirthday::TwentyEighthFebruary),
            17
        );
    }

    #[test]
    fn dfe_dates_are_read_strictly() {
        assert_eq!(parse_dfe("01/04/2025"), Ok(date(2025, 4, 1)));
        assert_eq!(parse_dfe(" 29/02/2024 "), Ok(date(2024, 2, 29)));
        assert!(matches!(parse_dfe("29/02/2025"), Err(DateError::NotADate(_))));
        for bad in ["2025-04-01", "1/4/2025", "", "aa/bb/cccc", "01/04/25", "01/13/2025x"] {
            assert!(parse_dfe(bad).is_err(), "{bad}");
        }
        assert_eq!(format_dfe(date(2025, 4, 1)), "01/04/2025");
    }

    #[test]
    fn ordinals_read_as_words_do() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 16, 21, 22, 23, 25, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "16th", "21st", "22nd", "23rd", "25th", "111th"
            ]
        );
    }

    #[test]
    fn gov_uk_dates_have_no_leading_zero() {
        assert_eq!(gov_uk(date(2026, 11, 2)), "2 November 2026");
    }

    #[test]
    fn day_arithmetic_crosses_leap_years() {
        assert_eq!(days_between(date(2024, 2, 28), date(2024, 3, 1)), 2);
        assert_eq!(add_days(date(2024, 2, 28), 2), date(2024, 3, 1));
        assert_eq!(add_months(date(2026, 8, 31), 6), date(2027, 2, 28));
    }
}
