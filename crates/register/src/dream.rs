//! The DREAM importer: STAR's register of public transfer payments, in its wide layout.
//!
//! A DREAM file has one row per person: a person id column and one column per ISO week,
//! `y_YYWW` (`y_2307` is 2023 week 07), holding the week's three-digit DREAM code, or
//! nothing when the person received no public transfer that week. Other columns (sex,
//! age, the monthly `branche_`/`grad_` columns ...) are ignored.
//!
//! A [`Mapping`] says what each code means for indsats: a benefit group, a kind of
//! activation, both, or nothing. [`read_wide`] turns the weeks into spells (consecutive
//! weeks with the same benefit group, or the same activation kind, are one spell) and
//! [`write_tables`] writes them as the `benefits` and `activation` tables of the
//! interchange format, which `indsats import register` combines with persons and residence.
//! See `docs/dream.md`.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Seek};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use arrow_array::{ArrayRef, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use indsats_domain::{ActivationKind, BenefitGroup, IsoWeek};
use parquet::arrow::ArrowWriter;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::files::{Column, FilesError, PROBLEM_LIMIT, Problem, Problems, Table, Value};
use crate::{ActivationSpell, BenefitSpell};

/// The default mapping, `crates/register/data/dream-mapping.csv`, compiled in.
pub const DEFAULT_MAPPING: &str = include_str!("../data/dream-mapping.csv");

/// The names accepted for the person id column, compared without regard to case.
///
/// `person_id` is the interchange format's name; `pnr` is what DREAM extracts on Statistics
/// Denmark's research servers call it; `cpr_pseudo` is a common name for a pseudonymised CPR.
/// Whatever the name, the values must be pseudonymous whole numbers, never CPR numbers.
pub const ID_COLUMNS: [&str; 3] = ["person_id", "pnr", "cpr_pseudo"];

/// Cell values that mean "no public transfer this week", besides an empty cell: SAS and R
/// write missing values as `.` and `NA`.
pub const MISSING_MARKERS: [&str; 2] = [".", "NA"];

/// What one DREAM code means: a benefit group, a kind of activation, both, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Target {
    /// The benefit the person is on, if it is one indsats counts.
    pub benefit: Option<BenefitGroup>,
    /// The activation the person is in, if any.
    pub activation: Option<ActivationKind>,
}

impl Target {
    /// A code that indsats does not count: neither a benefit group nor activation.
    pub const IGNORE: Target = Target { benefit: None, activation: None };

    /// Whether the code is ignored.
    pub fn is_ignore(self) -> bool {
        self == Self::IGNORE
    }
}

impl fmt::Display for Target {
    /// The mapping-file syntax: `ignore`, `kontanthjaelp`, `activation:vejledning` or
    /// `kontanthjaelp+activation:virksomhedspraktik`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.benefit, self.activation) {
            (None, None) => f.write_str("ignore"),
            (Some(b), None) => f.write_str(b.as_str()),
            (None, Some(k)) => write!(f, "activation:{k}"),
            (Some(b), Some(k)) => write!(f, "{b}+activation:{k}"),
        }
    }
}

impl FromStr for Target {
    type Err = String;

    /// Parses the mapping-file syntax; the error says what is wrong in plain words.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s == "ignore" {
            return Ok(Self::IGNORE);
        }
        let mut target = Self::IGNORE;
        for part in s.split('+').map(str::trim) {
            if let Some(kind) = part.strip_prefix("activation:") {
                let kind = kind.parse::<ActivationKind>().map_err(|e| e.to_string())?;
                if target.activation.replace(kind).is_some() {
                    return Err("more than one activation kind".into());
                }
            } else if part.is_empty() {
                return Err(if s.is_empty() { "missing".into() } else { "an empty part around +".into() });
            } else if part == "ignore" {
                return Err("ignore cannot be combined with anything".into());
            } else {
                let group: BenefitGroup = part.parse().map_err(|_| {
                    format!(
                        "unknown target {part:?}; expected ignore, a benefit ({}), activation:<kind> ({}) or benefit+activation:<kind>",
                        names(BenefitGroup::ALL.iter().map(|b| b.as_str())),
                        names(ActivationKind::ALL.iter().map(|k| k.as_str())),
                    )
                })?;
                if target.benefit.replace(group).is_some() {
                    return Err("more than one benefit group".into());
                }
            }
        }
        Ok(target)
    }
}

fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

/// How many distinct DREAM codes there can be: three digits.
const CODES: usize = 1000;

/// What each DREAM code means. Codes not in the mapping are errors when a file uses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    // Indexed by the code's numeric value.
    targets: Vec<Option<Target>>,
}

/// The columns of a mapping file, in order.
const MAPPING_COLUMNS: [&str; 4] = ["code", "target", "source", "note"];

impl Mapping {
    /// A mapping that knows no code.
    pub fn empty() -> Self {
        Self { targets: vec![None; CODES] }
    }

    /// Parses a mapping file (see the module docs and `docs/dream.md`), reporting every bad
    /// line. A problem's `row` is the line number in the text, comment lines included, so it
    /// is the line an editor shows.
    pub fn parse(text: &str) -> Result<Self, Problems> {
        Self::parse_named(text, "mapping")
    }

    /// Reads and parses a mapping file; problems name the file.
    pub fn from_file(path: &Path) -> Result<Self, FilesError> {
        let text = std::fs::read_to_string(path).map_err(|e| io_error(path, &e))?;
        Self::parse_named(&text, &display_name(path)).map_err(FilesError::Invalid)
    }

    /// Parses a mapping file whose problems carry `file` as the file name.
    pub fn parse_named(text: &str, file: &str) -> Result<Self, Problems> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut problems = Problems::default();
        let mut mapping = Self::empty();
        // The line each code was first given on, to name it when the code comes again.
        let mut first_line = vec![0_u64; CODES];
        let problem = |line: u64, column: Option<&'static str>, value: Option<&str>, message: String| Problem {
            file: file.to_owned(),
            row: usize::try_from(line).unwrap_or(usize::MAX),
            column,
            value: value.map(str::to_owned),
            message,
        };
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .flexible(true)
            .has_headers(false)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut header_seen = false;
        for record in reader.records() {
            let record = match record {
                Ok(record) => record,
                Err(err) => {
                    let line = err.position().map_or(0, csv::Position::line);
                    problems.push(problem(line, None, None, err.to_string()));
                    continue;
                }
            };
            let line = record.position().map_or(0, csv::Position::line);
            if !header_seen {
                header_seen = true;
                if record.iter().ne(MAPPING_COLUMNS) {
                    let found = record.iter().collect::<Vec<_>>().join(",");
                    let message = format!("the header must be {}", MAPPING_COLUMNS.join(","));
                    problems.push(problem(line, None, Some(&found), message));
                }
                continue;
            }
            if record.len() != MAPPING_COLUMNS.len() {
                let message = format!("{} fields; a line needs 4: code,target,source,note", record.len());
                problems.push(problem(line, None, None, message));
                continue;
            }
            let (code, target, source) = (&record[0], &record[1], &record[2]);
            let number = (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
                .then(|| code.parse::<usize>().ok())
                .flatten();
            if number.is_none() {
                problems.push(problem(line, Some("code"), Some(code), "not a three-digit DREAM code".into()));
            }
            let parsed = target.parse::<Target>();
            if let Err(message) = &parsed {
                problems.push(problem(line, Some("target"), Some(target), message.clone()));
            }
            if source.is_empty() {
                let message = "missing: say where the code's meaning comes from (a URL or document)".into();
                problems.push(problem(line, Some("source"), None, message));
            }
            if let (Some(number), Ok(target)) = (number, parsed) {
                if first_line[number] > 0 {
                    let message = format!("the code is already mapped on line {}", first_line[number]);
                    problems.push(problem(line, Some("code"), Some(code), message));
                } else {
                    first_line[number] = line;
                    mapping.targets[number] = Some(target);
                }
            }
        }
        if !header_seen {
            problems.push(problem(0, None, None, format!("empty: expected the header {}", MAPPING_COLUMNS.join(","))));
        }
        if problems.is_empty() { Ok(mapping) } else { Err(problems) }
    }

    /// What `code` means, if the mapping knows it. Codes of one or two digits are read as
    /// if left-padded with zeros (numeric exports drop leading zeros).
    pub fn get(&self, code: &str) -> Option<Target> {
        code_number(code).and_then(|n| self.targets[n])
    }

    /// The mapped codes, ascending, with their targets.
    pub fn codes(&self) -> impl Iterator<Item = (String, Target)> + '_ {
        self.targets.iter().enumerate().filter_map(|(n, t)| t.map(|t| (format!("{n:03}"), t)))
    }

    /// How many codes are mapped.
    pub fn len(&self) -> usize {
        self.targets.iter().filter(|t| t.is_some()).count()
    }

    /// Whether no code is mapped.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Default for Mapping {
    /// The compiled-in default mapping, [`DEFAULT_MAPPING`]. A test checks that it parses.
    fn default() -> Self {
        Self::parse_named(DEFAULT_MAPPING, "dream-mapping.csv").unwrap_or_else(|_| Self::empty())
    }
}

