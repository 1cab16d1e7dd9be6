//! What the operational figures are computed from: every case with its dates, target groups
//! and caseworkers over time, held conversations and offers, and nothing that names the
//! citizen (no name, address or CPR number).
//!
//! The read is audited like every read of case data, as one `cases.figures` event with the
//! number of cases read: the figures are aggregates, so no citizen is shown to the reader.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use indsats_domain::case::{ConversationKind, EducationLevel, OfferKind, TargetGroup};
use indsats_domain::{AuditEvent, BenefitGroup, CitizenId, UserId};

use crate::StoreError;

/// One case as the operational figures see it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFacts {
    /// The citizen.
    pub citizen: CitizenId,
    /// Birth date, for the age bands and the rules for the under-30s.
    pub birth_date: NaiveDate,
    /// Highest education, for the rules that depend on it.
    pub education: EducationLevel,
    /// The benefit received (the current one: cases keep no history of it).
    pub benefit: BenefitGroup,
    /// The current target group.
    pub target_group: TargetGroup,
    /// The day the current course started.
    pub course_start: NaiveDate,
    /// When the case was opened.
    pub opened_on: NaiveDate,
    /// When it was closed; `None` while open.
    pub closed_on: Option<NaiveDate>,
    /// Target groups from a date, oldest first.
    pub target_groups: Vec<(TargetGroup, NaiveDate)>,
    /// Caseworkers from a date, oldest first.
    pub caseworkers: Vec<(UserId, NaiveDate)>,
    /// Conversations held, oldest first: when and of what kind.
    pub held: Vec<(NaiveDateTime, ConversationKind)>,
    /// Offers, by first day: kind, first and last day, hours per week.
    pub offers: Vec<CaseOffer>,
}

/// An offer as the figures see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseOffer {
    /// Kind.
    pub kind: OfferKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Hours per week.
    pub hours: f64,
}

/// Reading the cases for the operational figures.
#[async_trait::async_trait]
pub trait CaseFigures {
    /// Every case (open or closed), by id, recording `cases.figures` by `actor` (`None`: the
    /// application itself, e.g. a command run on the server).
    async fn case_facts(&self, actor: Option<UserId>) -> Result<Vec<CaseFacts>, StoreError>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct FactsRow {
    id: i64,
    birth_date: String,
    education: String,
    benefit: String,
    target_group: String,
    course_start: String,
    opened_on: String,
    closed_on: Option<String>,
}

impl_for_both! {
    impl CaseFigures {
        async fn case_facts(&self, actor: Option<UserId>) -> Result<Vec<CaseFacts>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let cases: Vec<crate::case_figures::FactsRow> = sqlx::query_as(
                "SELECT id, birth_date, education, benefit, target_group, course_start, opened_on, closed_on \
                 FROM citizens ORDER BY id",
            )
            .fetch_all(&mut *tx)
            .await?;
            // One query per table for every case, not one per case.
            let groups: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT citizen_id, target_group, from_date FROM target_group_history \
                 ORDER BY citizen_id, from_date, set_at",
            )
            .fetch_all(&mut *tx)
            .await?;
            let workers: Vec<(i64, i64, String)> = sqlx::query_as(
                "SELECT citizen_id, user_id, from_date FROM caseworker_history ORDER BY citizen_id, from_date, set_at",
            )
            .fetch_all(&mut *tx)
            .await?;
            let held: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT citizen_id, at, kind FROM conversations WHERE status = 'held' ORDER BY citizen_id, at, id",
            )
            .fetch_all(&mut *tx)
            .await?;
            let offers: Vec<(i64, String, String, String, f64)> = sqlx::query_as(
                "SELECT citizen_id, kind, start_date, end_date, hours FROM offers ORDER BY citizen_id, start_date, id",
            )
            .fetch_all(&mut *tx)
            .await?;
            let read = i64::try_from(cases.len()).unwrap_or(i64::MAX);
            crate::audit::append_audit!(tx, &AuditEvent::CaseFiguresRead { cases: read }, actor, crate::unix_now());
            tx.commit().await?;
            crate::case_figures::assemble(cases, &groups, &workers, &held, &offers)
        }
    }
}

const DATE_TIME: &str = "%Y-%m-%dT%H:%M";

fn assemble(
    cases: Vec<FactsRow>,
    groups: &[(i64, String, String)],
    workers: &[(i64, i64, String)],
    held: &[(i64, String, String)],
    offers: &[(i64, String, String, String, f64)],
) -> Result<Vec<CaseFacts>, StoreError> {
    use crate::cases::{date, parsed};
    let mut out: Vec<CaseFacts> = Vec::with_capacity(cases.len());
    for c in cases {
        const T: &str = "citizens";
        let key = || format!("id={}", c.id);
        out.push(CaseFacts {
            citizen: CitizenId(c.id),
            birth_date: date(T, &key, "birth_date", &c.birth_date)?,
            education: parsed(T, &key, "education", &c.education)?,
            benefit: parsed(T, &key, "benefit", &c.benefit)?,
            target_group: parsed(T, &key, "target_group", &c.target_group)?,
            course_start: date(T, &key, "course_start", &c.course_start)?,
            opened_on: date(T, &key, "opened_on", &c.opened_on)?,
            closed_on: c.closed_on.as_deref().map(|d| date(T, &key, "closed_on", d)).transpose()?,
            target_groups: Vec::new(),
            caseworkers: Vec::new(),
            held: Vec::new(),
            offers: Vec::new(),
        });
    }
    let at: HashMap<i64, usize> = out.iter().enumerate().map(|(i, c)| (c.citizen.0, i)).collect();
    // Rows of a citizen that is gone cannot exist (foreign keys); skipping one keeps the figures whole.
    let case = |id: i64| at.get(&id).copied();
    for (id, group, from) in groups {
        let key = || format!("citizen_id={id}");
        let entry = (
            parsed("target_group_history", &key, "target_group", group)?,
            date("target_group_history", &key, "from_date", from)?,
        );
        if let Some(i) = case(*id) {
            out[i].target_groups.push(entry);
        }
    }
    for (id, user, from) in workers {
        let key = || format!("citizen_id={id}");
        let entry = (UserId(*user), date("caseworker_history", &key, "from_date", from)?);
        if let Some(i) = case(*id) {
            out[i].caseworkers.push(entry);
        }
    }
    for (id, when, kind) in held {
        let key = || format!("citizen_id={id}");
        let when = NaiveDateTime::parse_from_str(when, DATE_TIME)
            .map_err(|e| StoreError::corrupt("conversations", key(), "at", e))?;
        let entry = (when, parsed("conversations", &key, "kind", kind)?);
        if let Some(i) = case(*id) {
            out[i].held.push(entry);
        }
    }
    for (id, kind, start, end, hours) in offers {
        let key = || format!("citizen_id={id}");
        let entry = CaseOffer {
            kind: parsed("offers", &key, "kind", kind)?,
            start: date("offers", &key, "start_date", start)?,
            end: date("offers", &key, "end_date", end)?,
            hours: *hours,
        };
        if let Some(i) = case(*id) {
            out[i].offers.push(entry);
        }
    }
    Ok(out)
}
