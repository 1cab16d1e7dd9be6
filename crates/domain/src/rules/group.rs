//! Target groups (målgrupper) by the rule files' identifiers.

use std::fmt;
use std::str::FromStr;

/// A target group of the employment effort, named by the identifier the rule files use.
///
/// The identifiers follow LAB § 6 (LBK 280/2024); `docs/rules.md` lists them with their paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetGroup {
    /// Dagpenge (LAB § 6 nr. 1).
    Dagpenge,
    /// Jobparat kontanthjælp: 30 or over, or under 30 with an education (nr. 2).
    KontanthjaelpJobparat,
    /// Aktivitetsparat kontanthjælp (nr. 3).
    KontanthjaelpAktivitetsparat,
    /// Uddannelseshjælp: under 30 without an education (nr. 4-5).
    Uddannelseshjaelp,
    /// Sygedagpenge (nr. 6).
    Sygedagpenge,
    /// Ledighedsydelse (nr. 9).
    Ledighedsydelse,
    /// Ressourceforløb (nr. 8).
    Ressourceforloeb,
    /// Jobafklaringsforløb (nr. 7).
    Jobafklaring,
    /// Revalidering (nr. 10).
    Revalidering,
}

impl TargetGroup {
    /// Every group, in the order the documentation lists them.
    pub const ALL: &'static [TargetGroup] = &[
        TargetGroup::Dagpenge,
        TargetGroup::KontanthjaelpJobparat,
        TargetGroup::KontanthjaelpAktivitetsparat,
        TargetGroup::Uddannelseshjaelp,
        TargetGroup::Sygedagpenge,
        TargetGroup::Ledighedsydelse,
        TargetGroup::Ressourceforloeb,
        TargetGroup::Jobafklaring,
        TargetGroup::Revalidering,
    ];

    /// The identifier used in rule files, on the command line and in stored data.
    pub fn code(self) -> &'static str {
        match self {
            TargetGroup::Dagpenge => "dagpenge",
            TargetGroup::KontanthjaelpJobparat => "kontanthjaelp_jobparat",
            TargetGroup::KontanthjaelpAktivitetsparat => "kontanthjaelp_aktivitetsparat",
            TargetGroup::Uddannelseshjaelp => "uddannelseshjaelp",
            TargetGroup::Sygedagpenge => "sygedagpenge",
            TargetGroup::Ledighedsydelse => "ledighedsydelse",
            TargetGroup::Ressourceforloeb => "ressourceforloeb",
            TargetGroup::Jobafklaring => "jobafklaring",
            TargetGroup::Revalidering => "revalidering",
        }
    }

    /// The paragraph of LAB § 6 (LBK 280/2024) the group stands for.
    pub fn lab_paragraph(self) -> &'static str {
        match self {
            TargetGroup::Dagpenge => "LAB § 6 nr. 1",
            TargetGroup::KontanthjaelpJobparat => "LAB § 6 nr. 2",
            TargetGroup::KontanthjaelpAktivitetsparat => "LAB § 6 nr. 3",
            TargetGroup::Uddannelseshjaelp => "LAB § 6 nr. 4-5",
            TargetGroup::Sygedagpenge => "LAB § 6 nr. 6",
            TargetGroup::Ledighedsydelse => "LAB § 6 nr. 9",
            TargetGroup::Ressourceforloeb => "LAB § 6 nr. 8",
            TargetGroup::Jobafklaring => "LAB § 6 nr. 7",
            TargetGroup::Revalidering => "LAB § 6 nr. 10",
        }
    }
}

impl fmt::Display for TargetGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An identifier that names no target group; its message lists the valid ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown target group {code:?}; valid groups: {}", valid_codes())]
pub struct UnknownTargetGroup {
    /// The text that was not understood (a code, never personal data).
    pub code: String,
}

fn valid_codes() -> String {
    TargetGroup::ALL.iter().map(|g| g.code()).collect::<Vec<_>>().join(", ")
}

impl FromStr for TargetGroup {
    type Err = UnknownTargetGroup;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TargetGroup::ALL
            .iter()
            .copied()
            .find(|g| g.code() == s.trim())
            .ok_or_else(|| UnknownTargetGroup { code: s.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_parses_back_and_unknown_codes_list_the_valid_ones() {
        for g in TargetGroup::ALL {
            assert_eq!(g.code().parse::<TargetGroup>(), Ok(*g));
        }
        let err = "kontanthjaelp".parse::<TargetGroup>().unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("\"kontanthjaelp\""), "{msg}");
        assert!(msg.contains("dagpenge, kontanthjaelp_jobparat,"), "{msg}");
        assert!(msg.ends_with("revalidering"), "{msg}");
    }
}
