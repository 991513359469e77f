//! Staff sign-in sessions. The cookie holds a random token; only its SHA-256 hash
//! is stored, so a copy of the database cannot be used to sign in.

use crate::rows::StaffRow;
use crate::rows::whole_seconds;
use crate::{Result, Store, with_pool};
use jiff::Timestamp;
use jiff_sqlx::{Timestamp as SqlTimestamp, ToSqlx};
use pathways_domain::staff::StaffMember;

/// A live session and the member of staff it belongs to.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub staff: StaffMember,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
}

#[derive(Debug, sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    staff: StaffRow,
    csrf_token: String,
    created_at: SqlTimestamp,
    last_seen_at: SqlTimestamp,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        staff_id: i64,
        csrf_token: &str,
        now: Timestamp,
    ) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO sessions (token_hash, staff_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(token_hash)
            .bind(staff_id)
            .bind(csrf_token)
            .bind(now.to_sqlx())
            .execute(pool)
            .await
            .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// The session for a token hash, if it exists and its member of staff is active.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, SessionRow>(
                "SELECT s.id, s.email, s.display_name, s.role, s.team_id, s.active,
                        x.csrf_token, x.created_at, x.last_seen_at
                 FROM sessions x JOIN staff s ON s.id = x.staff_id
                 WHERE x.token_hash = $1 AND s.active",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await
        })?;
        row.map(|r| {
            Ok(SessionRecord {
                staff: r.staff.into_domain()?,
                csrf_token: r.csrf_token,
                created_at: r.created_at.to_jiff(),
                last_seen_at: r.last_seen_at.to_jiff(),
            })
        })
        .transpose()
    }

    pub async fn touch_session(&self, token_hash: &str, now: Timestamp) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
                .bind(token_hash)
                .bind(now.to_sqlx())
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await.map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Ends every session of one member of staff (on deactivation or password change).
    pub async fn delete_sessions_of(&self, staff_id: i64) -> Result<u64> {
        let deleted = with_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff_id).execute(pool).await.map(|done| done.rows_affected())
        })?;
        Ok(deleted)
    }
}

impl Store {
    /// Records one sign-in attempt (email lower-cased, whether or not it is an account).
    pub async fn record_sign_in_attempt(
        &self,
        email: &str,
        address: &str,
        succeeded: bool,
        now: Timestamp,
    ) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query("INSERT INTO sign_in_attempts (email, address, attempted_at, succeeded) VALUES ($1, $2, $3, $4)")
                .bind(email.trim().to_lowercase())
                .bind(address)
                .bind(whole_seconds(now).to_sqlx())
                .bind(succeeded)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Failed attempts since `since`: (for this email, from this address).
    pub async fn failed_sign_ins_since(&self, email: &str, address: &str, since: Timestamp) -> Result<(i64, i64)> {
        let email = email.trim().to_lowercase();
        let counts = with_pool!(self, pool => {
            let by_email: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sign_in_attempts WHERE email = $1 AND attempted_at >= $2 AND NOT succeeded",
            )
            .bind(&email)
            .bind(whole_seconds(since).to_sqlx())
            .fetch_one(pool)
            .await?;
            let by_address: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM sign_in_attempts WHERE address = $1 AND attempted_at >= $2 AND NOT succeeded",
            )
            .bind(address)
            .bind(whole_seconds(since).to_sqlx())
            .fetch_one(pool)
            .await?;
            (by_email, by_address)
        });
        Ok(counts)
    }
}

impl Store {
    /// Keeps a password-reset link's token hash until `expires_at`.
    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        staff_id: i64,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        with_pool!(self, pool => {
            sqlx::query("INSERT INTO password_resets (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(token_hash)
                .bind(staff_id)
                .bind(whole_seconds(now).to_sqlx())
                .bind(whole_seconds(expires_at).to_sqlx())
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// The member of staff a reset link is for, if it is unused, unexpired and their
    /// account active.
    pub async fn password_reset_staff(&self, token_hash: &str, now: Timestamp) -> Result<Option<i64>> {
        let id = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(
                "SELECT r.staff_id FROM password_resets r JOIN staff s ON s.id = r.staff_id
                 WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND s.active",
            )
            .bind(token_hash)
            .bind(whole_seconds(now).to_sqlx())
            .fetch_optional(pool)
            .await
        })?;
        Ok(id)
    }

    /// Uses a reset link: sets the new password hash, marks the link (and any other
    /// open links of that person) used, and ends their sessions, in one transaction.
    /// False if the link was already used or has expired.
    pub async fn complete_password_reset(&self, token_hash: &str, password_hash: &str, now: Timestamp) -> Result<bool> {
        let at = whole_seconds(now).to_sqlx();
        let done = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let staff_id: Option<i64> = sqlx::query_scalar(
                "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
                 RETURNING staff_id",
            )
            .bind(token_hash)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(staff_id) = staff_id else {
                return Ok(false);
            };
            sqlx::query("UPDATE password_resets SET used_at = $2 WHERE staff_id = $1 AND used_at IS NULL")
                .bind(staff_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1")
                .bind(staff_id)
                .bind(password_hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
            let entry = crate::AuditEntry {
                staff_id: Some(staff_id),
                action: "reset_password".into(),
                young_person_id: None,
                detail: String::new(),
            };
            crate::audit::insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
            true
        });
        Ok(done)
    }
}
