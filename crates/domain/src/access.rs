//! Who may do what: one table from actions to roles.
//!
//! The rule lives here, not in the web layer, so the navigation, the server-side
//! check and the tests all read the same table. An area is open to a role when the
//! role may take at least one of the area's actions, so the navigation can never
//! offer an area whose every page would refuse the user.

use crate::Role;

impl Role {
    /// Whether everything this role may do, `other` may do too: every action, the persons
    /// and the unsuppressed figures. An API token made by a user of role `other` for a user of
    /// this role then carries no right its maker lacks.
    pub fn is_within(self, other: Role) -> bool {
        Action::ALL.into_iter().all(|action| !action.allows(self) || action.allows(other))
            && (!self.sees_persons() || other.sees_persons())
            && (!self.sees_small_cells() || other.sees_small_cells())
    }
}

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
    /// Min side: a citizen's own case, plan and access log.
    OwnCase,
}

impl Area {
    /// Every area, in navigation order.
    pub const ALL: [Area; 8] = [
        Area::Overview,
        Area::Plans,
        Area::Citizens,
        Area::Companies,
        Area::Match,
        Area::Reports,
        Area::Admin,
        Area::OwnCase,
    ];

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
            Area::OwnCase => "min-side",
        }
    }

    /// Whether `role` may take any of the area's actions, and so sees it in the navigation.
    pub fn allows(self, role: Role) -> bool {
        Action::ALL.into_iter().any(|action| action.area() == self && action.allows(role))
    }
}

/// Something a user asks the application to do. Every handler checks exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the municipality's register figures (Overblik and the indicator API).
    ViewOverview,
    /// See plans, goals, their status and the managers' comments.
    ViewPlans,
    /// Load a plan file as a new version.
    LoadPlan,
    /// Write the management's comment on a goal for a quarter.
    EditGoalComment,
    /// Change the status of an action in a plan.
    SetActionStatus,
    /// List and download the quarterly reports.
    ViewReports,
    /// Add, disable and enable users.
    ManageUsers,
    /// Create and revoke API tokens.
    ManageApiTokens,
    /// Read the audit log.
    ViewAuditLog,
    /// Open the citizens' area (case work).
    ViewCitizens,
    /// Open the companies' area (company service).
    ViewCompanies,
    /// Open matching of candidates and job orders.
    ViewMatch,
    /// Work on a citizen's case: create it, book and hold conversations, register offers.
    WorkOnCase,
    /// See a citizen's whole CPR number (shown masked otherwise); every reveal is audited.
    RevealCpr,
    /// Make the quarterly report for a committee meeting and store it in the archive.
    ArchiveReport,
    /// Approve an archived report for its committee meeting.
    ApproveReport,
    /// See Ankestyrelsen's outcomes of complaints by legal basis and quarter (counts only).
    ViewDecisionOutcomes,
    /// See one's own case as a citizen: plan, conversations, duties, options and who read it.
    ViewOwnCase,
    /// Exempt a citizen from the portfolio rules' minimums (reasoned), or end the exemption.
    ExemptCitizen,
    /// See the exemption quota per target group (counts, no persons).
    ViewExemptionQuota,
    /// Adopt a rule file its file marks as not adopted (the expected 2027 rules).
    AdoptRules,
    /// Search the audit log by staff user, event, dates and citizen (the search is audited).
    SearchAuditLog,
}

impl Action {
    /// Every action, grouped by area.
    pub const ALL: [Action; 22] = [
        Action::ViewOverview,
        Action::ViewPlans,
        Action::LoadPlan,
        Action::EditGoalComment,
        Action::SetActionStatus,
        Action::ViewReports,
        Action::ManageUsers,
        Action::ManageApiTokens,
        Action::ViewAuditLog,
        Action::ViewCitizens,
        Action::ViewCompanies,
        Action::ViewMatch,
        Action::WorkOnCase,
        Action::RevealCpr,
        Action::ArchiveReport,
        Action::ApproveReport,
        Action::ViewDecisionOutcomes,
        Action::ViewOwnCase,
        Action::ExemptCitizen,
        Action::ViewExemptionQuota,
        Action::AdoptRules,
        Action::SearchAuditLog,
    ];

