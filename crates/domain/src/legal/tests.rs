//! Table-driven tests of the legal category engine: each category, and both sides
//! of every boundary (DOMAIN.md 1.2 and 1.3).

use super::*;
use crate::codes::{LegalStatus, ReasonEpisodeEnded as Rec};
use LegalCategory::*;
use jiff::civil::{Date, date};
use proptest::prelude::*;

const DOB: Date = date(2009, 6, 15);
const B14: Date = date(2023, 6, 15);
const B16: Date = date(2025, 6, 15);
const B18: Date = date(2027, 6, 15);
const B21: Date = date(2030, 6, 15);
const B25: Date = date(2034, 6, 15);

fn d(date: Date, days: i64) -> Date {
    add_days(date, days)
}

fn open(start: Date, ls: LegalStatus) -> Episode {
    Episode::new(start, None, ls)
}

fn closed(start: Date, end: Date, ls: LegalStatus, rec: Rec) -> Episode {
    Episode::new(start, None, ls).ended(end, rec)
}

struct Case {
    name: &'static str,
    episodes: Vec<Episode>,
    as_at: Date,
    expected: LegalCategory,
}

fn case(name: &'static str, episodes: Vec<Episode>, as_at: Date, expected: LegalCategory) -> Case {
    Case {
        name,
        episodes,
        as_at,
        expected,
    }
}

fn facts_of(episodes: &[Episode]) -> LeavingCareFacts<'_> {
    LeavingCareFacts {
        date_of_birth: DOB,
        episodes,
        died_on: None,
        returned_home_on: None,
        detained_or_in_hospital_on_16th_birthday: false,
    }
}

fn category_of(episodes: &[Episode], as_at: Date) -> Determination {
    legal_category(&facts_of(episodes), as_at, &LegalRules::default())
}

fn check(cases: Vec<Case>) {
    for c in cases {
        let got = category_of(&c.episodes, c.as_at);
        assert_eq!(got.category, c.expected, "{}: {}", c.name, got.reason);
        assert!(!got.reason.is_empty(), "{}: no reason", c.name);
    }
}

#[test]
fn thirteen_weeks_is_91_days_counted_from_decom_inclusive_to_the_as_at_date_inclusive() {
    let as_at = date(2025, 9, 1);
    check(vec![
        case(
            "90 days, open",
            vec![open(d(as_at, -89), LegalStatus::C2)],
            as_at,
            LookedAfterNotEligible,
        ),
        case(
            "91 days, open",
            vec![open(d(as_at, -90), LegalStatus::C2)],
            as_at,
            Eligible,
        ),
        case(
            "91 days on s20",
            vec![open(d(as_at, -90), LegalStatus::V2)],
            as_at,
            Eligible,
        ),
        case(
            "91 days on remand counts",
            vec![open(d(as_at, -90), LegalStatus::J1)],
            as_at,
            Eligible,
        ),
    ]);
}

#[test]
fn episodes_that_span_the_14th_birthday_count_only_from_it() {
    let as_at = date(2025, 9, 1);
    // 50 days after the 14th birthday in the first episode (started well before it).
    let first = closed(d(B14, -400), d(B14, 50), LegalStatus::C2, Rec::E4A);
    check(vec![
        case(
            "50 + 40 days",
            vec![first.clone(), open(d(as_at, -39), LegalStatus::V2)],
            as_at,
            LookedAfterNotEligible,
        ),
        case(
            "50 + 41 days",
            vec![first.clone(), open(d(as_at, -40), LegalStatus::V2)],
            as_at,
            Eligible,
        ),
        case(
            "ended on the 14th birthday counts nothing",
            vec![
                closed(d(B14, -400), B14, LegalStatus::C2, Rec::E4A),
                open(d(as_at, -89), LegalStatus::V2),
            ],
            as_at,
            LookedAfterNotEligible,
        ),
        case(
            "one day past the 14th birthday counts one",
            vec![
                closed(d(B14, -400), d(B14, 1), LegalStatus::C2, Rec::E4A),
                open(d(as_at, -89), LegalStatus::V2),
            ],
            as_at,
            Eligible,
        ),
    ]);
}

