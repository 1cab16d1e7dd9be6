//! What the audit log records: one typed event per kind of thing that happened.
//!
//! Each event has a stable code (`plan.action`), kept from the time the log was written
//! as free text, and a canonical detail: a JSON object with the fields in a fixed order and
//! nothing but ids, names of things and enumerated values, so the same event always gives
//! the same bytes (the store's hash chain covers them) and a reader of the log learns what
//! was done to which thing without learning anything about a citizen. Free text that people
//! write (comments, token names) and anything typed into a login form stays out.
//!
//! Reads of personal data are events like any other: a later `CitizenViewed` names the
//! citizen or case by its internal id (never the CPR number), and the store writes it with
//! [`AuditEvent`]'s code and detail in the read's own transaction or through `record`. New
//! variants only add codes; an existing code and its detail fields never change meaning.

use std::fmt::Write as _;

use crate::Role;
use crate::case::{AccessReason, ConversationStatus, OfferKind};
use crate::decision::{AppealOutcome, LegalBasis};
use crate::ids::{ActionId, ApiTokenId, CitizenId, ConversationId, DecisionId, GoalId, OfferId, PlanId, UserId};
use crate::period::Quarter;
use crate::plan::ActionStatus;
use crate::user::Username;

/// Something that happened and must be on record: who did it is stored beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditEvent {
    /// A user logged in (the actor).
    Login,
    /// A login was refused: unknown user, wrong password or disabled user. The name typed is
    /// not kept: it may be anything, a CPR number included.
    LoginFailed,
    /// A login was refused without checking the password, because of too many failures.
    LoginRateLimited,
    /// A user (the actor) ended their session.
    Logout,
    /// A user was created.
    UserCreated {
        /// The new user's id.
        user: UserId,
        /// Their login name.
        username: Username,
        /// Their role.
        role: Role,
    },
    /// A user was disabled and lost every session.
    UserDisabled {
        /// Whose account.
        user: UserId,
        /// Their login name.
        username: Username,
    },
    /// A disabled user was enabled again.
    UserEnabled {
        /// Whose account.
        user: UserId,
        /// Their login name.
        username: Username,
    },
    /// An API token was created for a user.
    ApiTokenCreated {
        /// The token's id.
        token: ApiTokenId,
        /// Whose rights it carries.
        user: UserId,
        /// That user's login name.
        username: Username,
    },
    /// An API token was revoked.
    ApiTokenRevoked {
        /// The token's id.
        token: ApiTokenId,
    },
    /// A plan file was stored as a new version.
    PlanLoaded {
        /// The plan.
        plan: PlanId,
        /// The version it became.
        version: i64,
    },
    /// A manager set an action's status.
    ActionStatusSet {
        /// The plan.
        plan: PlanId,
        /// The action.
        action: ActionId,
        /// The new status.
        status: ActionStatus,
        /// The revision the change made.
        revision: i64,
    },
    /// A manager wrote the comment on a goal for a quarter (the text is not repeated here).
    GoalCommented {
        /// The plan.
        plan: PlanId,
        /// The goal.
        goal: GoalId,
        /// The quarter commented on.
        quarter: Quarter,
        /// The revision the change made.
        revision: i64,
    },
    /// A caseworker created a citizen's case.
    CitizenCreated {
        /// The citizen.
        citizen: CitizenId,
    },
    /// Someone opened a citizen's case (a read of personal data); `reason` when it was not
    /// their own case.
    CaseViewed {
        /// The citizen.
        citizen: CitizenId,
        /// Why they opened another caseworker's case.
        reason: Option<AccessReason>,
    },
    /// A caseworker was refused another caseworker's case for want of a reason.
    CaseRefused {
        /// The citizen.
        citizen: CitizenId,
    },
    /// Someone was shown a citizen's whole CPR number.
    CprRevealed {
        /// The citizen.
        citizen: CitizenId,
    },
    /// Someone looked a citizen up by CPR number; `None` when no case matched.
    CitizenSearched {
        /// The citizen found.
        citizen: Option<CitizenId>,
    },
    /// Someone was shown a worklist naming these citizens.
    WorklistViewed {
        /// The citizens on it, in the order shown.
        citizens: Vec<CitizenId>,
    },
    /// A conversation was booked, or its status recorded.
    ConversationRecorded {
        /// The citizen.
        citizen: CitizenId,
        /// The conversation.
        conversation: ConversationId,
        /// Its status after the change.
        status: ConversationStatus,
    },
    /// An offer was registered on a case.
    OfferRegistered {
        /// The citizen.
        citizen: CitizenId,
        /// The offer.
        offer: OfferId,
        /// Its kind.
        kind: OfferKind,
    },
    /// A quarterly report was made for a committee meeting and stored in the archive.
    ReportArchived {
        /// The archived report's id.
        report: i64,
        /// The plan.
        plan: PlanId,
        /// The plan version it was made from.
        version: i64,
        /// The report quarter.
        quarter: Quarter,
    },
    /// An archived report was approved for its meeting.
    ReportApproved {
        /// The archived report's id.
        report: i64,
        /// The plan.
        plan: PlanId,
    },
    /// A user's password was set by someone else (an administrator, or `indsats bench load`
    /// for the demo's caseworkers). The password and its hash stay out.
    PasswordSet {
        /// Whose account.
        user: UserId,
        /// Their login name.
        username: Username,
    },
    /// Someone read a citizen's coherent plan (`history` when every saved version was
    /// shown); `reason` when it was not their own case.
    CitizenPlanViewed {
        /// The citizen.
        citizen: CitizenId,
        /// Why they opened another caseworker's case.
        reason: Option<AccessReason>,
        /// Whether the versions were read, not just the current plan.
        history: bool,
    },
    /// A citizen's coherent plan was saved as a new version.
    CitizenPlanSaved {
        /// The citizen.
        citizen: CitizenId,
        /// The revision the save made.
        revision: i64,
    },
    /// A decision was recorded on a case (its words are not repeated here).
    DecisionRecorded {
        /// The citizen.
        citizen: CitizenId,
        /// The decision.
        decision: DecisionId,
        /// The rule it was made under.
        legal_basis: LegalBasis,
    },
    /// The day a decision was sent was recorded after the decision itself.
    DecisionSent {
        /// The citizen.
        citizen: CitizenId,
        /// The decision.
        decision: DecisionId,
    },
    /// A complaint about a decision was registered.
    AppealLodged {
        /// The citizen.
        citizen: CitizenId,
        /// The decision complained of.
        decision: DecisionId,
    },
    /// Ankestyrelsen's outcome of a complaint was registered.
    AppealDecided {
        /// The citizen.
        citizen: CitizenId,
        /// The decision complained of.
        decision: DecisionId,
        /// The outcome.
        outcome: AppealOutcome,
    },
    /// Someone made a decision's letter (a read of the citizen's name, address and the
    /// decision); `reason` when it was not their own case.
    LetterRead {
        /// The citizen.
        citizen: CitizenId,
        /// The decision.
        decision: DecisionId,
        /// Why they opened another caseworker's case.
        reason: Option<AccessReason>,
    },
    /// A citizen's login account (role `borger`) was made and bound to their case: at their
    /// first login through the citizens' OpenID provider, or by the demo.
    CitizenAccountCreated {
        /// The citizen.
        citizen: CitizenId,
        /// The account.
        user: UserId,
    },
    /// The cases were read to compute the operational figures of a plan (aggregates only:
    /// no citizen is shown, so the event names how many cases were read, not which).
    CaseFiguresRead {
        /// How many cases were read.
        cases: i64,
    },
    /// A citizen was exempted from the portfolio rules' minimums (the reason, free text, stays out).
    ExemptionGranted {
        /// The citizen.
        citizen: CitizenId,
        /// The exemption's id.
        exemption: i64,
    },
    /// A citizen's exemption from the portfolio rules' minimums was ended.
    ExemptionEnded {
        /// The citizen.
        citizen: CitizenId,
        /// The exemption's id.
        exemption: i64,
    },
    /// An administrator adopted a rule file that its file marks as not adopted.
    RulesAdopted {
        /// The rule file's id (`reform-2027`).
        regime: String,
    },
    /// A manager searched the audit log; the filters as given (a citizen by internal id,
    /// never the CPR number typed), and the page of results shown.
    AuditSearched {
        /// The staff user searched for.
        user: Option<UserId>,
        /// The event code searched for.
        kind: Option<String>,
        /// The first day, `YYYY-MM-DD`.
        from: Option<String>,
        /// The last day, `YYYY-MM-DD`.
        to: Option<String>,
        /// The citizen searched for.
        citizen: Option<CitizenId>,
        /// The page shown, from 1.
        page: i64,
    },
}

