//! Rules translated from the DfE validator (see the list in `mod.rs`).

use super::*;
use crate::ssda903::tables::Table;
use crate::ssda903::validate::pandas::{merge_groups_by_child, sort_values};
use crate::ssda903::validate::{Col, Flagged, Follow, Frame, TableRef, plus_years};
use hashbrown::{HashMap, HashSet};
use jiff::civil::Date;
use std::collections::BTreeSet;

/// Rules here where Pathways follows the DfE's rule text and the reference does not.
pub(super) const CORRECTIONS: &[Correction] = &[
    Correction {
        code: "134",
        rule_text: "An adoption row with no child id is not matched to a care leaver row with no child id.",
        reference: "Treats every row with no child id as the same child, so an adoption row with no id is flagged when any care leaver row has no id.",
    },
    Correction {
        code: "146",
        rule_text: "In 2024-25, K3 (supported accommodation) is a valid placement type.",
        reference: "Lists K3 in lower case (\"k3\"), which never matches, so every K3 placement is flagged in 2024-25.",
    },
    Correction {
        code: "164",
        rule_text: "Short breaks (legal status V3 or V4) are left out, as the rule says.",
        reference: "Checks the distance of short breaks too.",
    },
    Correction {
        code: "165",
        rule_text: "From 2024-25 sex is read as M and F, so a boy with MOTHER given or a girl in care without it is flagged; rows with no child id are not matched to each other.",
        reference: "Still reads sex as 1 and 2, so from 2024-25 only an invalid MOTHER value is flagged; treats all rows with no child id as one child.",
    },
    Correction {
        code: "182",
        rule_text: "A row with some but not all of immunisations, teeth check, health assessment and substance misuse is flagged, as the rule allows only all four or all OC2 fields blank.",
        reference: "Flags a row only when one of the other four OC2 items (convicted, health check, intervention received or offered) is given.",
    },
];

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
        code: "102",
        message: "Date of birth is not a valid date.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| blank_or_not_a_date(d, Table::Header, "DOB"),
    },
    Rule {
        code: "103",
        message: "The ethnicity code is either not valid or has not been entered.",
        fields: &["ETHNIC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_103,
    },
    Rule {
        code: "104",
        message: "Date for Unaccompanied Asylum-Seeking Children (UASC) status ceased is not a valid date.",
        fields: &["DUC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_104,
    },
    Rule {
        code: "105",
        message: "Data entry for Unaccompanied Asylum-Seeking Children (UASC) status of child is invalid or has not been completed.",
        fields: &["UASC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_105,
    },
    Rule {
        code: "112",
        message: "Date should be placed for adoption is not a valid date.",
        fields: &["DATE_INT"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| not_a_date(d, Table::Ad1, "DATE_INT"),
    },
    Rule {
        code: "113",
        message: "Date matching child and adopter(s) is not a valid date.",
        fields: &["DATE_MATCH"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| not_a_date(d, Table::Ad1, "DATE_MATCH"),
    },
    Rule {
        code: "114",
        message: "Data entry to record the status of former carer(s) of an adopted child is invalid.",
        fields: &["FOSTER_CARE"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| code_if_given(d, Table::Ad1, "FOSTER_CARE", &["0", "1"]),
    },
    Rule {
        code: "115",
        message: "Date of Local Authority's (LA) decision that a child should be placed for adoption is not a valid date.",
        fields: &["DATE_PLACED"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| not_a_date(d, Table::PlacedAdoption, "DATE_PLACED"),
    },
    Rule {
        code: "116",
        message: "Date of Local Authority's (LA) decision that a child should no longer be placed for adoption is not a valid date.",
        fields: &["DATE_PLACED_CEASED"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| not_a_date(d, Table::PlacedAdoption, "DATE_PLACED_CEASED"),
    },
    Rule {
        code: "117",
        message: "Date of decision that a child should/should no longer be placed for adoption is beyond the current collection year or after the child ceased to be looked after.",
        fields: &["DATE_PLACED_CEASED", "DATE_PLACED", "DEC", "REC", "DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_117,
    },
    Rule {
        code: "118",
        message: "Date of decision that a child should no longer be placed for adoption is before the current collection year or before the date the child started to be looked after.",
        fields: &["DECOM", "DECOM", "LS"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_118,
    },
    Rule {
        code: "119",
        message: "If the decision is made that a child should no longer be placed for adoption, then the date of this decision and the reason why this decision was made must be completed.",
        fields: &["REASON_PLACED_CEASED", "DATE_PLACED_CEASED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_119,
    },
    Rule {
        code: "120",
        message: "The reason for the reversal of the decision that the child should be placed for adoption code is not valid.",
        fields: &["REASON_PLACED_CEASED"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| {
            code_if_given(
                d,
                Table::PlacedAdoption,
                "REASON_PLACED_CEASED",
                &["RD1", "RD2", "RD3", "RD4"],
            )
        },
    },
    Rule {
        code: "131",
        message: "Data entry for being in touch after leaving care is invalid.",
        fields: &["IN_TOUCH"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| {
            code_required(
                d,
                Table::Oc3,
                "IN_TOUCH",
                &["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"],
            )
        },
    },
    Rule {
        code: "132",
        message: "Data entry for activity after leaving care is invalid.",
        fields: &["ACTIV"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| {
            const ACTIVITY: &[&str] = &["F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"];
            code_required(d, Table::Oc3, "ACTIV", ACTIVITY)
        },
    },
    Rule {
        code: "133",
        message: "Data entry for accommodation after leaving care is invalid. If reporting on a childs accommodation after leaving care the data entry must be valid",
        fields: &["ACCOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| {
            const ACCOMMODATION: &[&str] = &[
                "B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2", "K1", "K2", "R1", "R2", "S2",
                "T1", "T2", "U1", "U2", "V1", "V2", "W1", "W2", "X2", "Y1", "Y2", "Z1", "Z2", "0",
            ];
            code_required(d, Table::Oc3, "ACCOM", ACCOMMODATION)
        },
    },
    Rule {
        code: "134",
        message: "Data on adoption should not be entered for the OC3 cohort.",
        fields: &[
            "IN_TOUCH",
            "ACTIV",
            "ACCOM",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_134,
    },
    Rule {
        code: "141",
        message: "Date episode began is not a valid date.",
        fields: &["DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| not_a_date(d, Table::Episodes, "DECOM"),
    },
    Rule {
        code: "142",
        message: "A new episode has started, but the previous episode has not ended.",
        fields: &["DEC", "REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_142,
    },
    Rule {
        code: "143",
        message: "The reason for new episode code is not a valid code.",
        fields: &["RNE"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| code_if_given(d, Table::Episodes, "RNE", &["S", "P", "L", "T", "U", "B"]),
    },
    Rule {
        code: "144",
        message: "The legal status code is not a valid code.",
        fields: &["LS"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| {
            const LEGAL_STATUS: &[&str] = &[
                "C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3",
            ];
            code_if_given(d, Table::Episodes, "LS", LEGAL_STATUS)
        },
    },
    Rule {
        code: "145",
        message: "Category of need code is not a valid code.",
        fields: &["CIN"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| {
            code_if_given(
                d,
                Table::Episodes,
                "CIN",
                &["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"],
            )
        },
    },
    Rule {
        code: "146",
        message: "Placement type code is not a valid code.",
        fields: &["PLACE"],
        years: (FIRST_YEAR, 2024),
        check: |d| code_if_given(d, Table::Episodes, "PLACE", PLACEMENT_TYPES_TO_2024),
    },
    Rule {
        code: "146",
        message: "Placement type code is not a valid code.",
        fields: &["PLACE"],
        years: (2025, 2025),
        check: |d| code_if_given(d, Table::Episodes, "PLACE", &placement_types_2025(d)),
    },
    Rule {
        code: "146",
        message: "Placement type code is not a valid code.",
        fields: &["PLACE"],
        years: (2026, ONWARDS),
        check: |d| code_if_given(d, Table::Episodes, "PLACE", PLACEMENT_TYPES_FROM_2026),
    },
    Rule {
        code: "147",
        message: "Date episode ceased is not a valid date.",
        fields: &["DEC"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| not_a_date(d, Table::Episodes, "DEC"),
    },
    Rule {
        code: "148",
        message: "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
        fields: &["DEC", "REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_148,
    },
    Rule {
        code: "149",
        message: "Reason episode ceased code is not valid. ",
        fields: &["REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| {
            const REASON_CEASED: &[&str] = &[
                "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5", "E6", "E7",
                "E8", "E9", "E14", "E15", "E16", "E17", "X1",
            ];
            code_if_given(d, Table::Episodes, "REC", REASON_CEASED)
        },
    },
    Rule {
        code: "151",
        message: "All data items relating to a childs adoption must be coded or left blank.",
        fields: &[
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTER",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| partly_given(d, Table::Ad1, ADOPTION_FIELDS),
    },
    Rule {
        code: "153",
        message: "All data items relating to a child's activity or accommodation after leaving care must be coded or left blank.",
        fields: &["IN_TOUCH", "ACTIV", "ACCOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| partly_given(d, Table::Oc3, &["IN_TOUCH", "ACTIV", "ACCOM"]),
    },
    Rule {
        code: "157",
        message: "Child is aged 4 years or over at the beginning of the year or 16 years or under at the end of the year and Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded as the reason for no Strengths and Difficulties Questionnaire (SDQ) score.",
        fields: &["SDQ_REASON", "DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_157,
    },
    Rule {
        code: "158",
        message: "If a child has been recorded as receiving an intervention for their substance misuse problem, then the additional item on whether an intervention was offered should be left blank.",
        fields: &["INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_158,
    },
    Rule {
        code: "159",
        message: "If a child has been recorded as not receiving an intervention for their substance misuse problem, then the additional item on whether an intervention was offered should be completed as well.",
        fields: &["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_159,
    },
    Rule {
        code: "164",
        message: "Distance is not valid. Please check a valid postcode has been entered. [NOTE: This check will result in false positives for children formerly UASC not identified as such in loaded data]",
        fields: &["PL_DISTANCE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_164,
    },
    Rule {
        code: "165",
        message: "Data entry for mother status is invalid.",
        fields: &["MOTHER", "SEX", "ACTIV", "ACCOM", "IN_TOUCH", "DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_165,
    },
    Rule {
        code: "166",
        message: "Date of review is invalid or blank.",
        fields: &["REVIEW"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| blank_or_not_a_date(d, Table::Reviews, "REVIEW"),
    },
    Rule {
        code: "167",
        message: "Data entry for participation is invalid or blank.",
        fields: &["REVIEW_CODE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_167,
    },
    Rule {
        code: "168",
        message: "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, UN3, UN4 or UN5.",
        fields: &["UPN"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_168,
    },
    Rule {
        code: "169",
        message: "Local Authority (LA) of placement is not valid or is missing. Please check a valid postcode has been entered.",
        fields: &["PL_LA"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| derived_placement_field_missing(d, "PL_LA"),
    },
    Rule {
        code: "171",
        message: "Date of birth of mother's child is not a valid date.",
        fields: &["MC_DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| not_a_date(d, Table::Header, "MC_DOB"),
    },
    Rule {
        code: "174",
        message: "Mother's child date of birth is recorded but gender shows that the child is a male.",
        fields: &["SEX", "MC_DOB"],
        years: (FIRST_YEAR, 2024),
        check: |d| male_with_mothers_child(d, "1"),
    },
    Rule {
        code: "174",
        message: "Mother's child date of birth is recorded but sex shows that the child is a male.",
        fields: &["SEX", "MC_DOB"],
        years: (2025, ONWARDS),
        check: |d| male_with_mothers_child(d, "M"),
    },
    Rule {
        code: "175",
        message: "The number of adopter(s) code is not a valid code.",
        fields: &["NB_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| code_if_given(d, Table::Ad1, "NB_ADOPTR", &["1", "2"]),
    },
    Rule {
        code: "176",
        message: "The gender of adopter(s) at the date of adoption code is not a valid code.",
        fields: &["SEX_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| code_if_given(d, Table::Ad1, "SEX_ADOPTR", &["M1", "F1", "MM", "FF", "MF"]),
    },
    Rule {
        code: "177",
        message: "The legal status of adopter(s) code is not a valid code.",
        fields: &["LS_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| code_if_given(d, Table::Ad1, "LS_ADOPTR", &["L0", "L11", "L12", "L2", "L3", "L4"]),
    },
    Rule {
        code: "178",
        message: "Placement provider code is not a valid code.",
        fields: &["PLACE_PROVIDER"],
        years: (FIRST_YEAR, 2025),
        check: |d| provider_not_valid(d, &["T0", "T1", "T2", "T3", "T4", "Z1"]),
    },
    Rule {
        code: "178",
        message: "Placement provider code is not a valid code.",
        fields: &["PLACE_PROVIDER"],
        years: (2026, ONWARDS),
        check: |d| provider_not_valid(d, &["T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"]),
    },
    Rule {
        code: "179",
        message: "Placement location code is not a valid code.",
        fields: &["PL_LOCATION"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| derived_placement_field_missing(d, "PL_LOCATION"),
    },
    Rule {
        code: "180",
        message: "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.",
        fields: &["SDQ_SCORE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_180,
    },
    Rule {
        code: "181",
        message: "Data items relating to children looked after continuously for 12 months should be completed with a 0 or 1.",
        fields: OC2_FIELDS,
        years: (FIRST_YEAR, ONWARDS),
        check: rule_181,
    },
    Rule {
        code: "182",
        message: "Data entries on immunisations, teeth checks, health assessments and substance misuse problem identified should be completed or all OC2 fields should be left blank.",
        fields: &[
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "CONVICTED",
            "HEALTH_CHECK",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_182,
    },
    Rule {
        code: "184",
        message: "Date of decision that a child should be placed for adoption is before the child was born.",
        fields: &["DATE_PLACED", "DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_184,
    },
    Rule {
        code: "185",
        message: "Child has not been looked after continuously for at least 12 months at 31 March but a Strengths and Difficulties (SDQ) score has been completed.",
        fields: &["SDQ_SCORE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_185,
    },
    Rule {
        code: "186",
        message: "Children aged 4 or over at the start of the year and children aged under 17 at the end of the year and who have been looked after for at least 12 months continuously should have a Strengths and Difficulties (SDQ) score completed.",
        fields: &["SDQ_SCORE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_186,
    },
    Rule {
        code: "187",
        message: "Child cannot be looked after continuously for 12 months at 31 March (OC2) and have any of adoption or care leavers returns completed.",
        fields: &[
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
            "IN_TOUCH",
            "ACTIV",
            "ACCOM",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_187,
    },
    Rule {
        code: "188",
        message: "Child is aged under 4 years at the end of the year, but a Strengths and Difficulties (SDQ) score or a reason for no SDQ score has been completed. ",
        fields: &["SDQ_SCORE", "SDQ_REASON"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_188,
    },
    Rule {
        code: "189",
        message: "Child is aged 17 years or over at the beginning of the year, but an Strengths and Difficulties (SDQ) score or a reason for no Strengths and Difficulties (SDQ) score has been completed.",
        fields: &["DOB", "SDQ_SCORE", "SDQ_REASON"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_189,
    },
    Rule {
        code: "190",
        message: "Child has not been looked after continuously for at least 12 months at 31 March but one or more data items relating to children looked after for 12 months have been completed.",
        fields: OC2_FIELDS,
        years: (FIRST_YEAR, ONWARDS),
        check: rule_190,
    },
    Rule {
        code: "191",
        message: "Child has been looked after continuously for at least 12 months at 31 March but one or more data items relating to children looked after for 12 months have been left blank.",
        fields: &[
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "CHILD",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_191,
    },
    Rule {
        code: "192",
        message: "Child has been identified as having a substance misuse problem but the additional item on whether an intervention was received has been left blank.",
        fields: &["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_192,
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

/// 102, 166: rows where `column` is blank or not a date.
fn blank_or_not_a_date(d: &Dataset, table: Table, column: &str) -> Outcome {
    let frame = d.this(table)?;
    let c = frame.col(column);
    flag(table, frame.rows().filter(|&r| frame.date(r, c).is_none()))
}

/// 112, 113, 115, 116, 141, 147, 171: rows where `column` is filled in but is not
/// a date.
fn not_a_date(d: &Dataset, table: Table, column: &str) -> Outcome {
    let frame = d.this(table)?;
    let c = frame.col(column);
    flag(
        table,
        frame
            .rows()
            .filter(|&r| frame.get(r, c).is_some() && frame.date(r, c).is_none()),
    )
}

/// 104: the date UASC status ceased, if given, must be a date on or after the
/// start of the year.
fn rule_104(d: &Dataset) -> Outcome {
    let uasc = d.this(Table::Uasc)?;
    let duc = uasc.col("DUC");
    flag(
        Table::Uasc,
        uasc.rows().filter(|&r| match uasc.date(r, duc) {
            Some(ceased) => ceased < d.collection_start,
            None => uasc.get(r, duc).is_some(),
        }),
    )
}

/// 105: the Header's UASC flag must be 0 or 1. The reference checks it only for
/// XML returns (for CSV returns the flag is derived from the UASC table, so it is
/// always valid); Pathways reads CSV returns, so the rule never runs.
fn rule_105(_d: &Dataset) -> Outcome {
    None
}

/// Rows where `column` is filled in with something other than one of `codes`.
fn code_if_given(d: &Dataset, table: Table, column: &str, codes: &[&str]) -> Outcome {
    let frame = d.this(table)?;
    let c = frame.col(column);
    flag(
        table,
        frame
            .rows()
            .filter(|&r| frame.get(r, c).is_some_and(|v| !codes.contains(&v))),
    )
}

/// Rows where `column` is blank or not one of `codes`.
fn code_required(d: &Dataset, table: Table, column: &str, codes: &[&str]) -> Outcome {
    let frame = d.this(table)?;
    let c = frame.col(column);
    flag(table, frame.rows().filter(|&r| !is_in(frame.get(r, c), codes)))
}

/// 117: the decisions that a child should (or should no longer) be placed for
/// adoption must not be after the year's end or after the end of the child's
/// latest episode that did not end with X1.
fn rule_117(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let placed = d.this(Table::PlacedAdoption)?;
    let (decom, dec, rec) = (episodes.col("DECOM"), episodes.col("DEC"), episodes.col("REC"));
    let (date_placed, ceased) = (placed.col("DATE_PLACED"), placed.col("DATE_PLACED_CEASED"));
    let not_x1 = episodes.rows().filter(|&r| episodes.get(r, rec) != Some("X1"));
    let latest = extreme_by_child(episodes, not_x1, |r| episodes.date(r, decom), Extreme::Latest);
    let placed_by_child = rows_by_child(placed);
    let (mut episode_rows, mut placed_rows) = (Vec::new(), BTreeSet::new());
    for (child, &(row, _)) in &latest {
        let ended = episodes.date(row, dec);
        let too_late = |date: Option<Date>| date.is_some_and(|x| x > d.collection_end || ended.is_some_and(|e| x > e));
        for &p in placed_by_child.get(child).into_iter().flatten() {
            if too_late(placed.date(p, date_placed)) || too_late(placed.date(p, ceased)) {
                episode_rows.push(row);
                placed_rows.insert(p);
            }
        }
    }
    flag_both((Table::Episodes, episode_rows), (Table::PlacedAdoption, placed_rows))
}

/// 118: the decision that a child should no longer be placed for adoption must not
/// be before the year began or before the start of the child's first episode that
/// is not a short break (V3/V4).
// Reference quirk: a child whose every such episode has no valid start date makes
// the reference fail (pandas `idxmin` of nothing); Pathways skips that child.
fn rule_118(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let placed = d.this(Table::PlacedAdoption)?;
    let (decom, ls) = (episodes.col("DECOM"), episodes.col("LS"));
    let ceased = placed.col("DATE_PLACED_CEASED");
    let not_short_break = episodes.rows().filter(|&r| !is_in(episodes.get(r, ls), &["V3", "V4"]));
    let first = extreme_by_child(
        episodes,
        not_short_break,
        |r| episodes.date(r, decom),
        Extreme::Earliest,
    );
    let placed_by_child = rows_by_child(placed);
    let (mut episode_rows, mut placed_rows) = (Vec::new(), BTreeSet::new());
    for (child, &(row, started)) in &first {
        for &p in placed_by_child.get(child).into_iter().flatten() {
            if placed
                .date(p, ceased)
                .is_some_and(|c| c < started || c < d.collection_start)
            {
                episode_rows.push(row);
                placed_rows.insert(p);
            }
        }
    }
    flag_both((Table::Episodes, episode_rows), (Table::PlacedAdoption, placed_rows))
}

/// 119: the date of a decision that a child should no longer be placed for
/// adoption and its reason must both be given or both be blank.
fn rule_119(d: &Dataset) -> Outcome {
    let placed = d.this(Table::PlacedAdoption)?;
    let (ceased, reason) = (placed.col("DATE_PLACED_CEASED"), placed.col("REASON_PLACED_CEASED"));
    flag(
        Table::PlacedAdoption,
        placed
            .rows()
            .filter(|&r| placed.get(r, ceased).is_some() != placed.get(r, reason).is_some()),
    )
}

/// 134: a child in the OC3 cohort (with any care leaver data) must have no
/// adoption data.
// Reference bug (corrected unless Follow::Reference): as in pandas' merge, an AD1 row
// with no CHILD matches an OC3 row with no CHILD, though the rule is about one child's
// data ("adoption should not be entered for the OC3 cohort"): rows with no id are
// nobody's in particular.
fn rule_134(d: &Dataset) -> Outcome {
    let oc3 = d.this(Table::Oc3)?;
    let ad1 = d.this(Table::Ad1)?;
    let leaving_care = columns(oc3, &["IN_TOUCH", "ACTIV", "ACCOM"]);
    let adoption = columns(ad1, ADOPTION_FIELDS);
    let in_oc3: HashSet<Option<&str>> = oc3
        .rows()
        .filter(|&r| any_given(oc3, r, &leaving_care))
        .map(|r| oc3.child(r))
        .collect();
    flag(
        Table::Ad1,
        ad1.rows().filter(|&r| {
            let child = ad1.child(r);
            let can_match = child.is_some() || d.follow == Follow::Reference;
            any_given(ad1, r, &adoption) && can_match && in_oc3.contains(&child)
        }),
    )
}

/// The AD1 fields about the adoption itself.
const ADOPTION_FIELDS: &[&str] = &[
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
];

/// The columns called `names`.
fn columns(frame: &Frame, names: &[&str]) -> Vec<Col> {
    names.iter().map(|name| frame.col(name)).collect()
}

/// Whether any of `columns` is filled in on `row`.
fn any_given(frame: &Frame, row: usize, columns: &[Col]) -> bool {
    columns.iter().any(|&c| frame.get(row, c).is_some())
}

/// Whether all of `columns` are filled in on `row`.
fn all_given(frame: &Frame, row: usize, columns: &[Col]) -> bool {
    columns.iter().all(|&c| frame.get(row, c).is_some())
}

/// 142: every episode but a child's last must have an end date and a reason.
// Reference quirk: a child's last episode is its last row once the whole table is
// sorted by start date with numpy's (unstable) quicksort and undated episodes put
// at the end, so a child with an undated episode has that as its last one, and
// equal start dates come in numpy's order; a start of 01/01/1901 counts as no date.
fn rule_142(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (decom, dec, rec) = (episodes.col("DECOM"), episodes.col("DEC"), episodes.col("REC"));
    let no_date = jiff::civil::date(1901, 1, 1);
    let start = |r: usize| episodes.date(r, decom).filter(|&s| s != no_date);
    let starts: Vec<Option<Date>> = episodes.rows().map(start).collect();
    let sorted = sort_values(&starts, true);
    let mut last: HashMap<&str, usize> = HashMap::new();
    for row in sorted {
        if let Some(child) = episodes.child(row) {
            last.insert(child, row);
        }
    }
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let not_last = episodes.child(r).is_some_and(|c| last.get(c) != Some(&r));
            let open = episodes.date(r, dec).is_none() || episodes.get(r, rec).is_none();
            not_last && start(r).is_some() && open
        }),
    )
}

/// 148: the date an episode ceased and the reason must both be given or both be
/// blank.
fn rule_148(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (dec, rec) = (episodes.col("DEC"), episodes.col("REC"));
    flag(
        Table::Episodes,
        episodes
            .rows()
            .filter(|&r| episodes.get(r, dec).is_some() != episodes.get(r, rec).is_some()),
    )
}

/// 146: placement types up to the year ending March 2024.
const PLACEMENT_TYPES_TO_2024: &[&str] = &[
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3",
    "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
];

/// 146: placement types in the year ending March 2025.
// Reference bug (corrected unless Follow::Reference): the list has "k3" in lower case,
// which an upper-cased value never matches, so K3, a placement type of the year, is
// flagged in 2025; following the rule text K3 is accepted (`placement_types_2025`).
const PLACEMENT_TYPES_2025: &[&str] = &[
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "k3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2",
    "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
];

/// 146: placement types of 2025 as `d` reads them: the reference's list, or with
/// its "k3" written K3 when following the rule text.
fn placement_types_2025(d: &Dataset) -> Vec<&'static str> {
    let corrected = |code: &'static str| match (d.follow, code) {
        (Follow::RuleText, "k3") => "K3",
        _ => code,
    };
    PLACEMENT_TYPES_2025.iter().map(|&code| corrected(code)).collect()
}

/// 146: placement types from the year ending March 2026.
const PLACEMENT_TYPES_FROM_2026: &[&str] = &[
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3", "T4",
    "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14",
];

/// 151, 153: rows where some but not all of `fields` are given.
fn partly_given(d: &Dataset, table: Table, fields: &[&str]) -> Outcome {
    let frame = d.this(table)?;
    let fields = columns(frame, fields);
    flag(
        table,
        frame
            .rows()
            .filter(|&r| any_given(frame, r, &fields) && !all_given(frame, r, &fields)),
    )
}

/// 157: a child looked after continuously, aged 4 or over at the start of the year
/// and not over 16 at its end, must not have SDQ1 as the reason for no SDQ score.
fn rule_157(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let looked_after = continuously_looked_after(d, d.this(Table::Episodes)?);
    let (dob, score, reason) = (oc2.col("DOB"), oc2.col("SDQ_SCORE"), oc2.col("SDQ_REASON"));
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| {
            let aged = oc2.date(r, dob).is_some_and(|b| {
                plus_years(b, 4).is_some_and(|at4| at4 <= d.collection_start)
                    && plus_years(b, 16).is_some_and(|at16| at16 >= d.collection_end)
            });
            looked_after_in(oc2, r, &looked_after)
                && aged
                && oc2.get(r, score).is_none()
                && oc2.get(r, reason) == Some("SDQ1")
        }),
    )
}

/// 158: when an intervention for substance misuse was received, whether one was
/// offered must be left blank.
fn rule_158(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let (received, offered) = (oc2.col("INTERVENTION_RECEIVED"), oc2.col("INTERVENTION_OFFERED"));
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| oc2.get(r, received) == Some("1") && oc2.get(r, offered).is_some()),
    )
}

/// 159: when a child with a substance misuse problem received no intervention,
/// whether one was offered must be given.
fn rule_159(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let (misuse, received) = (oc2.col("SUBSTANCE_MISUSE"), oc2.col("INTERVENTION_RECEIVED"));
    let offered = oc2.col("INTERVENTION_OFFERED");
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| {
            oc2.get(r, misuse) == Some("1") && oc2.get(r, received) == Some("0") && oc2.get(r, offered).is_none()
        }),
    )
}

/// 164: the placement distance, where known, must be between 0 and 999.9 miles,
/// except for children who are or were UASC.
// Reference bug (corrected unless Follow::Reference): short breaks (V3/V4) are not
// left out, though the DfE rule says "if <LS> not = 'V3' or 'V4' then <PL_DISTANCE>
// must be between '0.0' and '999.9'". The distance comes from the national postcode
// lookup, which Pathways does not have yet, so nothing is flagged unless the file
// gives PL_DISTANCE; the rule runs when the reference's does,
// and also when a year is known only from a UASC table with no row of details,
// where the reference fails (pandas cannot add a column to an empty frame).
fn rule_164(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let uasc = uasc_this_or_last_year(d, UascDetails::SexDobDuc)?;
    let (distance, ls) = (episodes.col("PL_DISTANCE"), episodes.col("LS"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let miles = episodes.get(r, distance).and_then(|v| v.trim().parse::<f64>().ok());
            let short_break = d.follow == Follow::RuleText && is_in(episodes.get(r, ls), &["V3", "V4"]);
            !short_break && !uasc.contains(&episodes.child(r)) && miles.is_some_and(|m| !(0.0..=999.9).contains(&m))
        }),
    )
}

/// 165: MOTHER, if given, must be 0 or 1 and only for a girl; a girl with an
/// episode in the year must have it given.
// Reference quirks: only children with an episode other than a short break
// (V3/V4) are checked; an OC3 row is flagged with its child's Header row whatever
// the reason.
// Reference bugs (corrected unless Follow::Reference): sex is read as 1/2, so from
// 2025, when the codes are M/F (rule 101), only invalid values are flagged, not "the
// child must be female"; and as in pandas' merge, rows with no CHILD match each
// other, as if they were one child.
fn rule_165(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let episodes = d.this(Table::Episodes)?;
    let oc3 = d.this(Table::Oc3)?;
    let in_year = children_with_episodes_in_year(d, episodes);
    let headers = merge_groups_by_child(header);
    let oc3_rows = merge_groups_by_child(oc3);
    let (mother, sex) = (header.col("MOTHER"), header.col("SEX"));
    let (male, female) = match d.follow {
        Follow::RuleText if d.year >= 2025 => ("M", "F"),
        _ => ("1", "2"),
    };
    let leaving_care = columns(oc3, &["ACTIV", "ACCOM", "IN_TOUCH"]);
    let (mut header_rows, mut oc3_flagged) = (BTreeSet::new(), BTreeSet::new());
    for (child, in_year) in in_year {
        if child.is_none() && d.follow == Follow::RuleText {
            continue;
        }
        for &h in headers.get(&child).into_iter().flatten() {
            let has_mother = header.get(h, mother).is_some();
            let girl = header.get(h, sex) == Some(female);
            let invalid_or_boy = !is_in(header.get(h, mother), &["0", "1"]) || header.get(h, sex) == Some(male);
            let always = if has_mother { invalid_or_boy } else { girl && in_year };
            let matches = oc3_rows.get(&child).map_or(&[][..], Vec::as_slice);
            if always && matches.is_empty() {
                header_rows.insert(h);
            }
            for &o in matches {
                if always || (has_mother && girl && !in_year && any_given(oc3, o, &leaving_care)) {
                    header_rows.insert(h);
                    oc3_flagged.insert(o);
                }
            }
        }
    }
    Some(vec![
        Flagged::new(TableRef::This(Table::Header), header_rows),
        Flagged::new(TableRef::This(Table::Oc3), oc3_flagged),
    ])
}

/// For 165: each child (blank included) with an episode other than a short break,
/// and whether one of those was open during the year (no end date counts as open
/// at the year's end). A blank CHILD is never counted as in the year.
fn children_with_episodes_in_year<'a>(d: &Dataset, episodes: &'a Frame) -> HashMap<Option<&'a str>, bool> {
    let (decom, dec, ls) = (episodes.col("DECOM"), episodes.col("DEC"), episodes.col("LS"));
    let mut children: HashMap<Option<&str>, bool> = HashMap::new();
    for row in episodes.rows().filter(|&r| !is_in(episodes.get(r, ls), &["V3", "V4"])) {
        let child = episodes.child(row);
        let ended = episodes.date(row, dec).unwrap_or(d.collection_end);
        let during = ended >= d.collection_start && episodes.date(row, decom).is_some_and(|b| b <= d.collection_end);
        *children.entry(child).or_default() |= during && child.is_some();
    }
    children
}

/// 167: a review must have a valid participation code, and a row with no review
/// date no code.
fn rule_167(d: &Dataset) -> Outcome {
    const PARTICIPATION: &[&str] = &["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"];
    let reviews = d.this(Table::Reviews)?;
    let (review, code) = (reviews.col("REVIEW"), reviews.col("REVIEW_CODE"));
    flag(
        Table::Reviews,
        reviews.rows().filter(|&r| match reviews.get(r, review) {
            Some(_) => !is_in(reviews.get(r, code), PARTICIPATION),
            None => reviews.get(r, code).is_some(),
        }),
    )
}

/// 168: a UPN, if given, must be a letter (not I, O or S) and 12 digits, or 11
/// digits and a letter, or one of UN1 to UN5.
fn rule_168(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let upn = header.col("UPN");
    flag(
        Table::Header,
        header
            .rows()
            .filter(|&r| header.get(r, upn).is_some_and(|v| !valid_upn(v))),
    )
}

/// The reference's pattern `^((?![IOS])[A-Z]){1}(\d{12}|\d{11}[A-Z]{1})$|^(UN[1-5])$`
/// in Python's `re`, where `\d` is any Unicode decimal digit and `$` also matches
/// before a final newline.
fn valid_upn(value: &str) -> bool {
    let value = value.strip_suffix('\n').unwrap_or(value);
    if value
        .strip_prefix("UN")
        .is_some_and(|n| matches!(n, "1" | "2" | "3" | "4" | "5"))
    {
        return true;
    }
    let chars: Vec<char> = value.chars().collect();
    let letter = |c: &char| c.is_ascii_uppercase();
    let Some((first, rest)) = chars.split_first() else {
        return false;
    };
    if !letter(first) || matches!(first, 'I' | 'O' | 'S') || rest.len() != 12 {
        return false;
    }
    let (digits, last) = rest.split_at(11);
    digits.iter().all(|&c| unicode_decimal(c)) && (unicode_decimal(last[0]) || letter(&last[0]))
}

/// Whether `c` is a Unicode decimal digit (category Nd, Unicode 14 as in Python
/// 3.11), what Python's `\d` matches.
fn unicode_decimal(c: char) -> bool {
    #[rustfmt::skip]
    const RANGES: &[(u32, u32)] = &[
        (0x30, 0x39), (0x660, 0x669), (0x6F0, 0x6F9), (0x7C0, 0x7C9), (0x966, 0x96F),
        (0x9E6, 0x9EF), (0xA66, 0xA6F), (0xAE6, 0xAEF), (0xB66, 0xB6F), (0xBE6, 0xBEF),
        (0xC66, 0xC6F), (0xCE6, 0xCEF), (0xD66, 0xD6F), (0xDE6, 0xDEF), (0xE50, 0xE59),
        (0xED0, 0xED9), (0xF20, 0xF29), (0x1040, 0x1049), (0x1090, 0x1099), (0x17E0, 0x17E9),
        (0x1810, 0x1819), (0x1946, 0x194F), (0x19D0, 0x19D9), (0x1A80, 0x1A89), (0x1A90, 0x1A99),
        (0x1B50, 0x1B59), (0x1BB0, 0x1BB9), (0x1C40, 0x1C49), (0x1C50, 0x1C59), (0xA620, 0xA629),
        (0xA8D0, 0xA8D9), (0xA900, 0xA909), (0xA9D0, 0xA9D9), (0xA9F0, 0xA9F9), (0xAA50, 0xAA59),
        (0xABF0, 0xABF9), (0xFF10, 0xFF19), (0x104A0, 0x104A9), (0x10D30, 0x10D39), (0x11066, 0x1106F),
        (0x110F0, 0x110F9), (0x11136, 0x1113F), (0x111D0, 0x111D9), (0x112F0, 0x112F9), (0x11450, 0x11459),
        (0x114D0, 0x114D9), (0x11650, 0x11659), (0x116C0, 0x116C9), (0x11730, 0x11739), (0x118E0, 0x118E9),
        (0x11950, 0x11959), (0x11C50, 0x11C59), (0x11D50, 0x11D59), (0x11DA0, 0x11DA9), (0x16A60, 0x16A69),
        (0x16AC0, 0x16AC9), (0x16B50, 0x16B59), (0x1D7CE, 0x1D7FF), (0x1E140, 0x1E149), (0x1E2F0, 0x1E2F9),
        (0x1E950, 0x1E959), (0x1FBF0, 0x1FBF9),
    ];
    let c = u32::from(c);
    RANGES.iter().any(|&(low, high)| (low..=high).contains(&c))
}

/// 169, 179: a placement's local authority or location, derived from the
/// placement postcode, must be known unless the episode is a short break (V3/V4).
// Reference quirk: both come from the national postcode lookup, which Pathways
// does not have yet, so every episode that is not a short break is flagged, as the
// reference flags them when it does not recognise the postcodes.
fn derived_placement_field_missing(d: &Dataset, field: &str) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (ls, derived) = (episodes.col("LS"), episodes.col(field));
    flag(
        Table::Episodes,
        episodes
            .rows()
            .filter(|&r| !is_in(episodes.get(r, ls), &["V3", "V4"]) && episodes.get(r, derived).is_none()),
    )
}

/// 174: a mother's child's date of birth must not be given for a boy (SEX `male`).
fn male_with_mothers_child(d: &Dataset, male: &str) -> Outcome {
    let header = d.this(Table::Header)?;
    let (sex, mc_dob) = (header.col("SEX"), header.col("MC_DOB"));
    flag(
        Table::Header,
        header
            .rows()
            .filter(|&r| header.get(r, sex) == Some(male) && header.get(r, mc_dob).is_some()),
    )
}

/// 178: a placement provider, if given, must be a PR code, and must not be given
/// for the placement types in `no_provider`.
fn provider_not_valid(d: &Dataset, no_provider: &[&str]) -> Outcome {
    const PROVIDERS: &[&str] = &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];
    let episodes = d.this(Table::Episodes)?;
    let (provider, place) = (episodes.col("PLACE_PROVIDER"), episodes.col("PLACE"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            episodes.get(r, provider).is_some()
                && (!is_in(episodes.get(r, provider), PROVIDERS) || is_in(episodes.get(r, place), no_provider))
        }),
    )
}

/// 180: an SDQ score, if given, must be a whole number from 0 to 40.
fn rule_180(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let score = oc2.col("SDQ_SCORE");
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| oc2.get(r, score).is_some_and(|s| !sdq_score(s))),
    )
}

/// Whether pandas `to_numeric(errors="coerce")` reads `value` as a whole number
/// from 0 to 40 (it ignores surrounding ASCII spaces and reads `5.0`, `+5`, `1e1`).
fn sdq_score(value: &str) -> bool {
    let trimmed = value.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'));
    trimmed
        .parse::<f64>()
        .is_ok_and(|n| n.fract() == 0.0 && (0.0..=40.0).contains(&n))
}

/// The OC2 fields about children looked after for 12 months.
const OC2_FIELDS: &[&str] = &[
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
];

/// 181: the OC2 fields about children looked after for 12 months, if given, must
/// be 0 or 1.
fn rule_181(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let fields = columns(oc2, OC2_FIELDS);
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| {
            fields
                .iter()
                .any(|&c| oc2.get(r, c).is_some_and(|v| !matches!(v, "0" | "1")))
        }),
    )
}

/// 182: when any OC2 item is given, immunisations, teeth check, health assessment
/// and substance misuse must all be.
// Reference bug (corrected unless Follow::Reference): only the other four items count
// as "given", so a row with just some of these four is not flagged, though the rule
// says they "should be completed or all OC2 fields should be left blank".
fn rule_182(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let required = columns(
        oc2,
        &["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"],
    );
    let others = columns(
        oc2,
        &[
            "CONVICTED",
            "HEALTH_CHECK",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ],
    );
    let any_of_the_four = |r| d.follow == Follow::RuleText && any_given(oc2, r, &required);
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| !all_given(oc2, r, &required) && (any_given(oc2, r, &others) || any_of_the_four(r))),
    )
}

/// 184: the decision that a child should be placed for adoption must not be
/// before the child was born.
// Reference quirk: the date of birth compared is PlacedAdoption's own DOB, not the
// Header's (the merge keeps the left table's DOB), so a blank or invalid DOB there
// is flagged; the Header must still be in the return.
fn rule_184(d: &Dataset) -> Outcome {
    d.this(Table::Header)?;
    let placed = d.this(Table::PlacedAdoption)?;
    let (decided, dob) = (placed.col("DATE_PLACED"), placed.col("DOB"));
    flag(
        Table::PlacedAdoption,
        placed.rows().filter(|&r| {
            placed
                .date(r, decided)
                .is_some_and(|p| placed.date(r, dob).is_none_or(|born| p < born))
        }),
    )
}

/// The OC2 table and the children looked after continuously this year.
fn oc2_and_looked_after(d: &Dataset) -> Option<(&Frame, HashSet<&str>)> {
    let oc2 = d.this(Table::Oc2)?;
    Some((oc2, continuously_looked_after(d, d.this(Table::Episodes)?)))
}

/// 185: an SDQ score must only be given for a child looked after continuously.
fn rule_185(d: &Dataset) -> Outcome {
    let (oc2, looked_after) = oc2_and_looked_after(d)?;
    let score = oc2.col("SDQ_SCORE");
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| oc2.get(r, score).is_some() && !looked_after_in(oc2, r, &looked_after)),
    )
}

/// 186: a child looked after continuously, 4 or over at the start of the year and
/// under 17 at its end, must have an SDQ score or a reason for none.
fn rule_186(d: &Dataset) -> Outcome {
    let (oc2, looked_after) = oc2_and_looked_after(d)?;
    let (dob, score, reason) = (oc2.col("DOB"), oc2.col("SDQ_SCORE"), oc2.col("SDQ_REASON"));
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| {
            let aged = oc2.date(r, dob).is_some_and(|b| {
                plus_years(b, 4).is_some_and(|at4| at4 <= d.collection_start)
                    && plus_years(b, 17).is_some_and(|at17| at17 > d.collection_end)
            });
            aged && looked_after_in(oc2, r, &looked_after)
                && oc2.get(r, score).is_none()
                && oc2.get(r, reason).is_none()
        }),
    )
}

/// 187: a child looked after continuously must have no adoption (AD1) or care
/// leaver (OC3) data.
fn rule_187(d: &Dataset) -> Outcome {
    let oc3 = d.this(Table::Oc3)?;
    let ad1 = d.this(Table::Ad1)?;
    let looked_after = continuously_looked_after(d, d.this(Table::Episodes)?);
    let flagged = |frame: &Frame, fields: &[&str]| -> Vec<usize> {
        let fields = columns(frame, fields);
        frame
            .rows()
            .filter(|&r| looked_after_in(frame, r, &looked_after) && any_given(frame, r, &fields))
            .collect()
    };
    Some(vec![
        Flagged::new(TableRef::This(Table::Ad1), flagged(ad1, ADOPTION_FIELDS)),
        Flagged::new(
            TableRef::This(Table::Oc3),
            flagged(oc3, &["IN_TOUCH", "ACTIV", "ACCOM"]),
        ),
    ])
}

/// 188: a child under 4 at the end of the year must have no SDQ score or reason.
fn rule_188(d: &Dataset) -> Outcome {
    sdq_for_age(d, |born| plus_years(born, 4).is_some_and(|at4| at4 > d.collection_end))
}

/// 189: a child 17 or over at the start of the year must have no SDQ score or
/// reason.
// Reference quirk: "17 or over" is read as turning 17 strictly before the year
// starts, so a child whose 17th birthday is 1 April is not flagged.
fn rule_189(d: &Dataset) -> Outcome {
    sdq_for_age(d, |born| {
        plus_years(born, 17).is_some_and(|at17| at17 < d.collection_start)
    })
}

/// 188, 189: OC2 rows of children whose date of birth `out_of_age` accepts that
/// have an SDQ score or reason.
fn sdq_for_age(d: &Dataset, out_of_age: impl Fn(Date) -> bool) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let (dob, sdq) = (oc2.col("DOB"), columns(oc2, &["SDQ_SCORE", "SDQ_REASON"]));
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| oc2.date(r, dob).is_some_and(&out_of_age) && any_given(oc2, r, &sdq)),
    )
}

/// 190: the OC2 items about children looked after for 12 months must be blank for
/// a child who was not looked after continuously.
fn rule_190(d: &Dataset) -> Outcome {
    let (oc2, looked_after) = oc2_and_looked_after(d)?;
    let fields = columns(oc2, OC2_FIELDS);
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| !looked_after_in(oc2, r, &looked_after) && any_given(oc2, r, &fields)),
    )
}

/// 191: a child looked after continuously must have immunisations, teeth check,
/// health assessment and substance misuse given in OC2; a child with no OC2 row
/// at all is flagged on their first episode.
// Reference quirk: a child whose episodes all lack a valid start date makes the
// reference fail (pandas `idxmin` of nothing); such a child is never looked after
// continuously, so Pathways flags nothing for them.
fn rule_191(d: &Dataset) -> Outcome {
    let (oc2, looked_after) = oc2_and_looked_after(d)?;
    let episodes = d.this(Table::Episodes)?;
    let required = columns(
        oc2,
        &["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"],
    );
    let oc2_rows = oc2
        .rows()
        .filter(|&r| looked_after_in(oc2, r, &looked_after) && !all_given(oc2, r, &required));
    let in_oc2: HashSet<&str> = oc2.rows().filter_map(|r| oc2.child(r)).collect();
    let decom = episodes.col("DECOM");
    let first = extreme_by_child(
        episodes,
        episodes.rows(),
        |r| episodes.date(r, decom),
        Extreme::Earliest,
    );
    let episode_rows = first
        .iter()
        .filter(|(child, _)| looked_after.contains(*child) && !in_oc2.contains(*child))
        .map(|(_, &(row, _))| row);
    Some(vec![
        Flagged::new(TableRef::This(Table::Oc2), oc2_rows),
        Flagged::new(TableRef::This(Table::Episodes), episode_rows),
    ])
}

/// 192: when a substance misuse problem is identified, whether an intervention was
/// received must be given.
fn rule_192(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let (misuse, received) = (oc2.col("SUBSTANCE_MISUSE"), oc2.col("INTERVENTION_RECEIVED"));
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| oc2.get(r, misuse) == Some("1") && oc2.get(r, received).is_none()),
    )
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{dataset, frame, header, ran, run};
    use crate::ssda903::tables::Table;
    use crate::ssda903::validate::{Dataset, Follow, Frame};

    /// `d` read following `follow`.
    fn following(d: &Dataset, follow: Follow) -> Dataset {
        let mut d = d.clone();
        d.follow = follow;
        d
    }

    /// A return holding only `table`, one row per value of `column` ("" = blank).
    fn one_column(year: i16, table: Table, column: &str, values: &[&str]) -> Dataset {
        let rows: Vec<[(&str, &str); 1]> = values.iter().map(|v| [(column, *v)]).collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(|r| &r[..]).collect();
        dataset(year).table(table, &rows).done()
    }

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

    #[test]
    fn rule_102_date_of_birth_must_be_a_date() {
        let dobs = ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", ""];
        let d = one_column(2026, Table::Header, "DOB", &dobs);
        assert_eq!(run(&d, "102"), [("Header", 2), ("Header", 3), ("Header", 4)]);
    }

    #[test]
    fn rule_104_uasc_ceased_must_be_a_date_in_or_after_the_year() {
        // The reference's example, moved from the year starting 1 April 2019 to 2024.
        let d = dataset(2025)
            .table(
                Table::Uasc,
                &[
                    &[("DUC", "01/03/2024")],
                    &[("DUC", "19/02/2025")],
                    &[("DUC", "03/04/2024")],
                    &[("DUC", "01/01/2024")],
                    &[],
                    &[("DUC", "INNVLAID/DATE/2077")],
                ],
            )
            .done();
        assert_eq!(run(&d, "104"), [("UASC", 0), ("UASC", 3), ("UASC", 5)]);
    }

    #[test]
    fn rule_105_is_not_run_on_csv_returns() {
        let d = dataset(2026)
            .table(Table::Header, &[&[("CHILD", "1")]])
            .table(Table::Uasc, &[&[("CHILD", "2")]])
            .done();
        assert!(!ran(&d, "105"));
    }

    #[test]
    fn rules_112_and_113_adoption_dates_if_given_must_be_dates() {
        let values = ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", ""];
        for (code, column) in [("112", "DATE_INT"), ("113", "DATE_MATCH")] {
            let d = one_column(2026, Table::Ad1, column, &values);
            assert_eq!(run(&d, code), [("AD1", 2), ("AD1", 3)], "{code}");
        }
    }

    #[test]
    fn rule_114_former_foster_carer_is_0_or_1_if_given() {
        // The reference's example as a CSV holds it (its "" is a blank here).
        let values = ["0", "1", "0", "1", "2", "former foster carer", "", ""];
        let d = one_column(2026, Table::Ad1, "FOSTER_CARE", &values);
        assert_eq!(run(&d, "114"), [("AD1", 4), ("AD1", 5)]);
    }

    #[test]
    fn rules_115_and_116_placement_decision_dates_if_given_must_be_dates() {
        let values = ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", ""];
        for (code, column) in [("115", "DATE_PLACED"), ("116", "DATE_PLACED_CEASED")] {
            let d = one_column(2026, Table::PlacedAdoption, column, &values);
            assert_eq!(run(&d, code), [("PlacedAdoption", 2), ("PlacedAdoption", 3)], "{code}");
        }
    }

    #[test]
    fn rule_117_adoption_decisions_not_after_the_year_or_the_latest_episode() {
        // The reference's example, moved eight years on (year ending 2018 to 2026).
        let placed: &[&[(&str, &str)]] = &[
            &[
                ("CHILD", "101"),
                ("DATE_PLACED_CEASED", "26/05/2008"),
                ("DATE_PLACED", "26/05/2008"),
            ],
            &[
                ("CHILD", "102"),
                ("DATE_PLACED_CEASED", "01/07/2026"),
                ("DATE_PLACED", "26/05/2008"),
            ],
            &[("CHILD", "103"), ("DATE_PLACED_CEASED", "26/05/2008")],
            &[
                ("CHILD", "104"),
                ("DATE_PLACED_CEASED", "26/05/2025"),
                ("DATE_PLACED", "01/02/2024"),
            ],
            &[("CHILD", "105"), ("DATE_PLACED", "26/05/2027")],
        ];
        let episode = |child, dec, rec| [("CHILD", child), ("DEC", dec), ("REC", rec), ("DECOM", dec)];
        let episodes = [
            episode("101", "01/01/2017", "E45"),
            episode("102", "01/01/2009", "A3"),
            episode("102", "20/12/2009", "E15"),
            episode("102", "03/01/2027", "E46"),
            episode("102", "03/04/2016", "E48"),
            episode("103", "01/01/2010", "X2"),
            episode("104", "10/01/2010", "E11"),
            episode("104", "11/02/2018", "X1"),
            episode("104", "25/01/2010", "X1"),
            episode("105", "25/01/2010", "E47"),
            episode("105", "", "E45"),
        ];
        let episodes: Vec<&[(&str, &str)]> = episodes.iter().map(|r| &r[..]).collect();
        let d = dataset(2026)
            .table(Table::Episodes, &episodes)
            .table(Table::PlacedAdoption, placed)
            .done();
        assert_eq!(
            run(&d, "117"),
            [
                ("Episodes", 3),
                ("Episodes", 6),
                ("Episodes", 9),
                ("PlacedAdoption", 1),
                ("PlacedAdoption", 3),
                ("PlacedAdoption", 4)
            ]
        );
    }

    #[test]
    fn rule_118_ceased_decision_not_before_the_year_or_the_first_episode() {
        // The reference's example, moved four years on (year starting 2020 to 2024),
        // and child 105 whose only start date is not a date (the reference fails).
        let placed: &[&[(&str, &str)]] = &[
            &[("CHILD", "101"), ("DATE_PLACED_CEASED", "08/03/2024")],
            &[("CHILD", "102"), ("DATE_PLACED_CEASED", "22/06/2024")],
            &[("CHILD", "103"), ("DATE_PLACED_CEASED", "13/10/2026")],
            &[("CHILD", "104")],
            &[("CHILD", "105"), ("DATE_PLACED_CEASED", "01/01/2020")],
        ];
        let episodes: &[&[(&str, &str)]] = &[
            &[("CHILD", "101"), ("LS", "L1"), ("DECOM", "01/01/2023")],
            &[("CHILD", "102"), ("LS", "V3"), ("DECOM", "01/01/2026")],
            &[("CHILD", "102"), ("LS", "X0"), ("DECOM", "20/12/2024")],
            &[("CHILD", "102"), ("LS", "L1"), ("DECOM", "03/01/2025")],
            &[("CHILD", "102"), ("LS", "L1"), ("DECOM", "03/04/2026")],
            &[("CHILD", "103"), ("LS", "X2"), ("DECOM", "01/01/2023")],
            &[("CHILD", "104"), ("LS", "L1"), ("DECOM", "01/01/2023")],
            &[("CHILD", "105"), ("LS", "L1"), ("DECOM", "31/06/2023")],
        ];
        let d = dataset(2025)
            .table(Table::Episodes, episodes)
            .table(Table::PlacedAdoption, placed)
            .done();
        assert_eq!(
            run(&d, "118"),
            [
                ("Episodes", 0),
                ("Episodes", 2),
                ("PlacedAdoption", 0),
                ("PlacedAdoption", 1)
            ]
        );
    }

    #[test]
    fn rule_119_ceased_date_and_reason_go_together() {
        let d = dataset(2026)
            .table(
                Table::PlacedAdoption,
                &[
                    &[("DATE_PLACED_CEASED", "22/11/2015"), ("REASON_PLACED_CEASED", "XXX")],
                    &[("DATE_PLACED_CEASED", "08/05/2010")],
                    &[("REASON_PLACED_CEASED", "10/05/2009")],
                    &[],
                ],
            )
            .done();
        assert_eq!(run(&d, "119"), [("PlacedAdoption", 1), ("PlacedAdoption", 2)]);
    }

    #[test]
    fn rule_120_reason_placement_reversed_is_an_rd_code_if_given() {
        // The reference's example as read from a CSV: "rd1" is upper-cased, "" is blank.
        let values = ["rd1", "RD0", "1", "RD1", "", ""];
        let d = one_column(2026, Table::PlacedAdoption, "REASON_PLACED_CEASED", &values);
        assert_eq!(run(&d, "120"), [("PlacedAdoption", 1), ("PlacedAdoption", 2)]);
    }

    #[test]
    fn rules_131_to_133_leaving_care_codes_must_be_valid() {
        // The reference's examples as read from a CSV: upper-cased, "" blank.
        let d = one_column(
            2026,
            Table::Oc3,
            "IN_TOUCH",
            &["yes", "YES", "1", "REFUSE", "REFU", "", ""],
        );
        assert_eq!(run(&d, "131"), [("OC3", 2), ("OC3", 3), ("OC3", 5), ("OC3", 6)]);
        let d = one_column(2026, Table::Oc3, "ACTIV", &["f1", "F1", "1", "0", "1", "0", "", ""]);
        assert_eq!(run(&d, "132"), [("OC3", 2), ("OC3", 4), ("OC3", 6), ("OC3", 7)]);
        let d = one_column(2026, Table::Oc3, "ACCOM", &["B1", "B2", "", "s2", "K1", "X", "1"]);
        assert_eq!(run(&d, "133"), [("OC3", 2), ("OC3", 5), ("OC3", 6)]);
    }

    #[test]
    fn rule_134_no_adoption_data_for_care_leavers() {
        let oc3: &[&[(&str, &str)]] = &[
            &[("CHILD", "A")],
            &[("CHILD", "B"), ("IN_TOUCH", "XXX")],
            &[("CHILD", "C"), ("ACTIV", "XXX")],
            &[("CHILD", "D"), ("ACCOM", "XXX")],
            &[("CHILD", "E")],
            &[("IN_TOUCH", "YES")],
        ];
        let all = |child| {
            [
                ("CHILD", child),
                ("DATE_INT", "XXX"),
                ("DATE_MATCH", "XXX"),
                ("FOSTER_CARE", "XXX"),
                ("NB_ADOPTR", "XXX"),
                ("SEX_ADOPTR", "XXX"),
                ("LS_ADOPTR", "XXX"),
            ]
        };
        let ad1: &[&[(&str, &str)]] = &[
            &[("CHILD", "A")],
            &[("CHILD", "B"), ("DATE_MATCH", "XXX")],
            &all("C"),
            &[("CHILD", "D"), ("LS_ADOPTR", "XXX")],
            &all("E"),
            // No CHILD: matches the OC3 row with no CHILD only in the reference.
            &all(""),
        ];
        let d = dataset(2026).table(Table::Oc3, oc3).table(Table::Ad1, ad1).done();
        for (follow, expected) in [
            (Follow::RuleText, &[("AD1", 1), ("AD1", 2), ("AD1", 3)][..]),
            (Follow::Reference, &[("AD1", 1), ("AD1", 2), ("AD1", 3), ("AD1", 5)]),
        ] {
            assert_eq!(run(&following(&d, follow), "134"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_141_and_147_episode_dates_if_given_must_be_dates() {
        let values = ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", ""];
        for (code, column) in [("141", "DECOM"), ("147", "DEC")] {
            let d = one_column(2026, Table::Episodes, column, &values);
            assert_eq!(run(&d, code), [("Episodes", 2), ("Episodes", 3)], "{code}");
        }
    }

    fn episode<'a>(child: &'a str, decom: &'a str, dec: &'a str, rec: &'a str) -> [(&'a str, &'a str); 4] {
        [("CHILD", child), ("DECOM", decom), ("DEC", dec), ("REC", rec)]
    }

    fn episodes_of<'a>(rows: &'a [[(&'a str, &'a str); 4]]) -> Vec<&'a [(&'a str, &'a str)]> {
        rows.iter().map(|r| &r[..]).collect()
    }

    #[test]
    fn rule_142_episodes_before_the_last_must_have_ended() {
        let rows = [
            episode("111", "01/06/2020", "04/06/2020", "X1"),
            episode("111", "05/06/2020", "06/06/2020", ""),
            episode("111", "06/06/2020", "08/06/2020", "X1"),
            episode("111", "08/06/2020", "05/06/2020", "X1"),
            episode("222", "05/06/2020", "06/06/2020", ""),
            episode("333", "06/06/2020", "", "E11"),
            episode("333", "07/06/2020", "", ""),
            episode("444", "08/06/2020", "09/06/2020", "X1"),
            episode("444", "09/06/2020", "10/06/2020", "E11"),
            episode("444", "15/06/2020", "", ""),
            episode("555", "11/06/2020", "12/06/2020", "X1"),
            episode("6666", "12/06/2020", "13/06/2020", "X1"),
            episode("6666", "13/06/2020", "14/06/2020", "X1"),
            episode("6666", "14/06/2020", "", "X1"),
            episode("6666", "15/06/2020", "16/06/2020", "X1"),
            episode("77777", "16/06/2020", "17/06/2020", "X1"),
            episode("77777", "17/06/2020", "18/06/2020", "X1"),
            episode("77777", "18/06/2020", "", "X1"),
            episode("999", "31/06/2020", "", ""),
            episode("123", "", "", ""),
            episode("", "", "", ""),
        ];
        let d = dataset(2026).table(Table::Episodes, &episodes_of(&rows)).done();
        assert_eq!(run(&d, "142"), [("Episodes", 1), ("Episodes", 5), ("Episodes", 13)]);
    }

    #[test]
    fn rule_142_an_undated_episode_counts_as_the_last() {
        let rows = [
            episode("1", "01/06/2020", "", ""),
            episode("1", "not a date", "", ""),
            episode("2", "01/06/2020", "", ""),
            episode("2", "01/01/1901", "", ""),
            episode("3", "01/01/1901", "", ""),
            episode("3", "01/06/2020", "", ""),
        ];
        let d = dataset(2026).table(Table::Episodes, &episodes_of(&rows)).done();
        assert_eq!(run(&d, "142"), [("Episodes", 0), ("Episodes", 2), ("Episodes", 5)]);
    }

    #[test]
    fn rules_143_to_145_and_149_episode_codes_if_given() {
        // The reference's examples as read from a CSV: upper-cased, "" blank.
        let d = one_column(2026, Table::Episodes, "RNE", &["S", "p", "SP", "a", "", ""]);
        assert_eq!(run(&d, "143"), [("Episodes", 2), ("Episodes", 3)]);
        let d = one_column(2026, Table::Episodes, "LS", &["C1", "c1", "section 20", "", ""]);
        assert_eq!(run(&d, "144"), [("Episodes", 2)]);
        let d = one_column(2026, Table::Episodes, "CIN", &["N0", "N1", "N9", "n8", "", ""]);
        assert_eq!(run(&d, "145"), [("Episodes", 0), ("Episodes", 2)]);
        let d = one_column(2026, Table::Episodes, "REC", &["E4A", "E4b", "X", "", ""]);
        assert_eq!(run(&d, "149"), [("Episodes", 2)]);
    }

    #[test]
    fn rule_146_placement_types_by_year() {
        let places = ["A2", "R4", "Z", "P1", "t3", "", "Z14", "H5", "K3", "Z1", "P2"];
        let d = one_column(2024, Table::Episodes, "PLACE", &places);
        let rows = |found: Vec<(&str, usize)>| found.into_iter().map(|(_, r)| r).collect::<Vec<_>>();
        assert_eq!(rows(run(&d, "146")), [0, 1, 2, 6, 8]);
        // The reference's 2025 list has K3 in lower case, so it flags K3.
        let d = one_column(2025, Table::Episodes, "PLACE", &places);
        for (follow, expected) in [
            (Follow::RuleText, &[0, 1, 2, 6][..]),
            (Follow::Reference, &[0, 1, 2, 6, 8]),
        ] {
            assert_eq!(rows(run(&following(&d, follow), "146")), expected, "{follow:?}");
        }
        let d = one_column(2026, Table::Episodes, "PLACE", &places);
        assert_eq!(rows(run(&d, "146")), [0, 1, 2, 7, 9, 10]);
    }

    #[test]
    fn rule_148_end_date_and_reason_go_together() {
        let rows = [
            episode("111", "01/06/2020", "04/06/2020", ""),
            episode("111", "05/06/2020", "06/06/2020", "X1"),
            episode("111", "06/06/2020", "", "X1"),
            episode("111", "08/06/2020", "05/06/2020", "X1"),
            episode("222", "05/06/2020", "06/06/2020", ""),
            episode("333", "06/06/2020", "07/06/2020", "E11"),
            episode("333", "07/06/2020", "", ""),
            episode("444", "08/06/2020", "09/06/2020", "X1"),
            episode("444", "09/06/2020", "10/06/2020", "E11"),
            episode("444", "15/06/2020", "", ""),
        ];
        let d = dataset(2026).table(Table::Episodes, &episodes_of(&rows)).done();
        assert_eq!(run(&d, "148"), [("Episodes", 0), ("Episodes", 2), ("Episodes", 4)]);
    }

    #[test]
    fn rule_151_adoption_fields_all_or_none() {
        let d = dataset(2026)
            .table(
                Table::Ad1,
                &[
                    &[],
                    &[
                        ("DATE_INT", "01/01/2021"),
                        ("DATE_MATCH", "01/01/2021"),
                        ("FOSTER_CARE", "01/01/2021"),
                        ("NB_ADOPTR", "01/01/2021"),
                        ("SEX_ADOPTR", "01/01/2021"),
                        ("LS_ADOPTR", "01/01/2021"),
                    ],
                    &[("DATE_INT", "01/01/2021")],
                    &[("DATE_MATCH", "01/01/2021")],
                    &[("FOSTER_CARE", "01/01/2021")],
                    &[("NB_ADOPTR", "01/01/2021")],
                    &[("SEX_ADOPTR", "01/01/2021")],
                    &[("LS_ADOPTR", "01/01/2021")],
                    &[
                        ("DATE_INT", "01/01/2021"),
                        ("FOSTER_CARE", "01/01/2021"),
                        ("SEX_ADOPTR", "01/01/2021"),
                    ],
                ],
            )
            .done();
        let rows: Vec<usize> = run(&d, "151").into_iter().map(|(_, r)| r).collect();
        assert_eq!(rows, [2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn rule_153_leaving_care_fields_all_or_none() {
        let d = dataset(2026)
            .table(
                Table::Oc3,
                &[
                    &[("IN_TOUCH", "XXX"), ("ACTIV", "XXX"), ("ACCOM", "XXX")],
                    &[],
                    &[("IN_TOUCH", "XXX")],
                    &[("ACTIV", "XXX")],
                    &[("ACCOM", "XXX")],
                    &[("IN_TOUCH", "XXX"), ("ACTIV", "XXX")],
                ],
            )
            .done();
        assert_eq!(run(&d, "153"), [("OC3", 2), ("OC3", 3), ("OC3", 4), ("OC3", 5)]);
    }

    /// The episodes of the reference's examples for 157, 185, 187, 190 and 191,
    /// moved 44 years on: the year runs 1 April 2024 to 31 March 2025.
    const LOOKED_AFTER_EPISODES: &[[(&str, &str); 6]] = &[
        cla_episode("1", "01/03/2024", "31/03/2025", "O", "X1", "O"),
        cla_episode("2", "01/03/2024", "30/03/2025", "O", "X1", "O"),
        cla_episode("3333", "01/03/2024", "01/01/2025", "V3", "X1", "O"),
        cla_episode("4", "01/02/2014", "", "O", "!!", "O"),
        cla_episode("5", "01/03/2023", "01/01/2025", "O", "X1", "O"),
        cla_episode("5", "01/01/2025", "", "O", "", "O"),
        cla_episode("6666", "01/03/2023", "01/01/2025", "O", "!!", "O"),
        cla_episode("6666", "01/01/2025", "", "O", "", "O"),
        cla_episode("7777", "01/03/2023", "01/01/2025", "O", "X1", "O"),
        cla_episode("7777", "01/01/2025", "01/07/2025", "O", "O", "S"),
        cla_episode("8888", "01/01/2025", "31/03/2043", "O", "O", "S"),
    ];

    const fn cla_episode<'a>(
        child: &'a str,
        decom: &'a str,
        dec: &'a str,
        ls: &'a str,
        rec: &'a str,
        rne: &'a str,
    ) -> [(&'a str, &'a str); 6] {
        [
            ("CHILD", child),
            ("DECOM", decom),
            ("DEC", dec),
            ("LS", ls),
            ("REC", rec),
            ("RNE", rne),
        ]
    }

    fn rows_of<'a, const N: usize>(rows: &'a [[(&'a str, &'a str); N]]) -> Vec<&'a [(&'a str, &'a str)]> {
        rows.iter().map(|r| &r[..]).collect()
    }

    #[test]
    fn rule_157_sdq1_is_not_a_reason_for_a_child_of_4_to_16_looked_after() {
        let oc2 = [
            [
                ("CHILD", "9999999999"),
                ("SDQ_SCORE", "OK"),
                ("SDQ_REASON", "SDQ1"),
                ("DOB", "01/04/2014"),
            ],
            [
                ("CHILD", "1"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", "SDQ1"),
                ("DOB", "31/03/2009"),
            ],
            [
                ("CHILD", "2"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", "SDQ1"),
                ("DOB", "01/04/2020"),
            ],
            [
                ("CHILD", "3333"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", "OK"),
                ("DOB", "01/04/2014"),
            ],
            [
                ("CHILD", "99999999"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", ""),
                ("DOB", "01/04/2014"),
            ],
            [
                ("CHILD", "8888"),
                ("SDQ_SCORE", "OK"),
                ("SDQ_REASON", "OK"),
                ("DOB", "01/04/2014"),
            ],
            [
                ("CHILD", "5"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", "OK!"),
                ("DOB", "01/07/2014"),
            ],
        ];
        let d = dataset(2025)
            .table(Table::Episodes, &rows_of(LOOKED_AFTER_EPISODES))
            .table(Table::Oc2, &rows_of(&oc2))
            .done();
        assert_eq!(run(&d, "157"), [("OC2", 1), ("OC2", 2)]);
    }

    #[test]
    fn rules_158_and_159_intervention_offered_follows_intervention_received() {
        let rows = [
            [("INTERVENTION_RECEIVED", "1"), ("INTERVENTION_OFFERED", "")],
            [("INTERVENTION_RECEIVED", ""), ("INTERVENTION_OFFERED", "1")],
            [("INTERVENTION_RECEIVED", "0"), ("INTERVENTION_OFFERED", "0")],
            [("INTERVENTION_RECEIVED", "1"), ("INTERVENTION_OFFERED", "1")],
            [("INTERVENTION_RECEIVED", "1"), ("INTERVENTION_OFFERED", "0")],
            [("INTERVENTION_RECEIVED", "0"), ("INTERVENTION_OFFERED", "1")],
        ];
        let d = dataset(2026).table(Table::Oc2, &rows_of(&rows)).done();
        assert_eq!(run(&d, "158"), [("OC2", 3), ("OC2", 4)]);
        let rows = [
            [
                ("SUBSTANCE_MISUSE", "1"),
                ("INTERVENTION_RECEIVED", "1"),
                ("INTERVENTION_OFFERED", ""),
            ],
            [
                ("SUBSTANCE_MISUSE", "1"),
                ("INTERVENTION_RECEIVED", "0"),
                ("INTERVENTION_OFFERED", "0"),
            ],
            [
                ("SUBSTANCE_MISUSE", "1"),
                ("INTERVENTION_RECEIVED", "0"),
                ("INTERVENTION_OFFERED", ""),
            ],
            [
                ("SUBSTANCE_MISUSE", "1"),
                ("INTERVENTION_RECEIVED", ""),
                ("INTERVENTION_OFFERED", ""),
            ],
            [
                ("SUBSTANCE_MISUSE", "1"),
                ("INTERVENTION_RECEIVED", "0"),
                ("INTERVENTION_OFFERED", ""),
            ],
            [
                ("SUBSTANCE_MISUSE", "1"),
                ("INTERVENTION_RECEIVED", "1"),
                ("INTERVENTION_OFFERED", "1"),
            ],
            [
                ("SUBSTANCE_MISUSE", ""),
                ("INTERVENTION_RECEIVED", "1"),
                ("INTERVENTION_OFFERED", ""),
            ],
            [
                ("SUBSTANCE_MISUSE", ""),
                ("INTERVENTION_RECEIVED", ""),
                ("INTERVENTION_OFFERED", ""),
            ],
            [
                ("SUBSTANCE_MISUSE", "1"),
                ("INTERVENTION_RECEIVED", "0"),
                ("INTERVENTION_OFFERED", "0"),
            ],
            [
                ("SUBSTANCE_MISUSE", "0"),
                ("INTERVENTION_RECEIVED", "1"),
                ("INTERVENTION_OFFERED", "1"),
            ],
        ];
        let d = dataset(2026).table(Table::Oc2, &rows_of(&rows)).done();
        assert_eq!(run(&d, "159"), [("OC2", 2), ("OC2", 4)]);
    }

    /// A frame of `table` with an extra column, as the reference derives some.
    fn with_column(table: Table, rows: &[&[(&str, &str)]], column: &str, values: &[&str]) -> Frame {
        let mut frame = frame(table, rows);
        frame.add_column(column, |_, row| {
            values.get(row).filter(|v| !v.is_empty()).map(|v| (*v).to_owned())
        });
        frame
    }

    #[test]
    fn rule_164_distance_out_of_range_unless_uasc() {
        let episodes: &[&[(&str, &str)]] = &[
            &[("CHILD", "111"), ("LS", "V3")],
            &[("CHILD", "222"), ("LS", "V1")],
            &[("CHILD", "222"), ("LS", "V5")],
            &[("CHILD", "333"), ("LS", "V1")],
            &[("CHILD", "333"), ("LS", "V2")],
            &[("CHILD", "345"), ("LS", "V7")],
        ];
        let distances = ["0.0", "", "-2", "3.5", "1000", "1380"];
        let episodes = || with_column(Table::Episodes, episodes, "PL_DISTANCE", &distances);
        let children: &[&[(&str, &str)]] = &[
            &[("CHILD", "111")],
            &[("CHILD", "222")],
            &[("CHILD", "333")],
            &[("CHILD", "345")],
        ];
        let header = with_column(Table::Header, children, "UASC", &["0", "0", "0", "0"]);
        let header_last = with_column(Table::Header, children, "UASC", &["0", "0", "0", "1"]);
        let mut d = Dataset::new(2026);
        d.add(episodes(), false).unwrap();
        d.add(header.clone(), false).unwrap();
        d.add(header_last, true).unwrap();
        assert_eq!(run(&d, "164"), [("Episodes", 2), ("Episodes", 4)]);

        let mut d = Dataset::new(2026);
        d.add(episodes(), false).unwrap();
        d.add(header, false).unwrap();
        let uasc_last: &[&[(&str, &str)]] = &[&[("CHILD", "333"), ("DUC", "something")], &[("CHILD", "345")]];
        d.add(frame(Table::Uasc, uasc_last), true).unwrap();
        assert_eq!(run(&d, "164"), [("Episodes", 2), ("Episodes", 5)]);
    }

    #[test]
    fn rule_164_leaves_out_short_breaks() {
        let episodes: &[&[(&str, &str)]] = &[&[("CHILD", "1"), ("LS", "V3")], &[("CHILD", "1"), ("LS", "C2")]];
        let header = with_column(Table::Header, &[&[("CHILD", "1")]], "UASC", &["0"]);
        let mut d = Dataset::new(2026);
        d.add(
            with_column(Table::Episodes, episodes, "PL_DISTANCE", &["1000", "1000"]),
            false,
        )
        .unwrap();
        d.add(header, false).unwrap();
        for (follow, expected) in [
            (Follow::RuleText, &[("Episodes", 1)][..]),
            (Follow::Reference, &[("Episodes", 0), ("Episodes", 1)]),
        ] {
            assert_eq!(run(&following(&d, follow), "164"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_164_runs_only_when_some_year_says_who_is_uasc() {
        let d = dataset(2026)
            .table(Table::Episodes, &[&[("CHILD", "1")]])
            .table(Table::Header, &[&[("CHILD", "1")]])
            .done();
        assert!(!ran(&d, "164"));
        // Last year's UASC table names no one (the reference fails here).
        let d = dataset(2026)
            .table(Table::Episodes, &[&[("CHILD", "1")]])
            .table(Table::Header, &[&[("CHILD", "1")]])
            .last(Table::Uasc, &[])
            .done();
        assert!(ran(&d, "164"));
        assert_eq!(run(&d, "164"), []);
    }

    #[test]
    fn rule_165_mother_status_valid_for_girls_in_care() {
        // The reference's example, moved four years on (year starting 2020 to 2024).
        let oc3: &[&[(&str, &str)]] = &[
            &[("CHILD", "101")],
            &[("CHILD", "102")],
            &[("CHILD", "103")],
            &[("CHILD", "104")],
            &[("CHILD", "105")],
            &[("CHILD", "106")],
            &[("CHILD", "107")],
            &[("CHILD", "108"), ("IN_TOUCH", "YES"), ("ACTIV", "XXX")],
            &[("CHILD", "109"), ("ACCOM", "XXX")],
            &[("CHILD", "110")],
            &[("CHILD", "111")],
        ];
        let e = |child, decom, dec, ls| [("CHILD", child), ("DECOM", decom), ("DEC", dec), ("LS", ls)];
        let episodes = [
            e("101", "01/01/2024", "01/05/2024", "C2"),
            e("102", "11/01/2024", "11/05/2024", "C2"),
            e("103", "30/03/2024", "30/05/2024", "C2"),
            e("103", "30/03/2024", "30/05/2024", "C2"),
            e("104", "01/01/2024", "01/05/2024", "C2"),
            e("105", "11/05/2024", "11/08/2024", "C2"),
            e("105", "01/01/2024", "01/05/2024", "C2"),
            e("106", "22/01/2024", "22/05/2024", "C2"),
            e("107", "11/01/2024", "11/05/2024", "C2"),
            e("108", "22/01/2024", "22/05/2024", "C2"),
            e("109", "25/03/2024", "25/03/2024", "C2"),
            e("110", "01/01/2024", "01/05/2024", "V3"),
            e("110", "01/11/2025", "01/11/2025", "C2"),
            e("111", "01/11/2024", "01/11/2024", "V3"),
        ];
        let h = |child, sex, mother| [("CHILD", child), ("SEX", sex), ("MOTHER", mother)];
        let header = [
            h("101", "1", ""),
            h("102", "2", "0"),
            h("103", "2", "0"),
            h("104", "2", "1"),
            h("105", "2", ""),
            h("106", "2", "2"),
            h("107", "1", "1"),
            h("108", "2", ""),
            h("109", "2", ""),
            h("110", "2", "1"),
            h("111", "2", ""),
        ];
        let d = dataset(2025)
            .table(Table::Header, &rows_of(&header))
            .table(Table::Episodes, &rows_of(&episodes))
            .table(Table::Oc3, oc3)
            .done();
        // In 2025 sex is M/F: following the rule text, 1 and 2 are neither, so only
        // the invalid MOTHER value (106) fails; the reference still reads 1/2.
        let header_and_oc3 = |rows: &[usize]| -> Vec<(&str, usize)> {
            let header = rows.iter().map(|&r| ("Header", r));
            header.chain(rows.iter().map(|&r| ("OC3", r))).collect()
        };
        for (follow, expected) in [(Follow::RuleText, [5].as_slice()), (Follow::Reference, &[4, 5, 6, 7])] {
            let found = run(&following(&d, follow), "165");
            assert_eq!(found, header_and_oc3(expected), "{follow:?}");
        }
    }

    #[test]
    fn rule_165_reads_sex_as_m_and_f_from_2025_and_never_matches_blank_ids() {
        let episode = |child| [("CHILD", child), ("DECOM", "01/06/2024"), ("LS", "C2")];
        let episodes = [episode("201"), episode("202"), episode("")];
        let h = |child, sex, mother| [("CHILD", child), ("SEX", sex), ("MOTHER", mother)];
        // A boy with MOTHER given, a girl in care without it, and a row with no CHILD
        // and an invalid MOTHER that only the reference links to the episode with none.
        let header = [h("201", "M", "1"), h("202", "F", ""), h("", "F", "7")];
        let oc3 = [[("CHILD", "201")], [("CHILD", "202")], [("CHILD", "")]];
        let d = dataset(2025)
            .table(Table::Header, &rows_of(&header))
            .table(Table::Episodes, &rows_of(&episodes))
            .table(Table::Oc3, &rows_of(&oc3))
            .done();
        for (follow, expected) in [
            (
                Follow::RuleText,
                &[("Header", 0), ("Header", 1), ("OC3", 0), ("OC3", 1)][..],
            ),
            (Follow::Reference, &[("Header", 2), ("OC3", 2)]),
        ] {
            assert_eq!(run(&following(&d, follow), "165"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_166_review_date_must_be_a_date() {
        let values = ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", ""];
        let d = one_column(2026, Table::Reviews, "REVIEW", &values);
        assert_eq!(run(&d, "166"), [("Reviews", 2), ("Reviews", 3), ("Reviews", 4)]);
    }

    #[test]
    fn rule_167_participation_code_goes_with_a_review() {
        let rows = [
            [("REVIEW", "01/02/2020"), ("REVIEW_CODE", "pr0")],
            [("REVIEW", "31/03/2020"), ("REVIEW_CODE", "child too young")],
            [("REVIEW", "12/12/2019"), ("REVIEW_CODE", "PN3")],
            [("REVIEW", "05/07/2020"), ("REVIEW_CODE", "")],
            [("REVIEW", ""), ("REVIEW_CODE", "")],
            [("REVIEW", ""), ("REVIEW_CODE", "pn1")],
        ];
        let d = dataset(2026).table(Table::Reviews, &rows_of(&rows)).done();
        assert_eq!(
            run(&d, "167"),
            [("Reviews", 0), ("Reviews", 1), ("Reviews", 3), ("Reviews", 5)]
        );
    }

    #[test]
    fn rule_168_upn_format() {
        let values = [
            "UN3",
            "E07295962325C1556",
            "UN5",
            "UN7",
            "UPN3sDSG",
            "X06805040829A",
            "5035247309594",
            "",
            "L086819786126",
            "K06014812931",
            "J000947841350156",
            "M0940709",
            "I072272729588",
            "N075491517151",
            "Z041674136429",
            "E043016488226",
            "S074885779408",
        ];
        let d = one_column(2026, Table::Header, "UPN", &values);
        let rows: Vec<usize> = run(&d, "168").into_iter().map(|(_, r)| r).collect();
        assert_eq!(rows, [1, 3, 4, 6, 9, 10, 11, 12, 16]);
        // Python's \d takes any decimal digit, and $ a final newline.
        let d = one_column(
            2026,
            Table::Header,
            "UPN",
            &["A12345678901\u{665}", "A\u{ff11}23456789012", "UN1\n", "UN1 "],
        );
        assert_eq!(run(&d, "168"), [("Header", 3)]);
    }

    #[test]
    fn rules_169_and_179_placement_area_unknown_unless_a_short_break() {
        let rows: &[&[(&str, &str)]] = &[
            &[("LS", "C2")],
            &[("LS", "C2")],
            &[("LS", "C2")],
            &[("LS", "V3")],
            &[("LS", "V4")],
        ];
        for (code, column, values) in [
            ("169", "PL_LA", ["NIR", "E03934134", "", "", ""]),
            ("179", "PL_LOCATION", ["IN", "OUT", "", "", ""]),
        ] {
            let mut d = Dataset::new(2026);
            d.add(with_column(Table::Episodes, rows, column, &values), false)
                .unwrap();
            assert_eq!(run(&d, code), [("Episodes", 2)], "{code}");
        }
        // Without the postcode lookup every episode but a short break is flagged.
        let d = dataset(2026).table(Table::Episodes, rows).done();
        assert_eq!(run(&d, "169"), [("Episodes", 0), ("Episodes", 1), ("Episodes", 2)]);
    }

    #[test]
    fn rule_171_mothers_child_dob_if_given_must_be_a_date() {
        let values = ["01/01/2021", "19/02/2010", "38/04/2019", "01/01/19", ""];
        let d = one_column(2026, Table::Header, "MC_DOB", &values);
        assert_eq!(run(&d, "171"), [("Header", 2), ("Header", 3)]);
    }

    #[test]
    fn rule_174_no_mothers_child_for_a_boy() {
        let mc_dob = ["", "19/02/2010", "", "19/02/2010", "", "19/02/2010"];
        let rows = |sexes: [&'static str; 6]| -> Vec<[(&'static str, &'static str); 2]> {
            sexes
                .iter()
                .zip(mc_dob)
                .map(|(s, m)| [("SEX", *s), ("MC_DOB", m)])
                .collect()
        };
        let d = dataset(2024)
            .table(Table::Header, &rows_of(&rows(["1", "1", "2", "2", "1", "1"])))
            .done();
        assert_eq!(run(&d, "174"), [("Header", 1), ("Header", 5)]);
        let d = dataset(2025)
            .table(Table::Header, &rows_of(&rows(["M", "M", "F", "F", "M", "1"])))
            .done();
        assert_eq!(run(&d, "174"), [("Header", 1)]);
    }

    #[test]
    fn rules_175_to_177_adopter_codes_if_given() {
        // The reference's examples as read from a CSV: upper-cased, "" blank.
        let d = one_column(2026, Table::Ad1, "NB_ADOPTR", &["0", "1", "2", "1", "2", "0", "", ""]);
        assert_eq!(run(&d, "175"), [("AD1", 0), ("AD1", 5)]);
        let d = one_column(2026, Table::Ad1, "SEX_ADOPTR", &["m1", "F1", "MM", "1", "", ""]);
        assert_eq!(run(&d, "176"), [("AD1", 3)]);
        let d = one_column(2026, Table::Ad1, "LS_ADOPTR", &["L0", "L11", "L1", "l2", "", ""]);
        assert_eq!(run(&d, "177"), [("AD1", 2)]);
    }

    #[test]
    fn rule_178_provider_code_valid_and_not_for_placements_without_one() {
        let providers = ["PR0", "PR1", "", "", "", "", "pr4", "PR5", "", "PR5", "PR1"];
        let places = ["U1", "T0", "U2", "Z1", "T1", "", "U1", "Z14", "Z11", "z12", "Z1"];
        let rows: Vec<[(&str, &str); 2]> = providers
            .iter()
            .zip(places)
            .map(|(p, l)| [("PLACE_PROVIDER", *p), ("PLACE", l)])
            .collect();
        let d = dataset(2025).table(Table::Episodes, &rows_of(&rows)).done();
        assert_eq!(run(&d, "178"), [("Episodes", 1), ("Episodes", 10)]);
        let d = dataset(2026).table(Table::Episodes, &rows_of(&rows)).done();
        assert_eq!(run(&d, "178"), [("Episodes", 1), ("Episodes", 7), ("Episodes", 9)]);
    }

    #[test]
    fn rule_180_sdq_score_is_a_whole_number_to_40() {
        let values = [
            "10", "41", "58", "72", "0", "40", "39.5", "20.0", "", "XX", " 7", "+5", "1e1", "-0", "inf",
        ];
        let d = one_column(2026, Table::Oc2, "SDQ_SCORE", &values);
        let rows: Vec<usize> = run(&d, "180").into_iter().map(|(_, r)| r).collect();
        assert_eq!(rows, [1, 2, 3, 6, 9, 14]);
    }

    #[test]
    fn rule_181_oc2_items_are_0_or_1() {
        let rows = [
            ["1", "1", "1", "1", "1", "0", "0", "1"],
            ["", "", "", "", "", "", "", ""],
            ["", "", "", "0", "1", "0", "1", ""],
            ["2", "2", "", "", "", "1", "1", "0"],
            ["2", "2", "2", "2", "2", "2", "2", "2"],
        ];
        let rows: Vec<Vec<(&str, &str)>> = rows
            .iter()
            .map(|values| super::OC2_FIELDS.iter().copied().zip(values.iter().copied()).collect())
            .collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
        let d = dataset(2026).table(Table::Oc2, &rows).done();
        assert_eq!(run(&d, "181"), [("OC2", 3), ("OC2", 4)]);
    }

    #[test]
    fn rule_182_health_items_complete_when_others_given() {
        let fields = [
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "CONVICTED",
            "HEALTH_CHECK",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ];
        let rows = [
            ["", "", "", "", "", "", "", ""],
            ["", "", "", "", "1", "", "", ""],
            ["", "", "", "", "", "1", "", ""],
            ["1", "1", "1", "", "", "", "1", ""],
            ["", "", "", "", "", "", "", "1"],
            ["1", "1", "1", "1", "1", "1", "1", "1"],
            ["", "1", "", "1", "1", "1", "1", "1"],
            ["1", "1", "1", "1", "", "", "", ""],
            // Some of the four and nothing else: flagged only following the rule text.
            ["1", "", "", "", "", "", "", ""],
        ];
        let rows: Vec<Vec<(&str, &str)>> = rows
            .iter()
            .map(|values| fields.iter().copied().zip(values.iter().copied()).collect())
            .collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
        let d = dataset(2026).table(Table::Oc2, &rows).done();
        for (follow, expected) in [
            (Follow::RuleText, &[1, 2, 3, 4, 6, 8][..]),
            (Follow::Reference, &[1, 2, 3, 4, 6]),
        ] {
            let found: Vec<usize> = run(&following(&d, follow), "182").into_iter().map(|(_, r)| r).collect();
            assert_eq!(found, expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_184_placement_decision_not_before_birth() {
        let header: &[&[(&str, &str)]] = &[
            &[("CHILD", "111"), ("DOB", "01/10/2017")],
            &[("CHILD", "112"), ("DOB", "31/05/2018")],
            &[("CHILD", "113"), ("DOB", "10/03/2019")],
            &[("CHILD", "114"), ("DOB", "19/08/2020")],
        ];
        // PlacedAdoption's own DOB is the one compared, as in the reference.
        let placed: &[&[(&str, &str)]] = &[
            &[("CHILD", "111"), ("DOB", "01/10/2017"), ("DATE_PLACED", "01/10/2017")],
            &[("CHILD", "112"), ("DOB", "31/05/2018"), ("DATE_PLACED", "10/02/2019")],
            &[("CHILD", "113"), ("DOB", "10/03/2019"), ("DATE_PLACED", "10/02/2019")],
            &[("CHILD", "114"), ("DOB", "19/08/2020")],
            &[("CHILD", "111"), ("DATE_PLACED", "01/10/2017")],
        ];
        let d = dataset(2026)
            .table(Table::Header, header)
            .table(Table::PlacedAdoption, placed)
            .done();
        assert_eq!(run(&d, "184"), [("PlacedAdoption", 2), ("PlacedAdoption", 4)]);
        let d = dataset(2026).table(Table::PlacedAdoption, placed).done();
        assert!(!ran(&d, "184"));
    }

    fn looked_after_with(oc2: &[&[(&str, &str)]]) -> Dataset {
        dataset(2025)
            .table(Table::Episodes, &rows_of(LOOKED_AFTER_EPISODES))
            .table(Table::Oc2, oc2)
            .done()
    }

    #[test]
    fn rule_185_sdq_score_only_for_children_looked_after_continuously() {
        // The reference's example, its children 3 and 8 named 3333 and 8888 as in
        // the shared episodes.
        let d = looked_after_with(&[
            &[("CHILD", "999999"), ("SDQ_SCORE", "!!!!!")],
            &[("CHILD", "1")],
            &[("CHILD", "2"), ("SDQ_SCORE", "OO")],
            &[("CHILD", "3333"), ("SDQ_SCORE", "!!")],
            &[("CHILD", "9999")],
            &[("CHILD", "8888"), ("SDQ_SCORE", "!!")],
        ]);
        assert_eq!(run(&d, "185"), [("OC2", 0), ("OC2", 3), ("OC2", 5)]);
    }

    #[test]
    fn rule_186_sdq_needed_for_children_4_to_16_looked_after_continuously() {
        let e = |child, decom, dec, ls, rec, rne| cla_episode(child, decom, dec, ls, rec, rne);
        let episodes = [
            e("1", "31/03/2024", "31/12/2024", "C2", "X1", "O"),
            e("1", "31/12/2024", "", "C2", "", "O"),
            e("2", "31/03/2024", "", "C2", "", "O"),
            e("3", "31/03/2024", "", "C2", "", "O"),
            e("4", "31/03/2024", "", "C2", "", "O"),
            e("5", "31/03/2024", "", "C2", "", "O"),
            e("6", "31/03/2024", "", "C2", "", "O"),
            e("7", "31/05/2024", "", "C2", "", "S"),
            e("8", "31/03/2024", "30/03/2025", "C2", "E4A", "O"),
            e("9", "31/03/2024", "", "V4", "", "O"),
        ];
        let oc2 = [
            [
                ("CHILD", "1"),
                ("DOB", "01/04/2014"),
                ("SDQ_SCORE", "10"),
                ("SDQ_REASON", "SDQ1"),
            ],
            [
                ("CHILD", "2"),
                ("DOB", "01/04/2014"),
                ("SDQ_SCORE", "1O"),
                ("SDQ_REASON", ""),
            ],
            [
                ("CHILD", "3"),
                ("DOB", "01/04/2014"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", "SDQ2"),
            ],
            [
                ("CHILD", "4"),
                ("DOB", "01/04/2014"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", ""),
            ],
            [
                ("CHILD", "5"),
                ("DOB", "01/04/2004"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", ""),
            ],
            [
                ("CHILD", "6"),
                ("DOB", "01/04/2022"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", ""),
            ],
            [
                ("CHILD", "7"),
                ("DOB", "01/04/2014"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", ""),
            ],
            [
                ("CHILD", "8"),
                ("DOB", "01/04/2014"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", ""),
            ],
            [
                ("CHILD", "9"),
                ("DOB", "01/04/2014"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", ""),
            ],
            [
                ("CHILD", "10"),
                ("DOB", "01/04/2014"),
                ("SDQ_SCORE", ""),
                ("SDQ_REASON", ""),
            ],
        ];
        let d = dataset(2025)
            .table(Table::Episodes, &rows_of(&episodes))
            .table(Table::Oc2, &rows_of(&oc2))
            .done();
        assert_eq!(run(&d, "186"), [("OC2", 3)]);
    }

    #[test]
    fn rule_187_no_adoption_or_care_leaver_data_when_looked_after_continuously() {
        let mut episodes = LOOKED_AFTER_EPISODES.to_vec();
        episodes.extend([
            cla_episode("9", "05/04/2024", "", "O", "XX", "S"),
            cla_episode("10", "", "05/04/2024", "O", "XX", "S"),
            cla_episode("11", "", "05/04/2024", "V3", "", "S"),
        ]);
        let oc3 = [
            ("9999999999", "OK"),
            ("1", "!!!"),
            ("2", ""),
            ("3333", "OK"),
            ("99999999", ""),
            ("8888", ""),
            ("5", ""),
            ("9", "XX"),
            ("10", "XX"),
            ("11", "XX"),
        ]
        .map(|(child, in_touch)| [("CHILD", child), ("IN_TOUCH", in_touch)]);
        let ad1 = [
            ("1", ""),
            ("2", ""),
            ("3333", "OK"),
            ("7777", "OK"),
            ("99999999", ""),
            ("8888", ""),
            ("5", "!!!"),
            ("9", "XX"),
            ("10", "XX"),
            ("11", "XX"),
        ]
        .map(|(child, date_int)| [("CHILD", child), ("DATE_INT", date_int)]);
        let d = dataset(2025)
            .table(Table::Episodes, &rows_of(&episodes))
            .table(Table::Oc3, &rows_of(&oc3))
            .table(Table::Ad1, &rows_of(&ad1))
            .done();
        assert_eq!(run(&d, "187"), [("AD1", 6), ("OC3", 1)]);
    }

    #[test]
    fn rules_188_and_189_no_sdq_under_4_or_17_and_over() {
        // The reference's examples, moved 44 years on (year ending 1981 to 2025).
        let oc2 = [
            ("01/01/2014", "OK"),
            ("01/01/2024", "!!!"),
            ("01/01/2014", ""),
            ("31/03/2021", "OK"),
            ("01/04/2021", "!!!"),
        ]
        .map(|(dob, score)| [("DOB", dob), ("SDQ_SCORE", score)]);
        let d = dataset(2025).table(Table::Oc2, &rows_of(&oc2)).done();
        assert_eq!(run(&d, "188"), [("OC2", 1), ("OC2", 4)]);
        let oc2 = [
            ("01/04/2006", "!!!"),
            ("02/04/2007", "OK"),
            ("01/01/2014", ""),
            ("31/03/2004", ""),
            ("01/04/2007", "OK"),
        ]
        .map(|(dob, score)| [("DOB", dob), ("SDQ_SCORE", score)]);
        let d = dataset(2025).table(Table::Oc2, &rows_of(&oc2)).done();
        assert_eq!(run(&d, "189"), [("OC2", 0)]);
    }

    #[test]
    fn rule_190_oc2_items_blank_unless_looked_after_continuously() {
        let d = looked_after_with(&[
            &[("CHILD", "9999999999"), ("CONVICTED", "!!!")],
            &[("CHILD", "1"), ("CONVICTED", "OK")],
            &[("CHILD", "2")],
            &[("CHILD", "3333")],
            &[("CHILD", "99999999")],
            &[("CHILD", "8888"), ("CONVICTED", "!!!")],
            &[("CHILD", "5"), ("CONVICTED", "OK")],
        ]);
        assert_eq!(run(&d, "190"), [("OC2", 0), ("OC2", 5)]);
    }

    #[test]
    fn rule_191_oc2_health_items_needed_when_looked_after_continuously() {
        let row = |child, immunisations| {
            [
                ("CHILD", child),
                ("IMMUNISATIONS", immunisations),
                ("HEALTH_CHECK", "FILLED IN!"),
                ("CONVICTED", "FILLED IN!"),
                ("TEETH_CHECK", "FILLED IN!"),
                ("HEALTH_ASSESSMENT", "FILLED IN!"),
                ("SUBSTANCE_MISUSE", "FILLED IN!"),
                ("INTERVENTION_RECEIVED", "FILLED IN!"),
                ("INTERVENTION_OFFERED", "FILLED IN!"),
            ]
        };
        let oc2 = [
            row("9999999999", "OK"),
            row("1", ""),
            row("2", "OK"),
            row("3333", ""),
            row("99999999", ""),
            row("8888", "OK"),
            row("5", ""),
        ];
        let d = looked_after_with(&rows_of(&oc2));
        assert_eq!(run(&d, "191"), [("Episodes", 3), ("OC2", 1), ("OC2", 6)]);
    }

    #[test]
    fn rule_192_intervention_received_given_for_substance_misuse() {
        let rows = [("0", "0"), ("", ""), ("0", "1"), ("1", "1"), ("1", ""), ("1", "")]
            .map(|(misuse, received)| [("SUBSTANCE_MISUSE", misuse), ("INTERVENTION_RECEIVED", received)]);
        let d = dataset(2026).table(Table::Oc2, &rows_of(&rows)).done();
        assert_eq!(run(&d, "192"), [("OC2", 4), ("OC2", 5)]);
    }
}
