//! Recording contacts and visits, and reading a young person's contact history.

use crate::clock::{Clock, london};
use crate::records::editable;
use crate::{FormError, Result};
use jiff::civil::{Date, Time};
use pathways_domain::contacts::{Contact, ContactOutcome, ContactType};
use pathways_domain::staff::StaffMember;
use pathways_store::Store;

/// A contact as the form sends it; the web layer reads the date boxes.
#[derive(Debug, Clone, Default)]
pub struct ContactForm {
    pub date: Option<Date>,
    /// `HH:MM`, 24-hour; blank for "time not recorded" (taken as midday).
    pub time: String,
    pub contact_type: String,
    pub outcome: String,
    pub seen_alone: String,
    pub location: String,
    pub present: String,
    pub summary: String,
    pub statutory_visit: bool,
}

/// The longest summary kept.
pub const MAX_SUMMARY: usize = 10_000;

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Checks a contact form against `now` (contacts cannot be in the future).
pub fn check_contact(
    form: &ContactForm,
    now: jiff::Timestamp,
) -> std::result::Result<Contact, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let time = match form.time.trim() {
        "" => Some(Time::constant(12, 0, 0, 0)),
        text => {
            let parsed = text
                .parse::<Time>()
                .ok()
                .filter(|_| text.len() == 5 && text.as_bytes()[2] == b':');
            if parsed.is_none() {
                errors.push(("time", "Enter the time as hours and minutes, like 14:30".to_owned()));
            }
            parsed
        }
    };
    let occurred_at = match (form.date, time) {
        (None, _) => {
            errors.push(("date-day", "Enter the date of the contact".to_owned()));
            None
        }
        (Some(date), Some(time)) => date.to_datetime(time).to_zoned(london()).ok().map(|z| z.timestamp()),
        (Some(_), None) => None,
    };
    if occurred_at.is_some_and(|at| at > now) {
        errors.push(("date-day", "The contact must be now or in the past".to_owned()));
    }
    let contact_type = ContactType::parse(&form.contact_type);
    if contact_type.is_none() {
        errors.push(("contact_type", "Select how the contact happened".to_owned()));
    }
    let outcome = ContactOutcome::parse(&form.outcome);
    if outcome.is_none() {
        errors.push(("outcome", "Select whether the young person was seen".to_owned()));
    }
    let seen_alone = match form.seen_alone.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let summary = form.summary.trim();
    if summary.is_empty() {
        errors.push(("summary", "Enter what happened, or why the attempt failed".to_owned()));
    } else if summary.chars().count() > MAX_SUMMARY {
        errors.push(("summary", format!("Summary must be {MAX_SUMMARY} characters or fewer")));
    }
    let face_to_face_and_seen =
        contact_type.is_some_and(ContactType::is_face_to_face) && outcome == Some(ContactOutcome::Seen);
    if form.statutory_visit && !face_to_face_and_seen {
        errors.push((
            "statutory_visit",
            "Only a home or office visit where the young person was seen can count as a statutory visit".to_owned(),
        ));
    }
    let (Some(occurred_at), Some(contact_type), Some(outcome), true) =
        (occurred_at, contact_type, outcome, errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(Contact {
        occurred_at,
        contact_type,
        outcome,
        seen_alone: seen_alone.filter(|_| outcome == ContactOutcome::Seen),
        location: optional(&form.location),
        present: optional(&form.present),
        summary: summary.to_owned(),
        statutory_visit: form.statutory_visit,
    })
}

/// Records a contact with a young person whose record `staff` may change.
pub async fn record_contact(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    form: &ContactForm,
) -> Result<i64, FormError> {
    editable(store, staff, id).await?;
    let contact = check_contact(form, clock.now()).map_err(FormError::Invalid)?;
    Ok(store.insert_contact(id, &contact, staff.id, clock.now()).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn now() -> jiff::Timestamp {
        "2026-11-26T10:00:00Z".parse().unwrap()
    }

    fn form() -> ContactForm {
        ContactForm {
            date: Some(date(2026, 11, 25)),
            time: "14:30".into(),
            contact_type: "home_visit".into(),
            outcome: "seen".into(),
            seen_alone: "yes".into(),
            summary: "Talked about college and the flat.".into(),
            statutory_visit: true,
            ..ContactForm::default()
        }
    }

    #[test]
    fn a_home_visit_is_recorded_at_london_time() {
        let contact = check_contact(&form(), now()).unwrap();
        assert_eq!(
            contact.occurred_at.to_string(),
            "2026-11-25T14:30:00Z",
            "GMT in November"
        );
        let summer = ContactForm {
            date: Some(date(2026, 7, 1)),
            ..form()
        };
        assert_eq!(
            check_contact(&summer, now()).unwrap().occurred_at.to_string(),
            "2026-07-01T13:30:00Z",
            "BST"
        );
        assert_eq!(contact.seen_alone, Some(true));
    }

    #[test]
    fn mistakes_are_named_by_field() {
        let cases = [
            (
                ContactForm {
                    date: Some(date(2026, 11, 27)),
                    ..form()
                },
                "date-day",
            ),
            (
                ContactForm {
                    date: Some(date(2026, 11, 26)),
                    time: "10:30".into(),
                    ..form()
                },
                "date-day",
            ),
            (
                ContactForm {
                    time: "2pm".into(),
                    ..form()
                },
                "time",
            ),
            (
                ContactForm {
                    contact_type: String::new(),
                    statutory_visit: false,
                    ..form()
                },
                "contact_type",
            ),
            (
                ContactForm {
                    summary: " ".into(),
                    ..form()
                },
                "summary",
            ),
            (
                ContactForm {
                    contact_type: "phone".into(),
                    ..form()
                },
                "statutory_visit",
            ),
            (
                ContactForm {
                    outcome: "failed".into(),
                    ..form()
                },
                "statutory_visit",
            ),
        ];
        for (form, field) in cases {
            let errors = check_contact(&form, now()).unwrap_err();
            assert_eq!(errors[0].0, field, "{form:?}: {errors:?}");
        }
        let failed = ContactForm {
            outcome: "failed".into(),
            statutory_visit: false,
            ..form()
        };
        let contact = check_contact(&failed, now()).unwrap();
        assert!(!contact.made_contact());
        assert_eq!(contact.seen_alone, None, "seen alone only applies when seen");
    }
}
