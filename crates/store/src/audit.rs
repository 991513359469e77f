//! The audit log: who read or changed which young person's record, when, and why.

use crate::{Result, Store, with_pool};
use jiff::Timestamp;
use jiff_sqlx::{Timestamp as SqlTimestamp, ToSqlx};

/// An entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub staff_id: Option<i64>,
    /// What happened, as a stable snake_case verb (`view_young_person`, `create_young_person`…).
    pub action: String,
    pub young_person_id: Option<i64>,
    /// Which page or command, and any reason given. Never personal data beyond ids.
    pub detail: String,
}

/// An entry as read back, with the name of who did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub at: Timestamp,
    pub staff_id: Option<i64>,
    pub staff_name: Option<String>,
    pub action: String,
    pub young_person_id: Option<i64>,
    pub detail: String,
}

#[derive(Debug, sqlx::FromRow)]
struct AuditRow {
    occurred_at: SqlTimestamp,
    staff_id: Option<i64>,
    staff_name: Option<String>,
    action: String,
    young_person_id: Option<i64>,
    detail: String,
}

const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (occurred_at, staff_id, action, young_person_id, detail) VALUES ($1, $2, $3, $4, $5)";

/// Writes an entry on a connection or inside a caller's transaction.
pub(crate) async fn insert_audit<'c, E, DB>(executor: E, entry: &AuditEntry, at: SqlTimestamp) -> Result<()>
where
    E: sqlx::Executor<'c, Database = DB>,
    DB: sqlx::Database,
    for<'q> SqlTimestamp: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> <DB as sqlx::Database>::Arguments: sqlx::IntoArguments<DB>,
{
    sqlx::query::<DB>(INSERT_AUDIT)
        .bind(at)
        .bind(entry.staff_id)
        .bind(entry.action.clone())
        .bind(entry.young_person_id)
        .bind(entry.detail.clone())
        .execute(executor)
        .await?;
    Ok(())
}

impl Store {
    /// Writes one audit entry on its own (for reads, which change nothing else).
    pub async fn record_audit(&self, entry: &AuditEntry, now: Timestamp) -> Result<()> {
        with_pool!(self, pool => insert_audit(pool, entry, now.to_sqlx()).await)
    }

    /// The newest entries about one young person, newest first.
    pub async fn audit_trail(&self, young_person_id: i64, limit: i64) -> Result<Vec<AuditRecord>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, AuditRow>(
                "SELECT l.occurred_at, l.staff_id, s.display_name AS staff_name, l.action, l.young_person_id, l.detail
                 FROM audit_log l LEFT JOIN staff s ON s.id = l.staff_id
                 WHERE l.young_person_id = $1 ORDER BY l.id DESC LIMIT $2",
            )
            .bind(young_person_id)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| AuditRecord {
                at: r.occurred_at.to_jiff(),
                staff_id: r.staff_id,
                staff_name: r.staff_name,
                action: r.action,
                young_person_id: r.young_person_id,
                detail: r.detail,
            })
            .collect())
    }

    pub async fn count_audit_entries(&self) -> Result<i64> {
        let n = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log").fetch_one(pool).await
        })?;
        Ok(n)
    }
}
