//! Citizens' own accounts (role `borger`): the user bound to one case, and what the citizen's
//! page reads about their case from the audit log ("Hvem har set min sag").

use indsats_domain::case::AccessReason;
use indsats_domain::{AuditEvent, CitizenId, Role, UserId, Username};

use crate::users::UserRow;
use crate::{NewUser, StoreError, User};

/// The audit codes that are a staff member's read of a citizen's data, as the citizen's page
/// lists them: the case opened, the whole CPR number shown, the coherent plan read.
pub const READ_CODES: [&str; 3] = ["citizen.view", "citizen.cpr", "citizen.plan.view"];

/// One read of a citizen's data by someone other than the citizen, from the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRead {
    /// When (Unix seconds).
    pub at: i64,
    /// The reader's login name.
    pub username: Username,
    /// The reader's name as shown in the application.
    pub display_name: String,
    /// The reader's role.
    pub role: Role,
    /// What was read: one of [`READ_CODES`].
    pub action: String,
    /// Why, when the reader had to give a reason (another caseworker's case).
    pub reason: Option<AccessReason>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseReadRow {
    id: i64,
    at: i64,
    action: String,
    detail: String,
    #[sqlx(flatten)]
    user: UserRow,
}

impl TryFrom<CaseReadRow> for CaseRead {
    type Error = StoreError;
    fn try_from(row: CaseReadRow) -> Result<Self, StoreError> {
        let key = format!("id={}", row.id);
        let reason = reason_in(&row.detail)
            .map(|code| {
                code.parse::<AccessReason>().map_err(|e| StoreError::corrupt("audit_log", key.clone(), "detail", e))
            })
            .transpose()?;
        let user = User::try_from(row.user)?;
        Ok(CaseRead {
            at: row.at,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            action: row.action,
            reason,
        })
    }
}

/// The `reason` field of a canonical case-event detail (`{"citizen":7,"reason":"substitute"}`,
/// written by [`AuditEvent::detail`], whose codes hold no quotes).
fn reason_in(detail: &str) -> Option<&str> {
    let start = detail.find("\"reason\":\"")? + "\"reason\":\"".len();
    let rest = &detail[start..];
    rest.find('"').map(|end| &rest[..end])
}

/// The `detail` values of case events about `citizen`: exactly `{"citizen":N}`, or starting
/// `{"citizen":N,` (the citizen is always the first field of a case event's detail), so
/// citizen 7 never matches citizen 70.
pub(crate) fn detail_patterns(citizen: CitizenId) -> (String, String) {
    (format!("{{\"citizen\":{}}}", citizen.0), format!("{{\"citizen\":{},%", citizen.0))
}

/// Persistence of citizens' accounts.
#[async_trait::async_trait]
pub trait CitizenAccounts {
    /// Creates the account (`user.role` must be `borger`) bound to `citizen`, recording
    /// `user.create` and `citizen.account` by `actor` (none at a citizen's own first login).
    /// [`StoreError::Conflict`] when the citizen has an account or the name is taken.
    async fn create_citizen_account(
        &self,
        citizen: CitizenId,
        user: &NewUser,
        actor: Option<UserId>,
    ) -> Result<UserId, StoreError>;
    /// The citizen's account, disabled or not.
    async fn citizen_account(&self, citizen: CitizenId) -> Result<Option<User>, StoreError>;
    /// The citizen an account is bound to; `None` for staff.
    async fn account_citizen(&self, user: UserId) -> Result<Option<CitizenId>, StoreError>;
    /// The citizen with this CPR lookup hash, for the citizen's own login. Not audited as a
    /// read: it hands only the internal id to the login, which is recorded (`login`, and
    /// `citizen.account` the first time) and shows the citizen nothing but their own case.
    async fn citizen_by_lookup(&self, lookup: &str) -> Result<Option<CitizenId>, StoreError>;
    /// Every read of the citizen's data by staff (any user who is not a citizen), newest first.
    async fn case_reads(&self, citizen: CitizenId) -> Result<Vec<CaseRead>, StoreError>;
}