impl AuditEvent {
    /// Every code an event can have, for tests and for documentation of the log.
    pub const CODES: [&'static str; 36] = [
        "login",
        "login.failed",
        "login.rate_limited",
        "logout",
        "user.create",
        "user.disable",
        "user.enable",
        "api_token.create",
        "api_token.revoke",
        "plan.load",
        "plan.action",
        "plan.comment",
        "citizen.create",
        "citizen.view",
        "citizen.refused",
        "citizen.cpr",
        "citizen.search",
        "citizen.worklist",
        "case.conversation",
        "case.offer",
        "report.archive",
        "report.approve",
        "user.password",
        "citizen.plan.view",
        "citizen.plan.save",
        "case.decision",
        "case.decision_sent",
        "case.appeal",
        "case.appeal_outcome",
        "case.letter",
        "citizen.account",
        "cases.figures",
        "citizen.exemption.grant",
        "citizen.exemption.end",
        "rules.adopt",
        "audit.search",
    ];

    /// The stable code stored in the log's `action` column.
    pub fn code(&self) -> &'static str {
        match self {
            AuditEvent::Login => "login",
            AuditEvent::LoginFailed => "login.failed",
            AuditEvent::LoginRateLimited => "login.rate_limited",
            AuditEvent::Logout => "logout",
            AuditEvent::UserCreated { .. } => "user.create",
            AuditEvent::UserDisabled { .. } => "user.disable",
            AuditEvent::UserEnabled { .. } => "user.enable",
            AuditEvent::ApiTokenCreated { .. } => "api_token.create",
            AuditEvent::ApiTokenRevoked { .. } => "api_token.revoke",
            AuditEvent::PlanLoaded { .. } => "plan.load",
            AuditEvent::ActionStatusSet { .. } => "plan.action",
            AuditEvent::GoalCommented { .. } => "plan.comment",
            AuditEvent::CitizenCreated { .. } => "citizen.create",
            AuditEvent::CaseViewed { .. } => "citizen.view",
            AuditEvent::CaseRefused { .. } => "citizen.refused",
            AuditEvent::CprRevealed { .. } => "citizen.cpr",
            AuditEvent::CitizenSearched { .. } => "citizen.search",
            AuditEvent::WorklistViewed { .. } => "citizen.worklist",
            AuditEvent::ConversationRecorded { .. } => "case.conversation",
            AuditEvent::OfferRegistered { .. } => "case.offer",
            AuditEvent::ReportArchived { .. } => "report.archive",
            AuditEvent::ReportApproved { .. } => "report.approve",
            AuditEvent::PasswordSet { .. } => "user.password",
            AuditEvent::CitizenPlanViewed { .. } => "citizen.plan.view",
            AuditEvent::CitizenPlanSaved { .. } => "citizen.plan.save",
            AuditEvent::DecisionRecorded { .. } => "case.decision",
            AuditEvent::DecisionSent { .. } => "case.decision_sent",
            AuditEvent::AppealLodged { .. } => "case.appeal",
            AuditEvent::AppealDecided { .. } => "case.appeal_outcome",
            AuditEvent::LetterRead { .. } => "case.letter",
            AuditEvent::CitizenAccountCreated { .. } => "citizen.account",
            AuditEvent::CaseFiguresRead { .. } => "cases.figures",
            AuditEvent::ExemptionGranted { .. } => "citizen.exemption.grant",
            AuditEvent::ExemptionEnded { .. } => "citizen.exemption.end",
            AuditEvent::RulesAdopted { .. } => "rules.adopt",
            AuditEvent::AuditSearched { .. } => "audit.search",
        }
    }

    /// The canonical detail stored in the log's `detail` column: a JSON object, fields in
    /// declaration order, no white space; `{}` for an event without details.
    pub fn detail(&self) -> String {
        let mut d = Detail::default();
        match self {
            AuditEvent::Login | AuditEvent::LoginFailed | AuditEvent::LoginRateLimited | AuditEvent::Logout => {}
            AuditEvent::UserCreated { user, username, role } => {
                d.number("user", user.0).text("username", username.as_str()).text("role", role.as_str());
            }
            AuditEvent::UserDisabled { user, username }
            | AuditEvent::UserEnabled { user, username }
            | AuditEvent::PasswordSet { user, username } => {
                d.number("user", user.0).text("username", username.as_str());
            }
            AuditEvent::ApiTokenCreated { token, user, username } => {
                d.number("token", token.0).number("user", user.0).text("username", username.as_str());
            }
            AuditEvent::ApiTokenRevoked { token } => {
                d.number("token", token.0);
            }
            AuditEvent::PlanLoaded { plan, version } => {
                d.text("plan", plan.as_str()).number("version", *version);
            }
            AuditEvent::ActionStatusSet { plan, action, status, revision } => {
                d.text("plan", plan.as_str())
                    .text("action", action.as_str())
                    .text("status", status.as_str())
                    .number("revision", *revision);
            }
            AuditEvent::GoalCommented { plan, goal, quarter, revision } => {
                d.text("plan", plan.as_str())
                    .text("goal", goal.as_str())
                    .text("quarter", &quarter.to_string())
                    .number("revision", *revision);
            }
            AuditEvent::ReportArchived { report, plan, version, quarter } => {
                d.number("report", *report)
                    .text("plan", plan.as_str())
                    .number("version", *version)
                    .text("quarter", &quarter.to_string());
            }
            AuditEvent::ReportApproved { report, plan } => {
                d.number("report", *report).text("plan", plan.as_str());
            }
            AuditEvent::CaseFiguresRead { cases } => {
                d.number("cases", *cases);
            }
            // Case work has its own arms, to keep each function readable; listed here so a
            // new variant still has to be placed.
            AuditEvent::CitizenCreated { .. }
            | AuditEvent::CaseRefused { .. }
            | AuditEvent::CprRevealed { .. }
            | AuditEvent::CaseViewed { .. }
            | AuditEvent::CitizenSearched { .. }
            | AuditEvent::WorklistViewed { .. }
            | AuditEvent::ConversationRecorded { .. }
            | AuditEvent::OfferRegistered { .. }
            | AuditEvent::CitizenPlanViewed { .. }
            | AuditEvent::CitizenPlanSaved { .. }
            | AuditEvent::CitizenAccountCreated { .. } => self.case_detail(&mut d),
            AuditEvent::DecisionRecorded { .. }
            | AuditEvent::DecisionSent { .. }
            | AuditEvent::AppealLodged { .. }
            | AuditEvent::AppealDecided { .. }
            | AuditEvent::LetterRead { .. } => self.decision_detail(&mut d),
            AuditEvent::ExemptionGranted { .. }
            | AuditEvent::ExemptionEnded { .. }
            | AuditEvent::RulesAdopted { .. }
            | AuditEvent::AuditSearched { .. } => self.oversight_detail(&mut d),
        }
        d.finish()
    }

    /// The detail of exemptions, rule adoption and audit searches (ids and codes only).
    fn oversight_detail(&self, d: &mut Detail) {
        match self {
            AuditEvent::ExemptionGranted { citizen, exemption } | AuditEvent::ExemptionEnded { citizen, exemption } => {
                d.number("citizen", citizen.0).number("exemption", *exemption);
            }
            AuditEvent::RulesAdopted { regime } => {
                d.text("regime", regime);
            }
            AuditEvent::AuditSearched { user, kind, from, to, citizen, page } => {
                if let Some(user) = user {
                    d.number("user", user.0);
                }
                if let Some(kind) = kind {
                    d.text("kind", kind);
                }
                if let Some(from) = from {
                    d.text("from", from);
                }
                if let Some(to) = to {
                    d.text("to", to);
                }
                if let Some(citizen) = citizen {
                    d.number("citizen", citizen.0);
                }
                d.number("page", *page);
            }
            _ => {}
        }
    }

    /// The detail of the case-work events (the citizen named by internal id only).
    fn case_detail(&self, d: &mut Detail) {
        match self {
            AuditEvent::CitizenCreated { citizen }
            | AuditEvent::CaseRefused { citizen }
            | AuditEvent::CprRevealed { citizen }
            | AuditEvent::CitizenSearched { citizen: Some(citizen) } => {
                d.number("citizen", citizen.0);
            }
            AuditEvent::CaseViewed { citizen, reason } => {
                d.number("citizen", citizen.0);
                if let Some(reason) = reason {
                    d.text("reason", reason.code());
                }
            }
            AuditEvent::WorklistViewed { citizens } => {
                let ids: Vec<String> = citizens.iter().map(|c| c.0.to_string()).collect();
                d.text("citizens", &ids.join(","));
            }
            AuditEvent::ConversationRecorded { citizen, conversation, status } => {
                d.number("citizen", citizen.0).number("conversation", conversation.0).text("status", status.code());
            }
            AuditEvent::OfferRegistered { citizen, offer, kind } => {
                d.number("citizen", citizen.0).number("offer", offer.0).text("kind", kind.code());
            }
            AuditEvent::CitizenPlanViewed { citizen, reason, history } => {
                d.number("citizen", citizen.0);
                if let Some(reason) = reason {
                    d.text("reason", reason.code());
                }
                if *history {
                    d.text("versions", "all");
                }
            }
            AuditEvent::CitizenPlanSaved { citizen, revision } => {
                d.number("citizen", citizen.0).number("revision", *revision);
            }
            AuditEvent::CitizenAccountCreated { citizen, user } => {
                d.number("citizen", citizen.0).number("user", user.0);
            }
            // The other events (and a search that found no one) have no case detail.
            _ => {}
        }
    }

    /// The detail of the decision events: citizen and decision by id, codes only.
    fn decision_detail(&self, d: &mut Detail) {
        match self {
            AuditEvent::DecisionRecorded { citizen, decision, legal_basis } => {
                d.number("citizen", citizen.0).number("decision", decision.0).text("legal_basis", legal_basis.code());
            }
            AuditEvent::DecisionSent { citizen, decision } | AuditEvent::AppealLodged { citizen, decision } => {
                d.number("citizen", citizen.0).number("decision", decision.0);
            }
            AuditEvent::AppealDecided { citizen, decision, outcome } => {
                d.number("citizen", citizen.0).number("decision", decision.0).text("outcome", outcome.code());
            }
            AuditEvent::LetterRead { citizen, decision, reason } => {
                d.number("citizen", citizen.0).number("decision", decision.0);
                if let Some(reason) = reason {
                    d.text("reason", reason.code());
                }
            }
            _ => {}
        }
    }
}

