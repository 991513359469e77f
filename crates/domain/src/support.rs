//! Money and support: Staying Put and Staying Close arrangements, and the ledger of
//! entitlements and payments. Money is whole pence throughout.

use crate::people::simple_enum;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in pence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Pence(pub i64);

impl Pence {
    /// Reads pounds as people type them: `3000`, `£3,000`, `49.50`, `£0.99`.
    pub fn parse(text: &str) -> Option<Pence> {
        let cleaned: String = text
            .trim()
            .trim_start_matches('£')
            .chars()
            .filter(|c| *c != ',')
            .collect();
        let (pounds, pence) = match cleaned.split_once('.') {
            Some((pounds, pence)) if pence.len() == 2 => (pounds, pence),
            Some(_) => return None,
            None => (cleaned.as_str(), "00"),
        };
        let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !all_digits(pounds) || !all_digits(pence) || pounds.len() > 9 {
            return None;
        }
        let pounds: i64 = pounds.parse().ok()?;
        let pence: i64 = pence.parse().ok()?;
        Some(Pence(pounds * 100 + pence))
    }
}

impl fmt::Display for Pence {
    /// `£3,000.00`: GOV.UK style money, with a minus sign before the pound sign.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let pounds = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}£{grouped}.{:02}", abs % 100)
    }
}

simple_enum!(
    /// What a payment is for.
    Entitlement {
        SettingUpHome => "setting_up_home", "Setting Up Home Allowance";
        HigherEducationBursary => "higher_education_bursary", "Higher education bursary";
        ApprenticeshipBursary => "apprenticeship_bursary", "Care leaver apprenticeship bursary";
        StayingPutAllowance => "staying_put_allowance", "Staying Put allowance";
        Voucher => "voucher", "Voucher or incentive";
        Discretionary => "discretionary", "Discretionary payment";
    }
);

/// Limits and approval rules: every figure is a council setting, because the
/// national figures are minimums or unverified (DOMAIN.md §2 and §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyRules {
    /// Setting Up Home Allowance: £3,000 from 1 April 2023 (secondary sources;
    /// "minimum" or "up to" unverified).
    pub setting_up_home_limit: Pence,
    /// Higher education bursary: £2,000 (Vol 3 ch 5).
    pub higher_education_bursary_limit: Pence,
    /// Apprenticeship bursary: £3,000 from August 2023 (unverified).
    pub apprenticeship_bursary_limit: Pence,
    /// A payment above this needs a manager's approval.
    pub approval_threshold: Pence,
    /// When the Staying Close duty (CA89 s23CZAA, inserted by CWSA 2026 s7) comes
    /// into force; until then Staying Close is a local, non-statutory offer.
    pub staying_close_duty_from: Option<Date>,
    /// Staying Put lasts until this birthday (CA89 s23CZA).
    pub staying_put_until_age: i16,
}

impl Default for MoneyRules {
    fn default() -> Self {
        MoneyRules {
            setting_up_home_limit: Pence(300_000),
            higher_education_bursary_limit: Pence(200_000),
            apprenticeship_bursary_limit: Pence(300_000),
            approval_threshold: Pence(25_000),
            staying_close_duty_from: None,
            staying_put_until_age: 21,
        }
    }
}

impl MoneyRules {
    /// The most that may be paid under an entitlement in total, if it has a limit.
    pub fn limit(&self, entitlement: Entitlement) -> Option<Pence> {
        match entitlement {
            Entitlement::SettingUpHome => Some(self.setting_up_home_limit),
            Entitlement::HigherEducationBursary => Some(self.higher_education_bursary_limit),
            Entitlement::ApprenticeshipBursary => Some(self.apprenticeship_bursary_limit),
            Entitlement::StayingPutAllowance | Entitlement::Voucher | Entitlement::Discretionary => None,
        }
    }

    /// Whether a new payment needs a manager's approval: above the threshold, or
    /// taking an entitlement past its limit.
    pub fn needs_approval(&self, entitlement: Entitlement, amount: Pence, already: Pence) -> bool {
        amount > self.approval_threshold
            || self
                .limit(entitlement)
                .is_some_and(|limit| Pence(already.0 + amount.0) > limit)
    }

    /// Whether Staying Close is a statutory duty on `date`.
    pub fn staying_close_is_statutory_on(&self, date: Date) -> bool {
        self.staying_close_duty_from.is_some_and(|from| date >= from)
    }
}

simple_enum!(
    /// Where a payment stands.
    PaymentStatus {
        AwaitingApproval => "awaiting_approval", "Awaiting a manager's approval";
        Approved => "approved", "Approved";
        Refused => "refused", "Refused";
    }
);

