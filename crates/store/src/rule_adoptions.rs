//! Which rule files an administrator adopted: a file marked *not adopted* (the expected 2027
//! rules) is ignored by the rule book until its id is stored here. Adoption is a row that
//! stays, with who and when; it is written with its `rules.adopt` audit event.

use indsats_domain::{AuditEvent, UserId, Username};

use crate::StoreError;

/// A rule file adopted here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// The rule file's id (`reform-2027`).
    pub regime: String,
    /// Who adopted it; `None` when the user is gone.
    pub adopted_by: Option<Username>,
    /// When, Unix seconds.
    pub adopted_at: i64,
}

/// The payload of [`StoreError::Conflict`] when the file was adopted already.
pub const ALREADY_ADOPTED: &str = "rules_adopted";

/// Persistence of rule adoptions.
#[async_trait::async_trait]
pub trait RuleAdoptions {
    /// Every adoption, oldest first.
    async fn rule_adoptions(&self) -> Result<Vec<Adoption>, StoreError>;
    /// Adopts a rule file by id, recording `rules.adopt`; `Conflict(ALREADY_ADOPTED)` when
    /// it is adopted already. The caller checks that the id names a rule file.
    async fn adopt_rules(&self, regime: &str, actor: UserId) -> Result<(), StoreError>;
}

impl_for_both! {
    impl RuleAdoptions {
        async fn rule_adoptions(&self) -> Result<Vec<Adoption>, StoreError> {
            let rows: Vec<(String, Option<i64>, Option<String>, i64)> = sqlx::query_as(
                "SELECT r.regime_id, r.adopted_by, u.username, r.adopted_at FROM rule_adoptions r \
                 LEFT JOIN users u ON u.id = r.adopted_by ORDER BY r.adopted_at, r.regime_id",
            )
            .fetch_all(&self.pool)
            .await?;
            rows.into_iter()
                .map(|(regime, _, name, adopted_at)| {
                    let adopted_by = name
                        .map(|n| Username::parse(&n))
                        .transpose()
                        .map_err(|e| StoreError::corrupt("rule_adoptions", format!("regime_id={regime}"), "adopted_by", e))?;
                    Ok(Adoption { regime, adopted_by, adopted_at })
                })
                .collect()
        }

        async fn adopt_rules(&self, regime: &str, actor: UserId) -> Result<(), StoreError> {
            let now = crate::unix_now();
            let mut tx = self.pool.begin().await?;
            sqlx::query("INSERT INTO rule_adoptions (regime_id, adopted_by, adopted_at) VALUES ($1, $2, $3)")
                .bind(regime)
                .bind(actor.0)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| match StoreError::from(e) {
                    StoreError::Conflict(_) => StoreError::Conflict(ALREADY_ADOPTED.to_owned()),
                    other => other,
                })?;
            crate::audit::append_audit!(tx, &AuditEvent::RulesAdopted { regime: regime.to_owned() }, Some(actor), now);
            tx.commit().await?;
            Ok(())
        }
    }
}
