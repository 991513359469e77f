//! Rules translated from the DfE validator (see the list in `mod.rs`).

use super::*;
use crate::ssda903::tables::Table;
use crate::ssda903::validate::pandas::{as_text, blank_last, merge_groups_by_child, numpy_argsort, sorted_by_child};
use crate::ssda903::validate::{Flagged, Follow, Frame, TableRef, dfe_date, plus_years};
use hashbrown::{HashMap, HashSet};
use jiff::civil::{Date, date};

/// Rules here where Pathways follows the DfE's rule text and the reference does not.
pub(super) const CORRECTIONS: &[Correction] = &[
    Correction {
        code: "204",
        rule_text: "A blank ethnicity differs from any ethnicity written last year or this year.",
        reference: "Reads a blank as the text \"NAN\", so a blank matches a value written as NAN.",
    },
    Correction {
        code: "208",
        rule_text: "A UPN given where none was recorded last year (blank to UN1 included) does not disagree with it, and a blank UPN differs from any written one.",
        reference: "Flags a change from blank last year to UN1 (its allowance for it can never apply), and reads a blank as the text \"NAN\", so a blank matches a UPN written as NAN.",
    },
    Correction {
        code: "218",
        rule_text: "Up to 2024-25, a placement whose local authority code is blank is not taken to be outside England, so it needs a URN.",
        reference: "Reads a blank local authority code as the text \"NAN\", which starts with N (Northern Ireland), so such a placement never needs a URN.",
    },
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        code: "193",
        message: "Child not identified as having a substance misuse problem but at least one of the two additional items on whether an intervention were offered and received have been completed.",
        fields: &["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_193,
    },
    Rule {
        code: "196",
        message: "Strengths and Difficulties (SDQ) reason is not a valid code.",
        fields: &["SDQ_REASON"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_196,
    },
    Rule {
        code: "197B",
        message: "SDQ score or reason for no SDQ should be reported for 4- or 17-year-olds.",
        fields: &["SDQ_REASON", "DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_197b,
    },
    Rule {
        code: "197a",
        message: "Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and Difficulties Questionnaire score is filled in.",
        fields: &["SDQ_SCORE", "SDQ_REASON"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_197a,
    },
    Rule {
        code: "198",
        message: "Child has not been looked after continuously for at least 12 months at 31 March but a reason for no Strengths and Difficulties (SDQ) score has been completed. ",
        fields: &["SDQ_REASON"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_198,
    },
    Rule {
        code: "199",
        message: "Episode information shows child has been previously adopted from care. [NOTE: This only tests the current and previous year data loaded into the tool]",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_199,
    },
    Rule {
        code: "202",
        message: "The gender code conflicts with the gender already recorded for this child.",
        fields: &["SEX"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_202,
    },
    Rule {
        code: "203",
        message: "Date of birth disagrees with the date of birth already recorded for this child.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_203,
    },
    Rule {
        code: "204",
        message: "Ethnic origin code disagrees with the ethnic origin already recorded for this child.",
        fields: &["ETHNIC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_204,
    },
    Rule {
        code: "205A",
        message: "Child identified as UASC last year is no longer UASC this year, but date UASC ceased in both years does not support this.",
        fields: &["CHILD", "UASC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_205a,
    },
    Rule {
        code: "205B",
        message: "Child previously identified as UASC is also UASC this year, but date UASC ceased in both years does not support this.",
        fields: &["DUC", "UASC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_205b,
    },
    Rule {
        code: "205C",
        message: "Child not identified as UASC either this year or last year but date UASC ceased has been provided.",
        fields: &["DUC", "UASC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_205c,
    },
    Rule {
        code: "205D",
        message: "Child identified as UASC this year but not identified as UASC status provided for the child last year.",
        fields: &["UASC", "CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_205d,
    },
    Rule {
        code: "207",
        message: "Mother status for the current year disagrees with the mother status already recorded for this child.",
        fields: &["MOTHER"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_207,
    },
    Rule {
        code: "208",
        message: "Unique Pupil Number (UPN) for the current year disagrees with the Unique Pupil Number (UPN) already recorded for this child.",
        fields: &["UPN"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_208,
    },
    Rule {
        code: "209",
        message: "Child looked after is of school age and should not have an unknown Unique Pupil Number (UPN) code of UN1.",
        fields: &["UPN", "DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_209,
    },
    Rule {
        code: "210",
        message: "Children looked after for more than a week at 31 March should not have an unknown Unique Pupil Number (UPN) code of UN4.",
        fields: &["UPN", "DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_210,
    },
    Rule {
        code: "213",
        message: "Placement provider information not required.",
        fields: &["PLACE_PROVIDER"],
        years: (FIRST_YEAR, 2025),
        check: |d| provider_not_required(d, TEMPORARY),
    },
    Rule {
        code: "213",
        message: "Placement provider information not required.",
        fields: &["PLACE_PROVIDER"],
        years: (2026, ONWARDS),
        check: |d| provider_not_required(d, TEMPORARY_2026),
    },
    Rule {
        code: "214",
        message: "Placement location information not required.",
        fields: &["PL_POST", "URN"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_214,
    },
    Rule {
        code: "215",
        message: "Child has care leaver information but one or more data items relating to children looked after for 12 months have been completed.",
        fields: &[
            "IN_TOUCH",
            "ACTIV",
            "ACCOM",
            "CONVICTED",
            "HEALTH_CHECK",
            "IMMUNISATIONS",
            "TEETH_CHECK",
            "HEALTH_ASSESSMENT",
            "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED",
            "INTERVENTION_OFFERED",
        ],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_215,
    },
    Rule {
        code: "217",
        message: "Children who are placed for adoption with current foster carers (placement types A3 or A5) must have a reason for new episode of S, T or U.",
        fields: &["PLACE", "DECOM", "RNE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_217,
    },
    Rule {
        code: "217t",
        message: "Placement type 'P2' is not a valid placement type from 28 October 2023.",
        fields: &["PLACE", "DECOM"],
        years: (2024, 2024),
        check: rule_217t,
    },
    Rule {
        code: "218",
        message: "Ofsted Unique reference number (URN) is required.",
        fields: &["URN"],
        years: (FIRST_YEAR, 2024),
        check: |d| urn_required(d, URN_EXEMPT_2023, Abroad::FirstLetter),
    },
    Rule {
        code: "218",
        message: "Ofsted Unique reference number (URN) is required.",
        fields: &["URN"],
        years: (2025, 2025),
        check: |d| urn_required(d, URN_EXEMPT_2025, Abroad::FirstLetter),
    },
    Rule {
        code: "218",
        message: "Ofsted Unique reference number (URN) is required.",
        fields: &["URN"],
        years: (2026, ONWARDS),
        check: |d| urn_required(d, URN_EXEMPT_2026, Abroad::Code),
    },
    Rule {
        code: "219",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement type recorded.",
        fields: &["URN", "PLACE"],
        years: (FIRST_YEAR, ONWARDS),
        check: needs_ofsted_lists,
    },
    Rule {
        code: "221",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement postcode provided.",
        fields: &["PL_POST"],
        years: (FIRST_YEAR, 2023),
        check: needs_ofsted_lists,
    },
    Rule {
        code: "221",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement postcode provided.",
        fields: &["PL_POST"],
        years: (2024, 2024),
        check: needs_ofsted_lists,
    },
    Rule {
        code: "221",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement postcode provided.",
        fields: &["PL_POST"],
        years: (2025, ONWARDS),
        check: needs_ofsted_lists,
    },
    Rule {
        code: "222",
        message: "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
        fields: &["URN"],
        years: (FIRST_YEAR, 2023),
        check: |d| urn_not_wanted(d, URN_EXEMPT_2023),
    },
    Rule {
        code: "222",
        message: "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
        fields: &["URN"],
        years: (2024, 2024),
        check: |d| urn_not_wanted(d, URN_EXEMPT_2024),
    },
    Rule {
        code: "222",
        message: "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
        fields: &["URN"],
        years: (2025, 2025),
        check: |d| urn_not_wanted(d, URN_EXEMPT_2025),
    },
    Rule {
        code: "222",
        message: "Ofsted Unique reference number (URN) should not be recorded for this placement type.",
        fields: &["URN"],
        years: (2026, ONWARDS),
        check: |d| urn_not_wanted(d, URN_EXEMPT_2026),
    },
    Rule {
        code: "224",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement provider recorded.",
        fields: &["PLACE_PROVIDER"],
        years: (FIRST_YEAR, ONWARDS),
        check: needs_ofsted_lists,
    },
    Rule {
        code: "225",
        message: "Reason for placement change must be recorded.",
        fields: &["REASON_PLACE_CHANGE"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_225,
    },
    Rule {
        code: "226",
        message: "Reason for placement change is not required.",
        fields: &["REASON_PLACE_CHANGE", "PLACE"],
        years: (FIRST_YEAR, 2025),
        check: rule_226,
    },
    Rule {
        code: "226",
        message: "Reason for placement change is not required for temporary placements.",
        fields: &["REASON_PLACE_CHANGE", "PLACE"],
        years: (2026, ONWARDS),
        check: rule_226,
    },
    Rule {
        code: "227",
        message: "Ofsted Unique reference number (URN) is not valid for the episode start date.",
        fields: &["URN", "DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: needs_ofsted_lists,
    },
    Rule {
        code: "228",
        message: "Ofsted Unique reference number (URN) is not valid for the episode end date [NOTE: may give false positives on open episodes at providers who close during the year]",
        fields: &["URN", "DEC"],
        years: (FIRST_YEAR, ONWARDS),
        check: needs_ofsted_lists,
    },
];

/// The continuously-looked-after flag of each row of `table` (false for a child
/// with no episodes or a blank CHILD).
fn looked_after_flags(d: &Dataset, episodes: &Frame, table: &Frame) -> Vec<bool> {
    let looked_after = continuously_looked_after(d, episodes);
    table
        .rows()
        .map(|row| looked_after_in(table, row, &looked_after))
        .collect()
}

/// 193: with no substance misuse problem (blank or 0), neither intervention item
/// should be filled in.
fn rule_193(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let misuse = oc2.col("SUBSTANCE_MISUSE");
    let (received, offered) = (oc2.col("INTERVENTION_RECEIVED"), oc2.col("INTERVENTION_OFFERED"));
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| {
            matches!(oc2.get(r, misuse), None | Some("0"))
                && (oc2.get(r, received).is_some() || oc2.get(r, offered).is_some())
        }),
    )
}

/// 196: a reason for no SDQ score, when given, must be SDQ1 to SDQ5.
fn rule_196(d: &Dataset) -> Outcome {
    const REASONS: &[&str] = &["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"];
    let oc2 = d.this(Table::Oc2)?;
    let reason = oc2.col("SDQ_REASON");
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| oc2.get(r, reason).is_some_and(|v| !REASONS.contains(&v))),
    )
}

/// 197B: a child looked after continuously who turns 4 or 17 during the year needs
/// an SDQ score or a reason for not having one.
fn rule_197b(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let episodes = d.this(Table::Episodes)?;
    let looked_after = looked_after_flags(d, episodes, oc2);
    let (dob, score, reason) = (oc2.col("DOB"), oc2.col("SDQ_SCORE"), oc2.col("SDQ_REASON"));
    let (start, end) = (d.collection_start, d.collection_end);
    let turns_in_year = |row: usize, age: i16| {
        oc2.date(row, dob)
            .and_then(|born| plus_years(born, age))
            .is_some_and(|birthday| birthday >= start && birthday <= end)
    };
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| {
            (turns_in_year(r, 4) || turns_in_year(r, 17))
                && looked_after[r]
                && oc2.get(r, score).is_none()
                && oc2.get(r, reason).is_none()
        }),
    )
}

/// 197a: a reason for no SDQ score is not wanted when there is a score.
fn rule_197a(d: &Dataset) -> Outcome {
    let oc2 = d.this(Table::Oc2)?;
    let (score, reason) = (oc2.col("SDQ_SCORE"), oc2.col("SDQ_REASON"));
    flag(
        Table::Oc2,
        oc2.rows()
            .filter(|&r| oc2.get(r, score).is_some() && oc2.get(r, reason).is_some()),
    )
}

/// 198: a reason for no SDQ score is only for children looked after continuously
/// for the year.
fn rule_198(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let oc2 = d.this(Table::Oc2)?;
    let looked_after = looked_after_flags(d, episodes, oc2);
    let reason = oc2.col("SDQ_REASON");
    flag(
        Table::Oc2,
        oc2.rows().filter(|&r| oc2.get(r, reason).is_some() && !looked_after[r]),
    )
}

/// 199: once a child has left care through adoption (REC E11 or E12), in this
/// year's or last year's episodes, no later episode should follow, nor a second
/// adoption.
// Reference quirk: episodes starting the same day are ordered by numpy's unstable
// quicksort, so whether an adoption counts as before or after them depends on it.
fn rule_199(d: &Dataset) -> Outcome {
    let this = d.this(Table::Episodes)?;
    // (row in this year's table, CHILD, adopted, DECOM) of every dated episode,
    // this year's first, as the reference concatenates them.
    let mut episodes: Vec<(Option<usize>, Option<&str>, bool, Date)> = Vec::new();
    for (frame, this_year) in [(Some(this), true), (d.last(Table::Episodes), false)] {
        let Some(frame) = frame else { continue };
        let (child, decom, rec) = (frame.col("CHILD"), frame.col("DECOM"), frame.col("REC"));
        for row in frame.rows() {
            if let Some(start) = frame.date(row, decom) {
                let adopted = is_in(frame.get(row, rec), &["E11", "E12"]);
                episodes.push((this_year.then_some(row), frame.get(row, child), adopted, start));
            }
        }
    }
    let starts: Vec<Date> = episodes.iter().map(|e| e.3).collect();
    let mut adoptions: HashMap<&str, u32> = HashMap::new();
    let mut errors = Vec::new();
    for i in numpy_argsort(&starts) {
        let (row, child, adopted, _) = episodes[i];
        let Some(child) = child else { continue };
        let so_far = adoptions.entry(child).or_default();
        *so_far += u32::from(adopted);
        if *so_far > 0 && *so_far != u32::from(adopted) {
            errors.extend(row);
        }
    }
    flag(Table::Episodes, errors)
}

/// This year's and last year's Header, and each pair of rows (this year's, last
/// year's) for the same CHILD, as the reference's merge pairs them.
struct HeaderPairs<'a> {
    header: &'a Frame,
    last: &'a Frame,
    pairs: Vec<(usize, usize)>,
}

/// The Header pairs; `None` without both years' Headers.
fn header_pairs(d: &Dataset) -> Option<HeaderPairs<'_>> {
    let header = d.this(Table::Header)?;
    let last = d.last(Table::Header)?;
    let last_rows = merge_groups_by_child(last);
    let pairs = header
        .rows()
        .flat_map(|row| {
            let matches = last_rows.get(&header.child(row)).map_or(&[][..], Vec::as_slice);
            matches.iter().map(move |&before| (row, before))
        })
        .collect();
    Some(HeaderPairs { header, last, pairs })
}

/// Header rows whose `column` has `changed` since last year's Header.
fn header_changed(d: &Dataset, column: &str, changed: impl Fn(Option<&str>, Option<&str>) -> bool) -> Outcome {
    let HeaderPairs { header, last, pairs } = header_pairs(d)?;
    let (now, before) = (header.col(column), last.col(column));
    flag(
        Table::Header,
        pairs
            .into_iter()
            .filter(|&(row, earlier)| changed(header.get(row, now), last.get(earlier, before)))
            .map(|(row, _)| row),
    )
}

/// 202: a child's sex must be the same as last year's.
fn rule_202(d: &Dataset) -> Outcome {
    header_changed(d, "SEX", |now, before| as_text(now) != as_text(before))
}

/// 203: a child's date of birth must be the same as last year's (two blank or
/// unreadable dates count as the same).
// Reference quirk: when a child has two Header rows last year the reference stops
// with an error (a mask longer than the Header); Pathways flags the rows that differ.
fn rule_203(d: &Dataset) -> Outcome {
    header_changed(d, "DOB", |now, before| {
        now.and_then(dfe_date) != before.and_then(dfe_date)
    })
}

/// 204: a child's ethnicity must be the same as last year's.
// Reference quirk: as 203, two Header rows last year for one child stop the reference.
// Reference bug (corrected unless Follow::Reference): a blank reads as the text "NAN",
// so it matches a written "NAN", though a blank is no ethnicity at all.
fn rule_204(d: &Dataset) -> Outcome {
    header_changed(d, "ETHNIC", |now, before| match d.follow {
        Follow::RuleText => now != before,
        Follow::Reference => now.unwrap_or("NAN") != before.unwrap_or("NAN"),
    })
}

/// A row of the Header as rules 205A–D read its UASC status: (row, CHILD, flag).
type UascStatus<'a> = (usize, Option<&'a str>, Option<&'a str>);

/// The UASC status of each child as rules 205A–D read it: the Header's derived
/// UASC column when the Header is loaded (`None` when it has none, i.e. without
/// the UASC table), else one row per UASC row, "1" when its SEX or DUC is given.
fn uasc_status<'a>(header: Option<&'a Frame>, uasc: Option<&'a Frame>) -> Option<Vec<UascStatus<'a>>> {
    if let Some(header) = header {
        if !header.has_column("UASC") {
            return None;
        }
        let (child, status) = (header.col("CHILD"), header.col("UASC"));
        return Some(
            header
                .rows()
                .map(|row| (row, header.get(row, child), header.get(row, status)))
                .collect(),
        );
    }
    let uasc = uasc?;
    let (child, sex, duc) = (uasc.col("CHILD"), uasc.col("SEX"), uasc.col("DUC"));
    Some(
        uasc.rows()
            .map(|row| {
                let given = uasc.get(row, sex).is_some() || uasc.get(row, duc).is_some();
                (row, uasc.get(row, child), Some(if given { "1" } else { "0" }))
            })
            .collect(),
    )
}

/// UASC statuses by CHILD (a blank CHILD matching blank ones, as in a merge).
fn statuses_by_key<'a>(statuses: &[UascStatus<'a>]) -> HashMap<Option<&'a str>, Vec<(usize, Option<&'a str>)>> {
    let mut by_key: HashMap<Option<&str>, Vec<(usize, Option<&str>)>> = HashMap::new();
    for &(row, child, status) in statuses {
        by_key.entry(child).or_default().push((row, status));
    }
    by_key
}

/// One line of the reference's 205A–C merge: a UASC row, this year's status,
/// and a row of last year's UASC table with last year's status.
struct UascLine<'a> {
    row: usize,
    status: Option<&'a str>,
    last_row: Option<usize>,
    last_status: Option<&'a str>,
}

/// Rules 205A–C: each UASC row joined, as the reference's left merges join them,
/// to this year's status, last year's UASC rows and last year's status. The UASC
/// row and its Header row (when the Header is loaded) fail when `fails` says so.
fn uasc_years(d: &Dataset, fails: impl Fn(&UascLine) -> bool) -> Outcome {
    let uasc = d.this(Table::Uasc)?;
    let uasc_last = d.last(Table::Uasc)?;
    let header = d.this(Table::Header);
    let now = statuses_by_key(&uasc_status(header, Some(uasc))?);
    let before = statuses_by_key(&uasc_status(d.last(Table::Header), Some(uasc_last))?);
    let last_rows = merge_groups_by_child(uasc_last);
    let (mut uasc_rows, mut header_rows) = (Vec::new(), Vec::new());
    for row in uasc.rows() {
        let key = uasc.child(row);
        let nows: Vec<Option<(usize, Option<&str>)>> = match now.get(&key) {
            Some(found) => found.iter().copied().map(Some).collect(),
            None => vec![None],
        };
        let mut lasts: Vec<(Option<usize>, Option<&str>)> = Vec::new();
        for &last_row in last_rows.get(&key).map_or(&[][..], Vec::as_slice) {
            match before.get(&key) {
                Some(found) => lasts.extend(found.iter().map(|&(_, status)| (Some(last_row), status))),
                None => lasts.push((Some(last_row), None)),
            }
        }
        if lasts.is_empty() {
            lasts.push((None, None));
        }
        for this_year in &nows {
            for &(last_row, last_status) in &lasts {
                let line = UascLine {
                    row,
                    status: this_year.and_then(|(_, status)| status),
                    last_row,
                    last_status,
                };
                if fails(&line) {
                    uasc_rows.push(row);
                    header_rows.extend(this_year.map(|(header_row, _)| header_row));
                }
            }
        }
    }
    let mut found = vec![Flagged::new(TableRef::This(Table::Uasc), uasc_rows)];
    if header.is_some() {
        found.push(Flagged::new(TableRef::This(Table::Header), header_rows));
    }
    Some(found)
}

/// 205A: a child UASC last year but not this year must have had their date UASC
/// ceased in last year's collection year, and none this year.
fn rule_205a(d: &Dataset) -> Outcome {
    let (uasc, uasc_last) = (d.this(Table::Uasc)?, d.last(Table::Uasc)?);
    let (duc, duc_last) = (uasc.col("DUC"), uasc_last.col("DUC"));
    let (start, end) = (date(d.year - 2, 4, 1), date(d.year - 1, 3, 31));
    uasc_years(d, |line| {
        let ceased_last_year = line
            .last_row
            .and_then(|r| uasc_last.date(r, duc_last))
            .is_some_and(|ceased| ceased >= start && ceased <= end);
        line.status != Some("1")
            && line.last_status == Some("1")
            && (uasc.get(line.row, duc).is_some() || !ceased_last_year)
    })
}

/// 205B: a child UASC both years must have last year's date UASC ceased on their
/// 18th birthday, and this year's within the year or the same as last year's.
fn rule_205b(d: &Dataset) -> Outcome {
    let (uasc, uasc_last) = (d.this(Table::Uasc)?, d.last(Table::Uasc)?);
    let (duc, duc_last, dob_last) = (uasc.col("DUC"), uasc_last.col("DUC"), uasc_last.col("DOB"));
    let (start, end) = (d.collection_start, d.collection_end);
    uasc_years(d, |line| {
        let ceased = uasc.date(line.row, duc);
        let ceased_before = line.last_row.and_then(|r| uasc_last.date(r, duc_last));
        let eighteenth = line
            .last_row
            .and_then(|r| uasc_last.date(r, dob_last))
            .and_then(|born| plus_years(born, 18));
        let ceased_this_year = ceased.is_some_and(|c| c >= start && c <= end);
        let same_as_before = ceased.is_some() && ceased == ceased_before;
        let before_at_18 = ceased_before.is_some() && ceased_before == eighteenth;
        line.status == Some("1")
            && line.last_status == Some("1")
            && ((!ceased_this_year && !same_as_before) || !before_at_18)
    })
}

/// 205C: a date UASC ceased is only for children UASC this year or last.
fn rule_205c(d: &Dataset) -> Outcome {
    let (uasc, uasc_last) = (d.this(Table::Uasc)?, d.last(Table::Uasc)?);
    let (duc, duc_last) = (uasc.col("DUC"), uasc_last.col("DUC"));
    uasc_years(d, |line| {
        let never = matches!(line.status, None | Some("0")) && matches!(line.last_status, None | Some("0"));
        let ceased =
            uasc.date(line.row, duc).is_some() || line.last_row.and_then(|r| uasc_last.date(r, duc_last)).is_some();
        never && ceased
    })
}

/// 205D: a child UASC this year must have been UASC last year, when they were in
/// last year's return.
fn rule_205d(d: &Dataset) -> Outcome {
    let (now, table) = match d.this(Table::Header) {
        Some(header) => (uasc_status(Some(header), None)?, Table::Header),
        None => (uasc_status(None, d.this(Table::Uasc))?, Table::Uasc),
    };
    let before = statuses_by_key(&uasc_status(d.last(Table::Header), d.last(Table::Uasc))?);
    flag(
        table,
        now.into_iter()
            .filter(|&(_, child, status)| {
                status == Some("1")
                    && before
                        .get(&child)
                        .is_some_and(|last| last.iter().any(|&(_, s)| s != Some("1")))
            })
            .map(|(row, _, _)| row),
    )
}

/// 207: a child recorded as a mother last year must still be one, when they have
/// episodes this year.
fn rule_207(d: &Dataset) -> Outcome {
    let HeaderPairs { header, last, pairs } = header_pairs(d)?;
    let episodes = d.this(Table::Episodes)?;
    let with_episodes: HashSet<Option<&str>> = episodes.rows().map(|r| episodes.child(r)).collect();
    let (now, before) = (header.col("MOTHER"), last.col("MOTHER"));
    flag(
        Table::Header,
        pairs
            .into_iter()
            .filter(|&(row, earlier)| {
                let (mother, was) = (as_text(header.get(row, now)), as_text(last.get(earlier, before)));
                with_episodes.contains(&header.child(row)) && mother != was && was == "1"
            })
            .map(|(row, _)| row),
    )
}

/// 208: a child's UPN must be the same as last year's, except a change from UN1
/// or blank to UN2–UN5, or from an unknown code or blank to a real UPN.
// Reference quirk: as 203, two Header rows last year for one child stop the reference.
// Reference bugs (corrected unless Follow::Reference): the rule is about a UPN that
// "disagrees with the UPN already recorded", but the reference's allowance for a
// change from blank to UN1 asks for last year's UPN to be blank and UN1 at once, so
// it never applies; and a blank reads as the text "NAN", matching a written "NAN".
fn rule_208(d: &Dataset) -> Outcome {
    header_changed(d, "UPN", |now, before| upn_changed(d.follow, now, before))
}

fn upn_changed<'a>(follow: Follow, now: Option<&'a str>, before: Option<&'a str>) -> bool {
    const LATER_UNKNOWN: &[&str] = &["UN2", "UN3", "UN4", "UN5"];
    const UNKNOWN: &[&str] = &["UN1", "UN2", "UN3", "UN4", "UN5"];
    let as_read = |value: Option<&'a str>| match follow {
        Follow::RuleText => value,
        Follow::Reference => Some(value.unwrap_or("NAN")),
    };
    let (now_text, before_text) = (as_read(now), as_read(before));
    let different = now_text != before_text && !(now.is_none() && before.is_none());
    let to_later_unknown = (before_text == Some("UN1") || before.is_none()) && is_in(now_text, LATER_UNKNOWN);
    let blank_to_un1 = follow == Follow::RuleText && before.is_none() && now == Some("UN1");
    let unknown_to_known =
        (is_in(before_text, UNKNOWN) || before.is_none()) && !(is_in(now_text, UNKNOWN) || now.is_none());
    different && !to_later_unknown && !blank_to_un1 && !unknown_to_known
}

/// 209: a child of school age (4 by 31 August before the collection year) should
/// not have the unknown UPN code UN1.
fn rule_209(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let reference = date(d.collection_start.year() - 1, 8, 31);
    let (dob, upn) = (header.col("DOB"), header.col("UPN"));
    flag(
        Table::Header,
        header.rows().filter(|&r| {
            let four = header.date(r, dob).and_then(|born| plus_years(born, 4));
            four.is_some_and(|birthday| reference >= birthday) && header.get(r, upn) == Some("UN1")
        }),
    )
}

/// 210: a child whose episode started on or after 24 March should not have the
/// unknown UPN code UN4; the episode and the Header row fail.
fn rule_210(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let episodes = d.this(Table::Episodes)?;
    let reference = date(d.collection_end.year(), 3, 24);
    let upn = header.col("UPN");
    let mut un4: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for row in header.rows().filter(|&r| header.get(r, upn) == Some("UN4")) {
        un4.entry(header.child(row)).or_default().push(row);
    }
    let decom = episodes.col("DECOM");
    let (mut episode_rows, mut header_rows) = (Vec::new(), Vec::new());
    for row in episodes.rows() {
        if episodes.date(row, decom).is_none_or(|started| started < reference) {
            continue;
        }
        if let Some(found) = un4.get(&episodes.child(row)) {
            episode_rows.push(row);
            header_rows.extend_from_slice(found);
        }
    }
    Some(vec![
        Flagged::new(TableRef::This(Table::Episodes), episode_rows),
        Flagged::new(TableRef::This(Table::Header), header_rows),
    ])
}

/// Temporary placements (T0–T4) and, from 2026, the Z11–Z14 placements.
const TEMPORARY: &[&str] = &["T0", "T1", "T2", "T3", "T4"];
const TEMPORARY_2026: &[&str] = &["T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"];

/// 213: no placement provider for the year's placement types that have none.
fn provider_not_required(d: &Dataset, places: &[&str]) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (place, provider) = (episodes.col("PLACE"), episodes.col("PLACE_PROVIDER"));
    flag(
        Table::Episodes,
        episodes
            .rows()
            .filter(|&r| is_in(episodes.get(r, place), places) && episodes.get(r, provider).is_some()),
    )
}

/// 214: no placement postcode or URN for a child on legal status V3 or V4.
fn rule_214(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (ls, postcode, urn) = (episodes.col("LS"), episodes.col("PL_POST"), episodes.col("URN"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            is_in(episodes.get(r, ls), &["V3", "V4"])
                && (episodes.get(r, postcode).is_some() || episodes.get(r, urn).is_some())
        }),
    )
}

/// 215: a child with care leaver information (OC3) should not also have the
/// 12-months-looked-after items (OC2) filled in; both rows fail.
fn rule_215(d: &Dataset) -> Outcome {
    const CARE_LEAVER: &[&str] = &["IN_TOUCH", "ACTIV", "ACCOM"];
    const LOOKED_AFTER: &[&str] = &[
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ];
    let oc3 = d.this(Table::Oc3)?;
    let oc2 = d.this(Table::Oc2)?;
    let any_given = |frame: &Frame, columns: &[&str], row: usize| columns.iter().any(|c| frame.value(row, c).is_some());
    let mut oc2_with_items: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    for row in oc2.rows().filter(|&r| any_given(oc2, LOOKED_AFTER, r)) {
        oc2_with_items.entry(oc2.child(row)).or_default().push(row);
    }
    let (mut oc3_rows, mut oc2_rows) = (Vec::new(), Vec::new());
    for row in oc3.rows().filter(|&r| any_given(oc3, CARE_LEAVER, r)) {
        if let Some(found) = oc2_with_items.get(&oc3.child(row)) {
            oc3_rows.push(row);
            oc2_rows.extend_from_slice(found);
        }
    }
    Some(vec![
        Flagged::new(TableRef::This(Table::Oc3), oc3_rows),
        Flagged::new(TableRef::This(Table::Oc2), oc2_rows),
    ])
}

/// 217: a placement for adoption with current foster carers (A3, A5) starting on
/// or after 1 April 2015 needs a reason for new episode of S, T or U.
fn rule_217(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (place, decom, rne) = (episodes.col("PLACE"), episodes.col("DECOM"), episodes.col("RNE"));
    let from = date(2015, 4, 1);
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            is_in(episodes.get(r, place), &["A3", "A5"])
                && episodes.date(r, decom).is_some_and(|started| started >= from)
                && !is_in(episodes.get(r, rne), &["S", "T", "U"])
        }),
    )
}

