//! Each rule on both sides of its boundary.

use super::*;
use jiff::civil::date;
use proptest::prelude::*;

const DOB: Date = date(2008, 5, 10);

fn facts(category: LegalCategory) -> ComplianceFacts<'static> {
    ComplianceFacts {
        date_of_birth: DOB,
        category,
        eligible_since: None,
        needs_assessments: &[],
        plans: &[],
        visits: &[],
        left_care_on: None,
        contacts: &[],
        moves: &[],
        key_documents_held: &[],
    }
}

fn find(items: &[DueItem], kind: DueKind) -> Option<&DueItem> {
    items.iter().find(|i| i.kind == kind)
}

fn one(f: &ComplianceFacts, as_at: Date, kind: DueKind) -> Option<(Date, DueStatus)> {
    let items = due_items(f, as_at, &ComplianceRules::default());
    find(&items, kind).map(|i| (i.due_on, i.status))
}

#[test]
fn needs_assessment_is_due_three_months_after_the_16th_birthday_or_eligibility() {
    use DueStatus::*;
    let eligible_late = [date(2025, 1, 20)];
    type Case<'a> = (Option<Date>, &'a [Date], Date, Option<(Date, DueStatus)>);
    let cases: &[Case<'_>] = &[
        // Not yet 16: nothing due.
        (None, &[], date(2024, 5, 9), None),
        (None, &[], date(2024, 5, 10), Some((date(2024, 8, 10), Later))),
        (None, &[], date(2024, 7, 11), Some((date(2024, 8, 10), DueWithin30Days))),
        (None, &[], date(2024, 8, 3), Some((date(2024, 8, 10), DueWithin7Days))),
        (None, &[], date(2024, 8, 10), Some((date(2024, 8, 10), DueWithin7Days))),
        (None, &[], date(2024, 8, 11), Some((date(2024, 8, 10), Overdue))),
        // Eligible after the 16th birthday: the clock starts then.
        (
            Some(eligible_late[0]),
            &[],
            date(2025, 4, 20),
            Some((date(2025, 4, 20), DueWithin7Days)),
        ),
        (
            Some(eligible_late[0]),
            &[],
            date(2025, 4, 21),
            Some((date(2025, 4, 20), Overdue)),
        ),
        // Eligible before 16 (13 weeks from 14): the 16th birthday still starts it.
        (
            Some(date(2023, 1, 1)),
            &[],
            date(2024, 8, 11),
            Some((date(2024, 8, 10), Overdue)),
        ),
        // Done, even late, is done; an assessment dated after as-at is not yet done.
        (
            None,
            &[date(2024, 9, 1)],
            date(2024, 9, 1),
            Some((date(2024, 8, 10), Done)),
        ),
        (
            None,
            &[date(2024, 9, 1)],
            date(2024, 8, 31),
            Some((date(2024, 8, 10), Overdue)),
        ),
    ];
    for (eligible_since, done, as_at, expected) in cases {
        let f = ComplianceFacts {
            eligible_since: *eligible_since,
            needs_assessments: done,
            ..facts(LegalCategory::Eligible)
        };
        assert_eq!(
            one(&f, *as_at, DueKind::NeedsAssessment),
            *expected,
            "eligible since {eligible_since:?}, done {done:?}, as at {as_at}"
        );
    }
}

#[test]
fn needs_assessment_and_plans_only_for_those_owed_them() {
    let as_at = date(2026, 11, 26);
    for &category in LegalCategory::ALL {
        let items = due_items(&facts(category), as_at, &ComplianceRules::default());
        let owed = matches!(
            category,
            LegalCategory::Eligible | LegalCategory::Relevant | LegalCategory::FormerRelevant
        );
        assert_eq!(find(&items, DueKind::NeedsAssessment).is_some(), owed, "{category:?}");
        assert_eq!(find(&items, DueKind::FirstPathwayPlan).is_some(), owed, "{category:?}");
        if matches!(
            category,
            LegalCategory::Died | LegalCategory::NotCareLeaver | LegalCategory::Qualifying
        ) {
            assert!(items.is_empty(), "{category:?}: {items:?}");
        }
    }
    // From 21, a plan made on request is reviewed; no plan, nothing due.
    let on_request = ComplianceFacts {
        plans: &[date(2026, 1, 5)],
        ..facts(LegalCategory::FormerRelevant21To25)
    };
    assert_eq!(
        one(&on_request, as_at, DueKind::PathwayPlanReview),
        Some((date(2026, 7, 5), DueStatus::Overdue))
    );
}

