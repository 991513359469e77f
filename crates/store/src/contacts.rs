//! Contacts and visits.

use crate::audit::insert_audit;
use crate::compliance::practice_changed;
use crate::rows::whole_seconds;
use crate::{AuditEntry, Result, Store, StoreError, with_pool};
use jiff::Timestamp;
use jiff_sqlx::{Timestamp as SqlTimestamp, ToSqlx};
use pathways_domain::contacts::{Contact, ContactOutcome, ContactType};

/// A contact as stored, with who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRecord {
    pub id: i64,
    pub contact: Contact,
    pub recorded_by: String,
}

#[derive(Debug, sqlx::FromRow)]
struct ContactRow {
    id: i64,
    occurred_at: SqlTimestamp,
    contact_type: String,
    outcome: String,
    seen_alone: Option<bool>,
    location: Option<String>,
    present: Option<String>,
    summary: String,
    statutory_visit: bool,
    recorded_by: String,
}

impl ContactRow {
    fn into_record(self) -> Result<ContactRecord> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} {value:?}"));
        Ok(ContactRecord {
            id: self.id,
            contact: Contact {
                occurred_at: self.occurred_at.to_jiff(),
                contact_type: ContactType::parse(&self.contact_type)
                    .ok_or_else(|| corrupt("contact type", &self.contact_type))?,
                outcome: ContactOutcome::parse(&self.outcome)
                    .ok_or_else(|| corrupt("contact outcome", &self.outcome))?,
                seen_alone: self.seen_alone,
                location: self.location,
                present: self.present,
                summary: self.summary,
                statutory_visit: self.statutory_visit,
            },
            recorded_by: self.recorded_by,
        })
    }
}

impl Store {
    /// Records a contact, audited in the same transaction.
    pub async fn insert_contact(&self, young_person_id: i64, c: &Contact, by: i64, now: Timestamp) -> Result<i64> {
        let at = whole_seconds(now).to_sqlx();
        let id = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO contacts (young_person_id, occurred_at, contact_type, outcome, seen_alone, location, present,
                     summary, statutory_visit, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(young_person_id)
            .bind(whole_seconds(c.occurred_at).to_sqlx())
            .bind(c.contact_type.code())
            .bind(c.outcome.code())
            .bind(c.seen_alone)
            .bind(c.location.as_deref())
            .bind(c.present.as_deref())
            .bind(&c.summary)
            .bind(c.statutory_visit)
            .bind(by)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "record_contact".into(),
                young_person_id: Some(young_person_id),
                detail: format!("contact {id}"),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            practice_changed!(&mut *tx, young_person_id);
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// A young person's contacts, newest first.
    pub async fn contacts_of(&self, young_person_id: i64, limit: i64) -> Result<Vec<ContactRecord>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, ContactRow>(
                "SELECT c.id, c.occurred_at, c.contact_type, c.outcome, c.seen_alone, c.location, c.present, c.summary,
                        c.statutory_visit, s.display_name AS recorded_by
                 FROM contacts c JOIN staff s ON s.id = c.recorded_by
                 WHERE c.young_person_id = $1 ORDER BY c.occurred_at DESC, c.id DESC LIMIT $2",
            )
            .bind(young_person_id)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(ContactRow::into_record).collect()
    }

    /// When each of a personal adviser's current young people was last in contact
    /// (failed attempts do not count): (young person id, time).
    pub async fn last_contacts_for_caseload(&self, personal_adviser_id: i64) -> Result<Vec<(i64, Timestamp)>> {
        let rows: Vec<(i64, SqlTimestamp)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT c.young_person_id, MAX(c.occurred_at) FROM contacts c
                 JOIN allocations a ON a.young_person_id = c.young_person_id AND a.to_date IS NULL
                 WHERE a.personal_adviser_id = $1 AND c.outcome <> 'failed'
                 GROUP BY c.young_person_id",
            )
            .bind(personal_adviser_id)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(|(id, at)| (id, at.to_jiff())).collect())
    }
}
