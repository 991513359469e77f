//! A young person's optional photo.

use crate::audit::insert_audit;
use crate::rows::whole_seconds;
use crate::{AuditEntry, Result, Store, with_pool};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;

impl Store {
    /// Saves (or replaces) a young person's photo, already re-encoded as JPEG.
    pub async fn set_photo(&self, young_person_id: i64, jpeg: &[u8], by: i64, now: Timestamp) -> Result<()> {
        let at = whole_seconds(now).to_sqlx();
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM young_person_photos WHERE young_person_id = $1")
                .bind(young_person_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO young_person_photos (young_person_id, jpeg, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(young_person_id)
            .bind(jpeg)
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "set_photo".into(),
                young_person_id: Some(young_person_id),
                detail: format!("photo of {} bytes", jpeg.len()),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The photo, if there is one.
    pub async fn photo(&self, young_person_id: i64) -> Result<Option<Vec<u8>>> {
        let jpeg = with_pool!(self, pool => {
            sqlx::query_scalar::<_, Vec<u8>>("SELECT jpeg FROM young_person_photos WHERE young_person_id = $1")
                .bind(young_person_id)
                .fetch_optional(pool)
                .await
        })?;
        Ok(jpeg)
    }

    /// Whether there is a photo, without reading it.
    pub async fn has_photo(&self, young_person_id: i64) -> Result<bool> {
        let found = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("SELECT young_person_id FROM young_person_photos WHERE young_person_id = $1")
                .bind(young_person_id)
                .fetch_optional(pool)
                .await
        })?;
        Ok(found.is_some())
    }
}
