//! Ids of the things indsats keeps, one type each, so a user id cannot be passed where a
//! token id belongs, nor a goal id where an action id belongs.
//!
//! Database ids ([`UserId`], [`ApiTokenId`]) are numbers the store hands out; anything may
//! hold one. Plan-file ids ([`PlanId`], [`GoalId`], [`ActionId`]) are written by people in
//! plan files, so they are parsed: lower-case a-z, digits and `-`, the rule the plan-file
//! reader enforces. None of them carries personal data, which is why the audit log may
//! name them.

use std::fmt;

/// A user's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub i64);

/// An API token's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiTokenId(pub i64);

/// A citizen's database id: the only way a URL or the audit log names a citizen (never the
/// CPR number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CitizenId(pub i64);

/// A conversation's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConversationId(pub i64);

/// An offer's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OfferId(pub i64);

/// A decision's (afgørelse's) database id; a complaint about it is keyed by the same id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DecisionId(pub i64);

impl fmt::Display for DecisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for CitizenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for ApiTokenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A plan-file id that breaks the rule (empty, or a character outside a-z, 0-9 and `-`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} id {value:?}: expected lower-case letters a-z, digits and '-'")]
pub struct InvalidId {
    /// Which kind of id: `plan`, `goal` or `action`.
    pub kind: &'static str,
    /// The refused text.
    pub value: String,
}

/// Whether `raw` is a valid plan-file id: not empty, only lower-case a-z, digits and `-`.
pub fn is_plan_file_id(raw: &str) -> bool {
    !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

macro_rules! plan_file_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses an id as written in a plan file.
            pub fn parse(raw: &str) -> Result<Self, InvalidId> {
                if is_plan_file_id(raw) {
                    Ok(Self(raw.to_owned()))
                } else {
                    Err(InvalidId { kind: $kind, value: raw.to_owned() })
                }
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, InvalidId> {
                Self::parse(s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

plan_file_id!(
    /// A plan's id (`plan.id` in its file); every version of a plan shares it.
    PlanId,
    "plan"
);
plan_file_id!(
    /// A goal's id within a plan.
    GoalId,
    "goal"
);
plan_file_id!(
    /// An action's id within a plan.
    ActionId,
    "action"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_file_ids_accept_the_plan_file_rule_only() {
        assert_eq!(PlanId::parse("roedovre-2023").map(String::from), Ok("roedovre-2023".to_owned()));
        assert!(GoalId::parse("g1").is_ok());
        for bad in ["", "Roedovre", "a b", "ø", "a_b", "a/b"] {
            assert!(ActionId::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            GoalId::parse("G1").unwrap_err().to_string(),
            "invalid goal id \"G1\": expected lower-case letters a-z, digits and '-'"
        );
    }

    #[test]
    fn database_ids_display_as_their_number() {
        assert_eq!(UserId(42).to_string(), "42");
        assert_eq!(ApiTokenId(7).to_string(), "7");
    }
}