#[test]
fn first_plan_follows_the_assessment_and_then_is_reviewed_every_six_months() {
    use DueStatus::*;
    let rules = ComplianceRules::default();
    let assessed = [date(2024, 7, 1)];
    let f = ComplianceFacts {
        needs_assessments: &assessed,
        ..facts(LegalCategory::Eligible)
    };
    assert_eq!(
        one(&f, date(2024, 7, 29), DueKind::FirstPathwayPlan),
        Some((date(2024, 7, 29), DueWithin7Days))
    );
    assert_eq!(
        one(&f, date(2024, 7, 30), DueKind::FirstPathwayPlan),
        Some((date(2024, 7, 29), Overdue))
    );
    // Without an assessment, the plan is due after the assessment would have been.
    let unassessed = facts(LegalCategory::Eligible);
    assert_eq!(
        one(&unassessed, date(2024, 6, 1), DueKind::FirstPathwayPlan),
        Some((date(2024, 9, 7), Later))
    );
    let plans = [date(2024, 7, 20), date(2025, 1, 15)];
    let planned = ComplianceFacts { plans: &plans, ..f };
    let cases = [
        (date(2024, 12, 1), date(2025, 1, 20), Later),
        (date(2024, 12, 21), date(2025, 1, 20), DueWithin30Days),
        (date(2025, 1, 14), date(2025, 1, 20), DueWithin7Days),
        (date(2025, 1, 15), date(2025, 7, 15), Later),
        (date(2025, 7, 15), date(2025, 7, 15), DueWithin7Days),
        (date(2025, 7, 16), date(2025, 7, 15), Overdue),
    ];
    for (as_at, due, status) in cases {
        let items = due_items(&planned, as_at, &rules);
        assert!(find(&items, DueKind::FirstPathwayPlan).is_none());
        assert_eq!(
            find(&items, DueKind::PathwayPlanReview).map(|i| (i.due_on, i.status)),
            Some((due, status)),
            "as at {as_at}"
        );
    }
}

#[test]
fn a_move_brings_the_plan_review_forward_but_never_back() {
    let plans = [date(2026, 1, 10)];
    let soon = [(date(2026, 3, 1), true)];
    let f = ComplianceFacts {
        plans: &plans,
        moves: &soon,
        ..facts(LegalCategory::Relevant)
    };
    assert_eq!(
        one(&f, date(2026, 3, 2), DueKind::PathwayPlanReview),
        Some((date(2026, 3, 29), DueStatus::DueWithin30Days))
    );
    let late = [(date(2026, 6, 30), true)];
    let f = ComplianceFacts { moves: &late, ..f };
    assert_eq!(
        one(&f, date(2026, 7, 1), DueKind::PathwayPlanReview),
        Some((date(2026, 7, 10), DueStatus::DueWithin30Days)),
        "the 6-monthly date comes first"
    );
    let before_plan = [(date(2026, 1, 3), true)];
    let f = ComplianceFacts {
        moves: &before_plan,
        ..f
    };
    assert_eq!(
        one(&f, date(2026, 2, 1), DueKind::PathwayPlanReview),
        Some((date(2026, 7, 10), DueStatus::Later))
    );
    let no_trigger = ComplianceRules {
        plan_review_days_after_move: None,
        ..ComplianceRules::default()
    };
    let f = ComplianceFacts { moves: &soon, ..f };
    let items = due_items(&f, date(2026, 3, 2), &no_trigger);
    assert_eq!(
        find(&items, DueKind::PathwayPlanReview).map(|i| i.due_on),
        Some(date(2026, 7, 10))
    );
}

