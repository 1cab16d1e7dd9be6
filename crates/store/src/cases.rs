//! Citizens' cases: the citizen, target group and caseworker over time, conversations and
//! offers.
//!
//! Every method that reads a citizen's data writes its audit event (`citizen.view`,
//! `citizen.cpr`, `citizen.search`, `citizen.worklist`) in the read's own transaction, like
//! the changes do: a read that left no trace cannot happen. The store never sees a CPR
//! number in the clear, only the keyed lookup hash and the sealed value the application's
//! vault makes.

use chrono::{NaiveDate, NaiveDateTime};
use indsats_domain::case::{
    AccessReason, ConversationKind, ConversationStatus, Disco08, EducationLevel, OfferKind, OfferOutcome, TargetGroup,
};
use indsats_domain::ids::{ConversationId, OfferId};
use indsats_domain::rules::Held;
use indsats_domain::{AuditEvent, BenefitGroup, CitizenId, UserId, Username};

use crate::StoreError;

/// The payload of [`StoreError::Conflict`] when a citizen with the same CPR number exists.
pub const CITIZEN_EXISTS: &str = "citizen_exists";
/// The payload of [`StoreError::Conflict`] when a conversation changed since it was read.
pub const CONVERSATION_CONFLICT: &str = "conversation";

const DATE: &str = "%Y-%m-%d";
const DATE_TIME: &str = "%Y-%m-%dT%H:%M";

/// What a citizen tells about themselves, kept on the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Full name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// Telephone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Preferred language (free text, e.g. "dansk", "arabisk").
    pub language: String,
    /// Whether an interpreter is needed.
    pub interpreter: bool,
    /// Highest completed education.
    pub education: EducationLevel,
    /// Wished occupations.
    pub wished_occupations: Vec<Disco08>,
}

/// A new case ([`Cases::create_citizen`]).
#[derive(Debug, Clone)]
pub struct NewCitizen {
    /// The keyed hash of the CPR number.
    pub cpr_lookup: String,
    /// The sealed CPR number.
    pub cpr_sealed: String,
    /// Birth date (from the CPR number).
    pub birth_date: NaiveDate,
    /// The citizen's details.
    pub profile: Profile,
    /// The benefit received.
    pub benefit: BenefitGroup,
    /// The target group.
    pub target_group: TargetGroup,
    /// The day the current course started, from which the rules count.
    pub course_start: NaiveDate,
    /// The responsible caseworker.
    pub caseworker: Option<UserId>,
    /// When the case was opened.
    pub opened_on: NaiveDate,
    /// When it was recorded, Unix seconds.
    pub created_at: i64,
}

/// A citizen's case as stored.
#[derive(Debug, Clone)]
pub struct Citizen {
    /// Id.
    pub id: CitizenId,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Details.
    pub profile: Profile,
    /// The benefit received.
    pub benefit: BenefitGroup,
    /// The current target group.
    pub target_group: TargetGroup,
    /// The day the current course started.
    pub course_start: NaiveDate,
    /// The responsible caseworker's id and login name.
    pub caseworker: Option<(UserId, Username)>,
    /// When the case was opened.
    pub opened_on: NaiveDate,
    /// When it was closed; `None` while open.
    pub closed_on: Option<NaiveDate>,
    /// Revision, for detecting concurrent edits.
    pub revision: i64,
}

impl Citizen {
    /// The CPR number as shown until someone asks to see it: `DDMMYY-xxxx`.
    pub fn masked_cpr(&self) -> String {
        format!("{}-xxxx", self.birth_date.format("%d%m%y"))
    }
}

/// A conversation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    /// Id.
    pub id: ConversationId,
    /// Kind.
    pub kind: ConversationKind,
    /// Status.
    pub status: ConversationStatus,
    /// When, local time.
    pub at: NaiveDateTime,
    /// The short note.
    pub note: String,
    /// Who recorded it last.
    pub recorded_by: Option<Username>,
    /// Revision, for detecting concurrent edits.
    pub revision: i64,
}

/// An offer as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// Id.
    pub id: OfferId,
    /// Kind.
    pub kind: OfferKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Hours per week.
    pub hours: f64,
    /// Company or place.
    pub place: String,
    /// How it ended; `None` while running or not yet judged.
    pub outcome: Option<OfferOutcome>,
    /// Who registered it.
    pub registered_by: Option<Username>,
}

