//! Goal evaluation, charts and the quarterly report.
//!
//! `chart` draws the SVG line charts; `evaluate` judges a plan's goals for a quarter.

pub mod chart;
pub mod document;
pub mod evaluate;
pub mod html;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod typst_source;