#[test]
fn visits_are_due_every_eight_weeks_and_within_seven_days_of_a_move() {
    use DueStatus::*;
    type Case<'a> = (&'a [Date], &'a [(Date, bool)], Date, (Date, DueStatus));
    let cases: &[Case<'_>] = &[
        // No visit recorded and no date of leaving care known: due now.
        (&[], &[], date(2026, 11, 26), (date(2026, 11, 26), DueWithin7Days)),
        // 8 weeks = 56 days after the last visit.
        (
            &[date(2026, 10, 1)],
            &[],
            date(2026, 11, 26),
            (date(2026, 11, 26), DueWithin7Days),
        ),
        (
            &[date(2026, 10, 1)],
            &[],
            date(2026, 11, 27),
            (date(2026, 11, 26), Overdue),
        ),
        // The latest visit counts, in whatever order they come.
        (
            &[date(2026, 11, 1), date(2026, 9, 1)],
            &[],
            date(2026, 11, 28),
            (date(2026, 12, 27), DueWithin30Days),
        ),
        // Moved after the last visit: 7 days from the move.
        (
            &[date(2026, 11, 1)],
            &[(date(2026, 11, 20), false)],
            date(2026, 11, 27),
            (date(2026, 11, 27), DueWithin7Days),
        ),
        (
            &[date(2026, 11, 1)],
            &[(date(2026, 11, 20), false)],
            date(2026, 11, 28),
            (date(2026, 11, 27), Overdue),
        ),
        // A visit after the move clears it.
        (
            &[date(2026, 11, 22)],
            &[(date(2026, 11, 20), false)],
            date(2026, 11, 28),
            (date(2027, 1, 17), Later),
        ),
        // A visit on the day of the move counts as the visit to the new home.
        (
            &[date(2026, 11, 20)],
            &[(date(2026, 11, 20), true)],
            date(2026, 11, 26),
            (date(2027, 1, 15), Later),
        ),
        // A move never pushes the 8-weekly visit later.
        (
            &[date(2026, 9, 30)],
            &[(date(2026, 11, 24), true)],
            date(2026, 11, 24),
            (date(2026, 11, 25), DueWithin7Days),
        ),
    ];
    for (visits, moves, as_at, expected) in cases {
        let f = ComplianceFacts {
            visits,
            moves,
            ..facts(LegalCategory::FormerRelevant)
        };
        assert_eq!(
            one(&f, *as_at, DueKind::PersonalAdviserVisit),
            Some(*expected),
            "visits {visits:?}, moves {moves:?}, as at {as_at}"
        );
    }
}

#[test]
fn leaving_care_starts_the_visits_like_a_move() {
    let left = ComplianceFacts {
        left_care_on: Some(date(2026, 5, 10)),
        ..facts(LegalCategory::FormerRelevant)
    };
    let items = due_items(&left, date(2026, 11, 26), &ComplianceRules::default());
    let visit = find(&items, DueKind::PersonalAdviserVisit).unwrap();
    assert_eq!((visit.due_on, visit.status), (date(2026, 5, 17), DueStatus::Overdue));
    assert!(visit.reason.starts_with("Left care on 10 May 2026"), "{}", visit.reason);
    let visits = [date(2026, 5, 12)];
    let visited = ComplianceFacts {
        visits: &visits,
        ..left
    };
    assert_eq!(
        one(&visited, date(2026, 6, 1), DueKind::PersonalAdviserVisit),
        Some((date(2026, 7, 7), DueStatus::Later))
    );
}