/// The numeric value of a code of one to three digits.
fn code_number(code: &str) -> Option<usize> {
    let code = code.trim();
    (!code.is_empty() && code.len() <= 3 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| code.parse().ok())
        .flatten()
}

/// The calendar year of a two-digit DREAM year: 91-99 are 1991-1999, 00-90 are 2000-2090.
///
/// DREAM starts in 1991, so no year before 1991 is needed and the rule will hold until 2090.
pub fn century_year(yy: u32) -> Option<i32> {
    let yy = i32::try_from(yy).ok().filter(|y| *y < 100)?;
    Some(if yy >= 91 { 1900 + yy } else { 2000 + yy })
}

/// The week a week column stands for: `y_2307` is 2023W07. The prefix may be in any case.
/// `None` when the name is not `y_` and four digits, or the week does not exist (week 54,
/// or week 53 in a year that has 52).
pub fn week_of_column(name: &str) -> Option<IsoWeek> {
    let name = name.trim();
    let digits = name.get(2..).filter(|_| name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("y_")))?;
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = century_year(digits[..2].parse().ok()?)?;
    IsoWeek::new(year, digits[2..].parse().ok()?).ok()
}

/// The column name of a week, `y_YYWW`; `None` for weeks outside 1991-2090.
pub fn column_of_week(week: IsoWeek) -> Option<String> {
    (1991..=2090).contains(&week.year()).then(|| format!("y_{:02}{:02}", week.year() % 100, week.week()))
}

/// Whether a column is read as a week column: its name starts with `y_` in any case.
fn is_week_column(name: &str) -> bool {
    name.trim().get(..2).is_some_and(|p| p.eq_ignore_ascii_case("y_"))
}

/// Every valid week column's name, lower case, so problems can name columns by `&'static str`.
fn static_week_name(week: IsoWeek) -> &'static str {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    let names =
        NAMES.get_or_init(|| (0..100).flat_map(|yy| (1..=53).map(move |ww| format!("y_{yy:02}{ww:02}"))).collect());
    let yy = usize::try_from(week.year().rem_euclid(100)).unwrap_or(0);
    let ww = usize::try_from(week.week()).unwrap_or(1).clamp(1, 53);
    names.get(yy * 53 + ww - 1).map_or("y_", String::as_str)
}

/// One week column of a file.
#[derive(Debug, Clone, Copy)]
struct WeekColumn {
    /// Where it stands among the file's columns.
    position: usize,
    week: IsoWeek,
    index: i32,
    name: &'static str,
}

/// Where the id and the weeks stand in a file; weeks in chronological order.
#[derive(Debug)]
struct Layout {
    id_position: usize,
    id_name: &'static str,
    weeks: Vec<WeekColumn>,
}

