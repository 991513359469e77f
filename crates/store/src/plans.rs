//! Pathway plan versions: content, lifecycle and optimistic locking. Every change
//! is audited in the same transaction; nothing is ever overwritten silently.

use crate::audit::insert_audit;
use crate::compliance::practice_changed;
use crate::rows::{sql_date, whole_seconds};
use crate::{AuditEntry, Result, Store, StoreError, with_pool};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::{Date as SqlDate, Timestamp as SqlTimestamp, ToSqlx};
use pathways_domain::plans::{AgreementMethod, PlanContent, PlanStatus};

/// One version of a young person's pathway plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRecord {
    pub id: i64,
    pub young_person_id: i64,
    pub plan_version: i64,
    pub status: PlanStatus,
    pub content: PlanContent,
    /// For optimistic locking: changes only apply to the version read.
    pub version: i64,
    pub created_by: String,
    pub created_at: Timestamp,
    pub submitted_by: Option<String>,
    pub signed_off_by: Option<String>,
    pub signed_off_at: Option<Timestamp>,
    pub manager_comments: Option<String>,
    pub agreed_on: Option<Date>,
    pub agreement_method: Option<AgreementMethod>,
    pub active_from: Option<Date>,
}

/// A step in a plan's lifecycle, with what it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanStep {
    Submit,
    SignOff { comments: Option<String> },
    Return { comments: String },
    Agree { on: Date, method: AgreementMethod },
}

#[derive(Debug, sqlx::FromRow)]
struct PlanRow {
    id: i64,
    young_person_id: i64,
    plan_version: i64,
    status: String,
    content: String,
    version: i64,
    created_by: String,
    created_at: SqlTimestamp,
    submitted_by: Option<String>,
    signed_off_by: Option<String>,
    signed_off_at: Option<SqlTimestamp>,
    manager_comments: Option<String>,
    agreed_on: Option<SqlDate>,
    agreement_method: Option<String>,
    active_from: Option<SqlDate>,
}

impl PlanRow {
    fn into_record(self) -> Result<PlanRecord> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt(format!("{what} {value:?}"));
        // Plans recorded before content was kept have none: they read as empty.
        let content = if self.content.is_empty() {
            PlanContent::default()
        } else {
            serde_json::from_str(&self.content).map_err(|e| corrupt("pathway plan content", &e.to_string()))?
        };
        Ok(PlanRecord {
            id: self.id,
            young_person_id: self.young_person_id,
            plan_version: self.plan_version,
            status: PlanStatus::parse(&self.status).ok_or_else(|| corrupt("plan status", &self.status))?,
            content,
            version: self.version,
            created_by: self.created_by,
            created_at: self.created_at.to_jiff(),
            submitted_by: self.submitted_by,
            signed_off_by: self.signed_off_by,
            signed_off_at: self.signed_off_at.map(|t| t.to_jiff()),
            manager_comments: self.manager_comments,
            agreed_on: self.agreed_on.map(|d| d.to_jiff()),
            agreement_method: match self.agreement_method {
                Some(m) => Some(AgreementMethod::parse(&m).ok_or_else(|| corrupt("agreement method", &m))?),
                None => None,
            },
            active_from: self.active_from.map(|d| d.to_jiff()),
        })
    }
}

macro_rules! plan_query {
    ($where:literal) => {
        concat!(
            "SELECT p.id, p.young_person_id, p.plan_version, p.status, p.content, p.version,
                    c.display_name AS created_by, p.created_at, s.display_name AS submitted_by,
                    m.display_name AS signed_off_by, p.signed_off_at, p.manager_comments, p.agreed_on,
                    p.agreement_method, p.active_from
             FROM pathway_plans p JOIN staff c ON c.id = p.created_by
             LEFT JOIN staff s ON s.id = p.submitted_by LEFT JOIN staff m ON m.id = p.signed_off_by
             WHERE ",
            $where
        )
    };
}

fn content_json(content: &PlanContent) -> Result<String> {
    serde_json::to_string(content).map_err(|e| StoreError::Corrupt(format!("pathway plan content: {e}")))
}

/// The SQL of a step and what it binds: comments, agreement date and method, and
/// the audit action.
type StepBinds<'a> = (
    &'static str,
    Option<&'a str>,
    Option<SqlDate>,
    Option<&'static str>,
    &'static str,
);

const STALE: &str = "Someone else changed this plan since you opened it. Your text is below: copy what you need, then open the plan again.";

impl Store {
    /// Starts the next version of a young person's plan as a draft, from the latest
    /// version's content (a review) or empty (a first plan). Refused while another
    /// version is still being worked on.
    pub async fn start_plan(&self, young_person_id: i64, first: &PlanContent, by: i64, now: Timestamp) -> Result<i64> {
        let at = whole_seconds(now).to_sqlx();
        let first = content_json(first)?;
        let id = with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let open: Option<i64> = sqlx::query_scalar(
                "SELECT plan_version FROM pathway_plans
                 WHERE young_person_id = $1 AND status IN ('draft', 'submitted', 'returned', 'signed_off')",
            )
            .bind(young_person_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(v) = open {
                return Err(StoreError::Conflict(format!("Version {v} of the plan is still being worked on")));
            }
            let latest: Option<(i64, String)> = sqlx::query_as(
                "SELECT plan_version, content FROM pathway_plans WHERE young_person_id = $1
                 ORDER BY plan_version DESC LIMIT 1",
            )
            .bind(young_person_id)
            .fetch_optional(&mut *tx)
            .await?;
            let (next, content) = match latest {
                Some((v, content)) => (v + 1, content),
                None => (1, first),
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO pathway_plans (young_person_id, plan_version, status, content, created_by, created_at, updated_at)
                 VALUES ($1, $2, 'draft', $3, $4, $5, $5) RETURNING id",
            )
            .bind(young_person_id)
            .bind(next)
            .bind(content)
            .bind(by)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "start_pathway_plan".into(),
                young_person_id: Some(young_person_id),
                detail: format!("pathway plan version {next}"),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// One plan version.
    pub async fn plan(&self, id: i64) -> Result<Option<PlanRecord>> {
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, PlanRow>(plan_query!("p.id = $1")).bind(id).fetch_optional(pool).await
        })?;
        row.map(PlanRow::into_record).transpose()
    }

