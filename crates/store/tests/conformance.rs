//! The store's conformance suite: every test runs on SQLite and on a real
//! PostgreSQL cluster, so both backends behave the same.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] functions

use jiff::Timestamp;
use jiff::civil::date;
use pathways_domain::care::Episode;
use pathways_domain::codes::{Ethnicity, LegalStatus, ReasonEpisodeEnded, Sex};
use pathways_domain::ids::ChildId;
use pathways_domain::people::{
    ContactDetails, Disability, KeyDocument, KeyDocumentKind, PersonName, RiskFlag, RiskFlagKind, YoungPerson,
};
use pathways_domain::plans::{AssessedNeeds, PlanDimension};
use pathways_domain::staff::{Allocation, Role};
use pathways_store::{AuditEntry, NewStaff, NewYoungPerson, Reallocation, SearchQuery, SearchScope, StoreError};
use pathways_testkit::{TestStore, on_both_backends};

fn now() -> Timestamp {
    "2026-11-26T09:30:00Z".parse().unwrap()
}

fn person(local_id: &str, child: &str) -> YoungPerson {
    YoungPerson {
        local_id: local_id.into(),
        child_id: Some(ChildId::parse(child).unwrap()),
        upn: None,
        nhs_number: None,
        ni_number: None,
        legal_name: PersonName {
            given: "Jordan".into(),
            family: "Okafor".into(),
        },
        preferred_name: Some("Jo".into()),
        date_of_birth: date(2008, 2, 29),
        sex: Sex::Female,
        gender: None,
        ethnicity: Ethnicity::Bafr,
        uasc: false,
        disability: Disability::No,
        contact: ContactDetails {
            phone: Some("07700 900123".into()),
            ..ContactDetails::default()
        },
        died_on: None,
        returned_home_on: None,
        detained_or_in_hospital_on_16th_birthday: false,
    }
}

fn new_young_person(local_id: &str, child: &str, team_id: i64, pa: Option<i64>) -> NewYoungPerson {
    NewYoungPerson {
        person: person(local_id, child),
        episodes: vec![
            Episode::new(date(2023, 1, 10), None, LegalStatus::V2).ended(date(2024, 5, 1), ReasonEpisodeEnded::X1),
            Episode {
                placement: Some("U1".into()),
                ..Episode::new(date(2024, 5, 1), None, LegalStatus::C2)
            },
        ],
        key_documents: vec![KeyDocument {
            kind: KeyDocumentKind::BirthCertificate,
            held_since: Some(date(2024, 6, 1)),
        }],
        risk_flags: vec![RiskFlag {
            kind: RiskFlagKind::Missing,
            from: date(2025, 3, 1),
            to: None,
        }],
        allocation: Some(Allocation {
            team_id,
            personal_adviser_id: pa,
            from: date(2024, 5, 1),
            to: None,
            reason: "Allocated at 16".into(),
        }),
        history: Default::default(),
    }
}

async fn staff(store: &TestStore, email: &str, role: Role, team_id: Option<i64>) -> i64 {
    let new = NewStaff {
        email: email.into(),
        display_name: email.split('@').next().unwrap().into(),
        role,
        team_id,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".into(),
    };
    store.create_staff(&new, now()).await.unwrap()
}

async fn migrating_twice_changes_nothing(store: TestStore) {
    store.migrate().await.unwrap();
    store.check_migrated().await.unwrap();
    assert_eq!(store.count_young_people().await.unwrap(), 0);
}

async fn a_database_from_a_newer_version_is_refused_with_a_clear_error(store: TestStore) {
    let sql = "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
               VALUES (9999, 'from the future', CURRENT_TIMESTAMP, TRUE, x'00', 0)";
    pathways_store_raw(&store, sql).await;
    let err = store.migrate().await.unwrap_err();
    assert!(matches!(err, StoreError::UnknownMigration(9999)), "{err}");
    assert!(err.to_string().contains("migration 9999"), "{err}");
    assert!(matches!(
        store.check_migrated().await.unwrap_err(),
        StoreError::UnknownMigration(9999)
    ));
}

async fn pathways_store_raw(store: &TestStore, sql: &'static str) {
    match &store.store {
        pathways_store::Store::Sqlite(pool) => {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
        pathways_store::Store::Postgres(pool) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.replace("x'00'", "'\\x00'::bytea")))
                .execute(pool)
                .await
                .unwrap();
        }
    }
}