/// Finds the id and week columns, recording every problem with the header.
fn layout(file: &str, headers: &[&str], problems: &mut Problems) -> Option<Layout> {
    let header_problem = |value: Option<String>, column: Option<&'static str>, message: String| Problem {
        file: file.to_owned(),
        row: 0,
        column,
        value,
        message,
    };
    let before = problems.total;
    let ids: Vec<(usize, &'static str)> = headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| ID_COLUMNS.iter().find(|c| h.trim().eq_ignore_ascii_case(c)).map(|c| (i, *c)))
        .collect();
    match ids.as_slice() {
        [] => {
            let shown: Vec<&str> = headers.iter().filter(|h| !is_week_column(h)).take(12).copied().collect();
            let message = format!(
                "no person id column: expected one of {}; the columns other than weeks are: {}",
                ID_COLUMNS.join(", "),
                shown.join(", ")
            );
            problems.push(header_problem(None, None, message));
        }
        [_] => {}
        [_, second, ..] => {
            let message = "more than one person id column; keep one of person_id, pnr, cpr_pseudo".into();
            problems.push(header_problem(Some(headers[second.0].trim().to_owned()), None, message));
        }
    }
    let mut weeks = Vec::new();
    for (position, header) in headers.iter().enumerate().filter(|(_, h)| is_week_column(h)) {
        if let Some(week) = week_of_column(header) {
            weeks.push(WeekColumn { position, week, index: week.index(), name: static_week_name(week) });
        } else {
            let message = format!(
                "column {} is not a week: a column starting with y_ must be y_YYWW with a week 01-52, \
                 or 53 in years that have it (YY 91-99 is 1991-1999, 00-90 is 2000-2090)",
                header.trim()
            );
            problems.push(header_problem(Some(header.trim().to_owned()), None, message));
        }
    }
    weeks.sort_by_key(|w| (w.index, w.position));
    for pair in weeks.windows(2).filter(|p| p[0].index == p[1].index) {
        let (first, second) = (headers[pair[0].position].trim(), headers[pair[1].position].trim());
        let message = format!("week {} has more than one column ({first} and {second})", pair[1].week);
        problems.push(header_problem(Some(headers[pair[1].position].trim().to_owned()), None, message));
    }
    if weeks.is_empty() && problems.total == before {
        problems.push(header_problem(None, None, "no week columns: expected columns named y_YYWW".into()));
    }
    match ids.first() {
        Some(&(id_position, id_name)) if problems.total == before => Some(Layout { id_position, id_name, weeks }),
        _ => None,
    }
}

// DREAM's own reading of a cell: missing markers and three-digit codes.
impl Value<'_> {
    fn is_missing(self) -> bool {
        match self {
            Value::Null => true,
            Value::Text(t) => t.trim().is_empty() || MISSING_MARKERS.contains(&t.trim()),
            Value::Float(f) => f.is_nan(),
            Value::Int(_) | Value::Date(_) => false,
        }
    }

    /// The code's numeric value, if the cell holds a code of one to three digits.
    fn code(self) -> Option<usize> {
        match self {
            Value::Text(t) => code_number(t),
            Value::Int(i) => usize::try_from(i).ok().filter(|n| *n < CODES),
            Value::Float(f) => {
                // Whole numbers below 1000 only; the cast is exact for those.
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "checked to lie in 0..100 just above"
                )]
                let n = f as usize;
                (f.fract() == 0.0 && (0.0..1000.0).contains(&f)).then_some(n)
            }
            Value::Null | Value::Date(_) => None,
        }
    }
}

/// A spell being built: the value, its first and last week, and the last week's index.
#[derive(Debug, Clone, Copy)]
struct Open<T> {
    value: T,
    from: IsoWeek,
    to: IsoWeek,
    last: i32,
}

/// Extends the open spell by `week` if it carries on the same value in the next week,
/// and otherwise closes it (through `close`) and opens a new one if `value` is `Some`.
fn advance<T: Copy + Eq>(
    open: &mut Option<Open<T>>,
    value: Option<T>,
    week: &WeekColumn,
    close: &mut impl FnMut(T, IsoWeek, IsoWeek),
) {
    if let (Some(run), Some(v)) = (open.as_mut(), value)
        && run.value == v
        && run.last + 1 == week.index
    {
        run.to = week.week;
        run.last = week.index;
        return;
    }
    if let Some(run) = open.take() {
        close(run.value, run.from, run.to);
    }
    *open = value.map(|value| Open { value, from: week.week, to: week.week, last: week.index });
}

/// Turns rows into spells, collecting problems.
struct Builder<'m> {
    mapping: &'m Mapping,
    file: String,
    benefits: Vec<BenefitSpell>,
    activations: Vec<ActivationSpell>,
    /// Every person id with its row, to find duplicates at the end.
    ids: Vec<(i64, usize)>,
    /// Unknown codes as shown, with how many cells hold them.
    unknown: BTreeMap<String, usize>,
    /// Problems with single cells, listed after the summary of unknown codes.
    cells: Problems,
    /// Targets of the current row, reused between rows.
    targets: Vec<Option<Target>>,
}

