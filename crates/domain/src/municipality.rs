//! Municipality codes (kommunekoder).

use std::fmt;
use std::str::FromStr;

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
}
