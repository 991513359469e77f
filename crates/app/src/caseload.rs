//! A personal adviser's caseload: the young people allocated to them, each with
//! age and legal category as at today.

use crate::Result;
use crate::clock::Clock;
use jiff::civil::Date;
use pathways_domain::dates::age_on;
use pathways_domain::legal::{Determination, LegalRules, legal_category};
use pathways_domain::people::RiskFlagKind;
use pathways_domain::staff::StaffMember;
use pathways_store::{AuditEntry, Store};

/// The most young people one caseload page lists (caseloads are 20 to 40).
pub const CASELOAD_PAGE: i64 = 100;

/// One row of a caseload.
#[derive(Debug, Clone)]
pub struct CaseloadEntry {
    pub id: i64,
    pub name: String,
    pub date_of_birth: Date,
    pub age: i16,
    pub category: Determination,
    pub risk_flags: Vec<RiskFlagKind>,
}

/// The caseload of `staff` as at today. Viewing it is audited (one entry for the list).
pub async fn my_caseload(
    store: &Store,
    clock: &dyn Clock,
    rules: &LegalRules,
    staff: &StaffMember,
) -> Result<Vec<CaseloadEntry>> {
    if !staff.active || !staff.role.reads_records() {
        return Err(crate::AppError::NotFound);
    }
    let today = clock.today();
    let records = store.caseload(staff.id, CASELOAD_PAGE, 0).await?;
    let entries = records
        .into_iter()
        .map(|r| CaseloadEntry {
            id: r.id,
            name: r.person.display_name(),
            date_of_birth: r.person.date_of_birth,
            age: age_on(r.person.date_of_birth, today, rules.leap_day_birthday),
            category: legal_category(&r.person.leaving_care_facts(&r.episodes), today, rules),
            risk_flags: r
                .risk_flags
                .iter()
                .filter(|f| f.is_active_on(today))
                .map(|f| f.kind)
                .collect(),
        })
        .collect();
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "view_caseload".into(),
        young_person_id: None,
        detail: "caseload".into(),
    };
    store.record_audit(&entry, clock.now()).await?;
    Ok(entries)
}