impl<'m> Builder<'m> {
    fn new(mapping: &'m Mapping, file: String) -> Self {
        Self {
            mapping,
            file,
            benefits: Vec::new(),
            activations: Vec::new(),
            ids: Vec::new(),
            unknown: BTreeMap::new(),
            cells: Problems::default(),
            targets: Vec::new(),
        }
    }

    /// Records a problem; the message is only built while problems are still being listed.
    fn problem(&mut self, row: usize, column: &'static str, value: Option<String>, message: impl FnOnce() -> String) {
        if self.cells.listed.len() < PROBLEM_LIMIT {
            self.cells.push(Problem { file: self.file.clone(), row, column: Some(column), value, message: message() });
        } else {
            self.cells.total += 1;
        }
    }

    /// Reads one row: `cell(position)` gives the cell in a column of the file.
    fn row<'c>(&mut self, layout: &Layout, row: usize, cell: impl Fn(usize) -> Value<'c>) {
        let id = match cell(layout.id_position).int() {
            Ok(id) => Some(id),
            Err(message) => {
                // The value is not shown: a person id column may hold personal data.
                self.problem(row, layout.id_name, None, || message.to_owned());
                None
            }
        };
        self.targets.clear();
        for week in &layout.weeks {
            let value = cell(week.position);
            if value.is_missing() {
                self.targets.push(None);
                continue;
            }
            if let Some(target) = value.code().and_then(|n| self.mapping.targets[n]) {
                self.targets.push((!target.is_ignore()).then_some(target));
                continue;
            }
            let shown = value.shown();
            *self.unknown.entry(shown.clone()).or_default() += 1;
            let message = || {
                if value.code().is_some() {
                    "code not in the mapping".to_owned()
                } else {
                    "not a DREAM code (expected three digits, or empty for no transfer)".to_owned()
                }
            };
            self.problem(row, week.name, Some(shown), message);
            self.targets.push(None);
        }
        let Some(person_id) = id else { return };
        self.ids.push((person_id, row));
        let (benefits, activations) = (&mut self.benefits, &mut self.activations);
        let mut benefit: Option<Open<BenefitGroup>> = None;
        let mut activation: Option<Open<ActivationKind>> = None;
        let mut close_benefit = |group, from, to| benefits.push(BenefitSpell { person_id, group, from, to });
        let mut close_activation = |kind, from, to| activations.push(ActivationSpell { person_id, kind, from, to });
        for (week, target) in layout.weeks.iter().zip(&self.targets) {
            advance(&mut benefit, target.and_then(|t| t.benefit), week, &mut close_benefit);
            advance(&mut activation, target.and_then(|t| t.activation), week, &mut close_activation);
        }
        if let Some(run) = benefit {
            close_benefit(run.value, run.from, run.to);
        }
        if let Some(run) = activation {
            close_activation(run.value, run.from, run.to);
        }
    }

    /// The spells, or every problem found: a summary of unknown codes first, then the
    /// cells and rows at fault.
    fn finish(mut self, layout: &Layout, mut problems: Problems) -> Result<Spells, FilesError> {
        self.ids.sort_unstable();
        let duplicates: Vec<(usize, usize)> =
            self.ids.windows(2).filter(|p| p[0].0 == p[1].0).map(|p| (p[0].1, p[1].1)).collect();
        for (first, row) in duplicates {
            self.problem(row, layout.id_name, None, || format!("the person id already occurs in row {first}"));
        }
        if !self.unknown.is_empty() {
            let codes: Vec<String> = self.unknown.iter().map(|(code, n)| format!("{code:?} ({n} cells)")).collect();
            problems.push(Problem {
                file: self.file.clone(),
                row: 0,
                column: None,
                value: None,
                message: format!(
                    "{} value(s) the mapping does not know: {}; add them to a mapping file (--mapping)",
                    codes.len(),
                    codes.join(", ")
                ),
            });
        }
        let extra = self.cells.total - self.cells.listed.len();
        for problem in self.cells.listed {
            problems.push(problem);
        }
        problems.total += extra;
        if problems.is_empty() {
            Ok(Spells { benefits: self.benefits, activations: self.activations })
        } else {
            Err(FilesError::Invalid(problems))
        }
    }
}

/// Benefit and activation spells read from a DREAM file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spells {
    /// Benefit spells, by row and then week.
    pub benefits: Vec<BenefitSpell>,
    /// Activation spells, by row and then week.
    pub activations: Vec<ActivationSpell>,
}

