//! Accommodation and activity histories, needs assessments, pathway plan dates and
//! tasks added by hand. Every change is audited in the same transaction.

use crate::audit::insert_audit;
use crate::compliance::practice_changed;
use crate::rows::{sql_date, sql_opt_date, whole_seconds};
use crate::{AuditEntry, Result, Store, StoreError, with_pool};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::{Date as SqlDate, ToSqlx};
use pathways_domain::living::{AccommodationStay, AccommodationType, Activity, ActivitySpell};
use pathways_domain::plans::AssessedNeeds;

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct StayRow {
    pub young_person_id: i64,
    pub start_on: SqlDate,
    pub end_on: Option<SqlDate>,
    pub kind: String,
    pub suitable: bool,
    pub arranged_by_council: bool,
    pub address: Option<String>,
}

impl StayRow {
    pub fn into_domain(self) -> Result<AccommodationStay> {
        Ok(AccommodationStay {
            start: self.start_on.to_jiff(),
            end: self.end_on.map(|d| d.to_jiff()),
            kind: AccommodationType::parse(&self.kind).ok_or_else(|| corrupt("accommodation type", &self.kind))?,
            suitable: self.suitable,
            arranged_by_council: self.arranged_by_council,
            address: self.address,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ActivityRow {
    pub young_person_id: i64,
    pub start_on: SqlDate,
    pub end_on: Option<SqlDate>,
    pub activity: String,
    pub full_time: bool,
    pub detail: Option<String>,
}

impl ActivityRow {
    pub fn into_domain(self) -> Result<ActivitySpell> {
        Ok(ActivitySpell {
            start: self.start_on.to_jiff(),
            end: self.end_on.map(|d| d.to_jiff()),
            activity: Activity::parse(&self.activity).ok_or_else(|| corrupt("activity", &self.activity))?,
            full_time: self.full_time,
            detail: self.detail,
        })
    }
}

/// A needs assessment as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsAssessmentRecord {
    pub completed_on: Date,
    /// The needs found in each dimension (none for assessments recorded before
    /// they were kept by dimension).
    pub needs: AssessedNeeds,
    pub summary: String,
    pub recorded_by: String,
}

/// A task added by hand and assigned to a member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRecord {
    pub id: i64,
    pub young_person_id: Option<i64>,
    /// The young person's name to show, when the task is about one.
    pub young_person_name: Option<String>,
    pub title: String,
    pub due_on: Date,
    pub assigned_to: i64,
    pub assigned_to_name: String,
}

/// A task to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub young_person_id: Option<i64>,
    pub title: String,
    pub due_on: Date,
    pub assigned_to: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct TaskRow {
    id: i64,
    young_person_id: Option<i64>,
    given: Option<String>,
    preferred: Option<String>,
    family: Option<String>,
    title: String,
    due_on: SqlDate,
    assigned_to: i64,
    assigned_to_name: String,
}

impl TaskRow {
    fn into_record(self) -> TaskRecord {
        let name = self.family.as_ref().map(|family| {
            let given = self.preferred.or(self.given).unwrap_or_default();
            format!("{given} {family}")
        });
        TaskRecord {
            id: self.id,
            young_person_id: self.young_person_id,
            young_person_name: name,
            title: self.title,
            due_on: self.due_on.to_jiff(),
            assigned_to: self.assigned_to,
            assigned_to_name: self.assigned_to_name,
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct OneTaskRow {
    id: i64,
    young_person_id: Option<i64>,
    title: String,
    due_on: SqlDate,
    assigned_to: i64,
    display_name: String,
    done_on: Option<SqlDate>,
}

macro_rules! task_query {
    ($where:literal) => {
        concat!(
            "SELECT t.id, t.young_person_id, y.legal_given_name AS given, y.preferred_name AS preferred,
                    y.legal_family_name AS family, t.title, t.due_on, t.assigned_to, s.display_name AS assigned_to_name
             FROM tasks t JOIN staff s ON s.id = t.assigned_to LEFT JOIN young_people y ON y.id = t.young_person_id
             WHERE t.done_on IS NULL AND ",
            $where,
            " ORDER BY t.due_on, t.id LIMIT $2"
        )
    };
}

/// Before a new spell in a history table: refuse it when someone has recorded a
/// spell starting on or after its start, and end the open spell the day an open
/// new one starts (a move, or a change of activity).
macro_rules! make_room_for_spell {
    ($tx:ident, $table:literal, $young_person_id:expr, $start:expr, $open:expr, $conflict:literal) => {
        let later: i64 = sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM ",
            $table,
            " WHERE young_person_id = $1 AND start_on >= $2"
        ))
        .bind($young_person_id)
        .bind($start)
        .fetch_one(&mut *$tx)
        .await?;
        if later > 0 {
            return Err(StoreError::Conflict($conflict.into()));
        }
        if $open {
            sqlx::query(concat!(
                "UPDATE ",
                $table,
                " SET end_on = $2 WHERE young_person_id = $1 AND end_on IS NULL AND start_on < $2"
            ))
            .bind($young_person_id)
            .bind($start)
            .execute(&mut *$tx)
            .await?;
        }
    };
}

impl Store {
    /// Records a move: the current stay ends the day the new one starts. Refused if
    /// someone recorded a stay starting on or after that day first.
    pub async fn insert_accommodation_stay(
        &self,
        young_person_id: i64,
        stay: &AccommodationStay,
        by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let at = whole_seconds(now).to_sqlx();
        let start = sql_date(stay.start);
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            make_room_for_spell!(
                tx,
                "accommodation_stays",
                young_person_id,
                start,
                stay.end.is_none(),
                "Someone has recorded accommodation from that date or later: check the history"
            );
            sqlx::query(
                "INSERT INTO accommodation_stays (young_person_id, start_on, end_on, kind, suitable, arranged_by_council,
                     address, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(young_person_id)
            .bind(start)
            .bind(sql_opt_date(stay.end))
            .bind(stay.kind.code())
            .bind(stay.suitable)
            .bind(stay.arranged_by_council)
            .bind(stay.address.as_deref())
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "record_accommodation".into(),
                young_person_id: Some(young_person_id),
                detail: format!("accommodation {} from {}", stay.oc3_code(), stay.start),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            practice_changed!(&mut *tx, young_person_id);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A young person's accommodation history, earliest first.
    pub async fn accommodation_of(&self, young_person_id: i64) -> Result<Vec<AccommodationStay>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, StayRow>(
                "SELECT young_person_id, start_on, end_on, kind, suitable, arranged_by_council, address
                 FROM accommodation_stays WHERE young_person_id = $1 ORDER BY start_on, id",
            )
            .bind(young_person_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(StayRow::into_domain).collect()
    }

    /// Records a change of activity: the current spell ends the day the new one starts.
    pub async fn insert_activity_spell(
        &self,
        young_person_id: i64,
        spell: &ActivitySpell,
        by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let at = whole_seconds(now).to_sqlx();
        let start = sql_date(spell.start);
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            make_room_for_spell!(
                tx,
                "activity_spells",
                young_person_id,
                start,
                spell.end.is_none(),
                "Someone has recorded an activity from that date or later: check the history"
            );
            sqlx::query(
                "INSERT INTO activity_spells (young_person_id, start_on, end_on, activity, full_time, detail,
                     recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(young_person_id)
            .bind(start)
            .bind(sql_opt_date(spell.end))
            .bind(spell.activity.code())
            .bind(spell.full_time)
            .bind(spell.detail.as_deref())
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "record_activity".into(),
                young_person_id: Some(young_person_id),
                detail: format!("activity {} from {}", spell.activity.code(), spell.start),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            practice_changed!(&mut *tx, young_person_id);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A young person's activity history, earliest first.
    pub async fn activity_of(&self, young_person_id: i64) -> Result<Vec<ActivitySpell>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, ActivityRow>(
                "SELECT young_person_id, start_on, end_on, activity, full_time, detail
                 FROM activity_spells WHERE young_person_id = $1 ORDER BY start_on, id",
            )
            .bind(young_person_id)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(ActivityRow::into_domain).collect()
    }

    /// Records a completed needs assessment.
    pub async fn insert_needs_assessment(
        &self,
        young_person_id: i64,
        completed_on: Date,
        needs: &AssessedNeeds,
        summary: &str,
        by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let at = whole_seconds(now).to_sqlx();
        let needs = serde_json::to_string(needs).map_err(|e| StoreError::Corrupt(format!("assessed needs: {e}")))?;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO needs_assessments (young_person_id, completed_on, needs, summary, recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(young_person_id)
            .bind(sql_date(completed_on))
            .bind(&needs)
            .bind(summary)
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "record_needs_assessment".into(),
                young_person_id: Some(young_person_id),
                detail: format!("needs assessment completed {completed_on}"),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            practice_changed!(&mut *tx, young_person_id);
            tx.commit().await?;
        });
        Ok(())
    }

    /// A young person's needs assessments, latest first.
    pub async fn needs_assessments_of(&self, young_person_id: i64) -> Result<Vec<NeedsAssessmentRecord>> {
        self.latest_needs_assessments(young_person_id, i64::MAX).await
    }

    /// The latest needs assessment of a young person, if there is one.
    pub async fn latest_needs_assessment(&self, young_person_id: i64) -> Result<Option<NeedsAssessmentRecord>> {
        Ok(self
            .latest_needs_assessments(young_person_id, 1)
            .await?
            .into_iter()
            .next())
    }

    /// Up to `limit` needs assessments of a young person, latest first.
    async fn latest_needs_assessments(&self, young_person_id: i64, limit: i64) -> Result<Vec<NeedsAssessmentRecord>> {
        let rows: Vec<(SqlDate, String, String, String)> = with_pool!(self, pool => {
            sqlx::query_as(
                "SELECT n.completed_on, n.needs, n.summary, s.display_name FROM needs_assessments n
                 JOIN staff s ON s.id = n.recorded_by
                 WHERE n.young_person_id = $1 ORDER BY n.completed_on DESC, n.id DESC LIMIT $2",
            )
            .bind(young_person_id)
            .bind(limit)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter()
            .map(|(on, needs, summary, by)| {
                let needs = serde_json::from_str(&needs)
                    .map_err(|e| StoreError::Corrupt(format!("assessed needs {needs:?}: {e}")))?;
                Ok(NeedsAssessmentRecord {
                    completed_on: on.to_jiff(),
                    needs,
                    summary,
                    recorded_by: by,
                })
            })
            .collect()
    }

    /// Records that a pathway plan (its next version) became active on `active_from`.
    pub async fn insert_active_pathway_plan(
        &self,
        young_person_id: i64,
        active_from: Date,
        by: i64,
        now: Timestamp,
    ) -> Result<i64> {
        let at = whole_seconds(now).to_sqlx();
        let version = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let version: i64 = sqlx::query_scalar(
                "INSERT INTO pathway_plans (young_person_id, plan_version, status, active_from, created_by, created_at)
                 SELECT $1, COALESCE(MAX(plan_version), 0) + 1, 'active', $2, $3, $4
                 FROM pathway_plans WHERE young_person_id = $1
                 RETURNING plan_version",
            )
            .bind(young_person_id)
            .bind(sql_date(active_from))
            .bind(by)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE pathway_plans SET status = 'superseded'
                 WHERE young_person_id = $1 AND status = 'active' AND plan_version < $2",
            )
            .bind(young_person_id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "activate_pathway_plan".into(),
                young_person_id: Some(young_person_id),
                detail: format!("pathway plan version {version} active from {active_from}"),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            practice_changed!(&mut *tx, young_person_id);
            tx.commit().await?;
            version
        });
        Ok(version)
    }

    /// Adds a task, audited against its young person when it has one.
    pub async fn insert_task(&self, task: &NewTask, by: i64, now: Timestamp) -> Result<i64> {
        let at = whole_seconds(now).to_sqlx();
        let id = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tasks (young_person_id, title, due_on, assigned_to, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(task.young_person_id)
            .bind(&task.title)
            .bind(sql_date(task.due_on))
            .bind(task.assigned_to)
            .bind(by)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "add_task".into(),
                young_person_id: task.young_person_id,
                detail: format!("task {id} for staff {}", task.assigned_to),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Marks a task done; false when it was already done or does not exist.
    pub async fn complete_task(&self, id: i64, on: Date, by: i64, now: Timestamp) -> Result<bool> {
        let at = whole_seconds(now).to_sqlx();
        let done = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let young_person_id: Option<Option<i64>> = sqlx::query_scalar(
                "UPDATE tasks SET done_on = $2, done_by = $3 WHERE id = $1 AND done_on IS NULL RETURNING young_person_id",
            )
            .bind(id)
            .bind(sql_date(on))
            .bind(by)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(young_person_id) = young_person_id {
                let entry = AuditEntry {
                    staff_id: Some(by),
                    action: "complete_task".into(),
                    young_person_id,
                    detail: format!("task {id}"),
                };
                insert_audit(&mut *tx, &entry, at).await?;
            }
            tx.commit().await?;
            young_person_id.is_some()
        });
        Ok(done)
    }

    /// One task, open or done: (task, done).
    pub async fn task(&self, id: i64) -> Result<Option<(TaskRecord, bool)>> {
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, OneTaskRow>(
                "SELECT t.id, t.young_person_id, t.title, t.due_on, t.assigned_to, s.display_name, t.done_on
                 FROM tasks t JOIN staff s ON s.id = t.assigned_to WHERE t.id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        Ok(row.map(|r| {
            let task = TaskRecord {
                id: r.id,
                young_person_id: r.young_person_id,
                young_person_name: None,
                title: r.title,
                due_on: r.due_on.to_jiff(),
                assigned_to: r.assigned_to,
                assigned_to_name: r.display_name,
            };
            (task, r.done_on.is_some())
        }))
    }

    /// Open tasks assigned to one member of staff, soonest first.
    pub async fn open_tasks_for(&self, staff_id: i64, limit: i64) -> Result<Vec<TaskRecord>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, TaskRow>(task_query!("t.assigned_to = $1"))
                .bind(staff_id)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(TaskRow::into_record).collect())
    }

    /// Open tasks assigned to anyone in a team, soonest first.
    pub async fn open_tasks_for_team(&self, team_id: i64, limit: i64) -> Result<Vec<TaskRecord>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, TaskRow>(task_query!("s.team_id = $1"))
                .bind(team_id)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(TaskRow::into_record).collect())
    }

    /// Open tasks about one young person, soonest first.
    pub async fn open_tasks_about(&self, young_person_id: i64, limit: i64) -> Result<Vec<TaskRecord>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, TaskRow>(task_query!("t.young_person_id = $1"))
                .bind(young_person_id)
                .bind(limit)
                .fetch_all(pool)
                .await
        })?;
        Ok(rows.into_iter().map(TaskRow::into_record).collect())
    }
}
