//! A personal adviser's caseload: the young people allocated to them, each with
//! age and legal category as at today.

use crate::Result;
use crate::clock::Clock;
use crate::compliance::{PersonCompliance, compliance_of};
use jiff::civil::Date;
use pathways_domain::compliance::{ComplianceRules, DueItem};
use pathways_domain::dates::age_on;
use pathways_domain::legal::{Determination, LegalRules, legal_category};
use pathways_domain::living::{AccommodationStay, ActivitySpell};
use pathways_domain::people::RiskFlagKind;
use pathways_domain::staff::StaffMember;
use pathways_store::{AuditEntry, ComplianceScope, Store};
use std::collections::HashMap;

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
    /// The date of the last contact made (failed attempts do not count).
    pub last_contact: Option<Date>,
    pub accommodation: Option<AccommodationStay>,
    pub activity: Option<ActivitySpell>,
    /// The first statutory item still to do.
    pub next_due: Option<DueItem>,
    pub overdue: usize,
    /// Three or more moves in 12 months.
    pub many_moves: bool,
}

/// The caseload of `staff` as at today. Viewing it is audited (one entry for the list).
pub async fn my_caseload(
    store: &Store,
    clock: &dyn Clock,
    rules: &LegalRules,
    compliance: &ComplianceRules,
    staff: &StaffMember,
) -> Result<Vec<CaseloadEntry>> {
    if !staff.active || !staff.role.reads_records() {
        return Err(crate::AppError::NotFound);
    }
    let today = clock.today();
    let records = store.caseload(staff.id, CASELOAD_PAGE, 0).await?;
    let last_contacts: std::collections::HashMap<i64, jiff::Timestamp> =
        store.last_contacts_for_caseload(staff.id).await?.into_iter().collect();
    let mut positions: HashMap<i64, PersonCompliance> =
        compliance_of(store, clock, rules, compliance, ComplianceScope::Adviser(staff.id))
            .await?
            .into_iter()
            .map(|p| (p.young_person_id, p))
            .collect();
    let entries = records
        .into_iter()
        .map(|r| {
            let position = positions.remove(&r.id);
            CaseloadEntry {
                id: r.id,
                name: r.person.display_name(),
                date_of_birth: r.person.date_of_birth,
                age: age_on(r.person.date_of_birth, today, rules.leap_day_birthday),
                // Compliance has already worked out the category from the same facts.
                category: position.as_ref().map_or_else(
                    || legal_category(&r.person.leaving_care_facts(&r.episodes), today, rules),
                    |p| p.category.clone(),
                ),
                risk_flags: r
                    .risk_flags
                    .iter()
                    .filter(|f| f.is_active_on(today))
                    .map(|f| f.kind)
                    .collect(),
                last_contact: last_contacts
                    .get(&r.id)
                    .map(|at| at.to_zoned(crate::clock::london()).date()),
                next_due: position.as_ref().and_then(|p| p.next_due().cloned()),
                overdue: position.as_ref().map_or(0, PersonCompliance::overdue),
                many_moves: position.as_ref().is_some_and(PersonCompliance::many_moves),
                accommodation: position.as_ref().and_then(|p| p.accommodation.clone()),
                activity: position.and_then(|p| p.activity),
            }
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

/// How a caseload is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseloadOrder {
    /// By family name (as the list comes from the store).
    #[default]
    Name,
    /// Youngest first.
    Age,
    /// By legal category, then name.
    Category,
    /// Soonest statutory item first; nothing due last.
    NextDue,
}

impl CaseloadOrder {
    pub fn parse(text: &str) -> Self {
        match text {
            "age" => CaseloadOrder::Age,
            "category" => CaseloadOrder::Category,
            "next_due" => CaseloadOrder::NextDue,
            _ => CaseloadOrder::Name,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            CaseloadOrder::Name => "name",
            CaseloadOrder::Age => "age",
            CaseloadOrder::Category => "category",
            CaseloadOrder::NextDue => "next_due",
        }
    }
}

/// Which young people of a caseload to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaseloadFilter {
    pub category: Option<pathways_domain::legal::LegalCategory>,
    /// Only those with an active risk flag.
    pub flagged_only: bool,
    /// Only those with something overdue.
    pub overdue_only: bool,
}

/// Filters and orders a caseload; the order is stable, so ties keep name order.
pub fn arrange(entries: Vec<CaseloadEntry>, filter: CaseloadFilter, order: CaseloadOrder) -> Vec<CaseloadEntry> {
    let mut kept: Vec<CaseloadEntry> = entries
        .into_iter()
        .filter(|e| filter.category.is_none_or(|c| e.category.category == c))
        .filter(|e| !filter.flagged_only || !e.risk_flags.is_empty())
        .filter(|e| !filter.overdue_only || e.overdue > 0)
        .collect();
    match order {
        CaseloadOrder::Name => {}
        CaseloadOrder::Age => kept.sort_by_key(|e| std::cmp::Reverse(e.date_of_birth)),
        CaseloadOrder::Category => kept.sort_by_key(|e| e.category.category),
        CaseloadOrder::NextDue => kept.sort_by_key(|e| e.next_due.as_ref().map_or(Date::MAX, |d| d.due_on)),
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use pathways_domain::legal::LegalCategory;

    fn entry(id: i64, dob: Date, category: LegalCategory, flagged: bool) -> CaseloadEntry {
        CaseloadEntry {
            id,
            name: format!("Person {id}"),
            date_of_birth: dob,
            age: 0,
            category: Determination {
                category,
                reason: String::new(),
            },
            risk_flags: if flagged { vec![RiskFlagKind::Missing] } else { vec![] },
            last_contact: None,
            accommodation: None,
            activity: None,
            next_due: None,
            overdue: usize::from(flagged),
            many_moves: false,
        }
    }

    #[test]
    fn caseloads_filter_by_category_and_flags_and_sort_by_age_or_category() {
        let list = vec![
            entry(1, date(2005, 1, 1), LegalCategory::FormerRelevant, false),
            entry(2, date(2009, 6, 1), LegalCategory::Eligible, true),
            entry(3, date(2008, 1, 1), LegalCategory::Relevant, false),
            entry(4, date(2009, 1, 1), LegalCategory::Eligible, false),
        ];
        let ids = |v: Vec<CaseloadEntry>| v.into_iter().map(|e| e.id).collect::<Vec<_>>();
        let all = CaseloadFilter::default();
        assert_eq!(ids(arrange(list.clone(), all, CaseloadOrder::Name)), [1, 2, 3, 4]);
        assert_eq!(ids(arrange(list.clone(), all, CaseloadOrder::Age)), [2, 4, 3, 1]);
        assert_eq!(ids(arrange(list.clone(), all, CaseloadOrder::Category)), [2, 4, 3, 1]);
        let eligible = CaseloadFilter {
            category: Some(LegalCategory::Eligible),
            flagged_only: false,
            overdue_only: false,
        };
        assert_eq!(ids(arrange(list.clone(), eligible, CaseloadOrder::Name)), [2, 4]);
        let flagged = CaseloadFilter {
            category: None,
            flagged_only: true,
            overdue_only: false,
        };
        let overdue = CaseloadFilter {
            category: None,
            flagged_only: false,
            overdue_only: true,
        };
        assert_eq!(ids(arrange(list.clone(), overdue, CaseloadOrder::Name)), [2]);
        assert_eq!(ids(arrange(list, flagged, CaseloadOrder::Name)), [2]);
    }
}
