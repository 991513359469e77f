//! Adding and editing young people's records and their care episodes. Checks
//! happen here, on plain form values; the web layer only parses dates.

use crate::access::{Placement, can_edit, can_read};
use crate::clock::Clock;
use crate::young_person::placement_of;
use crate::{FormError, Result};
use jiff::civil::Date;
use pathways_domain::care::Episode;
use pathways_domain::codes::{Ethnicity, LegalStatus, ReasonEpisodeEnded, Sex};
use pathways_domain::dates::gov_uk;
use pathways_domain::ids::{ChildId, NhsNumber, NiNumber, Upn};
use pathways_domain::people::{ContactDetails, Disability, PersonName, YoungPerson};
use pathways_domain::staff::{Allocation, Role, StaffMember};
use pathways_store::{NewYoungPerson, Store};

type FieldErrors = Vec<(&'static str, String)>;

/// A young person's details as the form sends them.
#[derive(Debug, Clone, Default)]
pub struct PersonForm {
    pub given_name: String,
    pub family_name: String,
    pub preferred_name: String,
    /// `None` when the date boxes were empty; the web layer reports unreadable dates.
    pub date_of_birth: Option<Date>,
    pub sex: String,
    pub ethnicity: String,
    pub uasc: String,
    pub disability: String,
    pub child_id: String,
    pub upn: String,
    pub nhs_number: String,
    pub ni_number: String,
    pub phone: String,
    pub email: String,
    pub postcode: String,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn parse_optional<T, E: std::fmt::Display>(
    errors: &mut FieldErrors,
    field: &'static str,
    text: &str,
    parse: impl Fn(&str) -> std::result::Result<T, E>,
) -> Option<T> {
    let text = optional(text)?;
    parse(&text)
        .map_err(|e| errors.push((field, capitalise(&e.to_string()))))
        .ok()
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

fn required_name(errors: &mut FieldErrors, field: &'static str, text: &str, what: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        errors.push((field, format!("Enter the young person's {what}")));
    } else if text.chars().count() > 100 {
        errors.push((field, format!("{} must be 100 characters or fewer", capitalise(what))));
    }
    text.to_owned()
}

/// Checks the form into a young person, keeping what the form does not edit from
/// `base`. All problems are returned together, each with its field.
pub fn check_person(
    form: &PersonForm,
    today: Date,
    base: Option<&YoungPerson>,
) -> std::result::Result<YoungPerson, FieldErrors> {
    let mut errors = Vec::new();
    let given = required_name(&mut errors, "given_name", &form.given_name, "first name");
    let family = required_name(&mut errors, "family_name", &form.family_name, "last name");
    match form.date_of_birth {
        None => errors.push(("dob-day", "Enter the date of birth".to_owned())),
        Some(dob) if dob > today => errors.push(("dob-day", "Date of birth must be in the past".to_owned())),
        Some(dob) if dob < jiff::civil::date(1990, 1, 1) => {
            errors.push(("dob-day", "Date of birth must be after 1 January 1990".to_owned()));
        }
        Some(_) => {}
    }
    let sex = Sex::parse(&form.sex)
        .map_err(|_| errors.push(("sex", "Select sex as recorded".into())))
        .ok();
    let ethnicity = Ethnicity::parse(&form.ethnicity)
        .map_err(|_| errors.push(("ethnicity", "Select ethnicity".into())))
        .ok();
    let uasc = match form.uasc.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push((
                "uasc",
                "Select whether they are an unaccompanied asylum-seeking child".into(),
            ));
            None
        }
    };
    let disability = Disability::parse(&form.disability);
    if disability.is_none() {
        errors.push(("disability", "Select whether they have a disability".into()));
    }
    let child_id = parse_optional(&mut errors, "child_id", &form.child_id, ChildId::parse);
    let upn = parse_optional(&mut errors, "upn", &form.upn, Upn::parse);
    let nhs_number = parse_optional(&mut errors, "nhs_number", &form.nhs_number, NhsNumber::parse);
    let ni_number = parse_optional(&mut errors, "ni_number", &form.ni_number, NiNumber::parse);
    let email = optional(&form.email);
    if email.as_ref().is_some_and(|e| !e.contains('@') || e.len() > 254) {
        errors.push((
            "email",
            "Enter an email address in the correct format, like name@example.com".into(),
        ));
    }
    let phone = optional(&form.phone);
    if phone
        .as_ref()
        .is_some_and(|p| p.len() > 20 || !p.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)))
    {
        errors.push(("phone", "Enter a phone number, like 07700 900 982".into()));
    }
    let (Some(date_of_birth), Some(sex), Some(ethnicity), Some(uasc), Some(disability), true) =
        (form.date_of_birth, sex, ethnicity, uasc, disability, errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(YoungPerson {
        local_id: base.map(|b| b.local_id.clone()).unwrap_or_default(),
        child_id,
        upn,
        nhs_number,
        ni_number,
        legal_name: PersonName { given, family },
        preferred_name: optional(&form.preferred_name),
        date_of_birth,
        sex,
        gender: base.and_then(|b| b.gender.clone()),
        ethnicity,
        uasc,
        disability,
        contact: ContactDetails {
            phone,
            email,
            address: base.and_then(|b| b.contact.address.clone()),
            postcode: optional(&form.postcode).map(|p| p.to_uppercase()),
        },
        died_on: base.and_then(|b| b.died_on),
        returned_home_on: base.and_then(|b| b.returned_home_on),
        detained_or_in_hospital_on_16th_birthday: base.is_some_and(|b| b.detained_or_in_hospital_on_16th_birthday),
    })
}

