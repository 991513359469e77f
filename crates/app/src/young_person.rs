//! Reading a young person's record.

use crate::access::{Placement, can_edit, can_read, can_see_audit_trail};
use crate::clock::Clock;
use crate::{AppError, Result};
use pathways_domain::dates::age_on;
use pathways_domain::legal::{Determination, LegalRules, legal_category};
use pathways_domain::staff::StaffMember;
use pathways_store::{AuditEntry, AuditRecord, Store, YoungPersonRecord};

/// How many contacts the record page shows.
pub const CONTACTS_SHOWN: i64 = 50;

/// How many audit entries the record page shows.
pub const AUDIT_TRAIL_LENGTH: i64 = 50;

/// A young person's record as a member of staff sees it.
#[derive(Debug, Clone)]
pub struct YoungPersonView {
    pub record: YoungPersonRecord,
    pub age: i16,
    pub category: Determination,
    /// Present only for roles that may see who viewed and changed the record.
    pub audit_trail: Option<Vec<AuditRecord>>,
    pub can_edit: bool,
    /// May change who the young person is allocated to.
    pub can_allocate: bool,
    /// The latest contacts, newest first.
    pub contacts: Vec<pathways_store::ContactRecord>,
}

/// Where a young person is allocated now, for access checks.
pub async fn placement_of(store: &Store, young_person_id: i64) -> Result<Option<Placement>> {
    Ok(store
        .current_allocation(young_person_id)
        .await?
        .map(|(team_id, personal_adviser_id)| Placement {
            team_id,
            personal_adviser_id,
        }))
}

/// Opens a young person's record on `page`. Every attempt is audited, including
/// one refused for scope, which answers exactly as a record that does not exist.
pub async fn view_young_person(
    store: &Store,
    clock: &dyn Clock,
    rules: &LegalRules,
    staff: &StaffMember,
    young_person_id: i64,
    page: &str,
) -> Result<YoungPersonView> {
    let placement = placement_of(store, young_person_id).await?;
    let exists = store.young_person_exists(young_person_id).await?;
    let allowed = exists && can_read(staff, placement);
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: if allowed {
            "view_young_person"
        } else {
            "view_young_person_refused"
        }
        .into(),
        young_person_id: exists.then_some(young_person_id),
        detail: if exists {
            page.to_owned()
        } else {
            format!("{page}: no young person {young_person_id}")
        },
    };
    store.record_audit(&entry, clock.now()).await?;
    if !allowed {
        return Err(AppError::NotFound);
    }
    let record = store.young_person(young_person_id).await?.ok_or(AppError::NotFound)?;
    let today = clock.today();
    let category = legal_category(&record.person.leaving_care_facts(&record.episodes), today, rules);
    let audit_trail = if can_see_audit_trail(staff) {
        Some(store.audit_trail(young_person_id, AUDIT_TRAIL_LENGTH).await?)
    } else {
        None
    };
    Ok(YoungPersonView {
        age: age_on(record.person.date_of_birth, today, rules.leap_day_birthday),
        category,
        audit_trail,
        can_edit: can_edit(staff, placement),
        contacts: store.contacts_of(young_person_id, CONTACTS_SHOWN).await?,
        can_allocate: staff
            .team_id
            .or(placement.map(|p| p.team_id))
            .is_some_and(|team| crate::team::may_allocate(staff, placement, team)),
        record,
    })
}
