//! Rules translated from the DfE validator (see the list in `mod.rs`).

use super::*;
use crate::ssda903::tables::Table;

pub(super) const RULES: &[Rule] = &[
    Rule {
        code: "101",
        message: "Gender code is not valid.",
        fields: &["SEX"],
        years: (FIRST_YEAR, 2024),
        check: |d| sex_not_in(d, &["1", "2"]),
    },
    Rule {
        code: "101",
        message: "The child or young person’s reported sex is not valid.",
        fields: &["SEX"],
        years: (2025, ONWARDS),
        check: |d| sex_not_in(d, &["M", "F", "U"]),
    },
    Rule {
        code: "103",
        message: "The ethnicity code is either not valid or has not been entered.",
        fields: &["ETHNIC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_103,
    },
];

/// 101: the Header's SEX must be one of the year's codes.
fn sex_not_in(d: &Dataset, codes: &[&str]) -> Outcome {
    let header = d.this(Table::Header)?;
    let sex = header.col("SEX");
    flag(
        Table::Header,
        header.rows().filter(|&r| !is_in(header.get(r, sex), codes)),
    )
}

/// 103: ETHNIC must be one of the 903 ethnicity codes.
fn rule_103(d: &Dataset) -> Outcome {
    const ETHNICITY: &[&str] = &[
        "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH", "BCRB",
        "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
    ];
    let header = d.this(Table::Header)?;
    let ethnic = header.col("ETHNIC");
    flag(
        Table::Header,
        header.rows().filter(|&r| !is_in(header.get(r, ethnic), ETHNICITY)),
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{header, run};

    #[test]
    fn rule_101_sex_codes_changed_in_2025() {
        let d = header(2024, &[&[("SEX", "1")], &[("SEX", "M")], &[]]);
        assert_eq!(run(&d, "101"), [("Header", 1), ("Header", 2)]);
        let d = header(2025, &[&[("SEX", "1")], &[("SEX", "m")], &[("SEX", "U")]]);
        assert_eq!(run(&d, "101"), [("Header", 0)]);
    }

    #[test]
    fn rule_103_ethnicity_must_be_a_903_code() {
        let d = header(
            2026,
            &[
                &[("ETHNIC", "WBRI")],
                &[("ETHNIC", "wiri")],
                &[("ETHNIC", "White British")],
                &[],
            ],
        );
        assert_eq!(run(&d, "103"), [("Header", 2), ("Header", 3)]);
    }
}