/// 217t: placement type P2 ended on 28 October 2023; an episode on it must end by
/// then (an open or unreadable end date fails).
fn rule_217t(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (place, dec) = (episodes.col("PLACE"), episodes.col("DEC"));
    let last_day = date(2023, 10, 28);
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            episodes.get(r, place) == Some("P2") && episodes.date(r, dec).is_none_or(|ended| ended > last_day)
        }),
    )
}

/// Placement types that have no Ofsted URN, by year.
const URN_EXEMPT_2023: &[&str] = &[
    "H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1",
];
const URN_EXEMPT_2024: &[&str] = &["P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1"];
const URN_EXEMPT_2025: &[&str] = &["P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1"];
const URN_EXEMPT_2026: &[&str] = &[
    "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14",
];

/// How rule 218 recognises a placement outside England from `PL_LA`.
#[derive(Clone, Copy)]
enum Abroad {
    /// Up to 2025: the code starts with N, W, S or C.
    FirstLetter,
    /// From 2026: the code is CON, NIR, SCO, WAL or NUK.
    Code,
}

/// 218: a placement open on or after 1 April needs an Ofsted URN, unless its type
/// has none or it is outside England.
// Reference bug (corrected unless Follow::Reference): `PL_LA` is read as text, a
// blank one as "NAN", which starts with N: up to 2025 a placement whose postcode is
// not in the lookup (always, in Pathways) counts as outside England and never fails,
// though the URN "is required" for every placement not shown to be outside England
// (as the 2026 version reads a blank).
fn urn_required(d: &Dataset, exempt: &[&str], abroad: Abroad) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (place, dec, urn) = (episodes.col("PLACE"), episodes.col("DEC"), episodes.col("URN"));
    let start = d.collection_start;
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let la = match d.follow {
                Follow::RuleText => episodes.value(r, "PL_LA"),
                Follow::Reference => Some(episodes.value(r, "PL_LA").unwrap_or("NAN")),
            };
            let outside_england = match abroad {
                Abroad::FirstLetter => la.is_some_and(|la| la.starts_with(['N', 'W', 'S', 'C'])),
                Abroad::Code => is_in(la, &["CON", "NIR", "SCO", "WAL", "NUK"]),
            };
            let open_in_year =
                episodes.date(r, dec).is_some_and(|ended| ended >= start) || episodes.get(r, dec).is_none();
            open_in_year && episodes.get(r, urn).is_none() && !is_in(episodes.get(r, place), exempt) && !outside_england
        }),
    )
}

