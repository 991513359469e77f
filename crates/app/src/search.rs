//! Find a young person: by name, date of birth or identifier, within what the
//! member of staff may see.

use crate::Result;
use crate::clock::Clock;
use pathways_domain::staff::StaffMember;
use pathways_store::{AuditEntry, SearchHit, SearchQuery, SearchScope, Store};

/// The most results one search shows; people narrow the search rather than page.
pub const SEARCH_LIMIT: i64 = 50;

/// Where a member of staff may search: everyone, their team, or nowhere.
pub fn search_scope(staff: &StaffMember) -> Option<SearchScope> {
    if !staff.active || !staff.role.reads_records() {
        return None;
    }
    if staff.role.sees_all_teams() {
        return Some(SearchScope::Everyone);
    }
    staff.team_id.map(SearchScope::Team)
}

/// Young people matching `query` that `staff` may see. The search is audited with
/// which fields were used and how many were found, not the words searched for.
pub async fn find_young_people(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    query: &SearchQuery,
) -> Result<Vec<SearchHit>> {
    let scope = search_scope(staff).ok_or(crate::AppError::NotFound)?;
    let hits = store.search_young_people(query, scope, SEARCH_LIMIT).await?;
    let mut fields = Vec::new();
    if !query.name_words.is_empty() {
        fields.push("name");
    }
    if query.date_of_birth.is_some() {
        fields.push("date of birth");
    }
    if query.identifier.is_some() {
        fields.push("id");
    }
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "search_young_people".into(),
        young_person_id: None,
        detail: format!("by {}: {} found", fields.join(", "), hits.len()),
    };
    store.record_audit(&entry, clock.now()).await?;
    Ok(hits)
}
