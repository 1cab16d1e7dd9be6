//! User names and passwords as they are accepted at the edges.

use std::fmt;

/// A login name: 2-64 characters of lowercase a-z, digits, `.`, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

/// Why a user name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidUsername {
    /// Fewer than 2 or more than 64 characters.
    #[error("a user name must be 2 to 64 characters long")]
    Length,
    /// A character outside the allowed set.
    #[error("a user name may only contain lowercase letters a-z, digits, '.', '-' and '_'")]
    Character,
}

impl Username {
    /// Parses a user name; surrounding white space is ignored and letters are lowercased.
    pub fn parse(raw: &str) -> Result<Self, InvalidUsername> {
        let name = raw.trim().to_lowercase();
        if !(2..=64).contains(&name.chars().count()) {
            return Err(InvalidUsername::Length);
        }
        if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')) {
            return Err(InvalidUsername::Character);
        }
        Ok(Self(name))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password that meets the policy. Its `Debug` never shows the secret.
#[derive(Clone)]
pub struct Password(String);

/// Why a new password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidPassword {
    /// Shorter than [`Password::MIN_CHARS`].
    #[error("a password must be at least 12 characters long")]
    TooShort,
    /// Longer than [`Password::MAX_CHARS`]; hashing unbounded input invites abuse.
    #[error("a password may be at most 256 characters long")]
    TooLong,
    /// Only blanks: long enough to count, but no secret at all.
    #[error("a password must not be only spaces")]
    Blank,
}

impl Password {
    /// The shortest accepted password, following current NIST guidance for memorised secrets.
    pub const MIN_CHARS: usize = 12;
    /// The longest accepted password.
    pub const MAX_CHARS: usize = 256;

    /// Checks a new password against the policy.
    pub fn parse(raw: &str) -> Result<Self, InvalidPassword> {
        let n = raw.chars().count();
        if n >= Self::MIN_CHARS && raw.trim().is_empty() {
            Err(InvalidPassword::Blank)
        } else if n < Self::MIN_CHARS {
            Err(InvalidPassword::TooShort)
        } else if n > Self::MAX_CHARS {
            Err(InvalidPassword::TooLong)
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    /// The secret, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn username_is_trimmed_and_lowercased() {
        assert_eq!(Username::parse("  Anna.B ").map(|u| u.to_string()), Ok("anna.b".into()));
    }

    #[test]
    fn username_rejects_bad_characters_and_lengths() {
        assert_eq!(Username::parse("a"), Err(InvalidUsername::Length));
        assert_eq!(Username::parse(&"a".repeat(65)), Err(InvalidUsername::Length));
        assert_eq!(Username::parse("anna b"), Err(InvalidUsername::Character));
        assert_eq!(Username::parse("søren"), Err(InvalidUsername::Character));
    }

    #[test]
    fn password_policy_counts_characters_not_bytes() {
        assert_eq!(Password::parse("kort").err(), Some(InvalidPassword::TooShort));
        assert!(Password::parse("æøåæøåæøåæøå").is_ok());
        assert_eq!(Password::parse(&"x".repeat(257)).err(), Some(InvalidPassword::TooLong));
        assert_eq!(Password::parse(&" ".repeat(12)).err(), Some(InvalidPassword::Blank));
        assert_eq!(Password::parse(" \t \u{a0}".repeat(4).as_str()).err(), Some(InvalidPassword::Blank));
        // Spaces inside a password are fine, and so are spaces around real characters.
        assert!(Password::parse("  korrekt hest  ").is_ok());
    }

    #[test]
    fn password_debug_hides_the_secret() {
        let p = Password::parse("hemmeligt-kodeord").unwrap();
        assert!(!format!("{p:?}").contains("hemmeligt"));
    }
}