#[test]
fn short_breaks_do_not_count_towards_13_weeks() {
    let as_at = date(2025, 9, 1);
    check(vec![
        case(
            "200 days of V3 and 30 of V2",
            vec![
                closed(d(B14, 10), d(B14, 210), LegalStatus::V3, Rec::E13),
                open(d(as_at, -29), LegalStatus::V2),
            ],
            as_at,
            LookedAfterNotEligible,
        ),
        case(
            "on a V4 short break at 16",
            vec![open(d(as_at, -200), LegalStatus::V4)],
            as_at,
            LookedAfterNotEligible,
        ),
        case(
            "on a V3 short break at 15",
            vec![open(d(B16, -100), LegalStatus::V3)],
            d(B16, -1),
            LookedAfterUnder16,
        ),
        case(
            "only short breaks, now at home",
            vec![closed(d(B14, 10), d(B16, 100), LegalStatus::V4, Rec::E13)],
            d(B16, 200),
            NotCareLeaver,
        ),
    ]);
}

#[test]
fn care_must_continue_after_the_16th_birthday() {
    let long_care = |end| closed(B14, end, LegalStatus::C2, Rec::E13);
    check(vec![
        case(
            "left the day before 16 (DEC = 16th birthday)",
            vec![long_care(B16)],
            d(B16, 30),
            NotCareLeaver,
        ),
        case(
            "one day looked after aged 16",
            vec![long_care(d(B16, 1))],
            d(B16, 30),
            Relevant,
        ),
        case(
            "left at 15, now 18",
            vec![long_care(d(B16, -30))],
            d(B18, 5),
            NotCareLeaver,
        ),
    ]);
}

#[test]
fn sixteen_and_seventeen_year_olds() {
    check(vec![
        case(
            "under 16 and looked after",
            vec![open(d(B14, 5), LegalStatus::C2)],
            d(B16, -1),
            LookedAfterUnder16,
        ),
        case("under 16, never looked after", vec![], d(B16, -1), NotCareLeaver),
        case(
            "16th birthday, looked after since 14",
            vec![open(d(B14, 5), LegalStatus::C2)],
            B16,
            Eligible,
        ),
        case(
            "under 16, left care",
            vec![closed(d(B14, 5), d(B14, 300), LegalStatus::C2, Rec::E4A)],
            d(B16, -1),
            NotCareLeaver,
        ),
        case(
            "left care at 17 after a year",
            vec![closed(d(B16, -100), d(B16, 300), LegalStatus::C2, Rec::E5)],
            d(B16, 330),
            Relevant,
        ),
        case(
            "a relevant child on a short break stays relevant",
            vec![
                closed(d(B16, -100), d(B16, 300), LegalStatus::C2, Rec::E5),
                open(d(B16, 320), LegalStatus::V3),
            ],
            d(B16, 330),
            Relevant,
        ),
        case(
            "a short break over the day before 18 keeps former relevant status",
            vec![
                closed(d(B16, -100), d(B16, 1), LegalStatus::C2, Rec::E5),
                closed(d(B18, -5), B18, LegalStatus::V3, Rec::E13),
            ],
            B18,
            FormerRelevant,
        ),
        case(
            "left care at 16 after 60 days",
            vec![closed(d(B16, -10), d(B16, 50), LegalStatus::V2, Rec::E13)],
            d(B16, 100),
            Qualifying,
        ),
        case(
            "came back into care after being relevant",
            vec![
                closed(d(B16, -100), d(B16, 100), LegalStatus::C2, Rec::E4B),
                open(d(B16, 200), LegalStatus::V2),
            ],
            d(B16, 210),
            Eligible,
        ),
        case("never looked after at 17", vec![], d(B16, 400), NotCareLeaver),
    ]);
}

