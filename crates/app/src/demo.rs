//! The demo council, "Demoshire": fictional, deterministic and realistic enough to
//! try every page. Three teams, about 25 personal advisers, managers, and young
//! people aged 15 to 25 whose care histories fit their legal categories.

use crate::auth::{AuthError, hash_password};
use crate::clock::Clock;
use jiff::civil::Date;
use pathways_domain::care::Episode;
use pathways_domain::codes::{Ethnicity, LegalStatus, ReasonEpisodeEnded, Sex};
use pathways_domain::dates::{add_days, birthday};
use pathways_domain::ids::{ChildId, NhsNumber, NiNumber, Upn};
use pathways_domain::legal::LegalRules;
use pathways_domain::people::{
    ContactDetails, Disability, KeyDocument, KeyDocumentKind, PersonName, RiskFlag, RiskFlagKind, YoungPerson,
};
use pathways_domain::staff::{Allocation, Role};
use pathways_store::{NewStaff, NewYoungPerson, PracticeHistory, Store, StoreError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The password of every demo account (demo mode only; documented in the README).
pub const DEMO_PASSWORD: &str = "demo-password";
pub const COUNCIL_NAME: &str = "Demoshire County Council";
/// Settings key marking a database that holds a complete demo council.
const DEMO_MARKER: &str = "demo_council_created_on";
const TEAMS: [(&str, usize); 3] = [("North", 9), ("Central", 8), ("East", 8)];
const BATCH: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "the database already holds young people but no complete demo council (an earlier run stopped part way?): use a new --db file"
    )]
    Partial,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// A demo sign-in to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSignIn {
    pub email: String,
    pub role: Role,
    pub team: Option<&'static str>,
}

/// Every demo account, in the order they are printed.
pub fn demo_sign_ins() -> Vec<DemoSignIn> {
    let mut accounts = vec![DemoSignIn {
        email: "admin@demoshire.test".into(),
        role: Role::Administrator,
        team: None,
    }];
    for (team, advisers) in TEAMS {
        let lower = team.to_lowercase();
        accounts.push(DemoSignIn {
            email: format!("manager.{lower}@demoshire.test"),
            role: Role::TeamManager,
            team: Some(team),
        });
        for n in 1..=advisers {
            accounts.push(DemoSignIn {
                email: format!("pa.{lower}{n}@demoshire.test"),
                role: Role::PersonalAdviser,
                team: Some(team),
            });
        }
    }
    accounts.push(DemoSignIn {
        email: "service.manager@demoshire.test".into(),
        role: Role::ServiceManager,
        team: None,
    });
    accounts.push(DemoSignIn {
        email: "performance@demoshire.test".into(),
        role: Role::PerformanceOfficer,
        team: None,
    });
    accounts.push(DemoSignIn {
        email: "auditor@demoshire.test".into(),
        role: Role::Auditor,
        team: None,
    });
    accounts
}

/// A personal adviser holds at most about this many young people; a larger demo council
/// gets more advisers rather than impossible caseloads.
const CASELOAD: usize = 32;

/// The advisers a council of `size` young people needs beyond the printed demo
/// accounts (`pa.north10@…` and on), so caseloads stay realistic at any size.
fn extra_advisers(size: usize) -> Vec<DemoSignIn> {
    let with_adviser = size * 3 / 4;
    let mut extra = Vec::new();
    for (team, advisers) in TEAMS {
        let needed = with_adviser.div_ceil(TEAMS.len() * CASELOAD).max(advisers);
        let lower = team.to_lowercase();
        for n in advisers + 1..=needed {
            extra.push(DemoSignIn {
                email: format!("pa.{lower}{n}@demoshire.test"),
                role: Role::PersonalAdviser,
                team: Some(team),
            });
        }
    }
    extra
}

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// False when an existing demo council was reused.
    pub created: bool,
    pub young_people: i64,
    pub staff: i64,
}

