//! Municipality codes (kommunekoder).

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A Danish municipality code: three digits, 101 (København) to 860 (Hjørring).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct MunicipalityCode(u16);

/// A municipality code outside 101-999.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid municipality code {0:?}: expected three digits from 101 to 999")]
pub struct InvalidMunicipalityCode(pub String);

impl MunicipalityCode {
    /// Parses a number as a municipality code.
    pub fn new(code: u16) -> Result<Self, InvalidMunicipalityCode> {
        if (101..=999).contains(&code) { Ok(Self(code)) } else { Err(InvalidMunicipalityCode(code.to_string())) }
    }

    /// The code as a number.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for MunicipalityCode {
    type Error = InvalidMunicipalityCode;
    fn try_from(code: u16) -> Result<Self, Self::Error> {
        Self::new(code)
    }
}

impl From<MunicipalityCode> for u16 {
    fn from(code: MunicipalityCode) -> Self {
        code.0
    }
}

impl FromStr for MunicipalityCode {
    type Err = InvalidMunicipalityCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.len() != 3 {
            return Err(InvalidMunicipalityCode(s.to_owned()));
        }
        s.parse::<u16>().map_err(|_| InvalidMunicipalityCode(s.to_owned())).and_then(Self::new)
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

/// A municipality as Danmarks Statistik lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// Kommunekode.
    pub code: MunicipalityCode,
    /// The municipality's name.
    pub name: String,
    /// The region it lies in.
    pub region: String,
    /// Residents on 1 January 2023.
    pub population: u32,
}

/// The bundled list (`data/municipalities.csv`; its header says where the figures come from).
const MUNICIPALITIES: &str = include_str!("../data/municipalities.csv");

/// The code that stands for the whole country in register figures (`000`).
pub const WHOLE_COUNTRY: u16 = 0;

/// All 98 municipalities, ordered by code, parsed once from the bundled list.
///
/// The list is compiled in and a test reads it whole, so a malformed line is a build
/// defect caught by the tests; here it would leave the list empty rather than panic.
pub fn all() -> &'static [Municipality] {
    static LIST: OnceLock<Vec<Municipality>> = OnceLock::new();
    LIST.get_or_init(|| parse_list(MUNICIPALITIES).unwrap_or_default())
}

/// The municipality with this code, if it is one of the 98.
pub fn by_code(code: u16) -> Option<&'static Municipality> {
    all().iter().find(|m| m.code.get() == code)
}

/// Where a figure is about: the whole country or one municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// Denmark as a whole (code `000` in the register figures).
    Country,
    /// One municipality.
    Municipality(MunicipalityCode),
}

impl Place {
    /// The code the register figures use: `0` for the whole country.
    pub fn code(self) -> u16 {
        match self {
            Place::Country => WHOLE_COUNTRY,
            Place::Municipality(code) => code.get(),
        }
    }

    /// The place a register code stands for; `None` for a code that is neither.
    pub fn from_code(code: u16) -> Option<Self> {
        if code == WHOLE_COUNTRY {
            Some(Place::Country)
        } else {
            MunicipalityCode::new(code).ok().map(Place::Municipality)
        }
    }
}

/// A line of the bundled list that is not `code,name,region,population`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("municipality list, line {0}: expected code,name,region,population")]
pub struct BadListLine(pub usize);

fn parse_list(text: &str) -> Result<Vec<Municipality>, BadListLine> {
    let mut out = Vec::new();
    let rows = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    for (i, line) in rows.skip(1) {
        let bad = || BadListLine(i + 1);
        let mut fields = line.split(',').map(str::trim);
        let (Some(code), Some(name), Some(region), Some(population), None) =
            (fields.next(), fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(bad());
        };
        out.push(Municipality {
            code: code.parse().map_err(|_| bad())?,
            name: name.to_owned(),
            region: region.to_owned(),
            population: population.parse().map_err(|_| bad())?,
        });
    }
    out.sort_by_key(|m| m.code);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_digit_codes() {
        assert_eq!("175".parse::<MunicipalityCode>().map(MunicipalityCode::get), Ok(175));
        assert!("75".parse::<MunicipalityCode>().is_err());
        assert!("0175".parse::<MunicipalityCode>().is_err());
        assert!("100".parse::<MunicipalityCode>().is_err());
        assert!("abc".parse::<MunicipalityCode>().is_err());
    }

    #[test]
    fn the_bundled_list_has_all_98_municipalities() {
        let list = parse_list(MUNICIPALITIES).unwrap();
        assert_eq!(list.len(), 98);
        assert_eq!(all().len(), 98);
        assert_eq!(by_code(175).map(|m| m.name.as_str()), Some("Rødovre"));
        assert_eq!(by_code(101).map(|m| m.region.as_str()), Some("Hovedstaden"));
        assert!(by_code(999).is_none());
        assert!(parse_list("code,name,region,population\n101,København,Hovedstaden\n").is_err());
    }

    #[test]
    fn the_whole_country_is_code_zero() {
        assert_eq!(Place::from_code(0), Some(Place::Country));
        assert_eq!(Place::from_code(175).map(Place::code), Some(175));
        assert_eq!(Place::from_code(42), None);
    }
}