/// Reads a DREAM file in the wide layout (CSV, or Parquet when the name ends in `.parquet`)
/// and turns its weeks into spells.
///
/// Consecutive weeks mapped to the same benefit group are one benefit spell, and consecutive
/// weeks mapped to the same activation kind are one activation spell; an empty or ignored
/// week, a change of group or kind, or a week with no column in the file ends a spell.
/// Every problem is collected (up to [`PROBLEM_LIMIT`] listed): unknown codes with file,
/// row, column and value, invalid week columns by name, bad or repeated person ids.
pub fn read_wide(path: &Path, mapping: &Mapping) -> Result<(Vec<BenefitSpell>, Vec<ActivationSpell>), FilesError> {
    read(path, mapping).map(|s| (s.benefits, s.activations))
}

/// As [`read_wide`], returning [`Spells`].
pub fn read(path: &Path, mapping: &Mapping) -> Result<Spells, FilesError> {
    let is_parquet = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("parquet"));
    if is_parquet { read_parquet(path, mapping) } else { read_csv(path, mapping) }
}

/// The field delimiter: `;` when the header line has semicolons and no commas (as Danish
/// spreadsheet and SAS exports often do), `,` otherwise.
fn sniff_delimiter(file: &mut File, path: &Path) -> Result<u8, FilesError> {
    let mut header = Vec::new();
    BufReader::new(&mut *file).read_until(b'\n', &mut header).map_err(|e| io_error(path, &e))?;
    file.rewind().map_err(|e| io_error(path, &e))?;
    Ok(if header.contains(&b';') && !header.contains(&b',') { b';' } else { b',' })
}

fn read_csv(path: &Path, mapping: &Mapping) -> Result<Spells, FilesError> {
    let file_name = display_name(path);
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
    let delimiter = sniff_delimiter(&mut file, path)?;
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).from_reader(file);
    let headers = reader.headers().map_err(|e| io_error(path, &e))?.clone();
    let mut problems = Problems::default();
    let names: Vec<&str> = headers.iter().map(|h| h.trim_start_matches('\u{feff}')).collect();
    let Some(layout) = layout(&file_name, &names, &mut problems) else {
        return Err(FilesError::Invalid(problems));
    };
    let mut builder = Builder::new(mapping, file_name);
    let mut record = csv::StringRecord::new();
    let mut row = 0;
    loop {
        row += 1;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => builder.row(&layout, row, |p| record.get(p).map_or(Value::Null, Value::Text)),
            Err(err) => {
                let message = err.to_string();
                builder.cells.push(Problem { file: builder.file.clone(), row, column: None, value: None, message });
                if !matches!(err.kind(), csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }) {
                    break;
                }
            }
        }
    }
    builder.finish(&layout, problems)
}

fn read_parquet(path: &Path, mapping: &Mapping) -> Result<Spells, FilesError> {
    let file_name = display_name(path);
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| io_error(path, &e))?;
    let schema = builder.schema().clone();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let mut problems = Problems::default();
    let Some(layout) = layout(&file_name, &names, &mut problems) else {
        return Err(FilesError::Invalid(problems));
    };
    // Read only the id and week columns; the batches hold them in file order.
    let mut wanted: Vec<usize> =
        std::iter::once(layout.id_position).chain(layout.weeks.iter().map(|w| w.position)).collect();
    wanted.sort_unstable();
    let mask = ProjectionMask::roots(builder.parquet_schema(), wanted.iter().copied());
    let reader = builder.with_projection(mask).with_batch_size(16 * 1024).build().map_err(|e| io_error(path, &e))?;
    let mut dream = Builder::new(mapping, file_name);
    let mut row_base = 0;
    for batch in reader {
        let batch = batch.map_err(|e| io_error(path, &e))?;
        let mut columns: Vec<Option<Column<'_>>> = (0..names.len()).map(|_| None).collect();
        for (i, &position) in wanted.iter().enumerate() {
            let Some(column) = Column::of(batch.column(i)) else {
                problems.push(Problem {
                    file: dream.file.clone(),
                    row: 0,
                    column: None,
                    value: Some(names[position].to_owned()),
                    message: format!(
                        "column {} has the unsupported type {}",
                        names[position],
                        batch.column(i).data_type()
                    ),
                });
                return Err(FilesError::Invalid(problems));
            };
            columns[position] = Some(column);
        }
        for i in 0..batch.num_rows() {
            dream.row(&layout, row_base + i + 1, |p| columns[p].as_ref().map_or(Value::Null, |c| c.get(i)));
        }
        row_base += batch.num_rows();
    }
    dream.finish(&layout, problems)
}

