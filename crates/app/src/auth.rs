//! Staff sign-in: argon2id password hashes, random session tokens stored only as
//! hashes, a CSRF token per session, and an idle timeout.

use crate::clock::Clock;
use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use pathways_domain::staff::StaffMember;
use pathways_store::{AuditEntry, Store, StoreError};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Sessions end after this long without a request (a configurable setting).
pub const DEFAULT_IDLE_TIMEOUT: jiff::SignedDuration = jiff::SignedDuration::from_mins(30);

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Wrong email or password: one message for both, so accounts cannot be discovered.
    #[error("Enter a correct email address and password")]
    BadCredentials,
    /// Too many failed attempts for this account or from this address recently.
    #[error("You have tried to sign in too many times. Wait 15 minutes, then try again")]
    TooManyAttempts,
    #[error("could not hash the password: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new random secret: 32 bytes, URL-safe base64.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored for a session token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An argon2id hash (PHC string) of a password, with a random salt.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AuthError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Hash(e.to_string()))
}

/// Whether a password matches a stored hash (false for a malformed hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// A session just started: the token goes in the cookie, never in the database.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub staff: StaffMember,
}

/// How much guessing is allowed before sign-in is refused for a while. Limits
/// apply to an email whether or not it is an account, so they reveal nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    pub per_account: i64,
    pub per_address: i64,
    pub window: jiff::SignedDuration,
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits {
            per_account: 5,
            per_address: 20,
            window: jiff::SignedDuration::from_mins(15),
        }
    }
}

/// Checks an email and password and starts a session, unless too many attempts
/// failed recently for the account or from `address`. Unknown emails cost the same
/// argon2 work as wrong passwords, so timing does not reveal accounts.
pub async fn sign_in(
    store: &Store,
    clock: &dyn Clock,
    limits: &SignInLimits,
    address: &str,
    email: &str,
    password: &str,
) -> Result<NewSession, AuthError> {
    let since = clock.now() - limits.window;
    let (by_account, by_address) = store.failed_sign_ins_since(email, address, since).await?;
    if by_account >= limits.per_account || by_address >= limits.per_address {
        return Err(AuthError::TooManyAttempts);
    }
    let found = store.staff_for_sign_in(email).await?;
    let Some((staff, _)) = found.filter(|(_, hash)| verify_password(password, hash)) else {
        // Equalise the time taken when there was no such account.
        let _ = verify_password(password, DUMMY_HASH);
        let entry = AuditEntry {
            staff_id: None,
            action: "sign_in_failed".into(),
            young_person_id: None,
            detail: String::new(),
        };
        store.record_audit(&entry, clock.now()).await?;
        store.record_sign_in_attempt(email, address, false, clock.now()).await?;
        return Err(AuthError::BadCredentials);
    };
    store.record_sign_in_attempt(email, address, true, clock.now()).await?;
    let token = random_token();
    let csrf_token = random_token();
    store
        .create_session(&token_hash(&token), staff.id, &csrf_token, clock.now())
        .await?;
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "sign_in".into(),
        young_person_id: None,
        detail: String::new(),
    };
    store.record_audit(&entry, clock.now()).await?;
    Ok(NewSession {
        token,
        csrf_token,
        staff,
    })
}

/// A signed-in member of staff, found from their session cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub staff: StaffMember,
    pub csrf_token: String,
    pub token_hash: String,
}

/// The live session for a cookie token, refreshing its idle timer; `None` when the
/// token is unknown, the session idled out (it is then deleted), or the member of
/// staff was deactivated.
pub async fn session(
    store: &Store,
    clock: &dyn Clock,
    token: &str,
    idle_timeout: jiff::SignedDuration,
) -> Result<Option<Session>, StoreError> {
    let hash = token_hash(token);
    let Some(record) = store.session(&hash).await? else {
        return Ok(None);
    };
    let now = clock.now();
    if now.duration_since(record.last_seen_at) > idle_timeout {
        store.delete_session(&hash).await?;
        return Ok(None);
    }
    store.touch_session(&hash, now).await?;
    Ok(Some(Session {
        staff: record.staff,
        csrf_token: record.csrf_token,
        token_hash: hash,
    }))
}