    /// Every version of a young person's plan, latest first.
    pub async fn plans_of(&self, young_person_id: i64) -> Result<Vec<PlanRecord>> {
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, PlanRow>(plan_query!("p.young_person_id = $1 ORDER BY p.plan_version DESC"))
                .bind(young_person_id)
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter().map(PlanRow::into_record).collect()
    }

    /// Saves a draft's content if nobody saved since `expected_version`.
    pub async fn save_plan_content(
        &self,
        id: i64,
        expected_version: i64,
        content: &PlanContent,
        by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let at = whole_seconds(now).to_sqlx();
        let json = content_json(content)?;
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let young_person_id: Option<i64> = sqlx::query_scalar(
                "UPDATE pathway_plans SET content = $3, version = version + 1, updated_at = $4
                 WHERE id = $1 AND version = $2 AND status IN ('draft', 'returned') RETURNING young_person_id",
            )
            .bind(id)
            .bind(expected_version)
            .bind(json)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(young_person_id) = young_person_id else {
                return Err(StoreError::Conflict(STALE.into()));
            };
            let entry = AuditEntry {
                staff_id: Some(by),
                action: "edit_pathway_plan".into(),
                young_person_id: Some(young_person_id),
                detail: format!("pathway plan {id}"),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Takes a lifecycle step from `from` if nobody changed the plan since
    /// `expected_version`. Agreement makes the version active and replaces the last.
    pub async fn step_plan(
        &self,
        id: i64,
        expected_version: i64,
        from: PlanStatus,
        step: &PlanStep,
        by: i64,
        now: Timestamp,
    ) -> Result<()> {
        let at = whole_seconds(now).to_sqlx();
        let (sql, comments, on, method, action): StepBinds<'_> = match step {
            PlanStep::Submit => (
                "UPDATE pathway_plans SET status = 'submitted', submitted_by = $4, submitted_at = $5,
                     version = version + 1, updated_at = $5, manager_comments = COALESCE($6, manager_comments),
                     agreed_on = $7, agreement_method = $8
                 WHERE id = $1 AND version = $2 AND status = $3 RETURNING young_person_id",
                None,
                None,
                None,
                "submit_pathway_plan",
            ),
            PlanStep::SignOff { comments } => (
                "UPDATE pathway_plans SET status = 'signed_off', signed_off_by = $4, signed_off_at = $5,
                     version = version + 1, updated_at = $5, manager_comments = $6, agreed_on = $7, agreement_method = $8
                 WHERE id = $1 AND version = $2 AND status = $3 RETURNING young_person_id",
                comments.as_deref(),
                None,
                None,
                "sign_off_pathway_plan",
            ),
            PlanStep::Return { comments } => (
                "UPDATE pathway_plans SET status = 'returned', signed_off_by = $4, signed_off_at = $5,
                     version = version + 1, updated_at = $5, manager_comments = $6, agreed_on = $7, agreement_method = $8
                 WHERE id = $1 AND version = $2 AND status = $3 RETURNING young_person_id",
                Some(comments.as_str()),
                None,
                None,
                "return_pathway_plan",
            ),
            PlanStep::Agree { on, method } => (
                "UPDATE pathway_plans SET status = 'active', active_from = $7, agreed_on = $7, agreement_method = $8,
                     version = version + 1, updated_at = $5, manager_comments = COALESCE($6, manager_comments),
                     submitted_by = COALESCE(submitted_by, $4)
                 WHERE id = $1 AND version = $2 AND status = $3 RETURNING young_person_id",
                None,
                Some(sql_date(*on)),
                Some(method.code()),
                "agree_pathway_plan",
            ),
        };
        with_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let young_person_id: Option<i64> = sqlx::query_scalar(sql)
                .bind(id)
                .bind(expected_version)
                .bind(from.code())
                .bind(by)
                .bind(at)
                .bind(comments)
                .bind(on)
                .bind(method)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(young_person_id) = young_person_id else {
                return Err(StoreError::Conflict(STALE.into()));
            };
            if matches!(step, PlanStep::Agree { .. }) {
                sqlx::query(
                    "UPDATE pathway_plans SET status = 'superseded'
                     WHERE young_person_id = $1 AND status = 'active' AND id <> $2",
                )
                .bind(young_person_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            let entry = AuditEntry {
                staff_id: Some(by),
                action: action.into(),
                young_person_id: Some(young_person_id),
                detail: format!("pathway plan {id}"),
            };
            insert_audit(&mut *tx, &entry, at).await?;
            practice_changed!(&mut *tx, young_person_id);
            tx.commit().await?;
        });
        Ok(())
    }
}
