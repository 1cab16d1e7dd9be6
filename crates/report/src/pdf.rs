//! Typst markup to PDF: the [`indsats_pdf`] crate, re-exported (feature `pdf`).
//!
//! The compiler lives in a crate of its own so that builds without this feature do not
//! compile Typst; [`crate::typst_source`] writes the report's Typst source for it.

pub use indsats_pdf::{
    Diagnostic, DiagnosticSeverity, PdfError, RenderOptions, Rendered, forget_memoised, render, render_pdf,
};
