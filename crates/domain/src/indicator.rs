//! The indicators the engine computes and the population categories it breaks them down by.
//!
//! The derived orderings of [`Indicator`] and [`Category`] are the row order of the panel.

use std::fmt;
use std::str::FromStr;

use crate::{BenefitGroup, Origin, Sex};

/// An age band of the 16-66 population. The bands overlap: 20-29 spans two others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AgeBand {
    /// 16-24 years.
    A16To24,
    /// 25-29 years.
    A25To29,
    /// 30-39 years.
    A30To39,
    /// 40-49 years.
    A40To49,
    /// 50-59 years.
    A50To59,
    /// 60-66 years.
    A60To66,
    /// 20-29 years, the young adults many plans target.
    A20To29,
}

impl AgeBand {
    /// Every band, in row order.
    pub const ALL: [AgeBand; 7] = [
        AgeBand::A16To24,
        AgeBand::A25To29,
        AgeBand::A30To39,
        AgeBand::A40To49,
        AgeBand::A50To59,
        AgeBand::A60To66,
        AgeBand::A20To29,
    ];

    /// The youngest and oldest age in the band, both included.
    pub fn bounds(self) -> (i32, i32) {
        match self {
            AgeBand::A16To24 => (16, 24),
            AgeBand::A25To29 => (25, 29),
            AgeBand::A30To39 => (30, 39),
            AgeBand::A40To49 => (40, 49),
            AgeBand::A50To59 => (50, 59),
            AgeBand::A60To66 => (60, 66),
            AgeBand::A20To29 => (20, 29),
        }
    }

    /// Whether a person of `age` completed years is in the band.
    pub fn contains(self, age: i32) -> bool {
        let (lo, hi) = self.bounds();
        (lo..=hi).contains(&age)
    }

    /// The category name: `16-24`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::A16To24 => "16-24",
            AgeBand::A25To29 => "25-29",
            AgeBand::A30To39 => "30-39",
            AgeBand::A40To49 => "40-49",
            AgeBand::A50To59 => "50-59",
            AgeBand::A60To66 => "60-66",
            AgeBand::A20To29 => "20-29",
        }
    }
}

/// The youngest age that counts anywhere in the panel.
pub const MIN_AGE: i32 = 16;
/// The oldest age that counts anywhere in the panel.
pub const MAX_AGE: i32 = 66;

/// A breakdown of the population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    /// No breakdown: everyone aged 16-66.
    IAlt,
    /// Age bands.
    Alder,
    /// Sex.
    Koen,
    /// Origin.
    Oprindelse,
}

impl Dimension {
    /// The dimension name: `i_alt`, `alder`, `koen` or `oprindelse`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::IAlt => "i_alt",
            Dimension::Alder => "alder",
            Dimension::Koen => "koen",
            Dimension::Oprindelse => "oprindelse",
        }
    }
}

/// One category of one dimension; a person-week falls in several at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Everyone (dimension `i_alt`).
    Total,
    /// An age band.
    Age(AgeBand),
    /// A sex.
    Sex(Sex),
    /// One of the five origins.
    Origin(Origin),
    /// Non-western immigrants and descendants together.
    NonWestern,
}

impl Category {
    /// Every category, in row order.
    pub const ALL: [Category; 16] = [
        Category::Total,
        Category::Age(AgeBand::A16To24),
        Category::Age(AgeBand::A25To29),
        Category::Age(AgeBand::A30To39),
        Category::Age(AgeBand::A40To49),
        Category::Age(AgeBand::A50To59),
        Category::Age(AgeBand::A60To66),
        Category::Age(AgeBand::A20To29),
        Category::Sex(Sex::M),
        Category::Sex(Sex::K),
        Category::Origin(Origin::Dansk),
        Category::Origin(Origin::VestligIndvandrer),
        Category::Origin(Origin::VestligEfterkommer),
        Category::Origin(Origin::IkkeVestligIndvandrer),
        Category::Origin(Origin::IkkeVestligEfterkommer),
        Category::NonWestern,
    ];

