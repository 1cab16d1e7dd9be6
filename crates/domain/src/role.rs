//! The roles a user of indsats can hold.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A user's role; it decides which areas and figures the user may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Caseworker (sagsbehandler): follows a caseload of citizens.
    Sagsbehandler,
    /// Company consultant (virksomhedskonsulent): the fixed contact for a portfolio of companies.
    Virksomhedskonsulent,
    /// Manager (leder): runs the jobcentre and answers to the committee.
    Leder,
    /// Committee member (udvalg): sees aggregate figures only, never a person.
    Udvalg,
    /// Analyst and administrator: users, imports, plans, backups.
    Admin,
    /// A citizen (borger): sees only their own case, on their own page.
    Borger,
}

impl Role {
    /// Every role, in the order the UI lists them.
    pub const ALL: [Role; 6] =
        [Role::Sagsbehandler, Role::Virksomhedskonsulent, Role::Leder, Role::Udvalg, Role::Admin, Role::Borger];

    /// The staff roles: the ones an administrator gives. A citizen's account is made by the
    /// citizen's own login (or the demo), bound to their case.
    pub const STAFF: [Role; 5] =
        [Role::Sagsbehandler, Role::Virksomhedskonsulent, Role::Leder, Role::Udvalg, Role::Admin];

    /// The stable identifier stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Sagsbehandler => "sagsbehandler",
            Role::Virksomhedskonsulent => "virksomhedskonsulent",
            Role::Leder => "leder",
            Role::Udvalg => "udvalg",
            Role::Admin => "admin",
            Role::Borger => "borger",
        }
    }

    /// Whether this role sees aggregate figures unsuppressed. Only caseworkers, who know the
    /// persons anyway; everyone else gets cells under five persons hidden.
    pub fn sees_small_cells(self) -> bool {
        self == Role::Sagsbehandler
    }

    /// Whether this role may see data about individual persons (citizens' cases).
    pub fn sees_persons(self) -> bool {
        matches!(self, Role::Sagsbehandler | Role::Virksomhedskonsulent | Role::Leder)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of the five roles.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}; expected one of sagsbehandler, virksomhedskonsulent, leder, udvalg, admin, borger")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|role| role.as_str() == s.trim()).ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn unknown_role_is_rejected_with_the_name() {
        let err = "chef".parse::<Role>().unwrap_err();
        assert_eq!(err, UnknownRole("chef".into()));
        assert!(err.to_string().contains("sagsbehandler"));
    }

    #[test]
    fn committee_never_sees_persons() {
        assert!(!Role::Udvalg.sees_persons());
        assert!(!Role::Admin.sees_persons());
        assert!(Role::Sagsbehandler.sees_persons());
    }

    #[test]
    fn a_citizen_is_no_staff_role_and_sees_no_other_person() {
        assert!(!Role::STAFF.contains(&Role::Borger));
        assert!(!Role::Borger.sees_persons());
        assert!(!Role::Borger.sees_small_cells());
    }
}
