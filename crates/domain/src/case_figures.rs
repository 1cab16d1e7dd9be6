//! The operational figures a plan can name as indicators: figures of the jobcentre's own case
//! work (conversations, offers, caseworkers, long-running cases), computed from the cases
//! rather than from register data. Their names and definitions are in `docs/plan-format.md`
//! ("Measures") and `docs/case-work.md` ("Operational figures"); `indsats_app::case_figures`
//! computes them.

use std::sync::LazyLock;

use crate::case::{OfferKind, TargetGroup};
use crate::indicator::Category;

/// An operational figure, by what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseMeasure {
    /// `sager.samtaler_til_tiden[.<målgruppe>]`: the percentage of the municipality's
    /// conversation deadlines in the period that were met on time, for every target group or one.
    ConversationsOnTime(Option<TargetGroup>),
    /// `sager.tilbud_startet[.<kind>]`: offers started in the period, of every kind or one.
    OffersStarted(Option<OfferKind>),
    /// `sager.virksomhedsrettet_andel`: the percentage of the offers started in the period that
    /// are company-oriented ([`OfferKind::is_company_oriented`]).
    CompanyOrientedShare,
    /// `sager.sagsbehandlerskift`: changes of caseworker per citizen-year of open cases.
    CaseworkerChanges,
    /// `sager.langvarige_kontanthjaelp` / `sager.langvarige_ressourceforloeb`: cases open for at
    /// least a year at the period's end, in the benefit's target groups then.
    LongRunning(LongRunningGroup),
    /// `sager.fritaget_andel`: the share of citizens exempted (fritaget) from the effort.
    /// Not computed yet: a hook for the exemption records being built beside case work.
    ExemptedShare,
    /// `sager.klager_medhold`: the share of appeals decided in the citizen's favour. Not
    /// computed yet: a hook for the appeal records being built beside case work.
    AppealsUpheld,
}

/// The benefit of a long-running case figure (Rødovre's own goal names these two).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LongRunningGroup {
    /// Kontanthjælp: the target groups jobparat and aktivitetsparat.
    Kontanthjaelp,
    /// Ressourceforløb.
    Ressourceforloeb,
}

impl LongRunningGroup {
    /// Whether a case in `group` counts.
    pub fn contains(self, group: TargetGroup) -> bool {
        match self {
            LongRunningGroup::Kontanthjaelp => {
                matches!(group, TargetGroup::KontanthjaelpJobparat | TargetGroup::KontanthjaelpAktivitetsparat)
            }
            LongRunningGroup::Ressourceforloeb => group == TargetGroup::Ressourceforloeb,
        }
    }
}

/// How the figure is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseUnit {
    /// A percentage of a base that can be empty (then there is no figure).
    Share,
    /// A count of things that happened in the period (zero is a figure); summed over periods.
    Count,
    /// A number of cases on the period's last day (zero is a figure); averaged over periods.
    Stock,
    /// Events per citizen-year of open cases.
    PerCitizenYear,
}

const PREFIX: &str = "sager.";

impl CaseMeasure {
    /// Every operational figure, in the order the documentation lists them.
    pub fn all() -> &'static [CaseMeasure] {
        &NAMES.0
    }

    /// The name used in plan files: `sager.tilbud_startet.virksomhedspraktik`.
    pub fn as_str(self) -> &'static str {
        NAMES.0.iter().zip(&NAMES.1).find(|(m, _)| **m == self).map_or("sager", |(_, n)| n.as_str())
    }

    /// How the figure is expressed.
    pub fn unit(self) -> CaseUnit {
        match self {
            CaseMeasure::ConversationsOnTime(_)
            | CaseMeasure::CompanyOrientedShare
            | CaseMeasure::ExemptedShare
            | CaseMeasure::AppealsUpheld => CaseUnit::Share,
            CaseMeasure::OffersStarted(_) => CaseUnit::Count,
            CaseMeasure::LongRunning(_) => CaseUnit::Stock,
            CaseMeasure::CaseworkerChanges => CaseUnit::PerCitizenYear,
        }
    }

    /// Whether indsats computes the figure yet: exemptions and appeals are recorded by areas
    /// still being built, so a plan may name them and gets "ikke målt" until they are.
    pub fn is_computed(self) -> bool {
        !matches!(self, CaseMeasure::ExemptedShare | CaseMeasure::AppealsUpheld)
    }

    /// Whether the figure can be split by `category`: the whole population and the age bands
    /// (cases keep the birth date, but not the sex or origin the register has).
    pub fn accepts(self, category: Category) -> bool {
        matches!(category, Category::Total | Category::Age(_))
    }

    /// Parses a name written in a plan file.
    pub fn parse(name: &str) -> Option<Self> {
        if !name.starts_with(PREFIX) {
            return None;
        }
        NAMES.0.iter().zip(&NAMES.1).find(|(_, n)| n.as_str() == name).map(|(m, _)| *m)
    }
}

