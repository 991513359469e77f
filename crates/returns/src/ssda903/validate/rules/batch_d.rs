//! Rules translated from the DfE validator (see the list in `mod.rs`).

use super::*;
use crate::ssda903::tables::Table;
use crate::ssda903::validate::pandas::{as_text, blank_last, merge_groups, same_child_pairs, sorted_by_child};
use crate::ssda903::validate::{Col, Flagged, Follow, Frame, TableRef, plus_years};
use hashbrown::{HashMap, HashSet};
use jiff::civil::{Date, date};

/// Rules here where Pathways follows the DfE's rule text and the reference does not.
pub(super) const CORRECTIONS: &[Correction] = &[
    Correction {
        code: "426",
        rule_text: "Episodes with no CHILD id belong to no child, so they are never one child's V3 and V4 short breaks.",
        reference: "Treats all episodes with no CHILD id as one child, so a V3 and a V4 with no id both fail.",
    },
    Correction {
        code: "433",
        rule_text: "A continuation episode must start on the day the previous one ended, however the two dates are written.",
        reference: "Compares the dates as written, so an episode starting 01/06/2020 after one ending 1/6/2020 fails.",
    },
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        code: "387",
        message: "Reason episode ceased is child moved into independent living arrangement, but the child is aged under 14.",
        fields: &["REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| ceased_under_age(d, &["E5", "E6"], 14, true),
    },
    Rule {
        code: "388",
        message: "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
        fields: &["REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_388,
    },
    Rule {
        code: "389",
        message: "Reason episode ceased is that child transferred to care of adult social care services, but child is aged under 16.",
        fields: &["REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| ceased_under_age(d, &["E7"], 16, false),
    },
    Rule {
        code: "390",
        message: "Reason episode ceased is adopted but child has not been previously placed for adoption.",
        fields: &["PLACE", "REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_390,
    },
    Rule {
        code: "391",
        message: "Young person was not 17, 18, 19, 20 or 21 during the current collection year. ",
        fields: &["DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_391,
    },
    Rule {
        code: "392a",
        message: "Child is looked after but no distance is recorded. [NOTE: This check may result in false positives for children formerly UASC]",
        fields: &["PL_DISTANCE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_392a,
    },
    Rule {
        code: "392b",
        message: "Child is looked after but no postcodes are recorded. [NOTE: This check may result in false positives for children formerly UASC, particularly if current & prior year UASC data not loaded]",
        fields: &["HOME_POST", "PL_POST"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_392b,
    },
    Rule {
        code: "392c",
        message: "Postcode(s) provided are invalid.",
        fields: &["HOME_POST", "PL_POST"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_392c,
    },
    Rule {
        code: "392d",
        message: "Home and placement postcodes should not be same unless the placement type is P1.",
        fields: &["HOME_POST", "PL_POST", "PLACE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_392d,
    },
    Rule {
        code: "393",
        message: "Child is looked after but mother field is not completed.",
        fields: &["MOTHER"],
        years: (FIRST_YEAR, 2024),
        check: |d| mother_missing(d, "2"),
    },
    Rule {
        code: "393",
        message: "Child is looked after but mother field is not completed.",
        fields: &["MOTHER"],
        years: (2025, ONWARDS),
        check: |d| mother_missing(d, "F"),
    },
    Rule {
        code: "398",
        message: "Distance field completed but child looked after under legal status V3 or V4.",
        fields: &["LS", "HOME_POST", "PL_POST"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_398,
    },
    Rule {
        code: "399",
        message: "Mother field, review field or participation field are completed but child is looked after under legal status V3 or V4.",
        fields: &["MOTHER", "LS", "REVIEW", "REVIEW_CODE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_399,
    },
    Rule {
        code: "406",
        message: "Child is Unaccompanied Asylum-Seeking Child (UASC) or was formerly UASC. Distance should be blank. [NOTE: This check will result in false negatives for children formerly UASC not identified as such in loaded data]",
        fields: &["PL_DISTANCE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_406,
    },
    Rule {
        code: "407",
        message: "Reason episode ceased is Special Guardianship Order, but child has reached age 18.",
        fields: &["DEC", "DOB", "REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_407,
    },
    Rule {
        code: "408",
        message: "Child is placed for adoption with a placement order, but no placement order has been recorded.",
        fields: &["PLACE", "LS"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_408,
    },
    Rule {
        code: "411",
        message: "Placement location code disagrees with LA of placement.",
        fields: &["PL_LOCATION"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_411,
    },
    Rule {
        code: "420",
        message: "LA of placement completed but child is looked after under legal status V3 or V4.",
        fields: &["PL_LA"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_420,
    },
    Rule {
        code: "426",
        message: "A child receiving respite care cannot be recorded under a legal status of V3 and V4 in the same year.",
        fields: &["LS"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_426,
    },
    Rule {
        code: "431",
        message: "The reason for new episode is started to be looked after, but the previous episode ended on the same day.",
        fields: &["RNE", "DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_431,
    },
    Rule {
        code: "432",
        message: "The child ceased to be looked after at the end of the previous episode but the reason for the new episode is not started to be looked after.",
        fields: &["RNE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_432,
    },
    Rule {
        code: "433",
        message: "The reason for new episode suggests that this is a continuation episode, but the episode does not start on the same day as the last episode finished.",
        fields: &["RNE", "DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_433,
    },
    Rule {
        code: "434",
        message: "Reason for new episode is that child's legal status has changed but not the placement, but this is not reflected in the episode data.",
        fields: &["RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_434,
    },
    Rule {
        code: "435",
        message: "Reason for new episode is that child’s placement has changed but not the legal status, but this is not reflected in the episode data recorded.",
        fields: &["LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_435,
    },
    Rule {
        code: "436",
        message: "Reason for new episode is that both child’s placement and legal status have changed, but this is not reflected in the episode data.",
        fields: &["RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_436,
    },
    Rule {
        code: "437",
        message: "Reason episode ceased is child has died or is aged 18 or over but there are further episodes.",
        fields: &["REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_437,
    },
    Rule {
        code: "440",
        message: "Participation method indicates child was under 4 years old at the time of the review, but date of birth and review date indicates the child was 4 years old or over.",
        fields: &["DOB", "REVIEW", "REVIEW_CODE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_440,
    },
    Rule {
        code: "441",
        message: "Participation method indicates child was 4 years old or over at the time of the review, but the date of birth and review date indicates the child was under 4 years old.",
        fields: &["DOB", "REVIEW", "REVIEW_CODE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_441,
    },
    Rule {
        code: "442",
        message: "Unique Pupil Number (UPN) field is not completed.",
        fields: &["UPN"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_442,
    },
    Rule {
        code: "444",
        message: "Duplicate UPN has been reported",
        fields: &["UPN"],
        years: (2026, ONWARDS),
        check: rule_444,
    },
    Rule {
        code: "445",
        message: "D1 is not a valid code for episodes starting after December 2005.",
        fields: &["LS", "DECOM"],
        years: (FIRST_YEAR, 2024),
        check: rule_445,
    },
    Rule {
        code: "446",
        message: "E1 is not a valid code for episodes starting before December 2005.",
        fields: &["LS", "DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_446,
    },
    Rule {
        code: "451",
        message: "Child is still freed for adoption, but freeing orders could not be applied for since 30 December 2005.",
        fields: &["DEC", "REC", "LS"],
        years: (FIRST_YEAR, 2024),
        check: rule_451,
    },
    Rule {
        code: "452",
        message: "Contradiction between local authority of placement code in the last episode of the previous year and in the first episode of the current year.",
        fields: &["PL_LA"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_452,
    },
    Rule {
        code: "453",
        message: "Contradiction between placement distance in the last episode of the previous year and in the first episode of the current year.",
        fields: &["PL_DISTANCE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_453,
    },
    Rule {
        code: "454",
        message: "Placement distance from home is over 350 miles. [NOTE: This check will result in false positives for children formerly UASC not identified as such in loaded data]",
        fields: &["PL_DISTANCE"],
        years: (2026, ONWARDS),
        check: rule_454,
    },
    Rule {
        code: "460",
        message: "Reason episode ceased is that child stayed with current carers at age 18 (or above), but child is aged under 18.",
        fields: &["DEC", "REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_460,
    },
    Rule {
        code: "501",
        message: "A new episode has started before the end date of the previous episode.",
        fields: &["DECOM", "DEC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_501,
    },
    Rule {
        code: "502",
        message: "Last year's record ended with an open episode. The date on which that episode started does not match the start date of the first episode on this year’s record.",
        fields: &["DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_502,
    },
    Rule {
        code: "503A",
        message: "The reason for new episode in the first episode does not match open episode at end of last year.",
        fields: &["RNE"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| differs_from_last_year(d, "RNE"),
    },
    Rule {
        code: "503B",
        message: "The legal status in the first episode does not match open episode at end of last year.",
        fields: &["LS"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| differs_from_last_year(d, "LS"),
    },
    Rule {
        code: "503C",
        message: "The category of need in the first episode does not match open episode at end of last year.",
        fields: &["CIN"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| differs_from_last_year(d, "CIN"),
    },
    Rule {
        code: "503D",
        message: "The placement type in the first episode does not match open episode at end of last year",
        fields: &["PLACE"],
        years: (FIRST_YEAR, 2024),
        check: |d| differs_from_last_year(d, "PLACE"),
    },
    Rule {
        code: "503D",
        message: "The placement type in the first episode does not match open episode at end of last year",
        fields: &["PLACE"],
        years: (2025, 2025),
        check: |d| differs_from_last_year(d, "PLACE"),
    },
    Rule {
        code: "503D",
        message: "The placement type in the first episode does not match open episode at end of last year",
        fields: &["PLACE"],
        years: (2026, ONWARDS),
        check: |d| differs_from_last_year(d, "PLACE"),
    },
    Rule {
        code: "503E",
        message: "The placement provider in the first episode does not match open episode at end of last year.",
        fields: &["PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| differs_from_last_year(d, "PLACE_PROVIDER"),
    },
    Rule {
        code: "503F",
        message: "The Ofsted URN in the  first episode does not match open episode at end of last year.",
        fields: &["URN"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| differs_from_last_year(d, "URN"),
    },
    Rule {
        code: "503G",
        message: "The distance in first episode does not match open episode at end of last year.",
        fields: &["PL_DISTANCE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_503g,
    },
    Rule {
        code: "503H",
        message: "The placement LA in first episode does not match open episode at end of last year.",
        fields: &["PL_LA"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| differs_from_last_year(d, "PL_LA"),
    },
    Rule {
        code: "503J",
        message: "The placement location in first episode does not match open episode at end of last year.",
        fields: &["PL_LOCATION"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| differs_from_last_year(d, "PL_LOCATION"),
    },
];

// ---------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------

/// `a < b` as pandas compares dates: false when either is missing.
fn before(a: Option<Date>, b: Option<Date>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a < b)
}

/// `a <= b` as pandas compares dates: false when either is missing.
fn on_or_before(a: Option<Date>, b: Option<Date>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a <= b)
}

/// `DOB + DateOffset(years=n)`, missing when the DOB is.
fn birthday(dob: Option<Date>, years: i16) -> Option<Date> {
    dob.and_then(|dob| plus_years(dob, years))
}

// ---------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------

// Reference quirk: an episode of a child with no Header row or no valid DOB fails (389: also with no valid end date).
/// 387 and 389: an episode that ended for one of `codes` must end on or after the
/// child's `age`th birthday (387 only counts episodes with an end date).
fn ceased_under_age(d: &Dataset, codes: &[&str], age: i16, needs_dec: bool) -> Outcome {
    let header = d.this(Table::Header)?;
    let episodes = d.this(Table::Episodes)?;
    let dobs = merge_groups(header, header.col("CHILD"));
    let header_dob = header.col("DOB");
    let (child, rec, dec) = (episodes.col("CHILD"), episodes.col("REC"), episodes.col("DEC"));
    let flagged = episodes.rows().filter(|&row| {
        let ended = episodes.date(row, dec);
        if !is_in(episodes.get(row, rec), codes) || (needs_dec && ended.is_none()) {
            return false;
        }
        // A left merge: an episode without a Header row is checked against no birthday.
        match dobs.get(&episodes.get(row, child)) {
            None => true,
            Some(matches) => matches
                .iter()
                .any(|&h| !on_or_before(birthday(header.date(h, header_dob), age), ended)),
        }
    });
    flag(Table::Episodes, flagged)
}

// Reference quirk: a blank or invalid start date counts as 1 January 1901.
/// 388: an episode ending X1 (new episode begins) must be followed by an episode
/// starting that day, an episode followed by one starting the day it ended must end
/// X1, and a child's last episode must not end X1.
fn rule_388(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (child, decom, dec, rec) = (
        episodes.col("CHILD"),
        episodes.col("DECOM"),
        episodes.col("DEC"),
        episodes.col("REC"),
    );
    // The reference fills a missing start date with 1 January 1901 before sorting.
    let start = |row: usize| episodes.date(row, decom).unwrap_or(date(1901, 1, 1));
    let order = sorted_by_child(episodes, start);
    let mut flagged = Vec::new();
    for (i, &row) in order.iter().enumerate() {
        let id = episodes.get(row, child);
        let next = order
            .get(i + 1)
            .filter(|&&n| id.is_some() && episodes.get(n, child) == id)
            .map(|&n| start(n));
        let (ended, reason) = (episodes.date(row, dec), episodes.get(row, rec));
        let x1 = reason == Some("X1");
        let fails = match (next, ended) {
            (Some(next), Some(ended)) => (x1 && ended != next) || (reason.is_some() && !x1 && ended == next),
            (None, Some(_)) => id.is_some() && x1,
            (_, None) => false,
        };
        if fails {
            flagged.push(row);
        }
    }
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

/// 390: an episode ending in adoption (E11/E12) must be an adoption placement (A3 to A6).
fn rule_390(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (rec, place) = (episodes.col("REC"), episodes.col("PLACE"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&row| {
            is_in(episodes.get(row, rec), &["E11", "E12"])
                && !is_in(episodes.get(row, place), &["A3", "A4", "A5", "A6"])
        }),
    )
}

/// 391: care leaver outcomes (IN_TOUCH, ACTIV, ACCOM) are only for young people who
/// are 17 or over at the end of the year.
fn rule_391(d: &Dataset) -> Outcome {
    let oc3 = d.this(Table::Oc3)?;
    let dob = oc3.col("DOB");
    let outcomes = [oc3.col("IN_TOUCH"), oc3.col("ACTIV"), oc3.col("ACCOM")];
    flag(
        Table::Oc3,
        oc3.rows().filter(|&row| {
            before(Some(d.collection_end), birthday(oc3.date(row, dob), 17))
                && outcomes.iter().any(|&c| oc3.get(row, c).is_some())
        }),
    )
}

/// 392a: a child who is not a short break (V3/V4) and not known as UASC must have a
/// placement distance.
fn rule_392a(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let uasc = uasc_this_or_last_year(d, UascDetails::AllButChild)?;
    let (child, ls, distance) = (episodes.col("CHILD"), episodes.col("LS"), episodes.col("PL_DISTANCE"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            !uasc.contains(&episodes.get(r, child))
                && !is_in(episodes.get(r, ls), &["V3", "V4"])
                && episodes.get(r, distance).is_none()
        }),
    )
}

/// 392b: a child who is not a short break (V3/V4) and not known as UASC must have
/// both a home and a placement postcode.
fn rule_392b(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let uasc = uasc_this_or_last_year(d, UascDetails::AllButChild).unwrap_or_default();
    let (child, ls) = (episodes.col("CHILD"), episodes.col("LS"));
    let (home, placed) = (episodes.col("HOME_POST"), episodes.col("PL_POST"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            !uasc.contains(&episodes.get(r, child))
                && !is_in(episodes.get(r, ls), &["V3", "V4"])
                && (episodes.get(r, home).is_none() || episodes.get(r, placed).is_none())
        }),
    )
}

/// 392c: postcodes must be real postcodes. The reference looks them up in the
/// national postcode list, which Pathways does not hold yet, so the rule does not
/// run (rather than calling every postcode invalid).
fn rule_392c(_: &Dataset) -> Outcome {
    None
}

/// 392d: the home and placement postcodes may only be the same for a placement
/// with parents (P1).
fn rule_392d(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (place, home, placed) = (
        episodes.col("PLACE"),
        episodes.col("HOME_POST"),
        episodes.col("PL_POST"),
    );
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            episodes.get(r, place) != Some("P1")
                && episodes.get(r, home).is_some()
                && episodes.get(r, home) == episodes.get(r, placed)
        }),
    )
}

/// 393: a looked-after girl (SEX `female`) who is not only on short breaks must
/// have MOTHER filled in.
fn mother_missing(d: &Dataset, female: &str) -> Outcome {
    let header = d.this(Table::Header)?;
    let episodes = d.this(Table::Episodes)?;
    let (child, ls) = (episodes.col("CHILD"), episodes.col("LS"));
    // `isin` matches a blank CHILD with a blank CHILD.
    let looked_after: HashSet<Option<&str>> = episodes
        .rows()
        .filter(|&r| !is_in(episodes.get(r, ls), &["V3", "V4"]))
        .map(|r| episodes.get(r, child))
        .collect();
    let (sex, mother, id) = (header.col("SEX"), header.col("MOTHER"), header.col("CHILD"));
    flag(
        Table::Header,
        header.rows().filter(|&r| {
            header.get(r, sex) == Some(female)
                && looked_after.contains(&header.get(r, id))
                && header.get(r, mother).is_none()
        }),
    )
}

/// 398: postcodes must be blank for short breaks (V3/V4).
fn rule_398(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (ls, home, placed) = (episodes.col("LS"), episodes.col("HOME_POST"), episodes.col("PL_POST"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            is_in(episodes.get(r, ls), &["V3", "V4"])
                && (episodes.get(r, home).is_some() || episodes.get(r, placed).is_some())
        }),
    )
}

// Reference quirk: the child's every Header and review row fails when any of MOTHER, REVIEW or REVIEW_CODE is filled.
/// 399: a child whose every episode is a short break (V3/V4) must have no MOTHER,
/// review date or participation code.
fn rule_399(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let header = d.this(Table::Header)?;
    let reviews = d.this(Table::Reviews)?;
    let ls = episodes.col("LS");
    let headers = merge_groups(header, header.col("CHILD"));
    let child_reviews = merge_groups(reviews, reviews.col("CHILD"));
    let mother = header.col("MOTHER");
    let (review, code) = (reviews.col("REVIEW"), reviews.col("REVIEW_CODE"));
    let (mut flagged_eps, mut flagged_hdr, mut flagged_rev) = (Vec::new(), Vec::new(), Vec::new());
    for (id, rows) in rows_by_child(episodes) {
        if !rows.iter().all(|&r| is_in(episodes.get(r, ls), &["V3", "V4"])) {
            continue;
        }
        let hs = headers.get(&Some(id)).map_or(&[][..], Vec::as_slice);
        let rs = child_reviews.get(&Some(id)).map_or(&[][..], Vec::as_slice);
        let has_mother = |h: usize| header.get(h, mother).is_some();
        let has_review = |r: usize| reviews.get(r, review).is_some() || reviews.get(r, code).is_some();
        // Every Header row pairs with every review row (a left merge, twice).
        let any_mother = hs.iter().any(|&h| has_mother(h));
        let any_review = rs.iter().any(|&r| has_review(r));
        if any_mother || any_review {
            flagged_eps.extend(rows);
        }
        flagged_hdr.extend(hs.iter().filter(|&&h| any_review || has_mother(h)));
        flagged_rev.extend(rs.iter().filter(|&&r| any_mother || has_review(r)));
    }
    Some(vec![
        Flagged::new(TableRef::This(Table::Episodes), flagged_eps),
        Flagged::new(TableRef::This(Table::Header), flagged_hdr),
        Flagged::new(TableRef::This(Table::Reviews), flagged_rev),
    ])
}

/// 406: a child who is or was UASC must have no placement distance.
fn rule_406(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let uasc = uasc_this_or_last_year(d, UascDetails::AllButChild)?;
    let (child, distance) = (episodes.col("CHILD"), episodes.col("PL_DISTANCE"));
    flag(
        Table::Episodes,
        episodes
            .rows()
            .filter(|&r| uasc.contains(&episodes.get(r, child)) && episodes.get(r, distance).is_some()),
    )
}

/// 407: an episode ending in a special guardianship order (E45 to E48) must end
/// before the child's 18th birthday.
fn rule_407(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let header = d.this(Table::Header)?;
    let headers = merge_groups(header, header.col("CHILD"));
    let dob = header.col("DOB");
    let (child, rec, dec) = (episodes.col("CHILD"), episodes.col("REC"), episodes.col("DEC"));
    let (mut flagged_eps, mut flagged_hdr) = (Vec::new(), Vec::new());
    for row in episodes.rows() {
        if !is_in(episodes.get(row, rec), &["E45", "E46", "E47", "E48"]) {
            continue;
        }
        let ended = episodes.date(row, dec);
        for &h in headers.get(&episodes.get(row, child)).into_iter().flatten() {
            if before(birthday(header.date(h, dob), 18), ended) {
                flagged_eps.push(row);
                flagged_hdr.push(h);
            }
        }
    }
    Some(vec![
        Flagged::new(TableRef::This(Table::Episodes), flagged_eps),
        Flagged::new(TableRef::This(Table::Header), flagged_hdr),
    ])
}

/// 408: a placement for adoption with a placement order (A5/A6) needs legal status E1.
fn rule_408(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (place, ls) = (episodes.col("PLACE"), episodes.col("LS"));
    flag(
        Table::Episodes,
        episodes
            .rows()
            .filter(|&r| is_in(episodes.get(r, place), &["A5", "A6"]) && episodes.get(r, ls) != Some("E1")),
    )
}

/// 411: a placement located IN the council's area must have the council as its LA
/// of placement (both derived from the placement postcode).
fn rule_411(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let la = d.local_authority.as_deref();
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let placed_in = episodes.value(r, "PL_LOCATION") == Some("IN");
            placed_in && (la.is_none() || episodes.value(r, "PL_LA") != la)
        }),
    )
}

/// 420: the LA of placement must be blank for short breaks (V3/V4).
fn rule_420(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let ls = episodes.col("LS");
    flag(
        Table::Episodes,
        episodes
            .rows()
            .filter(|&r| is_in(episodes.get(r, ls), &["V3", "V4"]) && episodes.value(r, "PL_LA").is_some()),
    )
}

// Reference bug (corrected unless Follow::Reference): episodes with a blank CHILD
// count as one child; the rule text ("a child ... cannot be recorded under V3 and
// V4") is about one child's episodes, and an episode with no CHILD is no child's.
/// 426: a child must not have both V3 and V4 short-break episodes in the year.
fn rule_426(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (child, ls) = (episodes.col("CHILD"), episodes.col("LS"));
    // The reference's merge and `isin` match a blank CHILD with a blank CHILD.
    let blank_is_a_child = d.follow == Follow::Reference;
    let with = |code: &str| -> HashSet<Option<&str>> {
        episodes
            .rows()
            .filter(|&r| episodes.get(r, ls) == Some(code))
            .map(|r| episodes.get(r, child))
            .filter(|id| id.is_some() || blank_is_a_child)
            .collect()
    };
    let (v3, v4) = (with("V3"), with("V4"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let id = episodes.get(r, child);
            match episodes.get(r, ls) {
                Some("V3") => v4.contains(&id),
                Some("V4") => v3.contains(&id),
                _ => false,
            }
        }),
    )
}

/// Each episode after the child's previous one, episodes in start-date order:
/// (previous, this) row pairs.
fn consecutive_episodes(episodes: &Frame) -> Vec<(usize, usize)> {
    let decom = episodes.col("DECOM");
    let order = sorted_by_child(episodes, |r| blank_last(episodes.date(r, decom)));
    same_child_pairs(episodes, &order)
}

/// 431: an episode starting a new period of care (RNE S) must start after the
/// previous episode ended.
fn rule_431(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (rne, decom, dec) = (episodes.col("RNE"), episodes.col("DECOM"), episodes.col("DEC"));
    let mut flagged: Vec<usize> = consecutive_episodes(episodes)
        .into_iter()
        .filter(|&(prev, this)| {
            episodes.get(this, rne) == Some("S") && on_or_before(episodes.date(this, decom), episodes.date(prev, dec))
        })
        .map(|(_, this)| this)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

/// 432: after an episode that ended care, the next episode must start a new
/// period of care (RNE S).
fn rule_432(d: &Dataset) -> Outcome {
    const LEFT_CARE: &[&str] = &[
        "E2", "E3", "E4A", "E4B", "E5", "E6", "E7", "E8", "E9", "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E41",
        "E45", "E46", "E47", "E48",
    ];
    let episodes = d.this(Table::Episodes)?;
    let (rne, rec) = (episodes.col("RNE"), episodes.col("REC"));
    let mut flagged: Vec<usize> = consecutive_episodes(episodes)
        .into_iter()
        .filter(|&(prev, this)| is_in(episodes.get(prev, rec), LEFT_CARE) && episodes.get(this, rne) != Some("S"))
        .map(|(_, this)| this)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

// Reference bug (corrected unless Follow::Reference): the dates are compared as
// written, so 1/6/2020 does not match 01/06/2020; the rule text asks whether the
// episode starts "on the same day as the last episode finished".
/// 433: a continuation episode (RNE P, L, T, U or B) must start the day the
/// previous episode ended.
fn rule_433(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (rne, decom, dec) = (episodes.col("RNE"), episodes.col("DECOM"), episodes.col("DEC"));
    let order = sorted_by_child(episodes, |r| {
        (blank_last(episodes.date(r, decom)), blank_last(episodes.date(r, dec)))
    });
    let mut flagged: Vec<usize> = same_child_pairs(episodes, &order)
        .into_iter()
        .filter(|&(prev, this)| {
            let (ended, started) = (episodes.get(prev, dec), episodes.get(this, decom));
            is_in(episodes.get(this, rne), &["P", "L", "T", "U", "B"]) && !same_written_date(d.follow, ended, started)
        })
        .map(|(_, this)| this)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

/// The placement columns 434 to 436 compare between consecutive episodes.
const PLACEMENT: &[&str] = &["PLACE", "PL_POST", "URN", "PLACE_PROVIDER"];

/// 434: a change of legal status only (RNE L) needs a new legal status and the
/// same placement as the previous episode.
fn rule_434(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (rne, ls) = (episodes.col("RNE"), episodes.col("LS"));
    let placement: Vec<Col> = PLACEMENT.iter().map(|c| episodes.col(c)).collect();
    let flagged = consecutive_episodes(episodes).into_iter().filter(|&(prev, this)| {
        let same_ls = episodes.get(this, ls).is_some() && episodes.get(this, ls) == episodes.get(prev, ls);
        let moved = placement
            .iter()
            .any(|&c| episodes.get(this, c) != episodes.get(prev, c));
        episodes.get(this, rne) == Some("L") && (same_ls || moved)
    });
    flag(Table::Episodes, flagged.map(|(_, this)| this))
}

/// 435: a change of placement only (RNE P or T) needs the same legal status and a
/// different placement from the previous episode.
fn rule_435(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (rne, ls) = (episodes.col("RNE"), episodes.col("LS"));
    let placement: Vec<Col> = PLACEMENT.iter().map(|c| episodes.col(c)).collect();
    let same = |a: Option<&str>, b: Option<&str>| a.is_some() && a == b;
    let mut flagged: Vec<usize> = consecutive_episodes(episodes)
        .into_iter()
        .filter(|&(prev, this)| {
            let new_ls = !same(episodes.get(this, ls), episodes.get(prev, ls));
            let stayed = placement
                .iter()
                .all(|&c| same(episodes.get(this, c), episodes.get(prev, c)));
            is_in(episodes.get(this, rne), &["P", "T"]) && (new_ls || stayed)
        })
        .map(|(_, this)| this)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

// Reference quirk: blanks are filled with "*" before comparing, so a blank equals a blank (and a "*").
/// 436: a change of both placement and legal status (RNE U or B) needs a new legal
/// status and a different placement from the previous episode.
fn rule_436(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (rne, ls) = (episodes.col("RNE"), episodes.col("LS"));
    let placement: Vec<Col> = PLACEMENT.iter().map(|c| episodes.col(c)).collect();
    let same = |a: usize, b: usize, c: Col| episodes.get(a, c).unwrap_or("*") == episodes.get(b, c).unwrap_or("*");
    let mut flagged: Vec<usize> = consecutive_episodes(episodes)
        .into_iter()
        .filter(|&(prev, this)| {
            let stayed = placement.iter().all(|&c| same(this, prev, c));
            is_in(episodes.get(this, rne), &["U", "B"]) && (same(this, prev, ls) || stayed)
        })
        .map(|(_, this)| this)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

// Reference quirk: an episode with no valid start date still counts as a further episode.
/// 437: an episode ending because the child died or turned 18 (E2, E15) must be
/// the child's last.
fn rule_437(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (decom, rec) = (episodes.col("DECOM"), episodes.col("REC"));
    let order = sorted_by_child(episodes, |r| blank_last(episodes.date(r, decom)));
    let flagged = same_child_pairs(episodes, &order)
        .into_iter()
        .filter(|&(this, _)| episodes.date(this, decom).is_some() && is_in(episodes.get(this, rec), &["E2", "E15"]))
        .map(|(this, _)| this);
    flag(Table::Episodes, flagged)
}

/// 440: participation code PN0 (under 4) needs a review before the 4th birthday.
fn rule_440(d: &Dataset) -> Outcome {
    let reviews = d.this(Table::Reviews)?;
    let (dob, review, code) = (reviews.col("DOB"), reviews.col("REVIEW"), reviews.col("REVIEW_CODE"));
    flag(
        Table::Reviews,
        reviews.rows().filter(|&r| {
            reviews.get(r, code) == Some("PN0") && before(birthday(reviews.date(r, dob), 4), reviews.date(r, review))
        }),
    )
}

/// 441: participation codes PN1 to PN7 (4 or over) need a review on or after the
/// 4th birthday.
fn rule_441(d: &Dataset) -> Outcome {
    let reviews = d.this(Table::Reviews)?;
    let (dob, review, code) = (reviews.col("DOB"), reviews.col("REVIEW"), reviews.col("REVIEW_CODE"));
    flag(
        Table::Reviews,
        reviews.rows().filter(|&r| {
            is_in(reviews.get(r, code), &["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"])
                && before(reviews.date(r, review), birthday(reviews.date(r, dob), 4))
        }),
    )
}

/// 442: a child with any episode that is not a short break (V3/V4) needs a UPN.
fn rule_442(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let header = d.this(Table::Header)?;
    let (child, ls) = (episodes.col("CHILD"), episodes.col("LS"));
    // An inner merge: a blank CHILD matches a blank CHILD.
    let looked_after: HashSet<Option<&str>> = episodes
        .rows()
        .filter(|&r| !is_in(episodes.get(r, ls), &["V3", "V4"]))
        .map(|r| episodes.get(r, child))
        .collect();
    let (id, upn) = (header.col("CHILD"), header.col("UPN"));
    flag(
        Table::Header,
        header
            .rows()
            .filter(|&r| header.get(r, upn).is_none() && looked_after.contains(&header.get(r, id))),
    )
}

/// 444: a UPN other than the UN1 to UN5 codes must appear only once in the return.
fn rule_444(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let upn = header.col("UPN");
    let unknown = ["UN1", "UN2", "UN3", "UN4", "UN5"];
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for row in header.rows() {
        if let Some(value) = header.get(row, upn).filter(|v| !unknown.contains(v)) {
            *counts.entry(value).or_default() += 1;
        }
    }
    flag(
        Table::Header,
        header.rows().filter(|&r| {
            header
                .get(r, upn)
                .is_some_and(|v| counts.get(v).is_some_and(|&n| n > 1))
        }),
    )
}

/// 445: legal status D1 (freed for adoption) is not valid for episodes starting
/// after 31 December 2005.
fn rule_445(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (ls, decom) = (episodes.col("LS"), episodes.col("DECOM"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            episodes.get(r, ls) == Some("D1") && before(Some(date(2005, 12, 31)), episodes.date(r, decom))
        }),
    )
}

/// 446: legal status E1 (placement order) is not valid for episodes starting
/// before 1 December 2005.
fn rule_446(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (ls, decom) = (episodes.col("LS"), episodes.col("DECOM"));
    flag(
        Table::Episodes,
        episodes
            .rows()
            .filter(|&r| episodes.get(r, ls) == Some("E1") && before(episodes.date(r, decom), Some(date(2005, 12, 1)))),
    )
}

/// 451: an open episode (no end date or reason) must not have legal status D1.
fn rule_451(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (ls, dec, rec) = (episodes.col("LS"), episodes.col("DEC"), episodes.col("REC"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            episodes.get(r, dec).is_none() && episodes.get(r, rec).is_none() && episodes.get(r, ls) == Some("D1")
        }),
    )
}

// Not as the reference: pandas stops with an error on a child with no valid start date; here the child is left out.
/// Each child's episode with the earliest start date (the latest with `latest`),
/// the first in row order on ties: `groupby("CHILD")["DECOM"].idxmin()`.
fn first_by_child(episodes: &Frame, latest: bool) -> HashMap<&str, usize> {
    let decom = episodes.col("DECOM");
    let extreme = if latest { Extreme::Latest } else { Extreme::Earliest };
    extreme_by_child_in_order(episodes, episodes.rows(), |r| episodes.date(r, decom), extreme)
        .into_iter()
        .map(|(id, row, _)| (id, row))
        .collect()
}

/// This year's and last year's episodes, with (this year's first episode, last
/// year's last episode) for each child in both.
struct YearEnd<'a> {
    this: &'a Frame,
    last: &'a Frame,
    pairs: Vec<(usize, usize)>,
}

fn first_after_last(d: &Dataset) -> Option<YearEnd<'_>> {
    let this = d.this(Table::Episodes)?;
    let last = d.last(Table::Episodes)?;
    let latest = first_by_child(last, true);
    let pairs = first_by_child(this, false)
        .into_iter()
        .filter_map(|(id, first)| latest.get(id).map(|&l| (first, l)))
        .collect();
    Some(YearEnd { this, last, pairs })
}

/// 452: when last year's last episode is still open and the first episode this
/// year has the same reason for new episode, the LA of placement must not change.
fn rule_452(d: &Dataset) -> Outcome {
    let YearEnd { this, last, pairs } = first_after_last(d)?;
    let (rne, rne_last) = (this.col("RNE"), last.col("RNE"));
    let (la, la_last) = (this.col("PL_LA"), last.col("PL_LA"));
    let dec_last = last.col("DEC");
    flag(
        Table::Episodes,
        pairs
            .into_iter()
            .filter(|&(first, l)| {
                this.get(first, rne).is_some()
                    && this.get(first, rne) == last.get(l, rne_last)
                    && last.get(l, dec_last).is_none()
                    && as_text(this.get(first, la)) != as_text(last.get(l, la_last))
            })
            .map(|(first, _)| first),
    )
}

/// Whether two placement distances differ by 0.2 miles or more, or only this
/// year's is given.
fn distance_changed(now: Option<&str>, before: Option<&str>) -> bool {
    let miles = |v: Option<&str>| v.and_then(|v| v.trim().parse::<f64>().ok());
    let moved = matches!((miles(now), miles(before)), (Some(a), Some(b)) if (a - b).abs() >= 0.2);
    moved || (before.is_none() && now.is_some())
}

/// 453 and 503G: when last year's last episode is still open, the first episode
/// this year must have the same placement distance (453 only when the reason for
/// new episode is the same).
fn distance_differs_from_last_year(d: &Dataset, same_rne_only: bool) -> Outcome {
    let YearEnd { this, last, pairs } = first_after_last(d)?;
    let (rne, rne_last) = (this.col("RNE"), last.col("RNE"));
    let (miles, miles_last) = (this.col("PL_DISTANCE"), last.col("PL_DISTANCE"));
    let dec_last = last.col("DEC");
    let mut flagged: Vec<usize> = pairs
        .into_iter()
        .filter(|&(first, l)| {
            let same_rne = this.get(first, rne).is_some() && this.get(first, rne) == last.get(l, rne_last);
            last.date(l, dec_last).is_none()
                && (same_rne || !same_rne_only)
                && distance_changed(this.get(first, miles), last.get(l, miles_last))
        })
        .map(|(first, _)| first)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

/// 453: the placement distance must carry over from last year's open episode
/// when the reason for new episode does.
fn rule_453(d: &Dataset) -> Outcome {
    distance_differs_from_last_year(d, true)
}

/// 503G: the placement distance must carry over from last year's open episode.
fn rule_503g(d: &Dataset) -> Outcome {
    distance_differs_from_last_year(d, false)
}

/// 454: a placement distance over 350 miles is an error, except the 999.9 code.
fn rule_454(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let distance = episodes.col("PL_DISTANCE");
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let miles = episodes.get(r, distance).and_then(|v| v.trim().parse::<f64>().ok());
            miles.is_some_and(|m| m > 350.0 && m != 999.9)
        }),
    )
}

// Not as the reference: it stops with an error when an E17 child has two Header rows; here either can fail the episode.
/// 460: an episode ending because the child stayed with their carers at 18 (E17)
/// must end on or after the 18th birthday.
fn rule_460(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let episodes = d.this(Table::Episodes)?;
    let headers = merge_groups(header, header.col("CHILD"));
    let dob = header.col("DOB");
    let (child, rec, dec) = (episodes.col("CHILD"), episodes.col("REC"), episodes.col("DEC"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let ended = episodes.date(r, dec);
            episodes.get(r, rec) == Some("E17")
                && headers
                    .get(&episodes.get(r, child))
                    .into_iter()
                    .flatten()
                    .any(|&h| before(ended, birthday(header.date(h, dob), 18)))
        }),
    )
}

/// 501: an episode must not start before the child's previous episode ended.
fn rule_501(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (decom, dec) = (episodes.col("DECOM"), episodes.col("DEC"));
    let mut flagged: Vec<usize> = consecutive_episodes(episodes)
        .into_iter()
        .filter(|&(prev, this)| before(episodes.date(this, decom), episodes.date(prev, dec)))
        .map(|(_, this)| this)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

/// 502: when last year ended with an open episode, this year's first episode must
/// start the day that episode started.
fn rule_502(d: &Dataset) -> Outcome {
    let this = d.this(Table::Episodes)?;
    let last = d.last(Table::Episodes)?;
    let (child, decom, dec) = (last.col("CHILD"), last.col("DECOM"), last.col("DEC"));
    let mut open_starts: HashMap<&str, Vec<Option<Date>>> = HashMap::new();
    for row in last.rows().filter(|&r| last.get(r, dec).is_none()) {
        if let Some(id) = last.get(row, child) {
            open_starts.entry(id).or_default().push(last.date(row, decom));
        }
    }
    let this_decom = this.col("DECOM");
    let mut flagged: Vec<usize> = first_by_child(this, false)
        .into_iter()
        .filter(|(id, first)| {
            let started = this.date(*first, this_decom);
            open_starts
                .get(id)
                .is_some_and(|starts| starts.iter().any(|&s| s != started))
        })
        .map(|(_, first)| first)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

/// Placement type changes over the year end the DfE allows in a given year (503D).
fn allowed_place_change(year: i16, now: Option<&str>, before: Option<&str>) -> bool {
    match year {
        2024 | 2025 => now == Some("K3") && before == Some("H5"),
        2026 => is_in(now, &["Z11", "Z12", "Z13", "Z14"]) && before == Some("Z1"),
        _ => false,
    }
}

/// 503A to 503F, 503H, 503J: when last year's last episode is still open, the first
/// episode this year must carry the same `field`.
fn differs_from_last_year(d: &Dataset, field: &str) -> Outcome {
    let YearEnd { this, last, pairs } = first_after_last(d)?;
    let (now, before) = (this.col(field), last.col(field));
    let dec_last = last.col("DEC");
    let mut flagged: Vec<usize> = pairs
        .into_iter()
        .filter(|&(first, l)| {
            let (a, b) = (this.get(first, now), last.get(l, before));
            a != b && last.date(l, dec_last).is_none() && !(field == "PLACE" && allowed_place_change(d.year, a, b))
        })
        .map(|(first, _)| first)
        .collect();
    flagged.sort_unstable();
    flag(Table::Episodes, flagged)
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{dataset, frame, ran, run};
    use crate::ssda903::tables::Table;
    use crate::ssda903::validate::{Dataset, Follow, Frame};

    type Row<'a> = &'a [(&'a str, &'a str)];

    /// The rows rule `code` flags in `d` when following `follow`.
    fn run_as(d: &Dataset, follow: Follow, code: &str) -> Vec<(&'static str, usize)> {
        let mut d = d.clone();
        d.follow = follow;
        run(&d, code)
    }

    /// A frame with columns the reference derives (`UASC`, `PL_DISTANCE`, `PL_LA`, ...);
    /// an empty value is blank.
    fn with_derived(table: Table, rows: &[Row], derived: &[(&str, &[&str])]) -> Frame {
        let mut frame = frame(table, rows);
        for (name, values) in derived {
            frame.add_column(name, |_, row| {
                values.get(row).filter(|v| !v.is_empty()).map(|v| (*v).to_owned())
            });
        }
        frame
    }

    fn of(year: i16, this: Vec<Frame>, last: Vec<Frame>) -> Dataset {
        let mut d = Dataset::new(year);
        for frame in this {
            d.add(frame, false).unwrap();
        }
        for frame in last {
            d.add(frame, true).unwrap();
        }
        d.derive_columns();
        d
    }

    fn episodes(year: i16, rows: &[Row]) -> Dataset {
        dataset(year).table(Table::Episodes, rows).done()
    }

    /// Rows of `table`, as `run` lists them.
    fn at(table: &'static str, rows: &[usize]) -> Vec<(&'static str, usize)> {
        rows.iter().map(|&r| (table, r)).collect()
    }

    #[test]
    fn rule_387_independent_living_needs_age_14() {
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "101"), ("REC", "E5"), ("DEC", "16/03/2021")],
                    &[("CHILD", "102"), ("REC", "E6"), ("DEC", "17/06/2020")],
                    &[("CHILD", "101"), ("REC", "X1"), ("DEC", "20/03/2020")],
                    &[("CHILD", "102")],
                    &[("CHILD", "103"), ("REC", "E6"), ("DEC", "23/08/2020")],
                    &[("CHILD", "104"), ("REC", "E5"), ("DEC", "19XX/33rd")],
                    &[("CHILD", "105"), ("REC", "E6")],
                ],
            )
            .table(
                Table::Header,
                &[
                    &[("CHILD", "101"), ("DOB", "16/03/2005")],
                    &[("CHILD", "102"), ("DOB", "23/09/2002")],
                    &[("CHILD", "103"), ("DOB", "31/12/2014")],
                    &[("CHILD", "104"), ("DOB", "31/12/2014")],
                    &[("CHILD", "105"), ("DOB", "01/01/2004")],
                    &[("CHILD", "105"), ("DOB", "01/01/2004")],
                ],
            )
            .done();
        assert_eq!(run(&d, "387"), [("Episodes", 4)]);
    }

    #[test]
    fn rule_388_x1_needs_a_continuation_episode_and_only_then() {
        let data: &[(&str, &str, &str, &str)] = &[
            ("111", "01/06/2020", "04/06/2020", "X1"),
            ("111", "05/06/2020", "06/06/2020", "X1"),
            ("111", "06/06/2020", "08/06/2020", "X1"),
            ("111", "08/06/2020", "05/06/2020", "X1"),
            ("222", "05/06/2020", "06/06/2020", ""),
            ("333", "06/06/2020", "07/06/2020", "E11"),
            ("333", "07/06/2020", "", ""),
            ("444", "08/06/2020", "09/06/2020", "X1"),
            ("444", "09/06/2020", "10/06/2020", "E11"),
            ("444", "15/06/2020", "", ""),
            ("555", "11/06/2020", "12/06/2020", "X1"),
            ("6666", "12/06/2020", "13/06/2020", "X1"),
            ("6666", "13/06/2020", "14/06/2020", "X1"),
            ("6666", "14/06/2020", "15/06/2020", "X1"),
            ("6666", "15/06/2020", "16/06/2020", "X1"),
            ("77777", "16/06/2020", "17/06/2020", "X1"),
            ("77777", "17/06/2020", "18/06/2020", "X1"),
            ("77777", "18/06/2020", "", ""),
            ("999", "31/06/2020", "", ""),
            ("123", "", "", ""),
            ("", "", "", ""),
        ];
        let rows: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|&(c, decom, dec, rec)| vec![("CHILD", c), ("DECOM", decom), ("DEC", dec), ("REC", rec)])
            .collect();
        let rows: Vec<Row> = rows.iter().map(Vec::as_slice).collect();
        assert_eq!(run(&episodes(2026, &rows), "388"), at("Episodes", &[0, 3, 5, 10, 14]));
    }

    #[test]
    fn rule_388_blank_start_dates_sort_first_as_1_january_1901() {
        // Blank starts become 1 January 1901 and sort first, in row order: row 1
        // ends the day row 2 starts, row 0 does not, and row 2 is the last episode.
        let d = episodes(
            2026,
            &[
                &[("CHILD", "1"), ("DEC", "01/01/2020"), ("REC", "X1")],
                &[("CHILD", "1"), ("DEC", "01/01/1901"), ("REC", "X1")],
                &[
                    ("CHILD", "1"),
                    ("DECOM", "01/01/1901"),
                    ("DEC", "01/02/2020"),
                    ("REC", "X1"),
                ],
            ],
        );
        assert_eq!(run(&d, "388"), at("Episodes", &[0, 2]));
    }

    #[test]
    fn rule_389_adult_social_care_needs_age_16() {
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "101"), ("REC", "E7"), ("DEC", "16/03/2021")],
                    &[("CHILD", "102"), ("REC", "E7"), ("DEC", "17/06/2020")],
                    &[("CHILD", "101"), ("REC", "X1"), ("DEC", "20/03/2020")],
                    &[("CHILD", "102")],
                    &[("CHILD", "103"), ("REC", "E7"), ("DEC", "23/08/2020")],
                ],
            )
            .table(
                Table::Header,
                &[
                    &[("CHILD", "101"), ("DOB", "16/03/2005")],
                    &[("CHILD", "102"), ("DOB", "23/09/2002")],
                    &[("CHILD", "103"), ("DOB", "31/12/2014")],
                    &[("CHILD", "103"), ("DOB", "31/12/2014")],
                ],
            )
            .done();
        assert_eq!(run(&d, "389"), [("Episodes", 4)]);
    }

    #[test]
    fn rule_390_adoption_needs_an_adoption_placement() {
        let d = episodes(
            2026,
            &[
                &[("PLACE", "P1"), ("REC", "E11")],
                &[("PLACE", "x"), ("REC", "x")],
                &[("PLACE", "A4"), ("REC", "E12")],
                &[("PLACE", "P1"), ("REC", "E12")],
                &[("PLACE", "A5"), ("REC", "E11")],
                &[("PLACE", "A6"), ("REC", "x")],
                &[("PLACE", "x"), ("REC", "x")],
            ],
        );
        assert_eq!(run(&d, "390"), at("Episodes", &[0, 3]));
    }

    #[test]
    fn rule_391_care_leaver_outcomes_only_from_17() {
        // The reference's test, eight years later (its collection ended 31 March 2018).
        let d = dataset(2026)
            .table(
                Table::Oc3,
                &[
                    &[("CHILD", "A"), ("DOB", "01/01/2009"), ("IN_TOUCH", "DIED")],
                    &[("CHILD", "B"), ("DOB", "01/01/2024"), ("IN_TOUCH", "Yes")],
                    &[
                        ("CHILD", "C"),
                        ("DOB", "20/12/2005"),
                        ("IN_TOUCH", "RHOM"),
                        ("ACTIV", "XXX"),
                    ],
                    &[("CHILD", "D"), ("DOB", "01/01/2010"), ("ACCOM", "XXX")],
                    &[("CHILD", "E"), ("DOB", "03/01/2012")],
                ],
            )
            .done();
        assert_eq!(run(&d, "391"), at("OC3", &[1, 3]));
    }

    const UASC_EPISODES: &[Row] = &[
        &[("CHILD", "111"), ("LS", "L1")],
        &[("CHILD", "222"), ("LS", "L1")],
        &[("CHILD", "222"), ("LS", "V3")],
        &[("CHILD", "333"), ("LS", "L1")],
        &[("CHILD", "333"), ("LS", "V4")],
        &[("CHILD", "345"), ("LS", "L1")],
        &[("CHILD", "444"), ("LS", "L1")],
        &[("CHILD", "444"), ("LS", "V3")],
        &[("CHILD", "555"), ("LS", "L1")],
    ];

    fn uasc_header(children: &[&str], uasc: &'static [&'static str]) -> Frame {
        let rows: Vec<Vec<(&str, &str)>> = children.iter().map(|c| vec![("CHILD", *c)]).collect();
        let rows: Vec<Row> = rows.iter().map(Vec::as_slice).collect();
        with_derived(Table::Header, &rows, &[("UASC", uasc)])
    }

    #[test]
    fn rule_392a_distance_needed_unless_short_breaks_or_uasc() {
        let distance: &[&str] = &["XX1", "", "XX1", "", "XX1", "", "XX1", "", ""];
        let this = || with_derived(Table::Episodes, UASC_EPISODES, &[("PL_DISTANCE", distance)]);
        let header = || {
            uasc_header(
                &["111", "222", "333", "345", "444", "555"],
                &["1", "0", "0", "0", "0", "0"],
            )
        };
        let header_last = uasc_header(&["111", "222", "333", "345", "444"], &["0", "0", "0", "0", "1"]);
        let d = of(2026, vec![this(), header()], vec![header_last]);
        assert_eq!(run(&d, "392a"), at("Episodes", &[1, 3, 5, 8]));

        let uasc_last = frame(
            Table::Uasc,
            &[&[("CHILD", "333"), ("DUC", "something")], &[("CHILD", "555")]],
        );
        let d = of(2026, vec![this(), header()], vec![uasc_last]);
        assert_eq!(run(&d, "392a"), at("Episodes", &[1, 5, 8]));
    }

    #[test]
    fn rule_392a_needs_some_uasc_information() {
        let d = episodes(2026, &[&[("CHILD", "1"), ("LS", "C2")]]);
        assert!(!ran(&d, "392a"));
        // Reference quirk: with only a UASC table whose rows give no detail the
        // reference stops with an error; here no child is UASC and the rule runs.
        let d = dataset(2026)
            .table(Table::Episodes, &[&[("CHILD", "1"), ("LS", "C2")]])
            .table(Table::Uasc, &[&[("CHILD", "1")]])
            .done();
        assert_eq!(run(&d, "392a"), [("Episodes", 0)]);
    }

    #[test]
    fn rule_392b_postcodes_needed_unless_short_breaks_or_uasc() {
        let rows_392b: &[Row] = &[
            &[("CHILD", "111"), ("LS", "L1"), ("HOME_POST", "XX1"), ("PL_POST", "XX1")],
            &[("CHILD", "222"), ("LS", "L1"), ("HOME_POST", "XX1")],
            &[("CHILD", "222"), ("LS", "V3"), ("PL_POST", "XX1")],
            &[("CHILD", "333"), ("LS", "L1"), ("HOME_POST", "XX1")],
            &[("CHILD", "333"), ("LS", "V4"), ("HOME_POST", "XX1"), ("PL_POST", "XX1")],
            &[("CHILD", "345"), ("LS", "L1"), ("HOME_POST", "XX1")],
            &[("CHILD", "444"), ("LS", "L1"), ("HOME_POST", "XX1"), ("PL_POST", "XX1")],
            &[("CHILD", "444"), ("LS", "V3")],
        ];
        let header = uasc_header(&["111", "222", "333", "345", "444"], &["1", "0", "0", "0", "0"]);
        let header_last = uasc_header(&["111", "222", "333", "345", "444"], &["0", "0", "0", "0", "1"]);
        let d = of(2026, vec![frame(Table::Episodes, rows_392b), header], vec![header_last]);
        assert_eq!(run(&d, "392b"), at("Episodes", &[1, 3, 5]));

        let uasc_last = frame(
            Table::Uasc,
            &[&[("CHILD", "222"), ("DUC", "01/01/1990")], &[("CHILD", "345")]],
        );
        let d = of(2026, vec![frame(Table::Episodes, rows_392b)], vec![uasc_last]);
        assert_eq!(run(&d, "392b"), at("Episodes", &[3, 5]));
    }

    #[test]
    fn rule_392c_does_not_run_without_the_postcode_list() {
        let d = episodes(2026, &[&[("HOME_POST", "AB1 0JD"), ("PL_POST", "invalid")]]);
        assert!(!ran(&d, "392c"));
    }

    #[test]
    fn rule_392d_same_postcodes_only_when_placed_with_parents() {
        let d = episodes(
            2026,
            &[
                &[("PLACE", "P2"), ("PL_POST", "BN20"), ("HOME_POST", "BN20")],
                &[("PLACE", "P1"), ("PL_POST", "BN20"), ("HOME_POST", "BN20")],
                &[("PLACE", "P2"), ("PL_POST", "BN21"), ("HOME_POST", "BN20")],
                &[("PLACE", "P2")],
            ],
        );
        assert_eq!(run(&d, "392d"), [("Episodes", 0)]);
    }

    fn rule_393_data(year: i16, female: &str, male: &str) -> Dataset {
        dataset(year)
            .table(
                Table::Header,
                &[
                    &[("CHILD", "101"), ("SEX", female), ("MOTHER", "1")],
                    &[("CHILD", "102"), ("SEX", male)],
                    &[("CHILD", "103"), ("SEX", female), ("MOTHER", "0")],
                    &[("CHILD", "104"), ("SEX", female)],
                    &[("CHILD", "105"), ("SEX", female)],
                ],
            )
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "101"), ("LS", "C2")],
                    &[("CHILD", "102"), ("LS", "C2")],
                    &[("CHILD", "103"), ("LS", "c2")],
                    &[("CHILD", "104"), ("LS", "C1")],
                    &[("CHILD", "105"), ("LS", "v4")],
                ],
            )
            .done()
    }

    #[test]
    fn rule_393_mother_needed_for_looked_after_girls_with_sex_codes_by_year() {
        assert_eq!(run(&rule_393_data(2024, "2", "1"), "393"), [("Header", 3)]);
        assert_eq!(run(&rule_393_data(2025, "F", "M"), "393"), [("Header", 3)]);
        assert_eq!(run(&rule_393_data(2025, "2", "1"), "393"), []);
    }

    #[test]
    fn rule_398_no_postcodes_for_short_breaks() {
        let d = episodes(
            2026,
            &[
                &[("HOME_POST", "AB1 0JD"), ("LS", "V3"), ("PL_POST", "AB1 0JD")],
                &[("HOME_POST", "invalid"), ("LS", "U1"), ("PL_POST", "AB1 0JD")],
                &[("HOME_POST", "AB1 0JD"), ("LS", "V4")],
                &[("HOME_POST", "invalid"), ("LS", "T1"), ("PL_POST", "invalid")],
                &[("HOME_POST", "AB10JD"), ("LS", "U1"), ("PL_POST", "AB1 0JD")],
            ],
        );
        assert_eq!(run(&d, "398"), at("Episodes", &[0, 2]));
    }

    #[test]
    fn rule_399_no_mother_or_reviews_when_only_short_breaks() {
        let children = ["101", "102", "103", "104", "105", "106", "108", "109"];
        let mothers = ["0", "0", "", "", "1", "0", "1", ""];
        let reviews = [
            ("31/12/2008", "PN1"),
            ("01/01/2012", "PN2"),
            ("", ""),
            ("01/01/2009", "PN4"),
            ("01/01/2012", "PN5"),
            ("01/01/2017", "PN6"),
            ("01/01/2021", "PN7"),
            ("01/01/2015", "PN0"),
        ];
        let header: Vec<Vec<(&str, &str)>> = children
            .iter()
            .zip(mothers)
            .map(|(c, m)| vec![("CHILD", *c), ("MOTHER", m)])
            .collect();
        let review_rows: Vec<Vec<(&str, &str)>> = children
            .iter()
            .zip(reviews)
            .map(|(c, (r, code))| vec![("CHILD", *c), ("REVIEW", r), ("REVIEW_CODE", code)])
            .collect();
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "101"), ("LS", "V4")],
                    &[("CHILD", "101"), ("LS", "V4")],
                    &[("CHILD", "103"), ("LS", "V3")],
                    &[("CHILD", "104"), ("LS", "L4")],
                    &[("CHILD", "105")],
                    &[("CHILD", "106"), ("LS", "V4")],
                    &[("CHILD", "108"), ("LS", "V3")],
                    &[("CHILD", "108"), ("LS", "XO")],
                ],
            )
            .table(Table::Header, &header.iter().map(Vec::as_slice).collect::<Vec<_>>())
            .table(
                Table::Reviews,
                &review_rows.iter().map(Vec::as_slice).collect::<Vec<_>>(),
            )
            .done();
        let mut expected = at("Episodes", &[0, 1, 5]);
        expected.extend(at("Header", &[0, 5]));
        expected.extend(at("Reviews", &[0, 5]));
        assert_eq!(run(&d, "399"), expected);
    }

    #[test]
    fn rule_406_no_distance_for_uasc_children() {
        let distance: &[&str] = &["XX1", "", "XX1", "", "XX1", "", "XX1", ""];
        let children = ["111", "222", "222", "333", "333", "345", "444", "444"];
        let rows_406: Vec<Vec<(&str, &str)>> = children.iter().map(|c| vec![("CHILD", *c)]).collect();
        let rows_406: Vec<Row> = rows_406.iter().map(Vec::as_slice).collect();
        let header = uasc_header(&["111", "222", "333", "345", "444"], &["1", "0", "0", "1", "0"]);
        let header_last = uasc_header(&["111", "222", "333", "345", "444"], &["0", "1", "0", "0", "1"]);
        let eps = with_derived(Table::Episodes, &rows_406, &[("PL_DISTANCE", distance)]);
        let d = of(2026, vec![eps, header], vec![header_last]);
        assert_eq!(run(&d, "406"), at("Episodes", &[0, 2, 6]));
    }

    #[test]
    fn rule_407_special_guardianship_before_18() {
        let data = [
            ("101", "01/01/2009", "E45", "01/01/2000"),
            ("102", "01/01/2001", "A3", "01/01/2001"),
            ("103", "20/12/2001", "E15", "20/12/2001"),
            ("104", "03/01/2019", "E46", "01/01/2000"),
            ("105", "03/04/2008", "E48", "03/01/2000"),
            ("106", "01/01/2002", "X2", "01/01/2002"),
            ("107", "10/01/2002", "E11", "10/01/2002"),
            ("108", "11/02/2020", "E48", "11/01/2002"),
            ("109", "25/01/2002", "X1", "25/01/2002"),
            ("110", "25/01/2002", "E47", "25/01/2002"),
            ("111", "", "E45", "25/01/2002"),
            ("112", "25/01/2002", "E46", ""),
        ];
        let eps: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|&(c, dec, rec, _)| vec![("CHILD", c), ("DEC", dec), ("REC", rec)])
            .collect();
        let hdr: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|&(c, _, _, dob)| vec![("CHILD", c), ("DOB", dob)])
            .collect();
        let d = dataset(2026)
            .table(Table::Episodes, &eps.iter().map(Vec::as_slice).collect::<Vec<_>>())
            .table(Table::Header, &hdr.iter().map(Vec::as_slice).collect::<Vec<_>>())
            .done();
        let mut expected = at("Episodes", &[3, 7]);
        expected.extend(at("Header", &[3, 7]));
        assert_eq!(run(&d, "407"), expected);
    }

    #[test]
    fn rule_408_placed_for_adoption_needs_a_placement_order() {
        let d = episodes(
            2026,
            &[
                &[("PLACE", "A5"), ("LS", "S")],
                &[("PLACE", "V4"), ("LS", "T")],
                &[("PLACE", "A6"), ("LS", "E1")],
                &[("PLACE", "U2")],
                &[("PLACE", "A6"), ("LS", "U")],
                &[("PLACE", "A5")],
            ],
        );
        assert_eq!(run(&d, "408"), at("Episodes", &[0, 4, 5]));
    }

    #[test]
    fn rule_411_placed_in_area_must_be_the_councils_la() {
        let la: &[&str] = &["auth", "somewhere else", "auth", "auth", "somewhere else"];
        let location: &[&str] = &["IN", "OUT", "", "OUT", "IN"];
        let eps = with_derived(
            Table::Episodes,
            &[&[], &[], &[], &[], &[]],
            &[("PL_LA", la), ("PL_LOCATION", location)],
        );
        let mut d = of(2026, vec![eps], vec![]);
        d.local_authority = Some("AUTH".to_owned());
        assert_eq!(run(&d, "411"), [("Episodes", 4)]);
    }

    #[test]
    fn rule_420_no_la_of_placement_for_short_breaks() {
        let la: &[&str] = &["", "E03934134", "E059635", "", "", "NIR"];
        let eps = with_derived(
            Table::Episodes,
            &[
                &[("LS", "C2")],
                &[("LS", "V3")],
                &[("LS", "V4")],
                &[("LS", "V3")],
                &[("LS", "V4")],
                &[("LS", "C2")],
            ],
            &[("PL_LA", la)],
        );
        assert_eq!(run(&of(2026, vec![eps], vec![]), "420"), at("Episodes", &[1, 2]));
    }

    #[test]
    fn rule_426_not_both_v3_and_v4() {
        let d = episodes(
            2026,
            &[
                &[("CHILD", "111"), ("LS", "V3")],
                &[("CHILD", "111"), ("LS", "V3")],
                &[("CHILD", "222"), ("LS", "V3")],
                &[("CHILD", "222"), ("LS", "V4")],
                &[("CHILD", "222"), ("LS", "X1")],
                &[("CHILD", "444"), ("LS", "V3")],
                &[("CHILD", "555"), ("LS", "V4")],
                &[("CHILD", "555"), ("LS", "V3")],
                &[("CHILD", "555"), ("LS", "V3")],
                // Blank CHILDs are no child; the reference's merge matches them.
                &[("LS", "V3")],
                &[("LS", "V4")],
            ],
        );
        let cases = [
            (Follow::RuleText, at("Episodes", &[2, 3, 6, 7, 8])),
            (Follow::Reference, at("Episodes", &[2, 3, 6, 7, 8, 9, 10])),
        ];
        for (follow, expected) in cases {
            assert_eq!(run_as(&d, follow, "426"), expected, "{follow:?}");
        }
    }

    /// Episodes from (CHILD, DECOM, DEC, RNE) tuples.
    fn spells(data: &[(&str, &str, &str, &str)]) -> Dataset {
        let rows: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|&(c, decom, dec, rne)| vec![("CHILD", c), ("DECOM", decom), ("DEC", dec), ("RNE", rne)])
            .collect();
        episodes(2026, &rows.iter().map(Vec::as_slice).collect::<Vec<_>>())
    }

    #[test]
    fn rule_431_new_period_of_care_starts_after_the_last_ended() {
        let d = spells(&[
            ("111", "01/06/2020", "04/06/2020", "S"),
            ("111", "05/06/2020", "06/06/2020", "S"),
            ("111", "06/06/2020", "08/06/2020", "T"),
            ("111", "08/06/2020", "05/06/2020", "S"),
            ("222", "05/06/2020", "06/06/2020", "S"),
            ("333", "06/06/2020", "07/06/2020", "S"),
            ("333", "10/06/2020", "", "S"),
            ("444", "08/06/2020", "09/06/2020", "S"),
            ("444", "09/06/2020", "10/06/2020", "S"),
            ("444", "15/06/2020", "", "S"),
            ("555", "11/06/2020", "12/06/2020", "S"),
            ("6666", "12/06/2020", "13/06/2020", "S"),
            ("6666", "13/06/2020", "14/06/2020", "S"),
            ("6666", "14/06/2020", "15/06/2020", "S"),
        ]);
        assert_eq!(run(&d, "431"), at("Episodes", &[3, 8, 12, 13]));
    }

    #[test]
    fn rule_432_after_leaving_care_the_next_episode_starts_a_new_period() {
        let data = [
            ("111", "P", "01/06/2020", "E2"),
            ("111", "P", "05/06/2020", "E3"),
            ("111", "T", "06/06/2020", "E3"),
            ("111", "S", "08/06/2020", ""),
            ("222", "S", "05/06/2020", "E3"),
            ("333", "B", "06/06/2020", "E3"),
            ("333", "U", "10/06/2020", ""),
            ("444", "S", "07/06/2020", "E3"),
            ("444", "S", "08/06/2020", "E3"),
            ("444", "T", "09/06/2020", "E3"),
            ("444", "S", "15/06/2020", "E3"),
        ];
        let eps: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|&(c, rne, decom, rec)| vec![("CHILD", c), ("RNE", rne), ("DECOM", decom), ("REC", rec)])
            .collect();
        let d = episodes(2026, &eps.iter().map(Vec::as_slice).collect::<Vec<_>>());
        assert_eq!(run(&d, "432"), at("Episodes", &[1, 2, 6, 9]));
    }

    #[test]
    fn rule_433_continuation_starts_the_day_the_last_ended() {
        let d = spells(&[
            ("101", "20/10/2021", "20/11/2021", "S"),
            ("102", "19/11/2021", "", "P"),
            ("102", "17/06/2021", "19/11/2021", "P"),
            ("103", "04/04/2020", "12/09/2020", "B"),
            ("103", "11/09/2020", "06/05/2021", "B"),
            ("103", "07/05/2021", "", "B"),
        ]);
        assert_eq!(run(&d, "433"), at("Episodes", &[4, 5]));
    }

    #[test]
    fn rule_433_compares_days_and_the_reference_compares_text() {
        // 1/6/2020 and 01/06/2020 are the same day but not the same text.
        let d = spells(&[
            ("1", "01/01/2020", "1/6/2020", "S"),
            ("1", "01/06/2020", "", "P"),
            ("2", "01/01/2020", "02/06/2020", "S"),
            ("2", "01/06/2020", "", "P"),
        ]);
        let cases = [
            (Follow::RuleText, at("Episodes", &[3])),
            (Follow::Reference, at("Episodes", &[1, 3])),
        ];
        for (follow, expected) in cases {
            assert_eq!(run_as(&d, follow, "433"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_434_legal_status_change_only() {
        let data = [
            ("111", "01/01/2020", "L", "--", "ooo", "---"),
            ("111", "01/02/2020", "P", "--", "ooo", "---"),
            ("111", "01/12/2020", "L", "--", "ooo", "---"),
            ("111", "01/03/2020", "P", "--", "ooo", "---"),
            ("222", "01/01/2020", "L", "--", "---", "---"),
            ("222", "01/02/2020", "L", "xx", "---", "---"),
            ("222", "01/03/2020", "L", "oo", "---", "xxx"),
            ("222", "01/04/2020", "L", "oo", "xxx", "xxx"),
            ("333", "01/03/2020", "P", "C1", "---", ""),
            ("333", "01/04/2020", "L", "C2", "---", ""),
        ];
        let eps: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|&(c, decom, rne, ls, post, urn)| {
                vec![
                    ("CHILD", c),
                    ("DECOM", decom),
                    ("RNE", rne),
                    ("LS", ls),
                    ("PL_POST", post),
                    ("URN", urn),
                    ("PLACE", "---"),
                    ("PLACE_PROVIDER", "---"),
                ]
            })
            .collect();
        let d = episodes(2026, &eps.iter().map(Vec::as_slice).collect::<Vec<_>>());
        assert_eq!(run(&d, "434"), at("Episodes", &[2, 6, 7]));
    }

    /// Episodes from (CHILD, DECOM, RNE, LS, PLACE, PL_POST, URN, PLACE_PROVIDER).
    fn placements(data: &[[&str; 8]]) -> Dataset {
        let names = [
            "CHILD",
            "DECOM",
            "RNE",
            "LS",
            "PLACE",
            "PL_POST",
            "URN",
            "PLACE_PROVIDER",
        ];
        let eps: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|row| names.iter().copied().zip(row.iter().copied()).collect())
            .collect();
        episodes(2026, &eps.iter().map(Vec::as_slice).collect::<Vec<_>>())
    }

    #[test]
    fn rule_435_placement_change_only() {
        let d = placements(&[
            ["111", "01/06/2020", "P", "L1", "R1", "XX1", "SC112", "PR1"],
            ["111", "03/06/2020", "P", "L1", "R1", "XX3", "SC112", "PR1"],
            ["111", "04/06/2020", "P", "L1", "R1", "XX3", "SC112", "PR1"],
            ["111", "05/06/2020", "P", "L1", "R1", "XX1", "SC112", "PR1"],
            ["222", "07/06/2020", "P", "L1", "R1", "XX1", "SC112", "PR4"],
            ["222", "08/06/2020", "P", "L1", "R1", "XX1", "SC112", "PR1"],
            ["222", "09/06/2020", "P", "L3", "R1", "XX1", "SC112", "PR1"],
        ]);
        assert_eq!(run(&d, "435"), at("Episodes", &[2, 6]));
    }

    #[test]
    fn rule_436_placement_and_legal_status_change() {
        let d = placements(&[
            ["11", "03/06/2020", "P", "P", "X1", "X1", "R", "b"],
            ["11", "05/06/2020", "U", "X", "X1", "X1", "a", "b"],
            ["11", "06/06/2020", "B", "P", "X1", "X1", "a", "b"],
            ["11", "08/06/2020", "U", "X", "X1", "TT", "a", "b"],
            ["22", "05/06/2020", "U", "P", "", "X1", "a", "b"],
            ["33", "06/06/2020", "P", "P", "E11", "X1", "a", "b"],
            ["33", "07/06/2020", "B", "", "", "X1", "a", "b"],
            ["44", "08/06/2020", "T", "P", "X1", "X1", "a", "b"],
            ["44", "09/06/2020", "B", "P", "E11", "X1", "a", "b"],
            ["44", "15/06/2020", "B", "P", "", "X1", "a", "b"],
            ["55", "11/06/2020", "P", "P", "X1", "X1", "a", "b"],
            ["66", "12/06/2020", "P", "P", "X1", "X1", "a", "b"],
            ["66", "13/06/2020", "P", "P", "X1", "X1", "a", "b"],
            ["66", "14/06/2020", "B", "X", "X1", "X1", "a", "b"],
            ["66", "15/06/2020", "P", "P", "X1", "X1", "a", "b"],
            ["77", "16/06/2020", "P", "P", "X1", "X1", "a", "b"],
            ["77", "17/06/2020", "B", "P", "X1", "X1", "a", "b"],
            ["77", "18/06/2020", "P", "", "", "X1", "a", "b"],
            ["99", "31/06/2020", "P", "", "", "X1", "a", "b"],
            ["12", "", "U", "", "", "X1", "a", "b"],
            ["", "", "U", "", "", "X1", "a", "b"],
        ]);
        assert_eq!(run(&d, "436"), at("Episodes", &[2, 8, 9, 13, 16]));
    }

    #[test]
    fn rule_436_a_blank_equals_a_blank_and_a_star() {
        let d = placements(&[
            ["1", "01/01/2020", "P", "", "*", "X", "", "P"],
            ["1", "02/01/2020", "B", "*", "Q", "Y", "", "Q"],
        ]);
        assert_eq!(run(&d, "436"), [("Episodes", 1)]);
    }

    #[test]
    fn rule_437_no_episode_after_death_or_18() {
        let data = [
            ("101", "20/10/2021", "E2"),
            ("102", "19/11/2021", "E15"),
            ("102", "17/06/2021", "X1"),
            ("103", "04/04/2020", "X1"),
            ("103", "11/09/2020", "E15"),
            ("103", "07/05/2021", ""),
            ("104", "15/02/2020", "X1"),
            ("104", "09/04/2020", "E4a"),
            ("104", "24/09/2020", "X1"),
            ("104", "30/06/2021", ""),
            ("105", "", "E2"),
            ("105", "20/12/2020", "X1"),
        ];
        let eps: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|&(c, decom, rec)| vec![("CHILD", c), ("DECOM", decom), ("REC", rec)])
            .collect();
        let d = episodes(2026, &eps.iter().map(Vec::as_slice).collect::<Vec<_>>());
        assert_eq!(run(&d, "437"), [("Episodes", 4)]);
    }

    #[test]
    fn rule_437_an_episode_without_a_start_date_still_counts_as_further() {
        let d = episodes(
            2026,
            &[
                &[("CHILD", "1"), ("DECOM", "01/01/2021"), ("REC", "E2")],
                &[("CHILD", "1"), ("DECOM", "not a date")],
            ],
        );
        assert_eq!(run(&d, "437"), [("Episodes", 0)]);
    }

    fn reviews(data: &[(&str, &str, &str)]) -> Dataset {
        let rows: Vec<Vec<(&str, &str)>> = data
            .iter()
            .map(|&(dob, review, code)| vec![("DOB", dob), ("REVIEW", review), ("REVIEW_CODE", code)])
            .collect();
        dataset(2026)
            .table(Table::Reviews, &rows.iter().map(Vec::as_slice).collect::<Vec<_>>())
            .done()
    }

    #[test]
    fn rule_440_pn0_only_under_4() {
        let d = reviews(&[
            ("01/01/2004", "31/12/2007", "PN0"),
            ("01/01/2006", "01/01/2007", "PN0"),
            ("01/01/2007", "", "PN0"),
            ("01/01/2008", "01/01/2013", "PN0"),
            ("01/01/2010", "01/01/2015", "PN0"),
            ("01/01/2012", "01/01/2014", "PN0"),
            ("01/01/2014", "01/01/2020", "PN1"),
        ]);
        assert_eq!(run(&d, "440"), at("Reviews", &[3, 4]));
    }

    #[test]
    fn rule_441_pn1_to_pn7_only_from_4() {
        let d = reviews(&[
            ("01/01/2004", "31/12/2008", "PN1"),
            ("01/01/2006", "01/01/2012", "PN2"),
            ("01/01/2007", "", "PN3"),
            ("01/01/2008", "01/01/2009", "PN4"),
            ("01/01/2010", "01/01/2012", "PN5"),
            ("01/01/2012", "01/01/2017", "PN6"),
            ("01/01/2014", "01/01/2021", "PN7"),
            ("01/06/2014", "01/01/2015", "PN0"),
        ]);
        assert_eq!(run(&d, "441"), at("Reviews", &[3, 4]));
    }

    #[test]
    fn rule_442_upn_needed_unless_only_short_breaks() {
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "101")],
                    &[("CHILD", "102"), ("LS", "L4")],
                    &[("CHILD", "103")],
                    &[("CHILD", "104"), ("LS", "L4")],
                    &[("CHILD", "105"), ("LS", "L1")],
                    &[("CHILD", "106"), ("LS", "V4")],
                    &[("CHILD", "108"), ("LS", "V3")],
                    &[("CHILD", "999"), ("LS", "XO")],
                ],
            )
            .table(
                Table::Header,
                &[
                    &[("CHILD", "101")],
                    &[("CHILD", "102"), ("UPN", "H801200001001")],
                    &[("CHILD", "103"), ("UPN", "UN1")],
                    &[("CHILD", "104"), ("UPN", "UN2")],
                    &[("CHILD", "105")],
                    &[("CHILD", "106"), ("UPN", "UN3")],
                    &[("CHILD", "108")],
                ],
            )
            .done();
        assert_eq!(run(&d, "442"), at("Header", &[0, 4]));
    }

    #[test]
    fn rule_444_duplicate_upns_from_2026() {
        let upns = [
            "UN1",
            "UN2",
            "UN3",
            "UN4",
            "UN5",
            "UN1",
            "SINGLE1",
            "DUPLICATE1",
            "DUPLICATE1",
            "DUPLICATE2",
            "DUPLICATE2",
        ];
        let rows_444: Vec<Vec<(&str, &str)>> = upns.iter().map(|u| vec![("UPN", *u)]).collect();
        let rows_444: Vec<Row> = rows_444.iter().map(Vec::as_slice).collect();
        let d = dataset(2026).table(Table::Header, &rows_444).done();
        assert_eq!(run(&d, "444"), at("Header", &[7, 8, 9, 10]));
        let d = dataset(2025).table(Table::Header, &rows_444).done();
        assert!(!ran(&d, "444"));
    }

    #[test]
    fn rule_445_and_446_freeing_and_placement_orders_by_date() {
        let d = episodes(
            2024,
            &[
                &[("LS", "D1"), ("DECOM", "01/11/2005")],
                &[("LS", "D1"), ("DECOM", "31/12/2005")],
                &[("LS", "D1")],
                &[("LS", "D1"), ("DECOM", "20/01/2006")],
                &[("LS", "D1"), ("DECOM", "01/10/2012")],
                &[("LS", "C1"), ("DECOM", "20/02/2005")],
            ],
        );
        assert_eq!(run(&d, "445"), at("Episodes", &[3, 4]));
        let d = episodes(
            2026,
            &[
                &[("LS", "E1"), ("DECOM", "01/12/2005")],
                &[("LS", "E1"), ("DECOM", "15/05/2012")],
                &[("LS", "E1")],
                &[("LS", "E1"), ("DECOM", "20/09/2004")],
                &[("LS", "E1"), ("DECOM", "01/10/2005")],
                &[("LS", "C1"), ("DECOM", "20/02/2005")],
            ],
        );
        assert_eq!(run(&d, "446"), at("Episodes", &[3, 4]));
        assert!(!ran(&d, "445"), "445 ends with the 2024 collection");
    }

    #[test]
    fn rule_451_still_freed_for_adoption() {
        let d = episodes(
            2024,
            &[
                &[("CHILD", "101"), ("REC", "E11"), ("DEC", "15/03/2021"), ("LS", "J2")],
                &[("CHILD", "102"), ("REC", "E12"), ("DEC", "17/06/2020"), ("LS", "X")],
                &[("CHILD", "101"), ("REC", "X1"), ("DEC", "20/03/2020"), ("LS", "J2")],
                &[("CHILD", "102"), ("LS", "D1")],
                &[("CHILD", "103"), ("REC", "E11"), ("DEC", "23/08/2020"), ("LS", "D")],
                &[("CHILD", "104"), ("REC", "E11"), ("LS", "D1")],
            ],
        );
        assert_eq!(run(&d, "451"), [("Episodes", 3)]);
    }

    /// The reference's `current_episodes` and `previous_episodes` fixtures, with
    /// the derived PL_DISTANCE and PL_LA.
    fn year_end_fixture() -> Dataset {
        let this = with_derived(
            Table::Episodes,
            &[
                &[
                    ("CHILD", "101"),
                    ("RNE", "S"),
                    ("DECOM", "01/04/2020"),
                    ("DEC", "04/06/2020"),
                ],
                &[("CHILD", "101"), ("RNE", "P"), ("DECOM", "04/06/2020")],
                &[
                    ("CHILD", "103"),
                    ("RNE", "P"),
                    ("DECOM", "03/03/2020"),
                    ("DEC", "10/07/2020"),
                ],
                &[
                    ("CHILD", "103"),
                    ("RNE", "L"),
                    ("DECOM", "10/07/2020"),
                    ("DEC", "09/12/2020"),
                ],
                &[("CHILD", "104"), ("RNE", "B"), ("DECOM", "28/03/2020")],
                &[("CHILD", "105"), ("RNE", "L"), ("DECOM", "16/04/2020")],
                &[("CHILD", "106"), ("RNE", "S"), ("DECOM", "04/11/2020")],
            ],
            &[
                ("PL_DISTANCE", &["400", "400", "10", "10", "185", "165", "165"]),
                ("PL_LA", &["WAL", "WAL", "816", "816", "356", "112", "112"]),
            ],
        );
        let last = with_derived(
            Table::Episodes,
            &[
                &[
                    ("CHILD", "101"),
                    ("RNE", "P"),
                    ("DECOM", "04/06/2020"),
                    ("DEC", "04/06/2021"),
                ],
                &[("CHILD", "101"), ("RNE", "P"), ("DECOM", "04/06/2021")],
                &[
                    ("CHILD", "102"),
                    ("RNE", "L"),
                    ("DECOM", "20/12/2020"),
                    ("DEC", "07/04/2021"),
                ],
                &[("CHILD", "103"), ("RNE", "L"), ("DECOM", "02/02/2021")],
                &[("CHILD", "104"), ("RNE", "B"), ("DECOM", "28/03/2020")],
                &[("CHILD", "105"), ("RNE", "L"), ("DECOM", "16/04/2020")],
                &[("CHILD", "106"), ("RNE", "S"), ("DECOM", "04/11/2020")],
            ],
            &[
                ("PL_DISTANCE", &["400", "400", "10", "10", "999.9", "165", ""]),
                ("PL_LA", &["WAL", "WAL", "816", "816", "CON", "112", ""]),
            ],
        );
        of(2026, vec![this], vec![last])
    }

    #[test]
    fn rules_452_453_503g_503h_first_episode_matches_last_years_open_episode() {
        let d = year_end_fixture();
        for code in ["452", "453", "503G", "503H"] {
            assert_eq!(run(&d, code), at("Episodes", &[4, 6]), "{code}");
        }
    }

    #[test]
    fn rule_454_distance_over_350_miles_from_2026() {
        let miles: &[&str] = &["350", "999.9", "349", "-351", "999", "998", "351", ""];
        let eps = || {
            with_derived(
                Table::Episodes,
                &[&[], &[], &[], &[], &[], &[], &[], &[]],
                &[("PL_DISTANCE", miles)],
            )
        };
        assert_eq!(run(&of(2026, vec![eps()], vec![]), "454"), at("Episodes", &[4, 5, 6]));
        assert!(!ran(&of(2025, vec![eps()], vec![]), "454"));
    }

    #[test]
    fn rule_460_staying_put_needs_age_18() {
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "101"), ("REC", "E17"), ("DEC", "16/03/2023")],
                    &[("CHILD", "102"), ("REC", "E17"), ("DEC", "17/06/2020")],
                    &[("CHILD", "101"), ("REC", "X1"), ("DEC", "20/03/2020")],
                    &[("CHILD", "102")],
                    &[("CHILD", "103"), ("REC", "E17"), ("DEC", "23/08/2020")],
                    &[("CHILD", "104"), ("REC", "E17"), ("DEC", "23/08/2020")],
                ],
            )
            .table(
                Table::Header,
                &[
                    &[("CHILD", "101"), ("DOB", "16/03/2005")],
                    &[("CHILD", "102"), ("DOB", "23/09/2002")],
                    &[("CHILD", "103"), ("DOB", "31/12/2000")],
                    &[("CHILD", "104")],
                ],
            )
            .done();
        assert_eq!(run(&d, "460"), [("Episodes", 1)]);
    }

    #[test]
    fn rule_460_a_child_with_two_header_rows_fails_if_either_makes_them_under_18() {
        // The reference stops with an error here.
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[&[("CHILD", "1"), ("REC", "E17"), ("DEC", "01/06/2020")]],
            )
            .table(
                Table::Header,
                &[
                    &[("CHILD", "1"), ("DOB", "01/01/2000")],
                    &[("CHILD", "1"), ("DOB", "01/01/2005")],
                ],
            )
            .done();
        assert_eq!(run(&d, "460"), [("Episodes", 0)]);
    }

    #[test]
    fn rule_501_no_episode_starts_before_the_last_ended() {
        let d = spells(&[
            ("111", "01/06/2020", "04/06/2020", ""),
            ("111", "02/06/2020", "06/06/2020", ""),
            ("111", "06/06/2020", "", ""),
            ("111", "08/06/2020", "09/06/2020", ""),
            ("222", "10/06/2020", "11/06/2020", ""),
            ("333", "04/06/2020", "07/06/2020", ""),
            ("333", "05/06/2020", "", ""),
            ("444", "08/06/2020", "09/06/2020", ""),
            ("444", "08/06/2020", "10/06/2020", ""),
            ("444", "15/06/2020", "", ""),
        ]);
        assert_eq!(run(&d, "501"), at("Episodes", &[1, 6, 8]));
    }

    /// (CHILD, DECOM, DEC, `field`) rows for this year and last.
    fn year_end(year: i16, field: &str, this: &[(&str, &str, &str)], last: &[(&str, &str, &str, &str)]) -> Dataset {
        let this: Vec<Vec<(&str, &str)>> = this
            .iter()
            .map(|&(c, decom, value)| vec![("CHILD", c), ("DECOM", decom), (field, value)])
            .collect();
        let last: Vec<Vec<(&str, &str)>> = last
            .iter()
            .map(|&(c, decom, dec, value)| vec![("CHILD", c), ("DECOM", decom), ("DEC", dec), (field, value)])
            .collect();
        dataset(year)
            .table(Table::Episodes, &this.iter().map(Vec::as_slice).collect::<Vec<_>>())
            .last(Table::Episodes, &last.iter().map(Vec::as_slice).collect::<Vec<_>>())
            .done()
    }

    #[test]
    fn rule_502_first_episode_starts_when_last_years_open_episode_did() {
        let this = [
            ("111", "01/06/2020", ""),
            ("111", "05/06/2020", ""),
            ("111", "06/06/2020", ""),
            ("123", "08/06/2020", ""),
            ("222", "05/06/2020", ""),
            ("333", "06/06/2020", ""),
            ("333", "07/06/2020", ""),
            ("444", "08/06/2020", ""),
            ("444", "09/06/2020", ""),
            ("444", "15/06/2020", ""),
            ("555", "15/06/2020", ""),
        ];
        let last = [
            ("111", "05/06/2020", "", ""),
            ("123", "08/06/2020", "", ""),
            ("222", "09/06/2020", "", ""),
            ("333", "06/06/2020", "05/06/2020", ""),
            ("333", "07/06/2020", "05/06/2020", ""),
            ("444", "08/06/2020", "05/06/2020", ""),
            ("444", "09/06/2020", "05/06/2020", ""),
            ("444", "19/06/2020", "", ""),
        ];
        assert_eq!(
            run(&year_end(2026, "RNE", &this, &last), "502"),
            at("Episodes", &[0, 4, 7])
        );
    }

    /// This year's episodes of the 503 tests: children and start dates.
    const FIRSTS: [(&str, &str); 8] = [
        ("111", "01/06/2020"),
        ("111", "05/06/2020"),
        ("111", "06/06/2020"),
        ("123", "08/06/2020"),
        ("222", "05/06/2020"),
        ("333", "06/06/2020"),
        ("333", "07/06/2020"),
        ("444", "08/06/2020"),
    ];

    /// Last year's episodes of the 503 tests: children and start dates, all open.
    const LASTS: [(&str, &str); 7] = [
        ("111", "01/06/2020"),
        ("123", "08/06/2020"),
        ("222", "05/06/2020"),
        ("333", "06/06/2020"),
        ("444", "08/06/2020"),
        ("444", "09/06/2020"),
        ("444", "19/06/2020"),
    ];

    fn rule_503(code: &str, field: &str, now: [&str; 8], before: [&str; 7]) -> Vec<(&'static str, usize)> {
        let this: Vec<(&str, &str, &str)> = FIRSTS.iter().zip(now).map(|(&(c, d), v)| (c, d, v)).collect();
        let last: Vec<(&str, &str, &str, &str)> = LASTS.iter().zip(before).map(|(&(c, d), v)| (c, d, "", v)).collect();
        run(&year_end(2026, field, &this, &last), code)
    }

    #[test]
    fn rules_503a_to_503f_and_503j_first_episode_matches_last_years_open_episode() {
        let l = ["L"; 8];
        assert_eq!(
            rule_503("503A", "RNE", l, ["S", "P", "L", "R", "L", "L", "L"]),
            at("Episodes", &[0, 3, 5])
        );
        assert_eq!(
            rule_503("503B", "LS", l, ["L", "E1", "L", "R", "L", "L", "L"]),
            at("Episodes", &[3, 5])
        );
        assert_eq!(
            rule_503(
                "503C",
                "CIN",
                ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N3"],
                ["", "N4", "L", "", "L", "L", "L"]
            ),
            at("Episodes", &[0, 4, 5, 7])
        );
        assert_eq!(
            rule_503(
                "503E",
                "PLACE_PROVIDER",
                ["PR1", "PR2", "PR3", "PR4", "PR5", "PR0", "PR1", "PR3"],
                ["", "PR4", "PR2", "", "PR1", "PR0", "PR2"],
            ),
            at("Episodes", &[0, 4, 5, 7])
        );
        assert_eq!(
            rule_503(
                "503F",
                "URN",
                ["SC055123"; 8],
                ["", "SC055123", "XXX", "", "XXX", "SC055123", "SC055123"]
            ),
            at("Episodes", &[0, 4, 5])
        );
    }

    #[test]
    fn rule_503j_placement_location_matches_last_years_open_episode() {
        let now: &[&str] = &["IN", "IN", "IN", "OUT", "IN", "OUT", "IN", "OUT"];
        let before: &[&str] = &["", "OUT", "OUT", "", "IN", "OUT", "OUT"];
        let this: Vec<Vec<(&str, &str)>> = FIRSTS.iter().map(|&(c, d)| vec![("CHILD", c), ("DECOM", d)]).collect();
        let last: Vec<Vec<(&str, &str)>> = LASTS.iter().map(|&(c, d)| vec![("CHILD", c), ("DECOM", d)]).collect();
        let this = with_derived(
            Table::Episodes,
            &this.iter().map(Vec::as_slice).collect::<Vec<_>>(),
            &[("PL_LOCATION", now)],
        );
        let last = with_derived(
            Table::Episodes,
            &last.iter().map(Vec::as_slice).collect::<Vec<_>>(),
            &[("PL_LOCATION", before)],
        );
        assert_eq!(
            run(&of(2026, vec![this], vec![last]), "503J"),
            at("Episodes", &[0, 4, 5])
        );
    }

    #[test]
    fn rule_503d_placement_type_with_the_changes_each_year_allows() {
        let this = [
            ("111", "01/06/2020", "T1"),
            ("111", "05/06/2020", "T2"),
            ("111", "06/06/2020", "T3"),
            ("123", "08/06/2020", "T4"),
            ("222", "05/06/2020", "T5"),
            ("333", "06/06/2020", "T6"),
            ("333", "07/06/2020", "T7"),
            ("444", "08/06/2020", "T3"),
            ("555", "08/06/2020", "K3"),
            ("888", "08/06/2020", "Z14"),
            ("999", "08/06/2020", "H3"),
        ];
        let last = [
            ("111", "01/06/2020", "", ""),
            ("123", "08/06/2020", "", "N4"),
            ("222", "05/06/2020", "", "L"),
            ("333", "06/06/2020", "", ""),
            ("444", "08/06/2020", "", "L"),
            ("444", "09/06/2020", "", "L"),
            ("444", "19/06/2020", "", "L"),
            ("555", "19/06/2020", "", "H5"),
            ("888", "08/06/2020", "", "Z1"),
            ("999", "08/06/2020", "", "H5"),
        ];
        // K3 after H5 is allowed in 2024 and 2025, Z11 to Z14 after Z1 in 2026.
        for (year, expected) in [
            (2023, vec![0, 3, 4, 5, 7, 8, 9, 10]),
            (2024, vec![0, 3, 4, 5, 7, 9, 10]),
            (2025, vec![0, 3, 4, 5, 7, 9, 10]),
            (2026, vec![0, 3, 4, 5, 7, 8, 10]),
            (2027, vec![0, 3, 4, 5, 7, 8, 9, 10]),
        ] {
            assert_eq!(
                run(&year_end(year, "PLACE", &this, &last), "503D"),
                at("Episodes", &expected),
                "{year}"
            );
        }
    }

    #[test]
    fn year_end_rules_leave_out_a_child_with_no_valid_start_date() {
        // The reference stops with an error on child 2; child 1 is still checked.
        let d = year_end(
            2026,
            "RNE",
            &[("1", "01/04/2025", "P"), ("2", "", "P")],
            &[("1", "01/01/2025", "", "S"), ("2", "01/01/2025", "", "S")],
        );
        for code in ["502", "503A"] {
            assert_eq!(run(&d, code), [("Episodes", 0)], "{code}");
        }
        assert!(!ran(&dataset(2026).table(Table::Episodes, &[]).done(), "503A"));
    }
}
