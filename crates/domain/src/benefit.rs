//! Benefit groups (ydelsesgrupper) and kinds of activation (tilbud), as the indicators use them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A benefit group: the level at which jobindsats.dk reports benefit recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenefitGroup {
    /// A-dagpenge: unemployment insurance benefit.
    ADagpenge,
    /// Kontanthjælp: social assistance.
    Kontanthjaelp,
    /// Uddannelseshjælp: education assistance for under-30s without vocational education.
    Uddannelseshjaelp,
    /// Selvforsørgelses- og hjemrejseydelse (and overgangsydelse): refugees and family-reunified immigrants.
    Selvforsoergelsesydelse,
    /// Sygedagpenge: sickness benefit.
    Sygedagpenge,
    /// Jobafklaringsforløb: job clarification course.
    Jobafklaringsforloeb,
    /// Forrevalidering: pre-rehabilitation.
    Forrevalidering,
    /// Revalidering: rehabilitation.
    Revalidering,
    /// Ressourceforløb: resource course.
    Ressourceforloeb,
    /// Ledighedsydelse: flex-job unemployment benefit.
    Ledighedsydelse,
    /// Fleksjob: flex job.
    Fleksjob,
    /// Førtidspension: disability pension.
    Foertidspension,
    /// Efterløn: voluntary early retirement pay.
    Efterloen,
    /// Barselsdagpenge: maternity and paternity benefit.
    Barselsdagpenge,
}

/// A benefit group name that is not one of the known groups.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown benefit group {0:?}; expected e.g. a_dagpenge, kontanthjaelp or sygedagpenge")]
pub struct UnknownBenefitGroup(pub String);

impl BenefitGroup {
    /// Every group, in the order reports list them.
    pub const ALL: [BenefitGroup; 14] = [
        BenefitGroup::ADagpenge,
        BenefitGroup::Kontanthjaelp,
        BenefitGroup::Uddannelseshjaelp,
        BenefitGroup::Selvforsoergelsesydelse,
        BenefitGroup::Sygedagpenge,
        BenefitGroup::Jobafklaringsforloeb,
        BenefitGroup::Forrevalidering,
        BenefitGroup::Revalidering,
        BenefitGroup::Ressourceforloeb,
        BenefitGroup::Ledighedsydelse,
        BenefitGroup::Fleksjob,
        BenefitGroup::Foertidspension,
        BenefitGroup::Efterloen,
        BenefitGroup::Barselsdagpenge,
    ];

    /// The stable identifier used in files and indicator names.
    pub fn as_str(self) -> &'static str {
        match self {
            BenefitGroup::ADagpenge => "a_dagpenge",
            BenefitGroup::Kontanthjaelp => "kontanthjaelp",
            BenefitGroup::Uddannelseshjaelp => "uddannelseshjaelp",
            BenefitGroup::Selvforsoergelsesydelse => "selvforsoergelsesydelse",
            BenefitGroup::Sygedagpenge => "sygedagpenge",
            BenefitGroup::Jobafklaringsforloeb => "jobafklaringsforloeb",
            BenefitGroup::Forrevalidering => "forrevalidering",
            BenefitGroup::Revalidering => "revalidering",
            BenefitGroup::Ressourceforloeb => "ressourceforloeb",
            BenefitGroup::Ledighedsydelse => "ledighedsydelse",
            BenefitGroup::Fleksjob => "fleksjob",
            BenefitGroup::Foertidspension => "foertidspension",
            BenefitGroup::Efterloen => "efterloen",
            BenefitGroup::Barselsdagpenge => "barselsdagpenge",
        }
    }

    /// The group's position in [`BenefitGroup::ALL`], for dense tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the group counts as public income support (offentlig forsørgelse).
    ///
    /// Parental leave pay is income replacement during employment, not support,
    /// so it is the one group left out.
    pub fn is_public_support(self) -> bool {
        self != BenefitGroup::Barselsdagpenge
    }

    /// Whether activation shares are measured among the group's recipients: the
    /// unemployed on insurance benefit, social or education assistance, or self-support benefit.
    pub fn is_activation_base(self) -> bool {
        matches!(
            self,
            BenefitGroup::ADagpenge
                | BenefitGroup::Kontanthjaelp
                | BenefitGroup::Uddannelseshjaelp
                | BenefitGroup::Selvforsoergelsesydelse
        )
    }
}

impl fmt::Display for BenefitGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BenefitGroup {
    type Err = UnknownBenefitGroup;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BenefitGroup::ALL.into_iter().find(|g| g.as_str() == s.trim()).ok_or_else(|| UnknownBenefitGroup(s.to_owned()))
    }
}

/// A kind of activation offer (tilbud).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivationKind {
    /// Virksomhedspraktik: unpaid work placement in a company.
    Virksomhedspraktik,
    /// Løntilskud: subsidised employment.
    Loentilskud,
    /// Nytteindsats: utility work.
    Nytteindsats,
    /// Opkvalificering: upskilling and education.
    Opkvalificering,
    /// Vejledning: guidance and clarification.
    Vejledning,
}

/// An activation kind name that is not one of the known kinds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown activation kind {0:?}; expected virksomhedspraktik, loentilskud, nytteindsats, opkvalificering or vejledning"
)]
pub struct UnknownActivationKind(pub String);

impl ActivationKind {
    /// Every kind, company-oriented ones first.
    pub const ALL: [ActivationKind; 5] = [
        ActivationKind::Virksomhedspraktik,
        ActivationKind::Loentilskud,
        ActivationKind::Nytteindsats,
        ActivationKind::Opkvalificering,
        ActivationKind::Vejledning,
    ];

    /// The stable identifier used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivationKind::Virksomhedspraktik => "virksomhedspraktik",
            ActivationKind::Loentilskud => "loentilskud",
            ActivationKind::Nytteindsats => "nytteindsats",
            ActivationKind::Opkvalificering => "opkvalificering",
            ActivationKind::Vejledning => "vejledning",
        }
    }

    /// Whether the offer is company-oriented activation (virksomhedsrettet aktivering).
    pub fn is_company_oriented(self) -> bool {
        matches!(self, ActivationKind::Virksomhedspraktik | ActivationKind::Loentilskud | ActivationKind::Nytteindsats)
    }
}

impl fmt::Display for ActivationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ActivationKind {
    type Err = UnknownActivationKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActivationKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| UnknownActivationKind(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_index_matches_all() {
        for (i, g) in BenefitGroup::ALL.into_iter().enumerate() {
            assert_eq!(g.as_str().parse::<BenefitGroup>(), Ok(g));
            assert_eq!(g.index(), i);
        }
        for k in ActivationKind::ALL {
            assert_eq!(k.as_str().parse::<ActivationKind>(), Ok(k));
        }
        assert!("dagpenge".parse::<BenefitGroup>().is_err());
    }

    #[test]
    fn public_support_is_everything_but_parental_leave() {
        let public: Vec<_> = BenefitGroup::ALL.into_iter().filter(|g| !g.is_public_support()).collect();
        assert_eq!(public, vec![BenefitGroup::Barselsdagpenge]);
        assert_eq!(BenefitGroup::ALL.into_iter().filter(|g| g.is_activation_base()).count(), 4);
    }

    #[test]
    fn company_oriented_activation_is_the_first_three_kinds() {
        let company: Vec<_> = ActivationKind::ALL.into_iter().filter(|k| k.is_company_oriented()).collect();
        assert_eq!(company, ActivationKind::ALL[..3]);
    }
}
