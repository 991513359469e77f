//! Administration: users, roles and teams. Administrators manage accounts; they
//! do not read young people's records unless also given a practice role.

use crate::auth::hash_password;
use crate::clock::Clock;
use crate::{FormError, Result};
use pathways_domain::staff::{Role, StaffMember, Team};
use pathways_store::{AuditEntry, NewStaff, Store};

/// Shortest password accepted (NCSC advice favours length over complexity rules).
pub const MIN_PASSWORD_LENGTH: usize = 12;

pub fn is_admin(staff: &StaffMember) -> bool {
    staff.active && staff.role == Role::Administrator
}

fn require_admin(staff: &StaffMember) -> Result<(), FormError> {
    if is_admin(staff) {
        Ok(())
    } else {
        Err(FormError::NotFound)
    }
}

/// Every member of staff and every team, for the users page.
pub async fn users(store: &Store, staff: &StaffMember) -> Result<(Vec<StaffMember>, Vec<Team>), FormError> {
    require_admin(staff)?;
    Ok((store.staff().await?, store.teams().await?))
}

/// A user account as the form sends it.
#[derive(Debug, Clone, Default)]
pub struct UserForm {
    pub display_name: String,
    pub email: String,
    pub role: String,
    /// A team id, or empty for none.
    pub team: String,
    /// Only when creating: the first password, which the user should change.
    pub password: String,
}

struct CheckedUser {
    display_name: String,
    email: String,
    role: Role,
    team_id: Option<i64>,
}

async fn check_user(store: &Store, form: &UserForm, new: bool) -> Result<CheckedUser, FormError> {
    let mut errors = Vec::new();
    let display_name = form.display_name.trim();
    if display_name.is_empty() {
        errors.push(("display_name", "Enter the person's name".to_owned()));
    } else if display_name.chars().count() > 100 {
        errors.push(("display_name", "Name must be 100 characters or fewer".to_owned()));
    }
    let email = form.email.trim().to_lowercase();
    let looks_like_email = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if new && !looks_like_email {
        errors.push((
            "email",
            "Enter an email address in the correct format, like name@example.gov.uk".to_owned(),
        ));
    }
    let role = Role::parse(&form.role);
    if role.is_none() {
        errors.push(("role", "Select a role".to_owned()));
    }
    let teams = store.teams().await?;
    let team_id = match form.team.trim() {
        "" => None,
        id => match id.parse::<i64>().ok().filter(|id| teams.iter().any(|t| t.id == *id)) {
            Some(id) => Some(id),
            None => {
                errors.push(("team", "Select a team".to_owned()));
                None
            }
        },
    };
    if matches!(role, Some(Role::PersonalAdviser | Role::TeamManager))
        && team_id.is_none()
        && errors.iter().all(|(f, _)| *f != "team")
    {
        errors.push((
            "team",
            "Select the team of a personal adviser or team manager".to_owned(),
        ));
    }
    if new && form.password.chars().count() < MIN_PASSWORD_LENGTH {
        errors.push((
            "password",
            format!("Password must be {MIN_PASSWORD_LENGTH} characters or more"),
        ));
    }
    match role {
        Some(role) if errors.is_empty() => Ok(CheckedUser {
            display_name: display_name.to_owned(),
            email,
            role,
            team_id,
        }),
        _ => Err(FormError::Invalid(errors)),
    }
}

/// Adds a member of staff.
pub async fn create_user(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    form: &UserForm,
) -> Result<i64, FormError> {
    require_admin(staff)?;
    let user = check_user(store, form, true).await?;
    let password_hash = hash_password(&form.password).map_err(|e| FormError::Conflict(e.to_string()))?;
    let new = NewStaff {
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        team_id: user.team_id,
        password_hash,
    };
    let id = store
        .create_staff(&new, clock.now())
        .await
        .map_err(|e| match FormError::from(e) {
            FormError::Conflict(_) => {
                FormError::Invalid(vec![("email", "A user with this email address already exists".into())])
            }
            other => other,
        })?;
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "create_staff".into(),
        young_person_id: None,
        detail: format!("staff {id}"),
    };
    store.record_audit(&entry, clock.now()).await?;
    Ok(id)
}

/// Changes a member of staff's name, role and team.
pub async fn update_user(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    form: &UserForm,
) -> Result<(), FormError> {
    require_admin(staff)?;
    store.staff_member(id).await?.ok_or(FormError::NotFound)?;
    let user = check_user(store, form, false).await?;
    if id == staff.id && user.role != Role::Administrator {
        return Err(FormError::Invalid(vec![(
            "role",
            "You cannot remove your own administrator role".into(),
        )]));
    }
    store
        .update_staff(
            id,
            &user.display_name,
            user.role,
            user.team_id,
            Some(staff.id),
            clock.now(),
        )
        .await?;
    Ok(())
}

/// Deactivates (their sessions end at once) or reactivates a member of staff.
pub async fn set_user_active(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    id: i64,
    active: bool,
) -> Result<(), FormError> {
    require_admin(staff)?;
    store.staff_member(id).await?.ok_or(FormError::NotFound)?;
    if id == staff.id && !active {
        return Err(FormError::Conflict("You cannot deactivate your own account".into()));
    }
    store.set_staff_active(id, active, Some(staff.id), clock.now()).await?;
    Ok(())
}

/// Adds a team.
pub async fn create_team(store: &Store, clock: &dyn Clock, staff: &StaffMember, name: &str) -> Result<i64, FormError> {
    require_admin(staff)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(FormError::Invalid(vec![(
            "name",
            "Enter a team name of 60 characters or fewer".into(),
        )]));
    }
    let id = store.create_team(name).await.map_err(|e| match FormError::from(e) {
        FormError::Conflict(_) => FormError::Invalid(vec![("name", "A team with this name already exists".into())]),
        other => other,
    })?;
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "create_team".into(),
        young_person_id: None,
        detail: format!("team {id}"),
    };
    store.record_audit(&entry, clock.now()).await?;
    Ok(id)
}
