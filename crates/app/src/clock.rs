//! Time is passed in, so rules and tests never read the system clock.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// The time zone every UK civil date in Pathways is taken in.
pub fn london() -> TimeZone {
    TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC)
}

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Timestamp;

    /// Today's date in England.
    fn today(&self) -> Date {
        Zoned::new(self.now(), london()).date()
    }
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock stopped at one instant, for tests and reproducible demos.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_date_in_london_not_utc() {
        // 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
        let clock = FixedClock("2026-06-30T23:30:00Z".parse().unwrap());
        assert_eq!(clock.today(), jiff::civil::date(2026, 7, 1));
        let winter = FixedClock("2026-12-31T23:30:00Z".parse().unwrap());
        assert_eq!(winter.today(), jiff::civil::date(2026, 12, 31));
    }
}
