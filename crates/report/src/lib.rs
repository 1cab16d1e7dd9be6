//! Goal evaluation, charts and the quarterly report.
//!
//! `chart` draws the SVG line charts; `evaluate` judges a plan's goals for a quarter;
//! `document` gathers the report, `html` and `typst_source` render it. Every word comes from
//! the caller's catalogue through [`labels::Labels`].

pub mod chart;
pub mod document;
pub mod error;
pub mod evaluate;
pub mod html;
pub mod labels;
pub mod letter;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod typst_source;
