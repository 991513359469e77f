//! Every SSDA903 validation rule, each a small function with the DfE's code and
//! message, and the collection years it runs in.
//!
//! The rules follow the DfE's community validator (`csc-validator-be-903`,
//! `lac_validator/rules/lac20YY_YY/rule_CODE.py`) so a council gets the same
//! errors from Pathways as from the DfE's own tool. Where a later year changed a
//! rule, each version is its own entry with the years it covers. Differences from
//! the reference are listed in `docs/903-differences.md`.

use super::{Dataset, Outcome};

mod common;

pub use common::*;

mod batch_a;
mod batch_b;
mod batch_c;
mod batch_d;
mod batch_e;
mod batch_f;
mod batch_g;

/// The first collection year (ending 31 March) Pathways validates.
pub const FIRST_YEAR: i16 = 2023;
/// The last collection year Pathways has rules for.
pub const LAST_YEAR: i16 = 2027;
/// A rule version that runs in every year from its first onwards.
pub const ONWARDS: i16 = i16::MAX;

/// One version of one validation rule.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The DfE's code, e.g. `103`, `545B`, `SW01STG1`.
    pub code: &'static str,
    pub message: &'static str,
    /// The fields a data officer should look at.
    pub fields: &'static [&'static str],
    /// First and last collection years (ending 31 March) this version runs in.
    pub years: (i16, i16),
    /// Which rows fail; `None` when the tables the rule needs are not in the return
    /// (the rule is then not counted as run).
    pub check: fn(&Dataset) -> Outcome,
}

/// A rule where the DfE's validator does not do what the DfE's rule text says. Pathways
/// follows the rule text unless the return is validated with `Follow::Reference`; both
/// behaviours are tested at the rule.
#[derive(Debug, Clone, Copy)]
pub struct Correction {
    pub code: &'static str,
    /// What the DfE's rule text asks for, which Pathways does.
    pub rule_text: &'static str,
    /// What the reference does instead.
    pub reference: &'static str,
}

impl Rule {
    pub fn runs_in(&self, year: i16) -> bool {
        (self.years.0..=self.years.1).contains(&year)
    }
}

/// Every version of every rule.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    [
        batch_a::RULES,
        batch_b::RULES,
        batch_c::RULES,
        batch_d::RULES,
        batch_e::RULES,
        batch_f::RULES,
        batch_g::RULES,
    ]
    .into_iter()
    .flatten()
}

/// Every rule where Pathways follows the DfE's rule text and the reference does not.
pub fn corrections() -> impl Iterator<Item = &'static Correction> {
    [
        batch_a::CORRECTIONS,
        batch_b::CORRECTIONS,
        batch_c::CORRECTIONS,
        batch_d::CORRECTIONS,
        batch_e::CORRECTIONS,
        batch_f::CORRECTIONS,
        batch_g::CORRECTIONS,
    ]
    .into_iter()
    .flatten()
}

/// The rules run for the collection year ending 31 March `year`, in code order.
pub fn for_year(year: i16) -> Vec<&'static Rule> {
    let mut rules: Vec<&Rule> = all().filter(|r| r.runs_in(year)).collect();
    rules.sort_by(|a, b| code_order(a.code, b.code));
    rules
}

/// Codes in the order a person reads them: by number, then by suffix (`101`,
/// `103`, `545`, `545B`, `1001`, `EPI`, `SW01STG1`).
pub fn code_order(a: &str, b: &str) -> std::cmp::Ordering {
    code_key(a).cmp(&code_key(b))
}

fn code_key(code: &str) -> (u32, &str) {
    let digits = code.bytes().take_while(u8::is_ascii_digit).count();
    (code[..digits].parse().unwrap_or(u32::MAX), &code[digits..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_correction_is_a_rule_and_is_listed_in_the_differences_page() {
        let page = include_str!("../../../../../../docs/903-differences.md");
        for correction in corrections() {
            assert!(all().any(|r| r.code == correction.code), "no rule {}", correction.code);
            assert!(
                page.contains(&format!("| {} |", correction.code)),
                "docs/903-differences.md has no row for {}",
                correction.code
            );
        }
    }

    #[test]
    fn each_year_runs_each_code_once() {
        for year in FIRST_YEAR..=LAST_YEAR {
            let rules = for_year(year);
            let codes: BTreeSet<&str> = rules.iter().map(|r| r.code).collect();
            assert_eq!(codes.len(), rules.len(), "a code appears twice in {year}");
        }
    }

    #[test]
    fn each_year_runs_exactly_the_rules_the_dfe_validator_runs() {
        let listed = include_str!("reference_codes.txt");
        let mut years = 0;
        for line in listed.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let (year, codes) = line.split_once(':').unwrap();
            let year: i16 = year.parse().unwrap();
            let expected: BTreeSet<&str> = codes.split_whitespace().collect();
            let ours: BTreeSet<&str> = for_year(year).iter().map(|r| r.code).collect();
            let missing: Vec<_> = expected.difference(&ours).collect();
            let extra: Vec<_> = ours.difference(&expected).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{year}: missing {missing:?}, extra {extra:?}"
            );
            years += 1;
        }
        assert_eq!(years, usize::try_from(LAST_YEAR - FIRST_YEAR + 1).unwrap());
    }

    #[test]
    fn codes_sort_by_number_then_suffix() {
        let mut codes = vec!["EPI", "1001", "545B", "103", "545", "SW01STG1", "101"];
        codes.sort_by(|a, b| code_order(a, b));
        assert_eq!(codes, ["101", "103", "545", "545B", "1001", "EPI", "SW01STG1"]);
    }
}
