//! The SSDA903 OC3 table (care leavers' outcomes around their 17th to 21st
//! birthdays), worked out from what Pathways records.
//!
//! The DfE's SSDA903 guide (children looked after return, "OC3: care leavers"):
//! a row for each former relevant young person whose 17th, 18th, 19th, 20th or
//! 21st birthday falls in the collection year (1 April to 31 March); `IN_TOUCH` says
//! whether the council was in touch around that birthday (`YES`, `NO`, `DIED`,
//! `RHOM` returned home to parents for six months or more; `REFU` refused contact
//! is not something Pathways records, so it is never returned), and `ACTIV` and
//! `ACCOM` give the activity and accommodation on the birthday. Validator rules
//! 344 and 345: `DIED` and `RHOM` have `ACTIV` and `ACCOM` of `0`; `YES` has codes.

use crate::codes::ReasonEpisodeEnded;
use crate::compliance::ComplianceRules;
use crate::dates::{add_months, birthday};
use crate::legal::{LeavingCareFacts, LegalRules, eligible_since};
use crate::living::{AccommodationStay, ActivitySpell, current_on};
use jiff::civil::Date;

/// `IN_TOUCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InTouch {
    Yes,
    No,
    Died,
    ReturnedHome,
}

impl InTouch {
    pub fn code(self) -> &'static str {
        match self {
            InTouch::Yes => "YES",
            InTouch::No => "NO",
            InTouch::Died => "DIED",
            InTouch::ReturnedHome => "RHOM",
        }
    }
}

/// One OC3 row's outcome columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oc3Outcome {
    pub in_touch: InTouch,
    /// `ACTIV`: the OC3 activity code on the birthday; `0` for `DIED`/`RHOM`; blank
    /// when not in touch or nothing is recorded for the birthday.
    pub activity: String,
    /// `ACCOM`: the OC3 accommodation letter and suitability (1 or 2), as `ACTIV`.
    pub accommodation: String,
}

/// What the rule reads about one young person.
#[derive(Debug, Clone, Copy)]
pub struct Oc3Facts<'a> {
    pub date_of_birth: Date,
    pub died_on: Option<Date>,
    pub returned_home_on: Option<Date>,
    /// Days contact was made (failed attempts excluded).
    pub contacts: &'a [Date],
    pub accommodation: &'a [AccommodationStay],
    pub activity: &'a [ActivitySpell],
}

/// The first and last days of the collection year ending 31 March `year`.
pub fn collection_year(year: i16) -> (Date, Date) {
    let first = Date::new(year.saturating_sub(1), 4, 1).unwrap_or(Date::MIN);
    let last = Date::new(year, 3, 31).unwrap_or(Date::MAX);
    (first, last)
}

/// The birthday (17th to 21st, per `rules`) falling in the collection year ending
/// 31 March `year`, if any: the birthday the OC3 row is about.
pub fn oc3_birthday(date_of_birth: Date, year: i16, rules: &ComplianceRules) -> Option<Date> {
    let (first, last) = collection_year(year);
    (rules.in_touch_first_age..=rules.in_touch_last_age)
        .map(|age| birthday(date_of_birth, age, rules.leap_day_birthday))
        .find(|day| *day >= first && *day <= last)
}

/// Whether the young person has an OC3 row for the birthday `on` (from
/// [`oc3_birthday`]). The DfE's 903 guide counts care leavers who were eligible when
/// they left care: 13 weeks looked after since the 14th birthday, some of it after
/// the 16th (CA89 Sch 2 para 19B, CPPCR 2010 reg 40; decided by the category
/// engine, [`eligible_since`]). Left out: anyone still looked after on the birthday
/// (validator rules 1007 and 1016), and anyone whose care ended by adoption (E11,
/// E12), death in care (E2, rule 1000), transfer to another council (E3, rule 1011)
/// or an age assessment finding them 18 or over (E15).
pub fn in_oc3_cohort(facts: &LeavingCareFacts, on: Date, rules: &LegalRules) -> bool {
    use ReasonEpisodeEnded::{E2, E3, E11, E12, E15};
    let looked_after_on_birthday = facts
        .episodes
        .iter()
        .any(|e| e.start <= on && e.end.is_none_or(|end| end > on));
    let Some(last) = facts.episodes.iter().filter(|e| e.start <= on).max_by_key(|e| e.start) else {
        return false;
    };
    let left_for_good = matches!(last.reason_ended, Some(E2 | E3 | E11 | E12 | E15));
    !looked_after_on_birthday && !left_for_good && eligible_since(facts, rules).is_some()
}