/// The file format [`write_tables`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `benefits.parquet` and `activation.parquet`, as `indsats import register` writes them.
    #[default]
    Parquet,
    /// `benefits.csv` and `activation.csv`.
    Csv,
}

/// Writes the spells as the `benefits` and `activation` tables of the interchange format
/// into `dir` (created if missing) and returns the two files. Each file is written under a
/// temporary name and renamed into place, so a failed write leaves no half file behind.
///
/// Only these two tables are written: pass the files to `indsats import register` together
/// with the persons and residence files.
pub fn write_tables(
    benefits: &[BenefitSpell],
    activations: &[ActivationSpell],
    dir: &Path,
    format: Format,
) -> Result<[PathBuf; 2], FilesError> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let benefit_rows: Vec<Row<'_>> = benefits
        .iter()
        .map(|b| Row { person_id: b.person_id, name: b.group.as_str(), from: b.from, to: b.to })
        .collect();
    let activation_rows: Vec<Row<'_>> = activations
        .iter()
        .map(|a| Row { person_id: a.person_id, name: a.kind.as_str(), from: a.from, to: a.to })
        .collect();
    Ok([
        write_table(dir, Table::Benefits, &benefit_rows, format)?,
        write_table(dir, Table::Activation, &activation_rows, format)?,
    ])
}

/// One row of the benefits or activation table.
struct Row<'a> {
    person_id: i64,
    name: &'a str,
    from: IsoWeek,
    to: IsoWeek,
}

fn write_table(dir: &Path, table: Table, rows: &[Row<'_>], format: Format) -> Result<PathBuf, FilesError> {
    let extension = match format {
        Format::Parquet => "parquet",
        Format::Csv => "csv",
    };
    let path = dir.join(format!("{}.{extension}", table.name()));
    let partial = dir.join(format!(".{}.{extension}.partial", table.name()));
    let written = match format {
        Format::Parquet => write_parquet_table(&partial, table, rows),
        Format::Csv => write_csv_table(&partial, table, rows),
    };
    if let Err(err) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(err);
    }
    std::fs::rename(&partial, &path).map_err(|e| io_error(&path, &e))?;
    Ok(path)
}

fn write_csv_table(path: &Path, table: Table, rows: &[Row<'_>]) -> Result<(), FilesError> {
    let mut writer = csv::Writer::from_path(path).map_err(|e| io_error(path, &e))?;
    writer.write_record(table.columns()).map_err(|e| io_error(path, &e))?;
    for row in rows {
        let record = [row.person_id.to_string(), row.name.to_owned(), week_text(row.from), week_text(row.to)];
        writer.write_record(&record).map_err(|e| io_error(path, &e))?;
    }
    writer.flush().map_err(|e| io_error(path, &e))
}

/// Rows per record batch and Parquet row group.
const BATCH_ROWS: usize = 1 << 20;

fn write_parquet_table(path: &Path, table: Table, rows: &[Row<'_>]) -> Result<(), FilesError> {
    // The same schema as `files::write_parquet`, so `files::read` reads these files.
    let [id, name, from, to] = table.columns() else {
        return Err(FilesError::Io { path: path.to_owned(), message: "not a spell table".into() });
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new(*id, DataType::Int64, false),
        Field::new(*name, DataType::Utf8, false),
        Field::new(*from, DataType::Int32, false),
        Field::new(*to, DataType::Int32, false),
    ]));
    let file = File::create(path).map_err(|e| io_error(path, &e))?;
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(properties)).map_err(|e| io_error(path, &e))?;
    for chunk in rows.chunks(BATCH_ROWS) {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from_iter_values(chunk.iter().map(|r| r.person_id))),
            Arc::new(StringArray::from_iter_values(chunk.iter().map(|r| r.name))),
            Arc::new(Int32Array::from_iter_values(chunk.iter().map(|r| week_int(r.from)))),
            Arc::new(Int32Array::from_iter_values(chunk.iter().map(|r| week_int(r.to)))),
        ];
        let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|e| io_error(path, &e))?;
        writer.write(&batch).map_err(|e| io_error(path, &e))?;
    }
    writer.close().map_err(|e| io_error(path, &e))?;
    Ok(())
}

