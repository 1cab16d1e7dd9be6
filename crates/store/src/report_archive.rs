//! The archive of quarterly reports made for committee meetings.
//!
//! An archived report is the document as it was handed to the committee: its bytes (HTML,
//! and PDF when the build has PDF) with their SHA-256, the plan version, quarter and register
//! data set it was made from, the committee and meeting, who made it and when. It is written
//! once and never changed (migration `0004_report_archive.sql` makes the database refuse
//! UPDATE and DELETE), so it downloads byte-identical after new data or a new plan version.
//! Approval is a row of its own, one per report: a second approval is refused with
//! [`StoreError::Conflict`] (`report_approval`) and the first stands. Both writes record
//! their audit event (`report.archive`, `report.approve`) in the same transaction.

use chrono::NaiveDate;
use indsats_domain::{AuditEvent, PlanId, Quarter, UserId, Username};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// The payload of the [`StoreError::Conflict`] returned by [`ReportArchive::approve_report`]
/// when the report is already approved.
pub const REPORT_APPROVAL_CONFLICT: &str = "report_approval";

/// An archived report's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArchivedReportId(pub i64);

impl std::fmt::Display for ArchivedReportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Which of an archived report's documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchivedFormat {
    /// The self-contained HTML file.
    Html,
    /// The PDF (absent when the report was made by a build without PDF).
    Pdf,
}

/// A report about to be archived ([`ReportArchive::archive_report`]).
#[derive(Debug, Clone)]
pub struct NewArchivedReport {
    /// The plan.
    pub plan: PlanId,
    /// The stored plan version it was made from.
    pub plan_version: i64,
    /// The report quarter.
    pub quarter: Quarter,
    /// The committee it is made for, e.g. "Beskæftigelsesudvalget".
    pub committee: String,
    /// The day of the meeting.
    pub meeting_date: NaiveDate,
    /// The register data set the figures came from; `None` without register data.
    pub dataset_version: Option<String>,
    /// When it was made (Unix seconds); also the time of its audit event.
    pub made_at: i64,
    /// The HTML document.
    pub html: Vec<u8>,
    /// The PDF document, when the build makes PDF.
    pub pdf: Option<Vec<u8>>,
}

/// Who approved an archived report, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The manager who approved it.
    pub by: Option<Username>,
    /// When (Unix seconds).
    pub at: i64,
}

/// An archived report without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedReport {
    /// Its id.
    pub id: ArchivedReportId,
    /// The plan.
    pub plan_id: PlanId,
    /// The plan version it was made from.
    pub plan_version: i64,
    /// The report quarter.
    pub quarter: Quarter,
    /// The committee.
    pub committee: String,
    /// The meeting day.
    pub meeting_date: NaiveDate,
    /// The register data set the figures came from.
    pub dataset_version: Option<String>,
    /// Who made it.
    pub made_by: Option<Username>,
    /// When (Unix seconds).
    pub made_at: i64,
    /// SHA-256 of the HTML, lower-case hex.
    pub html_sha256: String,
    /// SHA-256 of the PDF, when there is one.
    pub pdf_sha256: Option<String>,
    /// The approval, once given.
    pub approval: Option<Approval>,
}

/// One stored document of an archived report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedFile {
    /// The bytes exactly as stored.
    pub bytes: Vec<u8>,
    /// Their SHA-256, lower-case hex, as stored.
    pub sha256: String,
}

/// The SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

#[derive(sqlx::FromRow)]
pub(crate) struct ArchivedReportRow {
    id: i64,
    plan_id: String,
    plan_version: i64,
    quarter: String,
    committee: String,
    meeting_date: String,
    dataset_version: Option<String>,
    made_by: Option<String>,
    made_at: i64,
    html_sha256: String,
    pdf_sha256: Option<String>,
    approved_by: Option<String>,
    approved_at: Option<i64>,
}

