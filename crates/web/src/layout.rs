//! What every page's layout shows: the council, and who is signed in.

use crate::session::CurrentStaff;
use pathways_domain::staff::Role;

#[derive(Debug, Clone)]
pub struct Layout {
    pub council_name: String,
    pub staff: Option<StaffBar>,
    /// The navigation item of the current page.
    pub current: &'static str,
}

#[derive(Debug, Clone)]
pub struct StaffBar {
    pub name: String,
    pub role: &'static str,
    pub csrf_token: String,
    links: Vec<(&'static str, &'static str)>,
    /// Seconds of inactivity before the session ends (the page warns before then).
    pub timeout_seconds: i64,
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub text: &'static str,
    pub current: bool,
}

impl Layout {
    pub fn signed_out(council_name: &str) -> Self {
        Layout {
            council_name: council_name.to_owned(),
            staff: None,
            current: "",
        }
    }

    pub fn signed_in(council_name: &str, staff: &CurrentStaff, current: &'static str) -> Self {
        Layout {
            council_name: council_name.to_owned(),
            staff: Some(StaffBar {
                name: staff.session.staff.display_name.clone(),
                role: staff.session.staff.role.label(),
                csrf_token: staff.session.csrf_token.clone(),
                links: links_for(staff.session.staff.role),
                timeout_seconds: staff.idle_timeout_seconds,
            }),
            current,
        }
    }

    pub fn navigation(&self) -> Vec<NavItem> {
        let links = self.staff.as_ref().map(|s| s.links.as_slice()).unwrap_or_default();
        links
            .iter()
            .map(|(href, text)| NavItem {
                href,
                text,
                current: self.current == *href,
            })
            .collect()
    }
}

/// The pages in the navigation for a role.
fn links_for(role: Role) -> Vec<(&'static str, &'static str)> {
    let mut links = Vec::new();
    if role == Role::PersonalAdviser {
        links.push(("/caseload", "My caseload"));
    }
    if matches!(
        role,
        Role::TeamManager | Role::ServiceManager | Role::PerformanceOfficer | Role::Auditor
    ) {
        links.push(("/team", "Team"));
    }
    if role.reads_records() {
        links.push(("/tasks", "Tasks"));
        links.push(("/compliance", "Compliance"));
        links.push(("/find", "Find a young person"));
    }
    if pathways_app::ssda903::checks_returns(role) {
        links.push(("/returns/ssda903", "SSDA903 return"));
    }
    if role == Role::Administrator {
        links.push(("/admin/users", "Users"));
    }
    links
}