    /// The position in [`Category::ALL`], for dense tables.
    pub fn index(self) -> usize {
        match self {
            Category::Total => 0,
            Category::Age(band) => 1 + band as usize,
            Category::Sex(sex) => 8 + sex as usize,
            Category::Origin(origin) => 10 + origin as usize,
            Category::NonWestern => 15,
        }
    }

    /// The dimension the category belongs to.
    pub fn dimension(self) -> Dimension {
        match self {
            Category::Total => Dimension::IAlt,
            Category::Age(_) => Dimension::Alder,
            Category::Sex(_) => Dimension::Koen,
            Category::Origin(_) | Category::NonWestern => Dimension::Oprindelse,
        }
    }

    /// The category name: `i_alt`, `16-24`, `M`, `dansk`, `ikke_vestlig_i_alt`...
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Total => "i_alt",
            Category::Age(band) => band.as_str(),
            Category::Sex(sex) => sex.as_str(),
            Category::Origin(origin) => origin.as_str(),
            Category::NonWestern => "ikke_vestlig_i_alt",
        }
    }

    /// Whether a person of this age, sex and origin is in the category (ages outside 16-66 never are).
    pub fn includes(self, age: i32, sex: Sex, origin: Origin) -> bool {
        if !(MIN_AGE..=MAX_AGE).contains(&age) {
            return false;
        }
        match self {
            Category::Total => true,
            Category::Age(band) => band.contains(age),
            Category::Sex(s) => s == sex,
            Category::Origin(o) => o == origin,
            Category::NonWestern => origin.is_non_western(),
        }
    }
}

/// A category name that is not one of [`Category::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown category {0:?}")]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL.into_iter().find(|c| c.as_str() == s.trim()).ok_or_else(|| UnknownCategory(s.to_owned()))
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a full-time or share indicator counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// Recipients of one benefit group.
    Benefit(BenefitGroup),
    /// Recipients of any public income support, a person on two benefits counting twice.
    OffentligForsoergelse,
    /// Long-term recipients: on public support this week and in at least 42 of the last 52 weeks.
    Langvarige,
}

impl Subject {
    /// Every subject, in row order.
    pub const ALL: [Subject; 16] = {
        let mut all = [Subject::OffentligForsoergelse; 16];
        let mut i = 0;
        while i < BenefitGroup::ALL.len() {
            all[i] = Subject::Benefit(BenefitGroup::ALL[i]);
            i += 1;
        }
        all[15] = Subject::Langvarige;
        all
    };

    /// The position in [`Subject::ALL`].
    pub fn index(self) -> usize {
        match self {
            Subject::Benefit(group) => group.index(),
            Subject::OffentligForsoergelse => 14,
            Subject::Langvarige => 15,
        }
    }
}

/// An indicator of the register panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Indicator {
    /// `befolkning`: full-time residents aged 16-66 (resident person-weeks / weeks in the period).
    Befolkning,
    /// `fuldtid.<subject>`: full-time persons (person-weeks / weeks in the period).
    Fuldtid(Subject),
    /// `andel.<subject>`: full-time persons as a percentage of `befolkning`.
    Andel(Subject),
    /// `andel.virksomhedsrettet`: percentage of unemployed person-weeks in company-oriented activation.
    Virksomhedsrettet,
    /// `andel.opkvalificering`: percentage of unemployed person-weeks in upskilling.
    Opkvalificering,
}

const FULDTID_NAMES: [&str; 16] = [
    "fuldtid.a_dagpenge",
    "fuldtid.kontanthjaelp",
    "fuldtid.uddannelseshjaelp",
    "fuldtid.selvforsoergelsesydelse",
    "fuldtid.sygedagpenge",
    "fuldtid.jobafklaringsforloeb",
    "fuldtid.forrevalidering",
    "fuldtid.revalidering",
    "fuldtid.ressourceforloeb",
    "fuldtid.ledighedsydelse",
    "fuldtid.fleksjob",
    "fuldtid.foertidspension",
    "fuldtid.efterloen",
    "fuldtid.barselsdagpenge",
    "fuldtid.offentlig_forsoergelse",
    "fuldtid.langvarige",
];