#[test]
fn visit_rules_are_settings() {
    let visits = [date(2026, 10, 1)];
    let moves = [(date(2026, 11, 20), false)];
    let f = ComplianceFacts {
        visits: &visits,
        moves: &moves,
        ..facts(LegalCategory::Relevant)
    };
    let statutory = ComplianceRules {
        visit_interval: VisitInterval::Months(2),
        first_visit_only_when_council_arranged: true,
        ..ComplianceRules::default()
    };
    let items = due_items(&f, date(2026, 11, 26), &statutory);
    assert_eq!(
        find(&items, DueKind::PersonalAdviserVisit).map(|i| i.due_on),
        Some(date(2026, 12, 1)),
        "two months; the move was not arranged by the council"
    );
    assert!(
        find(
            &due_items(&facts(LegalCategory::Eligible), date(2026, 11, 26), &statutory),
            DueKind::PersonalAdviserVisit
        )
        .is_none(),
        "eligible children are visited by their social worker"
    );
    let everyone = ComplianceRules {
        visit_categories: vec![LegalCategory::Eligible],
        ..ComplianceRules::default()
    };
    assert!(
        find(
            &due_items(&facts(LegalCategory::Eligible), date(2026, 11, 26), &everyone),
            DueKind::PersonalAdviserVisit
        )
        .is_some()
    );
}

#[test]
fn in_touch_is_judged_in_the_window_around_each_birthday() {
    use DueStatus::*;
    // 18th birthday 10 May 2026: window 10 February to 10 June 2026.
    let kind = DueKind::InTouch { age: 18 };
    type Case<'a> = (&'a [Date], Date, Option<(Date, DueStatus)>);
    let cases: &[Case<'_>] = &[
        (&[], date(2026, 1, 10), None),
        (&[], date(2026, 1, 11), Some((date(2026, 6, 10), Later))),
        (&[], date(2026, 6, 10), Some((date(2026, 6, 10), DueWithin7Days))),
        (&[], date(2026, 6, 11), Some((date(2026, 6, 10), Overdue))),
        (&[], date(2026, 9, 8), Some((date(2026, 6, 10), Overdue))),
        (&[], date(2026, 9, 9), None),
        (&[date(2026, 2, 10)], date(2026, 6, 11), Some((date(2026, 6, 10), Done))),
        (&[date(2026, 6, 10)], date(2026, 6, 11), Some((date(2026, 6, 10), Done))),
        (
            &[date(2026, 2, 9)],
            date(2026, 6, 11),
            Some((date(2026, 6, 10), Overdue)),
        ),
        (
            &[date(2026, 6, 11)],
            date(2026, 6, 12),
            Some((date(2026, 6, 10), Overdue)),
        ),
    ];
    for (contacts, as_at, expected) in cases {
        let f = ComplianceFacts {
            contacts,
            ..facts(LegalCategory::FormerRelevant)
        };
        assert_eq!(one(&f, *as_at, kind), *expected, "contacts {contacts:?}, as at {as_at}");
    }
    let wider = ComplianceRules {
        in_touch_months_after: 2,
        ..ComplianceRules::default()
    };
    let late = [date(2026, 7, 1)];
    let f = ComplianceFacts {
        contacts: &late,
        ..facts(LegalCategory::FormerRelevant)
    };
    let items = due_items(&f, date(2026, 7, 2), &wider);
    assert_eq!(find(&items, kind).map(|i| i.status), Some(Done));
}

#[test]
fn key_documents_are_needed_by_17_and_a_half() {
    let held = [KeyDocumentKind::BirthCertificate];
    let f = ComplianceFacts {
        key_documents_held: &held,
        ..facts(LegalCategory::Eligible)
    };
    let ni = DueKind::KeyDocument {
        document: KeyDocumentKind::NationalInsuranceNumber,
    };
    let birth = DueKind::KeyDocument {
        document: KeyDocumentKind::BirthCertificate,
    };
    assert_eq!(
        one(&f, date(2025, 11, 10), ni),
        Some((date(2025, 11, 10), DueStatus::DueWithin7Days))
    );
    assert_eq!(
        one(&f, date(2025, 11, 11), ni),
        Some((date(2025, 11, 10), DueStatus::Overdue))
    );
    assert_eq!(
        one(&f, date(2025, 11, 11), birth).map(|(_, s)| s),
        Some(DueStatus::Done)
    );
    let passport = DueKind::KeyDocument {
        document: KeyDocumentKind::PassportOrId,
    };
    assert_eq!(one(&f, date(2025, 11, 11), passport), None, "not in the default list");
}

