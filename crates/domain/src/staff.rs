//! Staff, teams, roles and the allocation of young people to personal advisers.

use crate::people::simple_enum;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

simple_enum!(
    /// What a member of staff does, which decides what they may see and change.
    Role {
        PersonalAdviser => "personal_adviser", "Personal adviser";
        TeamManager => "team_manager", "Team manager";
        ServiceManager => "service_manager", "Service manager";
        PerformanceOfficer => "performance_officer", "Performance officer";
        Administrator => "administrator", "Administrator";
        Auditor => "auditor", "Read-only auditor";
    }
);

impl Role {
    /// Whether the role reads young people's records at all (administrators do not,
    /// unless also given a practice role).
    pub fn reads_records(self) -> bool {
        !matches!(self, Role::Administrator)
    }

    /// Whether the role sees every team's young people, not only its own team's.
    pub fn sees_all_teams(self) -> bool {
        matches!(self, Role::ServiceManager | Role::PerformanceOfficer | Role::Auditor)
    }
}

/// A team of personal advisers (for example North, Central, East).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: i64,
    pub name: String,
}

/// A member of staff who signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<i64>,
    pub active: bool,
}

/// A young person allocated to a personal adviser in a team, for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    pub team_id: i64,
    pub personal_adviser_id: Option<i64>,
    pub from: Date,
    pub to: Option<Date>,
    pub reason: String,
}
