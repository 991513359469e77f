//! Rules translated from the DfE validator (see the list in `mod.rs`): placement
//! in the council's own area, care leavers around 17 and 18, the internal checks
//! between tables, and the social worker episodes.

use super::*;
use crate::ssda903::tables::Table;
use crate::ssda903::validate::pandas::{
    at_least_numpy_years, cmp_blank_last, loose_date, merge_groups_by_child, numpy_year_before, sort_values, values_in,
    with_previous_of_same_child,
};
use crate::ssda903::validate::{Follow, Frame, age_on, days_between, dfe_date, plus_days, plus_years};
use hashbrown::{HashMap, HashSet};
use jiff::civil::{Date, date};

/// Rules here where Pathways follows the DfE's rule text and the reference does not.
pub(super) const CORRECTIONS: &[Correction] = &[
    Correction {
        code: "1016",
        rule_text: "A young person is 17 or 18 from their 17th or 18th birthday.",
        reference: "Counts age in average years of 365.2425 days, so some young people turn 17 or 18 a day after their birthday.",
    },
    Correction {
        code: "SW01STG1",
        rule_text: "Flags the episode of the child looked after on 31 March whose social worker episode information is missing.",
        reference: "Marks the row numbers of those episodes on the SWEpisodes table, so other children's social worker episodes are flagged.",
    },
    Correction {
        code: "SW07STG2",
        rule_text: "From 2025 the social worker reporting period starts on 1 April a year before the collection year.",
        reference: "Starts the period 365.2425 days before the collection year, so after a 29 February an end date of 1 April that year fails.",
    },
    Correction {
        code: "SW09STG2",
        rule_text: "To 2025, an episode that ends on the day it started fails, however the two dates are written.",
        reference: "To 2025, compares the dates as written, so an episode from 01/06/2024 to 1/6/2024 passes.",
    },
    Correction {
        code: "SW12STG2",
        rule_text: "An episode starting or ending care needs one social worker episode that covers it; from 2025 it is checked when it ended in the year before the collection year, counted from 1 April.",
        reference: "Flags the episode unless every one of the child's social worker episodes covers it, and from 2025 counts the year before as 365.2425 days.",
    },
    Correction {
        code: "SW19STG2",
        rule_text: "Two social worker episodes of a child starting on the same day fail, however the dates are written.",
        reference: "Compares the start dates as written, so episodes starting 1/1/2025 and 01/01/2025 pass.",
    },
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        code: "1015",
        message: "Placement provider is own provision but child not placed in own LA.",
        fields: &["PL_LA"],
        years: (FIRST_YEAR, 2025),
        check: |d| rule_1015(d, &["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"]),
    },
    Rule {
        code: "1015",
        message: "Placement provider is own provision but child not placed in own LA.",
        fields: &["PL_LA"],
        years: (2026, ONWARDS),
        check: |d| rule_1015(d, &["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6", "K3"]),
    },
    Rule {
        code: "1016",
        message: "Care leaver information is not required for 17- or 18-year olds who cease to be looked after, after their birthday.",
        fields: &["IN_TOUCH", "ACTIV", "ACCOM"],
        years: (2024, ONWARDS),
        check: rule_1016,
    },
    Rule {
        code: "3001",
        message: "Where care leavers information is being returned for a young person around their 17th birthday, the accommodation cannot be with their former foster carer(s).",
        fields: &["REC"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_3001,
    },
    Rule {
        code: "EPI",
        message: "WARNING: Episodes need to be loaded for this child before further validation is possible [NOTE: This refers to the DfE portal - here, all checks that can be performed with only the available data will be.]",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_epi,
    },
    Rule {
        code: "INT01",
        message: "Data Integrity Check: Child in AD1 does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::Ad1),
    },
    Rule {
        code: "INT02",
        message: "Internal Check: Child in PlacedAdoption does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::PlacedAdoption),
    },
    Rule {
        code: "INT03",
        message: "Internal Check: Child in Episodes does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::Episodes),
    },
    Rule {
        code: "INT04",
        message: "Internal Check: Child in Missing does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::Missing),
    },
    Rule {
        code: "INT05",
        message: "Internal Check: Child in OC2 does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::Oc2),
    },
    Rule {
        code: "INT06",
        message: "Internal Check: Child in OC3 does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::Oc3),
    },
    Rule {
        code: "INT07",
        message: "Internal Check: Child in PrevPerm does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::PrevPerm),
    },
    Rule {
        code: "INT08",
        message: "Internal Check: Child in Reviews does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::Reviews),
    },
    Rule {
        code: "INT09",
        message: "Internal Check: Child in UASC does not exist in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_not_in_header(d, Table::Uasc),
    },
    Rule {
        code: "INT11",
        message: "Internal Check: DOB in AD1 is different to DOB in Header.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| dob_differs_from_header(d, Table::Ad1),
    },
    Rule {
        code: "INT12",
        message: "Internal Check: DOB in PlacedAdoption is different to DOB in Header.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| dob_differs_from_header(d, Table::PlacedAdoption),
    },
    Rule {
        code: "INT13",
        message: "Internal Check: DOB in Missing is different to DOB in Header.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| dob_differs_from_header(d, Table::Missing),
    },
    Rule {
        code: "INT14",
        message: "Internal Check: DOB in OC2 is different to DOB in Header.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| dob_differs_from_header(d, Table::Oc2),
    },
    Rule {
        code: "INT15",
        message: "Internal Check: DOB in OC3 is different to DOB in Header.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| dob_differs_from_header(d, Table::Oc3),
    },
    Rule {
        code: "INT16",
        message: "Internal Check: DOB in PrevPerm is different to DOB in Header.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| dob_differs_from_header(d, Table::PrevPerm),
    },
    Rule {
        code: "INT17",
        message: "Internal Check: DOB in Reviews is different to DOB in Header.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| dob_differs_from_header(d, Table::Reviews),
    },
    Rule {
        code: "INT18",
        message: "Internal Check: DOB in UASC is different to DOB in Header.",
        fields: &["DOB"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| dob_differs_from_header(d, Table::Uasc),
    },
    Rule {
        code: "INT21",
        message: "Internal Check: SEX in UASC is different to SEX in Header.",
        fields: &["SEX"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_int21,
    },
    Rule {
        code: "INT31",
        message: "Internal Check: Child should only exist once in AD1.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_more_than_once(d, Table::Ad1),
    },
    Rule {
        code: "INT32",
        message: "Internal Check: Child should only exist once in Header.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_more_than_once(d, Table::Header),
    },
    Rule {
        code: "INT33",
        message: "Internal Check: Child should only exist once in OC2.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_more_than_once(d, Table::Oc2),
    },
    Rule {
        code: "INT34",
        message: "Internal Check: Child should only exist once in OC3.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_more_than_once(d, Table::Oc3),
    },
    Rule {
        code: "INT35",
        message: "Internal Check: Child should only exist once in PrevPerm.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_more_than_once(d, Table::PrevPerm),
    },
    Rule {
        code: "INT36",
        message: "Internal Check: Child should only exist once in UASC.",
        fields: &["CHILD"],
        years: (FIRST_YEAR, ONWARDS),
        check: |d| child_more_than_once(d, Table::Uasc),
    },
    Rule {
        code: "NoE",
        message: "This child has no episodes loaded for previous year even though child started to be looked after before this current year.",
        fields: &["DECOM"],
        years: (FIRST_YEAR, ONWARDS),
        check: rule_noe,
    },
    Rule {
        code: "SW01STG1",
        message: "Child looked after on 31 March, but no social worker episode information is reported",
        fields: &["DEC"],
        years: (2024, 2024),
        check: rule_sw01stg1,
    },
    Rule {
        code: "SW01aSTG1",
        message: "For each social worker episode, information should be complete",
        fields: &["SW_DECOM", "SW_ID"],
        years: (2025, 2025),
        check: rule_sw01astg1,
    },
    Rule {
        code: "SW01bSTG1",
        message: "For each social worker episode, information should be complete",
        fields: &["SW_DECOM", "SW_ID", "SW_REASON"],
        years: (2025, 2025),
        check: rule_sw01bstg1,
    },
    Rule {
        code: "SW02STG1",
        message: "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.",
        fields: &["SW_ID"],
        years: (2024, 2025),
        check: |d| social_worker_id_prefix(d, 0),
    },
    Rule {
        code: "SW02STG1",
        message: "Social worker ID does not begin with the characters ‘SW’ or ‘XX’.",
        fields: &["SW_ID"],
        years: (2026, ONWARDS),
        check: |d| social_worker_id_prefix(d, 4),
    },
    Rule {
        code: "SW03STG1",
        message: "For each social worker episode, information should be complete.",
        fields: &["SW_ID", "SW_DECOM", "SW_REASON"],
        years: (2024, 2024),
        check: rule_sw03stg1,
    },
    Rule {
        code: "SW04STG1",
        message: "Date social worker episode began is not a valid date..",
        fields: &["SW_DECOM"],
        years: (2024, 2025),
        check: |d| not_a_date(d, "SW_DECOM", zz_date),
    },
    Rule {
        code: "SW04STG1",
        message: "Date social worker episode began is not a valid date..",
        fields: &["SW_DECOM"],
        years: (2026, ONWARDS),
        check: |d| not_a_date(d, "SW_DECOM", dfe_date),
    },
    Rule {
        code: "SW05STG1",
        message: "Date social worker episode began is not a valid date.",
        fields: &["SW_DEC"],
        years: (2024, 2025),
        check: |d| not_a_date(d, "SW_DEC", zz_date),
    },
    Rule {
        code: "SW05STG1",
        message: "Date social worker episode began is not a valid date.",
        fields: &["SW_DEC"],
        years: (2026, ONWARDS),
        check: |d| not_a_date(d, "SW_DEC", dfe_date),
    },
    Rule {
        code: "SW06STG2",
        message: "Social worker episode data should be within the social worker data reporting year.",
        fields: &["SW_DECOM"],
        years: (2024, ONWARDS),
        check: rule_sw06stg2,
    },
    Rule {
        code: "SW07STG2",
        message: "Social worker episode end date should be on or after the start of the social worker reporting period, and should be on or before the collection end date.",
        fields: &["SW_DEC"],
        years: (2024, 2024),
        check: |d| social_worker_end_in_period(d, d.collection_start),
    },
    Rule {
        code: "SW07STG2",
        message: "Social worker episode end date should be on or after the start of the social worker reporting period, and should be on or before the collection end date.",
        fields: &["SW_DEC"],
        years: (2025, ONWARDS),
        check: |d| social_worker_end_in_period(d, year_before(d, d.collection_start)),
    },
    Rule {
        code: "SW08STG2",
        message: "A new social worker episode has started, but the previous episode has not ended.",
        fields: &["SW_DEC"],
        years: (2024, ONWARDS),
        check: rule_sw08stg2,
    },
    Rule {
        code: "SW09STG2",
        message: "Social worker episode appears to have lasted for less than 24 hours.",
        fields: &["SW_DECOM", "SW_DEC"],
        years: (2024, 2025),
        check: rule_sw09stg2_same_text,
    },
    Rule {
        code: "SW09STG2",
        message: "Social worker episode appears to have lasted for less than 24 hours.",
        fields: &["SW_DECOM", "SW_DEC"],
        years: (2026, ONWARDS),
        check: rule_sw09stg2_under_three_days,
    },
    Rule {
        code: "SW10STG2",
        message: "A new social worker episode has started before the end date of the previous social worker episode.",
        fields: &["SW_DECOM"],
        years: (2024, 2024),
        check: |d| next_episode_within_a_week(d, false),
    },
    Rule {
        code: "SW10STG2",
        message: "A new social worker episode has started before the end date of the previous social worker episode.",
        fields: &["SW_DECOM"],
        years: (2025, ONWARDS),
        check: |d| next_episode_within_a_week(d, true),
    },
    Rule {
        code: "SW10aSTG2",
        message: "A new social worker episode has started and it is not within +/- 7 days of a previous episode.",
        fields: &["SW_DECOM"],
        years: (2026, ONWARDS),
        check: |d| next_episode_within_a_week(d, true),
    },
    Rule {
        code: "SW10bSTG2",
        message: "A new social worker episode has started with a reason of first contact before the previous episode has ended.",
        fields: &["SW_DECOM", "SW_REASON"],
        years: (2026, ONWARDS),
        check: rule_sw10bstg2,
    },
    Rule {
        code: "SW11aSTG2",
        message: "Social worker episode has ended before 31 March and no subsequent social worker episode has been provided.",
        fields: &["SW_DEC"],
        years: (2024, 2024),
        check: rule_sw11astg2,
    },
    Rule {
        code: "SW11bSTG2",
        message: "Social worker episode has ended before 31 March and no subsequent social worker episode has been provided.",
        fields: &["SW_DEC"],
        years: (2024, ONWARDS),
        check: rule_sw11bstg2,
    },
    Rule {
        code: "SW12STG2",
        message: "If a child is looked after on 31 March then all social worker episodes for the full previous year should be reported, even those whilst they were not looked after",
        fields: &["SW_DECOM"],
        years: (2024, 2024),
        check: |d| social_worker_for_care_changes(d, false),
    },
    Rule {
        code: "SW12STG2",
        message: "If a child is looked after on 31 March then all social worker episodes for the full previous year should be reported, even those whilst they were not looked after",
        fields: &["SW_DECOM"],
        years: (2025, ONWARDS),
        check: |d| social_worker_for_care_changes(d, true),
    },
    Rule {
        code: "SW13STG1",
        message: "The reason for social worker change is either not valid or has not been entered.",
        fields: &["SW_REASON"],
        years: (2024, 2024),
        check: rule_sw13stg1_reason_valid,
    },
    Rule {
        code: "SW13STG1",
        message: "The reason for social worker change is not valid.",
        fields: &["SW_REASON"],
        years: (2025, ONWARDS),
        check: rule_sw13stg1_reason_valid_or_old,
    },
    Rule {
        code: "SW14STG2",
        message: "Social worker episode date ceased is blank.",
        fields: &["SW_DEC"],
        years: (2024, 2024),
        check: rule_sw14stg2,
    },
    Rule {
        code: "SW15STG2",
        message: "Reason for social worker change is missing.",
        fields: &["SW_REASON"],
        years: (2025, 2024),
        check: rule_sw15stg2,
    },
    Rule {
        code: "SW16aSTG2",
        message: "The social worker reason episode changed does not match the open episode at the end of last year.",
        fields: &["SW_ID"],
        years: (2025, 2024),
        check: |d| continues_last_years_episode(d, |f, r| f.value(r, "SW_ID").map(str::to_owned)),
    },
    Rule {
        code: "SW16bSTG2",
        message: "The social worker episode start date does not match the open episode at the end of last year.",
        fields: &["SW_DECOM"],
        years: (2025, 2024),
        check: |d| continues_last_years_episode(d, |f, r| f.date(r, f.col("SW_DECOM")).map(|day| day.to_string())),
    },
    Rule {
        code: "SW16cSTG2",
        message: "The social worker reason episode changed does not match the open episode at the end of last year.",
        fields: &["SW_REASON"],
        years: (2025, 2024),
        check: |d| continues_last_years_episode(d, |f, r| f.value(r, "SW_REASON").map(str::to_owned)),
    },
    Rule {
        code: "SW17STG2",
        message: "There is no social worker episode open at 31 March",
        fields: &["SW_DEC", "SW_DECOM"],
        years: (2026, ONWARDS),
        check: rule_sw17stg2,
    },
    Rule {
        code: "SW18STG2",
        message: "The end date of the social worker episode is before the start date",
        fields: &["SW_DEC", "SW_DECOM"],
        years: (2026, ONWARDS),
        check: rule_sw18stg2,
    },
    Rule {
        code: "SW19STG2",
        message: "There are 2 social worker episodes for the child starting on the same date.",
        fields: &["SW_DEC", "SW_DECOM"],
        years: (2026, ONWARDS),
        check: rule_sw19stg2,
    },
];

// PL_LA comes from a postcode lookup Pathways lacks: as in the reference for unknown postcodes, it is blank.
/// 1015: an episode with the council's own provision (PR1), other than fostering
/// or adoption or short breaks, must be placed in the council's own area.
fn rule_1015(d: &Dataset, fostering_or_adoption: &[&str]) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let (place, provider, ls, pl_la) = (
        episodes.col("PLACE"),
        episodes.col("PLACE_PROVIDER"),
        episodes.col("LS"),
        episodes.col("PL_LA"),
    );
    let own_la = d.local_authority.as_deref();
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let checked = episodes
                .get(r, place)
                .is_some_and(|p| !fostering_or_adoption.contains(&p))
                && episodes.get(r, ls).is_some_and(|l| l != "V3" && l != "V4")
                && episodes.get(r, provider) == Some("PR1");
            let in_own_la = episodes.get(r, pl_la).is_some() && episodes.get(r, pl_la) == own_la;
            checked && !in_own_la
        }),
    )
}

