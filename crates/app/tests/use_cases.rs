//! What staff do, end to end through the app layer, on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use pathways_app::AppError;
use pathways_app::auth::{self, AuthError, DEFAULT_IDLE_TIMEOUT, SignInLimits};
use pathways_app::caseload::my_caseload;
use pathways_app::clock::{Clock, FixedClock};
use pathways_app::demo::{DEMO_PASSWORD, create_demo_council, demo_sign_ins};
use pathways_app::young_person::view_young_person;
use pathways_domain::dates::age_on;
use pathways_domain::legal::{LegalCategory, LegalRules};
use pathways_domain::staff::{Role, StaffMember};
use pathways_testkit::{TestStore, on_both_backends};
use std::collections::BTreeMap;

fn clock() -> FixedClock {
    FixedClock("2026-11-26T10:00:00Z".parse().unwrap())
}

async fn demo(store: &TestStore, size: usize) {
    let summary = create_demo_council(store, &clock(), &LegalRules::default(), size, &mut |_, _| {})
        .await
        .unwrap();
    assert!(summary.created);
}

async fn signed_in(store: &TestStore, email: &str) -> StaffMember {
    auth::sign_in(
        store,
        &clock(),
        &SignInLimits::default(),
        "127.0.0.1",
        email,
        DEMO_PASSWORD,
    )
    .await
    .unwrap()
    .staff
}

async fn the_demo_council_has_every_category_with_ages_15_to_25(store: TestStore) {
    demo(&store, 400).await;
    assert_eq!(store.count_young_people().await.unwrap(), 400);
    assert_eq!(store.count_staff().await.unwrap(), demo_sign_ins().len() as i64);
    let rules = LegalRules::default();
    let today = clock().today();
    let mut counts: BTreeMap<LegalCategory, usize> = BTreeMap::new();
    for id in 1..=400 {
        let record = store.young_person(id).await.unwrap().unwrap();
        let age = age_on(record.person.date_of_birth, today, rules.leap_day_birthday);
        assert!((15..=25).contains(&age), "age {age}");
        let category =
            pathways_domain::legal::legal_category(&record.person.leaving_care_facts(&record.episodes), today, &rules);
        *counts.entry(category.category).or_default() += 1;
    }
    for category in [
        LegalCategory::LookedAfterUnder16,
        LegalCategory::Eligible,
        LegalCategory::Relevant,
        LegalCategory::FormerRelevant,
        LegalCategory::FormerRelevant21To25,
        LegalCategory::Qualifying,
    ] {
        assert!(
            counts.get(&category).copied().unwrap_or(0) >= 5,
            "{category}: {counts:?}"
        );
    }
    let not_care_leavers = counts.get(&LegalCategory::NotCareLeaver).copied().unwrap_or(0);
    assert!(
        not_care_leavers <= 8,
        "care histories should fit their categories: {counts:?}"
    );
}

async fn running_the_demo_again_reuses_the_council(store: TestStore) {
    demo(&store, 50).await;
    let again = create_demo_council(&store, &clock(), &LegalRules::default(), 50, &mut |_, _| {})
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.young_people, 50);
}

async fn a_wrong_password_or_unknown_email_gets_the_same_answer(store: TestStore) {
    demo(&store, 10).await;
    let wrong = auth::sign_in(
        &store,
        &clock(),
        &SignInLimits::default(),
        "127.0.0.1",
        "pa.north1@demoshire.test",
        "nope",
    )
    .await
    .unwrap_err();
    let unknown = auth::sign_in(
        &store,
        &clock(),
        &SignInLimits::default(),
        "127.0.0.1",
        "nobody@demoshire.test",
        DEMO_PASSWORD,
    )
    .await
    .unwrap_err();
    assert!(matches!(wrong, AuthError::BadCredentials));
    assert_eq!(wrong.to_string(), unknown.to_string());
}

async fn repeated_wrong_passwords_lock_sign_in_for_a_while_for_real_and_unknown_accounts(store: TestStore) {
    demo(&store, 10).await;
    let limits = SignInLimits::default();
    for email in ["pa.north2@demoshire.test", "nobody@demoshire.test"] {
        for _ in 0..limits.per_account {
            let wrong = auth::sign_in(&store, &clock(), &limits, "10.0.0.1", email, "guess")
                .await
                .unwrap_err();
            assert!(matches!(wrong, AuthError::BadCredentials));
        }
        // Now even the right password is refused, with a message that says to wait.
        let locked = auth::sign_in(&store, &clock(), &limits, "10.0.0.2", email, DEMO_PASSWORD)
            .await
            .unwrap_err();
        assert!(matches!(locked, AuthError::TooManyAttempts), "{email}");
        assert!(locked.to_string().contains("Wait 15 minutes"));
    }
    // After the window the account may try again.
    let later = FixedClock(clock().now() + jiff::SignedDuration::from_mins(16));
    assert!(
        auth::sign_in(
            &store,
            &later,
            &limits,
            "10.0.0.2",
            "pa.north2@demoshire.test",
            DEMO_PASSWORD
        )
        .await
        .is_ok()
    );
    // One address guessing at many accounts is stopped too.
    let strict = SignInLimits {
        per_address: 3,
        ..limits
    };
    for n in 0..3 {
        let email = format!("guess{n}@demoshire.test");
        let _ = auth::sign_in(&store, &later, &strict, "10.9.9.9", &email, "x").await;
    }
    let refused = auth::sign_in(
        &store,
        &later,
        &strict,
        "10.9.9.9",
        "pa.north1@demoshire.test",
        DEMO_PASSWORD,
    )
    .await
    .unwrap_err();
    assert!(matches!(refused, AuthError::TooManyAttempts));
    assert!(
        auth::sign_in(
            &store,
            &later,
            &strict,
            "10.9.9.8",
            "pa.north1@demoshire.test",
            DEMO_PASSWORD
        )
        .await
        .is_ok()
    );
}

