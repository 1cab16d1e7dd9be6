//! Which role may use which area of the application.
//!
//! The rule lives here, not in the web layer, so the navigation, the server-side
//! check and the tests all read the same table.

use crate::Role;

/// A top-level area of the application, one per navigation entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    /// Overblik: the municipality's key figures.
    Overview,
    /// Plan og mål: policy, plan, goals and their status.
    Plans,
    /// Borgere: citizens' cases.
    Citizens,
    /// Virksomheder: companies, agreements and job orders.
    Companies,
    /// Match: candidates for job orders.
    Match,
    /// Rapporter: the quarterly reports.
    Reports,
    /// Administration: users, tokens, imports.
    Admin,
}

impl Area {
    /// Every area, in navigation order.
    pub const ALL: [Area; 7] =
        [Area::Overview, Area::Plans, Area::Citizens, Area::Companies, Area::Match, Area::Reports, Area::Admin];

    /// The path segment the area is served under.
    pub fn slug(self) -> &'static str {
        match self {
            Area::Overview => "overblik",
            Area::Plans => "plan",
            Area::Citizens => "borgere",
            Area::Companies => "virksomheder",
            Area::Match => "match",
            Area::Reports => "rapporter",
            Area::Admin => "administration",
        }
    }

    /// The roles allowed into the area.
    ///
    /// The committee and the administrator never reach areas that show
    /// individual citizens; administrators manage the system, not cases.
    pub fn allowed_roles(self) -> &'static [Role] {
        use Role::{Admin, Leder, Sagsbehandler, Udvalg, Virksomhedskonsulent};
        match self {
            Area::Overview | Area::Plans | Area::Reports => {
                &[Sagsbehandler, Virksomhedskonsulent, Leder, Udvalg, Admin]
            }
            Area::Citizens => &[Sagsbehandler, Leder],
            Area::Companies => &[Virksomhedskonsulent, Leder],
            Area::Match => &[Sagsbehandler, Virksomhedskonsulent, Leder],
            Area::Admin => &[Admin],
        }
    }

    /// Whether `role` may use the area.
    pub fn allows(self, role: Role) -> bool {
        self.allowed_roles().contains(&role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_showing_persons_are_closed_to_roles_that_must_not_see_persons() {
        for area in [Area::Citizens, Area::Companies, Area::Match] {
            for role in Role::ALL {
                if area.allows(role) {
                    assert!(role.sees_persons(), "{role} may not enter {area:?}");
                }
            }
        }
    }

    #[test]
    fn only_admin_reaches_administration() {
        let allowed: Vec<Role> = Role::ALL.into_iter().filter(|r| Area::Admin.allows(*r)).collect();
        assert_eq!(allowed, vec![Role::Admin]);
    }

    #[test]
    fn every_role_has_the_overview() {
        assert!(Role::ALL.into_iter().all(|r| Area::Overview.allows(r)));
    }

    #[test]
    fn slugs_are_unique() {
        let mut slugs: Vec<_> = Area::ALL.iter().map(|a| a.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), Area::ALL.len());
    }
}
