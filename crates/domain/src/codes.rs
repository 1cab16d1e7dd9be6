//! Enumerations stored and posted as stable snake_case codes.
//!
//! Case work has many small closed lists (kinds of conversation, offer, outcome ...). Each
//! needs the same four things: the list, its code, parsing from a code, and an error naming
//! the code that was not understood. `code_enum!` writes them once, so a list is declared in
//! one place and cannot drift from its parser.

/// A code that is not in a list. Codes are never personal data, so the text is kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {list} {code:?}")]
pub struct UnknownCode {
    /// Which list, e.g. `offer kind`.
    pub list: &'static str,
    /// The text that was not understood.
    pub code: String,
}

/// Declares an enum whose variants have stable codes, with `ALL`, `code()`, `FromStr` and
/// `Display` (the code).
macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident, $list:literal { $($(#[$vdoc:meta])* $variant:ident => $code:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code stored and posted.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::codes::UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == s.trim())
                    .ok_or_else(|| $crate::codes::UnknownCode { list: $list, code: s.to_owned() })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
pub(crate) use code_enum;
