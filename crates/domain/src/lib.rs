//! The vocabulary of indsats as types and pure rules.
//!
//! Everything here is pure: no I/O, no async, no database. Values from the
//! outside world are parsed into these types at the edges, so the rest of the
//! code cannot see an invalid role, user name or municipality code.

pub mod access;
pub mod format;
pub mod municipality;
pub mod role;
pub mod user;

pub use access::Area;
pub use municipality::MunicipalityCode;
pub use role::Role;
pub use user::{Password, Username};
