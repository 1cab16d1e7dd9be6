//! Typst markup to PDF, in-process.
//!
//! The Typst compiler is linked into the binary and sees a sealed world: the main
//! source, the virtual files the caller hands over (SVG charts, images, included
//! `.typ` parts) and the fonts embedded from `typst-assets` (Libertinus Serif, New
//! Computer Modern, DejaVu Sans Mono). It reads no file from disk, no system font,
//! downloads no package and reads no clock: the same input gives the same bytes.
//!
//! A crate of its own because it is most of a fresh build: `indsats-report` pulls it in
//! only with its `pdf` feature (and `indsats-web` and `indsats-cli` forward theirs), so
//! builds and tests that make no PDF do not compile Typst.
//!
//! ```
//! let chart = br#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>"#;
//! let pdf = indsats_pdf::render_pdf(
//!     "= Målopfyldelse\n#image(\"chart-1.svg\", width: 4cm)",
//!     &[("chart-1.svg", chart.as_slice())],
//! )?;
//! assert!(pdf.starts_with(b"%PDF"));
//! # Ok::<(), indsats_pdf::PdfError>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::{LazyLock, OnceLock};

use chrono::{Datelike as _, NaiveDate};
use typst::diag::{FileError, FileResult, PackageError, Severity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{DiagSpan, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt as _, World, WorldExt as _};
use typst_layout::PagedDocument;

/// Where the main source lives in the virtual file system.
const MAIN_PATH: &str = "main.typ";

/// How many compilations a memoised result may go unused before it is dropped
/// (see [`typst::comemo::evict`]); keeps a long-running server's memory bounded
/// while repeated renders of similar reports stay fast.
const CACHE_MAX_AGE: usize = 10;

/// Options for [`render`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// The date the document is made on: what Typst's `datetime.today()` returns
    /// and the PDF's creation date (unless the source sets `document(date: ..)`).
    /// `None` (the default) writes no creation date, and `datetime.today()` is then
    /// an error, so the output depends on the input alone.
    pub date: Option<NaiveDate>,
}

/// A rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Its number of pages.
    pub pages: usize,
    /// Typst's warnings (e.g. an unknown font family); empty for a clean source.
    pub warnings: Vec<Diagnostic>,
}

/// One Typst error or warning, located in a source file where Typst could tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether it is fatal.
    pub severity: DiagnosticSeverity,
    /// Typst's message, in English.
    pub message: String,
    /// The virtual file it points into (`main.typ` for the main source).
    pub file: Option<String>,
    /// 1-based line number.
    pub line: Option<usize>,
    /// 1-based column, counted in characters.
    pub column: Option<usize>,
    /// Typst's hints, e.g. "did you mean to use `#set`?".
    pub hints: Vec<String>,
}

/// [`Diagnostic::severity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosticSeverity {
    /// Stops the compilation.
    Error,
    /// Does not.
    Warning,
}

impl fmt::Display for Diagnostic {
    /// `main.typ:3:7: error: unclosed delimiter (hint: ...)`, like a compiler.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => write!(f, "{file}:{line}:{column}: ")?,
            (Some(file), Some(line), None) => write!(f, "{file}:{line}: ")?,
            (Some(file), None, _) => write!(f, "{file}: ")?,
            (None, ..) => {}
        }
        let severity = match self.severity {
            DiagnosticSeverity::Error => "error",
            DiagnosticSeverity::Warning => "warning",
        };
        write!(f, "{severity}: {}", self.message)?;
        for hint in &self.hints {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A virtual file's path is unusable (escapes the root, has a backslash, or is
    /// the main source's own path).
    #[error("invalid virtual file path {path:?}: {reason}")]
    InvalidPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The Typst source has errors; the warnings come along as context.
    #[error("Typst could not compile the document:\n{}", lines(.0))]
    Compile(Vec<Diagnostic>),
    /// The laid-out document could not be written as PDF.
    #[error("Typst could not write the PDF:\n{}", lines(.0))]
    Export(Vec<Diagnostic>),
}

impl PdfError {
    /// The diagnostics behind a compilation or export error.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Self::InvalidPath { .. } => &[],
            Self::Compile(diagnostics) | Self::Export(diagnostics) => diagnostics,
        }
    }
}

fn lines(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|diagnostic| format!("  {diagnostic}")).collect::<Vec<_>>().join("\n")
}

/// Drops every memoised result of earlier compilations, so the next render starts cold (the
/// fonts stay loaded): what `indsats bench report` times as the first render of a new report.
pub fn forget_memoised() {
    typst::comemo::evict(0);
}

/// Compiles the Typst `source` as the main file and writes it as PDF.
///
/// `files` are extra virtual files the source can refer to by path relative to it,
/// e.g. `("chart-1.svg", svg_bytes)` for `#image("chart-1.svg")`, or a `.typ` part
/// for `#include`. No creation date is written and `datetime.today()` fails; use
/// [`render`] with [`RenderOptions::date`] for a dated document.
pub fn render_pdf(source: &str, files: &[(&str, &[u8])]) -> Result<Vec<u8>, PdfError> {
    render(source, files, RenderOptions::default()).map(|rendered| rendered.pdf)
}