// Reference bug (corrected unless Follow::Reference): ages are days against numpy's
// 365.2425-day year, so some turn 17 or 18 a day after the birthday; the rule text is
// about "17- or 18-year olds", who are 17 or 18 from their birthday.
// The reference stops on an OC3 DOB that is not a date (no `errors="coerce"`); here that row is skipped.
/// 1016: a care leaver aged 17 (or 18) at the end of the year whose episode ended on
/// or after their 17th (18th) birthday should have no care leaver information.
fn rule_1016(d: &Dataset) -> Outcome {
    let oc3 = d.this(Table::Oc3)?;
    let episodes = d.this(Table::Episodes)?;
    let end = d.collection_end;
    let episodes_by_child = merge_groups_by_child(episodes);
    let dec = episodes.col("DEC");
    let (dob, in_touch, activ, accom) = (oc3.col("DOB"), oc3.col("IN_TOUCH"), oc3.col("ACTIV"), oc3.col("ACCOM"));
    let child = oc3.col("CHILD");
    flag(
        Table::Oc3,
        oc3.rows().filter(|&r| {
            let answered = oc3.get(r, in_touch).is_some() || oc3.get(r, activ).is_some() || oc3.get(r, accom).is_some();
            let Some(birth) = oc3.date(r, dob) else { return false };
            let age = match d.follow {
                Follow::RuleText => age_on(birth, end),
                Follow::Reference => {
                    let age_days = days_between(birth, end);
                    (17..=19)
                        .rev()
                        .find(|&years| at_least_numpy_years(age_days, years.into()))
                        .unwrap_or(0)
                }
            };
            if !(17..=18).contains(&age) {
                return false;
            }
            let birthday = plus_years(birth, age);
            let ceased_after_birthday = episodes_by_child.get(&oc3.get(r, child)).is_some_and(|rows| {
                rows.iter()
                    .any(|&e| episodes.date(e, dec).zip(birthday).is_some_and(|(dec, day)| dec >= day))
            });
            answered && ceased_after_birthday
        }),
    )
}

// The reference stops when a child of OC3 is twice in the Header; here either Header row can fail the OC3 row.
/// 3001: a care leaver who turns 17 during the year cannot be living with their
/// former foster carers (ACCOM Z1 or Z2).
fn rule_3001(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let oc3 = d.this(Table::Oc3)?;
    let header_by_child = merge_groups_by_child(header);
    let header_dob = header.col("DOB");
    let (accom, child) = (oc3.col("ACCOM"), oc3.col("CHILD"));
    let (start, end) = (d.collection_start, d.collection_end);
    flag(
        Table::Oc3,
        oc3.rows().filter(|&r| {
            is_in(oc3.get(r, accom), &["Z1", "Z2"])
                && header_by_child.get(&oc3.get(r, child)).is_some_and(|rows| {
                    rows.iter().any(|&h| {
                        header
                            .date(h, header_dob)
                            .and_then(|dob| plus_years(dob, 17))
                            .is_some_and(|day17| start <= day17 && day17 <= end)
                    })
                })
        }),
    )
}

/// EPI: every child in the Header needs episodes (or care leaver information).
fn rule_epi(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let with_episodes = d
        .this(Table::Episodes)
        .map(|f| values_in(f, "CHILD", f.rows()))
        .unwrap_or_default();
    let with_oc3 = d
        .this(Table::Oc3)
        .map(|f| values_in(f, "CHILD", f.rows()))
        .unwrap_or_default();
    let child = header.col("CHILD");
    flag(
        Table::Header,
        header.rows().filter(|&r| {
            let id = header.get(r, child);
            !with_episodes.contains(&id) && !with_oc3.contains(&id)
        }),
    )
}

/// INT01 to INT09: every child in `table` must be in the Header.
fn child_not_in_header(d: &Dataset, table: Table) -> Outcome {
    let header = d.this(Table::Header)?;
    let file = d.this(table)?;
    let known = values_in(header, "CHILD", header.rows());
    let child = file.col("CHILD");
    flag(table, file.rows().filter(|&r| !known.contains(&file.get(r, child))))
}

