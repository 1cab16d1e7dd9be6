//! The report archive: making the quarterly report for a committee meeting, storing it as an
//! immutable archived report, approving it, and reading it back byte for byte.
//!
//! The report is built exactly as the plan pages build it ([`crate::plans::judge`]), always
//! with small cells hidden (it goes to the committee, whoever makes it) and always in Danish
//! (the committee's language). The meeting (committee and date) is stored with the archived
//! report.

use chrono::{Datelike, NaiveDate};
use indsats_domain::plan::PlanDocument;
use indsats_domain::{PlanId, Quarter};
use indsats_i18n::Locale;
use indsats_register::series::SeriesIndex;
use indsats_report::document::{Report, ReportError};
use indsats_report::labels::Labels;
use indsats_store::{
    ArchivedFile, ArchivedFormat, ArchivedReport, ArchivedReportId, NewArchivedReport, PlanVersion, Store, StoreError,
    UserId,
};

use crate::plans::{PlanError, PlanRequest, judge, latest_all, report_labels};

/// The longest committee name kept (the database holds the same limit).
pub const COMMITTEE_MAX: usize = 200;

/// Turns a built report into PDF bytes. The web passes one when it is built with PDF (the
/// `pdf` feature pulls in the Typst compiler, which this crate does not depend on).
pub type PdfRenderer = fn(&Report, &Labels, Option<NaiveDate>) -> Result<Vec<u8>, String>;

/// Why a report-archive use case did not go through. The caller words it for the user.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// No such plan or archived report (or document of it).
    #[error("no such plan or archived report")]
    NotFound,
    /// The committee's name is empty.
    #[error("the committee is empty")]
    CommitteeEmpty,
    /// The committee's name is longer than [`COMMITTEE_MAX`] characters.
    #[error("the committee is longer than {max} characters")]
    CommitteeTooLong {
        /// The limit.
        max: usize,
    },
    /// The meeting is before the report quarter has ended: its figures cannot be final.
    #[error("the meeting on {meeting} is before {quarter} ends")]
    MeetingBeforeQuarterEnds {
        /// The meeting day asked for.
        meeting: NaiveDate,
        /// The report quarter.
        quarter: Quarter,
        /// The first day a meeting may be held.
        earliest: NaiveDate,
    },
    /// The report cannot be made for this quarter (outside the plan, no figures);
    /// `Labels::error` words it.
    #[error("the report cannot be made: {0:?}")]
    Report(ReportError),
    /// The report is already approved; the first approval stands.
    #[error("the report is already approved")]
    AlreadyApproved,
    /// Rendering the documents failed: our fault.
    #[error("rendering failed: {0}")]
    Render(String),
    /// A stored plan no longer parses, or the database failed.
    #[error(transparent)]
    Plan(PlanError),
}

impl From<PlanError> for ArchiveError {
    fn from(err: PlanError) -> Self {
        match err {
            PlanError::NotFound => ArchiveError::NotFound,
            other => ArchiveError::Plan(other),
        }
    }
}

impl From<StoreError> for ArchiveError {
    fn from(err: StoreError) -> Self {
        ArchiveError::Plan(PlanError::Store(err))
    }
}

/// The first day after `quarter`: the earliest day a meeting about it may be held.
pub fn first_day_after(quarter: Quarter) -> NaiveDate {
    let (year, month) = if quarter.q() == 4 { (quarter.year() + 1, 1) } else { (quarter.year(), 3 * quarter.q() + 1) };
    // Quarters are bounded to years chrono represents; the fallback is never reached.
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MAX)
}

/// What a manager asks for when making the report for a meeting.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveRequest<'a> {
    /// The plan's id; its latest version is used.
    pub plan_id: &'a str,
    /// The report quarter.
    pub quarter: Quarter,
    /// The committee, e.g. "Beskæftigelsesudvalget"; blanks around it are dropped.
    pub committee: &'a str,
    /// The day of the meeting; after the quarter has ended.
    pub meeting_date: NaiveDate,
}