/// A JSON object written field by field. Hand-written rather than serde, because the bytes
/// are part of the hash chain: they must not change with a library's formatting choices.
#[derive(Default)]
struct Detail {
    out: String,
}

impl Detail {
    fn key(&mut self, key: &str) {
        self.out.push(if self.out.is_empty() { '{' } else { ',' });
        push_json_string(&mut self.out, key);
        self.out.push(':');
    }

    fn text(&mut self, key: &str, value: &str) -> &mut Self {
        self.key(key);
        push_json_string(&mut self.out, value);
        self
    }

    fn number(&mut self, key: &str, value: i64) -> &mut Self {
        self.key(key);
        let _ = write!(self.out, "{value}");
        self
    }

    fn finish(mut self) -> String {
        if self.out.is_empty() {
            self.out.push('{');
        }
        self.out.push('}');
        self.out
    }
}

/// Appends `s` as a JSON string: quotes, backslashes and control characters escaped,
/// everything else as it is (UTF-8).
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_of_each() -> Vec<AuditEvent> {
        let anna = Username::parse("anna").unwrap();
        let plan = PlanId::parse("roedovre-2023").unwrap();
        vec![
            AuditEvent::Login,
            AuditEvent::LoginFailed,
            AuditEvent::LoginRateLimited,
            AuditEvent::Logout,
            AuditEvent::UserCreated { user: UserId(3), username: anna.clone(), role: Role::Leder },
            AuditEvent::UserDisabled { user: UserId(3), username: anna.clone() },
            AuditEvent::UserEnabled { user: UserId(3), username: anna.clone() },
            AuditEvent::ApiTokenCreated { token: ApiTokenId(9), user: UserId(3), username: anna.clone() },
            AuditEvent::ApiTokenRevoked { token: ApiTokenId(9) },
            AuditEvent::PlanLoaded { plan: plan.clone(), version: 2 },
            AuditEvent::ActionStatusSet {
                plan: plan.clone(),
                action: ActionId::parse("a1").unwrap(),
                status: ActionStatus::InProgress,
                revision: 4,
            },
            AuditEvent::GoalCommented {
                plan: plan.clone(),
                goal: GoalId::parse("g1").unwrap(),
                quarter: "2022Q4".parse().unwrap(),
                revision: 1,
            },
            AuditEvent::CitizenCreated { citizen: CitizenId(7) },
            AuditEvent::CaseViewed { citizen: CitizenId(7), reason: Some(AccessReason::Substitute) },
            AuditEvent::CaseRefused { citizen: CitizenId(7) },
            AuditEvent::CprRevealed { citizen: CitizenId(7) },
            AuditEvent::CitizenSearched { citizen: None },
            AuditEvent::WorklistViewed { citizens: vec![CitizenId(7), CitizenId(2)] },
            AuditEvent::ConversationRecorded {
                citizen: CitizenId(7),
                conversation: ConversationId(5),
                status: ConversationStatus::Held,
            },
            AuditEvent::OfferRegistered { citizen: CitizenId(7), offer: OfferId(6), kind: OfferKind::WorkPlacement },
            AuditEvent::ReportArchived {
                report: 5,
                plan: plan.clone(),
                version: 2,
                quarter: "2022Q4".parse().unwrap(),
            },
            AuditEvent::ReportApproved { report: 5, plan },
            AuditEvent::PasswordSet { user: UserId(3), username: anna },
            AuditEvent::CitizenPlanViewed { citizen: CitizenId(7), reason: None, history: true },
            AuditEvent::CitizenPlanSaved { citizen: CitizenId(7), revision: 3 },
            AuditEvent::DecisionRecorded {
                citizen: CitizenId(7),
                decision: DecisionId(4),
                legal_basis: LegalBasis::Las13,
            },
            AuditEvent::DecisionSent { citizen: CitizenId(7), decision: DecisionId(4) },
            AuditEvent::AppealLodged { citizen: CitizenId(7), decision: DecisionId(4) },
            AuditEvent::AppealDecided {
                citizen: CitizenId(7),
                decision: DecisionId(4),
                outcome: AppealOutcome::Remitted,
            },
            AuditEvent::LetterRead {
                citizen: CitizenId(7),
                decision: DecisionId(4),
                reason: Some(AccessReason::Complaint),
            },
            AuditEvent::CitizenAccountCreated { citizen: CitizenId(7), user: UserId(3) },
            AuditEvent::CaseFiguresRead { cases: 12 },
            AuditEvent::ExemptionGranted { citizen: CitizenId(7), exemption: 2 },
            AuditEvent::ExemptionEnded { citizen: CitizenId(7), exemption: 2 },
            AuditEvent::RulesAdopted { regime: "reform-2027".into() },
            AuditEvent::AuditSearched {
                user: Some(UserId(3)),
                kind: Some("citizen.view".into()),
                from: Some("2026-11-01".into()),
                to: None,
                citizen: Some(CitizenId(7)),
                page: 2,
            },
        ]
    }

    #[test]
    fn every_event_keeps_the_code_it_had_as_free_text() {
        let codes: Vec<&str> = one_of_each().iter().map(AuditEvent::code).collect();
        assert_eq!(codes, AuditEvent::CODES);
        let mut unique = codes.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }

    #[test]
    fn details_are_canonical_json_with_ids_and_names_only() {
        let details: Vec<String> = one_of_each().iter().map(AuditEvent::detail).collect();
        assert_eq!(
            details,
            [
                "{}",
                "{}",
                "{}",
                "{}",
                r#"{"user":3,"username":"anna","role":"leder"}"#,
                r#"{"user":3,"username":"anna"}"#,
                r#"{"user":3,"username":"anna"}"#,
                r#"{"token":9,"user":3,"username":"anna"}"#,
                r#"{"token":9}"#,
                r#"{"plan":"roedovre-2023","version":2}"#,
                r#"{"plan":"roedovre-2023","action":"a1","status":"in_progress","revision":4}"#,
                r#"{"plan":"roedovre-2023","goal":"g1","quarter":"2022Q4","revision":1}"#,
                r#"{"citizen":7}"#,
                r#"{"citizen":7,"reason":"substitute"}"#,
                r#"{"citizen":7}"#,
                r#"{"citizen":7}"#,
                "{}",
                r#"{"citizens":"7,2"}"#,
                r#"{"citizen":7,"conversation":5,"status":"held"}"#,
                r#"{"citizen":7,"offer":6,"kind":"virksomhedspraktik"}"#,
                r#"{"report":5,"plan":"roedovre-2023","version":2,"quarter":"2022Q4"}"#,
                r#"{"report":5,"plan":"roedovre-2023"}"#,
                r#"{"user":3,"username":"anna"}"#,
                r#"{"citizen":7,"versions":"all"}"#,
                r#"{"citizen":7,"revision":3}"#,
                r#"{"citizen":7,"decision":4,"legal_basis":"las_13"}"#,
                r#"{"citizen":7,"decision":4}"#,
                r#"{"citizen":7,"decision":4}"#,
                r#"{"citizen":7,"decision":4,"outcome":"remitted"}"#,
                r#"{"citizen":7,"decision":4,"reason":"complaint"}"#,
                r#"{"citizen":7,"user":3}"#,
                r#"{"cases":12}"#,
                r#"{"citizen":7,"exemption":2}"#,
                r#"{"citizen":7,"exemption":2}"#,
                r#"{"regime":"reform-2027"}"#,
                r#"{"user":3,"kind":"citizen.view","from":"2026-11-01","citizen":7,"page":2}"#,
            ]
        );
    }

    #[test]
    fn the_same_event_always_gives_the_same_bytes() {
        for event in one_of_each() {
            assert_eq!(event.detail(), event.clone().detail());
        }
    }

    #[test]
    fn json_strings_escape_what_json_requires() {
        let mut out = String::new();
        push_json_string(&mut out, "a\"b\\c\nd\u{1}æ");
        assert_eq!(out, r#""a\"b\\c\nd\u0001æ""#);
    }
}
