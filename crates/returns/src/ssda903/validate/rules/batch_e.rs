//! Rules translated from the DfE validator (see the list in `mod.rs`).

use super::*;
use crate::ssda903::tables::Table;
use crate::ssda903::validate::pandas::{
    blank_last, merge_groups_by_child, offset_years, pandas_ne, same_child_pairs, sorted_by_child,
};
use crate::ssda903::validate::{Col, Frame};
use hashbrown::HashMap;
use jiff::civil::Date;

/// Rules here where Pathways follows the DfE's rule text and the reference does not.
pub(super) const CORRECTIONS: &[Correction] = &[
    Correction {
        code: "560",
        rule_text: "This year's date of the decision to place for adoption must be the same day as last year's, however the two dates are written.",
        reference: "Compares the dates as written, so 1/2/2016 this year and 01/02/2016 last year count as different dates.",
    },
    Correction {
        code: "561",
        rule_text: "A decision dated the same day as last year's ceased decision fails, however the two dates are written.",
        reference: "Compares the dates as written, so 1/2/2016 and 01/02/2016 do not count as the same date.",
    },
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        code: "504",
        message: "The category of need code differs from that reported at start of current period of being looked after",
        fields: &["CIN"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_504,
    },
    Rule {
        code: "511",
        message: "If reporting that the number of person(s) adopting the looked after child is two adopters then the code should only be MM, FF or MF. MM = the adopting couple are both males; FF = the adopting couple are both females; MF = The adopting couple are male and female.",
        fields: &["NB_ADOPTR", "SEX_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_511,
    },
    Rule {
        code: "514",
        message: "Data entry on the legal status of adopters shows a single adopter but data entry for the numbers of adopters shows it as a couple.",
        fields: &["LS_ADOPTR", "SEX_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| adopters_sex_not_in(d, "L0", &["M1", "F1"]),
    },
    Rule {
        code: "516",
        message: "The episode data submitted for this child does not show that he/she was with their former foster carer(s) during the year.If the code in the reason episode ceased is E45 or E46 the child must have a placement code of U1 to U6.",
        fields: &["REC", "PLACE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_516,
    },
    Rule {
        code: "517",
        message: "If reporting legal status of adopters is L3 then the genders of adopters should be coded as MF. MF = the adopting couple are male and female.",
        fields: &["LS_ADOPTR", "SEX_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| adopters_sex_not_in(d, "L3", &["MF"]),
    },
    Rule {
        code: "518",
        message: "If reporting legal status of adopters is L4 then the genders of adopters should be coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple are both females.",
        fields: &["LS_ADOPTR", "SEX_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| adopters_sex_not_in(d, "L4", &["MM", "FF"]),
    },
    Rule {
        code: "519",
        message: "Data entered on the legal status of adopters shows civil partnership couple, but data entered on genders of adopters does not show it as a couple.",
        fields: &["LS_ADOPTR", "SEX_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| adopters_sex_not_in(d, "L2", &["MM", "FF", "MF"]),
    },
    Rule {
        code: "520",
        message: "Data entry on the legal status of adopters shows different gender married couple but data entry on genders of adopters shows it as a same gender couple.",
        fields: &["LS_ADOPTR", "SEX_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| adopters_sex_not_in(d, "L11", &["MF"]),
    },
    Rule {
        code: "521",
        message: "Date of local authority's decision (LA) that adoption is in the best interests of the child (date should be placed) must be on or prior to the date the child is placed for adoption.",
        fields: &["PLACE", "DECOM", "DATE_INT"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_521,
    },
    Rule {
        code: "522",
        message: "Date of decision that the child should be placed for adoption must be on or before the date that a child should no longer be placed for adoption.",
        fields: &["DATE_PLACED", "DATE_PLACED_CEASED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_522,
    },
    Rule {
        code: "523",
        message: "Date of decision that the child should be placed for adoption should be the same date as the decision that adoption is in the best interest (date should be placed).",
        fields: &["DATE_PLACED", "DATE_INT"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_523,
    },
    Rule {
        code: "524",
        message: "If reporting legal status of adopters is L12 then the genders of adopters should be coded as MM or FF. MM = the adopting couple are both males. FF = the adopting couple are both females",
        fields: &["LS_ADOPTR", "SEX_ADOPTR"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| adopters_sex_not_in(d, "L12", &["MM", "FF"]),
    },
    Rule {
        code: "525",
        message: "A child for whom the decision to be placed for adoption has been reversed cannot be adopted during the year.",
        fields: &[
            "DATE_PLACED_CEASED",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_525,
    },
    Rule {
        code: "526",
        message: "Child is missing a placement provider code for at least one episode.",
        fields: &["PLACE", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, 2025),
        check: |d| provider_missing_unless(d, &["T0", "T1", "T2", "T3", "T4", "Z1"]),
    },
    Rule {
        code: "526",
        message: "Child is missing a placement provider code for at least one episode.",
        fields: &["PLACE", "PLACE_PROVIDER"],
        years: (2026, ONWARDS),
        check: |d| provider_missing_unless(d, &["T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"]),
    },
    Rule {
        code: "527",
        message: "A placement provider code of PR1 cannot be associated with placements P1, R2 or R5.",
        fields: &["PLACE", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| provider_with_place(d, "PR1", &["P1", "R2", "R5"]),
    },
    Rule {
        code: "528",
        message: "A placement provider code of PR2 cannot be associated with placements P1, R2 or R5.",
        fields: &["PLACE", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| provider_with_place(d, "PR2", &["P1", "R2", "R5"]),
    },
    Rule {
        code: "529",
        message: "Placement provider code of PR3 cannot be associated with placements P1, A3 to A6, K1, K2 and U1 to U6 as these placements cannot be provided by other public organisations.",
        fields: &["PLACE", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| provider_with_place(d, "PR3", PLACES_529),
    },
    Rule {
        code: "530",
        message: "A placement provider code of PR4 cannot be associated with placement P1.",
        fields: &["PLACE", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| provider_with_place(d, "PR4", &["P1"]),
    },
    Rule {
        code: "531",
        message: "A placement provider code of PR5 cannot be associated with placements P1.",
        fields: &["PLACE", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| provider_with_place(d, "PR5", &["P1"]),
    },
    Rule {
        code: "542",
        message: "A child aged under 10 at 31 March should not have conviction information completed.",
        fields: &["CONVICTED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_542,
    },
    Rule {
        code: "543",
        message: "Child is aged 10 or over at 31 March and has been looked after continuously for 12 months yet conviction information has not been completed.",
        fields: &["DOB", "CONVICTED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_543,
    },
    Rule {
        code: "544",
        message: "Any child who has conviction information completed must also have immunisation, teeth check, health assessment and substance misuse problem identified fields completed.",
        fields: &[
            "CONVICTED",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| health_fields_missing(d, "CONVICTED"),
    },
    Rule {
        code: "545",
        message: "Child is aged under 5 at 31 March and has been looked after continuously for 12 months yet health promotion information has not been completed.",
        fields: &["DOB", "HEALTH_CHECK"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_545,
    },
    Rule {
        code: "546",
        message: "Children aged 5 or over at 31 March should not have health promotion information completed.",
        fields: &["DOB", "HEALTH_CHECK"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_546,
    },
    Rule {
        code: "547",
        message: "Any child who has health promotion information completed must also have immunisation, teeth check, health assessment and substance misuse problem identified fields completed.",
        fields: &[
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| health_fields_missing(d, "HEALTH_CHECK"),
    },
    Rule {
        code: "550",
        message: "A placement provider code of PR0 can only be associated with placement P1.",
        fields: &["PLACE", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_550,
    },
    Rule {
        code: "551",
        message: "Child has been placed for adoption but there is no date of the decision that the child should be placed for adoption.",
        fields: &["DATE_PLACED", "PLACE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_551,
    },
    Rule {
        code: "552",
        message: "Date of Decision to place a child for adoption should be on or prior to the date that the child was placed for adoption.",
        fields: &["DATE_PLACED", "DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_552,
    },
    Rule {
        code: "553",
        message: "Placement order has been granted but there is no date of decision that the child should be placed for adoption.",
        fields: &["CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| order_without_placed_adoption(d, "E1"),
    },
    Rule {
        code: "554",
        message: "Date of decision that the child should be placed for adoption should be on or prior to the date that the placement order was granted. [NOTE: This rule may result in false positives or false negatives if relevant episodes are in previous years; please check carefully!]",
        fields: &["DATE_PLACED", "DECOM", "LS"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_554,
    },
    Rule {
        code: "555",
        message: "Freeing order has been granted but there is no date of decision that the child should be placed for adoption.",
        fields: &["CHILD", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"],
        years: (FIRST_YEAR, 2024),
        check: |d| order_without_placed_adoption(d, "D1"),
    },
    Rule {
        code: "556",
        message: "Date of decision that the child should be placed for adoption should be on or prior to the date that the freeing order was granted.",
        fields: &["DATE_PLACED", "DECOM"],
        years: (FIRST_YEAR, 2024),
        check: rule_556,
    },
    Rule {
        code: "557",
        message: "Child for whom the decision was made that they should be placed for adoption has left care but was not adopted and information on the decision that they should no longer be placed for adoption items has not been completed.",
        fields: &["DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "PLACE", "LS", "REC"],
        years: (FIRST_YEAR, 2024),
        check: |d| left_care_with_adoption_decision_open(d, &["D1", "E1"]),
    },
    Rule {
        code: "557",
        message: "Child for whom the decision was made that they should be placed for adoption has left care but was not adopted and information on the decision that they should no longer be placed for adoption items has not been completed.",
        fields: &["DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "PLACE", "LS", "REC"],
        years: (2025, ONWARDS),
        check: |d| left_care_with_adoption_decision_open(d, &["E1"]),
    },
    Rule {
        code: "558",
        message: "If a child has been adopted, then the decision to place them for adoption has not been disrupted and the date of the decision that a child should no longer be placed for adoption should be left blank.",
        fields: &["DATE_PLACED_CEASED", "REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_558,
    },
    Rule {
        code: "559",
        message: "Date of decision that a child should be placed for adoption was not in the current year but the date of the decision that the child should be placed for adoption was not completed in a previous return.",
        fields: &["DATE_PLACED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_559,
    },
    Rule {
        code: "560",
        message: "Date of decision that the child should be placed for adoption this year is different from that recorded last year but the decision to place the child for adoption did not change.",
        fields: &["DATE_PLACED", "DATE_PLACED_CEASED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_560,
    },
    Rule {
        code: "561",
        message: "Date of the decision that the child should be placed for adoption this year is the same as that recorded last year but records show that the decision changed, and the child should no longer be placed for adoption last year.",
        fields: &["DATE_PLACED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_561,
    },
    Rule {
        code: "562",
        message: "Episode commenced before the start of the current collection year but there is a missing continuous episode in the previous year.",
        fields: &["DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_562,
    },
    Rule {
        code: "563",
        message: "The child should no longer be placed for adoption but the date of the decision that the child should be placed for adoption is blank",
        fields: &["DATE_PLACED", "REASON_PLACED_CEASED", "DATE_PLACED_CEASED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_563,
    },
    Rule {
        code: "564",
        message: "Child was missing or away from placement without authorisation and the date started is blank.",
        fields: &["MISSING", "MIS_START"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_564,
    },
    Rule {
        code: "565",
        message: "The date that the child started to be missing or away from placement without authorisation has been completed but whether the child was missing or away from placement without authorisation has not been completed.",
        fields: &["MISSING", "MIS_START"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_565,
    },
    Rule {
        code: "566",
        message: "The date that the child's episode of being missing or away from placement without authorisation ended has been completed but whether the child was missing or away without authorisation has not been completed.",
        fields: &["MISSING", "MIS_END"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_566,
    },
    Rule {
        code: "567",
        message: "The date that the missing episode or episode that the child was away from placement without authorisation ended is before the date that it started.",
        fields: &["MIS_START", "MIS_END"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_567,
    },
    Rule {
        code: "570",
        message: "The date that the child started to be missing or away from placement without authorisation is after the end of the collection year.",
        fields: &["MIS_START"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_570,
    },
    Rule {
        code: "571",
        message: "The date that the child ceased to be missing or away from placement without authorisation is before the start or after the end of the collection year.",
        fields: &["MIS_END"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_571,
    },
    Rule {
        code: "574",
        message: "A new missing/away from placement without authorisation period cannot start when the previous missing/away from placement without authorisation period is still open. Missing/away from placement without authorisation periods should also not overlap.",
        fields: &["MIS_START", "MIS_END"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_574,
    },
    Rule {
        code: "575",
        message: "If the placement from which the child goes missing/away from placement without authorisation ends, the missing/away from placement without authorisation period in the missing module must also have an end date.",
        fields: &["MIS_END"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_575,
    },
    Rule {
        code: "576",
        message: "There is an open missing/away from placement without authorisation period in last year’s return and there is no corresponding period recorded at the start of this year.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_576,
    },
    Rule {
        code: "577",
        message: "Child ceased to be looked after but there is a missing/away from placement without authorisation period without an end date.",
        fields: &["MIS_END"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_577,
    },
    Rule {
        code: "578",
        message: "The date that the child started to be missing is after the child ceased to be looked after.",
        fields: &["MIS_START"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_578,
    },
    Rule {
        code: "579",
        message: "A new decision that the child should be placed for adoption this year cannot start when the previous decision is still open. Decisions to place the child for adoption should also not overlap. The date of any new decision to place the child for adoption must not be before the date placed ceased of previous decisions.",
        fields: &["DATE_PLACED", "DATE_PLACED_CEASED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_579,
    },
    Rule {
        code: "580",
        message: "Child is missing when cease being looked after but reason episode ceased not ‘E8’.",
        fields: &["REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_580,
    },
];

// ---- Helpers shared by the rules below ----

/// Placements for adoption.
const ADOPTION_PLACEMENTS: &[&str] = &["A3", "A4", "A5", "A6"];

/// Placements provider PR3 (other public bodies) cannot provide (rule 529).
const PLACES_529: &[&str] = &[
    "A3", "A4", "A5", "A6", "K1", "K2", "P1", "U1", "U2", "U3", "U4", "U5", "U6",
];

/// OC2 rows of children looked after continuously for the year for which
/// `fails(birthday, given)` holds, `birthday` being their `years`th birthday and
/// `given` whether `field` is filled in.
fn looked_after_oc2(d: &Dataset, years: i16, field: &str, fails: impl Fn(Date, bool) -> bool) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let cla = continuously_looked_after(d, d.this(Table::Episodes)?);
    let (dob, answer) = (oc2.col("DOB"), oc2.col(field));
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| {
            looked_after_in(oc2, r, &cla)
                && oc2
                    .date(r, dob)
                    .and_then(|born| offset_years(born, years))
                    .is_some_and(|birthday| fails(birthday, oc2.get(r, answer).is_some()))
        }),
    )
}

/// 574, 579: the rows of `order` that start while the child's previous row (in
/// `order`) has no valid `end` date, or before that date.
fn starts_before_previous_ended(frame: &Frame, order: &[usize], start: Col, end: Col) -> Vec<usize> {
    let mut rows: Vec<usize> = same_child_pairs(frame, order)
        .into_iter()
        .filter(|&(prev, cur)| match frame.date(prev, end) {
            None => true,
            Some(ended) => frame.date(cur, start).is_some_and(|began| began < ended),
        })
        .map(|(_, cur)| cur)
        .collect();
    rows.sort_unstable();
    rows
}

// ---- The rules ----

/// 504: an episode starting the day an X1 episode (change of placement only) ended
/// must keep the earlier episode's category of need (CIN).
fn rule_504(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let (decom, dec, rec, cin) = (epi.col("DECOM"), epi.col("DEC"), epi.col("REC"), epi.col("CIN"));
    let order = sorted_by_child(epi, |r| blank_last(epi.date(r, decom)));
    let mut rows: Vec<usize> = same_child_pairs(epi, &order)
        .into_iter()
        .filter(|&(prev, cur)| {
            epi.get(prev, rec) == Some("X1")
                && epi.date(prev, dec).is_some_and(|end| epi.date(cur, decom) == Some(end))
                && pandas_ne(epi.get(cur, cin), epi.get(prev, cin))
        })
        .map(|(_, cur)| cur)
        .collect();
    rows.sort_unstable();
    flag(Table::Episodes, rows)
}

/// 511: two adopters (NB_ADOPTR 2) cannot have a single adopter's sex code (M1, F1).
fn rule_511(d: &Dataset) -> Outcome {
    let ad1 = d.this(Table::Ad1)?;
    let (number, sex) = (ad1.col("NB_ADOPTR"), ad1.col("SEX_ADOPTR"));
    flag(
        Table::Ad1,
        ad1.rows()
            .filter(|&r| ad1.get(r, number) == Some("2") && is_in(ad1.get(r, sex), &["M1", "F1"])),
    )
}

/// 514, 517, 518, 519, 520, 524: adopters of legal status `status` must have one of
/// the sex codes `sexes` (a blank sex code fails).
fn adopters_sex_not_in(d: &Dataset, status: &str, sexes: &[&str]) -> Outcome {
    let ad1 = d.this(Table::Ad1)?;
    let (legal, sex) = (ad1.col("LS_ADOPTR"), ad1.col("SEX_ADOPTR"));
    flag(
        Table::Ad1,
        ad1.rows()
            .filter(|&r| ad1.get(r, legal) == Some(status) && !is_in(ad1.get(r, sex), sexes)),
    )
}

/// 516: an episode ending E45 or E46 (staying with former foster carers) must be a
/// U1 to U6 placement.
fn rule_516(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let (rec, place) = (epi.col("REC"), epi.col("PLACE"));
    flag(
        Table::Episodes,
        epi.rows().filter(|&r| {
            is_in(epi.get(r, rec), &["E45", "E46"]) && !is_in(epi.get(r, place), &["U1", "U2", "U3", "U4", "U5", "U6"])
        }),
    )
}

/// 521: the date the council decided adoption is in the child's best interests
/// (DATE_INT) must be on or before the start of a placement for adoption.
fn rule_521(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let ad1 = d.this(Table::Ad1)?;
    let (place, decom) = (epi.col("PLACE"), epi.col("DECOM"));
    let date_int = ad1.col("DATE_INT");
    let decisions = merge_groups_by_child(ad1);
    let (mut episodes, mut ad1_rows) = (Vec::new(), Vec::new());
    for ep in epi.rows() {
        let Some(placed) = epi
            .date(ep, decom)
            .filter(|_| is_in(epi.get(ep, place), ADOPTION_PLACEMENTS))
        else {
            continue;
        };
        for &ad in decisions.get(&epi.child(ep)).into_iter().flatten() {
            if ad1.date(ad, date_int).is_some_and(|decided| decided > placed) {
                episodes.push(ep);
                ad1_rows.push(ad);
            }
        }
    }
    flag_both((Table::Episodes, episodes), (Table::Ad1, ad1_rows))
}

/// 522: the date the decision to place for adoption ceased cannot be before the
/// date of that decision.
fn rule_522(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let (placed, ceased) = (pa.col("DATE_PLACED"), pa.col("DATE_PLACED_CEASED"));
    flag(
        Table::PlacedAdoption,
        pa.rows()
            .filter(|&r| matches!((pa.date(r, ceased), pa.date(r, placed)), (Some(c), Some(p)) if c < p)),
    )
}

/// 523: the date of the decision to place for adoption (DATE_PLACED) must be the
/// date adoption was decided to be in the child's best interests (DATE_INT).
fn rule_523(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let ad1 = d.this(Table::Ad1)?;
    let (placed, date_int) = (pa.col("DATE_PLACED"), ad1.col("DATE_INT"));
    let mut decided: HashMap<Option<&str>, Vec<(usize, Date)>> = HashMap::new();
    for ad in ad1.rows() {
        if let Some(date) = ad1.date(ad, date_int) {
            decided.entry(ad1.child(ad)).or_default().push((ad, date));
        }
    }
    let (mut pa_rows, mut ad1_rows) = (Vec::new(), Vec::new());
    for row in pa.rows() {
        let Some(date) = pa.date(row, placed) else { continue };
        for &(ad, best_interests) in decided.get(&pa.child(row)).into_iter().flatten() {
            if best_interests != date {
                pa_rows.push(row);
                ad1_rows.push(ad);
            }
        }
    }
    flag_both((Table::PlacedAdoption, pa_rows), (Table::Ad1, ad1_rows))
}

/// 525: a child whose decision to be placed for adoption was reversed
/// (DATE_PLACED_CEASED) cannot have adoption details in AD1.
fn rule_525(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let ad1 = d.this(Table::Ad1)?;
    let ceased = pa.col("DATE_PLACED_CEASED");
    let details: Vec<Col> = [
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ]
    .iter()
    .map(|c| ad1.col(c))
    .collect();
    let adoptions = merge_groups_by_child(ad1);
    let (mut pa_rows, mut ad1_rows) = (Vec::new(), Vec::new());
    for row in pa.rows().filter(|&r| pa.get(r, ceased).is_some()) {
        for &ad in adoptions.get(&pa.child(row)).into_iter().flatten() {
            if details.iter().any(|&c| ad1.get(ad, c).is_some()) {
                pa_rows.push(row);
                ad1_rows.push(ad);
            }
        }
    }
    flag_both((Table::PlacedAdoption, pa_rows), (Table::Ad1, ad1_rows))
}

/// 526: every episode needs a placement provider code unless its placement is one
/// of `exempt`.
fn provider_missing_unless(d: &Dataset, exempt: &[&str]) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let (place, provider) = (epi.col("PLACE"), epi.col("PLACE_PROVIDER"));
    flag(
        Table::Episodes,
        epi.rows()
            .filter(|&r| !is_in(epi.get(r, place), exempt) && epi.get(r, provider).is_none()),
    )
}

/// 527 to 531: placement provider `provider` cannot provide the placements `places`.
fn provider_with_place(d: &Dataset, provider: &str, places: &[&str]) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let (place, by) = (epi.col("PLACE"), epi.col("PLACE_PROVIDER"));
    flag(
        Table::Episodes,
        epi.rows()
            .filter(|&r| is_in(epi.get(r, place), places) && epi.get(r, by) == Some(provider)),
    )
}

/// 542: a child under 10 on 31 March should have no conviction information.
fn rule_542(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let (dob, convicted) = (oc2.col("DOB"), oc2.col("CONVICTED"));
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| {
            oc2.date(r, dob)
                .and_then(|born| offset_years(born, 10))
                .is_some_and(|tenth| tenth > d.collection_end)
                && oc2.get(r, convicted).is_some()
        }),
    )
}

/// 543: a child aged 10 or over on 31 March, looked after continuously for the
/// year, needs conviction information.
fn rule_543(d: &Dataset) -> Outcome {
    looked_after_oc2(d, 10, "CONVICTED", |tenth, given| d.collection_end > tenth && !given)
}

/// 544, 547: a child with `field` answered 1 needs immunisations, teeth check,
/// health assessment and substance misuse answered too.
fn health_fields_missing(d: &Dataset, field: &str) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let answer = oc2.col(field);
    let needed: Vec<Col> = ["IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"]
        .iter()
        .map(|c| oc2.col(c))
        .collect();
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| oc2.get(r, answer) == Some("1") && needed.iter().any(|&c| oc2.get(r, c).is_none())),
    )
}

/// 545: a child under 5 on 31 March, looked after continuously for the year, needs
/// health promotion information (HEALTH_CHECK).
fn rule_545(d: &Dataset) -> Outcome {
    looked_after_oc2(d, 5, "HEALTH_CHECK", |fifth, given| d.collection_end < fifth && !given)
}

/// 546: a child aged 5 or over on 31 March, looked after continuously for the
/// year, should have no health promotion information (HEALTH_CHECK).
fn rule_546(d: &Dataset) -> Outcome {
    looked_after_oc2(d, 5, "HEALTH_CHECK", |fifth, given| d.collection_end >= fifth && given)
}

/// 550: placement provider PR0 (the council) can only be given with placement P1.
fn rule_550(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let (place, provider) = (epi.col("PLACE"), epi.col("PLACE_PROVIDER"));
    flag(
        Table::Episodes,
        epi.rows()
            .filter(|&r| epi.get(r, place) != Some("P1") && epi.get(r, provider) == Some("PR0")),
    )
}

/// 551: a child placed for adoption needs the date of the decision that they
/// should be placed for adoption (DATE_PLACED) in each of their PlacedAdoption rows.
fn rule_551(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let pa = d.this(Table::PlacedAdoption)?;
    let (place, placed) = (epi.col("PLACE"), pa.col("DATE_PLACED"));
    let decisions = merge_groups_by_child(pa);
    flag(
        Table::Episodes,
        epi.rows().filter(|&r| {
            is_in(epi.get(r, place), ADOPTION_PLACEMENTS)
                && decisions
                    .get(&epi.child(r))
                    .is_none_or(|rows| rows.iter().any(|&p| pa.get(p, placed).is_none()))
        }),
    )
}

/// 552: the latest decision to place for adoption (DATE_PLACED) must be on or
/// before the start of the child's first placement for adoption.
fn rule_552(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let epi = d.this(Table::Episodes)?;
    let (placed, place, decom) = (pa.col("DATE_PLACED"), epi.col("PLACE"), epi.col("DECOM"));
    let latest = extreme_by_child(pa, pa.rows(), |r| pa.date(r, placed), Extreme::Latest);
    let adoptions = epi.rows().filter(|&r| is_in(epi.get(r, place), ADOPTION_PLACEMENTS));
    let first = extreme_by_child(epi, adoptions, |r| epi.date(r, decom), Extreme::Earliest);
    let (mut pa_rows, mut episodes) = (Vec::new(), Vec::new());
    for (child, (ep, start)) in first {
        if let Some(&(decision, decided)) = latest.get(child)
            && start < decided
        {
            pa_rows.push(decision);
            episodes.push(ep);
        }
    }
    flag_both((Table::PlacedAdoption, pa_rows), (Table::Episodes, episodes))
}

/// 553 (`status` E1, placement order) and 555 (D1, freeing order): a child with
/// such an episode needs a PlacedAdoption record, and while the episode is open
/// that record cannot say the decision ceased.
fn order_without_placed_adoption(d: &Dataset, status: &str) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let pa = d.this(Table::PlacedAdoption)?;
    let (ls, dec) = (epi.col("LS"), epi.col("DEC"));
    let (ceased, reason) = (pa.col("DATE_PLACED_CEASED"), pa.col("REASON_PLACED_CEASED"));
    let decisions = merge_groups_by_child(pa);
    let (mut episodes, mut pa_rows) = (Vec::new(), Vec::new());
    for ep in epi.rows().filter(|&r| epi.get(r, ls) == Some(status)) {
        match decisions.get(&epi.child(ep)) {
            None => episodes.push(ep),
            Some(rows) if epi.get(ep, dec).is_none() => pa_rows.extend(
                rows.iter()
                    .filter(|&&p| pa.get(p, ceased).is_some() || pa.get(p, reason).is_some()),
            ),
            Some(_) => {}
        }
    }
    flag_both((Table::Episodes, episodes), (Table::PlacedAdoption, pa_rows))
}

/// 554: the decision to place for adoption (DATE_PLACED) must be on or before the
/// start of the child's first E1 (placement order) episode.
// Reference quirk: a child whose E1 episodes all lack a valid DECOM makes the
// reference fail (idxmin of no dates); here that child is left out.
fn rule_554(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let pa = d.this(Table::PlacedAdoption)?;
    let (ls, decom, placed) = (epi.col("LS"), epi.col("DECOM"), pa.col("DATE_PLACED"));
    let orders = epi.rows().filter(|&r| epi.get(r, ls) == Some("E1"));
    let first = extreme_by_child(epi, orders, |r| epi.date(r, decom), Extreme::Earliest);
    let decisions = merge_groups_by_child(pa);
    let (mut episodes, mut pa_rows) = (Vec::new(), Vec::new());
    for (child, (ep, start)) in first {
        for &p in decisions.get(&Some(child)).into_iter().flatten() {
            if pa.date(p, placed).is_some_and(|decided| decided > start) {
                episodes.push(ep);
                pa_rows.push(p);
            }
        }
    }
    flag_both((Table::Episodes, episodes), (Table::PlacedAdoption, pa_rows))
}

/// 556: the decision to place for adoption (DATE_PLACED) must be on or before the
/// freeing order was granted (the start of a D1 episode).
fn rule_556(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let pa = d.this(Table::PlacedAdoption)?;
    let (ls, decom, placed) = (epi.col("LS"), epi.col("DECOM"), pa.col("DATE_PLACED"));
    let decisions = merge_groups_by_child(pa);
    flag(
        Table::Episodes,
        epi.rows().filter(|&r| {
            let Some(start) = epi.date(r, decom).filter(|_| epi.get(r, ls) == Some("D1")) else {
                return false;
            };
            decisions
                .get(&epi.child(r))
                .into_iter()
                .flatten()
                .any(|&p| pa.date(p, placed).is_some_and(|decided| decided > start))
        }),
    )
}

/// 557: a child placed for adoption, or under an order in `orders`, who left care
/// other than by adoption needs the decision to place for adoption recorded as
/// ceased (DATE_PLACED_CEASED and REASON_PLACED_CEASED).
fn left_care_with_adoption_decision_open(d: &Dataset, orders: &[&str]) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let pa = d.this(Table::PlacedAdoption)?;
    let (place, ls, rec) = (epi.col("PLACE"), epi.col("LS"), epi.col("REC"));
    let (ceased, reason) = (pa.col("DATE_PLACED_CEASED"), pa.col("REASON_PLACED_CEASED"));
    let decisions = merge_groups_by_child(pa);
    let (mut episodes, mut pa_rows) = (Vec::new(), Vec::new());
    for ep in epi.rows() {
        let placed = is_in(epi.get(ep, place), ADOPTION_PLACEMENTS) || is_in(epi.get(ep, ls), orders);
        let not_adopted = epi.get(ep, rec).is_some_and(|r| !["E11", "E12", "X1"].contains(&r));
        if !(placed && not_adopted) {
            continue;
        }
        let Some(rows) = decisions.get(&epi.child(ep)) else {
            episodes.push(ep);
            continue;
        };
        for &p in rows {
            if pa.get(p, ceased).is_none() || pa.get(p, reason).is_none() {
                episodes.push(ep);
                pa_rows.push(p);
            }
        }
    }
    flag_both((Table::Episodes, episodes), (Table::PlacedAdoption, pa_rows))
}

/// 558: an adopted child (REC E11 or E12) whose decisions to place for adoption
/// all have a DATE_PLACED_CEASED fails when there is more than one.
// Reference quirk: it counts pairs of adoption episode and PlacedAdoption row, so
// two E11/E12 episodes with one ceased decision also fail.
fn rule_558(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let pa = d.this(Table::PlacedAdoption)?;
    let (rec, ceased) = (epi.col("REC"), pa.col("DATE_PLACED_CEASED"));
    let mut adopted: HashMap<&str, Vec<usize>> = HashMap::new();
    for r in epi.rows().filter(|&r| is_in(epi.get(r, rec), &["E11", "E12"])) {
        if let Some(child) = epi.child(r) {
            adopted.entry(child).or_default().push(r);
        }
    }
    let decisions = merge_groups_by_child(pa);
    let mut rows = Vec::new();
    for (child, episodes) in adopted {
        let Some(ceased_rows) = decisions.get(&Some(child)) else {
            continue;
        };
        if ceased_rows.iter().all(|&p| pa.get(p, ceased).is_some()) && episodes.len() * ceased_rows.len() > 1 {
            rows.extend(episodes);
        }
    }
    flag(Table::Episodes, rows)
}

/// 559: a decision to place for adoption made before this year (DATE_PLACED before
/// 1 April) must have its date in last year's return.
fn rule_559(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let last = d.last(Table::PlacedAdoption)?;
    let (placed, placed_last) = (pa.col("DATE_PLACED"), last.col("DATE_PLACED"));
    let last_rows = merge_groups_by_child(last);
    flag(
        Table::PlacedAdoption,
        pa.rows().filter(|&r| {
            pa.date(r, placed).is_some_and(|p| p < d.collection_start)
                && last_rows
                    .get(&pa.child(r))
                    .is_none_or(|rows| rows.iter().any(|&l| last.date(l, placed_last).is_none()))
        }),
    )
}

/// 560: while last year's decision to place for adoption had not ceased, this
/// year's date of that decision (DATE_PLACED) must be the same as last year's.
// Reference bug (corrected unless Follow::Reference): the dates are compared as
// written, so 1/5/2024 differs from 01/05/2024; the rule text asks whether the
// date of the decision "is different from that recorded last year".
fn rule_560(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let last = d.last(Table::PlacedAdoption)?;
    let placed = pa.col("DATE_PLACED");
    let (placed_last, ceased_last) = (last.col("DATE_PLACED"), last.col("DATE_PLACED_CEASED"));
    let last_rows = merge_groups_by_child(last);
    flag(
        Table::PlacedAdoption,
        pa.rows().filter(|&r| {
            last_rows.get(&pa.child(r)).into_iter().flatten().any(|&l| {
                last.get(l, placed_last).is_some()
                    && last.get(l, ceased_last).is_none()
                    && !same_written_date(d.follow, pa.get(r, placed), last.get(l, placed_last))
            })
        }),
    )
}

/// 561: a decision to place for adoption this year with the same date as last
/// year's cannot follow one that ceased last year.
// Reference bug (corrected unless Follow::Reference): the dates are compared as
// written, so 1/5/2024 differs from 01/05/2024; the rule text asks whether the
// date "is the same as that recorded last year".
fn rule_561(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let last = d.last(Table::PlacedAdoption)?;
    let placed = pa.col("DATE_PLACED");
    let (placed_last, ceased_last, reason_last) = (
        last.col("DATE_PLACED"),
        last.col("DATE_PLACED_CEASED"),
        last.col("REASON_PLACED_CEASED"),
    );
    let last_rows = merge_groups_by_child(last);
    flag(
        Table::PlacedAdoption,
        pa.rows().filter(|&r| {
            last_rows.get(&pa.child(r)).into_iter().flatten().any(|&l| {
                same_written_date(d.follow, pa.get(r, placed), last.get(l, placed_last))
                    && (last.get(l, reason_last).is_some() || last.get(l, ceased_last).is_some())
            })
        }),
    )
}

/// 562: a child's first episode starting before this year must continue last
/// year's return: it must start on the date of their latest episode last year.
// Reference quirk: a child whose episodes last year all lack a valid DECOM makes
// the reference fail (idxmax of no dates); here that child has no latest episode.
fn rule_562(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let last = d.last(Table::Episodes)?;
    let (decom, decom_last) = (epi.col("DECOM"), last.col("DECOM"));
    let before = epi
        .rows()
        .filter(|&r| epi.date(r, decom).is_some_and(|s| s < d.collection_start));
    let first = extreme_by_child(epi, before, |r| epi.date(r, decom), Extreme::Earliest);
    let latest_last = extreme_by_child(last, last.rows(), |r| last.date(r, decom_last), Extreme::Latest);
    flag(
        Table::Episodes,
        first
            .into_iter()
            .filter(|(child, (_, start))| latest_last.get(child).map(|&(_, date)| date) != Some(*start))
            .map(|(_, (row, _))| row),
    )
}

/// 563: a decision to place for adoption that ceased (DATE_PLACED_CEASED and
/// REASON_PLACED_CEASED given) needs the date of the decision (DATE_PLACED).
fn rule_563(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let (placed, ceased, reason) = (
        pa.col("DATE_PLACED"),
        pa.col("DATE_PLACED_CEASED"),
        pa.col("REASON_PLACED_CEASED"),
    );
    flag(
        Table::PlacedAdoption,
        pa.rows()
            .filter(|&r| pa.get(r, reason).is_some() && pa.get(r, ceased).is_some() && pa.get(r, placed).is_none()),
    )
}

/// 564: a missing or away-from-placement period (MISSING M or A) needs its start
/// date.
fn rule_564(d: &Dataset) -> Outcome {
    let mis = d.this(Table::Missing)?;
    let (missing, start) = (mis.col("MISSING"), mis.col("MIS_START"));
    flag(
        Table::Missing,
        mis.rows()
            .filter(|&r| is_in(mis.get(r, missing), &["M", "A", "m", "a"]) && mis.get(r, start).is_none()),
    )
}

/// 565: a missing period with a start date must say whether the child was
/// missing or away without authorisation (MISSING).
fn rule_565(d: &Dataset) -> Outcome {
    missing_without(d, "MIS_START")
}

/// 566: a missing period with an end date must say whether the child was missing
/// or away without authorisation (MISSING).
fn rule_566(d: &Dataset) -> Outcome {
    missing_without(d, "MIS_END")
}

/// 565, 566: rows with `date` given but MISSING blank.
fn missing_without(d: &Dataset, date: &str) -> Outcome {
    let mis = d.this(Table::Missing)?;
    let (missing, date) = (mis.col("MISSING"), mis.col(date));
    flag(
        Table::Missing,
        mis.rows()
            .filter(|&r| mis.get(r, date).is_some() && mis.get(r, missing).is_none()),
    )
}

/// 567: a missing period cannot end before it started.
fn rule_567(d: &Dataset) -> Outcome {
    let mis = d.this(Table::Missing)?;
    let (start, end) = (mis.col("MIS_START"), mis.col("MIS_END"));
    flag(
        Table::Missing,
        mis.rows()
            .filter(|&r| matches!((mis.date(r, start), mis.date(r, end)), (Some(s), Some(e)) if s > e)),
    )
}

/// 570: a missing period cannot start after the end of the collection year.
fn rule_570(d: &Dataset) -> Outcome {
    let mis = d.this(Table::Missing)?;
    let start = mis.col("MIS_START");
    flag(
        Table::Missing,
        mis.rows()
            .filter(|&r| mis.date(r, start).is_some_and(|s| s > d.collection_end)),
    )
}

/// 571: a missing period cannot end before or after the collection year.
fn rule_571(d: &Dataset) -> Outcome {
    let mis = d.this(Table::Missing)?;
    let end = mis.col("MIS_END");
    flag(
        Table::Missing,
        mis.rows().filter(|&r| {
            mis.date(r, end)
                .is_some_and(|e| e < d.collection_start || e > d.collection_end)
        }),
    )
}

/// 574: a child's missing period cannot start while the previous one is still
/// open, and periods cannot overlap.
fn rule_574(d: &Dataset) -> Outcome {
    let mis = d.this(Table::Missing)?;
    let (start, end) = (mis.col("MIS_START"), mis.col("MIS_END"));
    let order = sorted_by_child(mis, |r| {
        let began = mis.date(r, start);
        (blank_last(mis.date(r, end).or(began)), blank_last(began))
    });
    flag(Table::Missing, starts_before_previous_ended(mis, &order, start, end))
}

/// 575: a missing period that started during an episode that has ended must have
/// an end date.
fn rule_575(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let mis = d.this(Table::Missing)?;
    let (decom, dec) = (epi.col("DECOM"), epi.col("DEC"));
    let (start, end) = (mis.col("MIS_START"), mis.col("MIS_END"));
    let episodes = merge_groups_by_child(epi);
    flag(
        Table::Missing,
        mis.rows().filter(|&r| {
            let Some(began) = mis.date(r, start).filter(|_| mis.get(r, end).is_none()) else {
                return false;
            };
            episodes.get(&mis.child(r)).into_iter().flatten().any(|&e| {
                epi.date(e, decom).is_some_and(|from| from <= began) && epi.date(e, dec).is_some_and(|to| to >= began)
            })
        }),
    )
}

/// 576: an open missing period in last year's return must continue this year: the
/// child's first missing period this year must start on the same date.
fn rule_576(d: &Dataset) -> Outcome {
    let mis = d.this(Table::Missing)?;
    let last = d.last(Table::Missing)?;
    let start = mis.col("MIS_START");
    let (start_last, end_last) = (last.col("MIS_START"), last.col("MIS_END"));
    // The reference puts a period without a start date on 1 January 2099.
    let undated = jiff::civil::date(2099, 1, 1);
    let first = extreme_by_child(
        mis,
        mis.rows(),
        |r| Some(mis.date(r, start).unwrap_or(undated)),
        Extreme::Earliest,
    );
    let last_rows = merge_groups_by_child(last);
    flag(
        Table::Missing,
        first.into_iter().filter_map(|(child, (row, began))| {
            let open_elsewhere = last_rows
                .get(&Some(child))
                .into_iter()
                .flatten()
                .any(|&l| last.get(l, end_last).is_none() && last.date(l, start_last).is_some_and(|s| s != began));
            open_elsewhere.then_some(row)
        }),
    )
}

/// 577: a missing period must fit a period of care: it cannot end outside the
/// period, or stay open once the period has ended or when it started before it.
/// Flagged when it fits none of the child's periods of care.
fn rule_577(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let mis = d.this(Table::Missing)?;
    let (start, end) = (mis.col("MIS_START"), mis.col("MIS_END"));
    let periods = periods_of_care(epi);
    flag(
        Table::Missing,
        mis.rows().filter(|&r| {
            let (Some(began), ended) = (mis.date(r, start), mis.date(r, end)) else {
                return false;
            };
            periods.get(&mis.child(r)).is_some_and(|periods| {
                periods.iter().all(|&(from, to)| match (ended, to) {
                    (None, Some(_)) => true,
                    (None, None) => began < from,
                    (Some(ended), to) => to.is_some_and(|to| ended > to) || ended < from,
                })
            })
        }),
    )
}

/// 578: a missing period cannot start before the child's period of care began or
/// after it ended. Flagged when it fits none of the child's periods of care.
fn rule_578(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let mis = d.this(Table::Missing)?;
    let start = mis.col("MIS_START");
    let periods = periods_of_care(epi);
    flag(
        Table::Missing,
        mis.rows().filter(|&r| {
            let began = mis.date(r, start);
            periods.get(&mis.child(r)).is_some_and(|periods| {
                periods
                    .iter()
                    .all(|&(from, to)| began.is_some_and(|b| b < from || to.is_some_and(|to| b > to)))
            })
        }),
    )
}

/// 579: a child's decision to place for adoption cannot start while the previous
/// one is still open, nor before the previous one ceased.
fn rule_579(d: &Dataset) -> Outcome {
    let pa = d.this(Table::PlacedAdoption)?;
    let (placed, ceased) = (pa.col("DATE_PLACED"), pa.col("DATE_PLACED_CEASED"));
    let order = sorted_by_child(pa, |r| blank_last(pa.date(r, placed)));
    flag(
        Table::PlacedAdoption,
        starts_before_previous_ended(pa, &order, placed, ceased),
    )
}

/// 580: a child whose missing period ended on their 18th birthday, the day an
/// episode ended, must have left care with reason E8 on that episode.
fn rule_580(d: &Dataset) -> Outcome {
    let epi = d.this(Table::Episodes)?;
    let mis = d.this(Table::Missing)?;
    let (dec, rec) = (epi.col("DEC"), epi.col("REC"));
    let (dob, end) = (mis.col("DOB"), mis.col("MIS_END"));
    let episodes = merge_groups_by_child(epi);
    let mut rows = Vec::new();
    for m in mis.rows() {
        let Some(ended) = mis.date(m, end) else { continue };
        if mis.date(m, dob).and_then(|born| offset_years(born, 18)) != Some(ended) {
            continue;
        }
        rows.extend(
            episodes
                .get(&mis.child(m))
                .into_iter()
                .flatten()
                .filter(|&&e| epi.date(e, dec) == Some(ended) && epi.get(e, rec) != Some("E8")),
        );
    }
    flag(Table::Episodes, rows)
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{Build, dataset, ran, run};
    use crate::ssda903::tables::Table;
    use crate::ssda903::validate::{Dataset, Follow};

    const ADOPTERS: [&str; 2] = ["LS_ADOPTR", "SEX_ADOPTR"];

    /// Rows of `table` setting two columns, run through rule `code` (year 2026):
    /// the rows flagged.
    fn pairs(code: &str, table: Table, columns: [&str; 2], values: &[(&str, &str)]) -> Vec<usize> {
        let rows: Vec<[(&str, &str); 2]> = values
            .iter()
            .map(|&(a, b)| [(columns[0], a), (columns[1], b)])
            .collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(|r| &r[..]).collect();
        let d = dataset(2026).table(table, &rows).done();
        rows_flagged(&d, code)
    }

    /// Adds `table` to the return: `columns` names the columns, each row gives their
    /// values in that order (an empty value is blank).
    fn with(build: Build, table: Table, columns: &str, values: &[&[&str]]) -> Build {
        put(build, table, columns, values, false)
    }

    /// As `with`, for last year's `table`.
    fn with_last(build: Build, table: Table, columns: &str, values: &[&[&str]]) -> Build {
        put(build, table, columns, values, true)
    }

    fn put(build: Build, table: Table, columns: &str, values: &[&[&str]], last: bool) -> Build {
        let names: Vec<&str> = columns.split_whitespace().collect();
        let rows: Vec<Vec<(&str, &str)>> = values
            .iter()
            .map(|v| names.iter().copied().zip(v.iter().copied()).collect())
            .collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
        if last {
            build.last(table, &rows)
        } else {
            build.table(table, &rows)
        }
    }

    /// The row numbers rule `code` flags, whatever the table.
    fn rows_flagged(d: &Dataset, code: &str) -> Vec<usize> {
        run(d, code).into_iter().map(|(_, r)| r).collect()
    }

    /// [`rows_flagged`] when following `follow`.
    fn rows_flagged_as(d: &Dataset, follow: Follow, code: &str) -> Vec<usize> {
        let mut d = d.clone();
        d.follow = follow;
        rows_flagged(&d, code)
    }

    #[test]
    fn rule_504_category_of_need_kept_across_a_change_of_placement() {
        let rows: &[&[(&str, &str)]] = &[
            &[
                ("CHILD", "111"),
                ("DECOM", "01/06/2020"),
                ("DEC", "04/06/2020"),
                ("REC", "X1"),
                ("CIN", "N1"),
            ],
            &[
                ("CHILD", "111"),
                ("DECOM", "04/06/2020"),
                ("DEC", "06/06/2020"),
                ("REC", "X1"),
                ("CIN", "N2"),
            ],
            &[("CHILD", "111"), ("DECOM", "06/06/2020"), ("REC", "X1"), ("CIN", "N3")],
            &[
                ("CHILD", "111"),
                ("DECOM", "08/06/2020"),
                ("DEC", "09/06/2020"),
                ("REC", "X1"),
                ("CIN", "N2"),
            ],
            &[
                ("CHILD", "222"),
                ("DECOM", "10/06/2020"),
                ("DEC", "11/06/2020"),
                ("REC", "X1"),
                ("CIN", "N3"),
            ],
            &[
                ("CHILD", "333"),
                ("DECOM", "04/06/2020"),
                ("DEC", "07/06/2020"),
                ("REC", "X1"),
                ("CIN", "N4"),
            ],
            &[("CHILD", "333"), ("DECOM", "07/06/2020"), ("REC", "X1"), ("CIN", "N1")],
            &[
                ("CHILD", "444"),
                ("DECOM", "08/06/2020"),
                ("DEC", "09/06/2020"),
                ("REC", "X1"),
                ("CIN", "N2"),
            ],
            &[
                ("CHILD", "444"),
                ("DECOM", "08/06/2020"),
                ("DEC", "10/06/2020"),
                ("REC", "X1"),
                ("CIN", "N3"),
            ],
            &[("CHILD", "444"), ("DECOM", "10/06/2020"), ("REC", "X1"), ("CIN", "N4")],
        ];
        let d = dataset(2026).table(Table::Episodes, rows).done();
        assert_eq!(rows_flagged(&d, "504"), [1, 2, 6, 9]);
        // Rows out of order are sorted by date first; a blank CIN differs from any.
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "1"), ("DECOM", "05/06/2020"), ("REC", "X1")],
                    &[
                        ("CHILD", "1"),
                        ("DECOM", "01/06/2020"),
                        ("DEC", "05/06/2020"),
                        ("REC", "X1"),
                    ],
                ],
            )
            .done();
        assert_eq!(run(&d, "504"), [("Episodes", 0)]);
    }

    #[test]
    fn rule_511_two_adopters_need_a_couple_code() {
        let rows = [
            ("2", "MM"),
            ("2", "FF"),
            ("", "MM"),
            ("2", "M1"),
            ("2", "F1"),
            ("1", "F1"),
            ("2", "F1"),
            ("1", "F1"),
            ("2", ""),
        ];
        assert_eq!(pairs("511", Table::Ad1, ["NB_ADOPTR", "SEX_ADOPTR"], &rows), [3, 4, 6]);
    }

    #[test]
    fn rules_514_and_517_legal_status_decides_the_sex_codes() {
        let rows = [
            ("L0", "M1"),
            ("xx", "F1"),
            ("L0", "xx"),
            ("", ""),
            ("L0", "xxx"),
            ("L0", ""),
        ];
        assert_eq!(pairs("514", Table::Ad1, ADOPTERS, &rows), [2, 4, 5]);
        let rows = [
            ("L3", "MF"),
            ("L1", "MF"),
            ("", "MM"),
            ("L3", "M1"),
            ("L3", "FF"),
            ("L4", "F1"),
            ("L3", "xxxxx"),
        ];
        assert_eq!(pairs("517", Table::Ad1, ADOPTERS, &rows), [3, 4, 6]);
    }

    #[test]
    fn rule_516_staying_with_former_foster_carers_needs_a_u_placement() {
        let rows = [
            ("E45", "U1"),
            ("E46", "U2"),
            ("", "U3"),
            ("E45", "Z1"),
            ("E46", "S1"),
            ("E45", "R1"),
            ("E45", "U4"),
            ("E2", "K2"),
            ("E2", "K2"),
            ("E46", "T1"),
            ("E46", "U6"),
            ("E46", "xx"),
        ];
        assert_eq!(pairs("516", Table::Episodes, ["REC", "PLACE"], &rows), [3, 4, 5, 9, 11]);
    }

    #[test]
    fn rules_518_to_520_legal_status_decides_the_sex_codes() {
        let rows = [
            ("L4", "MM"),
            ("L4", "FF"),
            ("", "MM"),
            ("L4", "M1"),
            ("L4", "MF"),
            ("L1", "F1"),
            ("L4", "xxxxx"),
        ];
        assert_eq!(pairs("518", Table::Ad1, ADOPTERS, &rows), [3, 4, 6]);
        let rows = [
            ("L2", "MM"),
            ("L4", "FF"),
            ("", "MM"),
            ("L2", "M1"),
            ("L2", "MF"),
            ("L2", ""),
            ("L4", "xxxxx"),
        ];
        assert_eq!(pairs("519", Table::Ad1, ADOPTERS, &rows), [3, 5]);
        let rows = [
            ("L11", "MM"),
            ("L11", "FF"),
            ("", "MM"),
            ("L4", "M1"),
            ("L11", "MF"),
            ("L1", "F1"),
            ("L4", "xxxxx"),
            ("L11", ""),
        ];
        assert_eq!(pairs("520", Table::Ad1, ADOPTERS, &rows), [0, 1, 7]);
    }

    #[test]
    fn rule_521_best_interests_decision_before_placement_for_adoption() {
        let d = with(
            dataset(2026),
            Table::Ad1,
            "DATE_INT CHILD",
            &[
                &["08/03/2020", "111"],
                &["22/07/2020", "123"],
                &["13/10/2021", "333"],
                &["22/06/2020", "444"],
                &["", "678"],
            ],
        );
        let d = with(
            d,
            Table::Episodes,
            "CHILD DECOM PLACE",
            &[
                &["111", "01/01/2020", "A6"],
                &["111", "01/11/2020", "A5"],
                &["111", "22/01/2020", "X1"],
                &["123", "", "A5"],
                &["123", "11/01/2020", "X1"],
                &["333", "01/01/2020", "A6"],
                &["333", "22/01/2020", "X1"],
                &["333", "11/01/2020", "U1"],
                &["444", "22/06/2020", "A3"],
                &["444", "11/01/2020", "X1"],
                &["444", "01/01/2020", "A3"],
                &["678", "01/01/2020", "A4"],
            ],
        )
        .done();
        assert_eq!(
            run(&d, "521"),
            [
                ("AD1", 0),
                ("AD1", 2),
                ("AD1", 3),
                ("Episodes", 0),
                ("Episodes", 5),
                ("Episodes", 10)
            ]
        );
    }

    #[test]
    fn rule_522_decision_ceased_not_before_it_was_made() {
        let rows = [
            ("26/05/2000", "26/05/2000"),
            ("01/02/2003", "26/05/2000"),
            ("26/05/2000", ""),
            ("26/05/2000", "01/02/2003"),
            ("", "26/05/2000"),
        ];
        assert_eq!(
            pairs(
                "522",
                Table::PlacedAdoption,
                ["DATE_PLACED_CEASED", "DATE_PLACED"],
                &rows
            ),
            [3]
        );
    }

    #[test]
    fn rule_523_decision_to_place_on_the_best_interests_date() {
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            "DATE_PLACED CHILD",
            &[
                &["08/03/2020", "1"],
                &["22/06/2020", "2"],
                &["13/10/2022", "3"],
                &["24/10/2021", "4"],
                &["", "5"],
                &["", "6"],
                &["£1st/Februart", "7"],
                &["11/11/2020", "10"],
            ],
        );
        let d = with(
            d,
            Table::Ad1,
            "DATE_INT CHILD",
            &[
                &["08/03/2020", "1"],
                &["22/07/2020", "2"],
                &["13/10/2021", "3"],
                &["22/06/2020", "4"],
                &["26/05/2018", "5"],
                &["", "6"],
                &["01/10/2020", "7"],
                &["01/10/2020", "333"],
            ],
        )
        .done();
        assert_eq!(
            run(&d, "523"),
            [
                ("AD1", 1),
                ("AD1", 2),
                ("AD1", 3),
                ("PlacedAdoption", 1),
                ("PlacedAdoption", 2),
                ("PlacedAdoption", 3)
            ]
        );
    }

    #[test]
    fn rule_524_same_sex_couple_codes_for_l12() {
        let rows = [
            ("L12", "MM"),
            ("L12", "FF"),
            ("", "MM"),
            ("L12", "M1"),
            ("L12", "MF"),
            ("L4", "F1"),
            ("L12", "xxxxx"),
        ];
        assert_eq!(pairs("524", Table::Ad1, ADOPTERS, &rows), [3, 4, 6]);
    }

    #[test]
    fn rule_525_no_adoption_details_once_the_decision_is_reversed() {
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            "DATE_PLACED_CEASED CHILD",
            &[
                &["08/03/2020", "104"],
                &["22/06/2020", "105"],
                &["13/10/2022", "107"],
                &["24/10/2021", "108"],
                &["", "109"],
            ],
        );
        let d = with(
            d,
            Table::Ad1,
            "CHILD DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR",
            &[
                &["104", "", "", "", "", "", ""],
                &["105", "", "XXX", "", "", "", ""],
                &["107", "XXX", "XXX", "XXX", "XXX", "XXX", "XXX"],
                &["108", "", "", "", "", "", "XXX"],
                &["109", "XXX", "XXX", "XXX", "XXX", "XXX", "XXX"],
            ],
        )
        .done();
        assert_eq!(
            run(&d, "525"),
            [
                ("AD1", 1),
                ("AD1", 2),
                ("AD1", 3),
                ("PlacedAdoption", 1),
                ("PlacedAdoption", 2),
                ("PlacedAdoption", 3)
            ]
        );
    }

    #[test]
    fn rule_526_provider_needed_and_exempt_placements_changed_in_2026() {
        let rows = [
            ("E1", "PR1"),
            ("P0", "PR2"),
            ("T1", ""),
            ("T3", "PR0"),
            ("P1", ""),
            ("Z1", ""),
            ("P0", ""),
            ("Z14", ""),
        ];
        let rows: Vec<[(&str, &str); 2]> = rows
            .iter()
            .map(|&(a, b)| [("PLACE", a), ("PLACE_PROVIDER", b)])
            .collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(|r| &r[..]).collect();
        let d = dataset(2025).table(Table::Episodes, &rows).done();
        assert_eq!(rows_flagged(&d, "526"), [4, 6, 7]);
        let d = dataset(2026).table(Table::Episodes, &rows).done();
        assert_eq!(rows_flagged(&d, "526"), [4, 5, 6]);
    }

    #[test]
    fn rule_527_pr1_cannot_provide_p1_r2_r5() {
        let rows = [
            ("P1", "PR1"),
            ("A3", "PR3"),
            ("K1", "PR4"),
            ("R2", "PR1"),
            ("P1", "PR1"),
            ("X1", "PR1"),
        ];
        assert_eq!(
            pairs("527", Table::Episodes, ["PLACE", "PLACE_PROVIDER"], &rows),
            [0, 3, 4]
        );
    }

    #[test]
    fn rules_528_to_531_providers_and_the_placements_they_cannot_provide() {
        let columns = ["PLACE", "PLACE_PROVIDER"];
        let rows = [
            ("P1", "PR2"),
            ("A3", "PR3"),
            ("K1", "PR2"),
            ("P1", "PR4"),
            ("P1", "PR5"),
            ("R2", "PR2"),
        ];
        assert_eq!(pairs("528", Table::Episodes, columns, &rows), [0, 5]);
        let rows = [
            ("U1", "PR0"),
            ("U2", "PR1"),
            ("U3", "PR3"),
            ("T1", "PR3"),
            ("", ""),
            ("A3", "PR3"),
        ];
        assert_eq!(pairs("529", Table::Episodes, columns, &rows), [2, 5]);
        let rows = [
            ("P1", "PR4"),
            ("A3", "PR3"),
            ("K1", "PR4"),
            ("P1", "PR4"),
            ("P1", "PR5"),
            ("P1", "PRO"),
        ];
        assert_eq!(pairs("530", Table::Episodes, columns, &rows), [0, 3]);
        let rows = [
            ("P1", "PR5"),
            ("A3", "PR3"),
            ("K1", "PR4"),
            ("P1", "PR4"),
            ("P1", "PR5"),
            ("P1", "PRO"),
        ];
        assert_eq!(pairs("531", Table::Episodes, columns, &rows), [0, 4]);
    }

    #[test]
    fn rule_542_no_conviction_information_under_10() {
        // The reference's example, moved to the year ending 31 March 2026.
        let rows = [
            ("08/03/2026", "1"),
            ("22/06/2006", ""),
            ("", "1"),
            ("13/10/2006", "1"),
            ("10/01/2023", "1"),
        ];
        assert_eq!(pairs("542", Table::Oc2, ["DOB", "CONVICTED"], &rows), [0, 4]);
        // Tenth birthday on 31 March is not under 10; the day after is. A tenth
        // birthday past pandas' last date wraps round to 1677 in the reference.
        let rows = [
            ("31/03/2016", "0"),
            ("01/04/2016", "0"),
            ("12/04/2252", "0"),
            ("11/04/2252", "0"),
        ];
        assert_eq!(pairs("542", Table::Oc2, ["DOB", "CONVICTED"], &rows), [1, 3]);
    }

    /// The reference's episodes for its looked-after-continuously examples, moved
    /// 45 years on (to the year ending 31 March 2026).
    fn cla_episodes() -> Build {
        with(
            dataset(2026),
            Table::Episodes,
            "CHILD DECOM DEC LS REC RNE",
            &[
                &["101", "01/03/2025", "31/03/2026", "o", "X1", "o"],
                &["102", "01/03/2025", "30/03/2026", "o", "X1", "o"],
                &["103", "01/03/2025", "01/01/2026", "o", "X1", "o"],
                &["104", "01/02/2015", "", "o", "!!", "o"],
                &["105", "01/03/2024", "01/01/2026", "o", "X1", "o"],
                &["105", "01/01/2026", "01/01/2028", "o", "oo", "o"],
                &["106", "01/03/2025", "01/01/2027", "V3", "X1", "o"],
                &["107", "01/03/2025", "01/01/2027", "V3", "!!", "o"],
            ],
        )
    }

    #[test]
    fn rule_543_conviction_information_from_10_when_looked_after_all_year() {
        let d = with(
            cla_episodes(),
            Table::Oc2,
            "CHILD DOB CONVICTED",
            &[
                &["101", "08/03/2018", ""],
                &["102", "22/06/2013", ""],
                &["103", "", ""],
                &["104", "13/10/2013", "1"],
                &["105", "10/01/2011", ""],
                &["106", "01/01/2010", ""],
                &["107", "01/01/2010", ""],
                &["333", "01/01/2010", ""],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "543"), [1, 4]);
    }

    #[test]
    fn rules_544_and_547_health_answers_needed_with_conviction_or_health_check() {
        let d = with(
            dataset(2026),
            Table::Oc2,
            "CONVICTED IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT SUBSTANCE_MISUSE",
            &[
                &["", "", "", "", ""],
                &["1", "", "", "", ""],
                &["1", "", "1", "1", ""],
                &["1", "1", "1", "1", "1"],
                &["0", "", "", "", ""],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "544"), [1, 2]);
        let d = with(
            dataset(2026),
            Table::Oc2,
            "HEALTH_CHECK IMMUNISATIONS TEETH_CHECK HEALTH_ASSESSMENT SUBSTANCE_MISUSE",
            &[
                &["", "", "", "", ""],
                &["1", "", "", "", ""],
                &["1", "", "", "", ""],
                &["1", "1", "1", "0", "0"],
                &["1", "", "1", "1", ""],
                &["0", "", "", "", ""],
                &["1", "1", "1", "1", "1"],
                &["", "", "1", "0", "1"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "547"), [1, 2, 4]);
    }

    #[test]
    fn rule_545_health_promotion_under_5_when_looked_after_all_year() {
        let d = with(
            cla_episodes(),
            Table::Oc2,
            "CHILD DOB HEALTH_CHECK",
            &[
                &["101", "08/03/2018", ""],
                &["102", "22/06/2022", ""],
                &["103", "", ""],
                &["104", "13/10/2045", "1"],
                &["105", "10/01/2023", ""],
                &["106", "01/01/2023", ""],
                &["107", "01/01/2023", ""],
                &["333", "01/01/2023", ""],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "545"), [1, 4]);
    }

    #[test]
    fn rule_546_no_health_promotion_from_5_when_looked_after_all_year() {
        let d = with(
            dataset(2026),
            Table::Episodes,
            "CHILD DECOM DEC LS REC RNE",
            &[
                &["101", "01/03/2025", "31/03/2026", "o", "X1", "o"],
                &["102", "01/03/2025", "30/03/2026", "o", "X1", "o"],
                &["103", "01/03/2025", "01/01/2026", "V3", "X1", "o"],
                &["104", "01/02/2015", "", "o", "!!", "o"],
                &["105", "01/03/2024", "01/01/2026", "o", "X1", "o"],
            ],
        );
        let d = with(
            d,
            Table::Oc2,
            "CHILD DOB HEALTH_CHECK",
            &[
                &["101", "08/03/2008", "1"],
                &["102", "22/06/2002", "1"],
                &["103", "", ""],
                &["104", "13/10/2045", "1"],
                &["105", "10/01/1993", ""],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "546"), [0, 1]);
    }

    #[test]
    fn rule_550_pr0_only_with_p1() {
        let rows = [
            ("P1", "PR0"),
            ("P0", "PR2"),
            ("T1", "PR4"),
            ("T3", "PR0"),
            ("T1", ""),
            ("P1", "PR0"),
            ("P0", "PR0"),
            ("", "PR0"),
        ];
        assert_eq!(
            pairs("550", Table::Episodes, ["PLACE", "PLACE_PROVIDER"], &rows),
            [3, 6, 7]
        );
    }

    #[test]
    fn rule_551_placed_for_adoption_needs_the_decision_date() {
        let d = with(
            dataset(2026),
            Table::Episodes,
            "CHILD PLACE",
            &[
                &["0", "x"],
                &["A", "A3"],
                &["B", "A4"],
                &["C", "A5"],
                &["D", "A6"],
                &["E", "A3"],
                &["F", "A4"],
                &["G", "x"],
                &["H", "A3"],
                &["I", "A5"],
            ],
        );
        let d = with(
            d,
            Table::PlacedAdoption,
            "CHILD DATE_PLACED",
            &[
                &["A", ""],
                &["B", ""],
                &["C", ""],
                &["D", ""],
                &["E", "01/01/2020"],
                &["F", "15/04/2020"],
                &["G", ""],
                &["H", "28th Jan 1930"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "551"), [1, 2, 3, 4, 9]);
    }

    #[test]
    fn rule_552_latest_decision_on_or_before_the_first_adoption_placement() {
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            "DATE_PLACED CHILD",
            &[
                &["08/03/2020", "104"],
                &["22/06/2020", "105"],
                &["13/10/2022", "107"],
                &["24/10/2021", "108"],
                &["", "109"],
                &["", "110"],
                &["baddate/2021", "111"],
            ],
        );
        let d = with(
            d,
            Table::Episodes,
            "DECOM CHILD PLACE",
            &[
                &["08/03/2020", "104", "A3"],
                &["22/07/2020", "105", "A4"],
                &["13/10/2021", "107", "A6"],
                &["22/06/2020", "108", "D5"],
                &["26/05/2018", "109", "A3"],
                &["", "110", "A5"],
                &["01/02/2013", "111", "A4"],
            ],
        )
        .done();
        assert_eq!(run(&d, "552"), [("Episodes", 2), ("PlacedAdoption", 2)]);
    }

    #[test]
    fn rule_553_placement_order_needs_a_decision_to_place() {
        let d = with(
            dataset(2026),
            Table::Episodes,
            "CHILD LS DEC PLACE",
            &[
                &["111", "E1", "01/06/2020", "T3"],
                &["222", "E1", "05/06/2020", "P3"],
                &["333", "T1", "06/06/2020", "T3"],
                &["444", "E1", "", "T3"],
                &["555", "E1", "", "T3"],
                &["777", "E1", "", "T3"],
            ],
        );
        let d = with(
            d,
            Table::PlacedAdoption,
            "CHILD DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED",
            &[
                &["111", "01/06/2020", "01/06/2020", "A"],
                &["222", "01/06/2020", "01/06/2020", ""],
                &["333", "01/06/2020", "01/06/2020", "A"],
                &["123", "01/06/2020", "01/06/2020", "A"],
                &["555", "01/06/2020", "", "A"],
                &["777", "", "01/06/2020", ""],
            ],
        )
        .done();
        assert_eq!(
            run(&d, "553"),
            [("Episodes", 3), ("PlacedAdoption", 4), ("PlacedAdoption", 5)]
        );
    }

    #[test]
    fn rule_554_decision_on_or_before_the_first_placement_order() {
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            "CHILD DATE_PLACED",
            &[
                &["101", "26/05/2022"],
                &["102", ""],
                &["103", "26/05/2020"],
                &["104", "22/01/2020"],
                &["105", "11/01/2020"],
            ],
        );
        let d = with(
            d,
            Table::Episodes,
            "CHILD DECOM LS",
            &[
                &["101", "01/01/2020", "E1"],
                &["101", "11/01/2020", "T1"],
                &["101", "22/01/2020", "A3"],
                &["102", "11/01/2020", "A4"],
                &["102", "01/01/2020", "U1"],
                &["103", "01/01/2020", "U1"],
                &["103", "22/07/2020", "E1"],
                &["103", "11/01/2020", "T2"],
                &["104", "01/02/2016", "E1"],
                &["104", "11/01/2020", "X1"],
                &["104", "01/01/2020", "A3"],
                &["105", "11/01/2020", "E1"],
                &["105", "01/01/2020", ""],
                // The reference fails on an E1 child with no valid DECOM; left out here.
                &["101", "bad", "E1"],
                &["106", "", "E1"],
            ],
        )
        .done();
        assert_eq!(
            run(&d, "554"),
            [
                ("Episodes", 0),
                ("Episodes", 8),
                ("PlacedAdoption", 0),
                ("PlacedAdoption", 3)
            ]
        );
    }

    #[test]
    fn rule_555_freeing_order_needs_a_decision_to_place() {
        let d = with(
            dataset(2024),
            Table::Episodes,
            "CHILD LS DEC PLACE",
            &[
                &["111", "E1", "01/06/2020", "T3"],
                &["222", "D1", "05/06/2020", "P3"],
                &["333", "D1", "06/06/2020", "T3"],
                &["444", "D1", "", "T3"],
                &["555", "D1", "", "T3"],
                &["666", "D1", "", "T3"],
            ],
        );
        let d = with(
            d,
            Table::PlacedAdoption,
            "CHILD DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED",
            &[
                &["111", "01/06/2020", "01/06/2020", "A"],
                &["222", "01/06/2020", "01/06/2020", "A"],
                &["333", "01/06/2020", "01/06/2020", "A"],
                &["666", "01/06/2020", "", "A"],
                &["123", "01/06/2020", "01/06/2020", "A"],
                &["984", "", "01/06/2020", "A"],
            ],
        )
        .done();
        assert_eq!(
            run(&d, "555"),
            [("Episodes", 3), ("Episodes", 4), ("PlacedAdoption", 3)]
        );
        let later = with(dataset(2025), Table::Episodes, "CHILD", &[]);
        let later = with(later, Table::PlacedAdoption, "CHILD", &[]).done();
        assert!(!ran(&later, "555"), "555 ends with the year to March 2024");
    }

    #[test]
    fn rule_556_decision_on_or_before_the_freeing_order() {
        let d = with(
            dataset(2024),
            Table::Episodes,
            "CHILD LS DECOM",
            &[&["A", "C1", ""], &["B", "D1", "15/03/2020"], &["C", "D1", "15/03/2020"]],
        );
        let d = with(
            d,
            Table::PlacedAdoption,
            "CHILD DATE_PLACED",
            &[&["A", ""], &["B", "15/04/2020"], &["C", "15/02/2020"]],
        )
        .done();
        assert_eq!(rows_flagged(&d, "556"), [1]);
    }

    /// The reference's example for 557, with legal status `order` in rows 1 to 3.
    fn left_care_557(year: i16, order: &str, third_rec: &str) -> Dataset {
        let d = with(
            dataset(year),
            Table::Episodes,
            "CHILD PLACE LS REC",
            &[
                &["11", "A3", "x", "x"],
                &["202", "x", order, "x"],
                &["3003", "A4", order, "E12"],
                &["40004", "x", "E1", third_rec],
                &["5005", "A5", "x", "x"],
                &["606", "A6", "x", "x"],
                &["77", "x", "x", "x"],
                &["8", "A6", "x", "X1"],
            ],
        );
        with(
            d,
            Table::PlacedAdoption,
            "CHILD DATE_PLACED_CEASED REASON_PLACED_CEASED",
            &[
                &["11", "", ""],
                &["202", "01/02/2003", "invalid dont matter"],
                &["3003", "", ""],
                &["40004", "", ""],
                &["606", "", ""],
            ],
        )
        .done()
    }

    #[test]
    fn rule_557_left_care_unadopted_needs_the_decision_ceased_and_d1_dropped_in_2025() {
        let d = left_care_557(2024, "D1", "E12");
        assert_eq!(
            run(&d, "557"),
            [
                ("Episodes", 0),
                ("Episodes", 4),
                ("Episodes", 5),
                ("PlacedAdoption", 0),
                ("PlacedAdoption", 4)
            ]
        );
        let d = left_care_557(2025, "E1", "EEE");
        assert_eq!(
            run(&d, "557"),
            [
                ("Episodes", 0),
                ("Episodes", 3),
                ("Episodes", 4),
                ("Episodes", 5),
                ("PlacedAdoption", 0),
                ("PlacedAdoption", 3),
                ("PlacedAdoption", 4)
            ]
        );
        // From 2025 a D1 (freeing order) episode alone no longer counts.
        let d = with(
            dataset(2025),
            Table::Episodes,
            "CHILD LS REC",
            &[&["1", "D1", "E4"], &["2", "E1", "E4"]],
        );
        let d = with(d, Table::PlacedAdoption, "CHILD", &[&["9"]]).done();
        assert_eq!(run(&d, "557"), [("Episodes", 1)]);
    }

    #[test]
    fn rule_558_adopted_child_with_more_than_one_ceased_decision() {
        let d = with(
            dataset(2026),
            Table::Episodes,
            "CHILD REC",
            &[
                &["0", "x"],
                &["A", "E11"],
                &["B", "E12"],
                &["C", "E11"],
                &["D", "E12"],
                &["E", "E11"],
                &["F", "E12"],
                &["G", "E11"],
                &["H", "E11"],
                &["I", "E12"],
                // Quirk: two adoption episodes and one ceased decision make two pairs.
                &["J", "E11"],
                &["J", "E12"],
            ],
        );
        let d = with(
            d,
            Table::PlacedAdoption,
            "CHILD DATE_PLACED_CEASED",
            &[
                &["A", ""],
                &["B", ""],
                &["C", ""],
                &["D", "01/01/2020"],
                &["E", "01/01/2020"],
                &["F", "01/01/2020"],
                &["G", "15/04/2020"],
                &["H", ""],
                &["D", "28th Jan 1930"],
                &["E", "02/01/1930"],
                &["I", "01/01/1930"],
                &["I", "01/01/1930"],
                &["I", "02/01/1930"],
                &["I", ""],
                &["J", "01/01/2020"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "558"), [4, 5, 10, 11]);
    }

    #[test]
    fn rule_559_earlier_decision_must_be_in_last_years_return() {
        // The reference's example moved five years on (year starting 1 April 2025).
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            "CHILD DATE_PLACED",
            &[
                &["101", "26/05/2027"],
                &["102", "26/05/2026"],
                &["103", ""],
                &["104", "01/02/2021"],
                &["105", "26/05/2024"],
            ],
        );
        let d = with_last(
            d,
            Table::PlacedAdoption,
            "CHILD DATE_PLACED",
            &[
                &["101", "26/05/2005"],
                &["102", ""],
                &["103", "26/05/2005"],
                &["104", "01/02/2021"],
                &["105", ""],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "559"), [4]);
    }

    #[test]
    fn rule_560_open_decision_keeps_its_date() {
        let columns = "CHILD DATE_PLACED_CEASED DATE_PLACED";
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            columns,
            &[
                &["101", "26/05/2000", "26/05/2019"],
                &["102", "01/07/2018", "26/05/2000"],
                &["103", "26/05/2000", ""],
                &["104", "26/05/2017", "01/02/2016"],
                &["105", "", "27/05/2019"],
                &["106", "34rd/Dec/-1000A.D", "34rd/Dec/-1000A.D"],
                &["107", "different", "also different"],
                // The same date written differently: the reference's bug.
                &["108", "", "1/2/2016"],
            ],
        );
        let d = with_last(
            d,
            Table::PlacedAdoption,
            columns,
            &[
                &["101", "", "26/05/2000"],
                &["102", "01/07/2018", "26/05/2000"],
                &["103", "26/05/2000", ""],
                &["104", "26/05/2017", "01/02/2016"],
                &["105", "", "26/05/2019"],
                &["106", "", "34rd/Dec/-1000A.D"],
                &["107", "34rd/Dec/-1000A.D", "20/20/2020"],
                &["108", "", "01/02/2016"],
            ],
        )
        .done();
        let cases: [(Follow, &[usize]); 2] = [(Follow::RuleText, &[0, 4]), (Follow::Reference, &[0, 4, 7])];
        for (follow, expected) in cases {
            assert_eq!(rows_flagged_as(&d, follow, "560"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_561_same_date_cannot_follow_a_ceased_decision() {
        let columns = "CHILD DATE_PLACED_CEASED DATE_PLACED REASON_PLACED_CEASED";
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            columns,
            &[
                &["101", "26/05/2000", "26/05/2019", "xx"],
                &["102", "01/07/2018", "26/05/2000", "xx"],
                &["103", "26/05/2000", "", "xx"],
                &["104", "26/05/2017", "01/02/2016", "xx"],
                &["106", "", "26/05/2029", "xx"],
                // The same date written differently: the reference's bug.
                &["107", "", "1/2/2016", ""],
            ],
        );
        let d = with_last(
            d,
            Table::PlacedAdoption,
            columns,
            &[
                &["101", "", "26/05/2019", "xx"],
                &["102", "01/07/2018", "26/05/2000", "xx"],
                &["103", "26/05/2000", "", "xx"],
                &["104", "26/05/2017", "01/02/2016", "xx"],
                &["105", "", "26/05/2019", ""],
                &["106", "xx", "01/07/2019", "xx"],
                &["107", "01/07/2019", "01/02/2016", "xx"],
            ],
        )
        .done();
        let cases: [(Follow, &[usize]); 2] = [(Follow::RuleText, &[0, 1, 3, 5]), (Follow::Reference, &[0, 1, 3])];
        for (follow, expected) in cases {
            assert_eq!(rows_flagged_as(&d, follow, "561"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_562_episode_from_before_the_year_continues_last_years() {
        // The reference's example moved four years on (year starting 1 April 2025).
        let d = with(
            dataset(2026),
            Table::Episodes,
            "CHILD DECOM",
            &[
                &["111", "15/03/2025"],
                &["111", "05/06/2025"],
                &["222", "13/03/2025"],
                &["222", "08/06/2025"],
                &["222", "05/06/2025"],
                &["333", "01/01/2025"],
                &["444", "01/05/2025"],
                // Last year's episodes have no valid start: the reference fails.
                &["555", "01/01/2025"],
            ],
        );
        let d = with_last(
            d,
            Table::Episodes,
            "CHILD DECOM",
            &[
                &["111", "01/06/2024"],
                &["111", "05/06/2024"],
                &["111", "15/03/2025"],
                &["222", "01/02/2025"],
                &["222", "11/03/2025"],
                &["333", "06/06/2024"],
                &["555", "bad"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "562"), [2, 5, 7]);
    }

    #[test]
    fn rule_563_ceased_decision_needs_its_date() {
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            "CHILD DATE_PLACED_CEASED REASON_PLACED_CEASED DATE_PLACED",
            &[
                &["11", "", "", "26/05/2000"],
                &["202", "01/02/2003", "invalid dont matter", "26/05/2000"],
                &["3003", "", "", "26/05/2000"],
                &["40004", "26/05/2001", "some sample reason", ""],
                &["606", "", "", "26/05/2000"],
                &["707", "26/05/2001", "", ""],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "563"), [3]);
    }

    #[test]
    fn rule_564_missing_period_needs_a_start() {
        let rows = [
            ("M", ""),
            ("A", "07/02/2020"),
            ("A", "03/02/2020"),
            ("", ""),
            ("m", ""),
            ("A", "13/02/2020"),
            ("X", ""),
        ];
        assert_eq!(pairs("564", Table::Missing, ["MISSING", "MIS_START"], &rows), [0, 4]);
    }

    #[test]
    fn rules_565_and_566_dates_need_the_missing_code() {
        let rows = [
            ("M", ""),
            ("", "07/02/2020"),
            ("A", "03/02/2020"),
            ("", ""),
            ("M", ""),
            ("A", "13/02/2020"),
        ];
        assert_eq!(pairs("565", Table::Missing, ["MISSING", "MIS_START"], &rows), [1]);
        let rows = [
            ("M", ""),
            ("", "07/02/2020"),
            ("A", "03/02/2020"),
            ("", ""),
            ("M", "01/02/2020"),
            ("", "13/02/2020"),
        ];
        assert_eq!(pairs("566", Table::Missing, ["MISSING", "MIS_END"], &rows), [1, 5]);
    }

    #[test]
    fn rule_567_missing_period_ends_after_it_starts() {
        let rows = [
            ("01/06/2020", "05/06/2020"),
            ("02/06/2020", ""),
            ("03/06/2020", "01/06/2020"),
            ("04/06/2020", "02/06/2020"),
            ("", "05/06/2020"),
        ];
        assert_eq!(pairs("567", Table::Missing, ["MIS_START", "MIS_END"], &rows), [2, 3]);
    }

    #[test]
    fn rules_570_and_571_missing_dates_within_the_year() {
        // The reference's examples moved to the year ending 31 March 2026.
        let rows = [
            ("08/04/2026", ""),
            ("22/06/2026", ""),
            ("", ""),
            ("13/10/2011", ""),
            ("31/03/2026", ""),
        ];
        assert_eq!(pairs("570", Table::Missing, ["MIS_START", "MIS_END"], &rows), [0, 1]);
        let rows = [
            ("", "08/03/2025"),
            ("", ""),
            ("", "22/06/2026"),
            ("", "13/10/25"),
            ("", "01/04/2025"),
            ("", "31/03/2026"),
        ];
        assert_eq!(pairs("571", Table::Missing, ["MIS_START", "MIS_END"], &rows), [0, 2]);
    }

    #[test]
    fn rule_574_missing_periods_do_not_overlap() {
        let d = with(
            dataset(2026),
            Table::Missing,
            "CHILD MIS_START MIS_END",
            &[
                &["111", "01/06/2020", "05/06/2020"],
                &["111", "04/06/2020", ""],
                &["222", "03/06/2020", "04/06/2020"],
                &["222", "04/06/2020", ""],
                &["222", "07/06/2020", "09/06/2020"],
                &["333", "02/06/2020", "04/06/2020"],
                &["333", "03/06/2020", "09/06/2020"],
                &["444", "06/06/2020", "08/06/2020"],
                &["444", "10/06/2020", "10/06/2020"],
                &["444", "08/06/2020", "10/08/2020"],
                &["555", "", "05/06/2020"],
                &["555", "", "05/06/2020"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "574"), [0, 4, 6, 9]);
    }

    #[test]
    fn rule_575_missing_period_ends_when_the_episode_ended() {
        let d = with(
            dataset(2026),
            Table::Episodes,
            "CHILD DECOM DEC",
            &[
                &["111", "01/06/2020", "10/06/2020"],
                &["123", "08/06/2020", "10/06/2020"],
                &["222", "05/06/2020", "10/06/2020"],
                &["333", "06/06/2020", ""],
                &["333", "07/06/2020", "10/06/2020"],
                &["444", "08/06/2020", "10/06/2020"],
                &["444", "08/06/2020", ""],
            ],
        );
        let d = with(
            d,
            Table::Missing,
            "CHILD MIS_START MIS_END",
            &[
                &["111", "01/06/2020", "05/06/2020"],
                &["123", "08/06/2020", ""],
                &["222", "05/06/2020", "05/06/2020"],
                &["333", "06/06/2020", ""],
                &["444", "08/06/2020", "05/06/2020"],
                &["444", "09/06/2020", ""],
                &["444", "19/06/2020", "05/06/2020"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "575"), [1, 5]);
    }

    #[test]
    fn rule_576_open_missing_period_carried_into_this_year() {
        let d = with_last(
            dataset(2026),
            Table::Missing,
            "CHILD MIS_START MIS_END",
            &[
                &["111", "07/02/2020", "07/02/2020"],
                &["222", "07/02/2020", ""],
                &["333", "03/02/2020", "07/02/2020"],
                &["444", "07/02/2020", ""],
                &["555", "01/02/2020", ""],
                &["666", "13/02/2020", "07/02/2020"],
            ],
        );
        let d = with(
            d,
            Table::Missing,
            "CHILD MIS_START",
            &[
                &["111", "07/02/2020"],
                &["222", "08/02/2020"],
                &["333", "03/02/2020"],
                &["444", ""],
                &["555", "01/02/2020"],
                &["666", "13/02/2020"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "576"), [1, 3]);
    }

    /// Episodes of the reference's examples for 577 and 578 (`rows`), with the
    /// REC and LS columns left out as the rules do not read them.
    fn poc_episodes(rows: &[&[&str]]) -> Build {
        with(dataset(2026), Table::Episodes, "CHILD DECOM DEC", rows)
    }

    #[test]
    fn rule_577_missing_period_within_a_period_of_care() {
        let d = poc_episodes(&[
            &["1", "01/04/1977", "31/03/1981"],
            &["2", "01/04/1979", "30/03/1981"],
            &["88", "01/05/1980", "01/01/1981"],
            &["3", "01/04/1980", "01/01/1981"],
            &["3", "01/04/2020", "01/01/2021"],
            &["3", "01/01/2021", "05/10/2021"],
            &["4", "01/04/1981", ""],
            &["5", "01/04/1978", "01/01/1981"],
            &["5", "01/01/1981", "01/01/1990"],
            &["5", "01/04/1983", "04/06/2020"],
            &["6", "01/04/1983", "04/06/2020"],
            &["7", "01/04/1983", "04/06/2020"],
            &["8", "01/04/1983", "04/06/2020"],
            &["9", "01/01/2020", "04/06/2020"],
            &["9", "04/06/2020", "11/08/2020"],
            &["9", "11/08/2020", "01/12/2020"],
            &["9", "22/12/2020", "25/12/2020"],
            &["9", "01/01/2021", "22/02/2021"],
            &["9", "22/02/2021", "08/08/2021"],
            &["9", "08/08/2021", ""],
        ]);
        let d = with(
            d,
            Table::Missing,
            "CHILD MIS_START MIS_END",
            &[
                &["1", "01/01/1981", ""],
                &["2", "01/01/1981", "02/06/2020"],
                &["3", "01/01/1981", "03/06/2022"],
                &["3", "01/01/1981", "03/06/2020"],
                &["4", "01/01/1981", "04/06/2020"],
                &["5", "01/01/1981", "01/01/1982"],
                &["5", "01/01/1981", "01/01/2000"],
                &["6", "01/01/1981", "01/01/1981"],
                &["7", "", "01/01/1981"],
                &["8", "01/01/1981", ""],
                &["9", "01/01/2020", ""],
                &["9", "01/01/2021", ""],
                &["9", "04/06/2020", "04/06/2021"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "577"), [0, 1, 2, 7, 9, 10]);
    }

    #[test]
    fn rule_578_missing_period_starts_within_a_period_of_care() {
        let d = poc_episodes(&[
            &["1", "01/04/1977", "31/03/1981"],
            &["2", "01/04/1979", "30/03/1981"],
            &["88", "01/05/1980", "01/01/1981"],
            &["3", "01/04/1980", "01/01/1981"],
            &["3", "01/04/2020", "01/01/2021"],
            &["3", "01/01/2021", "05/10/2021"],
            &["4", "01/04/1981", ""],
            &["5", "01/04/1978", "01/01/1981"],
            &["5", "01/01/1981", "01/01/1990"],
            &["5", "01/04/1983", "04/06/2020"],
            &["6", "01/04/1983", "04/06/2020"],
            &["8888", "01/04/1983", "04/06/2020"],
            &["8888", "04/06/2020", ""],
        ]);
        let d = with(
            d,
            Table::Missing,
            "CHILD MIS_START",
            &[
                &["1", "01/06/2020"],
                &["2", "02/06/2020"],
                &["3", "03/06/2022"],
                &["3", "03/06/2020"],
                &["4", "04/06/2020"],
                &["5", "01/01/1982"],
                &["5", "01/01/2000"],
                &["6", "01/01/1981"],
                &["77", "01/01/1981"],
                &["8888", "01/01/2049"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "578"), [0, 1, 2, 7]);
    }

    #[test]
    fn rule_579_decisions_to_place_do_not_overlap() {
        let d = with(
            dataset(2026),
            Table::PlacedAdoption,
            "CHILD DATE_PLACED DATE_PLACED_CEASED",
            &[
                &["111", "01/06/2020", "05/06/2020"],
                &["111", "04/06/2020", ""],
                &["222", "03/06/2020", "04/06/2020"],
                &["222", "04/06/2020", ""],
                &["222", "07/06/2020", "09/06/2020"],
                &["333", "02/06/2020", "04/06/2020"],
                &["333", "03/06/2020", "09/06/2020"],
                &["555", "", "05/06/2020"],
                &["555", "", "05/06/2020"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "579"), [1, 4, 6]);
    }

    #[test]
    fn rule_580_missing_at_18_when_care_ended_needs_reason_e8() {
        let d = with(
            dataset(2026),
            Table::Episodes,
            "CHILD DEC REC",
            &[
                &["111", "01/06/2020", "E7"],
                &["123", "08/06/2020", "E7"],
                &["222", "05/06/2020", "E8"],
                &["333", "06/06/2020", "E5"],
                &["444", "07/06/2020", "E8"],
                &["555", "19/06/2020", "E4"],
                &["777", "19/06/2020", "E4"],
                &["888", "28/02/2026", ""],
            ],
        );
        let d = with(
            d,
            Table::Missing,
            "CHILD MISSING MIS_END DOB",
            &[
                &["111", "M", "01/06/2020", "01/06/2002"],
                &["123", "M", "08/06/2020", "08/06/2002"],
                &["222", "M", "05/06/2020", "05/06/2002"],
                &["333", "M", "06/06/2020", "06/06/2002"],
                &["444", "M", "08/06/2020", "08/06/2002"],
                &["444", "M", "09/06/2020", "09/06/2002"],
                &["555", "M", "19/06/2020", "19/06/2002"],
                &["777", "A", "19/06/2020", "19/06/2002"],
                // A leap-day child's 18th birthday is 28 February in 2026.
                &["888", "M", "28/02/2026", "29/02/2008"],
            ],
        )
        .done();
        assert_eq!(rows_flagged(&d, "580"), [0, 1, 3, 5, 6, 7]);
    }
}