#[test]
fn the_18th_birthday() {
    let in_care = vec![open(d(B16, -200), LegalStatus::C2)];
    let not_eligible = vec![open(d(B18, -50), LegalStatus::V2)];
    check(vec![
        case("day before 18, in care", in_care.clone(), d(B18, -1), Eligible),
        case("18th birthday, episode left open", in_care.clone(), B18, FormerRelevant),
        case(
            "ended on the 18th birthday",
            vec![closed(d(B16, -200), B18, LegalStatus::C2, Rec::E17)],
            d(B18, 10),
            FormerRelevant,
        ),
        case(
            "left care at 17 then turned 18",
            vec![closed(d(B16, -200), d(B18, -100), LegalStatus::C2, Rec::E5)],
            B18,
            FormerRelevant,
        ),
        case(
            "50 days in care before 18",
            not_eligible.clone(),
            d(B18, -1),
            LookedAfterNotEligible,
        ),
        case("50 days in care, now 18", not_eligible, B18, Qualifying),
    ]);
}

#[test]
fn the_21st_and_25th_birthdays() {
    let former_relevant = vec![closed(d(B16, -200), B18, LegalStatus::C2, Rec::E17)];
    let qualifying = vec![closed(d(B16, -10), d(B16, 50), LegalStatus::V2, Rec::E13)];
    check(vec![
        case("day before 21", former_relevant.clone(), d(B21, -1), FormerRelevant),
        case("21st birthday", former_relevant.clone(), B21, FormerRelevant21To25),
        case(
            "day before 25",
            former_relevant.clone(),
            d(B25, -1),
            FormerRelevant21To25,
        ),
        case("25th birthday", former_relevant, B25, NotCareLeaver),
        case("qualifying, day before 21", qualifying.clone(), d(B21, -1), Qualifying),
        case("qualifying at 19", qualifying.clone(), d(B18, 400), Qualifying),
        case("qualifying, 21st birthday", qualifying, B21, NotCareLeaver),
    ]);
}

#[test]
fn open_episodes_run_through_the_as_at_date_and_future_ones_are_ignored() {
    let as_at = date(2025, 9, 1);
    check(vec![
        case(
            "episode closed on the as-at date: 90 days and not looked after",
            vec![closed(d(as_at, -90), as_at, LegalStatus::C2, Rec::E4A)],
            as_at,
            Qualifying,
        ),
        case(
            "episode ending after the as-at date counts as open",
            vec![closed(d(as_at, -90), d(as_at, 30), LegalStatus::C2, Rec::E4A)],
            as_at,
            Eligible,
        ),
        case(
            "episode starting after the as-at date",
            vec![open(d(as_at, 1), LegalStatus::C2)],
            as_at,
            NotCareLeaver,
        ),
    ]);
}

#[test]
fn ways_of_leaving_care_that_end_the_councils_duties() {
    let start = d(B16, -200);
    let left = d(B16, 100);
    check(vec![
        case(
            "adopted at 16",
            vec![closed(start, left, LegalStatus::E1, Rec::E11)],
            d(left, 10),
            NotCareLeaver,
        ),
        case(
            "care taken over by another council",
            vec![closed(start, left, LegalStatus::C2, Rec::E3)],
            d(left, 10),
            NotCareLeaver,
        ),
        case(
            "assessed as an adult",
            vec![closed(start, left, LegalStatus::V2, Rec::E15)],
            d(left, 10),
            NotCareLeaver,
        ),
        case(
            "transferred, now 19",
            vec![closed(start, left, LegalStatus::C2, Rec::E3)],
            d(B18, 400),
            NotCareLeaver,
        ),
        case(
            "special guardianship at 16",
            vec![closed(start, left, LegalStatus::C2, Rec::E45)],
            d(left, 10),
            Qualifying,
        ),
        case(
            "special guardianship at 10, now 17",
            vec![closed(d(B14, -1500), d(B14, -1400), LegalStatus::C2, Rec::E46)],
            d(B16, 400),
            Qualifying,
        ),
        case(
            "special guardianship at 10, now 21",
            vec![closed(d(B14, -1500), d(B14, -1400), LegalStatus::C2, Rec::E46)],
            B21,
            NotCareLeaver,
        ),
        case(
            "died in care",
            vec![closed(start, left, LegalStatus::C2, Rec::E2)],
            d(left, 10),
            Died,
        ),
    ]);
}