async fn staff_sign_in_lookup_ignores_email_case_and_refuses_duplicates(store: TestStore) {
    let team = store.create_team("North").await.unwrap();
    let id = staff(&store, "PA.North1@demoshire.test", Role::PersonalAdviser, Some(team)).await;
    let (found, hash) = store
        .staff_for_sign_in(" pa.north1@DEMOSHIRE.test ")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, id);
    assert_eq!(found.role, Role::PersonalAdviser);
    assert!(hash.starts_with("$argon2id$"));
    let dup = NewStaff {
        email: "pa.north1@demoshire.test".into(),
        display_name: "Someone".into(),
        role: Role::TeamManager,
        team_id: None,
        password_hash: "x".into(),
    };
    let err = store.create_staff(&dup, now()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(matches!(
        store.create_team("North").await.unwrap_err(),
        StoreError::Conflict(_)
    ));
}

async fn a_young_persons_record_reads_back_as_written_and_its_creation_is_audited(store: TestStore) {
    let team = store.create_team("Central").await.unwrap();
    let pa = staff(&store, "pa.central1@demoshire.test", Role::PersonalAdviser, Some(team)).await;
    let new = new_young_person("DS000001", "C0001", team, Some(pa));
    let ids = store
        .insert_young_people(std::slice::from_ref(&new), Some(pa), "test", now())
        .await
        .unwrap();
    let record = store.young_person(ids[0]).await.unwrap().unwrap();
    assert_eq!(record.person, new.person);
    assert_eq!(record.episodes, new.episodes);
    assert_eq!(record.key_documents, new.key_documents);
    assert_eq!(record.risk_flags, new.risk_flags);
    let current = record.current_allocation().unwrap();
    assert_eq!(current.team_name, "Central");
    assert_eq!(current.personal_adviser_name.as_deref(), Some("pa.central1"));
    assert_eq!(store.current_allocation(ids[0]).await.unwrap(), Some((team, Some(pa))));
    let trail = store.audit_trail(ids[0], 10).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "create_young_person");
    assert_eq!(trail[0].staff_id, Some(pa));
    assert_eq!(trail[0].at, now());
    assert!(store.young_person(ids[0] + 1000).await.unwrap().is_none());
}

async fn adding_young_people_is_all_or_nothing(store: TestStore) {
    let team = store.create_team("East").await.unwrap();
    let batch = vec![
        new_young_person("DS000001", "C0001", team, None),
        new_young_person("DS000002", "C0002", team, None),
        new_young_person("DS000001", "C0003", team, None),
    ];
    let err = store
        .insert_young_people(&batch, None, "import", now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("DS000001"), "{err}");
    assert_eq!(store.count_young_people().await.unwrap(), 0);
    assert_eq!(store.count_audit_entries().await.unwrap(), 0);
}

async fn a_caseload_lists_only_the_advisers_current_young_people_by_family_name(store: TestStore) {
    let team = store.create_team("North").await.unwrap();
    let pa1 = staff(&store, "pa.north1@demoshire.test", Role::PersonalAdviser, Some(team)).await;
    let pa2 = staff(&store, "pa.north2@demoshire.test", Role::PersonalAdviser, Some(team)).await;
    let mut a = new_young_person("A", "CA", team, Some(pa1));
    a.person.legal_name.family = "Zephyr".into();
    let mut b = new_young_person("B", "CB", team, Some(pa1));
    b.person.legal_name.family = "Adams".into();
    let c = new_young_person("C", "CC", team, Some(pa2));
    store
        .insert_young_people(&[a, b, c], None, "test", now())
        .await
        .unwrap();
    let caseload = store.caseload(pa1, 50, 0).await.unwrap();
    let names: Vec<_> = caseload.iter().map(|r| r.person.legal_name.family.as_str()).collect();
    assert_eq!(names, ["Adams", "Zephyr"]);
    assert!(caseload.iter().all(|r| r.episodes.len() == 2));
    let second_page = store.caseload(pa1, 1, 1).await.unwrap();
    assert_eq!(second_page.len(), 1);
    assert_eq!(second_page[0].person.legal_name.family, "Zephyr");
    assert_eq!(second_page[0].episodes.len(), 2, "episodes of the page's people only");
    assert_eq!(second_page[0].risk_flags.len(), 1);
}