/// INT11 to INT18: the DOB in `table` must match the child's DOB in the Header
/// (where both are dates).
fn dob_differs_from_header(d: &Dataset, table: Table) -> Outcome {
    let header = d.this(Table::Header)?;
    let file = d.this(table)?;
    let (header_dob, file_dob) = (header.col("DOB"), file.col("DOB"));
    same_as_header(header, file, table, |h, f| {
        let (hd, fd) = (header.date(h, header_dob), file.date(f, file_dob));
        hd.is_some() && fd.is_some() && hd != fd
    })
}

/// INT21: the SEX in UASC must match the child's SEX in the Header (where both are given).
fn rule_int21(d: &Dataset) -> Outcome {
    let header = d.this(Table::Header)?;
    let uasc = d.this(Table::Uasc)?;
    let (header_sex, uasc_sex) = (header.col("SEX"), uasc.col("SEX"));
    same_as_header(header, uasc, Table::Uasc, |h, u| {
        let (hs, us) = (header.get(h, header_sex), uasc.get(u, uasc_sex));
        hs.is_some() && us.is_some() && hs != us
    })
}

/// Rows of `file` for which some Header row of the same child `differs`.
fn same_as_header(header: &Frame, file: &Frame, table: Table, differs: impl Fn(usize, usize) -> bool) -> Outcome {
    let header_rows = merge_groups_by_child(header);
    let child = file.col("CHILD");
    flag(
        table,
        file.rows().filter(|&r| {
            header_rows
                .get(&file.get(r, child))
                .is_some_and(|rows| rows.iter().any(|&h| differs(h, r)))
        }),
    )
}

/// INT31 to INT36: a child may appear only once in `table`.
fn child_more_than_once(d: &Dataset, table: Table) -> Outcome {
    let file = d.this(table)?;
    let rows = rows_by_child(file);
    flag(table, rows.into_values().filter(|rows| rows.len() > 1).flatten())
}

/// NoE: a child looked after before this year must have episodes in last year's return.
fn rule_noe(d: &Dataset) -> Outcome {
    let episodes = d.this(Table::Episodes)?;
    let last_episodes = d.last(Table::Episodes)?;
    let last_year = values_in(last_episodes, "CHILD", last_episodes.rows());
    let (decom, child) = (episodes.col("DECOM"), episodes.col("CHILD"));
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            episodes.date(r, decom).is_some_and(|day| day < d.collection_start)
                && !last_year.contains(&episodes.get(r, child))
        }),
    )
}

// Reference bug (corrected unless Follow::Reference): the failing Episodes rows are
// marked on the SWEpisodes rows with the same numbers, which belong to other episodes
// or children; the rule text is about the child "looked after on 31 March", whose
// episode is flagged. (A row number past the end of SWEpisodes stops the whole
// reference; here it is dropped.)
/// SW01STG1: a child looked after on 31 March needs complete social worker episodes.
fn rule_sw01stg1(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let episodes = d.this(Table::Episodes)?;
    let swe_by_child = merge_groups_by_child(swe);
    let (sw_id, sw_decom, sw_reason) = (swe.col("SW_ID"), swe.col("SW_DECOM"), swe.col("SW_REASON"));
    let incomplete =
        |s: &usize| swe.get(*s, sw_id).is_none() || swe.get(*s, sw_decom).is_none() || swe.get(*s, sw_reason).is_none();
    let (dec, ls, child) = (episodes.col("DEC"), episodes.col("LS"), episodes.col("CHILD"));
    let looked_after_without = episodes.rows().filter(|&r| {
        episodes.get(r, dec).is_none()
            && !is_in(episodes.get(r, ls), &["V3", "V4"])
            && swe_by_child
                .get(&episodes.get(r, child))
                .is_none_or(|rows| rows.iter().any(incomplete))
    });
    match d.follow {
        Follow::RuleText => flag(Table::Episodes, looked_after_without),
        Follow::Reference => flag(Table::SwEpisodes, looked_after_without),
    }
}

/// SW01aSTG1: a social worker episode needs a start date, and one that started
/// before 1 April 2023 a social worker ID.
fn rule_sw01astg1(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (sw_id, sw_decom) = (swe.col("SW_ID"), swe.col("SW_DECOM"));
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| match swe.date(r, sw_decom) {
            None => true,
            Some(start) => start < date(2023, 4, 1) && swe.get(r, sw_id).is_none(),
        }),
    )
}

/// SW01bSTG1: a social worker episode needs a start date, and one that started on
/// or after 1 April 2023 a social worker ID and a reason.
fn rule_sw01bstg1(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (sw_id, sw_decom, sw_reason) = (swe.col("SW_ID"), swe.col("SW_DECOM"), swe.col("SW_REASON"));
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| match swe.date(r, sw_decom) {
            None => true,
            Some(start) => {
                start >= date(2023, 4, 1) && (swe.get(r, sw_id).is_none() || swe.get(r, sw_reason).is_none())
            }
        }),
    )
}

/// SW02STG1: a social worker ID starts with SW or XX (and, from 2026, has at
/// least `min_length` characters).
fn social_worker_id_prefix(d: &Dataset, min_length: usize) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let sw_id = swe.col("SW_ID");
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| match swe.get(r, sw_id) {
            None => true,
            Some(id) => !(id.starts_with("SW") || id.starts_with("XX")) || id.chars().count() < min_length,
        }),
    )
}

/// SW03STG1: a social worker episode needs an ID, a start date and a reason.
fn rule_sw03stg1(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let cols = [swe.col("SW_ID"), swe.col("SW_DECOM"), swe.col("SW_REASON")];
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| cols.iter().any(|&c| swe.get(r, c).is_none())),
    )
}

// To 2025 `ZZ` stands for an unknown day or month and `ZZZZ` for an unknown year. The reference stops on
// a `ZZ` date it pushes past 11 April 2262; here such a date counts as valid.
/// SW04STG1 and SW05STG1: the date in `column`, when given, must be a valid date.
fn not_a_date(d: &Dataset, column: &str, read: fn(&str) -> Option<Date>) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let c = swe.col(column);
    flag(
        Table::SwEpisodes,
        swe.rows()
            .filter(|&r| swe.get(r, c).is_some_and(|text| read(text).is_none())),
    )
}

/// SW06STG2: a social worker episode cannot start after the end of the year.
fn rule_sw06stg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let sw_decom = swe.col("SW_DECOM");
    flag(
        Table::SwEpisodes,
        swe.rows()
            .filter(|&r| swe.date(r, sw_decom).is_some_and(|start| start > d.collection_end)),
    )
}

// Reference bug (corrected unless Follow::Reference): from 2025 the period starts
// 365.2425 days before 1 April, so after a leap day 1 April is outside; the rule text's
// "social worker reporting period" starts on 1 April (see `year_before`).
/// SW07STG2: a social worker episode's end date must be between `earliest` and the
/// end of the year.
fn social_worker_end_in_period(d: &Dataset, earliest: Date) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let sw_dec = swe.col("SW_DEC");
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| {
            swe.date(r, sw_dec)
                .is_some_and(|end| end < earliest || end > d.collection_end)
        }),
    )
}

// Reference quirk: a start of 01/01/1901 counts as blank, and same-day starts are ordered by numpy's unstable sort.
/// SW08STG2: every social worker episode but a child's latest must have ended.
fn rule_sw08stg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (sw_decom, sw_dec, child) = (swe.col("SW_DECOM"), swe.col("SW_DEC"), swe.col("CHILD"));
    let starts: Vec<Option<Date>> = swe
        .rows()
        .map(|r| swe.date(r, sw_decom).filter(|&day| day != date(1901, 1, 1)))
        .collect();
    let mut latest: HashMap<&str, usize> = HashMap::new();
    for r in sort_values(&starts, true) {
        if let Some(id) = swe.get(r, child) {
            latest.insert(id, r);
        }
    }
    let latest: HashSet<usize> = latest.into_values().collect();
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| {
            !latest.contains(&r) && swe.date(r, sw_dec).is_none() && swe.get(r, child).is_some() && starts[r].is_some()
        }),
    )
}

// Reference bug (corrected unless Follow::Reference): the dates are compared as
// written, so 01/06/2024 to 1/6/2024 passes; the rule text is about an episode that
// "lasted for less than 24 hours".
/// SW09STG2 (to 2025): a social worker episode cannot end on the day it started.
fn rule_sw09stg2_same_text(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (sw_decom, sw_dec) = (swe.col("SW_DECOM"), swe.col("SW_DEC"));
    flag(
        Table::SwEpisodes,
        swe.rows()
            .filter(|&r| same_written_date(d.follow, swe.get(r, sw_dec), swe.get(r, sw_decom))),
    )
}

// Reference quirk: the check is under 3 days (not 24 hours), on dates read without a format (`2025-04-01` counts).
/// SW09STG2 (from 2026): a social worker episode must last at least three days.
fn rule_sw09stg2_under_three_days(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (sw_decom, sw_dec) = (swe.col("SW_DECOM"), swe.col("SW_DEC"));
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| {
            let start = swe.get(r, sw_decom).and_then(|t| loose_date(t, d.year));
            let end = swe.get(r, sw_dec).and_then(|t| loose_date(t, d.year));
            start.zip(end).is_some_and(|(start, end)| days_between(start, end) < 3)
        }),
    )
}

const SOCIAL_WORKER_REASONS: &[&str] = &[
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS",
];

// Reference quirk: an episode fails when the one before has no end date (or it has no start date).
/// SW10STG2 and SW10aSTG2: a child's next social worker episode must start within
/// 7 days of the end of the one before (from 2025, unless its reason is FCONTA).
fn next_episode_within_a_week(d: &Dataset, unless_first_contact: bool) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (starts, ends) = (dates(swe, "SW_DECOM"), dates(swe, "SW_DEC"));
    let reason = swe.col("SW_REASON");
    let order = sort_by_child_then(swe, &[&starts, &ends], true);
    let mut rows: Vec<usize> = with_previous_of_same_child(swe, &order)
        .into_iter()
        .filter(|&(row, previous)| {
            let previous_end = previous.and_then(|p| ends[p]);
            let within = starts[row].zip(previous_end).is_some_and(|(start, end)| {
                plus_days(end, -7).is_some_and(|from| start >= from) && plus_days(end, 7).is_some_and(|to| start <= to)
            });
            let excused = unless_first_contact && swe.get(row, reason) == Some("FCONTA");
            !within && !excused
        })
        .map(|(row, _)| row)
        .collect();
    rows.sort_unstable();
    flag(Table::SwEpisodes, rows)
}