/// [`render_pdf`] with options, also returning the page count and Typst's warnings.
pub fn render(source: &str, files: &[(&str, &[u8])], options: RenderOptions) -> Result<Rendered, PdfError> {
    let world = ReportWorld::new(source, files, options.date)?;
    let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
    let result = match output {
        Ok(document) => {
            let pdf_options = typst_pdf::PdfOptions {
                timestamp: world.today.map(typst_pdf::Timestamp::new_utc),
                ..typst_pdf::PdfOptions::default()
            };
            match typst_pdf::pdf(&document, &pdf_options) {
                Ok(pdf) => Ok(Rendered { pdf, pages: document.pages().len(), warnings: world.diagnostics(&warnings) }),
                Err(errors) => Err(PdfError::Export(world.diagnostics(&errors))),
            }
        }
        Err(errors) => {
            let mut diagnostics = world.diagnostics(&errors);
            diagnostics.extend(world.diagnostics(&warnings));
            Err(PdfError::Compile(diagnostics))
        }
    };
    typst::comemo::evict(CACHE_MAX_AGE);
    result
}

/// The standard library and the embedded fonts: built once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Shared { library: LazyHash::new(Library::default()), book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// The world one compilation sees.
struct ReportWorld {
    main: Source,
    main_bytes: Bytes,
    files: HashMap<FileId, VirtualFile>,
    today: Option<Datetime>,
}

/// A file the caller handed over; parsed as Typst on first use as a source.
struct VirtualFile {
    bytes: Bytes,
    source: OnceLock<FileResult<Source>>,
}

impl ReportWorld {
    fn new(source: &str, files: &[(&str, &[u8])], date: Option<NaiveDate>) -> Result<Self, PdfError> {
        let main_id =
            file_id(MAIN_PATH).map_err(|reason| PdfError::InvalidPath { path: MAIN_PATH.to_owned(), reason })?;
        let mut map = HashMap::with_capacity(files.len());
        for &(path, data) in files {
            let invalid = |reason: String| PdfError::InvalidPath { path: path.to_owned(), reason };
            let id = file_id(path).map_err(invalid)?;
            if id == main_id {
                return Err(invalid("it is the main source's path".to_owned()));
            }
            let file = VirtualFile { bytes: Bytes::new(data.to_vec()), source: OnceLock::new() };
            map.insert(id, file);
        }
        let today = date.and_then(|date| {
            Datetime::from_ymd(date.year(), u8::try_from(date.month()).ok()?, u8::try_from(date.day()).ok()?)
        });
        Ok(Self {
            main: Source::new(main_id, source.to_owned()),
            main_bytes: Bytes::from_string(source.to_owned()),
            files: map,
            today,
        })
    }

    /// Typst's diagnostics as located, owned messages.
    fn diagnostics(&self, diagnostics: &[SourceDiagnostic]) -> Vec<Diagnostic> {
        diagnostics
            .iter()
            .map(|diagnostic| {
                let (file, line, column) = self.locate(diagnostic.span);
                Diagnostic {
                    severity: match diagnostic.severity {
                        Severity::Error => DiagnosticSeverity::Error,
                        Severity::Warning => DiagnosticSeverity::Warning,
                    },
                    message: diagnostic.message.to_string(),
                    file,
                    line,
                    column,
                    hints: diagnostic.hints.iter().map(|hint| hint.v.to_string()).collect(),
                }
            })
            .collect()
    }

    /// File, 1-based line and 1-based column of a span, as far as known.
    fn locate(&self, span: DiagSpan) -> (Option<String>, Option<usize>, Option<usize>) {
        let Some(id) = span.id() else {
            return (None, None, None);
        };
        let file = Some(id.vpath().get_without_slash().to_owned());
        let position =
            self.range(span).and_then(|range| self.source(id).ok()?.lines().byte_to_line_column(range.start));
        match position {
            Some((line, column)) => (file, Some(line + 1), Some(column + 1)),
            None => (file, None, None),
        }
    }
}

/// The interned id of a project path. Ids are interned for the life of the
/// process, so a report should reuse a small set of names (`chart-1.svg`, ...).
fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|error| error.to_string())?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl ReportWorld {
    fn virtual_file(&self, id: FileId) -> FileResult<&VirtualFile> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!("package {spec} is not available: reports use no packages").into(),
            ))));
        }
        self.files.get(&id).ok_or_else(|| FileError::NotFound(PathBuf::from(id.vpath().get_with_slash())))
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        self.virtual_file(id)?
            .source
            .get_or_init(|| {
                let bytes = self.virtual_file(id)?.bytes.as_slice();
                let text = std::str::from_utf8(bytes).map_err(|_| FileError::InvalidUtf8)?;
                Ok(Source::new(id, text.to_owned()))
            })
            .clone()
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(self.main_bytes.clone());
        }
        Ok(self.virtual_file(id)?.bytes.clone())
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