async fn a_session_idles_out_after_thirty_minutes(store: TestStore) {
    demo(&store, 10).await;
    let started = auth::sign_in(
        &store,
        &clock(),
        &SignInLimits::default(),
        "127.0.0.1",
        "pa.north1@demoshire.test",
        DEMO_PASSWORD,
    )
    .await
    .unwrap();
    let later = FixedClock(clock().now() + jiff::SignedDuration::from_mins(29));
    assert!(
        auth::session(&store, &later, &started.token, DEFAULT_IDLE_TIMEOUT)
            .await
            .unwrap()
            .is_some()
    );
    // The idle timer restarted at the last request.
    let much_later = FixedClock(later.now() + jiff::SignedDuration::from_mins(31));
    assert!(
        auth::session(&store, &much_later, &started.token, DEFAULT_IDLE_TIMEOUT)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        auth::session(&store, &later, &started.token, DEFAULT_IDLE_TIMEOUT)
            .await
            .unwrap()
            .is_none(),
        "deleted"
    );
}

async fn a_personal_adviser_sees_their_caseload_with_categories(store: TestStore) {
    demo(&store, 300).await;
    let pa = signed_in(&store, "pa.north1@demoshire.test").await;
    let caseload = my_caseload(&store, &clock(), &LegalRules::default(), &Default::default(), &pa)
        .await
        .unwrap();
    assert!(!caseload.is_empty());
    for entry in &caseload {
        let (team, adviser) = store.current_allocation(entry.id).await.unwrap().unwrap();
        assert_eq!((Some(team), adviser), (pa.team_id, Some(pa.id)));
        assert!(!entry.category.reason.is_empty());
    }
    let names: Vec<_> = caseload
        .iter()
        .map(|e| e.name.split(' ').next_back().unwrap_or("").to_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "by family name");
}

async fn records_outside_a_staff_members_team_are_not_found_and_the_attempt_is_audited(store: TestStore) {
    demo(&store, 60).await;
    let rules = LegalRules::default();
    let north = signed_in(&store, "pa.north1@demoshire.test").await;
    let auditor = signed_in(&store, "auditor@demoshire.test").await;
    let admin = signed_in(&store, "admin@demoshire.test").await;
    let mut refused = 0;
    for id in 1..=60 {
        let Some((team, _)) = store.current_allocation(id).await.unwrap() else {
            continue;
        };
        let result = view_young_person(&store, &clock(), &rules, &north, id, "summary").await;
        if Some(team) == north.team_id {
            let view = result.unwrap();
            assert!(
                view.audit_trail.is_none(),
                "personal advisers do not see the audit trail"
            );
        } else {
            assert!(matches!(result, Err(AppError::NotFound)));
            refused += 1;
            let trail = store.audit_trail(id, 5).await.unwrap();
            assert_eq!(trail[0].action, "view_young_person_refused");
            assert_eq!(trail[0].staff_id, Some(north.id));
        }
        let seen_by_auditor = view_young_person(&store, &clock(), &rules, &auditor, id, "summary")
            .await
            .unwrap();
        assert!(!seen_by_auditor.can_edit);
        assert!(
            seen_by_auditor
                .audit_trail
                .is_some_and(|t| t.iter().any(|e| e.action == "view_young_person"))
        );
        assert!(matches!(
            view_young_person(&store, &clock(), &rules, &admin, id, "summary").await,
            Err(AppError::NotFound)
        ));
    }
    assert!(refused > 10);
    let missing = view_young_person(&store, &clock(), &rules, &auditor, 999_999, "summary").await;
    assert!(matches!(missing, Err(AppError::NotFound)));
    assert_eq!(auditor.role, Role::Auditor);
}

on_both_backends!(
    repeated_wrong_passwords_lock_sign_in_for_a_while_for_real_and_unknown_accounts,
    a_large_demo_council_gets_more_advisers_not_impossible_caseloads,
    the_demo_council_has_every_category_with_ages_15_to_25,
    running_the_demo_again_reuses_the_council,
    a_wrong_password_or_unknown_email_gets_the_same_answer,
    a_session_idles_out_after_thirty_minutes,
    a_personal_adviser_sees_their_caseload_with_categories,
    records_outside_a_staff_members_team_are_not_found_and_the_attempt_is_audited,
);

async fn a_large_demo_council_gets_more_advisers_not_impossible_caseloads(store: TestStore) {
    demo(&store, 3000).await;
    let pa = signed_in(&store, "pa.north1@demoshire.test").await;
    let caseload = my_caseload(&store, &clock(), &LegalRules::default(), &Default::default(), &pa)
        .await
        .unwrap();
    assert!((15..=40).contains(&caseload.len()), "caseload of {}", caseload.len());
    assert!(
        store
            .staff_for_sign_in("pa.north24@demoshire.test")
            .await
            .unwrap()
            .is_some()
    );
}

#[test]
fn demo_sign_ins_include_the_documented_accounts() {
    let emails: Vec<_> = demo_sign_ins().into_iter().map(|s| s.email).collect();
    for documented in [
        "admin@demoshire.test",
        "manager.north@demoshire.test",
        "pa.north1@demoshire.test",
        "pa.east8@demoshire.test",
    ] {
        assert!(emails.iter().any(|e| e == documented), "{documented}");
    }
    let advisers = demo_sign_ins()
        .iter()
        .filter(|s| s.role == Role::PersonalAdviser)
        .count();
    assert_eq!(advisers, 25);
}