async fn sessions_end_when_staff_are_deactivated(store: TestStore) {
    let id = staff(&store, "manager.north@demoshire.test", Role::TeamManager, None).await;
    store.create_session("hash-1", id, "csrf-1", now()).await.unwrap();
    store.create_session("hash-2", id, "csrf-2", now()).await.unwrap();
    let session = store.session("hash-1").await.unwrap().unwrap();
    assert_eq!(session.staff.id, id);
    assert_eq!(session.csrf_token, "csrf-1");
    let later: Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
    store.touch_session("hash-1", later).await.unwrap();
    assert_eq!(store.session("hash-1").await.unwrap().unwrap().last_seen_at, later);
    store.set_staff_active(id, false, None, now()).await.unwrap();
    assert!(store.session("hash-1").await.unwrap().is_none());
    assert!(store.session("hash-2").await.unwrap().is_none());
    assert!(
        store
            .staff_for_sign_in("manager.north@demoshire.test")
            .await
            .unwrap()
            .is_none()
    );
}

async fn reads_are_audited_newest_first(store: TestStore) {
    let team = store.create_team("North").await.unwrap();
    let ids = store
        .insert_young_people(&[new_young_person("A", "CA", team, None)], None, "test", now())
        .await
        .unwrap();
    for page in ["summary", "care history"] {
        let entry = AuditEntry {
            staff_id: None,
            action: "view_young_person".into(),
            young_person_id: Some(ids[0]),
            detail: page.into(),
        };
        store.record_audit(&entry, now()).await.unwrap();
    }
    let details: Vec<_> = store
        .audit_trail(ids[0], 10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.detail)
        .collect();
    assert_eq!(details, ["care history", "summary", "test"]);
}

async fn settings_are_upserted(store: TestStore) {
    assert_eq!(store.setting("council_name").await.unwrap(), None);
    store.set_setting("council_name", "Demoshire").await.unwrap();
    store
        .set_setting("council_name", "Demoshire County Council")
        .await
        .unwrap();
    assert_eq!(
        store.setting("council_name").await.unwrap().as_deref(),
        Some("Demoshire County Council")
    );
}

async fn young_people_are_found_by_any_part_of_any_name_date_of_birth_or_id_within_scope(store: TestStore) {
    let north = store.create_team("North").await.unwrap();
    let east = store.create_team("East").await.unwrap();
    let mut a = new_young_person("P000001", "DS0001", north, None);
    a.person.legal_name = PersonName {
        given: "Jordan".into(),
        family: "O'Neill".into(),
    };
    a.person.preferred_name = Some("Jojo".into());
    let mut b = new_young_person("P000002", "DS0002", east, None);
    b.person.legal_name = PersonName {
        given: "Zoë".into(),
        family: "Jordan".into(),
    };
    b.person.date_of_birth = date(2007, 5, 17);
    let mut c = new_young_person("P000003", "DS0003", north, None);
    c.person.legal_name = PersonName {
        given: "Sam".into(),
        family: "Smith_Jones".into(),
    };
    c.allocation = None;
    store
        .insert_young_people(&[a, b, c], None, "test", now())
        .await
        .unwrap();
    let find = |words: &[&str], dob: Option<jiff::civil::Date>, id: Option<&str>, scope| {
        let query = SearchQuery {
            name_words: words.iter().map(|w| (*w).to_owned()).collect(),
            date_of_birth: dob,
            identifier: id.map(str::to_owned),
        };
        let store = &store;
        async move {
            let hits = store.search_young_people(&query, scope, 50).await.unwrap();
            hits.into_iter().map(|h| h.person.local_id).collect::<Vec<_>>()
        }
    };
    let all = SearchScope::Everyone;
    assert_eq!(
        find(&["JORD"], None, None, all).await,
        ["P000002", "P000001"],
        "legal names, any case, by family name"
    );
    assert_eq!(find(&["jojo"], None, None, all).await, ["P000001"], "preferred name");
    assert_eq!(
        find(&["zoë", "jordan"], None, None, all).await,
        ["P000002"],
        "every word must match"
    );
    assert_eq!(find(&["o'neill"], None, None, all).await, ["P000001"]);
    assert_eq!(
        find(&["_"], None, None, all).await,
        ["P000003"],
        "LIKE wildcards are literal"
    );
    assert_eq!(find(&["%"], None, None, all).await, Vec::<String>::new());
    assert_eq!(find(&[], Some(date(2007, 5, 17)), None, all).await, ["P000002"]);
    assert_eq!(
        find(&[], None, Some("ds0003"), all).await,
        ["P000003"],
        "CHILD id, any case"
    );
    assert_eq!(find(&[], None, Some(" p000001 "), all).await, ["P000001"], "local id");
    assert_eq!(
        find(&["jordan"], None, None, SearchScope::Team(north)).await,
        ["P000001"],
        "scope"
    );
    assert_eq!(
        find(&["sam"], None, None, SearchScope::Team(north)).await,
        Vec::<String>::new(),
        "unallocated is outside team scope"
    );
    assert_eq!(
        find(&["jo", "o'"], None, None, all).await,
        ["P000001"],
        "short words are matched without the trigram index"
    );
    assert_eq!(
        find(&["jordan"], Some(date(2007, 5, 17)), None, all).await,
        ["P000002"],
        "name and date of birth together"
    );
    // A changed name is found by its new words, not its old ones.
    let record = store.young_person(1).await.unwrap().unwrap();
    let mut renamed = record.person.clone();
    renamed.legal_name.family = "Featherstonehaugh".into();
    let editor = staff(&store, "manager.north@demoshire.test", Role::TeamManager, Some(north)).await;
    store
        .update_young_person(1, record.version, &renamed, editor, now())
        .await
        .unwrap();
    assert_eq!(find(&["stoneh"], None, None, all).await, ["P000001"]);
    assert_eq!(find(&["o'neill"], None, None, all).await, Vec::<String>::new());
    let hits = store
        .search_young_people(
            &SearchQuery {
                name_words: vec!["jordan".into()],
                ..SearchQuery::default()
            },
            all,
            1,
        )
        .await
        .unwrap();
    assert_eq!(hits.len(), 1, "limited");
    // Featherstonehaugh (North) now sorts before Jordan (East).
    assert_eq!(hits[0].team_name.as_deref(), Some("North"));
}