impl PersonForm {
    /// The form filled in from a record, for editing.
    pub fn of(person: &YoungPerson) -> Self {
        let text = |v: Option<String>| v.unwrap_or_default();
        PersonForm {
            given_name: person.legal_name.given.clone(),
            family_name: person.legal_name.family.clone(),
            preferred_name: text(person.preferred_name.clone()),
            date_of_birth: Some(person.date_of_birth),
            sex: person.sex.code().into(),
            ethnicity: person.ethnicity.code().into(),
            uasc: if person.uasc { "yes" } else { "no" }.into(),
            disability: person.disability.code().into(),
            child_id: text(person.child_id.as_ref().map(ToString::to_string)),
            upn: text(person.upn.as_ref().map(ToString::to_string)),
            nhs_number: text(person.nhs_number.as_ref().map(ToString::to_string)),
            ni_number: text(person.ni_number.as_ref().map(ToString::to_string)),
            phone: text(person.contact.phone.clone()),
            email: text(person.contact.email.clone()),
            postcode: text(person.contact.postcode.clone()),
        }
    }
}

/// Someone already recorded who may be the same young person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleDuplicate {
    /// Present when the member of staff may open the record.
    pub id: Option<i64>,
    pub name: String,
    pub date_of_birth: Date,
}

/// Same first letter of the first name and the same start of the last name, or
/// either name the same: a deliberately wide net, since a missed duplicate splits a
/// young person's history in two.
fn similar_names(a: &PersonName, b: &PersonName) -> bool {
    let lower = |s: &str| s.trim().to_lowercase();
    let (ag, af, bg, bf) = (lower(&a.given), lower(&a.family), lower(&b.given), lower(&b.family));
    let start = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    ag == bg || af == bf || (start(&ag, 1) == start(&bg, 1) && start(&af, 3) == start(&bf, 3))
}

/// Whether `staff` may add young people, and into which teams.
pub fn may_add(staff: &StaffMember) -> bool {
    staff.active && matches!(staff.role, Role::TeamManager | Role::ServiceManager)
}

/// What adding a young person did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    Added(i64),
    /// Not saved: these look like the same young person. Ask, then send again confirmed.
    PossibleDuplicates(Vec<PossibleDuplicate>),
}