/// 219, 221, 224, 227 and 228 compare URNs with Ofsted's lists of children's homes
/// and social care providers. The reference skips them when those lists are not
/// uploaded, and Pathways does not have them: not run.
fn needs_ofsted_lists(_: &Dataset) -> Outcome {
    None
}

/// 222: no Ofsted URN (other than XXXXXXX) for placement types that have none.
fn urn_not_wanted(d: &Dataset, exempt: &[&str]) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (place, urn) = (episodes.col("PLACE"), episodes.col("URN"));
    flag(
        Table::Episodes,
        episodes
            .rows()
            .filter(|&r| is_in(episodes.get(r, place), exempt) && episodes.get(r, urn).is_some_and(|u| u != "XXXXXXX")),
    )
}

/// Episode rows in the order pandas' `sort_values(["CHILD", "DECOM"])` puts them:
/// by CHILD, then start date, blanks last in each, ties in file order.
fn by_child_then_start(episodes: &Frame) -> Vec<usize> {
    let decom = episodes.col("DECOM");
    sorted_by_child(episodes, |row| blank_last(episodes.date(row, decom)))
}

/// 225: when a child moves placement within care (REC X1, the next episode's RNE
/// P, B, T or U, neither placement temporary) the reason for the change is needed.
fn rule_225(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (rec, reason) = (episodes.col("REC"), episodes.col("REASON_PLACE_CHANGE"));
    let (place, rne) = (episodes.col("PLACE"), episodes.col("RNE"));
    let order = by_child_then_start(episodes);
    flag(
        Table::Episodes,
        order.windows(2).filter_map(|pair| {
            let (row, next) = (pair[0], pair[1]);
            let same_child = episodes.child(row).is_some() && episodes.child(row) == episodes.child(next);
            let fails = same_child
                && episodes.get(row, rec) == Some("X1")
                && episodes.get(row, reason).is_none()
                && !is_in(episodes.get(row, place), TEMPORARY)
                && is_in(episodes.get(next, rne), &["P", "B", "T", "U"])
                && !is_in(episodes.get(next, place), TEMPORARY);
            fails.then_some(row)
        }),
    )
}