/// The register data set the served figures come from, as stored with an archived report: the
/// data set's version directory (`sets/v…`) when the panel was loaded from one, which names
/// exactly the files the figures were computed from; otherwise (a panel built in memory) the
/// newest quarter the panel holds for the municipality. `None` without register data.
pub fn dataset_version(plan: &PlanDocument, index: Option<&SeriesIndex>) -> Option<String> {
    use indsats_domain::indicator::{Category, Indicator};
    use indsats_domain::{Period, PeriodKind};
    let index = index?;
    if let Some(provenance) = index.provenance() {
        return Some(provenance.version.clone());
    }
    let key = indsats_register::series::SeriesKey {
        municipality: plan.plan.municipality.get(),
        indicator: Indicator::Befolkning,
        category: Category::Total,
        kind: PeriodKind::Quarter,
    };
    index.get(&key).iter().rev().find_map(|p| match p.period {
        Period::Quarter(q) => Some(format!("{q}")),
        _ => None,
    })
}

/// Makes the report of the plan's latest version for a meeting (HTML, and PDF when `pdf` is
/// given) and stores it in the archive with the meeting, recording `report.archive` by `by`.
/// Nothing is stored when the committee or the meeting date is refused or the report cannot
/// be made for the quarter.
pub async fn archive(
    store: &dyn Store,
    index: Option<&SeriesIndex>,
    by: UserId,
    request: ArchiveRequest<'_>,
    pdf: Option<PdfRenderer>,
) -> Result<ArchivedReport, ArchiveError> {
    let committee = request.committee.trim();
    if committee.is_empty() {
        return Err(ArchiveError::CommitteeEmpty);
    }
    if committee.chars().count() > COMMITTEE_MAX {
        return Err(ArchiveError::CommitteeTooLong { max: COMMITTEE_MAX });
    }
    let earliest = first_day_after(request.quarter);
    if request.meeting_date < earliest {
        return Err(ArchiveError::MeetingBeforeQuarterEnds {
            meeting: request.meeting_date,
            quarter: request.quarter,
            earliest,
        });
    }
    let meeting = indsats_report::document::Meeting { committee: committee.to_owned(), date: request.meeting_date };
    let plan_request = PlanRequest {
        plan_id: request.plan_id,
        version: None,
        quarter: Some(request.quarter),
        meeting: Some(&meeting),
        viewer: Some(by),
    };
    // The committee sees aggregates only, whoever makes its report.
    let judged = judge(store, index, false, plan_request, report_labels(Locale::Da)).await?;
    let labels = judged.labels;
    let report = match judged.report {
        Ok(report) => report,
        Err(e) => return Err(ArchiveError::Report(e)),
    };
    let html = indsats_report::html::render(&report, &labels).map_err(|e| ArchiveError::Render(e.to_string()))?;
    let made_on = chrono::Local::now().date_naive();
    let pdf = match pdf {
        Some(render) => Some(
            // Typst lays out pages for a while; keep it off the async workers.
            tokio::task::spawn_blocking(move || render(&report, &labels, Some(made_on)))
                .await
                .map_err(|e| ArchiveError::Render(e.to_string()))?
                .map_err(ArchiveError::Render)?,
        ),
        None => None,
    };
    let new = NewArchivedReport {
        plan: judged.version.plan_id.clone(),
        plan_version: judged.version.version,
        quarter: request.quarter,
        committee: committee.to_owned(),
        meeting_date: request.meeting_date,
        dataset_version: dataset_version(&judged.plan, index),
        made_at: indsats_store::unix_now(),
        html: html.into_bytes(),
        pdf,
    };
    Ok(store.archive_report(&new, by).await?)
}

/// Approves an archived report for its meeting, recording `report.approve` by `by`. A second
/// approval is [`ArchiveError::AlreadyApproved`] and changes nothing.
pub async fn approve(store: &dyn Store, by: UserId, id: i64) -> Result<ArchivedReport, ArchiveError> {
    match store.approve_report(ArchivedReportId(id), indsats_store::unix_now(), by).await {
        Ok(Some(approved)) => Ok(approved),
        Ok(None) => Err(ArchiveError::NotFound),
        Err(StoreError::Conflict(_)) => Err(ArchiveError::AlreadyApproved),
        Err(e) => Err(e.into()),
    }
}