#[test]
fn leap_day_birthdays_follow_the_setting() {
    let f = ComplianceFacts {
        date_of_birth: date(2008, 2, 29),
        ..facts(LegalCategory::Eligible)
    };
    let march = ComplianceRules::default();
    let feb = ComplianceRules {
        leap_day_birthday: LeapDayBirthday::TwentyEighthFebruary,
        ..ComplianceRules::default()
    };
    let due = |rules: &ComplianceRules| {
        find(&due_items(&f, date(2024, 4, 1), rules), DueKind::NeedsAssessment).map(|i| i.due_on)
    };
    assert_eq!(due(&march), Some(date(2024, 5, 29)), "16th birthday 29 Feb 2024 exists");
    let as_at = date(2025, 3, 1);
    let doc = DueKind::KeyDocument {
        document: KeyDocumentKind::BankAccount,
    };
    assert_eq!(
        find(&due_items(&f, as_at, &march), doc).map(|i| i.due_on),
        Some(date(2025, 9, 1))
    );
    assert_eq!(
        find(&due_items(&f, as_at, &feb), doc).map(|i| i.due_on),
        Some(date(2025, 8, 28))
    );
}

#[test]
fn the_next_due_item_is_the_soonest_open_one() {
    let visits = [date(2026, 11, 1)];
    let f = ComplianceFacts {
        visits: &visits,
        ..facts(LegalCategory::FormerRelevant)
    };
    let items = due_items(&f, date(2026, 11, 26), &ComplianceRules::default());
    let next = next_due(&items).unwrap();
    assert_eq!(next.kind, DueKind::NeedsAssessment, "{items:?}");
    assert_eq!(next.status, DueStatus::Overdue);
    assert!(
        items
            .windows(2)
            .all(|w| (w[0].status == DueStatus::Done) <= (w[1].status == DueStatus::Done))
    );
}

fn any_date() -> impl Strategy<Value = Date> {
    (0i64..5_000).prop_map(|d| add_days(date(2018, 1, 1), d))
}

proptest! {
    /// Whatever the history, each item's status agrees with its date, and a new
    /// visit never makes anything more overdue.
    #[test]
    fn status_agrees_with_due_date_and_a_new_visit_never_hurts(
        dob in (0i64..3_000).prop_map(|d| add_days(date(2002, 1, 1), d)),
        visits in proptest::collection::vec(any_date(), 0..6),
        left_care_on in any_date(),
        days_later in 0i64..400,
        as_at in any_date(),
        category in proptest::sample::select(LegalCategory::ALL.to_vec()),
    ) {
        let rules = ComplianceRules::default();
        let f = ComplianceFacts {
            date_of_birth: dob,
            visits: &visits,
            left_care_on: Some(left_care_on),
            ..facts(category)
        };
        let since = visits.iter().copied().chain([left_care_on]).max().unwrap_or(left_care_on);
        let extra_visit = add_days(since, days_later).min(as_at);
        let items = due_items(&f, as_at, &rules);
        for i in &items {
            if i.status != DueStatus::Done {
                prop_assert_eq!(i.status, DueStatus::of(i.due_on, as_at));
            }
        }
        let mut more = visits.clone();
        more.push(extra_visit);
        let g = ComplianceFacts { visits: &more, ..f };
        let after = due_items(&g, as_at, &rules);
        let overdue = |v: &[DueItem]| v.iter().filter(|i| i.status == DueStatus::Overdue).count();
        prop_assert!(overdue(&after) <= overdue(&items));
    }
}
