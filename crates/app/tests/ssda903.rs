//! SSDA903 import and export through the app layer, on both databases.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use jiff::Timestamp;
use pathways_app::ssda903::{Ssda903Error, export_903, import_903};
use pathways_domain::compliance::ComplianceRules;
use pathways_domain::legal::LegalRules;
use pathways_testkit::{TestStore, on_both_backends};
use std::path::{Path, PathBuf};

fn now() -> Timestamp {
    "2026-11-26T10:00:00Z".parse().unwrap()
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ssda903-2026")
}

async fn import(store: &TestStore, dir: &Path) -> Result<pathways_store::ImportSummary, Ssda903Error> {
    import_903(store, dir, now(), &mut |_, _| {}).await
}

async fn exporting_what_was_imported_gives_the_same_bytes(store: TestStore) {
    let mut seen = Vec::new();
    let summary = import_903(&store, &fixture(), now(), &mut |done, total| seen.push((done, total)))
        .await
        .unwrap();
    assert_eq!(seen.last(), Some(&(4, 4)));
    assert_eq!(
        (summary.children_added, summary.episodes_added, summary.oc3_added),
        (4, 4, 2)
    );
    let out = tempfile::tempdir().unwrap();
    let exported = export_903(
        &store,
        2026,
        &LegalRules::default(),
        &ComplianceRules::default(),
        out.path(),
        now(),
    )
    .await
    .unwrap();
    assert_eq!((exported.children, exported.episodes, exported.oc3_imported), (4, 4, 2));
    for name in ["header.csv", "episodes.csv", "oc3.csv"] {
        let expected = std::fs::read_to_string(fixture().join(name)).unwrap();
        let got = std::fs::read_to_string(out.path().join(name)).unwrap();
        assert_eq!(got, expected, "{name}");
    }
    // Again: nothing changes, and the export is the same.
    let again = import(&store, &fixture()).await.unwrap();
    assert!(!again.changed_anything(), "{again:?}");
    assert_eq!((again.children_unchanged, again.oc3_unchanged), (4, 2));
}

async fn a_bad_file_is_located_and_nothing_is_written(store: TestStore) {
    let dir = tempfile::tempdir().unwrap();
    for name in ["header.csv", "episodes.csv", "oc3.csv"] {
        std::fs::copy(fixture().join(name), dir.path().join(name)).unwrap();
    }
    let episodes = std::fs::read_to_string(dir.path().join("episodes.csv")).unwrap();
    std::fs::write(
        dir.path().join("episodes.csv"),
        episodes.replace("C300,01/10/2024,L,J2", "C300,01/10/2024,L,Q9"),
    )
    .unwrap();
    let err = import(&store, dir.path()).await.unwrap_err();
    assert!(
        err.to_string()
            .ends_with("episodes.csv:5: LS: \"Q9\" is not a valid legal status (LS) code"),
        "{err}"
    );
    assert_eq!(store.count_young_people().await.unwrap(), 0);
}

/// Pathways' own records win over an imported OC3 row; without them the imported row stays.
async fn oc3_comes_from_contacts_accommodation_and_activity(store: TestStore) {
    use jiff::civil::date;
    use pathways_domain::care::Episode;
    use pathways_domain::codes::{Ethnicity, LegalStatus, ReasonEpisodeEnded, Sex};
    use pathways_domain::ids::ChildId;
    use pathways_domain::living::{AccommodationStay, AccommodationType, Activity, ActivitySpell};
    use pathways_domain::people::{ContactDetails, Disability, PersonName, YoungPerson};
    use pathways_domain::staff::Role;
    use pathways_store::{NewStaff, NewYoungPerson, PracticeHistory};
    let staff = NewStaff {
        email: "pa@council.test".into(),
        display_name: "PA".into(),
        role: Role::PersonalAdviser,
        team_id: None,
        password_hash: "x".into(),
    };
    let pa = store.create_staff(&staff, now()).await.unwrap();
    let person = YoungPerson {
        local_id: "L1".into(),
        child_id: Some(ChildId::parse("A100").unwrap()),
        upn: None,
        nhs_number: None,
        ni_number: None,
        legal_name: PersonName {
            given: "Sam".into(),
            family: "Jones".into(),
        },
        preferred_name: None,
        date_of_birth: date(2008, 6, 15),
        sex: Sex::Female,
        gender: None,
        ethnicity: Ethnicity::Wbri,
        uasc: false,
        disability: Disability::No,
        contact: ContactDetails::default(),
        died_on: None,
        returned_home_on: None,
        detained_or_in_hospital_on_16th_birthday: false,
    };
    let new = NewYoungPerson {
        person,
        episodes: vec![
            Episode::new(date(2024, 2, 1), None, LegalStatus::C2).ended(date(2025, 5, 10), ReasonEpisodeEnded::E8),
        ],
        key_documents: vec![],
        risk_flags: vec![],
        allocation: None,
        history: PracticeHistory {
            accommodation: vec![AccommodationStay {
                start: date(2025, 5, 10),
                end: None,
                kind: AccommodationType::SupportedLodgings,
                suitable: false,
                arranged_by_council: true,
                address: None,
            }],
            activity: vec![ActivitySpell {
                start: date(2024, 9, 1),
                end: None,
                activity: Activity::Apprenticeship,
                full_time: false,
                detail: None,
            }],
            visits: vec!["2025-06-10T10:00:00Z".parse().unwrap()],
            ..PracticeHistory::default()
        },
    };
    store
        .insert_young_people(&[new], Some(pa), "test", now())
        .await
        .unwrap();
    import(&store, &fixture()).await.unwrap();
    let out = tempfile::tempdir().unwrap();
    let exported = export_903(
        &store,
        2026,
        &LegalRules::default(),
        &ComplianceRules::default(),
        out.path(),
        now(),
    )
    .await
    .unwrap();
    assert_eq!((exported.oc3_computed, exported.oc3_imported), (1, 1));
    let oc3 = std::fs::read_to_string(out.path().join("oc3.csv")).unwrap();
    assert_eq!(
        oc3,
        "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nA100,15/06/2008,YES,P4,E2\nD400,29/02/2008,NO,,\n"
    );
}

on_both_backends!(
    oc3_comes_from_contacts_accommodation_and_activity,
    exporting_what_was_imported_gives_the_same_bytes,
    a_bad_file_is_located_and_nothing_is_written,
);