/// Every measure and its name, built once from the lists of target groups and offer kinds.
static NAMES: LazyLock<(Vec<CaseMeasure>, Vec<String>)> = LazyLock::new(|| {
    let mut all = vec![CaseMeasure::ConversationsOnTime(None)];
    all.extend(TargetGroup::ALL.iter().map(|g| CaseMeasure::ConversationsOnTime(Some(*g))));
    all.push(CaseMeasure::OffersStarted(None));
    all.extend(OfferKind::ALL.iter().map(|k| CaseMeasure::OffersStarted(Some(*k))));
    all.extend([
        CaseMeasure::CompanyOrientedShare,
        CaseMeasure::CaseworkerChanges,
        CaseMeasure::LongRunning(LongRunningGroup::Kontanthjaelp),
        CaseMeasure::LongRunning(LongRunningGroup::Ressourceforloeb),
        CaseMeasure::ExemptedShare,
        CaseMeasure::AppealsUpheld,
    ]);
    let names = all
        .iter()
        .map(|m| match m {
            CaseMeasure::ConversationsOnTime(None) => "sager.samtaler_til_tiden".to_owned(),
            CaseMeasure::ConversationsOnTime(Some(g)) => format!("sager.samtaler_til_tiden.{}", g.code()),
            CaseMeasure::OffersStarted(None) => "sager.tilbud_startet".to_owned(),
            CaseMeasure::OffersStarted(Some(k)) => format!("sager.tilbud_startet.{}", k.code()),
            CaseMeasure::CompanyOrientedShare => "sager.virksomhedsrettet_andel".to_owned(),
            CaseMeasure::CaseworkerChanges => "sager.sagsbehandlerskift".to_owned(),
            CaseMeasure::LongRunning(LongRunningGroup::Kontanthjaelp) => "sager.langvarige_kontanthjaelp".to_owned(),
            CaseMeasure::LongRunning(LongRunningGroup::Ressourceforloeb) => {
                "sager.langvarige_ressourceforloeb".to_owned()
            }
            CaseMeasure::ExemptedShare => "sager.fritaget_andel".to_owned(),
            CaseMeasure::AppealsUpheld => "sager.klager_medhold".to_owned(),
        })
        .collect();
    (all, names)
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_measure() {
        assert_eq!(CaseMeasure::all().len(), 1 + TargetGroup::ALL.len() + 1 + OfferKind::ALL.len() + 6);
        for m in CaseMeasure::all() {
            assert_eq!(CaseMeasure::parse(m.as_str()), Some(*m), "{}", m.as_str());
        }
        assert_eq!(
            CaseMeasure::parse("sager.samtaler_til_tiden.kontanthjaelp_jobparat"),
            Some(CaseMeasure::ConversationsOnTime(Some(TargetGroup::KontanthjaelpJobparat)))
        );
        assert_eq!(CaseMeasure::parse("sager.tilbud_startet.praktik"), None);
        assert_eq!(CaseMeasure::parse("andel.langvarige"), None);
        let hooks: Vec<_> = CaseMeasure::all().iter().filter(|m| !m.is_computed()).map(|m| m.as_str()).collect();
        assert_eq!(hooks, ["sager.fritaget_andel", "sager.klager_medhold"]);
    }

    #[test]
    fn long_running_kontanthjaelp_is_both_kontanthjaelp_groups() {
        let k = LongRunningGroup::Kontanthjaelp;
        assert!(
            k.contains(TargetGroup::KontanthjaelpJobparat) && k.contains(TargetGroup::KontanthjaelpAktivitetsparat)
        );
        assert!(!k.contains(TargetGroup::Ressourceforloeb));
        assert!(LongRunningGroup::Ressourceforloeb.contains(TargetGroup::Ressourceforloeb));
    }
}