async fn reallocating_keeps_the_history_and_refuses_a_stale_change(store: TestStore) {
    let north = store.create_team("North").await.unwrap();
    let pa1 = staff(&store, "pa.north1@demoshire.test", Role::PersonalAdviser, Some(north)).await;
    let pa2 = staff(&store, "pa.north2@demoshire.test", Role::PersonalAdviser, Some(north)).await;
    let manager = staff(&store, "manager.north@demoshire.test", Role::TeamManager, Some(north)).await;
    let mut waiting = new_young_person("A", "CA", north, None);
    waiting.allocation.as_mut().unwrap().from = date(2026, 1, 5);
    let mut nowhere = new_young_person("B", "CB", north, None);
    nowhere.allocation = None;
    let with_pa = new_young_person("C", "CC", north, Some(pa1));
    let ids = store
        .insert_young_people(&[waiting, nowhere, with_pa], None, "test", now())
        .await
        .unwrap();
    let waiting_ids: Vec<i64> = store
        .unallocated(Some(north), 50, 0)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(waiting_ids, [ids[0]]);
    assert_eq!(
        store.unallocated(Some(north), 50, 0).await.unwrap()[0].since,
        Some(date(2026, 1, 5))
    );
    let no_team: Vec<i64> = store
        .unallocated(None, 50, 0)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(no_team, [ids[1]]);
    assert_eq!(store.count_unallocated(Some(north)).await.unwrap(), 1);
    assert_eq!(store.count_unallocated(None).await.unwrap(), 1);

    let change = Reallocation {
        young_person_id: ids[0],
        team_id: north,
        personal_adviser_id: Some(pa2),
        on: date(2026, 11, 26),
        reason: "Caseload balance".into(),
        by: manager,
    };
    store.reallocate(&change, Some((north, None)), now()).await.unwrap();
    let record = store.young_person(ids[0]).await.unwrap().unwrap();
    assert_eq!(record.allocations.len(), 2, "history kept");
    assert_eq!(record.allocations[0].allocation.personal_adviser_id, Some(pa2));
    assert_eq!(record.allocations[0].allocation.to, None);
    assert_eq!(record.allocations[1].allocation.to, Some(date(2026, 11, 26)));
    assert_eq!(store.audit_trail(ids[0], 1).await.unwrap()[0].action, "allocate");
    // A second manager still looking at the old allocation is refused.
    let stale = store.reallocate(&change, Some((north, None)), now()).await.unwrap_err();
    assert!(matches!(stale, StoreError::Conflict(_)), "{stale}");
    let sizes: Vec<(String, i64)> = store
        .team_caseloads(north)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.name, c.young_people))
        .collect();
    assert_eq!(sizes, [("pa.north1".to_owned(), 1), ("pa.north2".to_owned(), 1)]);
}