fn week_int(week: IsoWeek) -> i32 {
    i32::try_from(week.yyyyww()).unwrap_or(i32::MAX)
}

fn week_text(week: IsoWeek) -> String {
    week.yyyyww().to_string()
}

/// What [`convert`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// Benefit spells written.
    pub benefits: usize,
    /// Activation spells written.
    pub activations: usize,
    /// The files written: benefits, then activation.
    pub files: [PathBuf; 2],
}

/// `indsats import dream FILE --out DIR`: reads `input` with `mapping` and writes the
/// `benefits` and `activation` tables into `out`. Nothing is written if the input has problems.
pub fn convert(input: &Path, mapping: &Mapping, out: &Path, format: Format) -> Result<Converted, FilesError> {
    let spells = read(input, mapping)?;
    let files = write_tables(&spells.benefits, &spells.activations, out, format)?;
    Ok(Converted { benefits: spells.benefits.len(), activations: spells.activations.len(), files })
}

fn io_error(path: &Path, err: &dyn fmt::Display) -> FilesError {
    FilesError::Io { path: path.to_owned(), message: err.to_string() }
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_mapping_parses_and_cites_a_source_for_every_code() {
        let mapping = Mapping::parse(DEFAULT_MAPPING).unwrap();
        assert_eq!(mapping, Mapping::default());
        assert!(!mapping.is_empty());
        assert_eq!(mapping.get("121"), Some(Target::IGNORE));
        assert_eq!(mapping.get("881"), Some("barselsdagpenge".parse().unwrap()));
        assert_eq!(mapping.get("137"), Some("kontanthjaelp+activation:virksomhedspraktik".parse().unwrap()));
    }

    #[test]
    fn targets_round_trip_through_their_syntax() {
        for text in ["ignore", "kontanthjaelp", "activation:vejledning", "a_dagpenge+activation:loentilskud"] {
            assert_eq!(text.parse::<Target>().unwrap().to_string(), text);
        }
        let both: Target = "activation:nytteindsats + kontanthjaelp".parse().unwrap();
        assert_eq!(both.benefit, Some(BenefitGroup::Kontanthjaelp));
        assert_eq!(both.activation, Some(ActivationKind::Nytteindsats));
        for bad in ["", "dagpenge", "kontanthjaelp+sygedagpenge", "activation:praktik", "ignore+fleksjob", "fleksjob+"]
        {
            assert!(bad.parse::<Target>().is_err(), "{bad}");
        }
    }

    #[test]
    fn two_digit_years_follow_the_century_rule() {
        assert_eq!(century_year(91), Some(1991));
        assert_eq!(century_year(99), Some(1999));
        assert_eq!(century_year(0), Some(2000));
        assert_eq!(century_year(90), Some(2090));
        assert_eq!(century_year(100), None);
        assert_eq!(week_of_column("y_2307"), IsoWeek::new(2023, 7).ok());
        assert_eq!(week_of_column("Y_9131"), IsoWeek::new(1991, 31).ok());
        assert_eq!(week_of_column("y_2053"), IsoWeek::new(2020, 53).ok());
        for bad in ["y_2153", "y_2354", "y_2300", "y_230", "y_23071", "x_2307", "y_23a7"] {
            assert_eq!(week_of_column(bad), None, "{bad}");
        }
        let week = IsoWeek::new(2009, 53).unwrap();
        assert_eq!(column_of_week(week).as_deref(), Some("y_0953"));
        assert_eq!(static_week_name(week), "y_0953");
        assert_eq!(column_of_week(IsoWeek::new(1990, 1).unwrap()), None);
    }

    #[test]
    fn float_and_integer_cells_read_as_codes() {
        assert_eq!(Value::Float(111.0).code(), Some(111));
        assert_eq!(Value::Float(111.5).code(), None);
        assert_eq!(Value::Int(1000).code(), None);
        assert_eq!(Value::Text(" 81 ").code(), Some(81));
        assert!(Value::Text("NA").is_missing());
        assert!(Value::Float(f64::NAN).is_missing());
    }
}