/// SW10bSTG2: an episode with reason FCONTA (first contact) must start after the
/// child's previous social worker episode ended.
fn rule_sw10bstg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (starts, ends) = (dates(swe, "SW_DECOM"), dates(swe, "SW_DEC"));
    let reason = swe.col("SW_REASON");
    let order = sort_by_child_then(swe, &[&starts, &ends], true);
    let mut rows: Vec<usize> = with_previous_of_same_child(swe, &order)
        .into_iter()
        .filter(|&(row, previous)| {
            let previous_end = previous.and_then(|p| ends[p]);
            swe.get(row, reason) == Some("FCONTA")
                && starts[row].zip(previous_end).is_some_and(|(start, end)| start <= end)
        })
        .map(|(row, _)| row)
        .collect();
    rows.sort_unstable();
    flag(Table::SwEpisodes, rows)
}

// Reference quirk: an episode with no start date after one ending before the last 5 days fails too.
/// SW11aSTG2: a social worker episode that ended before the last 5 days of the
/// year must be followed, within 5 days, by the child's next episode.
fn rule_sw11astg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (starts, ends) = (dates(swe, "SW_DECOM"), dates(swe, "SW_DEC"));
    let child = swe.col("CHILD");
    let last_days = plus_days(d.collection_end, -5)?;
    let order = sort_by_child_then(swe, &[&starts], true);
    flag(
        Table::SwEpisodes,
        order.windows(2).filter_map(|pair| {
            let (previous, row) = (pair[0], pair[1]);
            let same_child = swe.get(row, child).is_some() && swe.get(row, child) == swe.get(previous, child);
            let end = ends[previous].filter(|&end| end <= last_days)?;
            let followed = starts[row].is_some_and(|start| {
                plus_days(end, -5).is_some_and(|from| start >= from) && plus_days(end, 5).is_some_and(|to| start <= to)
            });
            (same_child && !followed).then_some(row)
        }),
    )
}

// Reference quirk: the later of two episodes fails when it ends in the last 5 days after the earlier one started.
/// SW11bSTG2: a social worker episode that ended in the last 5 days of the year
/// must be followed by the child's next episode.
fn rule_sw11bstg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (starts, ends) = (dates(swe, "SW_DECOM"), dates(swe, "SW_DEC"));
    let end = d.collection_end;
    let last_days = plus_days(end, -5)?;
    let in_last_days = |day: Option<Date>| day.is_some_and(|day| last_days <= day && day <= end);
    let mut rows: Vec<usize> = Vec::new();
    // An episode ending in the last days, followed by one with no start date.
    let ascending = sort_by_child_then(swe, &[&starts], true);
    for (row, previous) in with_previous_of_same_child(swe, &ascending) {
        if in_last_days(previous.and_then(|p| ends[p])) && starts[row].is_none() {
            rows.push(row);
        }
    }
    // A child's only episode, ending in the last days.
    let by_child = rows_by_child(swe);
    rows.extend(
        by_child
            .values()
            .filter(|rows| rows.len() == 1)
            .flatten()
            .filter(|&&row| in_last_days(ends[row])),
    );
    // Episodes in reverse order: a later one ending in the last days after the
    // one before it started.
    let descending = sort_by_child_then(swe, &[&starts], false);
    for (row, later) in with_previous_of_same_child(swe, &descending) {
        let Some(later) = later else { continue };
        if in_last_days(ends[later]) && starts[row].zip(ends[later]).is_some_and(|(start, end)| start < end) {
            rows.push(later);
        }
    }
    flag(Table::SwEpisodes, rows)
}

// Reference bug (corrected unless Follow::Reference): the episode fails unless every one
// of the child's social worker episodes covers it, and from 2025 the year before is
// 365.2425 days; the rule text asks that the social worker episodes "for the full
// previous year" are reported, so one covering the episode is enough.
/// SW12STG2: an episode starting care (RNE S) or ending it (REC not X1) needs a
/// social worker episode starting by its end or from its start (from 2025, only
/// episodes ending within a numpy year before the collection year, or open).
fn social_worker_for_care_changes(d: &Dataset, recent_only: bool) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let episodes = d.this(Table::Episodes)?;
    let swe_by_child = merge_groups_by_child(swe);
    let sw_starts = dates(swe, "SW_DECOM");
    let (starts, ends) = (dates(episodes, "DECOM"), dates(episodes, "DEC"));
    let (ls, rne, rec, child) = (
        episodes.col("LS"),
        episodes.col("RNE"),
        episodes.col("REC"),
        episodes.col("CHILD"),
    );
    let earliest = year_before(d, d.collection_start);
    flag(
        Table::Episodes,
        episodes.rows().filter(|&r| {
            let recent = ends[r].is_none_or(|end| earliest <= end && end <= d.collection_end);
            let starts_care = episodes.get(r, rne) == Some("S");
            let ends_care = episodes.get(r, rec) != Some("X1");
            let checked =
                (!recent_only || recent) && !is_in(episodes.get(r, ls), &["V3", "V4"]) && (starts_care || ends_care);
            let covered = |sw_start: Option<Date>| {
                let by_end = sw_start.zip(ends[r]).is_some_and(|(s, e)| s <= e) && ends_care;
                let from_start = sw_start.zip(starts[r]).is_some_and(|(s, e)| s >= e) && starts_care;
                by_end || from_start
            };
            let covered_by = |rows: &Vec<usize>| match d.follow {
                Follow::RuleText => rows.iter().any(|&s| covered(sw_starts[s])),
                Follow::Reference => rows.iter().all(|&s| covered(sw_starts[s])),
            };
            let is_covered = swe_by_child
                .get(&episodes.get(r, child))
                .map_or(covered(None), covered_by);
            checked && !is_covered
        }),
    )
}

/// SW13STG1 (2024): the reason for a social worker change must be a valid code.
fn rule_sw13stg1_reason_valid(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let reason = swe.col("SW_REASON");
    flag(
        Table::SwEpisodes,
        swe.rows()
            .filter(|&r| !is_in(swe.get(r, reason), SOCIAL_WORKER_REASONS)),
    )
}

// Reference quirk: start dates are read without a format (day first, `2023-04-01` counts).
// The reference stops on a start date it cannot read (no `errors="coerce"`); here it counts as blank.
/// SW13STG1 (from 2025): a reason given must be a valid code, and one is needed for
/// an episode starting on or after 1 April 2023.
fn rule_sw13stg1_reason_valid_or_old(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (reason, sw_decom) = (swe.col("SW_REASON"), swe.col("SW_DECOM"));
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| match swe.get(r, reason) {
            Some(code) => !SOCIAL_WORKER_REASONS.contains(&code),
            None => swe
                .get(r, sw_decom)
                .and_then(|t| loose_date(t, d.year))
                .is_some_and(|start| start >= date(2023, 4, 1)),
        }),
    )
}

/// SW14STG2: every social worker episode but a child's latest needs an end date.
fn rule_sw14stg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (starts, ends) = (dates(swe, "SW_DECOM"), dates(swe, "SW_DEC"));
    let child = swe.col("CHILD");
    let mut latest: HashMap<Option<&str>, usize> = HashMap::new();
    for row in sort_by_child_then(swe, &[&starts], true) {
        latest.insert(swe.get(row, child), row);
    }
    let latest: HashSet<usize> = latest.into_values().collect();
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| ends[r].is_none() && !latest.contains(&r)),
    )
}

// The reference defines SW15STG2 and SW16a-cSTG2 in its 2024-25 rules and removes
// them in the same year: they never run (their years are empty here too).
/// SW15STG2: an episode starting within a numpy year before the collection year
/// (or with no start date) needs a reason.
fn rule_sw15stg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let starts = dates(swe, "SW_DECOM");
    let reason = swe.col("SW_REASON");
    let earliest = numpy_year_before(d.collection_start);
    flag(
        Table::SwEpisodes,
        swe.rows()
            .filter(|&r| swe.get(r, reason).is_none() && starts[r].is_none_or(|start| start >= earliest)),
    )
}

/// SW16a-cSTG2: a child's first social worker episode this year must continue the
/// episode left open at the end of last year (same `value`: ID, start or reason).
fn continues_last_years_episode(d: &Dataset, value: fn(&Frame, usize) -> Option<String>) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let last = d.last(Table::SwEpisodes)?;
    let first_this_year = first_by_child(swe, &sort_values(&dates(swe, "SW_DECOM"), true));
    let latest_last_year = first_by_child(last, &sort_values(&dates(last, "SW_DECOM"), false));
    let last_dec = last.col("SW_DEC");
    flag(
        Table::SwEpisodes,
        latest_last_year.iter().filter_map(|(child, &open)| {
            let row = *first_this_year.get(child)?;
            let (now, then) = (value(swe, row), value(last, open));
            (last.get(open, last_dec).is_none() && (now.is_none() || then.is_none() || now != then)).then_some(row)
        }),
    )
}

// Reference quirk: starts are read without a format (day first); same-day starts are ordered by numpy's unstable sort.
/// SW17STG2: a child's latest social worker episode must still be open at 31 March.
fn rule_sw17stg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (sw_decom, sw_dec) = (swe.col("SW_DECOM"), swe.col("SW_DEC"));
    let starts: Vec<Option<Date>> = swe
        .rows()
        .map(|r| swe.get(r, sw_decom).and_then(|t| loose_date(t, d.year)))
        .collect();
    let latest = first_by_child(swe, &sort_values(&starts, false));
    let mut rows: Vec<usize> = latest.into_values().filter(|&r| swe.get(r, sw_dec).is_some()).collect();
    rows.sort_unstable();
    flag(Table::SwEpisodes, rows)
}

/// SW18STG2: a social worker episode must end after it starts (dates read without a format).
fn rule_sw18stg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (sw_decom, sw_dec) = (swe.col("SW_DECOM"), swe.col("SW_DEC"));
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| {
            let start = swe.get(r, sw_decom).and_then(|t| loose_date(t, d.year));
            let end = swe.get(r, sw_dec).and_then(|t| loose_date(t, d.year));
            start.zip(end).is_some_and(|(start, end)| end <= start)
        }),
    )
}

// Reference bug (corrected unless Follow::Reference): start dates are compared as
// written, so `1/1/2025` and `01/01/2025` differ; the rule text is about two episodes
// "starting on the same date".
/// SW19STG2: two social worker episodes of a child cannot start on the same date;
/// the second and later are flagged.
fn rule_sw19stg2(d: &Dataset) -> Outcome {
    let swe = d.this(Table::SwEpisodes)?;
    let (child, sw_decom) = (swe.col("CHILD"), swe.col("SW_DECOM"));
    let mut seen = HashSet::new();
    flag(
        Table::SwEpisodes,
        swe.rows().filter(|&r| {
            !seen.insert((
                swe.get(r, child),
                swe.get(r, sw_decom).map(|t| written_date(d.follow, t)),
            ))
        }),
    )
}

// Helpers: merging by child, reading dates and ordering rows as the reference does.