fn facts_with<'a>(episodes: &'a [Episode]) -> LeavingCareFacts<'a> {
    LeavingCareFacts {
        date_of_birth: DOB,
        episodes,
        died_on: None,
        returned_home_on: None,
        detained_or_in_hospital_on_16th_birthday: false,
    }
}

#[test]
fn death_after_leaving_care_from_the_day_it_happened() {
    let episodes = [closed(d(B16, -200), B18, LegalStatus::C2, Rec::E17)];
    let died = date(2028, 1, 10);
    let facts = LeavingCareFacts {
        died_on: Some(died),
        ..facts_with(&episodes)
    };
    let rules = LegalRules::default();
    assert_eq!(legal_category(&facts, d(died, -1), &rules).category, FormerRelevant);
    assert_eq!(legal_category(&facts, died, &rules).category, Died);
}

#[test]
fn returning_home_for_six_months_ends_relevant_status() {
    let left = d(B16, 60);
    let episodes = [closed(d(B16, -200), left, LegalStatus::V2, Rec::E4A)];
    let facts = LeavingCareFacts {
        returned_home_on: Some(left),
        ..facts_with(&episodes)
    };
    let rules = LegalRules::default();
    let six_months = add_months(left, 6);
    assert_eq!(legal_category(&facts, d(six_months, -1), &rules).category, Relevant);
    assert_eq!(legal_category(&facts, six_months, &rules).category, Qualifying);
    // Still at home at 18: never became former relevant.
    assert_eq!(legal_category(&facts, B18, &rules).category, Qualifying);
    let off = LegalRules {
        returned_home_months: None,
        ..LegalRules::default()
    };
    assert_eq!(legal_category(&facts, six_months, &off).category, Relevant);
}

#[test]
fn detained_on_the_16th_birthday_after_13_weeks_is_relevant_unless_on_a_care_order() {
    let accommodated = [closed(d(B16, -200), d(B16, -20), LegalStatus::V2, Rec::E9)];
    let on_care_order = [closed(d(B16, -200), d(B16, -20), LegalStatus::C2, Rec::E9)];
    let rules = LegalRules::default();
    let as_at = d(B16, 10);
    for (episodes, expected) in [(&accommodated, Relevant), (&on_care_order, NotCareLeaver)] {
        let facts = LeavingCareFacts {
            detained_or_in_hospital_on_16th_birthday: true,
            ..facts_with(episodes)
        };
        assert_eq!(legal_category(&facts, as_at, &rules).category, expected);
    }
}

#[test]
fn leap_day_births_turn_18_on_the_configured_day() {
    let dob = date(2008, 2, 29);
    let episodes = [open(date(2024, 1, 1), LegalStatus::C2)];
    let facts = LeavingCareFacts {
        date_of_birth: dob,
        ..facts_with(&episodes)
    };
    let march = LegalRules::default();
    let february = LegalRules {
        leap_day_birthday: LeapDayBirthday::TwentyEighthFebruary,
        ..LegalRules::default()
    };
    assert_eq!(legal_category(&facts, date(2026, 2, 28), &march).category, Eligible);
    assert_eq!(
        legal_category(&facts, date(2026, 3, 1), &march).category,
        FormerRelevant
    );
    assert_eq!(legal_category(&facts, date(2026, 2, 27), &february).category, Eligible);
    assert_eq!(
        legal_category(&facts, date(2026, 2, 28), &february).category,
        FormerRelevant
    );
    // 14th birthday of a leap-day child: 1 March 2022 by default.
    let around_14 = [open(date(2022, 2, 28), LegalStatus::C2)];
    let facts = LeavingCareFacts {
        date_of_birth: dob,
        ..facts_with(&around_14)
    };
    // 1 March 2022 to 1 March 2024 inclusive, across 29 February 2024.
    let reason = legal_category(&facts, date(2024, 3, 1), &march).reason;
    assert!(reason.contains("for 732 days"), "{reason}");
    let reason = legal_category(&facts, date(2024, 3, 1), &february).reason;
    assert!(reason.contains("for 733 days"), "{reason}");
}