async fn a_move_ends_the_current_stay_and_practice_facts_come_back_by_scope(store: TestStore) {
    use pathways_domain::living::{AccommodationStay, AccommodationType, Activity, ActivitySpell};
    use pathways_store::{ComplianceScope, NewTask};
    let team = store.create_team("North").await.unwrap();
    let other_team = store.create_team("East").await.unwrap();
    let pa = staff(&store, "pa@example.test", Role::PersonalAdviser, Some(team)).await;
    let ids = store
        .insert_young_people(&[new_young_person("P1", "C1", team, Some(pa))], None, "test", now())
        .await
        .unwrap();
    let id = ids[0];
    let stay = |start, kind| AccommodationStay {
        start,
        end: None,
        kind,
        suitable: true,
        arranged_by_council: true,
        address: None,
    };
    store
        .insert_accommodation_stay(id, &stay(date(2025, 1, 1), AccommodationType::StayingPut), pa, now())
        .await
        .unwrap();
    store
        .insert_accommodation_stay(
            id,
            &stay(date(2025, 6, 1), AccommodationType::IndependentLiving),
            pa,
            now(),
        )
        .await
        .unwrap();
    let history = store.accommodation_of(id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].end, Some(date(2025, 6, 1)), "the move ended the first stay");
    assert_eq!(history[1].end, None);
    // A stay from before the current one's start would overlap: refused, nothing saved.
    let stale = store
        .insert_accommodation_stay(id, &stay(date(2025, 5, 1), AccommodationType::Foyer), pa, now())
        .await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert_eq!(store.accommodation_of(id).await.unwrap().len(), 2);
    let spell = ActivitySpell {
        start: date(2025, 9, 1),
        end: None,
        activity: Activity::CollegeFe,
        full_time: true,
        detail: None,
    };
    store.insert_activity_spell(id, &spell, pa, now()).await.unwrap();
    let dentist = AssessedNeeds([(PlanDimension::Health, "Dentist".to_owned())].into());
    store
        .insert_needs_assessment(id, date(2024, 8, 1), &dentist, "Needs found", pa, now())
        .await
        .unwrap();
    assert_eq!(
        store
            .insert_active_pathway_plan(id, date(2024, 9, 1), pa, now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .insert_active_pathway_plan(id, date(2025, 3, 1), pa, now())
            .await
            .unwrap(),
        2
    );
    let task = NewTask {
        young_person_id: Some(id),
        title: "Birth certificate".into(),
        due_on: date(2025, 12, 1),
        assigned_to: pa,
    };
    let task_id = store.insert_task(&task, pa, now()).await.unwrap();
    assert_eq!(store.open_tasks_for(pa, 10).await.unwrap().len(), 1);
    let team_tasks = store.open_tasks_for_team(team, 10).await.unwrap();
    assert_eq!(team_tasks.len(), 1);
    assert_eq!(
        team_tasks[0].young_person_name.as_deref(),
        Some("Jo Okafor"),
        "preferred name first"
    );
    assert!(store.open_tasks_for_team(other_team, 10).await.unwrap().is_empty());
    assert!(
        store
            .complete_task(task_id, date(2025, 11, 1), pa, now())
            .await
            .unwrap()
    );
    assert!(
        !store
            .complete_task(task_id, date(2025, 11, 1), pa, now())
            .await
            .unwrap(),
        "already done"
    );
    assert!(store.open_tasks_for(pa, 10).await.unwrap().is_empty());
    for scope in [
        ComplianceScope::Adviser(pa),
        ComplianceScope::Team(team),
        ComplianceScope::Everyone,
        ComplianceScope::YoungPerson(id),
    ] {
        let facts = store.practice_facts(scope, now()).await.unwrap();
        assert_eq!(facts.len(), 1, "{scope:?}");
        let f = &facts[0];
        assert_eq!(f.young_person_id, id);
        assert_eq!(f.personal_adviser_id, Some(pa));
        assert_eq!(f.accommodation.len(), 2);
        assert_eq!(f.activity.as_ref().map(|a| a.activity), Some(Activity::CollegeFe));
        assert_eq!(f.needs_assessments, vec![date(2024, 8, 1)]);
        let assessments = store.needs_assessments_of(id).await.unwrap();
        assert_eq!(assessments[0].needs, dentist, "the needs by dimension round-trip");
        assert_eq!(f.plans, vec![date(2025, 3, 1)], "only the latest plan matters");
        assert_eq!(f.episodes.len(), 2);
        assert_eq!(f.key_documents_held, vec![KeyDocumentKind::BirthCertificate]);
    }
    assert!(
        store
            .practice_facts(ComplianceScope::Team(other_team), now())
            .await
            .unwrap()
            .is_empty()
    );
    let trail = store.audit_trail(id, 50).await.unwrap();
    for action in [
        "record_accommodation",
        "record_activity",
        "record_needs_assessment",
        "activate_pathway_plan",
        "add_task",
        "complete_task",
    ] {
        assert!(trail.iter().any(|e| e.action == action), "{action} audited");
    }
}