const ANDEL_NAMES: [&str; 16] = [
    "andel.a_dagpenge",
    "andel.kontanthjaelp",
    "andel.uddannelseshjaelp",
    "andel.selvforsoergelsesydelse",
    "andel.sygedagpenge",
    "andel.jobafklaringsforloeb",
    "andel.forrevalidering",
    "andel.revalidering",
    "andel.ressourceforloeb",
    "andel.ledighedsydelse",
    "andel.fleksjob",
    "andel.foertidspension",
    "andel.efterloen",
    "andel.barselsdagpenge",
    "andel.offentlig_forsoergelse",
    "andel.langvarige",
];

impl Indicator {
    /// Every indicator, in row order.
    pub const ALL: [Indicator; 35] = {
        let mut all = [Indicator::Befolkning; 35];
        let mut i = 0;
        while i < Subject::ALL.len() {
            all[1 + i] = Indicator::Fuldtid(Subject::ALL[i]);
            all[17 + i] = Indicator::Andel(Subject::ALL[i]);
            i += 1;
        }
        all[33] = Indicator::Virksomhedsrettet;
        all[34] = Indicator::Opkvalificering;
        all
    };

    /// The indicator name used in files and plans: `befolkning`, `fuldtid.a_dagpenge`, `andel.langvarige`...
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::Befolkning => "befolkning",
            Indicator::Fuldtid(subject) => FULDTID_NAMES[subject.index()],
            Indicator::Andel(subject) => ANDEL_NAMES[subject.index()],
            Indicator::Virksomhedsrettet => "andel.virksomhedsrettet",
            Indicator::Opkvalificering => "andel.opkvalificering",
        }
    }

    /// Whether the value is a percentage rather than a number of full-time persons.
    pub fn is_share(self) -> bool {
        !matches!(self, Indicator::Befolkning | Indicator::Fuldtid(_))
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An indicator name that the engine does not compute.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown indicator {0:?}; expected e.g. befolkning, fuldtid.kontanthjaelp or andel.langvarige")]
pub struct UnknownIndicator(pub String);

impl FromStr for Indicator {
    type Err = UnknownIndicator;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Indicator::ALL.into_iter().find(|i| i.as_str() == s.trim()).ok_or_else(|| UnknownIndicator(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_benefit_identifiers() {
        for g in BenefitGroup::ALL {
            assert_eq!(Indicator::Fuldtid(Subject::Benefit(g)).as_str(), format!("fuldtid.{}", g.as_str()));
            assert_eq!(Indicator::Andel(Subject::Benefit(g)).as_str(), format!("andel.{}", g.as_str()));
        }
        for i in Indicator::ALL {
            assert_eq!(i.as_str().parse::<Indicator>(), Ok(i));
        }
    }

    #[test]
    fn tables_are_in_row_order() {
        assert!(Indicator::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(Category::ALL.windows(2).all(|w| w[0] < w[1]));
        for (i, c) in Category::ALL.into_iter().enumerate() {
            assert_eq!(c.index(), i);
        }
        for (i, s) in Subject::ALL.into_iter().enumerate() {
            assert_eq!(s.index(), i);
        }
        let mut names: Vec<_> = Category::ALL.iter().map(|c| c.as_str()).collect();
        names.dedup();
        assert_eq!(names.len(), 16);
    }

    #[test]
    fn categories_of_a_person() {
        let cats: Vec<_> = Category::ALL
            .into_iter()
            .filter(|c| c.includes(22, Sex::K, Origin::IkkeVestligEfterkommer))
            .map(Category::as_str)
            .collect();
        assert_eq!(cats, ["i_alt", "16-24", "20-29", "K", "ikke_vestlig_efterkommer", "ikke_vestlig_i_alt"]);
        assert!(!Category::Total.includes(67, Sex::M, Origin::Dansk));
        assert!(!Category::Total.includes(15, Sex::M, Origin::Dansk));
    }
}
