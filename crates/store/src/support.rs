//! Staying Put and Staying Close arrangements, and payments. Audited in the same
//! transaction as each change.

use crate::audit::insert_audit;
use crate::rows::{sql_date, sql_opt_date, whole_seconds};
use crate::{AuditEntry, Result, Store, StoreError, with_pool};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::{Date as SqlDate, ToSqlx};
use pathways_domain::support::{Entitlement, PaymentStatus, Pence};

/// A Staying Put (with former foster carers) or Staying Close arrangement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    /// The former foster carer, or the Staying Close provider.
    pub with: String,
    pub start: Date,
    pub end: Option<Date>,
    /// The weekly allowance (Staying Put only).
    pub weekly: Option<Pence>,
}

/// A payment as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub id: i64,
    pub young_person_id: i64,
    pub entitlement: Entitlement,
    pub amount: Pence,
    pub description: String,
    pub paid_on: Date,
    pub status: PaymentStatus,
    pub requested_by: String,
    pub decided_by: Option<String>,
}

/// A payment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub entitlement: Entitlement,
    pub amount: Pence,
    pub description: String,
    pub paid_on: Date,
    pub status: PaymentStatus,
}

#[derive(Debug, sqlx::FromRow)]
struct PaymentRow {
    id: i64,
    young_person_id: i64,
    entitlement: String,
    amount_pence: i64,
    description: String,
    paid_on: SqlDate,
    status: String,
    requested_by: String,
    decided_by: Option<String>,
}

impl PaymentRow {
    fn into_record(self) -> Result<PaymentRecord> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} {value:?}"));
        Ok(PaymentRecord {
            id: self.id,
            young_person_id: self.young_person_id,
            entitlement: Entitlement::parse(&self.entitlement)
                .ok_or_else(|| corrupt("entitlement", &self.entitlement))?,
            amount: Pence(self.amount_pence),
            description: self.description,
            paid_on: self.paid_on.to_jiff(),
            status: PaymentStatus::parse(&self.status).ok_or_else(|| corrupt("payment status", &self.status))?,
            requested_by: self.requested_by,
            decided_by: self.decided_by,
        })
    }
}

macro_rules! payment_query {
    ($where:literal) => {
        concat!(
            "SELECT p.id, p.young_person_id, p.entitlement, p.amount_pence, p.description, p.paid_on, p.status,
                    r.display_name AS requested_by, d.display_name AS decided_by
             FROM payments p JOIN staff r ON r.id = p.requested_by LEFT JOIN staff d ON d.id = p.decided_by
             WHERE ",
            $where
        )
    };
}

type ArrangementRow = (String, SqlDate, Option<SqlDate>, Option<i64>);

fn arrangement(row: ArrangementRow) -> Arrangement {
    let (with, start, end, weekly) = row;
    Arrangement {
        with,
        start: start.to_jiff(),
        end: end.map(|d| d.to_jiff()),
        weekly: weekly.map(Pence),
    }
}

