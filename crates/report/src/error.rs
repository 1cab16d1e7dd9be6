//! Why a report cannot be made: the one error of the report crate, below both the document
//! and the labels that word it.

use indsats_domain::Quarter;
use indsats_domain::plan::QuarterRange;

/// Why no report can be made. `Display` is English, for logs; [`crate::labels::Labels::error`] words it
/// for readers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The quarter is not in the plan period.
    #[error("{quarter} is outside the plan period {period}")]
    OutsidePlan {
        /// The quarter asked for.
        quarter: Quarter,
        /// The plan period.
        period: QuarterRange,
    },
    /// None of the plan's register indicators has a figure up to the quarter.
    #[error("no register figures for {municipality} up to {quarter}")]
    NoData {
        /// The municipality's name.
        municipality: String,
        /// The quarter asked for.
        quarter: Quarter,
    },
}