/// Everything on a case, as the case page shows it.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// The citizen.
    pub citizen: Citizen,
    /// Conversations, newest first.
    pub conversations: Vec<Conversation>,
    /// Offers, newest first.
    pub offers: Vec<Offer>,
    /// Target groups from a date, oldest first.
    pub target_groups: Vec<(TargetGroup, NaiveDate)>,
    /// Caseworkers from a date, oldest first.
    pub caseworkers: Vec<(Username, NaiveDate)>,
    /// Decisions with their complaints, newest first.
    pub decisions: Vec<crate::decisions::Decision>,
}

/// Whose a case is and whether it is open ([`Cases::case_access`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseAccess {
    /// The responsible caseworker.
    pub caseworker: Option<UserId>,
    /// When the case was closed; `None` while open.
    pub closed_on: Option<NaiveDate>,
}

/// A conversation to book, or the new status of one ([`Cases::save_conversations`]).
#[derive(Debug, Clone)]
pub struct ConversationChange {
    /// The conversation changed and the revision the user saw; `None` for a new one.
    pub existing: Option<(ConversationId, i64)>,
    /// Kind.
    pub kind: ConversationKind,
    /// Status.
    pub status: ConversationStatus,
    /// When.
    pub at: NaiveDateTime,
    /// The short note.
    pub note: String,
}

/// An offer to register ([`Cases::register_offer`]).
#[derive(Debug, Clone)]
pub struct NewOffer {
    /// Kind.
    pub kind: OfferKind,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Hours per week.
    pub hours: f64,
    /// Company or place.
    pub place: String,
}

/// One open case on a caseworker's worklist, with what the rules need to say what is due.
#[derive(Debug, Clone)]
pub struct WorklistRow {
    /// The citizen.
    pub citizen: CitizenId,
    /// Name.
    pub name: String,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Target group.
    pub target_group: TargetGroup,
    /// The day the current course started.
    pub course_start: NaiveDate,
    /// Highest education, for the rules that depend on it.
    pub education: EducationLevel,
    /// Conversations held since the course started, oldest first.
    pub held: Vec<Held>,
    /// The next booked conversation.
    pub next_booked: Option<NaiveDateTime>,
    /// The first day of the first offer started since the course started.
    pub first_offer: Option<NaiveDate>,
    /// The last day of the offer running today, if any.
    pub offer_ends: Option<NaiveDate>,
    /// The earliest review date of a planned or running effort in the current coherent plan.
    pub plan_review: Option<NaiveDate>,
}

/// Persistence of citizens' cases.
#[async_trait::async_trait]
pub trait Cases {
    /// Creates a case and records `citizen.create` by `actor`; a citizen with the same
    /// lookup hash gives `StoreError::Conflict(CITIZEN_EXISTS)`.
    async fn create_citizen(&self, new: &NewCitizen, actor: UserId) -> Result<CitizenId, StoreError>;
    /// The citizen with this CPR lookup hash, recording `citizen.search` by `actor`.
    async fn find_citizen(&self, lookup: &str, actor: UserId) -> Result<Option<CitizenId>, StoreError>;
    /// Whose the case is and whether it is open, without reading the citizen's data: what
    /// the access check and the checks before a change need. `None` for an unknown citizen.
    async fn case_access(&self, citizen: CitizenId) -> Result<Option<CaseAccess>, StoreError>;
    /// The whole case, recording `citizen.view` (with `reason`) by `actor`.
    async fn case_file(
        &self,
        citizen: CitizenId,
        actor: UserId,
        reason: Option<AccessReason>,
    ) -> Result<Option<CaseFile>, StoreError>;
    /// The sealed CPR number, recording `citizen.cpr` by `actor`.
    async fn sealed_cpr(&self, citizen: CitizenId, actor: UserId) -> Result<Option<String>, StoreError>;
    /// Books new conversations and records new statuses of existing ones, all or nothing,
    /// each with its `case.conversation` event. An existing conversation whose revision is
    /// no longer the one given gives `StoreError::Conflict(CONVERSATION_CONFLICT)`.
    async fn save_conversations(
        &self,
        citizen: CitizenId,
        changes: &[ConversationChange],
        actor: UserId,
    ) -> Result<Vec<ConversationId>, StoreError>;
    /// Registers an offer and records `case.offer`.
    async fn register_offer(&self, citizen: CitizenId, new: &NewOffer, actor: UserId) -> Result<OfferId, StoreError>;
    /// The open cases of `caseworker`, by name, recording `citizen.worklist` by `actor`.
    async fn worklist(
        &self,
        caseworker: UserId,
        today: NaiveDate,
        actor: UserId,
    ) -> Result<Vec<WorklistRow>, StoreError>;
    /// How many citizens are stored (open or closed).
    async fn count_citizens(&self) -> Result<i64, StoreError>;
}

