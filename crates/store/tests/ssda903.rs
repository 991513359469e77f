//! SSDA903 import on both backends: all or nothing, idempotent, matched by CHILD id.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use jiff::Timestamp;
use jiff::civil::date;
use pathways_domain::care::Episode;
use pathways_domain::codes::{Ethnicity, LegalStatus, ReasonEpisodeEnded, Sex};
use pathways_domain::ids::{ChildId, Upn};
use pathways_domain::people::{ContactDetails, Disability, PersonName, YoungPerson};
use pathways_store::{NewYoungPerson, Ssda903Person, StoredOc3};
use pathways_testkit::{TestStore, on_both_backends};

fn now() -> Timestamp {
    "2026-11-26T09:30:00Z".parse().unwrap()
}

fn child(id: &str) -> Ssda903Person {
    Ssda903Person {
        child_id: ChildId::parse(id).unwrap(),
        sex: Sex::Female,
        date_of_birth: date(2008, 6, 15),
        ethnicity: Ethnicity::Wbri,
        upn: Some(Upn::parse("A12345678901B").unwrap()),
        upn_unknown: None,
        mother: Some("1".into()),
        mc_dob: Some(date(2025, 2, 14)),
        episodes: vec![
            Episode::new(date(2025, 4, 12), None, LegalStatus::V2).ended(date(2025, 8, 20), ReasonEpisodeEnded::X1),
            Episode {
                placement: Some("U3".into()),
                urn: Some("SC123456".into()),
                ..Episode::new(date(2025, 8, 20), None, LegalStatus::C2)
            },
        ],
        oc3: Some(StoredOc3 {
            in_touch: "YES".into(),
            activity: "F2".into(),
            accommodation: "D1".into(),
        }),
    }
}

async fn import(store: &TestStore, people: &[Ssda903Person]) -> pathways_store::Result<pathways_store::ImportSummary> {
    store.import_ssda903(people, None, "test", now(), &mut |_| {}).await
}

async fn an_import_with_a_bad_row_writes_nothing(store: TestStore) {
    let mut bad = child("B2");
    // The database refuses an episode that ends before it starts.
    bad.episodes[0].end = Some(date(2020, 1, 1));
    let err = import(&store, &[child("A1"), bad]).await;
    assert!(err.is_err());
    assert_eq!(store.count_young_people().await.unwrap(), 0);
    assert_eq!(store.count_audit_entries().await.unwrap(), 0);
}

async fn importing_the_same_return_again_changes_nothing(store: TestStore) {
    let people = [child("A1"), child("B2")];
    let first = import(&store, &people).await.unwrap();
    assert_eq!((first.children_added, first.episodes_added, first.oc3_added), (2, 4, 2));
    let audited = store.count_audit_entries().await.unwrap();
    let again = import(&store, &people).await.unwrap();
    assert!(!again.changed_anything(), "{again:?}");
    assert_eq!((again.children_unchanged, again.oc3_unchanged), (2, 2));
    assert_eq!(store.count_audit_entries().await.unwrap(), audited);
    let records = store.ssda903_records().await.unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].person, people[0]);
}

async fn a_young_person_is_matched_by_child_id_and_updated(store: TestStore) {
    let earlier =
        Episode::new(date(2021, 1, 10), None, LegalStatus::C2).ended(date(2022, 1, 1), ReasonEpisodeEnded::E8);
    let existing = YoungPerson {
        local_id: "L1".into(),
        child_id: Some(ChildId::parse("A1").unwrap()),
        upn: None,
        nhs_number: None,
        ni_number: None,
        legal_name: PersonName {
            given: "Jordan".into(),
            family: "Okafor".into(),
        },
        preferred_name: None,
        date_of_birth: date(2008, 6, 15),
        sex: Sex::Female,
        gender: None,
        ethnicity: Ethnicity::Bafr,
        uasc: false,
        disability: Disability::No,
        contact: ContactDetails::default(),
        died_on: None,
        returned_home_on: None,
        detained_or_in_hospital_on_16th_birthday: false,
    };
    let new = NewYoungPerson {
        person: existing,
        episodes: vec![earlier.clone(), Episode::new(date(2025, 4, 12), None, LegalStatus::V2)],
        key_documents: vec![],
        risk_flags: vec![],
        allocation: None,
        history: Default::default(),
    };
    let id = store.insert_young_people(&[new], None, "test", now()).await.unwrap()[0];
    assert_eq!(store.refresh_practice_summaries().await.unwrap(), 1);
    let summary = import(&store, &[child("A1")]).await.unwrap();
    assert_eq!(
        store.refresh_practice_summaries().await.unwrap(),
        1,
        "the council-wide compliance figures see the imported episodes"
    );
    assert_eq!(
        (
            summary.children_added,
            summary.children_updated,
            summary.episodes_replaced
        ),
        (0, 1, 2)
    );
    let record = store.young_person(id).await.unwrap().unwrap();
    assert_eq!(
        record.person.legal_name.given, "Jordan",
        "the name Pathways holds stays"
    );
    assert_eq!(record.person.ethnicity, Ethnicity::Wbri);
    assert_eq!(record.version, 2);
    // Episodes before the return's first DECOM stay; the rest are the return's.
    let mut expected = vec![earlier];
    expected.extend(child("A1").episodes);
    assert_eq!(record.episodes, expected);
    let actions: Vec<String> = store
        .audit_trail(id, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        [
            "import_903_oc3",
            "import_903_episodes",
            "import_903_update",
            "create_young_person"
        ]
    );
}

on_both_backends!(
    an_import_with_a_bad_row_writes_nothing,
    importing_the_same_return_again_changes_nothing,
    a_young_person_is_matched_by_child_id_and_updated,
);