/// The OC3 outcome for the birthday `on` (from [`oc3_birthday`]). In order: `DIED`
/// if the young person died by the end of the in-touch window; `RHOM` if they went
/// home at least six months before the birthday; `YES` if contact was made in the
/// window (`rules.in_touch_months_before` before to `in_touch_months_after` after
/// the birthday, as the compliance list chases it); otherwise `NO`.
pub fn oc3_outcome(facts: &Oc3Facts, on: Date, rules: &ComplianceRules) -> Oc3Outcome {
    let opens = add_months(on, -rules.in_touch_months_before);
    let closes = add_months(on, rules.in_touch_months_after);
    let zero = |in_touch| Oc3Outcome {
        in_touch,
        activity: "0".into(),
        accommodation: "0".into(),
    };
    if facts.died_on.is_some_and(|d| d <= closes) {
        return zero(InTouch::Died);
    }
    if facts.returned_home_on.is_some_and(|d| d <= add_months(on, -6)) {
        return zero(InTouch::ReturnedHome);
    }
    if !facts.contacts.iter().any(|c| *c >= opens && *c <= closes) {
        return Oc3Outcome {
            in_touch: InTouch::No,
            activity: String::new(),
            accommodation: String::new(),
        };
    }
    Oc3Outcome {
        in_touch: InTouch::Yes,
        activity: current_on(facts.activity, on)
            .map(|s| s.oc3().code().to_owned())
            .unwrap_or_default(),
        accommodation: current_on(facts.accommodation, on)
            .map(AccommodationStay::oc3_code)
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::living::{AccommodationType, Activity};
    use jiff::civil::date;

    #[test]
    fn the_birthday_is_the_17th_to_21st_in_the_collection_year() {
        let rules = ComplianceRules::default();
        // SSDA903 guide: OC3 covers those whose 17th–21st birthday falls 1 April–31 March.
        let cases = [
            (date(2008, 4, 1), 2026, Some(date(2025, 4, 1))), // 17th on the first day
            (date(2009, 3, 31), 2026, Some(date(2026, 3, 31))), // 17th on the last day
            (date(2009, 4, 1), 2026, None),                   // 17th the day after
            (date(2004, 6, 1), 2026, Some(date(2025, 6, 1))), // 21st
            (date(2003, 6, 1), 2026, None),                   // 22nd: too old
            (date(2008, 2, 29), 2026, Some(date(2026, 3, 1))), // 18th; leap day: 1 March by default
        ];
        for (dob, year, expected) in cases {
            assert_eq!(oc3_birthday(dob, year, &rules), expected, "{dob} {year}");
        }
    }

    #[test]
    fn the_cohort_is_care_leavers_who_were_eligible_when_they_left() {
        use crate::care::Episode;
        use crate::codes::{LegalStatus::C2, ReasonEpisodeEnded as Rec};
        let dob = date(2007, 6, 15);
        let eighteenth = date(2025, 6, 15);
        // From 15 (long before 16) to the given end: eligible at 16.
        let from_15 = |end: Option<Date>, rec: Rec| {
            let episode = Episode::new(date(2022, 6, 15), None, C2);
            match end {
                Some(end) => episode.ended(end, rec),
                None => episode,
            }
        };
        let cases: [(&str, Vec<Episode>, bool); 9] = [
            (
                "left at 18 after years in care",
                vec![from_15(Some(eighteenth), Rec::E8)],
                true,
            ),
            ("left at 17", vec![from_15(Some(date(2024, 9, 1)), Rec::E4A)], true),
            (
                "still looked after on the birthday",
                vec![from_15(None, Rec::E8)],
                false,
            ),
            (
                "only 8 weeks in care, at 17",
                vec![Episode::new(date(2024, 7, 1), None, C2).ended(date(2024, 8, 26), Rec::E8)],
                false,
            ),
            ("adopted", vec![from_15(Some(date(2024, 9, 1)), Rec::E11)], false),
            ("died in care", vec![from_15(Some(date(2024, 9, 1)), Rec::E2)], false),
            (
                "care taken over by another council",
                vec![from_15(Some(date(2024, 9, 1)), Rec::E3)],
                false,
            ),
            (
                "assessed as 18 or over",
                vec![from_15(Some(date(2024, 9, 1)), Rec::E15)],
                false,
            ),
            ("never looked after", vec![], false),
        ];
        for (name, episodes, expected) in cases {
            let facts = LeavingCareFacts {
                date_of_birth: dob,
                episodes: &episodes,
                died_on: None,
                returned_home_on: None,
                detained_or_in_hospital_on_16th_birthday: false,
            };
            assert_eq!(
                in_oc3_cohort(&facts, eighteenth, &LegalRules::default()),
                expected,
                "{name}"
            );
        }
    }

    #[test]
    fn in_touch_activity_and_accommodation_follow_the_903_guide() {
        let rules = ComplianceRules::default();
        let dob = date(2008, 6, 15);
        let on = date(2025, 6, 15);
        let stays = [AccommodationStay {
            start: date(2025, 1, 1),
            end: None,
            kind: AccommodationType::SemiIndependent,
            suitable: true,
            arranged_by_council: true,
            address: None,
        }];
        let homeless = [AccommodationStay {
            kind: AccommodationType::NoFixedAbode,
            ..stays[0].clone()
        }];
        let spells = [ActivitySpell {
            start: date(2024, 9, 1),
            end: None,
            activity: Activity::CollegeFe,
            full_time: true,
            detail: None,
        }];
        // (case, died, returned home, contact, stays, spells, IN_TOUCH, ACTIV, ACCOM)
        type Case<'a> = (
            &'a str,
            Option<Date>,
            Option<Date>,
            Option<Date>,
            &'a [AccommodationStay],
            &'a [ActivitySpell],
            &'a str,
            &'a str,
            &'a str,
        );
        let cases: [Case; 9] = [
            (
                "contact on the birthday",
                None,
                None,
                Some(on),
                &stays,
                &spells,
                "YES",
                "F2",
                "D1",
            ),
            (
                "3 months before opens the window",
                None,
                None,
                Some(date(2025, 3, 15)),
                &stays,
                &spells,
                "YES",
                "F2",
                "D1",
            ),
            (
                "a day earlier is outside",
                None,
                None,
                Some(date(2025, 3, 14)),
                &stays,
                &spells,
                "NO",
                "",
                "",
            ),
            (
                "1 month after closes it",
                None,
                None,
                Some(date(2025, 7, 15)),
                &stays,
                &spells,
                "YES",
                "F2",
                "D1",
            ),
            (
                "a day later is outside",
                None,
                None,
                Some(date(2025, 7, 16)),
                &stays,
                &spells,
                "NO",
                "",
                "",
            ),
            (
                "homeless is never suitable (rule 133)",
                None,
                None,
                Some(on),
                &homeless,
                &[],
                "YES",
                "",
                "S2",
            ),
            (
                "died: 0 and 0 (rule 344)",
                Some(date(2025, 5, 1)),
                None,
                Some(on),
                &stays,
                &spells,
                "DIED",
                "0",
                "0",
            ),
            (
                "home 6 months before: RHOM",
                None,
                Some(date(2024, 12, 15)),
                Some(on),
                &stays,
                &spells,
                "RHOM",
                "0",
                "0",
            ),
            (
                "home under 6 months: still asked",
                None,
                Some(date(2025, 1, 1)),
                None,
                &stays,
                &spells,
                "NO",
                "",
                "",
            ),
        ];
        for (case, died_on, returned_home_on, contact, accommodation, activity, touch, activ, accom) in cases {
            let contacts: Vec<Date> = contact.into_iter().collect();
            let facts = Oc3Facts {
                date_of_birth: dob,
                died_on,
                returned_home_on,
                contacts: &contacts,
                accommodation,
                activity,
            };
            let got = oc3_outcome(&facts, on, &rules);
            assert_eq!(
                (got.in_touch.code(), got.activity.as_str(), got.accommodation.as_str()),
                (touch, activ, accom),
                "{case}"
            );
        }
    }
}
