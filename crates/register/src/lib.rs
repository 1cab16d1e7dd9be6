//! Register micro-data and the indicator engine.
//!
//! A [`Dataset`] holds persons, residence, benefit and activation spells in memory;
//! [`engine::compute`] turns it into a panel of indicators (municipality x period x
//! indicator x category), and [`reference::compute`] computes the same panel week by
//! week, slowly and obviously, so the engine can be checked against it.

pub mod dataset;
pub mod dream;
pub mod engine;
pub mod files;
pub mod import;
pub use indsats_domain::indicator;
pub mod panel;
pub mod reference;
pub mod series;
pub mod synth;

pub use dataset::{ActivationSpell, BenefitSpell, Dataset, Person, Residence};
pub use indicator::{AgeBand, Category, Dimension, Indicator, Subject};
pub use panel::{PanelRow, PeriodRange, WHOLE_COUNTRY, write_csv};

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    /// Two persons share an id.
    #[error("persons row {row}: the person id occurs more than once")]
    DuplicatePerson {
        /// The 0-based row of the second occurrence.
        row: usize,
    },
    /// A spell refers to a person id that is not among the persons.
    #[error("{table} row {row}: person_id is not among the persons")]
    UnknownPerson {
        /// The table: residence, benefit or activation.
        table: &'static str,
        /// The 0-based row.
        row: usize,
    },
    /// A spell ends before it starts.
    #[error("{table} row {row}: the spell ends before it starts")]
    InvertedSpell {
        /// The table: residence, benefit or activation.
        table: &'static str,
        /// The 0-based row.
        row: usize,
    },
    /// A residence spell names a municipality code outside 101-999.
    #[error("residence row {row}: invalid municipality code {code}: expected 101 to 999")]
    InvalidMunicipality {
        /// The 0-based row.
        row: usize,
        /// The code found.
        code: u16,
    },
    /// More persons than the engine's 32-bit person stamps can tell apart.
    #[error("{0} persons is more than the engine supports")]
    TooManyPersons(usize),
    /// A period range whose ends are of different kinds or in the wrong order.
    #[error("invalid period range {from}..{to}: both ends must be of the same kind and in order")]
    InvalidRange {
        /// The first period as written.
        from: String,
        /// The last period as written.
        to: String,
    },
    /// Two requested ranges of the same period kind, which would yield duplicate rows.
    #[error("more than one {0} range requested")]
    DuplicateKind(&'static str),
}