impl_for_both! {
    impl CitizenAccounts {
        async fn create_citizen_account(
            &self,
            citizen: CitizenId,
            user: &NewUser,
            actor: Option<UserId>,
        ) -> Result<UserId, StoreError> {
            if user.role != Role::Borger {
                return Err(StoreError::Conflict("citizen_accounts.role".into()));
            }
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO users (username, display_name, role, password_hash, disabled, created_at) \
                 VALUES ($1, $2, $3, $4, FALSE, $5) RETURNING id",
            )
            .bind(user.username.as_str())
            .bind(&user.display_name)
            .bind(user.role.as_str())
            .bind(&user.password_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("INSERT INTO citizen_accounts (user_id, citizen_id, created_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(citizen.0)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let created = AuditEvent::UserCreated { user: UserId(id), username: user.username.clone(), role: user.role };
            crate::audit::append_audit!(tx, &created, actor, now);
            crate::audit::append_audit!(tx, &AuditEvent::CitizenAccountCreated { citizen, user: UserId(id) }, actor, now);
            tx.commit().await?;
            Ok(UserId(id))
        }

        async fn citizen_account(&self, citizen: CitizenId) -> Result<Option<User>, StoreError> {
            let row: Option<crate::users::UserRow> = sqlx::query_as(concat!(
                "SELECT ", crate::users::user_columns!(),
                " FROM citizen_accounts a JOIN users u ON u.id = a.user_id WHERE a.citizen_id = $1"
            ))
            .bind(citizen.0)
            .fetch_optional(&self.pool)
            .await?;
            row.map(User::try_from).transpose()
        }

        async fn account_citizen(&self, user: UserId) -> Result<Option<CitizenId>, StoreError> {
            let id: Option<i64> = sqlx::query_scalar("SELECT citizen_id FROM citizen_accounts WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(&self.pool)
                .await?;
            Ok(id.map(CitizenId))
        }

        async fn citizen_by_lookup(&self, lookup: &str) -> Result<Option<CitizenId>, StoreError> {
            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM citizens WHERE cpr_lookup = $1")
                .bind(lookup)
                .fetch_optional(&self.pool)
                .await?;
            Ok(id.map(CitizenId))
        }

        async fn case_reads(&self, citizen: CitizenId) -> Result<Vec<CaseRead>, StoreError> {
            let (exact, prefix) = crate::citizen_accounts::detail_patterns(citizen);
            let rows: Vec<crate::citizen_accounts::CaseReadRow> = sqlx::query_as(concat!(
                "SELECT a.id, a.at, a.action, a.detail, ", crate::users::user_columns!(),
                " FROM audit_log a JOIN users u ON u.id = a.actor_user_id \
                 WHERE a.action IN ($1, $2, $3) AND (a.detail = $4 OR a.detail LIKE $5) AND u.role <> 'borger' \
                 ORDER BY a.id DESC"
            ))
            .bind(crate::citizen_accounts::READ_CODES[0])
            .bind(crate::citizen_accounts::READ_CODES[1])
            .bind(crate::citizen_accounts::READ_CODES[2])
            .bind(exact)
            .bind(prefix)
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter().map(CaseRead::try_from).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_is_read_from_a_canonical_detail() {
        assert_eq!(reason_in(r#"{"citizen":7,"reason":"substitute"}"#), Some("substitute"));
        assert_eq!(reason_in(r#"{"citizen":7}"#), None);
        let event = AuditEvent::CaseViewed { citizen: CitizenId(7), reason: Some(AccessReason::Complaint) };
        assert_eq!(reason_in(&event.detail()), Some("complaint"));
    }

    #[test]
    fn the_patterns_match_the_citizen_and_not_one_with_a_longer_id() {
        let (exact, prefix) = detail_patterns(CitizenId(7));
        assert_eq!(exact, AuditEvent::CprRevealed { citizen: CitizenId(7) }.detail());
        let viewed = AuditEvent::CaseViewed { citizen: CitizenId(7), reason: Some(AccessReason::Substitute) }.detail();
        assert!(viewed.starts_with(prefix.trim_end_matches('%')));
        let other = AuditEvent::CaseViewed { citizen: CitizenId(70), reason: None }.detail();
        assert!(other != exact && !other.starts_with(prefix.trim_end_matches('%')));
    }
}