#[test]
fn reasons_explain_the_count_and_cite_the_law() {
    let as_at = date(2025, 9, 1);
    let got = category_of(&[open(d(as_at, -89), LegalStatus::C2)], as_at);
    assert!(got.reason.contains("90 days"), "{}", got.reason);
    assert!(
        got.reason.contains("becomes eligible on 2 September 2025"),
        "{}",
        got.reason
    );
    assert!(got.reason.contains("CPPCR 2010 reg 40"), "{}", got.reason);
}

#[test]
fn reasons_name_birthdays_as_people_say_them() {
    let qualifying = [closed(d(B16, -10), d(B16, 50), LegalStatus::V2, Rec::E13)];
    let reason = category_of(&qualifying, d(B18, 400)).reason;
    assert!(reason.contains("until the 21st birthday"), "{reason}");
    let former = [closed(d(B16, -200), B18, LegalStatus::C2, Rec::E17)];
    let reason = category_of(&former, B21).reason;
    assert!(reason.contains("until the 25th birthday on 15 June 2034"), "{reason}");
}

#[test]
fn category_codes_are_stable_snake_case() {
    let codes: Vec<_> = LegalCategory::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(
        codes,
        [
            "looked_after_under_16",
            "looked_after_not_eligible",
            "eligible",
            "relevant",
            "former_relevant",
            "former_relevant_21_to_25",
            "qualifying",
            "died",
            "not_care_leaver"
        ]
    );
    for category in LegalCategory::ALL {
        let json = serde_json::to_string(category).unwrap();
        assert_eq!(json, format!("\"{}\"", category.code()));
        assert_eq!(LegalCategory::parse(category.code()), Some(*category));
    }
}

// --- properties -----------------------------------------------------------

fn arb_episode() -> impl Strategy<Value = Episode> {
    let statuses = prop::sample::select(LegalStatus::ALL.to_vec());
    // Days relative to the 14th birthday: from age ~12 to ~20.
    (-700i64..2200, 1i64..900, prop::option::of(0u8..4), statuses).prop_map(|(start, len, ended, ls)| {
        let start_date = d(B14, start);
        let end = ended.map(|_| d(start_date, len));
        Episode {
            end,
            ..Episode::new(start_date, None, ls)
        }
    })
}

/// A care history as real data has it: episodes one after another, never
/// overlapping, only the last one possibly still open.
fn arb_history(max: usize) -> impl Strategy<Value = Vec<Episode>> {
    let statuses = prop::sample::select(LegalStatus::ALL.to_vec());
    let first_start = -700i64..1500;
    let steps = prop::collection::vec((0i64..400, 1i64..900, statuses), 0..max);
    (first_start, steps, any::<bool>()).prop_map(|(first, steps, last_open)| {
        let mut start = d(B14, first);
        let count = steps.len();
        steps
            .into_iter()
            .enumerate()
            .map(|(n, (gap, len, ls))| {
                start = d(start, gap);
                let end = d(start, len);
                let open = last_open && n + 1 == count;
                let episode = Episode {
                    end: (!open).then_some(end),
                    ..Episode::new(start, None, ls)
                };
                start = end;
                episode
            })
            .collect()
    })
}

/// Days looked after since 14 through `as_at`, counted one day at a time: an oracle
/// independent of the engine's interval arithmetic.
fn brute_force_days(episodes: &[Episode], as_at: Date) -> i64 {
    let mut day = B14;
    let mut count = 0;
    while day <= as_at && day < B18 {
        let covered = episodes
            .iter()
            .any(|e| !e.legal_status.is_short_break() && e.start <= day && e.end.is_none_or(|end| day < end));
        count += i64::from(covered);
        day = d(day, 1);
    }
    count
}

