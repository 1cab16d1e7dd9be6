//! Goal evaluation, charts and the quarterly report.
//!
//! `chart` draws the SVG line charts; `evaluate` judges a plan's goals for a quarter.

pub mod chart;
pub mod evaluate;
#[cfg(feature = "pdf")]
pub mod pdf;