/// Creates Demoshire in an empty, migrated store, or reuses the one already there.
/// `progress(done, total)` is called after each batch of young people.
pub async fn create_demo_council(
    store: &Store,
    clock: &dyn Clock,
    rules: &LegalRules,
    size: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<DemoSummary, DemoError> {
    if store.setting(DEMO_MARKER).await?.is_some() {
        return Ok(DemoSummary {
            created: false,
            young_people: store.count_young_people().await?,
            staff: store.count_staff().await?,
        });
    }
    if store.count_young_people().await? > 0 || store.count_staff().await? > 0 {
        return Err(DemoError::Partial);
    }
    let now = clock.now();
    let today = clock.today();
    // One hash for every demo account: they share the password, and hashing 30
    // times would cost a second of argon2 for nothing.
    let password_hash = hash_password(DEMO_PASSWORD)?;
    let mut teams = Vec::new();
    for (name, _) in TEAMS {
        teams.push(store.create_team(name).await?);
    }
    let mut advisers: Vec<Vec<i64>> = vec![Vec::new(); TEAMS.len()];
    for (index, account) in demo_sign_ins().into_iter().chain(extra_advisers(size)).enumerate() {
        let team_index = account.team.and_then(|t| TEAMS.iter().position(|(name, _)| *name == t));
        let new = NewStaff {
            display_name: display_name_of(&account, index),
            email: account.email.clone(),
            role: account.role,
            team_id: team_index.map(|i| teams[i]),
            password_hash: password_hash.clone(),
        };
        let id = store.create_staff(&new, now).await?;
        if let (Role::PersonalAdviser, Some(i)) = (account.role, team_index) {
            advisers[i].push(id);
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    // Caseloads are balanced within each team, as managers allocate them.
    let mut next_adviser = vec![0usize; TEAMS.len()];
    let mut done = 0;
    while done < size {
        let batch: Vec<NewYoungPerson> = (done..size.min(done + BATCH))
            .map(|n| young_person(&mut rng, n, today, rules, &teams, &advisers, &mut next_adviser))
            .collect();
        store
            .insert_young_people(&batch, None, "demo council created", now)
            .await?;
        done += batch.len();
        progress(done, size);
    }
    // So the first whole-council report does not have to work them out.
    store.refresh_practice_summaries().await?;
    store.set_setting("council_name", COUNCIL_NAME).await?;
    store.set_setting(DEMO_MARKER, &today.to_string()).await?;
    Ok(DemoSummary {
        created: true,
        young_people: store.count_young_people().await?,
        staff: store.count_staff().await?,
    })
}

/// A fictional name for each demo account, different for every account.
fn display_name_of(account: &DemoSignIn, index: usize) -> String {
    let (given, family) = STAFF_NAMES[index % STAFF_NAMES.len()];
    // Beyond the named list, a number keeps every adviser's name different.
    let (given, family) = if index < STAFF_NAMES.len() {
        (given.to_owned(), family.to_owned())
    } else {
        (given.to_owned(), format!("{family} {}", index / STAFF_NAMES.len() + 1))
    };
    match account.role {
        Role::TeamManager => format!("{given} {family} ({} team manager)", account.team.unwrap_or("")),
        _ => format!("{given} {family}"),
    }
}

/// The kinds of young person the demo holds, with how many in 1,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profile {
    InCareUnder16,
    Eligible,
    NotYetEligible,
    Relevant,
    FormerRelevant,
    FormerRelevant21To25,
    Qualifying,
    Died,
}

const PROFILES: [(Profile, u32); 8] = [
    (Profile::InCareUnder16, 70),
    (Profile::Eligible, 180),
    (Profile::NotYetEligible, 20),
    (Profile::Relevant, 50),
    (Profile::FormerRelevant, 375),
    (Profile::FormerRelevant21To25, 200),
    (Profile::Qualifying, 100),
    (Profile::Died, 5),
];

fn pick_profile(rng: &mut ChaCha8Rng) -> Profile {
    let total: u32 = PROFILES.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (profile, weight) in PROFILES {
        if roll < weight {
            return profile;
        }
        roll -= weight;
    }
    Profile::FormerRelevant
}

fn between(rng: &mut ChaCha8Rng, from: Date, to: Date) -> Date {
    let days = pathways_domain::dates::days_between(from, to);
    if days <= 0 {
        return from;
    }
    add_days(from, rng.random_range(0..=days))
}

fn date_of_birth(rng: &mut ChaCha8Rng, today: Date, ages: std::ops::RangeInclusive<i16>, rules: &LegalRules) -> Date {
    let age = rng.random_range(ages);
    // Born between (age + 1) years and age years ago, so aged exactly `age` today.
    let latest = add_days(today, 0);
    let years_ago = |n: i16| today.checked_sub(jiff::Span::new().years(n)).unwrap_or(today);
    let dob = between(rng, add_days(years_ago(age + 1), 1), years_ago(age));
    if pathways_domain::dates::age_on(dob, latest, rules.leap_day_birthday) == age {
        dob
    } else {
        years_ago(age)
    }
}

/// The period looked after, and how it ended, for a profile.
struct CarePeriod {
    start: Date,
    end: Option<(Date, ReasonEpisodeEnded)>,
}

fn care_period(rng: &mut ChaCha8Rng, profile: Profile, dob: Date, today: Date, rules: &LegalRules) -> CarePeriod {
    let at = |years: i16| birthday(dob, years, rules.leap_day_birthday);
    let leaving_reasons = [
        ReasonEpisodeEnded::E5,
        ReasonEpisodeEnded::E6,
        ReasonEpisodeEnded::E8,
        ReasonEpisodeEnded::E13,
    ];
    match profile {
        Profile::InCareUnder16 => CarePeriod {
            start: between(rng, at(3), add_days(today, -30)),
            end: None,
        },
        Profile::Eligible => CarePeriod {
            start: between(rng, at(6), add_days(today, -100)),
            end: None,
        },
        Profile::NotYetEligible => CarePeriod {
            start: add_days(today, -rng.random_range(5..80)),
            end: None,
        },
        Profile::Relevant => {
            let end = between(rng, add_days(at(16), 100), add_days(today, -10));
            let start = between(rng, at(8), add_days(end, -120));
            let reason = leaving_reasons[rng.random_range(0..leaving_reasons.len())];
            CarePeriod {
                start,
                end: Some((end, reason)),
            }
        }
        Profile::FormerRelevant | Profile::FormerRelevant21To25 | Profile::Died => {
            let start = between(rng, at(5), add_days(at(18), -200));
            let end = if rng.random_bool(0.7) {
                // Stayed until 18: a third of those stay put with their foster carers.
                let reason = if rng.random_bool(0.35) {
                    ReasonEpisodeEnded::E17
                } else {
                    ReasonEpisodeEnded::E8
                };
                (at(18), reason)
            } else {
                let left = between(
                    rng,
                    add_days(at(16), 30).max(add_days(start, 120)),
                    add_days(at(18), -1),
                );
                (left, leaving_reasons[rng.random_range(0..leaving_reasons.len())])
            };
            CarePeriod { start, end: Some(end) }
        }
        Profile::Qualifying => {
            let latest = add_days(today.min(at(18)), -90);
            let start = between(rng, add_days(at(16), 1), latest);
            let end = add_days(start, rng.random_range(14..80));
            CarePeriod {
                start,
                end: Some((end, ReasonEpisodeEnded::E4A)),
            }
        }
    }
}

/// Splits a care period into episodes: placement moves and changes of legal status.
fn episodes(rng: &mut ChaCha8Rng, period: &CarePeriod, today: Date, uasc: bool) -> Vec<Episode> {
    let last_day = period.end.map_or(today, |(end, _)| end);
    let moves = rng.random_range(0..4usize);
    let mut cuts: Vec<Date> = (0..moves)
        .map(|_| between(rng, add_days(period.start, 1), add_days(last_day, -1)))
        .collect();
    cuts.sort();
    cuts.dedup();
    cuts.retain(|c| *c > period.start && *c < last_day);
    let mut bounds = vec![period.start];
    bounds.extend(cuts);
    let mut status = if uasc || rng.random_bool(0.25) {
        LegalStatus::V2
    } else if rng.random_bool(0.3) {
        LegalStatus::C1
    } else {
        LegalStatus::C2
    };
    let need = if uasc {
        "N8"
    } else {
        ["N1", "N1", "N1", "N2", "N4", "N5"][rng.random_range(0..6)]
    };
    let mut out = Vec::new();
    for (i, start) in bounds.iter().enumerate() {
        let next = bounds.get(i + 1).copied();
        let reason_new = if i == 0 {
            "S"
        } else if status == LegalStatus::C1 {
            status = LegalStatus::C2;
            "L"
        } else {
            "P"
        };
        let (placement, provider) = PLACEMENTS[rng.random_range(0..PLACEMENTS.len())];
        let mut episode = Episode {
            reason_new: Some(reason_new.into()),
            category_of_need: Some(need.into()),
            placement: Some(placement.into()),
            placement_provider: Some(provider.into()),
            home_postcode: Some(postcode(rng)),
            placement_postcode: Some(postcode(rng)),
            urn: Some(if placement == "K2" {
                format!("SC{:06}", rng.random_range(100_000..999_999))
            } else {
                "XXXXXXX".into()
            }),
            reason_place_change: (reason_new == "P")
                .then(|| ["CARPL", "CLOSE", "STAND", "CHILD"][rng.random_range(0..4)].into()),
            ..Episode::new(*start, None, status)
        };
        episode = match (next, period.end) {
            (Some(next), _) => episode.ended(next, ReasonEpisodeEnded::X1),
            (None, Some((end, reason))) => episode.ended(end, reason),
            (None, None) => episode,
        };
        out.push(episode);
    }
    out
}

const PLACEMENTS: [(&str, &str); 9] = [
    ("U1", "PR1"),
    ("U3", "PR1"),
    ("U4", "PR1"),
    ("U6", "PR4"),
    ("U6", "PR4"),
    ("K2", "PR4"),
    ("H5", "PR4"),
    ("P2", "PR1"),
    ("U5", "PR0"),
];

fn postcode(rng: &mut ChaCha8Rng) -> String {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    let letter = |rng: &mut ChaCha8Rng| char::from(LETTERS[rng.random_range(0..LETTERS.len())]);
    format!(
        "DS{} {}{}{}",
        rng.random_range(1..20),
        rng.random_range(1..10),
        letter(rng),
        letter(rng)
    )
}

fn young_person(
    rng: &mut ChaCha8Rng,
    n: usize,
    today: Date,
    rules: &LegalRules,
    teams: &[i64],
    advisers: &[Vec<i64>],
    next_adviser: &mut [usize],
) -> NewYoungPerson {
    let profile = pick_profile(rng);
    let ages = match profile {
        Profile::InCareUnder16 => 15..=15,
        Profile::Eligible | Profile::NotYetEligible | Profile::Relevant => 16..=17,
        Profile::FormerRelevant => 18..=20,
        Profile::FormerRelevant21To25 => 21..=24,
        Profile::Qualifying => 16..=20,
        Profile::Died => 18..=22,
    };
    let dob = date_of_birth(rng, today, ages, rules);
    let age = pathways_domain::dates::age_on(dob, today, rules.leap_day_birthday);
    let uasc = matches!(
        profile,
        Profile::NotYetEligible | Profile::Eligible | Profile::FormerRelevant
    ) && rng.random_bool(0.12);
    let mut period = care_period(rng, profile, dob, today, rules);
    if uasc {
        // Unaccompanied children mostly arrive at 15 to 17.
        let arrival = add_days(birthday(dob, 15, rules.leap_day_birthday), rng.random_range(0..600));
        let latest = period.end.map_or(add_days(today, -20), |(end, _)| add_days(end, -100));
        period.start = period.start.max(arrival.min(latest));
    }
    let episodes = episodes(rng, &period, today, uasc);
    let sex = if uasc || rng.random_bool(0.52) {
        Sex::Male
    } else {
        Sex::Female
    };
    let given_names = if sex == Sex::Male { MALE_NAMES } else { FEMALE_NAMES };
    let given = given_names[rng.random_range(0..given_names.len())];
    let family = FAMILY_NAMES[rng.random_range(0..FAMILY_NAMES.len())];
    let ethnicity = if uasc {
        [Ethnicity::Bafr, Ethnicity::Aoth, Ethnicity::Ooth, Ethnicity::Woth][rng.random_range(0..4)]
    } else {
        ETHNICITIES[rng.random_range(0..ETHNICITIES.len())]
    };
    let documents = key_documents(rng, age, today);
    let holds_ni = documents
        .iter()
        .any(|d| d.kind == KeyDocumentKind::NationalInsuranceNumber);
    let died_on = (profile == Profile::Died).then(|| {
        between(
            rng,
            add_days(birthday(dob, 18, rules.leap_day_birthday), 30),
            add_days(today, -10),
        )
    });
    let team_index = n % teams.len();
    let adviser = match profile {
        Profile::InCareUnder16 | Profile::Died => None,
        Profile::FormerRelevant21To25 | Profile::Qualifying if rng.random_bool(0.4) => None,
        _ if rng.random_bool(0.03) => None,
        _ => advisers.get(team_index).filter(|a| !a.is_empty()).map(|a| {
            let turn = next_adviser[team_index];
            next_adviser[team_index] = turn + 1;
            a[turn % a.len()]
        }),
    };
    let allocated_from = period
        .start
        .max(add_days(birthday(dob, 16, rules.leap_day_birthday), -90))
        .min(today);
    let allocation = (!rng.random_bool(0.02)).then(|| Allocation {
        team_id: teams[team_index],
        personal_adviser_id: adviser,
        from: allocated_from,
        // A death ends the allocation; the history stays.
        to: died_on.map(|died| died.max(allocated_from)),
        reason: if adviser.is_some() {
            "Allocated to a personal adviser"
        } else {
            "Referred to the team"
        }
        .into(),
    });
    NewYoungPerson {
        person: YoungPerson {
            local_id: format!("P{:06}", n + 1),
            child_id: ChildId::parse(&format!("DS{:06}", n + 1)).ok(),
            upn: (age < 19)
                .then(|| {
                    Upn::parse(&format!(
                        "D{:011}{}",
                        80_000_000_000u64 + n as u64,
                        ['A', 'B', 'C', 'D'][n % 4]
                    ))
                    .ok()
                })
                .flatten(),
            nhs_number: nhs_number(rng),
            ni_number: holds_ni
                .then(|| NiNumber::parse(&format!("QQ{:06}{}", n % 1_000_000, ['A', 'B', 'C', 'D'][n % 4])).ok())
                .flatten(),
            legal_name: PersonName {
                given: given.into(),
                family: family.into(),
            },
            preferred_name: rng
                .random_bool(0.12)
                .then(|| PREFERRED[rng.random_range(0..PREFERRED.len())].into()),
            date_of_birth: dob,
            sex,
            gender: None,
            ethnicity,
            uasc,
            disability: if rng.random_bool(0.1) {
                Disability::Yes
            } else {
                Disability::No
            },
            contact: ContactDetails {
                phone: (age >= 16).then(|| format!("07700 900{:03}", rng.random_range(0..1000))),
                email: (age >= 16)
                    .then(|| format!("{}.{}{}@example.com", given.to_lowercase(), family.to_lowercase(), n)),
                address: None,
                postcode: Some(postcode(rng)),
            },
            died_on,
            returned_home_on: None,
            detained_or_in_hospital_on_16th_birthday: false,
        },
        episodes,
        key_documents: documents,
        risk_flags: risk_flags(rng, age, today),
        history: practice_history(n, profile, dob, &period, today, rules),
        allocation,
    }
}

/// Practice so far for one demo young person: most are in time, some are not, so
/// task lists and compliance have something to show. A generator of its own per
/// person keeps the rest of the demo the same whatever is added here.
fn practice_history(
    n: usize,
    profile: Profile,
    dob: Date,
    period: &CarePeriod,
    today: Date,
    rules: &LegalRules,
) -> PracticeHistory {
    use pathways_domain::living::{AccommodationStay, AccommodationType as A, Activity, ActivitySpell};
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0000 + n as u64);
    let mut history = PracticeHistory::default();
    if !matches!(
        profile,
        Profile::Eligible | Profile::Relevant | Profile::FormerRelevant | Profile::FormerRelevant21To25
    ) {
        return history;
    }
    let sixteen = birthday(dob, 16, rules.leap_day_birthday);
    // Needs assessment: usually within the 3 months, sometimes late, now and then missing.
    let assessed = add_days(sixteen, rng.random_range(20..130));
    if assessed <= today && !rng.random_bool(0.04) {
        history.needs_assessments.push(assessed);
        // First plan a few weeks later, then reviews about every 6 months; a few lapse.
        let mut plan = add_days(assessed, rng.random_range(10..40));
        let lapses = rng.random_bool(0.12);
        while plan <= today {
            history.plans.push(plan);
            let next = add_days(plan, rng.random_range(150..182));
            if lapses && add_days(next, 200) > today {
                break;
            }
            plan = next;
        }
    }
    // Accommodation since leaving care (or now, for those still in care at 16-17).
    if let Some((left, _)) = period.end.filter(|(end, _)| *end <= today) {
        let kinds = [
            A::SemiIndependent,
            A::SupportedLodgings,
            A::IndependentLiving,
            A::StayingPut,
            A::Foyer,
        ];
        let mut start = left;
        let moves = match rng.random_range(0..100) {
            0..=5 => 4,
            6..=30 => 2,
            31..=60 => 1,
            _ => 0,
        };
        let mut starts = vec![start];
        for _ in 0..moves {
            let gap = pathways_domain::dates::days_between(start, today).max(2);
            start = add_days(start, rng.random_range(1..gap.min(400)));
            if start >= today {
                break;
            }
            starts.push(start);
        }
        for (i, from) in starts.iter().enumerate() {
            let kind = if i == 0 && rng.random_bool(0.3) {
                A::StayingPut
            } else {
                kinds[rng.random_range(0..kinds.len())]
            };
            history.accommodation.push(AccommodationStay {
                start: *from,
                end: starts.get(i + 1).copied(),
                kind,
                suitable: !rng.random_bool(0.08),
                arranged_by_council: rng.random_bool(0.7),
                address: None,
            });
        }
        // Statutory visits: the last one between 1 and 75 days ago (8 weeks is 56).
        let last = add_days(today, -rng.random_range(1..75)).max(left);
        if let Ok(at) = last
            .to_datetime(jiff::civil::time(11, 0, 0, 0))
            .to_zoned(jiff::tz::TimeZone::UTC)
        {
            history.visits.push(at.timestamp());
        }
    }
    // What they are doing now, in roughly the shares the seeds' councils report.
    let activity = match rng.random_range(0..100) {
        0..=24 => Activity::CollegeFe,
        25..=32 => Activity::SixthForm,
        33..=40 => Activity::University,
        41..=46 => Activity::Apprenticeship,
        47..=52 => Activity::EmploymentWithTraining,
        53..=58 => Activity::EmploymentWithoutTraining,
        59..=62 => Activity::Training,
        63..=74 => Activity::NeetNotReady,
        75..=82 => Activity::NeetOther,
        83..=88 => Activity::NeetIllnessOrDisability,
        89..=94 => Activity::NeetPregnancyOrParenting,
        95..=96 => Activity::NeetCustody,
        _ => Activity::NotAvailable,
    };
    let since = add_days(today, -rng.random_range(20..400)).max(sixteen);
    if since <= today {
        history.activity.push(ActivitySpell {
            start: since,
            end: None,
            activity,
            full_time: activity.is_eet() && rng.random_bool(0.8),
            detail: None,
        });
    }
    history
}

fn key_documents(rng: &mut ChaCha8Rng, age: i16, today: Date) -> Vec<KeyDocument> {
    let chance = |base: f64| {
        if age >= 18 {
            base
        } else if age >= 17 {
            base * 0.7
        } else {
            base * 0.35
        }
    };
    let mut out = Vec::new();
    for (kind, base) in [
        (KeyDocumentKind::NationalInsuranceNumber, 0.9),
        (KeyDocumentKind::BirthCertificate, 0.85),
        (KeyDocumentKind::PassportOrId, 0.55),
        (KeyDocumentKind::BankAccount, 0.8),
    ] {
        if rng.random_bool(chance(base)) {
            out.push(KeyDocument {
                kind,
                held_since: Some(add_days(today, -rng.random_range(30..1500))),
            });
        }
    }
    out
}

fn risk_flags(rng: &mut ChaCha8Rng, age: i16, today: Date) -> Vec<RiskFlag> {
    let mut out = Vec::new();
    for (kind, chance) in [
        (RiskFlagKind::Missing, 0.08),
        (RiskFlagKind::ChildSexualExploitation, 0.04),
        (RiskFlagKind::SubstanceMisuse, 0.09),
        (RiskFlagKind::Parenting, if age >= 18 { 0.08 } else { 0.02 }),
        (RiskFlagKind::MentalHealth, 0.12),
        (RiskFlagKind::Custody, 0.03),
    ] {
        if rng.random_bool(chance) {
            let from = add_days(today, -rng.random_range(10..900));
            let to = rng
                .random_bool(0.4)
                .then(|| add_days(from, rng.random_range(5..200)).min(today));
            out.push(RiskFlag { kind, from, to });
        }
    }
    out
}

fn nhs_number(rng: &mut ChaCha8Rng) -> Option<NhsNumber> {
    // Test-range NHS numbers start with 999.
    let digits: String = (0..6).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect();
    (0..10).find_map(|check| NhsNumber::parse(&format!("999{digits}{check}")).ok())
}

const MALE_NAMES: &[&str] = &[
    "Aaron", "Abdi", "Ahmed", "Alfie", "Amir", "Ben", "Callum", "Connor", "Daniel", "Dylan", "Ethan", "Finley",
    "Harvey", "Hassan", "Isaac", "Jack", "Jayden", "Jordan", "Kai", "Kian", "Liam", "Logan", "Luca", "Mason",
    "Mohammed", "Noah", "Oliver", "Reece", "Riley", "Ryan", "Samuel", "Tariq", "Tyler", "Yonas", "Zain",
];
const FEMALE_NAMES: &[&str] = &[
    "Aaliyah",
    "Amber",
    "Amelia",
    "Aisha",
    "Bethany",
    "Chantelle",
    "Chloe",
    "Courtney",
    "Demi",
    "Eden",
    "Ella",
    "Ellie",
    "Emily",
    "Freya",
    "Grace",
    "Hannah",
    "Isla",
    "Jade",
    "Jasmine",
    "Kayla",
    "Leah",
    "Lily",
    "Maya",
    "Megan",
    "Mia",
    "Nadia",
    "Olivia",
    "Paige",
    "Phoebe",
    "Rosie",
    "Ruby",
    "Sophie",
    "Tia",
    "Yasmin",
    "Zara",
];
const PREFERRED: &[&str] = &[
    "Jo", "Sam", "Alex", "Charlie", "Frankie", "Max", "Ash", "Bex", "Mo", "Jay",
];
const FAMILY_NAMES: &[&str] = &[
    "Adams", "Ahmed", "Ali", "Bailey", "Begum", "Bennett", "Brown", "Campbell", "Clarke", "Cooper", "Davies",
    "Edwards", "Evans", "Fisher", "Green", "Hall", "Haile", "Harris", "Hughes", "Hussain", "Jackson", "James",
    "Johnson", "Jones", "Kaur", "Khan", "Lewis", "Mensah", "Mitchell", "Moore", "Morgan", "Murphy", "Nowak", "Okafor",
    "Owen", "Patel", "Phillips", "Price", "Roberts", "Robinson", "Scott", "Shah", "Singh", "Smith", "Taylor", "Thomas",
    "Thompson", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Yilmaz",
    "Young",
];
const STAFF_NAMES: &[(&str, &str)] = &[
    ("Sarah", "Ashworth"),
    ("Imran", "Bashir"),
    ("Claire", "Dunmore"),
    ("Tom", "Fairbairn"),
    ("Priya", "Gill"),
    ("Mark", "Holden"),
    ("Joanne", "Iqbal"),
    ("Lee", "Jarvis"),
    ("Helen", "Kershaw"),
    ("Femi", "Lawal"),
    ("Rachel", "Marsden"),
    ("Gareth", "Nuttall"),
    ("Aisha", "Osei"),
    ("Paul", "Pickering"),
    ("Nadia", "Quinn"),
    ("Steve", "Rahman"),
    ("Louise", "Sutcliffe"),
    ("Dev", "Thakrar"),
    ("Karen", "Umpleby"),
    ("Kwame", "Vance"),
    ("Emma", "Whitworth"),
    ("Ravi", "Xavier"),
    ("Jenny", "Yates"),
    ("Oskar", "Zielinski"),
    ("Beth", "Allerton"),
    ("Hamid", "Bukhari"),
    ("Natalie", "Crossley"),
    ("Chris", "Dobson"),
    ("Fiona", "Entwistle"),
    ("Yusuf", "Farah"),
    ("Gemma", "Greenhalgh"),
    ("Dan", "Howarth"),
];
const ETHNICITIES: &[Ethnicity] = &[
    Ethnicity::Wbri,
    Ethnicity::Wbri,
    Ethnicity::Wbri,
    Ethnicity::Wbri,
    Ethnicity::Wbri,
    Ethnicity::Wbri,
    Ethnicity::Wbri,
    Ethnicity::Woth,
    Ethnicity::Wiri,
    Ethnicity::Mwbc,
    Ethnicity::Mwba,
    Ethnicity::Mwas,
    Ethnicity::Moth,
    Ethnicity::Apkn,
    Ethnicity::Aind,
    Ethnicity::Aban,
    Ethnicity::Bcrb,
    Ethnicity::Bafr,
    Ethnicity::Chne,
    Ethnicity::Ooth,
    Ethnicity::Wrom,
];