proptest! {
    #[test]
    fn a_looked_after_16_or_17_year_old_is_eligible_exactly_when_91_days_are_counted(
        episodes in arb_history(5),
        offset in 0i64..730,
    ) {
        let as_at = d(B16, offset);
        let got = category_of(&episodes, as_at);
        let looked_after = episodes.iter().any(|e| {
            !e.legal_status.is_short_break() && e.start <= as_at && e.end.is_none_or(|end| as_at < end)
        });
        if looked_after {
            let eligible = brute_force_days(&episodes, as_at) >= 91;
            prop_assert_eq!(got.category == Eligible, eligible, "{}", got.reason);
        }
    }

    #[test]
    fn short_breaks_never_change_an_eligibility_decision_once_care_has_ended(
        episodes in prop::collection::vec(arb_episode(), 0..4),
        short_start in 0i64..1500,
        offset in 0i64..4000,
    ) {
        let as_at = d(B16, offset);
        let with_short_break: Vec<Episode> = episodes.iter().cloned().chain(std::iter::once(
            closed(d(B14, short_start), d(B14, short_start + 5), LegalStatus::V3, Rec::E13),
        )).collect();
        let before = category_of(&episodes, as_at).category;
        let after = category_of(&with_short_break, as_at).category;
        // A short break in progress on the as-at date may make a child "looked after now".
        let in_break = d(B14, short_start) <= as_at && as_at < d(B14, short_start + 5);
        if !in_break {
            prop_assert_eq!(before, after);
        }
    }

    #[test]
    fn categories_respect_their_age_bands(
        episodes in prop::collection::vec(arb_episode(), 0..5),
        offset in -800i64..5000,
    ) {
        let as_at = d(B16, offset);
        let age = age_on(DOB, as_at, LeapDayBirthday::FirstMarch);
        let got = category_of(&episodes, as_at);
        let allowed = match got.category {
            LookedAfterUnder16 => age < 16,
            LookedAfterNotEligible | Eligible | Relevant => (16..18).contains(&age),
            FormerRelevant => (18..21).contains(&age),
            FormerRelevant21To25 => (21..25).contains(&age),
            Qualifying => (16..21).contains(&age),
            Died | NotCareLeaver => true,
        };
        prop_assert!(allowed, "age {} got {:?}: {}", age, got.category, got.reason);
    }

    #[test]
    fn former_relevant_follows_from_the_status_held_on_the_day_before_18(
        episodes in prop::collection::vec(arb_episode(), 0..5),
        offset in 0i64..1000,
    ) {
        let as_at = d(B18, offset);
        let at_17 = category_of(&episodes, d(B18, -1)).category;
        let now = category_of(&episodes, as_at).category;
        prop_assert_eq!(now == FormerRelevant, matches!(at_17, Eligible | Relevant));
    }
}

// --- the day a child became eligible ----------------------------------------

fn eligible_since_of(episodes: &[Episode]) -> Option<Date> {
    eligible_since(&facts_of(episodes), &LegalRules::default())
}

#[test]
fn eligibility_starts_at_16_or_when_the_13_weeks_are_complete() {
    let cases: Vec<(&str, Vec<Episode>, Option<Date>)> = vec![
        ("in care since 14", vec![open(B14, LegalStatus::C2)], Some(B16)),
        (
            "came into care at 16",
            vec![open(B16, LegalStatus::C2)],
            Some(d(B16, 90)),
        ),
        (
            "came into care at 17 and 9 months",
            vec![open(d(B18, -60), LegalStatus::C2)],
            None,
        ),
        (
            "earlier care counts towards the 13 weeks",
            vec![
                closed(d(B16, -200), d(B16, -150), LegalStatus::C2, Rec::E13),
                open(d(B16, 30), LegalStatus::V2),
            ],
            Some(d(B16, 70)),
        ),
        (
            "left care before 16 and came back at 16½",
            vec![
                closed(B14, d(B16, -10), LegalStatus::C2, Rec::E13),
                open(d(B16, 180), LegalStatus::C2),
            ],
            Some(d(B16, 180)),
        ),
        ("short breaks never count", vec![open(B14, LegalStatus::V3)], None),
        ("never looked after", vec![], None),
    ];
    for (name, episodes, expected) in cases {
        assert_eq!(eligible_since_of(&episodes), expected, "{name}");
    }
}

proptest! {
    /// The day found is the first day the engine calls the child eligible.
    #[test]
    fn eligible_since_is_the_first_eligible_day(episodes in arb_history(4)) {
        let first = (0..730)
            .map(|n| d(B16, n))
            .take_while(|day| *day < B18)
            .find(|day| category_of(&episodes, *day).category == Eligible);
        prop_assert_eq!(eligible_since_of(&episodes), first);
    }
}
