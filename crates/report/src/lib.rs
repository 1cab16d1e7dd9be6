//! Goal evaluation, charts and the quarterly report.
//!
//! Today it holds the SVG line charts the overview page draws; goal evaluation and
//! the report documents come with the plans issue.

pub mod chart;