/// The council-wide facts (from the practice summaries) and the same facts read
/// from the tables, in the same order with contacts sorted.
async fn both_ways(
    store: &TestStore,
    scope: pathways_store::ComplianceScope,
) -> [Vec<pathways_store::PracticeFacts>; 2] {
    let since: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
    let mut summarised = store.practice_facts(scope, since).await.unwrap();
    let mut tables = store.practice_facts_from_tables(scope, since).await.unwrap();
    for list in [&mut summarised, &mut tables] {
        list.sort_by_key(|f| f.young_person_id);
        for f in list.iter_mut() {
            f.contacts.sort();
            f.episodes.sort_by_key(|e| e.start);
            f.accommodation.sort_by_key(|a| a.start);
        }
    }
    [summarised, tables]
}

async fn council_wide_facts_stay_true_to_the_tables_after_every_kind_of_change(store: TestStore) {
    use pathways_domain::contacts::{Contact, ContactOutcome, ContactType};
    use pathways_domain::living::{AccommodationStay, AccommodationType, Activity, ActivitySpell};
    use pathways_store::ComplianceScope::{Everyone, Team};
    let team = store.create_team("North").await.unwrap();
    let pa = staff(&store, "pa@example.test", Role::PersonalAdviser, Some(team)).await;
    let ids = store
        .insert_young_people(
            &[
                new_young_person("P1", "C1", team, Some(pa)),
                new_young_person("P2", "C2", team, None),
            ],
            None,
            "test",
            now(),
        )
        .await
        .unwrap();
    let id = ids[0];
    let check = |what: &'static str| {
        let store = &store;
        async move {
            for scope in [Everyone, Team(team)] {
                let [summarised, tables] = both_ways(store, scope).await;
                if scope == Everyone {
                    assert_eq!(summarised.len(), 2, "{what}: everyone");
                }
                assert_eq!(summarised, tables, "after {what}, in {scope:?}");
            }
        }
    };
    check("adding young people").await;
    assert_eq!(
        store.refresh_practice_summaries().await.unwrap(),
        0,
        "the read saved every summary"
    );
    let stay = AccommodationStay {
        start: date(2025, 6, 1),
        end: None,
        kind: AccommodationType::IndependentLiving,
        suitable: true,
        arranged_by_council: true,
        address: None,
    };
    store.insert_accommodation_stay(id, &stay, pa, now()).await.unwrap();
    check("a move").await;
    let spell = ActivitySpell {
        start: date(2025, 9, 1),
        end: None,
        activity: Activity::CollegeFe,
        full_time: true,
        detail: None,
    };
    store.insert_activity_spell(id, &spell, pa, now()).await.unwrap();
    check("a change of activity").await;
    store
        .insert_needs_assessment(id, date(2024, 8, 1), &Default::default(), "", pa, now())
        .await
        .unwrap();
    check("a needs assessment").await;
    store
        .insert_active_pathway_plan(id, date(2024, 9, 1), pa, now())
        .await
        .unwrap();
    check("a plan becoming active").await;
    let visit = Contact {
        occurred_at: "2026-11-20T10:00:00Z".parse().unwrap(),
        contact_type: ContactType::HomeVisit,
        outcome: ContactOutcome::Seen,
        seen_alone: Some(true),
        location: None,
        present: None,
        summary: "Visit".into(),
        statutory_visit: true,
    };
    store.insert_contact(id, &visit, pa, now()).await.unwrap();
    check("a statutory visit").await;
    store
        .insert_episode(id, &Episode::new(date(2025, 1, 1), None, LegalStatus::V2), pa, now())
        .await
        .unwrap();
    check("an episode").await;
    let record = store.young_person(id).await.unwrap().unwrap();
    let mut renamed = record.person.clone();
    renamed.legal_name.given = "Jordana".into();
    renamed.returned_home_on = Some(date(2026, 1, 5));
    store
        .update_young_person(id, record.version, &renamed, pa, now())
        .await
        .unwrap();
    check("changed details").await;
    let version = store.young_person(id).await.unwrap().unwrap().version;
    store
        .record_death(id, version, date(2026, 11, 20), pa, now())
        .await
        .unwrap();
    let [summarised, _] = both_ways(&store, Everyone).await;
    assert!(
        summarised.iter().any(|f| f.died_on == Some(date(2026, 11, 20))),
        "a death shows at once"
    );
    // A summary changed behind Pathways' back is caught by its version.
    pathways_store_raw(
        &store,
        "UPDATE young_people SET practice_version = practice_version + 1",
    )
    .await;
    check("every summary going stale").await;
}

