//! The vocabulary of indsats as types and pure rules.
//!
//! Everything here is pure: no I/O, no async, no database. Values from the
//! outside world are parsed into these types at the edges, so the rest of the
//! code cannot see an invalid role, user name or municipality code.

pub mod access;
pub mod audit;
pub mod benefit;
pub mod case;
pub mod case_figures;
pub mod citizen_plan;
pub(crate) mod codes;
pub mod cpr;
pub mod decision;
pub mod disclosure;
pub mod format;
pub mod ids;
pub mod indicator;
pub mod municipality;
pub mod period;
pub mod person;
pub mod plan;
pub mod role;
pub mod rules;
pub mod user;
pub mod week;

pub use access::{Action, Area};
pub use audit::AuditEvent;
pub use benefit::{ActivationKind, BenefitGroup};
pub use cpr::Cpr;
pub use ids::{ActionId, ApiTokenId, CitizenId, ConversationId, DecisionId, GoalId, OfferId, PlanId, UserId};
pub use municipality::{MunicipalityCode, Place};
pub use period::{Period, PeriodKind, Quarter};
pub use person::{Origin, Sex};
pub use role::Role;
pub use user::{Password, Username};
pub use week::IsoWeek;
