//! The use cases of indsats, one module per area: what `indsats-web` and the `indsats`
//! command both call, so that disabling a user, loading a plan or seeding the demo each
//! exist once.
//!
//! A use case takes the store (and, where it needs them, the served register figures) and
//! plain or domain values; it returns domain values or its module's error enum, never
//! text for a person: the caller turns codes into words from the Fluent catalogues.
//! A change and its audit event are written by one store method in one transaction.

pub mod accounts;
pub mod audit;
pub mod audit_search;
pub mod case_figures;
pub mod case_spells;
pub mod cases;
pub mod citizen_plans;
pub mod decisions;
pub mod demo;
pub mod demo_cases;
pub mod demo_decisions;
pub mod due;
pub mod exemptions;
pub mod figures;
pub mod oidc;
pub mod own_case;
pub mod plans;
pub mod reports;
pub mod vault;