async fn a_death_ends_the_allocation_and_the_record_stays_with_the_team(store: TestStore) {
    let team = store.create_team("North").await.unwrap();
    let pa = staff(&store, "pa@example.test", Role::PersonalAdviser, Some(team)).await;
    let id = store
        .insert_young_people(&[new_young_person("P1", "C1", team, Some(pa))], None, "test", now())
        .await
        .unwrap()[0];
    assert_eq!(store.current_allocation(id).await.unwrap(), Some((team, Some(pa))));
    let version = store.young_person(id).await.unwrap().unwrap().version;
    let stale = store.record_death(id, version + 1, date(2026, 11, 20), pa, now()).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    store
        .record_death(id, version, date(2026, 11, 20), pa, now())
        .await
        .unwrap();
    let record = store.young_person(id).await.unwrap().unwrap();
    assert_eq!(record.person.died_on, Some(date(2026, 11, 20)));
    assert_eq!(record.allocations[0].allocation.to, Some(date(2026, 11, 20)));
    assert_eq!(
        store.current_allocation(id).await.unwrap(),
        Some((team, None)),
        "the team keeps the record; no personal adviser"
    );
    assert!(store.caseload(pa, 10, 0).await.unwrap().is_empty());
    assert!(
        store
            .audit_trail(id, 10)
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "record_death")
    );
}

on_both_backends!(
    a_death_ends_the_allocation_and_the_record_stays_with_the_team,
    a_move_ends_the_current_stay_and_practice_facts_come_back_by_scope,
    council_wide_facts_stay_true_to_the_tables_after_every_kind_of_change,
    reallocating_keeps_the_history_and_refuses_a_stale_change,
    young_people_are_found_by_any_part_of_any_name_date_of_birth_or_id_within_scope,
    migrating_twice_changes_nothing,
    a_database_from_a_newer_version_is_refused_with_a_clear_error,
    staff_sign_in_lookup_ignores_email_case_and_refuses_duplicates,
    a_young_persons_record_reads_back_as_written_and_its_creation_is_audited,
    adding_young_people_is_all_or_nothing,
    a_caseload_lists_only_the_advisers_current_young_people_by_family_name,
    sessions_end_when_staff_are_deactivated,
    reads_are_audited_newest_first,
    settings_are_upserted,
);

#[test]
fn both_backends_have_the_same_migration_versions() {
    let (sqlite, postgres) = pathways_store::migration_versions();
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

#[tokio::test]
async fn an_unmigrated_database_says_to_run_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("empty.sqlite").display());
    let store = pathways_store::Store::connect(&url).await.unwrap();
    let err = store.check_migrated().await.unwrap_err();
    assert!(err.to_string().contains("pathways migrate"), "{err}");
}

#[tokio::test]
async fn a_bad_database_url_is_named() {
    let err = pathways_store::Store::connect("mysql://x").await.unwrap_err();
    assert!(err.to_string().contains("sqlite:FILE or postgres://"), "{err}");
}