/// What has gone out (or is agreed) under one entitlement, against its limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitlementTotal {
    pub entitlement: Entitlement,
    pub approved: Pence,
    pub awaiting: Pence,
    pub limit: Option<Pence>,
}

impl EntitlementTotal {
    /// What is left under the limit, never below zero.
    pub fn remaining(&self) -> Option<Pence> {
        self.limit.map(|l| Pence((l.0 - self.approved.0).max(0)))
    }
}

/// Running totals per entitlement from (entitlement, amount, status) payments.
pub fn totals(payments: &[(Entitlement, Pence, PaymentStatus)], rules: &MoneyRules) -> Vec<EntitlementTotal> {
    Entitlement::ALL
        .iter()
        .filter_map(|&e| {
            let of = |status: PaymentStatus| {
                Pence(
                    payments
                        .iter()
                        .filter(|(k, _, s)| *k == e && *s == status)
                        .map(|(_, a, _)| a.0)
                        .sum(),
                )
            };
            let total = EntitlementTotal {
                entitlement: e,
                approved: of(PaymentStatus::Approved),
                awaiting: of(PaymentStatus::AwaitingApproval),
                limit: rules.limit(e),
            };
            let used = total.approved.0 > 0 || total.awaiting.0 > 0;
            (used || total.limit.is_some()).then_some(total)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn money_is_read_as_typed_and_shown_in_pounds() {
        let cases = [
            ("3000", Some(300_000)),
            ("£3,000", Some(300_000)),
            ("49.50", Some(4_950)),
            (" £0.99 ", Some(99)),
            ("12.5", None),
            ("£", None),
            ("-5", None),
            ("1e3", None),
            ("10000000000", None),
        ];
        for (text, pence) in cases {
            assert_eq!(Pence::parse(text).map(|p| p.0), pence, "{text:?}");
        }
        assert_eq!(Pence(300_000).to_string(), "£3,000.00");
        assert_eq!(Pence(123_456_789).to_string(), "£1,234,567.89");
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert_eq!(Pence(-2_500).to_string(), "-£25.00");
    }

    #[test]
    fn large_payments_and_payments_over_a_limit_need_a_manager() {
        let rules = MoneyRules::default();
        use Entitlement::*;
        assert!(!rules.needs_approval(Voucher, Pence(5_000), Pence(0)));
        assert!(
            !rules.needs_approval(Voucher, Pence(25_000), Pence(0)),
            "at the threshold"
        );
        assert!(rules.needs_approval(Voucher, Pence(25_001), Pence(0)));
        assert!(
            !rules.needs_approval(SettingUpHome, Pence(20_000), Pence(280_000)),
            "exactly the limit"
        );
        assert!(
            rules.needs_approval(SettingUpHome, Pence(20_001), Pence(280_000)),
            "past the limit"
        );
        assert!(
            !rules.needs_approval(Discretionary, Pence(100), Pence(10_000_000)),
            "no limit"
        );
    }

    #[test]
    fn totals_run_against_limits_and_count_only_what_is_approved() {
        let rules = MoneyRules::default();
        let payments = [
            (Entitlement::SettingUpHome, Pence(120_000), PaymentStatus::Approved),
            (
                Entitlement::SettingUpHome,
                Pence(50_000),
                PaymentStatus::AwaitingApproval,
            ),
            (Entitlement::SettingUpHome, Pence(99_000), PaymentStatus::Refused),
            (Entitlement::Voucher, Pence(5_000), PaymentStatus::Approved),
        ];
        let all = totals(&payments, &rules);
        let suha = all
            .iter()
            .find(|t| t.entitlement == Entitlement::SettingUpHome)
            .unwrap();
        assert_eq!((suha.approved, suha.awaiting), (Pence(120_000), Pence(50_000)));
        assert_eq!(suha.remaining(), Some(Pence(180_000)));
        let voucher = all.iter().find(|t| t.entitlement == Entitlement::Voucher).unwrap();
        assert_eq!(voucher.remaining(), None);
        assert!(
            !all.iter().any(|t| t.entitlement == Entitlement::Discretionary),
            "unused and unlimited"
        );
    }

    #[test]
    fn staying_close_becomes_statutory_from_the_commencement_date_set() {
        let none = MoneyRules::default();
        assert!(!none.staying_close_is_statutory_on(date(2030, 1, 1)));
        let set = MoneyRules {
            staying_close_duty_from: Some(date(2027, 4, 1)),
            ..MoneyRules::default()
        };
        assert!(!set.staying_close_is_statutory_on(date(2027, 3, 31)));
        assert!(set.staying_close_is_statutory_on(date(2027, 4, 1)));
    }
}