impl TryFrom<ArchivedReportRow> for ArchivedReport {
    type Error = StoreError;
    fn try_from(row: ArchivedReportRow) -> Result<Self, StoreError> {
        let key = || format!("id={}", row.id);
        let corrupt =
            |column: &str, e: &dyn std::fmt::Display| StoreError::corrupt("archived_reports", key(), column, e);
        let username = |name: Option<String>, column: &str| {
            name.map(|n| Username::parse(&n).map_err(|e| corrupt(column, &e))).transpose()
        };
        Ok(ArchivedReport {
            id: ArchivedReportId(row.id),
            plan_id: PlanId::parse(&row.plan_id).map_err(|e| corrupt("plan_id", &e))?,
            quarter: row.quarter.parse().map_err(|e| corrupt("quarter", &e))?,
            meeting_date: NaiveDate::parse_from_str(&row.meeting_date, "%Y-%m-%d")
                .map_err(|e| corrupt("meeting_date", &e))?,
            made_by: username(row.made_by, "made_by (users.username)")?,
            approval: match row.approved_at {
                Some(at) => Some(Approval { by: username(row.approved_by, "approved_by (users.username)")?, at }),
                None => None,
            },
            plan_version: row.plan_version,
            committee: row.committee,
            dataset_version: row.dataset_version,
            made_at: row.made_at,
            html_sha256: row.html_sha256,
            pdf_sha256: row.pdf_sha256,
        })
    }
}

/// The query reading [`ArchivedReportRow`]s, with who made and who approved each.
macro_rules! archived_report_query {
    ($rest:literal) => {
        concat!(
            "SELECT r.id, r.plan_id, r.plan_version, r.quarter, r.committee, r.meeting_date, r.dataset_version, \
             m.username AS made_by, r.made_at, r.html_sha256, r.pdf_sha256, \
             a.username AS approved_by, p.approved_at \
             FROM archived_reports r LEFT JOIN users m ON m.id = r.made_by \
             LEFT JOIN archived_report_approvals p ON p.report_id = r.id \
             LEFT JOIN users a ON a.id = p.approved_by ",
            $rest
        )
    };
}
pub(crate) use archived_report_query;

/// Persistence of the report archive.
#[async_trait::async_trait]
pub trait ReportArchive {
    /// Stores a made report with the SHA-256 of each document and records `report.archive`
    /// by `actor` (who becomes [`ArchivedReport::made_by`]) in one transaction. The plan
    /// version must be stored (a foreign key); the caller checks the meeting date.
    async fn archive_report(&self, new: &NewArchivedReport, actor: UserId) -> Result<ArchivedReport, StoreError>;
    /// Approves an archived report for its meeting and records `report.approve` by `actor`,
    /// in one transaction. `None` when there is no such report; when it is already approved,
    /// nothing is written and the error is `StoreError::Conflict(REPORT_APPROVAL_CONFLICT)`.
    async fn approve_report(
        &self,
        id: ArchivedReportId,
        at: i64,
        actor: UserId,
    ) -> Result<Option<ArchivedReport>, StoreError>;
    /// Every archived report, by plan id and then newest first.
    async fn archived_reports(&self) -> Result<Vec<ArchivedReport>, StoreError>;
    /// One archived report, without its bytes.
    async fn archived_report(&self, id: ArchivedReportId) -> Result<Option<ArchivedReport>, StoreError>;
    /// One document of an archived report exactly as stored; `None` when there is no such
    /// report or it has no such document (a PDF made without PDF).
    async fn archived_report_file(
        &self,
        id: ArchivedReportId,
        format: ArchivedFormat,
    ) -> Result<Option<ArchivedFile>, StoreError>;
}