/// One stored document of an archived report, with the report it belongs to.
pub async fn file(
    store: &dyn Store,
    id: i64,
    format: ArchivedFormat,
) -> Result<(ArchivedReport, ArchivedFile), ArchiveError> {
    let id = ArchivedReportId(id);
    let report = store.archived_report(id).await?.ok_or(ArchiveError::NotFound)?;
    let file = store.archived_report_file(id, format).await?.ok_or(ArchiveError::NotFound)?;
    Ok((report, file))
}

/// A plan with its archived reports, newest first.
#[derive(Debug)]
pub struct PlanArchive {
    /// The plan's latest version.
    pub version: PlanVersion,
    /// The plan.
    pub plan: PlanDocument,
    /// Its archived reports, newest first (of any version).
    pub reports: Vec<ArchivedReport>,
}

/// Every plan (latest version, ordered by title) with its archived reports.
pub async fn by_plan(store: &dyn Store) -> Result<Vec<PlanArchive>, ArchiveError> {
    let mut archived = store.archived_reports().await?;
    let plans = latest_all(store).await?;
    Ok(plans
        .into_iter()
        .map(|(version, plan)| {
            let id: &PlanId = &version.plan_id;
            let (mine, rest): (Vec<_>, Vec<_>) = archived.drain(..).partition(|r| &r.plan_id == id);
            archived = rest;
            PlanArchive { version, plan, reports: mine }
        })
        .collect())
}

/// The meeting day a form suggests for `quarter`'s report.
pub fn suggested_meeting(quarter: Quarter) -> NaiveDate {
    let first = first_day_after(quarter);
    // A month into the next quarter, the usual time for the committee's quarterly meeting.
    first.with_day(15).unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_may_be_held_from_the_day_after_the_quarter() {
        let q = |s: &str| s.parse::<Quarter>().unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(first_day_after(q("2022Q4")), day(2023, 1, 1));
        assert_eq!(first_day_after(q("2022Q1")), day(2022, 4, 1));
        assert_eq!(first_day_after(q("2022Q2")), day(2022, 7, 1));
        assert_eq!(first_day_after(q("2022Q3")), day(2022, 10, 1));
        assert_eq!(suggested_meeting(q("2022Q4")), day(2023, 1, 15));
    }

    /// Two residents of Gladsaxe (159), one on dagpenge through 2022.
    fn dataset() -> indsats_register::Dataset {
        use indsats_domain::{BenefitGroup, IsoWeek, Origin, Sex};
        use indsats_register::{BenefitSpell, Dataset, Person, Residence};
        let born = NaiveDate::from_ymd_opt(1980, 3, 1).unwrap();
        let persons = (0..2).map(|id| Person { id, birth_date: born, sex: Sex::M, origin: Origin::Dansk }).collect();
        let residences =
            (0..2).map(|id| Residence { person_id: id, municipality: 159, from: NaiveDate::MIN, to: None }).collect();
        let (from, to) = (IsoWeek::new(2022, 1).unwrap(), IsoWeek::new(2022, 52).unwrap());
        let benefits = vec![BenefitSpell { person_id: 0, group: BenefitGroup::ADagpenge, from, to }];
        Dataset::new(persons, residences, benefits, Vec::new()).unwrap()
    }

    #[test]
    fn an_archived_reports_data_version_names_the_data_set_it_was_made_from() {
        let plan = indsats_domain::plan::parse(include_str!("../../../plans/gladsaxe-2022.toml")).unwrap();
        let provenance = indsats_register::import::Provenance { version: "v17-42".into(), synthetic: true };
        let loaded = SeriesIndex::recent(&dataset().with_provenance(provenance)).unwrap();
        assert_eq!(dataset_version(&plan, Some(&loaded)).as_deref(), Some("v17-42"));
        // A panel built in memory has no data set directory: the newest quarter tells it apart.
        let in_memory = SeriesIndex::recent(&dataset()).unwrap();
        assert_eq!(dataset_version(&plan, Some(&in_memory)).as_deref(), Some("2022Q4"));
        assert_eq!(dataset_version(&plan, None), None);
    }
}