    /// The area the action belongs to.
    pub fn area(self) -> Area {
        match self {
            Action::ViewOverview => Area::Overview,
            Action::ViewPlans | Action::LoadPlan | Action::EditGoalComment | Action::SetActionStatus => Area::Plans,
            Action::ViewReports | Action::ArchiveReport | Action::ApproveReport => Area::Reports,
            Action::ManageUsers | Action::ManageApiTokens | Action::ViewAuditLog | Action::AdoptRules => Area::Admin,
            // With the manager's oversight of case work: counts, and who read which case.
            Action::ViewCitizens
            | Action::WorkOnCase
            | Action::RevealCpr
            | Action::ViewDecisionOutcomes
            | Action::ExemptCitizen
            | Action::ViewExemptionQuota
            | Action::SearchAuditLog => Area::Citizens,
            Action::ViewCompanies => Area::Companies,
            Action::ViewMatch => Area::Match,
            Action::ViewOwnCase => Area::OwnCase,
        }
    }

    /// The roles that may take the action.
    ///
    /// The committee and the administrator never reach what shows individual citizens;
    /// administrators manage the system (users, plan files), managers own the follow-up on
    /// the plan (comments, action status), which the report to the committee quotes.
    pub fn allowed_roles(self) -> &'static [Role] {
        use Role::{Admin, Borger, Leder, Sagsbehandler, Udvalg, Virksomhedskonsulent};
        match self {
            Action::ViewOverview | Action::ViewPlans | Action::ViewReports => {
                &[Sagsbehandler, Virksomhedskonsulent, Leder, Udvalg, Admin]
            }
            Action::LoadPlan
            | Action::ManageUsers
            | Action::ManageApiTokens
            | Action::ViewAuditLog
            | Action::AdoptRules => &[Admin],
            // The report to the committee quotes the managers' follow-up; they also make it for
            // the meeting and vouch for it.
            Action::EditGoalComment | Action::SetActionStatus | Action::ArchiveReport | Action::ApproveReport => {
                &[Leder]
            }
            Action::ViewCitizens => &[Sagsbehandler, Leder],
            // The case is the caseworker's; a manager reads it but does not work on it.
            Action::WorkOnCase | Action::RevealCpr | Action::ExemptCitizen => &[Sagsbehandler],
            // Managers answer for the municipality's quota, for how case data is read, and for
            // following up what Ankestyrelsen changed, and where.
            Action::ViewExemptionQuota | Action::SearchAuditLog | Action::ViewDecisionOutcomes => &[Leder],
            Action::ViewCompanies => &[Virksomhedskonsulent, Leder],
            Action::ViewMatch => &[Sagsbehandler, Virksomhedskonsulent, Leder],
            // A citizen reaches their own page and nothing else; no staff role has an "own case".
            Action::ViewOwnCase => &[Borger],
        }
    }

    /// Whether `role` may take the action.
    pub fn allows(self, role: Role) -> bool {
        self.allowed_roles().contains(&role)
    }

    /// A stable name, for logs and the catalogue key of the action's description.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ViewOverview => "view_overview",
            Action::ViewPlans => "view_plans",
            Action::LoadPlan => "load_plan",
            Action::EditGoalComment => "edit_goal_comment",
            Action::SetActionStatus => "set_action_status",
            Action::ViewReports => "view_reports",
            Action::ManageUsers => "manage_users",
            Action::ManageApiTokens => "manage_api_tokens",
            Action::ViewAuditLog => "view_audit_log",
            Action::ViewCitizens => "view_citizens",
            Action::ViewCompanies => "view_companies",
            Action::ViewMatch => "view_match",
            Action::WorkOnCase => "work_on_case",
            Action::RevealCpr => "reveal_cpr",
            Action::ArchiveReport => "archive_report",
            Action::ApproveReport => "approve_report",
            Action::ViewDecisionOutcomes => "view_decision_outcomes",
            Action::ViewOwnCase => "view_own_case",
            Action::ExemptCitizen => "exempt_citizen",
            Action::ViewExemptionQuota => "view_exemption_quota",
            Action::AdoptRules => "adopt_rules",
            Action::SearchAuditLog => "search_audit_log",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table written out once more, role by role: a change to either side must be
    /// deliberate, since it widens or narrows what a real person may do.
    fn expected(role: Role) -> Vec<Action> {
        use Action::*;
        if role == Role::Borger {
            return vec![ViewOwnCase];
        }
        let everyone = [ViewOverview, ViewPlans, ViewReports];
        let own: &[Action] = match role {
            Role::Sagsbehandler => &[ViewCitizens, ViewMatch, WorkOnCase, RevealCpr, ExemptCitizen],
            Role::Virksomhedskonsulent => &[ViewCompanies, ViewMatch],
            Role::Leder => &[
                EditGoalComment,
                SetActionStatus,
                ViewCitizens,
                ViewCompanies,
                ViewMatch,
                ArchiveReport,
                ApproveReport,
                ViewDecisionOutcomes,
                ViewExemptionQuota,
                SearchAuditLog,
            ],
            Role::Admin => &[LoadPlan, ManageUsers, ManageApiTokens, ViewAuditLog, AdoptRules],
            Role::Udvalg | Role::Borger => &[],
        };
        let mut all: Vec<Action> = everyone.iter().chain(own).copied().collect();
        all.sort_by_key(|a| a.as_str());
        all
    }

    fn allowed(role: Role) -> Vec<Action> {
        let mut all: Vec<Action> = Action::ALL.into_iter().filter(|a| a.allows(role)).collect();
        all.sort_by_key(|a| a.as_str());
        all
    }

    #[test]
    fn a_caseworker_may_view_and_work_with_citizens_but_not_change_plans() {
        assert_eq!(allowed(Role::Sagsbehandler), expected(Role::Sagsbehandler));
    }

    #[test]
    fn a_company_consultant_may_view_companies_but_not_citizens() {
        assert_eq!(allowed(Role::Virksomhedskonsulent), expected(Role::Virksomhedskonsulent));
    }

    #[test]
    fn a_manager_follows_up_on_the_plan_but_does_not_load_it() {
        assert_eq!(allowed(Role::Leder), expected(Role::Leder));
    }

    #[test]
    fn the_committee_only_views_aggregates() {
        assert_eq!(allowed(Role::Udvalg), expected(Role::Udvalg));
    }

    #[test]
    fn the_administrator_manages_the_system_and_never_sees_a_citizen() {
        assert_eq!(allowed(Role::Admin), expected(Role::Admin));
    }

    #[test]
    fn a_citizen_reaches_only_their_own_page() {
        assert_eq!(allowed(Role::Borger), expected(Role::Borger));
        let areas: Vec<Area> = Area::ALL.into_iter().filter(|a| a.allows(Role::Borger)).collect();
        assert_eq!(areas, vec![Area::OwnCase]);
    }

    #[test]
    fn actions_showing_persons_are_closed_to_roles_that_must_not_see_persons() {
        for action in [
            Action::ViewCitizens,
            Action::ViewCompanies,
            Action::ViewMatch,
            Action::WorkOnCase,
            Action::RevealCpr,
            Action::ExemptCitizen,
            Action::SearchAuditLog,
        ] {
            for role in Role::ALL {
                if action.allows(role) {
                    assert!(role.sees_persons(), "{role} may not {action:?}");
                }
            }
        }
    }

    #[test]
    fn a_role_is_within_itself_and_no_role_is_within_one_with_fewer_rights() {
        for role in Role::ALL {
            assert!(role.is_within(role), "{role}");
        }
        // The administrator may not lend itself a caseworker's unsuppressed figures and cases.
        assert!(!Role::Sagsbehandler.is_within(Role::Admin));
        assert!(!Role::Leder.is_within(Role::Admin));
        assert!(!Role::Admin.is_within(Role::Leder));
        assert!(!Role::Sagsbehandler.is_within(Role::Leder), "the manager does not see small cells");
        // The committee's rights are a manager's too.
        assert!(Role::Udvalg.is_within(Role::Leder));
    }

    #[test]
    fn areas_follow_their_actions() {
        let admin_area: Vec<Role> = Role::ALL.into_iter().filter(|r| Area::Admin.allows(*r)).collect();
        assert_eq!(admin_area, vec![Role::Admin]);
        assert!(Role::STAFF.into_iter().all(|r| Area::Overview.allows(r)));
        assert!(!Area::Overview.allows(Role::Borger));
        let citizens: Vec<Role> = Role::ALL.into_iter().filter(|r| Area::Citizens.allows(*r)).collect();
        assert_eq!(citizens, vec![Role::Sagsbehandler, Role::Leder]);
    }

    #[test]
    fn every_area_has_an_action_and_names_are_unique() {
        for area in Area::ALL {
            assert!(Action::ALL.iter().any(|a| a.area() == area), "{area:?} has no action");
        }
        let mut slugs: Vec<_> = Area::ALL.iter().map(|a| a.slug()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), Area::ALL.len());
        let mut names: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