/// Adds a young person, allocated to `team_id` (a team manager's own team), after
/// checking for likely duplicates unless `confirmed_new`.
pub async fn add_young_person(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    form: &PersonForm,
    team_id: Option<i64>,
    confirmed_new: bool,
) -> std::result::Result<Added, FormError> {
    if !may_add(staff) {
        return Err(FormError::NotFound);
    }
    let today = clock.today();
    let mut errors = Vec::new();
    let team_id = match (staff.role, team_id) {
        (Role::TeamManager, _) => staff.team_id,
        (_, Some(team)) if store.teams().await?.iter().any(|t| t.id == team) => Some(team),
        _ => None,
    };
    if team_id.is_none() {
        errors.push(("team", "Select the team the young person joins".to_owned()));
    }
    let (person, team_id) = match (check_person(form, today, None), team_id) {
        (Ok(person), Some(team_id)) => (person, team_id),
        (checked, _) => {
            let mut all = checked.err().unwrap_or_default();
            all.extend(errors);
            return Err(FormError::Invalid(all));
        }
    };
    if !confirmed_new {
        let mut duplicates = Vec::new();
        for (id, other, team) in store.born_on(person.date_of_birth, 50).await? {
            if similar_names(&person.legal_name, &other.legal_name) {
                let placement = team.map(|team_id| Placement {
                    team_id,
                    personal_adviser_id: None,
                });
                duplicates.push(PossibleDuplicate {
                    id: can_read(staff, placement).then_some(id),
                    name: other.display_name(),
                    date_of_birth: other.date_of_birth,
                });
            }
        }
        if !duplicates.is_empty() {
            return Ok(Added::PossibleDuplicates(duplicates));
        }
    }
    let new = NewYoungPerson {
        person,
        episodes: Vec::new(),
        key_documents: Vec::new(),
        risk_flags: Vec::new(),
        allocation: Some(Allocation {
            team_id,
            personal_adviser_id: None,
            from: today,
            to: None,
            reason: "Added to Pathways".into(),
        }),
        history: Default::default(),
    };
    let ids = store
        .insert_young_people(&[new], Some(staff.id), "added", clock.now())
        .await?;
    ids.first().copied().map(Added::Added).ok_or(FormError::NotFound)
}

/// Records that a young person has died. Their allocation ends; the record stays
/// with the team, read-only for their former personal adviser.
pub async fn record_death(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    version: i64,
    died_on: Option<Date>,
) -> std::result::Result<(), FormError> {
    let record = editable(store, staff, id).await?;
    let invalid = |message: String| Err(FormError::Invalid(vec![("died-day", message)]));
    let on = match (record.person.died_on, died_on) {
        (Some(on), _) => return invalid(format!("A death on {} is already recorded", gov_uk(on))),
        (None, None) => return invalid("Enter the date they died".to_owned()),
        (None, Some(on)) if on > clock.today() => return invalid("The date must be today or in the past".to_owned()),
        (None, Some(on)) if on < record.person.date_of_birth => {
            return invalid("The date must be on or after their date of birth".to_owned());
        }
        (None, Some(on)) => on,
    };
    Ok(store.record_death(id, version, on, staff.id, clock.now()).await?)
}

/// The record to edit, if `staff` may change it.
pub async fn editable(
    store: &Store,
    staff: &StaffMember,
    id: i64,
) -> Result<pathways_store::YoungPersonRecord, FormError> {
    let placement = placement_of(store, id).await?;
    if !can_edit(staff, placement) {
        return Err(FormError::NotFound);
    }
    store.young_person(id).await?.ok_or(FormError::NotFound)
}

/// Saves edited details; refused if someone saved the record since `version`.
pub async fn edit_young_person(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    version: i64,
    form: &PersonForm,
) -> std::result::Result<(), FormError> {
    let record = editable(store, staff, id).await?;
    let person = check_person(form, clock.today(), Some(&record.person)).map_err(FormError::Invalid)?;
    store
        .update_young_person(id, version, &person, staff.id, clock.now())
        .await?;
    Ok(())
}

