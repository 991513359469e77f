//! What every page's layout shows: the council, and who is signed in.

use crate::session::CurrentStaff;

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
            }),
            current,
        }
    }

    pub fn navigation(&self) -> Vec<NavItem> {
        [
            ("/caseload", "My caseload"),
            ("/find", "Find a young person"),
        ]
        .into_iter()
        .map(|(href, text)| NavItem {
            href,
            text,
            current: self.current == href,
        })
        .collect()
    }
}