/// A year before `day`: the same day a year earlier as the rule text counts it, or
/// under `Follow::Reference` numpy's 365.2425-day year (365 days at midnight).
fn year_before(d: &Dataset, day: Date) -> Date {
    match d.follow {
        Follow::RuleText => plus_years(day, -1).unwrap_or(day),
        Follow::Reference => numpy_year_before(day),
    }
}

/// The first row of each child (a blank CHILD counting as one) in `order`.
fn first_by_child<'a>(frame: &'a Frame, order: &[usize]) -> HashMap<Option<&'a str>, usize> {
    let child = frame.col("CHILD");
    let mut first = HashMap::new();
    for &row in order {
        first.entry(frame.get(row, child)).or_insert(row);
    }
    first
}

/// A date column of `frame` read as the reference reads it with a format.
fn dates(frame: &Frame, column: &str) -> Vec<Option<Date>> {
    let c = frame.col(column);
    frame.rows().map(|r| frame.date(r, c)).collect()
}

/// The rows of `frame` in the order of pandas' `sort_values` on CHILD then the
/// date columns `keys` (a stable sort for more than one column).
fn sort_by_child_then(frame: &Frame, keys: &[&[Option<Date>]], ascending: bool) -> Vec<usize> {
    let child = frame.col("CHILD");
    let mut order: Vec<usize> = frame.rows().collect();
    order.sort_by(|&a, &b| {
        keys.iter().fold(
            cmp_blank_last(frame.get(a, child), frame.get(b, child), ascending),
            |o, key| o.then_with(|| cmp_blank_last(key[a], key[b], ascending)),
        )
    });
    order
}

#[cfg(test)]
mod tests {
    use super::super::super::testing::{dataset, ran, run};
    use crate::ssda903::tables::Table;
    use crate::ssda903::validate::{Dataset, Follow};

    /// The rows rule `code` flags in `d` when following `follow`.
    fn run_as(d: &Dataset, follow: Follow, code: &str) -> Vec<(&'static str, usize)> {
        let mut d = d.clone();
        d.follow = follow;
        run(&d, code)
    }

    /// [`run_as`], the row numbers only.
    fn flagged_as(d: &Dataset, follow: Follow, code: &str) -> Vec<usize> {
        run_as(d, follow, code).into_iter().map(|(_, r)| r).collect()
    }

    #[test]
    fn rule_1015_own_provision_must_be_placed_in_own_area() {
        let rows: &[&[(&str, &str)]] = &[
            &[("PLACE", "E1"), ("LS", "C1"), ("PLACE_PROVIDER", "PR1")],
            &[("PLACE", "U2"), ("LS", "C1"), ("PLACE_PROVIDER", "PR1")],
            &[("PLACE", "E1"), ("LS", "V3"), ("PLACE_PROVIDER", "PR1")],
            &[("PLACE", "E1"), ("LS", "C1"), ("PLACE_PROVIDER", "PR2")],
            &[("LS", "C1"), ("PLACE_PROVIDER", "PR1")],
            &[("PLACE", "E1"), ("PLACE_PROVIDER", "PR1")],
            &[("PLACE", "E1"), ("LS", "C1")],
            &[("PLACE", "K3"), ("LS", "C1"), ("PLACE_PROVIDER", "PR1")],
        ];
        // Placement areas come from a postcode lookup Pathways does not have: as in
        // the reference for unknown postcodes, no episode is in the council's area.
        let d = dataset(2025).table(Table::Episodes, rows).done();
        assert_eq!(run(&d, "1015"), [("Episodes", 0), ("Episodes", 7)]);
        let d = dataset(2026).table(Table::Episodes, rows).done();
        assert_eq!(run(&d, "1015"), [("Episodes", 0)]);
    }