pub async fn sign_out(store: &Store, clock: &dyn Clock, session: &Session) -> Result<(), StoreError> {
    store.delete_session(&session.token_hash).await?;
    let entry = AuditEntry {
        staff_id: Some(session.staff.id),
        action: "sign_out".into(),
        young_person_id: None,
        detail: String::new(),
    };
    store.record_audit(&entry, clock.now()).await
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn secrets_match(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A valid argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$3q2+7w0AAAAAAAAAAAAAAA$5ZnV9V0i0yQqSVvCzW2kqQ3SYcF0rk3PzXtEEsV0Qyg";

/// Changes a member of staff's own password. Every session of theirs ends, this
/// one included, so they sign in again with the new password.
pub async fn change_password(
    store: &Store,
    clock: &dyn Clock,
    staff: &StaffMember,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), crate::FormError> {
    let hash = store.password_hash(staff.id).await?.unwrap_or_default();
    let mut errors = Vec::new();
    if !verify_password(current, &hash) {
        errors.push(("current_password", "Enter your current password correctly".to_owned()));
    }
    errors.extend(check_new_password(new, confirm));
    if errors.is_empty() && new == current {
        errors.push((
            "new_password",
            "Choose a password different from your current one".to_owned(),
        ));
    }
    if !errors.is_empty() {
        return Err(crate::FormError::Invalid(errors));
    }
    let hash = hash_password(new).map_err(|e| crate::FormError::Conflict(e.to_string()))?;
    store
        .set_password_hash(staff.id, &hash, Some(staff.id), clock.now())
        .await?;
    Ok(())
}

/// The rules a new password must meet (length over complexity, as NCSC advises).
pub fn check_new_password(new: &str, confirm: &str) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    if new.chars().count() < crate::admin::MIN_PASSWORD_LENGTH {
        errors.push((
            "new_password",
            format!(
                "Password must be {} characters or more",
                crate::admin::MIN_PASSWORD_LENGTH
            ),
        ));
    } else if new != confirm {
        errors.push(("confirm_password", "Enter the same password twice".to_owned()));
    }
    errors
}

/// How long a "forgotten your password?" link works.
pub const RESET_LINK_LIFETIME: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// Emails a password-reset link to an active member of staff with this address.
/// Says nothing about whether there is one: the caller shows the same page either
/// way, so the form cannot be used to find out who has an account.
pub async fn request_password_reset(
    store: &Store,
    clock: &dyn Clock,
    mailer: &crate::mail::Mailer,
    public_url: &str,
    email: &str,
) -> Result<(), AuthError> {
    let Some((staff, _)) = store.staff_for_sign_in(email).await? else {
        return Ok(());
    };
    let token = random_token();
    let now = clock.now();
    store
        .create_password_reset(&token_hash(&token), staff.id, now, now + RESET_LINK_LIFETIME)
        .await?;
    let link = format!("{}/reset-password?token={token}", public_url.trim_end_matches('/'));
    let body = format!(
        "Dear {},\n\nSomeone asked to reset your Pathways password. If it was you, choose a new password here within 1 hour:\n\n{link}\n\nIf it was not you, ignore this email: your password has not changed.\n",
        staff.display_name
    );
    if let Err(e) = mailer.send(&staff.email, "Reset your Pathways password", &body).await {
        // Not shown to the person asking (it would reveal the account); logged for support.
        tracing::error!(error = %e, "password reset email not sent");
    }
    let entry = AuditEntry {
        staff_id: Some(staff.id),
        action: "password_reset_requested".into(),
        young_person_id: None,
        detail: String::new(),
    };
    store.record_audit(&entry, now).await?;
    Ok(())
}

/// Whether a reset link can still be used.
pub async fn reset_link_valid(store: &Store, clock: &dyn Clock, token: &str) -> Result<bool, StoreError> {
    Ok(store
        .password_reset_staff(&token_hash(token), clock.now())
        .await?
        .is_some())
}

/// Sets a new password from a reset link; the link then stops working and every
/// session of that person ends.
pub async fn reset_password(
    store: &Store,
    clock: &dyn Clock,
    token: &str,
    new: &str,
    confirm: &str,
) -> Result<(), crate::FormError> {
    if !reset_link_valid(store, clock, token).await? {
        return Err(crate::FormError::NotFound);
    }
    let errors = check_new_password(new, confirm);
    if !errors.is_empty() {
        return Err(crate::FormError::Invalid(errors));
    }
    let hash = hash_password(new).map_err(|e| crate::FormError::Conflict(e.to_string()))?;
    if store
        .complete_password_reset(&token_hash(token), &hash, clock.now())
        .await?
    {
        Ok(())
    } else {
        Err(crate::FormError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("demo-password").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(verify_password("demo-password", &hash));
        assert!(!verify_password("demo-passwore", &hash));
        assert!(!verify_password("demo-password", "not a hash"));
        assert_ne!(hash, hash_password("demo-password").unwrap(), "salted");
    }

    #[test]
    fn the_dummy_hash_parses_so_unknown_accounts_cost_the_same() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(secrets_match(&a, &a.clone()));
        assert!(!secrets_match(&a, &b));
        assert!(!secrets_match(&a, &a[1..]));
    }
}