impl_for_both! {
    impl ReportArchive {
        async fn archive_report(&self, new: &NewArchivedReport, actor: UserId) -> Result<ArchivedReport, StoreError> {
            let html_sha256 = crate::report_archive::sha256_hex(&new.html);
            let pdf_sha256 = new.pdf.as_deref().map(crate::report_archive::sha256_hex);
            let mut tx = self.pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO archived_reports (plan_id, plan_version, quarter, committee, meeting_date, dataset_version, \
                 made_by, made_at, html, html_sha256, pdf, pdf_sha256) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(new.plan.as_str())
            .bind(new.plan_version)
            .bind(new.quarter.to_string())
            .bind(&new.committee)
            .bind(new.meeting_date.format("%Y-%m-%d").to_string())
            .bind(new.dataset_version.as_deref())
            .bind(actor.0)
            .bind(new.made_at)
            .bind(new.html.as_slice())
            .bind(&html_sha256)
            .bind(new.pdf.as_deref())
            .bind(pdf_sha256.as_deref())
            .fetch_one(&mut *tx)
            .await?;
            let row: crate::report_archive::ArchivedReportRow =
                sqlx::query_as(crate::report_archive::archived_report_query!("WHERE r.id = $1"))
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            let archived = ArchivedReport::try_from(row)?;
            let event = AuditEvent::ReportArchived {
                report: id,
                plan: new.plan.clone(),
                version: new.plan_version,
                quarter: new.quarter,
            };
            crate::audit::append_audit!(tx, &event, Some(actor), new.made_at);
            tx.commit().await?;
            Ok(archived)
        }

        async fn approve_report(
            &self,
            id: ArchivedReportId,
            at: i64,
            actor: UserId,
        ) -> Result<Option<ArchivedReport>, StoreError> {
            let mut tx = self.pool.begin().await?;
            // The insert carries the check: the approval's primary key is the report's id, so
            // of two concurrent approvals one writes a row and the other none.
            let written = sqlx::query(
                "INSERT INTO archived_report_approvals (report_id, approved_by, approved_at) \
                 SELECT id, $2, $3 FROM archived_reports WHERE id = $1 \
                 ON CONFLICT (report_id) DO NOTHING",
            )
            .bind(id.0)
            .bind(actor.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let row: Option<crate::report_archive::ArchivedReportRow> =
                sqlx::query_as(crate::report_archive::archived_report_query!("WHERE r.id = $1"))
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some(row) = row else {
                tx.rollback().await?;
                return Ok(None);
            };
            if written.rows_affected() == 0 {
                tx.rollback().await?;
                return Err(StoreError::Conflict(crate::report_archive::REPORT_APPROVAL_CONFLICT.into()));
            }
            let approved = ArchivedReport::try_from(row)?;
            let event = AuditEvent::ReportApproved { report: id.0, plan: approved.plan_id.clone() };
            crate::audit::append_audit!(tx, &event, Some(actor), at);
            tx.commit().await?;
            Ok(Some(approved))
        }

        async fn archived_reports(&self) -> Result<Vec<ArchivedReport>, StoreError> {
            let rows: Vec<crate::report_archive::ArchivedReportRow> = sqlx::query_as(
                crate::report_archive::archived_report_query!("ORDER BY r.plan_id, r.made_at DESC, r.id DESC"),
            )
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(ArchivedReport::try_from).collect()
        }

        async fn archived_report(&self, id: ArchivedReportId) -> Result<Option<ArchivedReport>, StoreError> {
            let row: Option<crate::report_archive::ArchivedReportRow> =
                sqlx::query_as(crate::report_archive::archived_report_query!("WHERE r.id = $1"))
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await?;
            row.map(ArchivedReport::try_from).transpose()
        }

        async fn archived_report_file(
            &self,
            id: ArchivedReportId,
            format: ArchivedFormat,
        ) -> Result<Option<ArchivedFile>, StoreError> {
            let query = match format {
                ArchivedFormat::Html => "SELECT html AS bytes, html_sha256 AS sha256 FROM archived_reports WHERE id = $1",
                ArchivedFormat::Pdf => "SELECT pdf AS bytes, pdf_sha256 AS sha256 FROM archived_reports WHERE id = $1",
            };
            let row: Option<(Option<Vec<u8>>, Option<String>)> =
                sqlx::query_as(query).bind(id.0).fetch_optional(&self.pool).await?;
            Ok(match row {
                Some((Some(bytes), Some(sha256))) => Some(ArchivedFile { bytes, sha256 }),
                _ => None,
            })
        }
    }
}