pub(crate) fn date(
    table: &'static str,
    key: &dyn Fn() -> String,
    column: &str,
    text: &str,
) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, DATE).map_err(|e| StoreError::corrupt(table, key(), column, e))
}

pub(crate) fn parsed<T: std::str::FromStr>(
    table: &'static str,
    key: &dyn Fn() -> String,
    column: &str,
    text: &str,
) -> Result<T, StoreError>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e| StoreError::corrupt(table, key(), column, e))
}

fn username(
    table: &'static str,
    key: &dyn Fn() -> String,
    column: &str,
    name: Option<String>,
) -> Result<Option<Username>, StoreError> {
    name.map(|n| Username::parse(&n).map_err(|e| StoreError::corrupt(table, key(), column, e))).transpose()
}

#[derive(sqlx::FromRow)]
pub(crate) struct CitizenRow {
    id: i64,
    birth_date: String,
    name: String,
    address: String,
    phone: String,
    email: String,
    language: String,
    interpreter: bool,
    education: String,
    wished_occupations: String,
    benefit: String,
    target_group: String,
    course_start: String,
    caseworker_id: Option<i64>,
    caseworker: Option<String>,
    opened_on: String,
    closed_on: Option<String>,
    revision: i64,
}

/// The columns [`CitizenRow`] reads, from `citizens c LEFT JOIN users u ON u.id = c.caseworker_id`.
macro_rules! citizen_columns {
    () => {
        "c.id, c.birth_date, c.name, c.address, c.phone, c.email, c.language, c.interpreter, c.education, \
         c.wished_occupations, c.benefit, c.target_group, c.course_start, c.caseworker_id, \
         u.username AS caseworker, c.opened_on, c.closed_on, c.revision"
    };
}
pub(crate) use citizen_columns;

