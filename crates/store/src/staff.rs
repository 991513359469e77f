//! Teams and staff.

use crate::rows::StaffRow;
use crate::{Result, Store, StoreError, with_pool};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use pathways_domain::staff::{Role, StaffMember, Team};

/// A member of staff to create; the password arrives already hashed (argon2id).
#[derive(Debug, Clone)]
pub struct NewStaff {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub team_id: Option<i64>,
    pub password_hash: String,
}

macro_rules! staff_columns {
    () => {
        "id, email, display_name, role, team_id, active"
    };
}

impl Store {
    pub async fn create_team(&self, name: &str) -> Result<i64> {
        let id = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("INSERT INTO teams (name) VALUES ($1) RETURNING id")
                .bind(name)
                .fetch_one(pool)
                .await
        })
        .map_err(|e| unique_to_conflict(e, &format!("a team called {name:?} already exists")))?;
        Ok(id)
    }

    pub async fn teams(&self) -> Result<Vec<Team>> {
        let rows: Vec<(i64, String)> = with_pool!(self, pool => {
            sqlx::query_as("SELECT id, name FROM teams ORDER BY name").fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|(id, name)| Team { id, name }).collect())
    }

    pub async fn create_staff(&self, staff: &NewStaff, now: Timestamp) -> Result<i64> {
        let email = staff.email.trim().to_lowercase();
        let id = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(
                "INSERT INTO staff (email, display_name, role, team_id, password_hash, active, created_at)
                 VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
            )
            .bind(&email)
            .bind(&staff.display_name)
            .bind(staff.role.code())
            .bind(staff.team_id)
            .bind(&staff.password_hash)
            .bind(now.to_sqlx())
            .fetch_one(pool)
            .await
        })
        .map_err(|e| unique_to_conflict(e, &format!("a member of staff with email {email:?} already exists")))?;
        Ok(id)
    }

    /// An active member of staff and their password hash, by email (any case).
    pub async fn staff_for_sign_in(&self, email: &str) -> Result<Option<(StaffMember, String)>> {
        let email = email.trim().to_lowercase();
        let sql = concat!(
            "SELECT ",
            staff_columns!(),
            ", password_hash FROM staff WHERE email = $1 AND active"
        );
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, StaffRowWithHash>(sql)
                .bind(&email)
                .fetch_optional(pool)
                .await
        })?;
        row.map(|r| Ok((r.staff.into_domain()?, r.password_hash))).transpose()
    }

    pub async fn staff_member(&self, id: i64) -> Result<Option<StaffMember>> {
        let sql = concat!("SELECT ", staff_columns!(), " FROM staff WHERE id = $1");
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, StaffRow>(sql).bind(id).fetch_optional(pool).await
        })?;
        row.map(StaffRow::into_domain).transpose()
    }

    /// Every member of staff, by team then name.
    pub async fn staff(&self) -> Result<Vec<StaffMember>> {
        let sql = concat!(
            "SELECT ",
            staff_columns!(),
            " FROM staff ORDER BY team_id, display_name, id"
        );
        let rows = with_pool!(self, pool => sqlx::query_as::<_, StaffRow>(sql).fetch_all(pool).await)?;
        rows.into_iter().map(StaffRow::into_domain).collect()
    }

    pub async fn count_staff(&self) -> Result<i64> {
        let n = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM staff").fetch_one(pool).await
        })?;
        Ok(n)
    }
}

#[derive(Debug, sqlx::FromRow)]
struct StaffRowWithHash {
    #[sqlx(flatten)]
    staff: StaffRow,
    password_hash: String,
}

/// A unique-constraint violation becomes a conflict a person can act on.
pub(crate) fn unique_to_conflict(error: sqlx::Error, message: &str) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(message.to_owned()),
        _ => StoreError::Database(error),
    }
}

impl Store {
    /// Deactivates or reactivates a member of staff; deactivation ends their sessions
    /// at once, in the same transaction, and both are audited.
    pub async fn set_staff_active(&self, staff_id: i64, active: bool, by: Option<i64>, now: Timestamp) -> Result<()> {
        let at = now.to_sqlx();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE staff SET active = $2 WHERE id = $1")
                .bind(staff_id)
                .bind(active)
                .execute(&mut *tx)
                .await?;
            if !active {
                sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
            }
            let entry = crate::AuditEntry {
                staff_id: by,
                action: if active { "reactivate_staff" } else { "deactivate_staff" }.into(),
                young_person_id: None,
                detail: format!("staff {staff_id}"),
            };
            crate::audit::insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }
}

impl Store {
    /// Changes a member of staff's name, role and team, audited in the same transaction.
    /// A change of role or team ends their sessions, so new permissions apply at once.
    pub async fn update_staff(
        &self,
        staff_id: i64,
        display_name: &str,
        role: Role,
        team_id: Option<i64>,
        by: Option<i64>,
        now: Timestamp,
    ) -> Result<()> {
        let at = now.to_sqlx();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let before: Option<(String, Option<i64>)> = sqlx::query_as("SELECT role, team_id FROM staff WHERE id = $1")
                .bind(staff_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((old_role, old_team)) = before else {
                return Err(StoreError::Conflict(format!("there is no member of staff {staff_id}")));
            };
            sqlx::query("UPDATE staff SET display_name = $2, role = $3, team_id = $4 WHERE id = $1")
                .bind(staff_id)
                .bind(display_name)
                .bind(role.code())
                .bind(team_id)
                .execute(&mut *tx)
                .await?;
            if old_role != role.code() || old_team != team_id {
                sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
            }
            let entry = crate::AuditEntry {
                staff_id: by,
                action: "update_staff".into(),
                young_person_id: None,
                detail: format!("staff {staff_id}: role {}, team {}", role.code(), team_id.map_or("none".into(), |t| t.to_string())),
            };
            crate::audit::insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Replaces a password hash and ends every session of that member of staff.
    pub async fn set_password_hash(
        &self,
        staff_id: i64,
        password_hash: &str,
        by: Option<i64>,
        now: Timestamp,
    ) -> Result<()> {
        let at = now.to_sqlx();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1")
                .bind(staff_id)
                .bind(password_hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1").bind(staff_id).execute(&mut *tx).await?;
            let entry = crate::AuditEntry {
                staff_id: by,
                action: "set_password".into(),
                young_person_id: None,
                detail: format!("staff {staff_id}"),
            };
            crate::audit::insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The password hash of a member of staff, active or not.
    pub async fn password_hash(&self, staff_id: i64) -> Result<Option<String>> {
        let hash = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>("SELECT password_hash FROM staff WHERE id = $1")
                .bind(staff_id)
                .fetch_optional(pool)
                .await
        })?;
        Ok(hash)
    }
}
