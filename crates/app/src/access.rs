//! Who may see and change which young person's record (enforced here, in the app
//! layer, not by hiding links).

use pathways_domain::staff::{Role, StaffMember};

/// Where a young person is allocated now: team and personal adviser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub team_id: i64,
    pub personal_adviser_id: Option<i64>,
}

/// Whether `staff` may read the record of a young person allocated as `allocation`
/// (`None`: not allocated to any team).
///
/// - personal advisers and team managers: their own team's young people;
/// - service managers, performance officers, auditors: everyone;
/// - administrators: nobody (they manage users and settings, not cases).
pub fn can_read(staff: &StaffMember, allocation: Option<Placement>) -> bool {
    if !staff.active || !staff.role.reads_records() {
        return false;
    }
    if staff.role.sees_all_teams() {
        return true;
    }
    match (staff.role, allocation) {
        (Role::PersonalAdviser | Role::TeamManager, Some(a)) => staff.team_id == Some(a.team_id),
        _ => false,
    }
}

/// Whether `staff` may change the record: a personal adviser their own caseload,
/// a team manager their own team, a service manager anyone; auditors never.
pub fn can_edit(staff: &StaffMember, allocation: Option<Placement>) -> bool {
    if !staff.active {
        return false;
    }
    match (staff.role, allocation) {
        (Role::ServiceManager, _) => true,
        (Role::TeamManager, Some(a)) => staff.team_id == Some(a.team_id),
        (Role::PersonalAdviser, Some(a)) => a.personal_adviser_id == Some(staff.id),
        _ => false,
    }
}

/// Whether `staff` may see who viewed and changed a record.
pub fn can_see_audit_trail(staff: &StaffMember) -> bool {
    matches!(staff.role, Role::TeamManager | Role::ServiceManager | Role::Auditor)
}

/// Whether `staff` manages the team a young person is placed in: its team manager,
/// or a service manager. Managers sign off plans and approve payments; never the
/// personal adviser who asked.
pub fn manages(staff: &StaffMember, team_id: i64) -> bool {
    staff.active
        && match staff.role {
            Role::ServiceManager => true,
            Role::TeamManager => staff.team_id == Some(team_id),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: i64, role: Role, team: Option<i64>) -> StaffMember {
        StaffMember {
            id,
            email: String::new(),
            display_name: String::new(),
            role,
            team_id: team,
            active: true,
        }
    }

    #[test]
    fn access_matrix() {
        let own_caseload = Some(Placement {
            team_id: 1,
            personal_adviser_id: Some(10),
        });
        let own_team = Some(Placement {
            team_id: 1,
            personal_adviser_id: Some(11),
        });
        let other_team = Some(Placement {
            team_id: 2,
            personal_adviser_id: Some(20),
        });
        let unallocated = None;
        let pa = member(10, Role::PersonalAdviser, Some(1));
        let manager = member(30, Role::TeamManager, Some(1));
        let service = member(40, Role::ServiceManager, None);
        let performance = member(41, Role::PerformanceOfficer, None);
        let auditor = member(42, Role::Auditor, None);
        let admin = member(43, Role::Administrator, None);
        // (who, allocation, read, edit)
        let table = [
            (&pa, own_caseload, true, true),
            (&pa, own_team, true, false),
            (&pa, other_team, false, false),
            (&pa, unallocated, false, false),
            (&manager, own_team, true, true),
            (&manager, other_team, false, false),
            (&service, other_team, true, true),
            (&service, unallocated, true, true),
            (&performance, other_team, true, false),
            (&auditor, other_team, true, false),
            (&admin, own_team, false, false),
        ];
        for (who, allocation, read, edit) in table {
            assert_eq!(can_read(who, allocation), read, "{:?} read {allocation:?}", who.role);
            assert_eq!(can_edit(who, allocation), edit, "{:?} edit {allocation:?}", who.role);
        }
        let inactive = StaffMember {
            active: false,
            ..service.clone()
        };
        assert!(!can_read(&inactive, other_team));
    }
}