/// 226: a temporary placement (T0–T4) needs no reason for placement change, in
/// its own episode or the child's episode before it.
fn rule_226(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (reason, place) = (episodes.col("REASON_PLACE_CHANGE"), episodes.col("PLACE"));
    let order = by_child_then_start(episodes);
    let mut errors = Vec::new();
    for (i, &row) in order.iter().enumerate() {
        let previous = i
            .checked_sub(1)
            .and_then(|p| order.get(p))
            .filter(|&&before| episodes.child(row).is_some() && episodes.child(before) == episodes.child(row))
            .and_then(|&before| episodes.get(before, reason));
        if is_in(episodes.get(row, place), TEMPORARY) && (episodes.get(row, reason).is_some() || previous.is_some()) {
            errors.push(row);
        }
    }
    flag(Table::Episodes, errors)
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{dataset, frame, header, ran, run};
    use super::*;

    /// `d` read following `follow`.
    fn following(d: &Dataset, follow: Follow) -> Dataset {
        let mut d = d.clone();
        d.follow = follow;
        d
    }

    /// The (table, row) pairs of an outcome, sorted, for rules called directly
    /// with a test's own collection year.
    fn found(outcome: Outcome) -> Vec<(&'static str, usize)> {
        let mut rows: Vec<(&'static str, usize)> = outcome
            .into_iter()
            .flatten()
            .flat_map(|f| {
                let name = f.table.name();
                f.rows.into_iter().map(move |r| (name, r))
            })
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Borrowed rows for the test builders.
    fn slices<'a>(rows: &'a [Vec<(&'a str, &'a str)>]) -> Vec<&'a [(&'a str, &'a str)]> {
        rows.iter().map(Vec::as_slice).collect()
    }

    #[test]
    fn rule_193_no_substance_misuse_means_no_intervention_items() {
        let d = dataset(2026)
            .table(
                Table::Oc2,
                &[
                    &[
                        ("SUBSTANCE_MISUSE", "0"),
                        ("INTERVENTION_RECEIVED", "0"),
                        ("INTERVENTION_OFFERED", "0"),
                    ],
                    &[],
                    &[
                        ("SUBSTANCE_MISUSE", "0"),
                        ("INTERVENTION_RECEIVED", "1"),
                        ("INTERVENTION_OFFERED", "1"),
                    ],
                    &[
                        ("SUBSTANCE_MISUSE", "1"),
                        ("INTERVENTION_RECEIVED", "1"),
                        ("INTERVENTION_OFFERED", "1"),
                    ],
                    &[("INTERVENTION_RECEIVED", "1")],
                    &[("INTERVENTION_OFFERED", "0")],
                    &[("SUBSTANCE_MISUSE", "0")],
                ],
            )
            .done();
        assert_eq!(run(&d, "193"), [("OC2", 0), ("OC2", 2), ("OC2", 4), ("OC2", 5)]);
    }

    #[test]
    fn rule_196_sdq_reason_must_be_a_valid_code() {
        // The reference's test has "sdq2" and "" as its failing rows; read from a
        // CSV those become SDQ2 and blank, so an invalid code and a lone space stand in.
        let d = dataset(2026)
            .table(
                Table::Oc2,
                &[
                    &[("SDQ_REASON", "SDQ2")],
                    &[("SDQ_REASON", "SDQ6")],
                    &[("SDQ_REASON", " ")],
                    &[],
                ],
            )
            .done();
        assert_eq!(run(&d, "196"), [("OC2", 1), ("OC2", 2)]);
    }

    fn looked_after_episodes() -> Vec<Vec<(&'static str, &'static str)>> {
        let episode = |child: &'static str, decom, dec: &'static str, ls, rec: &'static str, rne| {
            let mut row = vec![("CHILD", child), ("DECOM", decom), ("LS", ls), ("RNE", rne)];
            if !dec.is_empty() {
                row.push(("DEC", dec));
            }
            if !rec.is_empty() {
                row.push(("REC", rec));
            }
            row
        };
        vec![
            episode("1", "01/03/1980", "31/03/1981", "O", "X1", "O"),
            episode("2", "01/03/1980", "30/03/1981", "O", "X1", "O"),
            episode("3333", "01/03/1980", "01/01/1981", "V3", "X1", "O"),
            episode("4", "01/02/1970", "", "O", "!!", "O"),
            episode("5", "01/03/1979", "01/01/1981", "O", "X1", "O"),
            episode("5", "01/01/1981", "", "O", "", "O"),
            episode("6666", "01/03/1979", "01/01/1981", "O", "!!", "O"),
            episode("6666", "01/01/1981", "", "O", "", "O"),
            episode("7777", "01/03/1979", "01/01/1981", "O", "X1", "O"),
            episode("7777", "01/01/1981", "01/07/1981", "O", "O", "S"),
            episode("8888", "01/01/1981", "31/03/1999", "O", "O", "S"),
            episode("9009", "01/03/1980", "31/03/1981", "O", "X1", "O"),
            episode("1010", "01/03/1980", "31/03/1981", "O", "X1", "O"),
        ]
    }

    #[test]
    fn rule_197b_sdq_needed_at_4_and_17_when_looked_after_all_year() {
        let episodes = looked_after_episodes();
        let oc2: [&[(&str, &str)]; 9] = [
            &[
                ("CHILD", "9999999999"),
                ("SDQ_SCORE", "OK"),
                ("SDQ_REASON", "SDQ1"),
                ("DOB", "01/04/1970"),
            ],
            &[("CHILD", "1"), ("DOB", "31/03/1964")],
            &[("CHILD", "2"), ("DOB", "31/03/1977")],
            &[("CHILD", "3333"), ("SDQ_REASON", "OK"), ("DOB", "01/04/1970")],
            &[("CHILD", "99999999"), ("DOB", "01/04/1970")],
            &[
                ("CHILD", "8888"),
                ("SDQ_SCORE", "OK"),
                ("SDQ_REASON", "OK"),
                ("DOB", "01/04/1970"),
            ],
            &[("CHILD", "5"), ("SDQ_REASON", "OK!"), ("DOB", "01/07/1970")],
            &[("CHILD", "9009"), ("DOB", "01/01/1977")],
            &[("CHILD", "1010"), ("DOB", "09/09/1963")],
        ];
        let d = dataset(1981)
            .table(Table::Episodes, &slices(&episodes))
            .table(Table::Oc2, &oc2)
            .done();
        assert_eq!(found(rule_197b(&d)), [("OC2", 1), ("OC2", 2), ("OC2", 7), ("OC2", 8)]);
    }

    #[test]
    fn rule_197a_no_reason_when_there_is_a_score() {
        let d = dataset(2026)
            .table(
                Table::Oc2,
                &[
                    &[("SDQ_SCORE", "0"), ("SDQ_REASON", "XXX")],
                    &[],
                    &[("SDQ_SCORE", "10")],
                    &[("SDQ_SCORE", "1"), ("SDQ_REASON", "XXX")],
                    &[("SDQ_REASON", "XXX")],
                ],
            )
            .done();
        assert_eq!(run(&d, "197a"), [("OC2", 0), ("OC2", 3)]);
    }

    #[test]
    fn rule_198_sdq_reason_only_when_looked_after_all_year() {
        let mut episodes = looked_after_episodes();
        // The reference's test names these children differently; the same shapes.
        episodes.truncate(11);
        for (row, id) in [(2, "3"), (4, "5555"), (5, "5555"), (6, "6"), (7, "6"), (10, "8")] {
            episodes[row][0] = ("CHILD", id);
        }
        let oc2: [&[(&str, &str)]; 6] = [
            &[("CHILD", "999999"), ("SDQ_REASON", "!!!!!")],
            &[("CHILD", "1")],
            &[("CHILD", "2"), ("SDQ_REASON", "OO")],
            &[("CHILD", "3"), ("SDQ_REASON", "!!")],
            &[("CHILD", "9999")],
            &[("CHILD", "8"), ("SDQ_REASON", "!!")],
        ];
        let d = dataset(1981)
            .table(Table::Episodes, &slices(&episodes))
            .table(Table::Oc2, &oc2)
            .done();
        assert_eq!(found(rule_198(&d)), [("OC2", 0), ("OC2", 3), ("OC2", 5)]);
    }

    const EPISODES_199: [&[(&str, &str)]; 9] = [
        &[
            ("CHILD", "104"),
            ("DECOM", "19/07/2020"),
            ("DEC", "02/03/2021"),
            ("REC", "E13"),
        ],
        &[("CHILD", "103"), ("DECOM", "16/04/2020")],
        &[("CHILD", "103"), ("DECOM", "16/04/2020"), ("REC", "OO")],
        &[
            ("CHILD", "105"),
            ("DECOM", "02/12/2021"),
            ("DEC", "03/12/2021"),
            ("REC", "X1"),
        ],
        &[
            ("CHILD", "105"),
            ("DECOM", "03/12/2021"),
            ("DEC", "04/12/2021"),
            ("REC", "E11"),
        ],
        &[
            ("CHILD", "105"),
            ("DECOM", "03/12/2022"),
            ("DEC", "04/12/2022"),
            ("REC", "E11"),
        ],
        &[("CHILD", "105"), ("DECOM", "12/12/2021")],
        &[("CHILD", "107"), ("DECOM", "04/12/2021"), ("REC", "XXX")],
        &[
            ("CHILD", "107"),
            ("DECOM", "26/11/2017"),
            ("DEC", "04/12/2021"),
            ("REC", "E12"),
        ],
    ];

    #[test]
    fn rule_199_no_episode_after_an_adoption() {
        let d = dataset(2026).table(Table::Episodes, &EPISODES_199).done();
        assert_eq!(run(&d, "199"), [("Episodes", 5), ("Episodes", 6), ("Episodes", 7)]);
        let d = dataset(2026)
            .table(Table::Episodes, &EPISODES_199)
            .last(
                Table::Episodes,
                &[
                    &[
                        ("CHILD", "101"),
                        ("DECOM", "15/06/2016"),
                        ("DEC", "20/12/2020"),
                        ("REC", "E11"),
                    ],
                    &[
                        ("CHILD", "102"),
                        ("DECOM", "08/10/2017"),
                        ("DEC", "03/03/2018"),
                        ("REC", "E11"),
                    ],
                    &[
                        ("CHILD", "102"),
                        ("DECOM", "06/03/2018"),
                        ("DEC", "12/08/2020"),
                        ("REC", "E4A"),
                    ],
                    &[
                        ("CHILD", "103"),
                        ("DECOM", "11/05/2015"),
                        ("DEC", "07/04/2019"),
                        ("REC", "E12"),
                    ],
                    &[
                        ("CHILD", "104"),
                        ("DECOM", "26/11/2017"),
                        ("DEC", "19/07/2020"),
                        ("REC", "E12"),
                    ],
                    &[("CHILD", "107"), ("DECOM", "26/11/2017"), ("REC", "E12")],
                ],
            )
            .done();
        let rows: Vec<usize> = run(&d, "199").into_iter().map(|(_, r)| r).collect();
        assert_eq!(rows, [0, 1, 2, 5, 6, 7]);
    }

    #[test]
    fn rule_199_same_day_adoption_depends_on_the_unstable_sort() {
        // Two episodes of one child starting the same day, the adoption second:
        // with few rows the sort keeps file order, so the non-adoption comes first
        // and nothing fails; past 16 rows numpy's quicksort may swap them.
        let mut rows: Vec<Vec<(&str, &str)>> = vec![
            vec![("CHILD", "1"), ("DECOM", "01/05/2025"), ("REC", "X1")],
            vec![("CHILD", "1"), ("DECOM", "01/05/2025"), ("REC", "E11")],
        ];
        let d = dataset(2026).table(Table::Episodes, &slices(&rows)).done();
        assert!(run(&d, "199").is_empty());
        rows.reverse();
        let d = dataset(2026).table(Table::Episodes, &slices(&rows)).done();
        assert_eq!(run(&d, "199"), [("Episodes", 1)]);
    }

    fn header_years(
        year: i16,
        column: &str,
        now: &[(&'static str, &'static str)],
        before: &[(&'static str, &'static str)],
    ) -> Dataset {
        let rows = |list: &[(&'static str, &'static str)]| -> Vec<Vec<(&'static str, &'static str)>> {
            list.iter()
                .map(|&(child, value)| {
                    let mut row = vec![("CHILD", child)];
                    if !value.is_empty() {
                        row.push((column_name(column), value));
                    }
                    row
                })
                .collect()
        };
        let (now, before) = (rows(now), rows(before));
        dataset(year)
            .table(Table::Header, &slices(&now))
            .last(Table::Header, &slices(&before))
            .done()
    }

    fn column_name(column: &str) -> &'static str {
        Table::Header
            .columns()
            .iter()
            .copied()
            .find(|c| *c == column)
            .unwrap_or("CHILD")
    }

    #[test]
    fn rule_202_sex_must_match_last_year() {
        let d = header_years(
            2026,
            "SEX",
            &[
                ("101", "1"),
                ("102", "2"),
                ("103", "1"),
                ("104", "2"),
                ("105", ""),
                ("106", "1"),
                ("108", ""),
                ("109", "2"),
                ("110", "3"),
            ],
            &[
                ("101", "1"),
                ("102", "1"),
                ("103", "2"),
                ("104", "2"),
                ("105", ""),
                ("107", "1"),
                ("108", "2"),
                ("109", ""),
                ("110", "2"),
            ],
        );
        let rows: Vec<usize> = run(&d, "202").into_iter().map(|(_, r)| r).collect();
        assert_eq!(rows, [1, 2, 6, 7, 8]);
        assert!(
            !ran(&header(2026, &[&[("CHILD", "1")]]), "202"),
            "needs last year's Header"
        );
    }

    #[test]
    fn rule_203_date_of_birth_must_match_last_year() {
        let d = header_years(
            2026,
            "DOB",
            &[
                ("101", "16/03/2020"),
                ("102", "23/09/2016"),
                ("103", "31/12/19"),
                ("104", "31/02/2018"),
                ("105", ""),
                ("106", "10/08/2014"),
                ("108", ""),
                ("109", "20/01/2017"),
                ("110", "31/06/2020"),
            ],
            &[
                ("101", "16/03/2020"),
                ("102", "22/09/2016"),
                ("103", "31/12/2019"),
                ("104", "31/02/2018"),
                ("105", ""),
                ("107", "11/11/2021"),
                ("108", "04/06/2017"),
                ("109", ""),
                ("110", "30/06/2020"),
            ],
        );
        let rows: Vec<usize> = run(&d, "203").into_iter().map(|(_, r)| r).collect();
        assert_eq!(rows, [1, 2, 6, 7, 8]);
    }

    #[test]
    fn rule_204_a_blank_differs_from_a_written_nan() {
        let d = header_years(2026, "ETHNIC", &[("1", ""), ("2", "NAN")], &[("1", "NAN"), ("2", "")]);
        for (follow, expected) in [(Follow::RuleText, &[0, 1][..]), (Follow::Reference, &[])] {
            let rows: Vec<usize> = run(&following(&d, follow), "204").into_iter().map(|(_, r)| r).collect();
            assert_eq!(rows, expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_204_ethnicity_must_match_last_year() {
        let d = header_years(
            2026,
            "ETHNIC",
            &[
                ("101", "WBRI"),
                ("102", "WBRI"),
                ("103", "nobt"),
                ("104", "AINS"),
                ("105", ""),
                ("106", "BOTH"),
                ("108", ""),
                ("109", "BCRB"),
                ("110", "MWBC"),
            ],
            &[
                ("101", "WBRI"),
                ("102", "NOBT"),
                ("103", "NOBT"),
                ("104", "AINS"),
                ("105", ""),
                ("107", "REFU"),
                ("108", "MOTH"),
                ("109", ""),
                ("110", "MWBA"),
            ],
        );
        let rows: Vec<usize> = run(&d, "204").into_iter().map(|(_, r)| r).collect();
        assert_eq!(rows, [1, 6, 7, 8]);
        // The reference reads a blank as NAN; the rule text does not.
        let d = header_years(2026, "ETHNIC", &[("1", "nan")], &[("1", "")]);
        assert!(run(&following(&d, Follow::Reference), "204").is_empty());
        assert_eq!(run(&d, "204"), [("Header", 0)]);
    }

    /// The reference's 205 test data: UASC tables, and Headers whose UASC column
    /// is given as the test gives it (`None`: that year's Header is not loaded).
    fn uasc_205(with_header: bool, with_header_last: bool) -> Dataset {
        let uasc = |rows: [(&'static str, &'static str, &'static str); 10]| -> Vec<Vec<(&'static str, &'static str)>> {
            rows.iter()
                .map(|&(child, dob, duc)| {
                    let mut row = vec![("CHILD", child), ("DOB", dob)];
                    if !duc.is_empty() {
                        row.push(("DUC", duc));
                    }
                    row
                })
                .collect()
        };
        let this_year = uasc([
            ("101", "28/10/2004", ""),
            ("102", "04/06/2004", ""),
            ("103", "03/03/2002", "10/07/2020"),
            ("104", "28/03/2003", "14/05/2021"),
            ("105", "16/04/2001", "16/04/2019"),
            ("106", "04/11/2004", "16/06/2021"),
            ("107", "23/07/2002", "23/07/2020"),
            ("108", "19/02/2003", ""),
            ("109", "14/06/2003", "14/06/2021"),
            ("110", "14/06/2003", ""),
        ]);
        let last_year = uasc([
            ("101", "28/10/2004", ""),
            ("102", "04/06/2004", "20/01/2020"),
            ("103", "03/03/2002", "10/07/2020"),
            ("104", "28/03/2003", "14/05/2021"),
            ("105", "16/04/2001", "16/04/2019"),
            ("106", "04/11/2004", "04/11/2023"),
            ("107", "23/07/2002", "23/07/2020"),
            ("108", "19/02/2003", "19/02/2021"),
            ("109", "14/06/2003", "14/06/2021"),
            ("110", "14/06/2003", "14/06/2021"),
        ]);
        let header = |rows: &[(&str, &str, &'static str)]| {
            let fields: Vec<Vec<(&str, &str)>> = rows
                .iter()
                .map(|&(c, dob, _)| vec![("CHILD", c), ("DOB", dob)])
                .collect();
            let mut frame = frame(Table::Header, &slices(&fields));
            let status: Vec<&'static str> = rows.iter().map(|r| r.2).collect();
            frame.add_column("UASC", |_, row| status.get(row).map(|s| (*s).to_owned()));
            frame
        };
        let mut d = dataset(2021)
            .table(Table::Uasc, &slices(&this_year))
            .last(Table::Uasc, &slices(&last_year))
            .done();
        if with_header {
            let now = header(&[
                ("101", "28/10/2004", "0"),
                ("108", "19/02/2003", "0"),
                ("109", "14/06/2003", "1"),
                ("102", "04/06/2004", "0"),
                ("103", "03/03/2002", "0"),
                ("104", "28/03/2003", "0"),
                ("105", "16/04/2001", "1"),
                ("106", "04/11/2004", "1"),
                ("107", "23/07/2002", "1"),
                ("110", "03/03/2002", "0"),
            ]);
            assert!(d.add(now, false).is_ok());
        }
        if with_header_last {
            let before = header(&[
                ("102", "04/06/2004", "1"),
                ("103", "03/03/2002", "1"),
                ("104", "28/03/2003", "1"),
                ("101", "28/10/2004", "0"),
                ("105", "16/04/2001", "1"),
                ("106", "04/11/2004", "1"),
                ("107", "23/07/2002", "1"),
                ("108", "19/02/2003", "0"),
                ("109", "14/06/2003", "0"),
                ("110", "03/03/2002", "0"),
            ]);
            assert!(d.add(before, true).is_ok());
        }
        d
    }

    #[test]
    fn rule_205a_uasc_last_year_only_needs_a_date_ceased_last_year() {
        let expected_both = [("Header", 4), ("Header", 5), ("UASC", 2), ("UASC", 3)];
        assert_eq!(found(rule_205a(&uasc_205(true, true))), expected_both);
        assert_eq!(
            found(rule_205a(&uasc_205(true, false))),
            [
                ("Header", 1),
                ("Header", 4),
                ("Header", 5),
                ("Header", 9),
                ("UASC", 2),
                ("UASC", 3),
                ("UASC", 7),
                ("UASC", 9)
            ]
        );
    }

    #[test]
    fn rule_205b_uasc_both_years_needs_dates_ceased_at_18() {
        assert_eq!(found(rule_205b(&uasc_205(true, true))), [("Header", 7), ("UASC", 5)]);
        assert_eq!(found(rule_205b(&uasc_205(true, false))), [("Header", 7), ("UASC", 5)]);
        assert_eq!(
            found(rule_205b(&uasc_205(false, false))),
            [("UASC", 2), ("UASC", 3), ("UASC", 5)]
        );
    }

    #[test]
    fn rule_205c_date_ceased_only_for_uasc_children() {
        assert_eq!(
            found(rule_205c(&uasc_205(true, true))),
            [("Header", 1), ("Header", 9), ("UASC", 7), ("UASC", 9)]
        );
        let outcome = rule_205c(&uasc_205(true, false));
        assert!(outcome.is_some() && found(outcome).is_empty());
        let outcome = rule_205c(&uasc_205(false, false));
        assert_eq!(
            outcome.map(|f| f.len()),
            Some(1),
            "only the UASC table without a Header"
        );
    }

    #[test]
    fn rule_205d_uasc_this_year_needs_uasc_last_year() {
        assert_eq!(found(rule_205d(&uasc_205(true, true))), [("Header", 2)]);
        let d = dataset(2021)
            .table(
                Table::Uasc,
                &[
                    &[("CHILD", "101")],
                    &[("CHILD", "1001"), ("DOB", "23/07/2002"), ("DUC", "99/bad/date")],
                    &[("CHILD", "1022"), ("DOB", "23/07/2002"), ("DUC", "01/01/2020")],
                ],
            )
            .last(
                Table::Uasc,
                &[
                    &[("CHILD", "101")],
                    &[("CHILD", "1001"), ("DOB", "23/07/2002"), ("DUC", "01/01/2020")],
                    &[("CHILD", "1022"), ("DOB", "23/07/2002")],
                ],
            )
            .done();
        assert_eq!(found(rule_205d(&d)), [("UASC", 2)]);
        let without_uasc = dataset(2026)
            .table(Table::Header, &[&[("CHILD", "1")]])
            .last(Table::Header, &[&[("CHILD", "1")]])
            .done();
        assert!(!ran(&without_uasc, "205D"), "the Header has no UASC column");
    }

    #[test]
    fn rule_207_mother_last_year_must_stay_a_mother() {
        let d = header_years(
            2026,
            "MOTHER",
            &[
                ("101", "1"),
                ("102", "0"),
                ("103", "1"),
                ("104", ""),
                ("105", ""),
                ("106", "1"),
                ("108", ""),
                ("109", "0"),
                ("110", "2"),
                ("111", ""),
            ],
            &[
                ("101", "1"),
                ("102", "1"),
                ("103", "0"),
                ("104", "1"),
                ("105", ""),
                ("107", "1"),
                ("108", "0"),
                ("109", ""),
                ("110", "1"),
                ("111", "1"),
            ],
        );
        assert!(!ran(&d, "207"), "needs Episodes");
        let header = d.this(Table::Header).cloned();
        let last = d.last(Table::Header).cloned();
        let episodes: Vec<Vec<(&str, &str)>> = [
            "101", "101", "102", "103", "104", "105", "106", "107", "108", "109", "110",
        ]
        .map(|c| vec![("CHILD", c)])
        .into();
        let mut d = dataset(2026).table(Table::Episodes, &slices(&episodes)).done();
        for (frame, previous) in [(header, false), (last, true)] {
            assert!(frame.is_some_and(|f| d.add(f, previous).is_ok()));
        }
        let rows: Vec<usize> = run(&d, "207").into_iter().map(|(_, r)| r).collect();
        assert_eq!(rows, [1, 3, 8]);
    }

    #[test]
    fn rule_208_upn_must_match_last_year_but_for_allowed_changes() {
        let d = header_years(
            2026,
            "UPN",
            &[
                ("101", "H801200001001"),
                ("102", "O------------"),
                ("103", "UN1"),
                ("104", "UN2"),
                ("105", ""),
                ("106", "UN3"),
                ("108", ""),
                ("109", "UN4"),
                ("110", "A------------"),
                ("111", "H801200001111"),
                ("55555", "UN5"),
                ("66666", "X999999999999"),
                ("1000", "UN1"),
                ("1001", ""),
            ],
            &[
                ("101", "UN5"),
                ("102", "X888888888888"),
                ("103", "UN1"),
                ("104", "UN1"),
                ("105", ""),
                ("106", "UN4"),
                ("108", "UN1"),
                ("109", ""),
                ("110", "a------------"),
                ("111", "UN2"),
                ("33333", "UN5"),
                ("44444", "H000000000000"),
                ("1000", ""),
                ("1001", "NAN"),
            ],
        );
        // 1000 (blank to UN1) and 1001 (NAN to blank): the reference's readings.
        for (follow, expected) in [
            (Follow::RuleText, &[1, 5, 6, 13][..]),
            (Follow::Reference, &[1, 5, 6, 12]),
        ] {
            let rows: Vec<usize> = run(&following(&d, follow), "208").into_iter().map(|(_, r)| r).collect();
            assert_eq!(rows, expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_209_school_age_children_should_not_have_un1() {
        let d = header(
            2026,
            &[
                &[("CHILD", "101"), ("DOB", "01/01/2020")],
                &[("CHILD", "102"), ("UPN", "H801200001001"), ("DOB", "11/11/2020")],
                &[("CHILD", "103"), ("UPN", "UN1"), ("DOB", "03/10/2015")],
                &[("CHILD", "104"), ("UPN", "UN2"), ("DOB", "11/11/2020")],
                &[("CHILD", "105"), ("DOB", "01/01/2020")],
                &[("CHILD", "106"), ("UPN", "UN1"), ("DOB", "11/11/2020")],
                &[("CHILD", "107"), ("DOB", "01/02/2020")],
            ],
        );
        assert_eq!(run(&d, "209"), [("Header", 2)]);
    }

    #[test]
    fn rule_210_un4_only_for_children_starting_in_the_last_week() {
        let episodes: Vec<Vec<(&str, &str)>> = [
            ("111", "01/01/2020"),
            ("111", "11/01/2020"),
            ("111", "30/03/2020"),
            ("123", "01/01/2020"),
            ("123", "11/01/2020"),
            ("333", "01/01/2020"),
            ("333", "22/01/2020"),
            ("333", "11/01/2020"),
            ("444", "22/01/2020"),
            ("444", "25/03/2020"),
            ("444", "01/01/2020"),
            ("667", "01/01/2020"),
        ]
        .map(|(child, decom)| vec![("CHILD", child), ("DECOM", decom)])
        .into();
        let d = dataset(2020)
            .table(
                Table::Header,
                &[
                    &[("CHILD", "111"), ("UPN", "UN4")],
                    &[("CHILD", "123")],
                    &[("CHILD", "333"), ("UPN", "UN3")],
                    &[("CHILD", "444"), ("UPN", "UN4")],
                    &[("CHILD", "667"), ("UPN", "UN4")],
                ],
            )
            .table(Table::Episodes, &slices(&episodes))
            .done();
        assert_eq!(
            found(rule_210(&d)),
            [("Episodes", 2), ("Episodes", 9), ("Header", 0), ("Header", 3)]
        );
    }

    #[test]
    fn rule_213_no_provider_for_temporary_placements_and_z11_to_z14_from_2026() {
        let rows: [&[(&str, &str)]; 14] = [
            &[("PLACE", "T0")],
            &[("PLACE", "U6")],
            &[("PLACE", "U1"), ("PLACE_PROVIDER", "PR3")],
            &[("PLACE", "U4"), ("PLACE_PROVIDER", "PR4")],
            &[("PLACE", "P1"), ("PLACE_PROVIDER", "PR0")],
            &[("PLACE", "T2"), ("PLACE_PROVIDER", "PR2")],
            &[("PLACE", "T3"), ("PLACE_PROVIDER", "PR1")],
            &[],
            &[("PLACE", "Z1")],
            &[("PLACE", "Z1"), ("PLACE_PROVIDER", "notna")],
            &[("PLACE", "Z11")],
            &[("PLACE", "Z12")],
            &[("PLACE", "Z13"), ("PLACE_PROVIDER", "value")],
            &[("PLACE", "Z14"), ("PLACE_PROVIDER", "PR6")],
        ];
        let d = dataset(2025).table(Table::Episodes, &rows).done();
        assert_eq!(run(&d, "213"), [("Episodes", 5), ("Episodes", 6)]);
        let d = dataset(2026).table(Table::Episodes, &rows).done();
        let found: Vec<usize> = run(&d, "213").into_iter().map(|(_, r)| r).collect();
        assert_eq!(found, [5, 6, 12, 13]);
    }

    #[test]
    fn rule_214_no_placement_location_for_v3_or_v4() {
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("LS", "V3"), ("PL_POST", "M2 3RT"), ("URN", "XXXXXX")],
                    &[("LS", "U1"), ("PL_POST", "M2 3RT"), ("URN", "SC045099")],
                    &[("LS", "U3"), ("URN", "SC045099")],
                    &[("LS", "V4"), ("PL_POST", "M2 3RT")],
                    &[("LS", "V4"), ("URN", "SC045099")],
                    &[("LS", "T1"), ("PL_POST", "M2 3RT"), ("URN", "SC045100")],
                    &[("LS", "U6"), ("PL_POST", "M2 3RT"), ("URN", "SC045101")],
                    &[("LS", "V3")],
                ],
            )
            .done();
        let found: Vec<usize> = run(&d, "214").into_iter().map(|(_, r)| r).collect();
        assert_eq!(found, [0, 3, 4]);
    }

    #[test]
    fn rule_215_care_leavers_should_not_have_looked_after_items() {
        let d = dataset(2026)
            .table(
                Table::Oc2,
                &[
                    &[
                        ("CHILD", "A"),
                        ("IMMUNISATIONS", "1"),
                        ("TEETH_CHECK", "1"),
                        ("HEALTH_ASSESSMENT", "1"),
                        ("INTERVENTION_RECEIVED", "1"),
                    ],
                    &[("CHILD", "B"), ("INTERVENTION_OFFERED", "1")],
                    &[
                        ("CHILD", "C"),
                        ("IMMUNISATIONS", "1"),
                        ("TEETH_CHECK", "1"),
                        ("HEALTH_ASSESSMENT", "1"),
                        ("SUBSTANCE_MISUSE", "1"),
                        ("CONVICTED", "1"),
                        ("HEALTH_CHECK", "1"),
                        ("INTERVENTION_RECEIVED", "1"),
                        ("INTERVENTION_OFFERED", "1"),
                    ],
                    &[
                        ("CHILD", "D"),
                        ("TEETH_CHECK", "1"),
                        ("SUBSTANCE_MISUSE", "1"),
                        ("CONVICTED", "1"),
                        ("HEALTH_CHECK", "1"),
                        ("INTERVENTION_RECEIVED", "1"),
                        ("INTERVENTION_OFFERED", "1"),
                    ],
                    &[
                        ("CHILD", "E"),
                        ("IMMUNISATIONS", "1"),
                        ("TEETH_CHECK", "1"),
                        ("HEALTH_ASSESSMENT", "1"),
                        ("SUBSTANCE_MISUSE", "1"),
                    ],
                ],
            )
            .table(
                Table::Oc3,
                &[
                    &[("CHILD", "A"), ("IN_TOUCH", "DIED")],
                    &[("CHILD", "B"), ("IN_TOUCH", "Yes")],
                    &[("CHILD", "C"), ("IN_TOUCH", "RHOM"), ("ACTIV", "XXX")],
                    &[("CHILD", "D"), ("ACCOM", "XXX")],
                    &[("CHILD", "E")],
                ],
            )
            .done();
        let expected: Vec<(&str, usize)> = (0..4).map(|r| ("OC2", r)).chain((0..4).map(|r| ("OC3", r))).collect();
        assert_eq!(run(&d, "215"), expected);
    }

    #[test]
    fn rule_217_adoption_by_foster_carers_needs_rne_s_t_or_u() {
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("PLACE", "A3"), ("DECOM", "01/04/2015"), ("RNE", "S")],
                    &[("PLACE", "A5"), ("DECOM", "31/12/2015"), ("RNE", "T")],
                    &[("PLACE", "A3"), ("DECOM", "20/01/2016"), ("RNE", "U")],
                    &[],
                    &[("PLACE", "U1"), ("DECOM", "01/10/2017"), ("RNE", "X")],
                    &[("PLACE", "A3"), ("DECOM", "20/02/2016"), ("RNE", "X")],
                    &[("PLACE", "A5"), ("DECOM", "01/01/2017"), ("RNE", "X")],
                    &[("PLACE", "A5"), ("DECOM", "01/04/2013"), ("RNE", "X")],
                ],
            )
            .done();
        assert_eq!(run(&d, "217"), [("Episodes", 5), ("Episodes", 6)]);
    }

    #[test]
    fn rule_217t_p2_placements_end_by_28_october_2023() {
        let rows: [&[(&str, &str)]; 5] = [
            &[("PLACE", "P2"), ("DEC", "01/11/2023")],
            &[("PLACE", "P2"), ("DEC", "28/10/2023")],
            &[("PLACE", "P2")],
            &[("PLACE", "P1"), ("DEC", "01/11/2023")],
            &[("PLACE", "P2"), ("DEC", "28/10/23")],
        ];
        let d = dataset(2024).table(Table::Episodes, &rows).done();
        let found: Vec<usize> = run(&d, "217t").into_iter().map(|(_, r)| r).collect();
        assert_eq!(found, [0, 2, 4], "an unreadable end date fails too");
        assert!(!ran(&dataset(2025).table(Table::Episodes, &rows).done(), "217t"));
    }

    /// The reference's 218 test episodes, with the postcode-derived `PL_LA` it
    /// sets by hand (blank when `with_la` is false, as in Pathways).
    fn episodes_218(first_place: &'static str, with_la: bool) -> Dataset {
        let rows: [(&str, &str, &str, &str); 12] = [
            (first_place, "", "O", ""),
            ("C2", "01/06/2015", "W06000008", "xx"),
            ("C2", "01/02/2016", "O", "xx"),
            ("C2", "01/02/2014", "O", "xx"),
            ("xx", "", "O", ""),
            ("R5", "01/02/2016", "O", "xx"),
            ("C2", "01/03/2014", "O", ""),
            ("C2", "04/01/2016", "O", ""),
            ("C2", "01/02/2016", "O", ""),
            ("C2", "01/04/2017", "O", ""),
            ("C2", "31/03/2015", "O", ""),
            ("C2", "04/01/2016", "SCO", ""),
        ];
        let fields: Vec<Vec<(&str, &str)>> = rows
            .iter()
            .map(|&(place, dec, _, urn)| {
                [("PLACE", place), ("DEC", dec), ("URN", urn)]
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .collect()
            })
            .collect();
        let mut episodes = frame(Table::Episodes, &slices(&fields));
        if with_la {
            episodes.add_column("PL_LA", |_, row| rows.get(row).map(|r| r.2.to_owned()));
        }
        let mut d = Dataset::new(2016);
        assert!(d.add(episodes, false).is_ok());
        d
    }

    #[test]
    fn rule_218_urn_required_unless_exempt_or_outside_england() {
        let expected = [("Episodes", 4), ("Episodes", 7), ("Episodes", 8), ("Episodes", 9)];
        let d = episodes_218("H5", true);
        assert_eq!(found(urn_required(&d, URN_EXEMPT_2023, Abroad::FirstLetter)), expected);
        let d = episodes_218("Z1", true);
        assert_eq!(found(urn_required(&d, URN_EXEMPT_2025, Abroad::FirstLetter)), expected);
        let d = episodes_218("Z11", true);
        assert_eq!(found(urn_required(&d, URN_EXEMPT_2026, Abroad::Code)), expected);
    }

    #[test]
    fn rule_218_a_blank_local_authority_reads_as_outside_england_until_2026() {
        let d = following(&episodes_218("Z1", false), Follow::Reference);
        assert_eq!(found(urn_required(&d, URN_EXEMPT_2025, Abroad::FirstLetter)), []);
        // Following the rule text a blank is not outside England, in every year.
        let d = episodes_218("Z1", false);
        assert_eq!(
            found(urn_required(&d, URN_EXEMPT_2025, Abroad::FirstLetter)),
            [
                ("Episodes", 4),
                ("Episodes", 7),
                ("Episodes", 8),
                ("Episodes", 9),
                ("Episodes", 11)
            ]
        );
        let d = episodes_218("Z11", false);
        assert_eq!(
            found(urn_required(&d, URN_EXEMPT_2026, Abroad::Code)),
            [
                ("Episodes", 4),
                ("Episodes", 7),
                ("Episodes", 8),
                ("Episodes", 9),
                ("Episodes", 11)
            ]
        );
    }

    #[test]
    fn rules_needing_ofsted_lists_do_not_run() {
        let d = dataset(2026)
            .table(Table::Episodes, &[&[("CHILD", "1"), ("URN", "SC1"), ("PLACE", "K2")]])
            .done();
        for code in ["219", "221", "224", "227", "228"] {
            assert!(!ran(&d, code), "{code}");
        }
    }

    #[test]
    fn rule_222_no_urn_for_placement_types_without_one() {
        let rows: [&[(&str, &str)]; 9] = [
            &[("PLACE", "H5"), ("URN", "XXXXXXX")],
            &[("PLACE", "U1"), ("URN", "Whatever")],
            &[("PLACE", "U2")],
            &[("PLACE", "T1")],
            &[("PLACE", "R1"), ("URN", "Whatever")],
            &[("PLACE", "T2"), ("URN", "Whatever")],
            &[("PLACE", "P2"), ("URN", "Whatever")],
            &[("PLACE", "Z1")],
            &[("PLACE", "Z11"), ("URN", "Whatevs")],
        ];
        for (year, expected) in [
            (2023, &[4, 5, 6][..]),
            (2024, &[4, 5, 6]),
            (2025, &[4, 5]),
            (2026, &[4, 5, 8]),
            (2027, &[4, 5, 8]),
        ] {
            let d = dataset(year).table(Table::Episodes, &rows).done();
            let found: Vec<usize> = run(&d, "222").into_iter().map(|(_, r)| r).collect();
            assert_eq!(found, expected, "{year}");
        }
    }

    fn placement_episodes(
        rows: &[(
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
        )],
    ) -> Dataset {
        let fields: Vec<Vec<(&str, &str)>> = rows
            .iter()
            .map(|&(child, decom, rne, rec, place, reason)| {
                [
                    ("CHILD", child),
                    ("DECOM", decom),
                    ("RNE", rne),
                    ("REC", rec),
                    ("PLACE", place),
                    ("REASON_PLACE_CHANGE", reason),
                ]
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .collect()
            })
            .collect();
        dataset(2026).table(Table::Episodes, &slices(&fields)).done()
    }

    #[test]
    fn rule_225_a_move_within_care_needs_a_reason() {
        let d = placement_episodes(&[
            ("111", "01/06/2020", "P", "X1", "U1", ""),
            ("111", "05/06/2020", "P", "E11", "X1", ""),
            ("111", "06/06/2020", "B", "E3", "X1", ""),
            ("123", "08/06/2020", "P", "X1", "U1", ""),
            ("123", "10/06/2020", "P", "E3", "X1", ""),
            ("333", "06/06/2020", "T", "X1", "U1", ""),
            ("333", "07/06/2020", "L", "X1", "X1", "CHANGE"),
            ("333", "08/06/2020", "P", "E3", "U1", ""),
            ("444", "09/06/2020", "U", "X1", "T1", ""),
            ("444", "15/06/2020", "P", "X1", "X1", ""),
            ("444", "16/06/2020", "P", "E3", "T3", ""),
            ("666", "17/06/2020", "P", "", "T4", ""),
        ]);
        assert_eq!(run(&d, "225"), [("Episodes", 0), ("Episodes", 3)]);
    }

    #[test]
    fn rule_225_blank_children_are_never_the_same_child() {
        let d = placement_episodes(&[
            ("", "01/06/2020", "P", "X1", "U1", ""),
            ("", "05/06/2020", "P", "E11", "U1", ""),
        ]);
        assert!(run(&d, "225").is_empty());
    }

    #[test]
    fn rule_226_no_reason_for_temporary_placements() {
        let rows = [
            ("111", "01/01/2020", "", "", "U1", "XXX"),
            ("111", "11/01/2020", "", "", "T1", ""),
            ("111", "22/01/2020", "", "", "X1", ""),
            ("123", "01/01/2020", "", "", "U1", ""),
            ("123", "11/01/2020", "", "", "X1", ""),
            ("333", "01/01/2020", "", "", "T2", ""),
            ("333", "22/01/2020", "", "", "X1", "CHANGE"),
            ("333", "11/01/2020", "", "", "U1", ""),
            ("444", "22/01/2020", "", "", "T1", "XXX"),
            ("444", "11/01/2020", "", "", "X1", ""),
            ("444", "01/01/2020", "", "", "T3", ""),
            ("666", "01/01/2020", "", "", "T4", ""),
        ];
        let d = placement_episodes(&rows);
        assert_eq!(run(&d, "226"), [("Episodes", 1), ("Episodes", 8)]);
    }

    #[test]
    fn episodes_sort_by_child_then_start_with_blanks_last() {
        let d = placement_episodes(&[
            ("2", "", "", "", "", ""),
            ("", "01/01/2020", "", "", "", ""),
            ("10", "02/01/2020", "", "", "", ""),
            ("2", "01/01/2020", "", "", "", ""),
            ("10", "01/01/2020", "", "", "", ""),
            ("2", "01/01/2020", "", "", "", ""),
        ]);
        let episodes = d.this(Table::Episodes).map(by_child_then_start);
        assert_eq!(episodes, Some(vec![4, 2, 3, 5, 0, 1]), "CHILD compares as text");
    }
}