impl Store {
    /// Records a Staying Put arrangement (`weekly` set) or a Staying Close one.
    pub async fn insert_arrangement(
        &self,
        young_person_id: i64,
        a: &Arrangement,
        by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let at = whole_seconds(now).to_sqlx();
        let (start, end) = (sql_date(a.start), sql_opt_date(a.end));
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let action = match a.weekly {
                Some(weekly) => {
                    sqlx::query(
                        "INSERT INTO staying_put (young_person_id, carer, start_on, end_on, weekly_pence, recorded_by, recorded_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(young_person_id).bind(&a.with).bind(start).bind(end).bind(weekly.0).bind(by).bind(at)
                    .execute(&mut *tx)
                    .await?;
                    "record_staying_put"
                }
                None => {
                    sqlx::query(
                        "INSERT INTO staying_close (young_person_id, provider, start_on, end_on, recorded_by, recorded_at)
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(young_person_id).bind(&a.with).bind(start).bind(end).bind(by).bind(at)
                    .execute(&mut *tx)
                    .await?;
                    "record_staying_close"
                }
            };
            let entry = AuditEntry {
                staff_id: Some(by),
                action: action.into(),
                young_person_id: Some(young_person_id),
                detail: format!("from {}", a.start),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A young person's Staying Put and Staying Close arrangements, earliest first.
    pub async fn arrangements_of(&self, young_person_id: i64) -> Result<(Vec<Arrangement>, Vec<Arrangement>)> {
        let (put, close) = with_pool!(self, pool => {
            let put: Vec<ArrangementRow> = sqlx::query_as(
                "SELECT carer, start_on, end_on, weekly_pence FROM staying_put WHERE young_person_id = $1 ORDER BY start_on, id",
            )
            .bind(young_person_id)
            .fetch_all(pool)
            .await?;
            let close: Vec<ArrangementRow> = sqlx::query_as(
                "SELECT provider, start_on, end_on, CAST(NULL AS BIGINT) FROM staying_close
                 WHERE young_person_id = $1 ORDER BY start_on, id",
            )
            .bind(young_person_id)
            .fetch_all(pool)
            .await?;
            (put, close)
        });
        Ok((
            put.into_iter().map(arrangement).collect(),
            close.into_iter().map(arrangement).collect(),
        ))
    }

    /// Records a payment with the status the rules gave it.
    pub async fn insert_payment(&self, young_person_id: i64, p: &NewPayment, by: i64, now: Timestamp) -> Result<i64> {
        let at = whole_seconds(now).to_sqlx();
        let approved = p.status == PaymentStatus::Approved;
        let id = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO payments (young_person_id, entitlement, amount_pence, description, paid_on, status,
                     requested_by, requested_at, decided_by, decided_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                     CASE WHEN $9 THEN $7 END, CASE WHEN $9 THEN $8 END) RETURNING id",
            )
            .bind(young_person_id)
            .bind(p.entitlement.code())
            .bind(p.amount.0)
            .bind(&p.description)
            .bind(sql_date(p.paid_on))
            .bind(p.status.code())
            .bind(by)
            .bind(at)
            .bind(approved)
            .fetch_one(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "record_payment".into(),
                young_person_id: Some(young_person_id),
                detail: format!("payment {id}: {} {}", p.entitlement.code(), p.status.code()),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// A young person's payments, latest first.
    pub async fn payments_of(&self, young_person_id: i64) -> Result<Vec<PaymentRecord>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, PaymentRow>(payment_query!("p.young_person_id = $1 ORDER BY p.paid_on DESC, p.id DESC"))
                .bind(young_person_id)
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter().map(PaymentRow::into_record).collect()
    }

    /// One payment.
    pub async fn payment(&self, id: i64) -> Result<Option<PaymentRecord>> {
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, PaymentRow>(payment_query!("p.id = $1")).bind(id).fetch_optional(pool).await
        })?;
        row.map(PaymentRow::into_record).transpose()
    }

    /// Approves or refuses a payment that is waiting; false if it was decided already.
    pub async fn decide_payment(&self, id: i64, approve: bool, by: i64, now: Timestamp) -> Result<bool> {
        let at = whole_seconds(now).to_sqlx();
        let status = if approve {
            PaymentStatus::Approved
        } else {
            PaymentStatus::Refused
        };
        let decided = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let young_person_id: Option<i64> = sqlx::query_scalar(
                "UPDATE payments SET status = $2, decided_by = $3, decided_at = $4
                 WHERE id = $1 AND status = 'awaiting_approval' RETURNING young_person_id",
            )
            .bind(id)
            .bind(status.code())
            .bind(by)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(young_person_id) = young_person_id {
                let entry = AuditEntry {
                    staff_id: Some(by),
                    action: "decide_payment".into(),
                    young_person_id: Some(young_person_id),
                    detail: format!("payment {id}: {}", status.code()),
                };
                insert_audit(&mut *tx, &entry, at).await?;
            }
            tx.commit().await?;
            young_person_id.is_some()
        });
        Ok(decided)
    }
}