/// An episode of care as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct EpisodeForm {
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub legal_status: String,
    pub placement: String,
    pub reason_ended: String,
}

/// Checks an episode against the form rules and the young person's other episodes.
pub fn check_episode(
    form: &EpisodeForm,
    today: Date,
    person: &YoungPerson,
    others: &[Episode],
) -> std::result::Result<Episode, FieldErrors> {
    let mut errors = Vec::new();
    match form.start {
        None => errors.push(("start-day", "Enter the date the episode started".to_owned())),
        Some(start) if start > today => {
            errors.push(("start-day", "Start date must be today or in the past".to_owned()))
        }
        Some(start) if start < person.date_of_birth => {
            errors.push((
                "start-day",
                "Start date must be on or after the date of birth".to_owned(),
            ));
        }
        Some(_) => {}
    }
    if let (Some(start), Some(end)) = (form.start, form.end)
        && end < start
    {
        errors.push(("end-day", "End date must be on or after the start date".to_owned()));
    }
    if form.end.is_some_and(|end| end > today) {
        errors.push(("end-day", "End date must be today or in the past".to_owned()));
    }
    let legal_status = LegalStatus::parse(&form.legal_status)
        .map_err(|_| errors.push(("legal_status", "Select the legal status".into())))
        .ok();
    let reason_ended = match (form.end, form.reason_ended.trim()) {
        (Some(_), "") => {
            errors.push(("reason_ended", "Select why the episode ended".to_owned()));
            None
        }
        (None, "") => None,
        (None, _) => {
            errors.push((
                "reason_ended",
                "Enter the end date, or leave the reason blank while the episode continues".to_owned(),
            ));
            None
        }
        (Some(_), code) => ReasonEpisodeEnded::parse(code)
            .map_err(|_| errors.push(("reason_ended", "Select why the episode ended".into())))
            .ok(),
    };
    if let Some(start) = form.start {
        let end = form.end.unwrap_or(Date::MAX);
        let overlaps = others
            .iter()
            .any(|o| o.start < end && start < o.end.unwrap_or(Date::MAX));
        if overlaps {
            errors.push((
                "start-day",
                "This episode overlaps another episode of care: check the dates".to_owned(),
            ));
        }
    }
    let (Some(start), Some(legal_status), true) = (form.start, legal_status, errors.is_empty()) else {
        return Err(errors);
    };
    let mut episode = Episode::new(start, form.end, legal_status);
    episode.placement = optional(&form.placement).map(|p| p.to_uppercase());
    episode.reason_ended = reason_ended;
    Ok(episode)
}

/// Adds an episode of care to a record `staff` may change.
pub async fn add_episode(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    form: &EpisodeForm,
) -> std::result::Result<(), FormError> {
    let record = editable(store, staff, id).await?;
    let episode = check_episode(form, clock.today(), &record.person, &record.episodes).map_err(FormError::Invalid)?;
    store.insert_episode(id, &episode, staff.id, clock.now()).await?;
    Ok(())
}

/// Changes one episode of care, if nobody saved the record since `version`.
pub async fn edit_episode(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    episode_id: i64,
    version: i64,
    form: &EpisodeForm,
) -> std::result::Result<(), FormError> {
    let record = editable(store, staff, id).await?;
    let others: Vec<Episode> = record
        .episodes
        .iter()
        .zip(&record.episode_ids)
        .filter(|(_, other)| **other != episode_id)
        .map(|(e, _)| e.clone())
        .collect();
    if others.len() == record.episodes.len() {
        return Err(FormError::NotFound);
    }
    let episode = check_episode(form, clock.today(), &record.person, &others).map_err(FormError::Invalid)?;
    store
        .update_episode(id, episode_id, version, &episode, staff.id, clock.now())
        .await?;
    Ok(())
}