impl TryFrom<CitizenRow> for Citizen {
    type Error = StoreError;
    fn try_from(row: CitizenRow) -> Result<Self, StoreError> {
        const T: &str = "citizens";
        let key = || format!("id={}", row.id);
        let caseworker = match (row.caseworker_id, username(T, &key, "caseworker (users.username)", row.caseworker)?) {
            (Some(id), Some(name)) => Some((UserId(id), name)),
            _ => None,
        };
        Ok(Citizen {
            id: CitizenId(row.id),
            birth_date: date(T, &key, "birth_date", &row.birth_date)?,
            profile: Profile {
                name: row.name,
                address: row.address,
                phone: row.phone,
                email: row.email,
                language: row.language,
                interpreter: row.interpreter,
                education: parsed(T, &key, "education", &row.education)?,
                wished_occupations: Disco08::parse_list(&row.wished_occupations)
                    .map_err(|bad| StoreError::corrupt(T, key(), "wished_occupations", format!("{bad:?}")))?,
            },
            benefit: parsed(T, &key, "benefit", &row.benefit)?,
            target_group: parsed(T, &key, "target_group", &row.target_group)?,
            course_start: date(T, &key, "course_start", &row.course_start)?,
            caseworker,
            opened_on: date(T, &key, "opened_on", &row.opened_on)?,
            closed_on: row.closed_on.as_deref().map(|d| date(T, &key, "closed_on", d)).transpose()?,
            revision: row.revision,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ConversationRow {
    id: i64,
    kind: String,
    status: String,
    at: String,
    note: String,
    recorded_by: Option<String>,
    revision: i64,
}

impl TryFrom<ConversationRow> for Conversation {
    type Error = StoreError;
    fn try_from(row: ConversationRow) -> Result<Self, StoreError> {
        const T: &str = "conversations";
        let key = || format!("id={}", row.id);
        Ok(Conversation {
            id: ConversationId(row.id),
            kind: parsed(T, &key, "kind", &row.kind)?,
            status: parsed(T, &key, "status", &row.status)?,
            at: NaiveDateTime::parse_from_str(&row.at, DATE_TIME)
                .map_err(|e| StoreError::corrupt(T, key(), "at", e))?,
            recorded_by: username(T, &key, "recorded_by (users.username)", row.recorded_by)?,
            note: row.note,
            revision: row.revision,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OfferRow {
    id: i64,
    kind: String,
    start_date: String,
    end_date: String,
    hours: f64,
    place: String,
    outcome: Option<String>,
    registered_by: Option<String>,
}

impl TryFrom<OfferRow> for Offer {
    type Error = StoreError;
    fn try_from(row: OfferRow) -> Result<Self, StoreError> {
        const T: &str = "offers";
        let key = || format!("id={}", row.id);
        Ok(Offer {
            id: OfferId(row.id),
            kind: parsed(T, &key, "kind", &row.kind)?,
            start: date(T, &key, "start_date", &row.start_date)?,
            end: date(T, &key, "end_date", &row.end_date)?,
            hours: row.hours,
            place: row.place,
            outcome: row.outcome.as_deref().map(|o| parsed(T, &key, "outcome", o)).transpose()?,
            registered_by: username(T, &key, "registered_by (users.username)", row.registered_by)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct WorklistQueryRow {
    id: i64,
    name: String,
    birth_date: String,
    target_group: String,
    education: String,
    course_start: String,
}

pub(crate) fn occupations_text(list: &[Disco08]) -> String {
    list.iter().map(Disco08::as_str).collect::<Vec<_>>().join(" ")
}

impl_for_both! {
    impl Cases {
        async fn create_citizen(&self, new: &NewCitizen, actor: UserId) -> Result<CitizenId, StoreError> {
            let mut tx = self.pool.begin().await?;
            let p = &new.profile;
            let opened = new.opened_on.format(DATE).to_string();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO citizens (cpr_lookup, cpr_sealed, birth_date, name, address, phone, email, language, \
                 interpreter, education, wished_occupations, benefit, target_group, course_start, caseworker_id, \
                 opened_on, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
            )
            .bind(&new.cpr_lookup)
            .bind(&new.cpr_sealed)
            .bind(new.birth_date.format(DATE).to_string())
            .bind(&p.name)
            .bind(&p.address)
            .bind(&p.phone)
            .bind(&p.email)
            .bind(&p.language)
            .bind(p.interpreter)
            .bind(p.education.code())
            .bind(crate::cases::occupations_text(&p.wished_occupations))
            .bind(new.benefit.as_str())
            .bind(new.target_group.code())
            .bind(new.course_start.format(DATE).to_string())
            .bind(new.caseworker.map(|u| u.0))
            .bind(&opened)
            .bind(new.created_at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(_) => StoreError::Conflict(CITIZEN_EXISTS.to_owned()),
                other => other,
            })?;
            sqlx::query(
                "INSERT INTO target_group_history (citizen_id, target_group, from_date, set_by, set_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(new.target_group.code())
            .bind(new.course_start.format(DATE).to_string())
            .bind(actor.0)
            .bind(new.created_at)
            .execute(&mut *tx)
            .await?;
            if let Some(caseworker) = new.caseworker {
                sqlx::query(
                    "INSERT INTO caseworker_history (citizen_id, user_id, from_date, set_by, set_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(caseworker.0)
                .bind(&opened)
                .bind(actor.0)
                .bind(new.created_at)
                .execute(&mut *tx)
                .await?;
            }
            let citizen = CitizenId(id);
            crate::audit::append_audit!(tx, &AuditEvent::CitizenCreated { citizen }, Some(actor), new.created_at);
            tx.commit().await?;
            Ok(citizen)
        }

        async fn find_citizen(&self, lookup: &str, actor: UserId) -> Result<Option<CitizenId>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM citizens WHERE cpr_lookup = $1")
                .bind(lookup)
                .fetch_optional(&mut *tx)
                .await?;
            let citizen = found.map(CitizenId);
            crate::audit::append_audit!(tx, &AuditEvent::CitizenSearched { citizen }, Some(actor), crate::unix_now());
            tx.commit().await?;
            Ok(citizen)
        }

        async fn case_access(&self, citizen: CitizenId) -> Result<Option<CaseAccess>, StoreError> {
            let row: Option<(Option<i64>, Option<String>)> =
                sqlx::query_as("SELECT caseworker_id, closed_on FROM citizens WHERE id = $1")
                    .bind(citizen.0)
                    .fetch_optional(&self.pool)
                    .await?;
            let key = || format!("id={}", citizen.0);
            row.map(|(caseworker, closed)| {
                Ok(CaseAccess {
                    caseworker: caseworker.map(UserId),
                    closed_on: closed.as_deref().map(|d| crate::cases::date("citizens", &key, "closed_on", d)).transpose()?,
                })
            })
            .transpose()
        }

        async fn case_file(
            &self,
            citizen: CitizenId,
            actor: UserId,
            reason: Option<AccessReason>,
        ) -> Result<Option<CaseFile>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let row: Option<crate::cases::CitizenRow> = sqlx::query_as(concat!(
                "SELECT ", crate::cases::citizen_columns!(),
                " FROM citizens c LEFT JOIN users u ON u.id = c.caseworker_id WHERE c.id = $1"
            ))
            .bind(citizen.0)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else {
                return Ok(None);
            };
            let conversations: Vec<crate::cases::ConversationRow> = sqlx::query_as(
                "SELECT v.id, v.kind, v.status, v.at, v.note, u.username AS recorded_by, v.revision \
                 FROM conversations v LEFT JOIN users u ON u.id = v.recorded_by \
                 WHERE v.citizen_id = $1 ORDER BY v.at DESC, v.id DESC",
            )
            .bind(citizen.0)
            .fetch_all(&mut *tx)
            .await?;
            let offers: Vec<crate::cases::OfferRow> = sqlx::query_as(
                "SELECT o.id, o.kind, o.start_date, o.end_date, o.hours, o.place, o.outcome, \
                 u.username AS registered_by \
                 FROM offers o LEFT JOIN users u ON u.id = o.registered_by \
                 WHERE o.citizen_id = $1 ORDER BY o.start_date DESC, o.id DESC",
            )
            .bind(citizen.0)
            .fetch_all(&mut *tx)
            .await?;
            let groups: Vec<(String, String)> = sqlx::query_as(
                "SELECT target_group, from_date FROM target_group_history WHERE citizen_id = $1 \
                 ORDER BY from_date, set_at",
            )
            .bind(citizen.0)
            .fetch_all(&mut *tx)
            .await?;
            let workers: Vec<(String, String)> = sqlx::query_as(
                "SELECT u.username, h.from_date FROM caseworker_history h JOIN users u ON u.id = h.user_id \
                 WHERE h.citizen_id = $1 ORDER BY h.from_date, h.set_at",
            )
            .bind(citizen.0)
            .fetch_all(&mut *tx)
            .await?;
            let decisions: Vec<crate::decisions::DecisionRow> =
                sqlx::query_as(crate::decisions::decisions_of_citizen!()).bind(citizen.0).fetch_all(&mut *tx).await?;
            crate::audit::append_audit!(
                tx,
                &AuditEvent::CaseViewed { citizen, reason },
                Some(actor),
                crate::unix_now()
            );
            tx.commit().await?;
            let key = || format!("citizen_id={}", citizen.0);
            Ok(Some(CaseFile {
                citizen: Citizen::try_from(row)?,
                conversations: conversations.into_iter().map(Conversation::try_from).collect::<Result<_, _>>()?,
                offers: offers.into_iter().map(Offer::try_from).collect::<Result<_, _>>()?,
                target_groups: groups
                    .iter()
                    .map(|(g, d)| {
                        Ok((
                            crate::cases::parsed("target_group_history", &key, "target_group", g)?,
                            crate::cases::date("target_group_history", &key, "from_date", d)?,
                        ))
                    })
                    .collect::<Result<_, StoreError>>()?,
                caseworkers: workers
                    .into_iter()
                    .map(|(u, d)| {
                        let name = Username::parse(&u)
                            .map_err(|e| StoreError::corrupt("caseworker_history", key(), "users.username", e))?;
                        Ok((name, crate::cases::date("caseworker_history", &key, "from_date", &d)?))
                    })
                    .collect::<Result<_, StoreError>>()?,
                decisions: crate::decisions::decisions_from(decisions)?,
            }))
        }

        async fn sealed_cpr(&self, citizen: CitizenId, actor: UserId) -> Result<Option<String>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let sealed: Option<String> = sqlx::query_scalar("SELECT cpr_sealed FROM citizens WHERE id = $1")
                .bind(citizen.0)
                .fetch_optional(&mut *tx)
                .await?;
            if sealed.is_some() {
                crate::audit::append_audit!(tx, &AuditEvent::CprRevealed { citizen }, Some(actor), crate::unix_now());
            }
            tx.commit().await?;
            Ok(sealed)
        }

        async fn save_conversations(
            &self,
            citizen: CitizenId,
            changes: &[ConversationChange],
            actor: UserId,
        ) -> Result<Vec<ConversationId>, StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            let mut ids = Vec::with_capacity(changes.len());
            for change in changes {
                let at = change.at.format(DATE_TIME).to_string();
                let id: Option<i64> = match change.existing {
                    None => Some(
                        sqlx::query_scalar(
                            "INSERT INTO conversations (citizen_id, kind, status, at, note, recorded_by, recorded_at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        )
                        .bind(citizen.0)
                        .bind(change.kind.code())
                        .bind(change.status.code())
                        .bind(&at)
                        .bind(&change.note)
                        .bind(actor.0)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await?,
                    ),
                    Some((id, revision)) => sqlx::query_scalar(
                        "UPDATE conversations SET kind = $1, status = $2, at = $3, note = $4, recorded_by = $5, \
                         recorded_at = $6, revision = revision + 1 \
                         WHERE id = $7 AND citizen_id = $8 AND revision = $9 RETURNING id",
                    )
                    .bind(change.kind.code())
                    .bind(change.status.code())
                    .bind(&at)
                    .bind(&change.note)
                    .bind(actor.0)
                    .bind(now)
                    .bind(id.0)
                    .bind(citizen.0)
                    .bind(revision)
                    .fetch_optional(&mut *tx)
                    .await?,
                };
                let Some(id) = id else {
                    return Err(StoreError::Conflict(CONVERSATION_CONFLICT.to_owned()));
                };
                let conversation = ConversationId(id);
                let event = AuditEvent::ConversationRecorded { citizen, conversation, status: change.status };
                crate::audit::append_audit!(tx, &event, Some(actor), now);
                ids.push(conversation);
            }
            tx.commit().await?;
            Ok(ids)
        }

        async fn register_offer(&self, citizen: CitizenId, new: &NewOffer, actor: UserId) -> Result<OfferId, StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO offers (citizen_id, kind, start_date, end_date, hours, place, registered_by, registered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(citizen.0)
            .bind(new.kind.code())
            .bind(new.start.format(DATE).to_string())
            .bind(new.end.format(DATE).to_string())
            .bind(new.hours)
            .bind(&new.place)
            .bind(actor.0)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let offer = OfferId(id);
            crate::audit::append_audit!(tx, &AuditEvent::OfferRegistered { citizen, offer, kind: new.kind }, Some(actor), now);
            tx.commit().await?;
            Ok(offer)
        }

        async fn worklist(
            &self,
            caseworker: UserId,
            today: NaiveDate,
            actor: UserId,
        ) -> Result<Vec<WorklistRow>, StoreError> {
            let mut tx = self.pool.begin().await?;
            crate::audit::lock_audit_head!(tx);
            let cases: Vec<crate::cases::WorklistQueryRow> = sqlx::query_as(
                "SELECT id, name, birth_date, target_group, education, course_start FROM citizens \
                 WHERE caseworker_id = $1 AND closed_on IS NULL ORDER BY name, id",
            )
            .bind(caseworker.0)
            .fetch_all(&mut *tx)
            .await?;
            // One query per table for the whole caseload, not one per case.
            let held: Vec<(i64, String, String)> = sqlx::query_as(
                "SELECT v.citizen_id, v.at, v.kind FROM conversations v JOIN citizens c ON c.id = v.citizen_id \
                 WHERE c.caseworker_id = $1 AND c.closed_on IS NULL AND v.status = 'held' \
                 AND v.at >= c.course_start ORDER BY v.citizen_id, v.at",
            )
            .bind(caseworker.0)
            .fetch_all(&mut *tx)
            .await?;
            let booked: Vec<(i64, String)> = sqlx::query_as(
                "SELECT v.citizen_id, MIN(v.at) FROM conversations v JOIN citizens c ON c.id = v.citizen_id \
                 WHERE c.caseworker_id = $1 AND c.closed_on IS NULL AND v.status = 'booked' \
                 GROUP BY v.citizen_id",
            )
            .bind(caseworker.0)
            .fetch_all(&mut *tx)
            .await?;
            let today_text = today.format(DATE).to_string();
            let offers: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT o.citizen_id, MIN(o.start_date), \
                 MAX(CASE WHEN o.start_date <= $2 AND o.end_date >= $2 THEN o.end_date END) \
                 FROM offers o JOIN citizens c ON c.id = o.citizen_id \
                 WHERE c.caseworker_id = $1 AND c.closed_on IS NULL AND o.start_date >= c.course_start \
                 GROUP BY o.citizen_id",
            )
            .bind(caseworker.0)
            .bind(&today_text)
            .fetch_all(&mut *tx)
            .await?;
            // The current plan version's efforts still to be followed up (the review-date index).
            let reviews: Vec<(i64, Option<String>)> = sqlx::query_as(
                "SELECT e.citizen_id, MIN(e.review_on) FROM citizen_plan_efforts e \
                 JOIN citizen_plans p ON p.citizen_id = e.citizen_id AND p.revision = e.revision \
                 JOIN citizens c ON c.id = e.citizen_id \
                 WHERE c.caseworker_id = $1 AND c.closed_on IS NULL AND e.status IN ('planned', 'running') \
                 AND e.review_on IS NOT NULL GROUP BY e.citizen_id",
            )
            .bind(caseworker.0)
            .fetch_all(&mut *tx)
            .await?;
            let citizens: Vec<CitizenId> = cases.iter().map(|c| CitizenId(c.id)).collect();
            crate::audit::append_audit!(tx, &AuditEvent::WorklistViewed { citizens }, Some(actor), crate::unix_now());
            tx.commit().await?;
            crate::cases::assemble_worklist(cases, &held, &booked, &offers, &reviews)
        }

        async fn count_citizens(&self) -> Result<i64, StoreError> {
            Ok(sqlx::query_scalar("SELECT COUNT(*) FROM citizens").fetch_one(&self.pool).await?)
        }
    }
}

pub(crate) fn assemble_worklist(
    cases: Vec<WorklistQueryRow>,
    held: &[(i64, String, String)],
    booked: &[(i64, String)],
    offers: &[(i64, Option<String>, Option<String>)],
    reviews: &[(i64, Option<String>)],
) -> Result<Vec<WorklistRow>, StoreError> {
    use std::collections::HashMap;
    let mut held_by: HashMap<i64, Vec<Held>> = HashMap::new();
    for (id, at, kind) in held {
        let key = || format!("citizen_id={id}");
        let at = NaiveDateTime::parse_from_str(at, DATE_TIME)
            .map_err(|e| StoreError::corrupt("conversations", key(), "at", e))?;
        let kind: ConversationKind = parsed("conversations", &key, "kind", kind)?;
        held_by.entry(*id).or_default().push(Held { date: at.date(), joint: kind == ConversationKind::JointAkasse });
    }
    let booked: HashMap<i64, &String> = booked.iter().map(|(id, at)| (*id, at)).collect();
    let offers: HashMap<i64, (&Option<String>, &Option<String>)> =
        offers.iter().map(|(id, first, ends)| (*id, (first, ends))).collect();
    let reviews: HashMap<i64, &String> = reviews.iter().filter_map(|(id, on)| Some((*id, on.as_ref()?))).collect();
    cases
        .into_iter()
        .map(|c| {
            const T: &str = "citizens";
            let key = || format!("id={}", c.id);
            let (first, ends) = offers.get(&c.id).copied().unwrap_or((&None, &None));
            Ok(WorklistRow {
                citizen: CitizenId(c.id),
                birth_date: date(T, &key, "birth_date", &c.birth_date)?,
                target_group: parsed(T, &key, "target_group", &c.target_group)?,
                education: parsed(T, &key, "education", &c.education)?,
                course_start: date(T, &key, "course_start", &c.course_start)?,
                held: held_by.remove(&c.id).unwrap_or_default(),
                next_booked: booked
                    .get(&c.id)
                    .map(|at| NaiveDateTime::parse_from_str(at, DATE_TIME))
                    .transpose()
                    .map_err(|e| StoreError::corrupt("conversations", key(), "at", e))?,
                first_offer: first.as_deref().map(|d| date("offers", &key, "start_date", d)).transpose()?,
                offer_ends: ends.as_deref().map(|d| date("offers", &key, "end_date", d)).transpose()?,
                plan_review: reviews
                    .get(&c.id)
                    .map(|d| date("citizen_plan_efforts", &key, "review_on", d))
                    .transpose()?,
                name: c.name,
            })
        })
        .collect()
}