    #[test]
    fn rule_1016_no_care_leaver_information_after_leaving_care_at_17_or_18() {
        let oc3 = |child: &'static str, dob: &'static str, answered: bool| -> Vec<(&'static str, &'static str)> {
            let mut row = vec![("CHILD", child), ("DOB", dob)];
            if answered {
                row.extend([("IN_TOUCH", "Y"), ("ACTIV", "Y"), ("ACCOM", "Y")]);
            }
            row
        };
        let oc3_rows = [
            oc3("child1", "31/03/2006", true),
            oc3("child2", "31/03/2006", true),
            oc3("child3", "31/03/2006", false),
            oc3("child4", "31/03/2007", true),
            oc3("child5", "31/03/2007", true),
            oc3("child6", "31/03/2006", false),
            oc3("child7", "01/01/2006", true),
            oc3("child8", "31/03/2008", true),
            oc3("child9", "31/03/2008", true),
            oc3("child10", "31/03/2006", false),
            oc3("child11", "31/03/2006", true),
            oc3("child12", "31/03/2007", true),
        ];
        let oc3_rows: Vec<&[(&str, &str)]> = oc3_rows.iter().map(Vec::as_slice).collect();
        let d = dataset(2024)
            .table(Table::Oc3, &oc3_rows)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "child1"), ("DEC", "31/03/2024")],
                    &[("CHILD", "child2"), ("DEC", "30/03/2024")],
                    &[("CHILD", "child3"), ("DEC", "31/03/2024")],
                    &[("CHILD", "child4"), ("DEC", "31/03/2024")],
                    &[("CHILD", "child5"), ("DEC", "01/01/2024")],
                    &[("CHILD", "child6"), ("DEC", "31/03/2024")],
                    &[("CHILD", "child8"), ("DEC", "31/03/2024")],
                    &[("CHILD", "child9"), ("DEC", "30/03/2024")],
                    &[("CHILD", "child10"), ("DEC", "30/03/2024")],
                    &[("CHILD", "child11")],
                    &[("CHILD", "child12")],
                ],
            )
            .done();
        assert_eq!(run(&d, "1016"), [("OC3", 0), ("OC3", 3)]);
    }

    #[test]
    fn rule_1016_ages_from_the_birthday_and_the_reference_average_year() {
        // 17 x 365.2425 days is 6209.1 days: a child born 6209 days before the
        // end of the year is not yet 17 for the reference, though it is their birthday.
        let d = dataset(2025)
            .table(
                Table::Oc3,
                &[
                    &[("CHILD", "a"), ("DOB", "31/03/2008"), ("ACTIV", "F1")],
                    &[("CHILD", "b"), ("DOB", "30/03/2008"), ("ACTIV", "F1")],
                ],
            )
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "a"), ("DEC", "31/03/2025")],
                    &[("CHILD", "b"), ("DEC", "31/03/2025")],
                ],
            )
            .done();
        let cases: [(Follow, &[usize]); 2] = [(Follow::RuleText, &[0, 1]), (Follow::Reference, &[1])];
        for (follow, expected) in cases {
            assert_eq!(flagged_as(&d, follow, "1016"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_3001_no_former_foster_carers_around_the_17th_birthday() {
        // The reference's example, three years on.
        let d = dataset(2024)
            .table(
                Table::Header,
                &[
                    &[("CHILD", "101"), ("DOB", "16/03/2007")],
                    &[("CHILD", "102"), ("DOB", "23/09/2006")],
                    &[("CHILD", "103"), ("DOB", "31/12/2009")],
                ],
            )
            .table(
                Table::Oc3,
                &[
                    &[("CHILD", "101"), ("ACCOM", "Z1")],
                    &[("CHILD", "102"), ("ACCOM", "Z2")],
                    &[("CHILD", "101"), ("ACCOM", "T1")],
                    &[("CHILD", "102")],
                    &[("CHILD", "103"), ("ACCOM", "Z1")],
                    &[("CHILD", "102"), ("ACCOM", "Z3")],
                ],
            )
            .done();
        assert_eq!(run(&d, "3001"), [("OC3", 0), ("OC3", 1)]);
    }

    #[test]
    fn rule_epi_children_need_episodes_or_care_leaver_information() {
        let d = dataset(2026)
            .table(
                Table::Header,
                &[
                    &[("CHILD", "101")],
                    &[("CHILD", "102")],
                    &[("CHILD", "103")],
                    &[("CHILD", "106")],
                    &[],
                ],
            )
            .table(
                Table::Episodes,
                &[&[("CHILD", "101")], &[("CHILD", "101")], &[("CHILD", "103")]],
            )
            .done();
        assert_eq!(run(&d, "EPI"), [("Header", 1), ("Header", 3), ("Header", 4)]);
        let d = dataset(2026)
            .table(Table::Header, &[&[("CHILD", "101")], &[("CHILD", "102")], &[]])
            .table(Table::Oc3, &[&[("CHILD", "102")], &[]])
            .done();
        assert_eq!(run(&d, "EPI"), [("Header", 0)], "a blank CHILD matches a blank CHILD");
    }

    #[test]
    fn rule_int01_to_int09_children_must_be_in_the_header() {
        let header: &[&[(&str, &str)]] = &[&[("CHILD", "1")], &[("CHILD", "2")], &[("CHILD", "3")]];
        let file: &[&[(&str, &str)]] = &[&[("CHILD", "1")], &[("CHILD", "4")], &[("CHILD", "2")], &[]];
        for (code, table, name) in [
            ("INT01", Table::Ad1, "AD1"),
            ("INT02", Table::PlacedAdoption, "PlacedAdoption"),
            ("INT03", Table::Episodes, "Episodes"),
            ("INT04", Table::Missing, "Missing"),
            ("INT05", Table::Oc2, "OC2"),
            ("INT06", Table::Oc3, "OC3"),
            ("INT07", Table::PrevPerm, "PrevPerm"),
            ("INT08", Table::Reviews, "Reviews"),
            ("INT09", Table::Uasc, "UASC"),
        ] {
            let d = dataset(2026).table(Table::Header, header).table(table, file).done();
            assert_eq!(run(&d, code), [(name, 1), (name, 3)], "{code}");
        }
    }

    #[test]
    fn rule_int11_to_int18_dobs_must_match_the_header() {
        let header: &[&[(&str, &str)]] = &[
            &[("CHILD", "1"), ("DOB", "01/01/2010")],
            &[("CHILD", "2"), ("DOB", "01/01/2010")],
            &[("CHILD", "3")],
            &[("DOB", "05/05/2011")],
        ];
        let file: &[&[(&str, &str)]] = &[
            &[("CHILD", "1"), ("DOB", "1/1/2010")],
            &[("CHILD", "2"), ("DOB", "02/01/2010")],
            &[("CHILD", "3"), ("DOB", "02/01/2010")],
            &[("CHILD", "2"), ("DOB", "31/02/2010")],
            &[("CHILD", "9"), ("DOB", "02/01/2010")],
            &[("DOB", "06/05/2011")],
        ];
        for (code, table, name) in [
            ("INT11", Table::Ad1, "AD1"),
            ("INT12", Table::PlacedAdoption, "PlacedAdoption"),
            ("INT13", Table::Missing, "Missing"),
            ("INT14", Table::Oc2, "OC2"),
            ("INT15", Table::Oc3, "OC3"),
            ("INT16", Table::PrevPerm, "PrevPerm"),
            ("INT17", Table::Reviews, "Reviews"),
            ("INT18", Table::Uasc, "UASC"),
        ] {
            let d = dataset(2026).table(Table::Header, header).table(table, file).done();
            assert_eq!(run(&d, code), [(name, 1), (name, 5)], "{code}");
        }
    }

    #[test]
    fn rule_int21_uasc_sex_must_match_the_header() {
        let d = dataset(2026)
            .table(
                Table::Header,
                &[
                    &[("CHILD", "1"), ("SEX", "M")],
                    &[("CHILD", "2"), ("SEX", "F")],
                    &[("CHILD", "3")],
                ],
            )
            .table(
                Table::Uasc,
                &[
                    &[("CHILD", "1"), ("SEX", "m")],
                    &[("CHILD", "2"), ("SEX", "M")],
                    &[("CHILD", "3"), ("SEX", "M")],
                    &[("CHILD", "4"), ("SEX", "M")],
                ],
            )
            .done();
        assert_eq!(run(&d, "INT21"), [("UASC", 1)]);
    }

    #[test]
    fn rule_int31_to_int36_children_appear_once() {
        let rows: &[&[(&str, &str)]] = &[
            &[("CHILD", "1")],
            &[("CHILD", "2")],
            &[("CHILD", "1")],
            &[],
            &[],
            &[("CHILD", "3")],
        ];
        for (code, table, name) in [
            ("INT31", Table::Ad1, "AD1"),
            ("INT32", Table::Header, "Header"),
            ("INT33", Table::Oc2, "OC2"),
            ("INT34", Table::Oc3, "OC3"),
            ("INT35", Table::PrevPerm, "PrevPerm"),
            ("INT36", Table::Uasc, "UASC"),
        ] {
            let d = dataset(2026).table(table, rows).done();
            assert_eq!(
                run(&d, code),
                [(name, 0), (name, 2)],
                "{code}: blank children are not counted"
            );
        }
    }

    #[test]
    fn rule_noe_children_looked_after_before_the_year_need_last_years_episodes() {
        let d = dataset(2026)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "1"), ("DECOM", "01/01/2025")],
                    &[("CHILD", "2"), ("DECOM", "01/01/2025")],
                    &[("CHILD", "2"), ("DECOM", "01/04/2025")],
                    &[("DECOM", "01/01/2025")],
                    &[("CHILD", "3"), ("DECOM", "2025-01-01")],
                ],
            )
            .last(Table::Episodes, &[&[("CHILD", "1"), ("DECOM", "01/01/2025")]])
            .done();
        assert_eq!(run(&d, "NoE"), [("Episodes", 1), ("Episodes", 3)]);
    }

    fn swe(rows: &[&[(&str, &str)]], year: i16) -> crate::ssda903::validate::Dataset {
        dataset(year).table(Table::SwEpisodes, rows).done()
    }

    #[test]
    fn rule_sw01stg1_looked_after_children_need_complete_social_worker_episodes() {
        let d = dataset(2024)
            .table(
                Table::Episodes,
                &[
                    &[("CHILD", "child1"), ("LS", "XX")],
                    &[("CHILD", "child2"), ("LS", "XX")],
                    &[("CHILD", "child3"), ("LS", "XX")],
                    &[("CHILD", "child4"), ("LS", "XX")],
                    &[("CHILD", "child5"), ("DEC", "01/01/2000"), ("LS", "XX")],
                    &[("CHILD", "child6"), ("LS", "V4")],
                    &[("CHILD", "child8"), ("LS", "XX")],
                ],
            )
            .table(
                Table::SwEpisodes,
                &[
                    &[("CHILD", "child1"), ("SW_DECOM", "XX"), ("SW_REASON", "XX")],
                    &[("CHILD", "child2"), ("SW_ID", "XX"), ("SW_REASON", "XX")],
                    &[("CHILD", "child3"), ("SW_ID", "XX"), ("SW_DECOM", "XX")],
                    &[
                        ("CHILD", "child4"),
                        ("SW_ID", "XX"),
                        ("SW_DECOM", "XX"),
                        ("SW_REASON", "XX"),
                    ],
                    &[("CHILD", "child5"), ("SW_ID", "XX"), ("SW_DECOM", "XX")],
                    &[("CHILD", "child6"), ("SW_ID", "XX"), ("SW_DECOM", "XX")],
                    &[("CHILD", "child7"), ("SW_ID", "XX"), ("SW_DECOM", "XX")],
                ],
            )
            .done();
        // Row 6 is the seventh episode (child8, with no social worker episode); the
        // reference marks it on the seventh social worker episode (child7's).
        let at = |table: &'static str| [0, 1, 2, 6].map(|r| (table, r)).to_vec();
        let cases = [
            (Follow::RuleText, at("Episodes")),
            (Follow::Reference, at("SWEpisodes")),
        ];
        for (follow, expected) in cases {
            assert_eq!(run_as(&d, follow, "SW01STG1"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_sw01a_and_sw01b_social_worker_episodes_complete_by_start_date() {
        let d = swe(
            &[
                &[("CHILD", "child1"), ("SW_DECOM", "01/01/2024")],
                &[("CHILD", "child2"), ("SW_ID", "xx")],
                &[("CHILD", "child3"), ("SW_ID", "xx"), ("SW_DECOM", "01/01/2024")],
                &[
                    ("CHILD", "child4"),
                    ("SW_ID", "xx"),
                    ("SW_DECOM", "01/01/1999"),
                    ("SW_REASON", "X"),
                ],
                &[("CHILD", "child5"), ("SW_ID", "xx"), ("SW_DECOM", "01/01/1999")],
                &[("CHILD", "child6"), ("SW_DECOM", "01/01/1999")],
                &[
                    ("CHILD", "child7"),
                    ("SW_ID", "xx"),
                    ("SW_DECOM", "01/01/2024"),
                    ("SW_REASON", "X"),
                ],
                &[("CHILD", "child9"), ("SW_ID", "xx"), ("SW_DECOM", "2024-01-01")],
            ],
            2025,
        );
        let rows = |code| run(&d, code).into_iter().map(|(_, r)| r).collect::<Vec<_>>();
        assert_eq!(rows("SW01aSTG1"), [1, 5, 7]);
        assert_eq!(rows("SW01bSTG1"), [0, 1, 2, 7]);
        assert!(!ran(&swe(&[], 2026), "SW01aSTG1"), "dropped in 2026");
    }

    #[test]
    fn rule_sw02stg1_social_worker_ids_start_sw_or_xx() {
        let rows: &[&[(&str, &str)]] = &[
            &[("SW_ID", "SW000")],
            &[("SW_ID", "XX000")],
            &[("SW_ID", "aa00")],
            &[("SW_ID", "x")],
            &[("SW_ID", "SW")],
            &[("SW_ID", "XX")],
            &[],
        ];
        let flagged = |year| {
            run(&swe(rows, year), "SW02STG1")
                .into_iter()
                .map(|(_, r)| r)
                .collect::<Vec<_>>()
        };
        assert_eq!(flagged(2025), [2, 3, 6]);
        assert_eq!(flagged(2026), [2, 3, 4, 5, 6]);
    }

    #[test]
    fn rule_sw03stg1_social_worker_episodes_complete() {
        let d = swe(
            &[
                &[("SW_DECOM", "X"), ("SW_DEC", "X"), ("SW_REASON", "X")],
                &[("SW_ID", "X"), ("SW_DEC", "X"), ("SW_REASON", "X")],
                &[("SW_ID", "X"), ("SW_DECOM", "X"), ("SW_DEC", "X")],
                &[("SW_ID", "X"), ("SW_DECOM", "X"), ("SW_REASON", "X")],
                &[("SW_ID", "X"), ("SW_DECOM", "X"), ("SW_DEC", "X"), ("SW_REASON", "X")],
            ],
            2024,
        );
        assert_eq!(
            run(&d, "SW03STG1"),
            [("SWEpisodes", 0), ("SWEpisodes", 1), ("SWEpisodes", 2)]
        );
    }

    #[test]
    fn rule_sw04_and_sw05_dates_accept_zz_until_2025() {
        let values = ["ZZ/ZZ/ZZZZ", "01/01/2001", "zz", "01/01/ZZZZ", "", "1999/12/01"];
        for (code, column) in [("SW04STG1", "SW_DECOM"), ("SW05STG1", "SW_DEC")] {
            let rows: Vec<[(&str, &str); 1]> = values.iter().map(|v| [(column, *v)]).collect();
            let rows: Vec<&[(&str, &str)]> = rows.iter().map(|r| r.as_slice()).collect();
            let flagged = |year| {
                run(&swe(&rows, year), code)
                    .into_iter()
                    .map(|(_, r)| r)
                    .collect::<Vec<_>>()
            };
            assert_eq!(flagged(2025), [2, 5], "{code}");
            assert_eq!(flagged(2026), [0, 2, 3, 5], "{code}");
        }
    }

    #[test]
    fn rule_sw06stg2_social_worker_episodes_start_by_the_year_end() {
        let d = swe(
            &[
                &[("SW_DECOM", "01/04/2026")],
                &[("SW_DECOM", "31/03/2026")],
                &[("SW_DECOM", "01/01/2026")],
                &[],
                &[("SW_DECOM", "2026-04-01")],
            ],
            2026,
        );
        assert_eq!(run(&d, "SW06STG2"), [("SWEpisodes", 0)]);
    }

    #[test]
    fn rule_sw07stg2_social_worker_episodes_end_in_the_period() {
        let d = swe(
            &[
                &[("SW_DEC", "01/04/2024")],
                &[("SW_DEC", "31/03/2023")],
                &[("SW_DEC", "01/01/2024")],
                &[],
                &[("SW_DEC", "31/03/2022")],
                &[("SW_DEC", "01/04/2022")],
            ],
            2024,
        );
        let rows = run(&d, "SW07STG2").into_iter().map(|(_, r)| r).collect::<Vec<_>>();
        assert_eq!(rows, [0, 1, 4, 5]);
        // From 2025 the period starts on 1 April 2023; in the reference a numpy year
        // (365.2425 days) before 1 April 2024, so 1 April 2023 (366 days before) is
        // outside it.
        let d = swe(
            &[
                &[("SW_DEC", "01/04/2025")],
                &[("SW_DEC", "31/03/2023")],
                &[("SW_DEC", "01/04/2023")],
                &[("SW_DEC", "31/03/2024")],
                &[("SW_DEC", "01/04/2024")],
            ],
            2025,
        );
        let cases: [(Follow, &[usize]); 2] = [(Follow::RuleText, &[0, 1]), (Follow::Reference, &[0, 1, 2])];
        for (follow, expected) in cases {
            assert_eq!(flagged_as(&d, follow, "SW07STG2"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_sw08stg2_only_the_latest_social_worker_episode_may_be_open() {
        let episodes: &[(&str, &str, &str)] = &[
            ("111", "01/06/2020", "04/06/2020"),
            ("111", "05/06/2020", "06/06/2020"),
            ("111", "06/06/2020", "08/06/2020"),
            ("111", "08/06/2020", "05/06/2020"),
            ("222", "05/06/2020", "06/06/2020"),
            ("333", "06/06/2020", ""),
            ("333", "07/06/2020", "08/06/2020"),
            ("444", "08/06/2020", "09/06/2020"),
            ("444", "09/06/2020", "10/06/2020"),
            ("444", "15/06/2020", ""),
            ("555", "11/06/2020", "12/06/2020"),
            ("6666", "12/06/2020", "13/06/2020"),
            ("6666", "13/06/2020", "14/06/2020"),
            ("6666", "14/06/2020", ""),
            ("6666", "15/06/2020", "16/06/2020"),
            ("77777", "16/06/2020", "17/06/2020"),
            ("77777", "17/06/2020", "18/06/2020"),
            ("77777", "18/06/2020", ""),
            ("999", "31/06/2020", ""),
            ("123", "", ""),
            ("", "", ""),
        ];
        let rows: Vec<[(&str, &str); 3]> = episodes
            .iter()
            .map(|(c, start, end)| [("CHILD", *c), ("SW_DECOM", *start), ("SW_DEC", *end)])
            .collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(|r| r.as_slice()).collect();
        assert_eq!(
            run(&swe(&rows, 2024), "SW08STG2"),
            [("SWEpisodes", 5), ("SWEpisodes", 13)]
        );
    }

    #[test]
    fn rule_sw08stg2_ties_follow_numpy_and_1901_is_blank() {
        // 18 episodes starting the same day: numpy's quicksort, not row order,
        // decides which is the child's latest.
        let mut rows: Vec<Vec<(&str, &str)>> = (0..18)
            .map(|_| vec![("CHILD", "A"), ("SW_DECOM", "01/05/2024")])
            .collect();
        rows.push(vec![("CHILD", "B"), ("SW_DECOM", "01/01/1901")]);
        rows.push(vec![
            ("CHILD", "B"),
            ("SW_DECOM", "01/05/2024"),
            ("SW_DEC", "02/05/2024"),
        ]);
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
        let flagged: Vec<usize> = run(&swe(&rows, 2025), "SW08STG2").into_iter().map(|(_, r)| r).collect();
        // np.zeros(19).argsort(kind="quicksort") ends [..., 1, 8, 18]: row 8 is the
        // last of child A's episodes, so row 17 is flagged and row 8 is not.
        assert_eq!(flagged, [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    }

    #[test]
    fn rule_sw09stg2_same_day_to_2025_under_three_days_from_2026() {
        let rows: &[&[(&str, &str)]] = &[
            &[("SW_DEC", "01/01/2000"), ("SW_DECOM", "01/01/2000")],
            &[("SW_DEC", "01/01/2000"), ("SW_DECOM", "02/01/2000")],
            &[("SW_DEC", "01/01/1901"), ("SW_DECOM", "01/01/1901")],
            &[("SW_DEC", "01/01/1901")],
            &[],
            &[("SW_DEC", "04/01/2000"), ("SW_DECOM", "01/01/2000")],
            &[("SW_DEC", "03/01/2000"), ("SW_DECOM", "2000-01-01")],
            &[("SW_DECOM", "01/01/2000")],
            // The same day written differently: to 2025 the reference compares text.
            &[("SW_DEC", "1/1/2000"), ("SW_DECOM", "01/01/2000")],
        ];
        let cases: [(i16, Follow, &[usize]); 4] = [
            (2025, Follow::RuleText, &[0, 2, 8]),
            (2025, Follow::Reference, &[0, 2]),
            (2026, Follow::RuleText, &[0, 1, 2, 6, 8]),
            (2026, Follow::Reference, &[0, 1, 2, 6, 8]),
        ];
        for (year, follow, expected) in cases {
            assert_eq!(
                flagged_as(&swe(rows, year), follow, "SW09STG2"),
                expected,
                "{year} {follow:?}"
            );
        }
    }

    /// Social worker episodes from (CHILD, SW_DECOM, SW_DEC, SW_REASON) rows.
    fn sw_rows(year: i16, rows: &[(&str, &str, &str, &str)]) -> crate::ssda903::validate::Dataset {
        let rows: Vec<[(&str, &str); 4]> = rows
            .iter()
            .map(|(c, start, end, reason)| {
                [
                    ("CHILD", *c),
                    ("SW_DECOM", *start),
                    ("SW_DEC", *end),
                    ("SW_REASON", *reason),
                ]
            })
            .collect();
        let rows: Vec<&[(&str, &str)]> = rows.iter().map(|r| r.as_slice()).collect();
        swe(&rows, year)
    }

    fn flagged(d: &crate::ssda903::validate::Dataset, code: &str) -> Vec<usize> {
        run(d, code).into_iter().map(|(_, r)| r).collect()
    }

    const SW10_EPISODES: &[(&str, &str, &str, &str)] = &[
        ("1", "01/01/2000", "09/01/2000", "XXXX"),
        ("1", "02/01/2000", "03/01/2000", "XXXX"),
        ("2", "01/01/1999", "09/01/2000", "XXXX"),
        ("2", "01/01/2000", "10/01/2000", "XXXX"),
        ("3", "10/01/2000", "20/01/2000", "XXXX"),
        ("3", "10/01/2000", "11/01/2000", "XXXX"),
        ("3", "18/01/2000", "20/01/2000", "XXXX"),
        ("3", "30/01/2000", "31/01/2000", "XXXX"),
        ("6", "01/01/1999", "09/01/2000", "XXXX"),
        ("6", "01/01/2000", "10/01/2000", "FCONTA"),
    ];

    #[test]
    fn rule_sw10_next_social_worker_episode_within_a_week() {
        assert_eq!(
            flagged(&sw_rows(2024, SW10_EPISODES), "SW10STG2"),
            [3, 7, 9],
            "FCONTA counts in 2024"
        );
        assert_eq!(flagged(&sw_rows(2025, SW10_EPISODES), "SW10STG2"), [3, 7]);
        let d = sw_rows(2026, SW10_EPISODES);
        assert_eq!(flagged(&d, "SW10STG2"), [3, 7]);
        assert_eq!(flagged(&d, "SW10aSTG2"), [3, 7]);
        // An episode after one with no end date, and the second of two with no CHILD.
        let d = sw_rows(
            2026,
            &[
                ("1", "01/01/2000", "", ""),
                ("1", "02/01/2000", "", ""),
                ("", "01/01/2000", "", ""),
                ("", "", "", ""),
            ],
        );
        assert_eq!(flagged(&d, "SW10aSTG2"), [1, 3]);
    }

    #[test]
    fn rule_sw10bstg2_first_contact_after_the_previous_episode_ended() {
        let mut episodes = SW10_EPISODES.to_vec();
        episodes[7] = ("3", "19/01/2000", "21/01/2000", "FCONTA");
        episodes[8] = ("6", "01/01/1999", "02/01/2000", "XXXX");
        episodes[9] = ("6", "01/01/2000", "8/01/2000", "FCONTA");
        assert_eq!(flagged(&sw_rows(2026, &episodes), "SW10bSTG2"), [7, 9]);
    }

    #[test]
    fn rule_sw11astg2_episodes_ending_before_the_last_days_are_followed() {
        let d = sw_rows(
            2024,
            &[
                ("1", "01/04/2024", "25/03/2024", ""),
                ("1", "", "", ""),
                ("2", "01/04/2024", "25/03/2024", ""),
                ("2", "02/04/2024", "03/04/2024", ""),
                ("3", "01/04/2024", "1/04/2024", ""),
                ("3", "02/04/2024", "03/04/2024", ""),
                ("4", "01/04/2024", "30/03/2024", ""),
                ("4", "30/03/2024", "03/04/2024", ""),
                ("5", "01/04/2024", "30/03/2024", ""),
                ("5", "", "", ""),
                ("6", "01/04/2024", "25/03/2024", ""),
                ("6", "29/03/2024", "03/04/2024", ""),
                ("7", "01/04/2024", "20/03/2024", ""),
                ("7", "21/03/2024", "22/03/2024", ""),
                ("7", "29/03/2024", "03/04/2024", ""),
            ],
        );
        assert_eq!(flagged(&d, "SW11aSTG2"), [1, 3, 14]);
    }

    #[test]
    fn rule_sw11bstg2_episodes_ending_in_the_last_days_are_followed() {
        let d = sw_rows(
            2024,
            &[
                ("1", "01/04/2024", "26/03/2024", ""),
                ("1", "01/05/2024", "", ""),
                ("2", "01/04/2024", "25/03/2024", ""),
                ("2", "02/04/2024", "03/04/2024", ""),
                ("3", "01/04/2024", "1/04/2024", ""),
                ("3", "02/04/2024", "03/04/2024", ""),
                ("4", "01/04/2024", "30/03/2024", ""),
                ("4", "30/03/2024", "03/04/2024", ""),
                ("5", "01/04/2024", "30/03/2024", ""),
                ("6", "01/04/2024", "26/03/2024", ""),
                ("6", "", "", ""),
                ("7", "01/04/2024", "25/03/2024", ""),
                ("7", "", "", ""),
                ("8", "01/04/2024", "26/03/2024", ""),
                ("8", "27/03/2024", "28/03/2024", ""),
                ("8", "", "", ""),
                ("9", "01/03/2024", "25/03/2024", ""),
                ("9", "26/03/2024", "27/03/2024", ""),
            ],
        );
        assert_eq!(flagged(&d, "SW11bSTG2"), [8, 10, 15, 17]);
    }

    /// Episodes from (CHILD, DECOM, DEC, REC, RNE, LS) rows.
    fn care_episodes(
        rows: &[(
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
            &'static str,
        )],
    ) -> Vec<Vec<(&'static str, &'static str)>> {
        rows.iter()
            .map(|(c, start, end, rec, rne, ls)| {
                vec![
                    ("CHILD", *c),
                    ("DECOM", *start),
                    ("DEC", *end),
                    ("REC", *rec),
                    ("RNE", *rne),
                    ("LS", *ls),
                ]
            })
            .collect()
    }

    #[test]
    fn rule_sw12stg2_care_starting_or_ending_needs_a_social_worker_episode() {
        let sw: &[&[(&str, &str)]] = &[
            &[("CHILD", "1"), ("SW_DECOM", "01/01/2024")],
            &[("CHILD", "5"), ("SW_DECOM", "01/02/2024")],
            &[("CHILD", "6"), ("SW_DECOM", "01/02/2024")],
            &[("CHILD", "7"), ("SW_DECOM", "01/02/2024")],
            // Child 8's first social worker episode is from before care; the second covers it.
            &[("CHILD", "8"), ("SW_DECOM", "01/01/2023")],
            &[("CHILD", "8"), ("SW_DECOM", "01/02/2024")],
        ];
        let episodes = care_episodes(&[
            ("1", "01/01/2024", "", "", "S", "C1"),
            ("2", "01/01/2024", "", "", "S", "C1"),
            ("3", "01/01/2024", "", "", "S", "V4"),
            ("4", "01/01/2024", "10/01/2024", "X1", "P", "C1"),
            ("4", "10/01/2024", "", "", "P", "C1"),
            ("5", "01/01/2024", "10/01/2024", "X1", "S", "C1"),
            ("5", "10/01/2024", "01/03/2024", "E4a", "P", "C1"),
            ("6", "01/01/2024", "10/01/2024", "X1", "S", "C1"),
            ("6", "10/01/2024", "01/03/2024", "E4a", "P", "C1"),
            ("7", "01/04/2024", "", "X1", "S", "C1"),
            ("8", "01/01/2024", "", "", "S", "C1"),
        ]);
        let episodes: Vec<&[(&str, &str)]> = episodes.iter().map(Vec::as_slice).collect();
        let d = dataset(2024)
            .table(Table::SwEpisodes, sw)
            .table(Table::Episodes, &episodes)
            .done();
        // The reference flags child 8's episode: not every social worker episode covers it.
        let cases: [(Follow, &[usize]); 2] = [(Follow::RuleText, &[1, 4, 9]), (Follow::Reference, &[1, 4, 9, 10])];
        for (follow, expected) in cases {
            assert_eq!(flagged_as(&d, follow, "SW12STG2"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_sw12stg2_from_2025_only_recent_episodes() {
        let sw: &[&[(&str, &str)]] = &[
            &[("CHILD", "1"), ("SW_DECOM", "01/01/2023")],
            &[("CHILD", "5"), ("SW_DECOM", "01/02/2023")],
            &[("CHILD", "6"), ("SW_DECOM", "01/02/2023")],
            &[("CHILD", "7"), ("SW_DECOM", "01/02/2023")],
        ];
        let episodes = care_episodes(&[
            ("1", "01/01/2023", "", "", "S", "C1"),
            ("2", "01/01/2023", "", "", "S", "C1"),
            ("3", "01/01/2023", "", "", "S", "V4"),
            ("4", "01/01/2023", "10/04/2023", "X1", "P", "C1"),
            ("4", "10/01/2023", "", "", "P", "C1"),
            ("5", "01/01/2023", "10/04/2023", "X1", "S", "C1"),
            ("5", "10/01/2023", "01/04/2023", "E4a", "P", "C1"),
            ("6", "01/01/2023", "10/04/2023", "X1", "S", "C1"),
            ("6", "10/01/2023", "01/04/2023", "E4a", "P", "C1"),
            ("7", "01/04/2023", "", "X1", "S", "C1"),
            ("10", "01/01/2023", "10/04/2023", "", "S", "C1"),
            ("11", "01/01/2023", "10/04/2022", "", "S", "C1"),
            // Ended 1 April 2023, in the year before 1 April 2024 but not within the
            // reference's 365.2425 days (2024 is a leap year).
            ("12", "01/01/2023", "01/04/2023", "E3", "P", "C1"),
        ]);
        let episodes: Vec<&[(&str, &str)]> = episodes.iter().map(Vec::as_slice).collect();
        let d = dataset(2025)
            .table(Table::SwEpisodes, sw)
            .table(Table::Episodes, &episodes)
            .done();
        let cases: [(Follow, &[usize]); 2] = [
            (Follow::RuleText, &[1, 4, 9, 10, 12]),
            (Follow::Reference, &[1, 4, 9, 10]),
        ];
        for (follow, expected) in cases {
            assert_eq!(flagged_as(&d, follow, "SW12STG2"), expected, "{follow:?}");
        }
    }

    #[test]
    fn rule_sw13stg1_reasons_valid_and_needed_from_april_2023() {
        let d = sw_rows(
            2024,
            &[
                ("", "", "", "LAZINESS"),
                ("", "", "", "SWDIED"),
                ("", "", "", "SLEEPINESS"),
                ("", "", "", "CHCHAN"),
            ],
        );
        assert_eq!(flagged(&d, "SW13STG1"), [0, 2]);
        let d = sw_rows(
            2025,
            &[
                ("", "01/01/2000", "", "LAZINESS"),
                ("", "01/01/2000", "", "SWDIED"),
                ("", "01/01/2000", "", "SLEEPINESS"),
                ("", "01/01/2000", "", "CHCHAN"),
                ("", "01/01/2000", "", ""),
                ("", "01/04/2023", "", ""),
                ("", "2023-04-02", "", ""),
                ("", "ZZ/ZZ/ZZZZ", "", ""),
            ],
        );
        assert_eq!(flagged(&d, "SW13STG1"), [0, 2, 5, 6]);
    }

    #[test]
    fn rule_sw14stg2_only_the_latest_episode_may_have_no_end_date() {
        let d = sw_rows(
            2024,
            &[
                ("1", "01/01/2000", "01/01/2000", ""),
                ("1", "02/01/2000", "", ""),
                ("2", "01/01/2000", "", ""),
                ("2", "02/01/2000", "", ""),
                ("3", "01/01/2000", "", ""),
            ],
        );
        assert_eq!(flagged(&d, "SW14STG2"), [2]);
    }

    #[test]
    fn rule_sw15_and_sw16_never_run_but_check_as_the_reference_does() {
        assert!(
            super::RULES
                .iter()
                .filter(|r| r.code.starts_with("SW15") || r.code.starts_with("SW16"))
                .all(|r| {
                    (crate::ssda903::validate::rules::FIRST_YEAR..=crate::ssda903::validate::rules::LAST_YEAR)
                        .all(|y| !r.runs_in(y))
                })
        );
        let d = sw_rows(
            2000,
            &[
                ("1", "02/01/1999", "", ""),
                ("2", "02/01/1998", "", ""),
                ("3", "02/01/1999", "", "OTHERS"),
            ],
        );
        let rows = super::rule_sw15stg2(&d).map(|f| f[0].rows.clone());
        assert_eq!(rows, Some(vec![0]));
        let last: &[&[(&str, &str)]] = &[
            &[("CHILD", "child1"), ("SW_DECOM", "01/01/2000"), ("SW_ID", "SW2")],
            &[
                ("CHILD", "child1"),
                ("SW_DECOM", "02/01/2000"),
                ("SW_DEC", "01/01/2001"),
                ("SW_ID", "SW1"),
            ],
            &[("CHILD", "child2"), ("SW_DECOM", "01/01/2001"), ("SW_ID", "SW1")],
            &[("CHILD", "child3"), ("SW_DECOM", "01/01/2001"), ("SW_ID", "SW1")],
            &[
                ("CHILD", "child4"),
                ("SW_DECOM", "01/01/2001"),
                ("SW_DEC", "02/01/2001"),
                ("SW_ID", "SW1"),
            ],
        ];
        let this: &[&[(&str, &str)]] = &[
            &[("CHILD", "child1"), ("SW_DEC", "01/01/2001"), ("SW_ID", "SW1")],
            &[("CHILD", "child2"), ("SW_DECOM", "01/01/2001"), ("SW_ID", "SW1")],
            &[("CHILD", "child3"), ("SW_DECOM", "01/01/2001"), ("SW_ID", "SW2")],
            &[("CHILD", "child3"), ("SW_DECOM", "02/01/2001"), ("SW_ID", "SW2")],
            &[
                ("CHILD", "child4"),
                ("SW_DECOM", "03/01/2001"),
                ("SW_DEC", "04/01/2001"),
                ("SW_ID", "SW2"),
            ],
        ];
        let d = dataset(2025)
            .table(Table::SwEpisodes, this)
            .last(Table::SwEpisodes, last)
            .done();
        let check = |code: &str| {
            super::RULES
                .iter()
                .find(|r| r.code == code)
                .and_then(|r| (r.check)(&d))
                .map(|f| f[0].rows.clone())
        };
        assert_eq!(check("SW16aSTG2"), Some(vec![2]));
    }

    #[test]
    fn rule_sw17stg2_the_latest_episode_is_open_at_31_march() {
        let d = sw_rows(
            2026,
            &[
                ("child1", "01/01/2001", "", ""),
                ("child2", "01/01/2000", "01/01/2001", ""),
                ("child2", "02/01/2000", "01/01/2001", ""),
                ("child1", "01/01/2000", "01/01/2001", ""),
                ("child3", "2000-01-01", "01/01/2001", ""),
            ],
        );
        assert_eq!(flagged(&d, "SW17STG2"), [2, 4]);
    }

    #[test]
    fn rule_sw18stg2_episodes_end_after_they_start() {
        let d = sw_rows(
            2026,
            &[
                ("child1", "01/01/2001", "", ""),
                ("child2", "01/01/2000", "01/01/2001", ""),
                ("child2", "02/01/2002", "01/01/2001", ""),
                ("child1", "01/01/2000", "01/01/2001", ""),
                ("child3", "1/1/01", "01/01/2001", ""),
            ],
        );
        assert_eq!(flagged(&d, "SW18STG2"), [2, 4]);
    }

    #[test]
    fn rule_sw19stg2_no_two_episodes_start_the_same_day() {
        let d = sw_rows(
            2026,
            &[
                ("child1", "01/01/2001", "", ""),
                ("child2", "01/01/2001", "01/01/2001", ""),
                ("child2", "02/01/2000", "01/01/2001", ""),
                ("child1", "01/01/2001", "01/01/2001", ""),
                ("child1", "1/1/2001", "", ""),
                ("", "", "", ""),
                ("", "", "", ""),
            ],
        );
        // Row 4 starts the same day as row 0, written differently.
        let cases: [(Follow, &[usize]); 2] = [(Follow::RuleText, &[3, 4, 6]), (Follow::Reference, &[3, 6])];
        for (follow, expected) in cases {
            assert_eq!(flagged_as(&d, follow, "SW19STG2"), expected, "{follow:?}");
        }
    }
}