impl EpisodeForm {
    /// The form filled in from an episode, for editing.
    pub fn of(episode: &Episode) -> Self {
        EpisodeForm {
            start: Some(episode.start),
            end: episode.end,
            legal_status: episode.legal_status.code().into(),
            placement: episode.placement.clone().unwrap_or_default(),
            reason_ended: episode.reason_ended.map(|r| r.code().to_owned()).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn form() -> PersonForm {
        PersonForm {
            given_name: "Jordan".into(),
            family_name: "Okafor".into(),
            date_of_birth: Some(date(2008, 2, 29)),
            sex: "F".into(),
            ethnicity: "BAFR".into(),
            uasc: "no".into(),
            disability: "no".into(),
            ..PersonForm::default()
        }
    }

    #[test]
    fn a_complete_form_makes_a_young_person() {
        let person = check_person(
            &PersonForm {
                nhs_number: "943 476 5919".into(),
                ..form()
            },
            date(2026, 11, 26),
            None,
        )
        .unwrap();
        assert_eq!(person.legal_name.family, "Okafor");
        assert_eq!(person.nhs_number.map(String::from), Some("9434765919".into()));
    }

    #[test]
    fn every_mistake_is_reported_with_its_field() {
        let bad = PersonForm {
            given_name: " ".into(),
            date_of_birth: Some(date(2027, 1, 1)),
            sex: "X".into(),
            nhs_number: "123".into(),
            email: "nope".into(),
            ..form()
        };
        let errors = check_person(&bad, date(2026, 11, 26), None).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["given_name", "dob-day", "sex", "nhs_number", "email"]);
        assert!(
            errors[3].1.starts_with("NHS number must be 10 digits"),
            "{}",
            errors[3].1
        );
    }

    #[test]
    fn similar_names_catch_likely_duplicates() {
        let name = |g: &str, f: &str| PersonName {
            given: g.into(),
            family: f.into(),
        };
        assert!(similar_names(&name("Jordan", "Okafor"), &name("jordan", "Smith")));
        assert!(similar_names(&name("Jordan", "Okafor"), &name("Jo", "Okafor")));
        assert!(similar_names(&name("Jordan", "Okafor"), &name("Jordon", "Okafur")));
        assert!(!similar_names(&name("Jordan", "Okafor"), &name("Amy", "Smith")));
    }

    #[test]
    fn episodes_must_not_overlap_or_end_before_they_start() {
        let person = check_person(&form(), date(2026, 11, 26), None).unwrap();
        let existing = [Episode::new(date(2024, 1, 1), Some(date(2024, 6, 1)), LegalStatus::C2)];
        let episode = |start, end: Option<Date>, rec: &str| EpisodeForm {
            start: Some(start),
            end,
            legal_status: "V2".into(),
            placement: "u1".into(),
            reason_ended: rec.into(),
        };
        let ok = check_episode(
            &episode(date(2024, 6, 1), None, ""),
            date(2026, 11, 26),
            &person,
            &existing,
        )
        .unwrap();
        assert_eq!(ok.placement.as_deref(), Some("U1"));
        let cases = [
            (episode(date(2024, 5, 1), None, ""), "start-day"),
            (episode(date(2025, 5, 1), Some(date(2025, 4, 1)), "E8"), "end-day"),
            (episode(date(2025, 5, 1), Some(date(2025, 6, 1)), ""), "reason_ended"),
            (episode(date(2025, 5, 1), None, "E8"), "reason_ended"),
            (episode(date(2027, 1, 1), None, ""), "start-day"),
            (episode(date(2007, 1, 1), Some(date(2007, 2, 1)), "E8"), "start-day"),
        ];
        for (form, field) in cases {
            let errors = check_episode(&form, date(2026, 11, 26), &person, &existing).unwrap_err();
            assert_eq!(errors[0].0, field, "{form:?}: {errors:?}");
        }
    }
}
