//! The interchange format on disk: one Parquet (or, on import, CSV) file per table.
//!
//! Reading is forgiving about physical types (any integer width, dates as `date32`
//! or `YYYY-MM-DD` text, any string encoding) and strict about content: every
//! problem is reported with file, row, column and value, up to [`PROBLEM_LIMIT`],
//! so a user can fix a file in one pass. See `docs/register-format.md`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use arrow_array::{
    Array, ArrayRef, Date32Array, Float64Array, Int16Array, Int32Array, Int32DictionaryArray, Int64Array,
    LargeStringArray, NullArray, RecordBatch, StringArray, StringViewArray, new_empty_array,
};
use arrow_schema::{DataType, Field, Schema};
use chrono::{Datelike, NaiveDate};
use indsats_domain::{ActivationKind, BenefitGroup, IsoWeek, MunicipalityCode, Origin, Sex};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::{ActivationSpell, BenefitSpell, Person, Residence};

/// How many problems are listed before the rest are only counted.
pub const PROBLEM_LIMIT: usize = 100;

/// The four tables of a register data set, as read from files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tables {
    /// Persons.
    pub persons: Vec<Person>,
    /// Residence spells.
    pub residences: Vec<Residence>,
    /// Benefit spells.
    pub benefits: Vec<BenefitSpell>,
    /// Activation spells.
    pub activations: Vec<ActivationSpell>,
}

impl Tables {
    /// Makes room for `rows` more rows of `table`.
    fn reserve(&mut self, table: Table, rows: usize) {
        match table {
            Table::Persons => self.persons.reserve_exact(rows),
            Table::Residence => self.residences.reserve_exact(rows),
            Table::Benefits => self.benefits.reserve_exact(rows),
            Table::Activation => self.activations.reserve_exact(rows),
        }
    }

    /// Appends the rows of a later part of the input.
    fn append(&mut self, later: Tables) {
        // A table usually comes from one file; moving it in saves a copy of millions of rows.
        fn join<T>(all: &mut Vec<T>, later: Vec<T>) {
            if all.is_empty() {
                *all = later;
            } else {
                all.extend(later);
            }
        }
        join(&mut self.persons, later.persons);
        join(&mut self.residences, later.residences);
        join(&mut self.benefits, later.benefits);
        join(&mut self.activations, later.activations);
    }
}

/// One table of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// `persons`
    Persons,
    /// `residence`
    Residence,
    /// `benefits`
    Benefits,
    /// `activation`
    Activation,
}

impl Table {
    /// Every table, in the order they are read.
    pub const ALL: [Table; 4] = [Table::Persons, Table::Residence, Table::Benefits, Table::Activation];

    /// The file stem: `persons.parquet`, `residence.csv`, ...
    pub fn name(self) -> &'static str {
        match self {
            Table::Persons => "persons",
            Table::Residence => "residence",
            Table::Benefits => "benefits",
            Table::Activation => "activation",
        }
    }

    /// The columns, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Persons => &["person_id", "birth_date", "sex", "origin"],
            Table::Residence => &["person_id", "municipality", "from_date", "to_date"],
            Table::Benefits => &["person_id", "benefit", "from_week", "to_week"],
            Table::Activation => &["person_id", "kind", "from_week", "to_week"],
        }
    }

    fn schema(self) -> Arc<Schema> {
        let fields: Vec<Field> = match self {
            Table::Persons => vec![
                Field::new("person_id", DataType::Int64, false),
                Field::new("birth_date", DataType::Date32, false),
                Field::new("sex", DataType::Utf8, false),
                Field::new("origin", DataType::Utf8, false),
            ],
            Table::Residence => vec![
                Field::new("person_id", DataType::Int64, false),
                Field::new("municipality", DataType::Int16, false),
                Field::new("from_date", DataType::Date32, false),
                Field::new("to_date", DataType::Date32, true),
            ],
            Table::Benefits => vec![
                Field::new("person_id", DataType::Int64, false),
                Field::new("benefit", DataType::Utf8, false),
                Field::new("from_week", DataType::Int32, false),
                Field::new("to_week", DataType::Int32, false),
            ],
            Table::Activation => vec![
                Field::new("person_id", DataType::Int64, false),
                Field::new("kind", DataType::Utf8, false),
                Field::new("from_week", DataType::Int32, false),
                Field::new("to_week", DataType::Int32, false),
            ],
        };
        Arc::new(Schema::new(fields))
    }

    fn from_stem(stem: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == stem)
    }
}

/// One thing wrong with an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file's name.
    pub file: String,
    /// The 1-based data row (the header is not counted), or 0 for the whole file.
    pub row: usize,
    /// The column, if one is at fault.
    pub column: Option<&'static str>,
    /// The offending value as found.
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// The longest value a problem quotes, in characters: enough to recognise it, and a file with
/// no line breaks (one "value" of a megabyte) is not dumped on the terminal or in a log.
pub const VALUE_SHOWN_CHARS: usize = 60;
/// The longest message a problem carries, in characters (a message may list a file's header).
pub const MESSAGE_SHOWN_CHARS: usize = 300;

/// `text` cut to `max` characters, with "…" and the number of characters left out.
pub fn cut(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((at, _)) => {
            let rest = text[at..].chars().count();
            std::borrow::Cow::Owned(format!("{}… ({rest} more characters)", &text[..at]))
        }
    }
}

impl Problem {
    /// The problem with its value and message cut to [`VALUE_SHOWN_CHARS`] and
    /// [`MESSAGE_SHOWN_CHARS`].
    #[must_use]
    pub fn shortened(mut self) -> Self {
        if let Some(value) = &self.value
            && let std::borrow::Cow::Owned(short) = cut(value, VALUE_SHOWN_CHARS)
        {
            self.value = Some(short);
        }
        if let std::borrow::Cow::Owned(short) = cut(&self.message, MESSAGE_SHOWN_CHARS) {
            self.message = short;
        }
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", cut(&self.file, MESSAGE_SHOWN_CHARS))?;
        if self.row > 0 {
            write!(f, " row {}", self.row)?;
        }
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value {:?}", cut(value, VALUE_SHOWN_CHARS))?;
        }
        write!(f, ": {}", cut(&self.message, MESSAGE_SHOWN_CHARS))
    }
}

/// The problems found, the first [`PROBLEM_LIMIT`] listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// The listed problems.
    pub listed: Vec<Problem>,
    /// All problems found, listed or not.
    pub total: usize,
}

impl Problems {
    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.total += 1;
        if self.listed.len() < PROBLEM_LIMIT {
            self.listed.push(problem.shortened());
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Adds the problems found in a later part of the input, listed ones first.
    fn absorb(&mut self, later: Problems) {
        // Problems the part found beyond the ones it listed still count.
        let unlisted = later.total - later.listed.len();
        for problem in later.listed {
            self.push(problem);
        }
        self.total += unlisted;
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} problem(s) found; nothing was written:", self.total)?;
        for problem in &self.listed {
            writeln!(f, "  {problem}")?;
        }
        if self.total > self.listed.len() {
            writeln!(f, "  ... and {} more", self.total - self.listed.len())?;
        }
        Ok(())
    }
}

/// Why files could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// The content is wrong; every problem is listed.
    #[error("{0}")]
    Invalid(Problems),
    /// A file could not be opened, read or written.
    #[error("{path}: {message}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

fn io_error(path: &Path, err: impl fmt::Display) -> FilesError {
    FilesError::Io { path: path.to_owned(), message: err.to_string() }
}

/// A cell as read from CSV or Parquet, before it is parsed into its domain type.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Float(f64),
    Date(NaiveDate),
    Text(&'a str),
}

impl Value<'_> {
    pub(crate) fn shown(self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Date(d) => d.to_string(),
            Value::Text(t) => t.trim().to_owned(),
        }
    }

    pub(crate) fn int(self) -> Result<i64, &'static str> {
        match self {
            Value::Int(i) => Ok(i),
            Value::Text(t) if t.trim().is_empty() => Err("missing"),
            Value::Text(t) => t.trim().parse().map_err(|_| "not a whole number"),
            // Tools that write every number as a double (SAS, R) still mean whole numbers.
            #[expect(clippy::cast_possible_truncation, reason = "whole and far below 2^53, so exact")]
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            Value::Float(_) => Err("not a whole number"),
            Value::Null => Err("missing"),
            Value::Date(_) => Err("a date where a number was expected"),
        }
    }

    fn date(self) -> Result<Option<NaiveDate>, &'static str> {
        match self {
            Value::Date(d) => Ok(Some(d)),
            Value::Null => Ok(None),
            Value::Text(t) if t.trim().is_empty() => Ok(None),
            Value::Text(t) => NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                .map(Some)
                .map_err(|_| "not a date (expected YYYY-MM-DD)"),
            Value::Int(_) | Value::Float(_) => Err("a number where a date was expected"),
        }
    }
}

/// The years a date or week in register data may lie in. Anything outside is a typing error
/// (a year 9999 for "open", a century slip), and a spell of thousands of years would make a
/// weekly panel too large to hold.
pub const YEARS: std::ops::RangeInclusive<i32> = 1880..=2100;

fn years_message() -> String {
    format!("outside the years {}-{}", YEARS.start(), YEARS.end())
}

/// Collects a row's problems while parsing its cells.
struct RowCheck<'p> {
    problems: &'p mut Problems,
    file: &'p str,
    row: usize,
    ok: bool,
}

impl RowCheck<'_> {
    fn fail(&mut self, column: &'static str, value: Value<'_>, message: impl Into<String>) {
        self.ok = false;
        self.problems.push(Problem {
            file: self.file.to_owned(),
            row: self.row,
            column: Some(column),
            value: Some(value.shown()),
            message: message.into(),
        });
    }

    fn int(&mut self, column: &'static str, value: Value<'_>) -> i64 {
        value.int().unwrap_or_else(|m| {
            self.fail(column, value, m);
            0
        })
    }

    fn date(&mut self, column: &'static str, value: Value<'_>, required: bool) -> Option<NaiveDate> {
        match value.date() {
            Ok(None) if required => {
                self.fail(column, value, "missing");
                None
            }
            Ok(Some(date)) if !YEARS.contains(&date.year()) => {
                self.fail(column, value, years_message());
                None
            }
            Ok(date) => date,
            Err(m) => {
                self.fail(column, value, m);
                None
            }
        }
    }

    fn week(&mut self, column: &'static str, value: Value<'_>) -> Option<IsoWeek> {
        let raw = self.int(column, value);
        if !self.ok {
            return None;
        }
        let week = u32::try_from(raw).ok().and_then(|w| IsoWeek::from_yyyyww(w).ok());
        match week {
            None => self.fail(column, value, "not an ISO week (expected YYYYWW, e.g. 202307)"),
            Some(w) if !YEARS.contains(&w.year()) => {
                self.fail(column, value, years_message());
                return None;
            }
            Some(_) => {}
        }
        week
    }

    /// `expected` lists the valid names; it is only called for a message, never per row.
    fn parse<T: FromStr>(&mut self, column: &'static str, value: Value<'_>, expected: fn() -> String) -> Option<T> {
        let Value::Text(text) = value else {
            self.fail(column, value, if matches!(value, Value::Null) { "missing" } else { "not text" });
            return None;
        };
        text.trim().parse().map_or_else(
            |_| {
                self.fail(column, value, format!("unknown value; expected one of {}", expected()));
                None
            },
            Some,
        )
    }
}

fn sex_names() -> String {
    "M, K".into()
}

fn origin_names() -> String {
    "dansk, vestlig_indvandrer, vestlig_efterkommer, ikke_vestlig_indvandrer, ikke_vestlig_efterkommer".into()
}

fn benefit_names() -> String {
    BenefitGroup::ALL.iter().map(|b| b.as_str()).collect::<Vec<_>>().join(", ")
}

fn activation_names() -> String {
    ActivationKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
}

/// Parses one row of `table` into `tables`, recording every problem in it.
fn add_row(table: Table, cells: &[Value<'_>], check: &mut RowCheck<'_>, tables: &mut Tables) {
    match table {
        Table::Persons => {
            let id = check.int("person_id", cells[0]);
            let birth = check.date("birth_date", cells[1], true);
            let sex = check.parse::<Sex>("sex", cells[2], sex_names);
            let origin = check.parse::<Origin>("origin", cells[3], origin_names);
            if let (true, Some(birth_date), Some(sex), Some(origin)) = (check.ok, birth, sex, origin) {
                tables.persons.push(Person { id, birth_date, sex, origin });
            }
        }
        Table::Residence => {
            let person_id = check.int("person_id", cells[0]);
            let code = check.int("municipality", cells[1]);
            let municipality = u16::try_from(code).ok().filter(|c| MunicipalityCode::new(*c).is_ok());
            if check.ok && municipality.is_none() {
                check.fail("municipality", cells[1], "not a municipality code (101 to 999)");
            }
            let from = check.date("from_date", cells[2], true);
            let to = check.date("to_date", cells[3], false);
            if let (Some(from), Some(to)) = (from, to)
                && to < from
            {
                check.fail("to_date", cells[3], "before from_date");
            }
            if let (true, Some(municipality), Some(from)) = (check.ok, municipality, from) {
                tables.residences.push(Residence { person_id, municipality, from, to });
            }
        }
        Table::Benefits | Table::Activation => {
            let person_id = check.int("person_id", cells[0]);
            let from = check.week("from_week", cells[2]);
            let to = check.week("to_week", cells[3]);
            if let (Some(from), Some(to)) = (from, to)
                && to < from
            {
                check.fail("to_week", cells[3], "before from_week");
            }
            if table == Table::Benefits {
                let group = check.parse::<BenefitGroup>("benefit", cells[1], benefit_names);
                if let (true, Some(group), Some(from), Some(to)) = (check.ok, group, from, to) {
                    tables.benefits.push(BenefitSpell { person_id, group, from, to });
                }
            } else {
                let kind = check.parse::<ActivationKind>("kind", cells[1], activation_names);
                if let (true, Some(kind), Some(from), Some(to)) = (check.ok, kind, from, to) {
                    tables.activations.push(ActivationSpell { person_id, kind, from, to });
                }
            }
        }
    }
}

fn read_csv(path: &Path, table: Table, tables: &mut Tables, problems: &mut Problems) -> Result<(), FilesError> {
    let file_name = display_name(path);
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_path(path).map_err(|e| io_error(path, e))?;
    let headers = reader.headers().map_err(|e| io_error(path, e))?.clone();
    let Some(positions) = column_positions(table, &file_name, headers.iter(), problems) else {
        return Ok(());
    };
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                problems.push(Problem {
                    file: file_name.clone(),
                    row,
                    column: None,
                    value: None,
                    message: err.to_string(),
                });
                continue;
            }
        };
        let cells: Vec<Value<'_>> = positions
            .iter()
            .map(|&p| match record.get(p) {
                Some("") | None => Value::Null,
                Some(text) => Value::Text(text),
            })
            .collect();
        let mut check = RowCheck { problems, file: &file_name, row, ok: true };
        add_row(table, &cells, &mut check, tables);
    }
    Ok(())
}

/// Where each expected column stands in the file; a missing column is one problem for the file.
fn column_positions<'h>(
    table: Table,
    file: &str,
    headers: impl Iterator<Item = &'h str>,
    problems: &mut Problems,
) -> Option<Vec<usize>> {
    let headers: Vec<&str> = headers.collect();
    let mut positions = Vec::new();
    for column in table.columns() {
        match headers.iter().position(|h| h.trim() == *column) {
            Some(p) => positions.push(p),
            None => problems.push(Problem {
                file: file.to_owned(),
                row: 0,
                column: Some(column),
                value: None,
                message: format!("missing column; the file has {}", headers.join(", ")),
            }),
        }
    }
    (positions.len() == table.columns().len()).then_some(positions)
}

/// A column of a record batch, read cell by cell whatever its physical type.
pub(crate) enum Column<'a> {
    I64(&'a Int64Array),
    I32(&'a Int32Array),
    I16(&'a Int16Array),
    F64(&'a Float64Array),
    Date(&'a Date32Array),
    Str(&'a StringArray),
    LargeStr(&'a LargeStringArray),
    View(&'a StringViewArray),
    /// Text kept dictionary-encoded, as the register reader asks for the name columns.
    Dict(&'a Int32DictionaryArray, &'a StringArray),
    Null,
}

impl<'a> Column<'a> {
    pub(crate) fn of(array: &'a ArrayRef) -> Option<Self> {
        let any = array.as_any();
        any.downcast_ref::<Int64Array>()
            .map(Column::I64)
            .or_else(|| any.downcast_ref::<Int32Array>().map(Column::I32))
            .or_else(|| any.downcast_ref::<Int16Array>().map(Column::I16))
            .or_else(|| any.downcast_ref::<Float64Array>().map(Column::F64))
            .or_else(|| any.downcast_ref::<Date32Array>().map(Column::Date))
            .or_else(|| any.downcast_ref::<StringArray>().map(Column::Str))
            .or_else(|| any.downcast_ref::<LargeStringArray>().map(Column::LargeStr))
            .or_else(|| any.downcast_ref::<StringViewArray>().map(Column::View))
            .or_else(|| {
                let dict = any.downcast_ref::<Int32DictionaryArray>()?;
                dict.values().as_any().downcast_ref::<StringArray>().map(|values| Column::Dict(dict, values))
            })
            .or_else(|| any.downcast_ref::<NullArray>().map(|_| Column::Null))
    }

    pub(crate) fn get(&self, i: usize) -> Value<'a> {
        let array: &dyn Array = match self {
            Column::I64(a) => *a,
            Column::I32(a) => *a,
            Column::I16(a) => *a,
            Column::F64(a) => *a,
            Column::Date(a) => *a,
            Column::Str(a) => *a,
            Column::LargeStr(a) => *a,
            Column::View(a) => *a,
            Column::Dict(a, _) => *a,
            Column::Null => return Value::Null,
        };
        if array.is_null(i) {
            return Value::Null;
        }
        match self {
            Column::I64(a) => Value::Int(a.value(i)),
            Column::I32(a) => Value::Int(i64::from(a.value(i))),
            Column::I16(a) => Value::Int(i64::from(a.value(i))),
            Column::F64(a) => Value::Float(a.value(i)),
            Column::Date(a) => a.value_as_date(i).map_or(Value::Null, Value::Date),
            Column::Str(a) => Value::Text(a.value(i)),
            Column::LargeStr(a) => Value::Text(a.value(i)),
            Column::View(a) => Value::Text(a.value(i)),
            Column::Dict(a, values) => match a.key(i) {
                Some(k) if k < values.len() && !values.is_null(k) => Value::Text(values.value(k)),
                _ => Value::Null,
            },
            Column::Null => Value::Null,
        }
    }
}

/// Rows per record batch when reading Parquet.
const READ_BATCH_ROWS: usize = 64 * 1024;

/// Reads a Parquet file, its row groups in parallel.
///
/// Each record batch is first read whole columns at a time ([`add_columns`]); only a batch
/// with something wrong in it is read again cell by cell to report every problem in it.
fn read_parquet(path: &Path, table: Table, tables: &mut Tables, problems: &mut Problems) -> Result<(), FilesError> {
    let file_name = display_name(path);
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    let metadata = ArrowReaderMetadata::load(&file, ArrowReaderOptions::new()).map_err(|e| io_error(path, e))?;
    let mut row_groups = Vec::with_capacity(metadata.metadata().num_row_groups());
    let mut rows = 0;
    for (index, row_group) in metadata.metadata().row_groups().iter().enumerate() {
        let count = usize::try_from(row_group.num_rows()).unwrap_or(0);
        row_groups.push(RowGroup { index, first_row: rows, rows: count });
        rows += count;
    }
    // The columns used to be checked on the first record batch, so a file without rows has no problems.
    if rows == 0 {
        return Ok(());
    }
    let schema = metadata.schema().clone();
    let names = schema.fields().iter().map(|f| f.name().as_str());
    let Some(positions) = column_positions(table, &file_name, names, problems) else {
        return Ok(());
    };
    for (&p, &name) in positions.iter().zip(table.columns()) {
        let data_type = schema.field(p).data_type();
        if Column::of(&new_empty_array(data_type)).is_none() {
            problems.push(Problem {
                file: file_name.clone(),
                row: 0,
                column: Some(name),
                value: None,
                message: format!("unsupported column type {data_type}"),
            });
            return Ok(());
        }
    }
    let metadata = with_dictionaries(metadata, table, &positions);
    let source = Source { path, file_name: &file_name, table, metadata, positions };
    let mut joined = Joined::default();
    joined.tables.reserve(table, rows);
    let joined = Mutex::new(joined);
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get).min(row_groups.len());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                // Rows are read into a buffer that is reused while the row groups come in order.
                let mut buffer = Tables::default();
                while let Some(&group) = row_groups.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let read = source.read(group, &mut buffer);
                    joined.lock().unwrap_or_else(PoisonError::into_inner).add(group.index, read, &mut buffer);
                }
            });
        }
    });
    let joined = joined.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let Some(err) = joined.failed {
        return Err(err);
    }
    tables.append(joined.tables);
    problems.absorb(joined.problems);
    Ok(())
}

#[derive(Debug, Clone, Copy)]
struct RowGroup {
    index: usize,
    /// Rows before this row group.
    first_row: usize,
    rows: usize,
}

/// A Parquet file whose columns have been checked, ready to be read row group by row group.
struct Source<'a> {
    path: &'a Path,
    file_name: &'a str,
    table: Table,
    metadata: ArrowReaderMetadata,
    positions: Vec<usize>,
}

impl Source<'_> {
    /// Reads a row group into `rows`, which is empty; returns the problems found in it.
    fn read(&self, group: RowGroup, rows: &mut Tables) -> Result<Problems, FilesError> {
        let path = self.path;
        // Each thread opens the file itself: a shared handle would share one read position.
        let file = File::open(path).map_err(|e| io_error(path, e))?;
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(file, self.metadata.clone())
            .with_row_groups(vec![group.index])
            .with_batch_size(READ_BATCH_ROWS)
            .build()
            .map_err(|e| io_error(path, e))?;
        rows.reserve(self.table, group.rows);
        let mut problems = Problems::default();
        let mut row_base = group.first_row;
        for batch in reader {
            let batch = batch.map_err(|e| io_error(path, e))?;
            let columns: Vec<&ArrayRef> = self.positions.iter().map(|&p| batch.column(p)).collect();
            if !add_columns(self.table, &columns, rows) {
                add_cells(self.table, &columns, batch.num_rows(), self.file_name, row_base, rows, &mut problems);
            }
            row_base += batch.num_rows();
        }
        Ok(problems)
    }
}

/// The row groups of a file read so far, joined in file order: each as soon as it and the
/// ones before it are read, while the other threads go on reading.
#[derive(Default)]
struct Joined {
    /// The row group to join next.
    next: usize,
    /// Row groups read before one that comes earlier in the file.
    waiting: BTreeMap<usize, (Result<Problems, FilesError>, Tables)>,
    tables: Tables,
    problems: Problems,
    /// Why the first row group (in file order) that could not be read failed.
    failed: Option<FilesError>,
}

impl Joined {
    /// Adds row group `index`, read into `rows`; leaves `rows` empty for the next row group.
    fn add(&mut self, index: usize, read: Result<Problems, FilesError>, rows: &mut Tables) {
        if index != self.next {
            self.waiting.insert(index, (read, std::mem::take(rows)));
            return;
        }
        self.join(read, rows);
        while let Some((read, mut rows)) = self.waiting.remove(&self.next) {
            self.join(read, &mut rows);
        }
    }

    fn join(&mut self, read: Result<Problems, FilesError>, rows: &mut Tables) {
        match read {
            Ok(found) if self.failed.is_none() => {
                self.tables.persons.append(&mut rows.persons);
                self.tables.residences.append(&mut rows.residences);
                self.tables.benefits.append(&mut rows.benefits);
                self.tables.activations.append(&mut rows.activations);
                self.problems.absorb(found);
            }
            Ok(_) => {}
            Err(err) => {
                self.failed.get_or_insert(err);
            }
        }
        // Emptied, not freed: the buffer is read into again.
        rows.persons.clear();
        rows.residences.clear();
        rows.benefits.clear();
        rows.activations.clear();
        self.next += 1;
    }
}

/// Asks the reader for the name columns (sex, origin, benefit, kind) as dictionaries, so a
/// name is checked and parsed once per dictionary instead of once per row.
///
/// Parquet writers dictionary-encode such columns; the reader converts any that are not.
/// Should the reader refuse, the file is read as it is (slower, same result).
fn with_dictionaries(metadata: ArrowReaderMetadata, table: Table, positions: &[usize]) -> ArrowReaderMetadata {
    let names: &[usize] = match table {
        Table::Persons => &[2, 3],
        Table::Benefits | Table::Activation => &[1],
        Table::Residence => &[],
    };
    let dictionary = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let schema = metadata.schema();
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let text = matches!(field.data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
            if text && names.iter().any(|&n| positions[n] == i) {
                field.as_ref().clone().with_data_type(dictionary.clone())
            } else {
                field.as_ref().clone()
            }
        })
        .collect();
    if fields.iter().zip(schema.fields()).all(|(a, b)| a.data_type() == b.data_type()) {
        return metadata;
    }
    let hinted = Arc::new(Schema::new_with_metadata(fields, schema.metadata().clone()));
    let options = ArrowReaderOptions::new().with_schema(hinted);
    ArrowReaderMetadata::try_new(metadata.metadata().clone(), options).unwrap_or(metadata)
}

/// Reads a record batch cell by cell, reporting every problem with its row.
fn add_cells(
    table: Table,
    columns: &[&ArrayRef],
    rows: usize,
    file_name: &str,
    row_base: usize,
    tables: &mut Tables,
    problems: &mut Problems,
) {
    let mut cells_of = Vec::with_capacity(columns.len());
    for (&array, &name) in columns.iter().zip(table.columns()) {
        // The file's schema was checked before any batch was read, so this does not happen.
        let Some(column) = Column::of(array) else {
            problems.push(Problem {
                file: file_name.to_owned(),
                row: 0,
                column: Some(name),
                value: None,
                message: format!("unsupported column type {}", array.data_type()),
            });
            return;
        };
        cells_of.push(column);
    }
    let mut cells = Vec::with_capacity(cells_of.len());
    for i in 0..rows {
        cells.clear();
        cells.extend(cells_of.iter().map(|c| c.get(i)));
        let mut check = RowCheck { problems, file: file_name, row: row_base + i + 1, ok: true };
        add_row(table, &cells, &mut check, tables);
    }
}

/// Adds a record batch whole columns at a time, the fast path for well-formed files.
///
/// Returns false, having added nothing, as soon as a cell is missing, of a type this path
/// does not read, or invalid; [`add_cells`] then reads the batch and says what is wrong.
/// Where it returns true, [`add_cells`] would have added the same rows and found no problem.
fn add_columns(table: Table, columns: &[&ArrayRef], tables: &mut Tables) -> bool {
    match table {
        Table::Persons => all_or_nothing(&mut tables.persons, |rows| add_persons(columns, rows)),
        Table::Residence => all_or_nothing(&mut tables.residences, |rows| add_residences(columns, rows)),
        Table::Benefits => all_or_nothing(&mut tables.benefits, |rows| {
            add_spells(columns, rows, |person_id, group, from, to| BenefitSpell { person_id, group, from, to })
        }),
        Table::Activation => all_or_nothing(&mut tables.activations, |rows| {
            add_spells(columns, rows, |person_id, kind, from, to| ActivationSpell { person_id, kind, from, to })
        }),
    }
}

/// Runs `add`, which pushes rows until it meets a bad cell and then gives up; the rows of a
/// batch it gave up on are taken away again.
fn all_or_nothing<T>(rows: &mut Vec<T>, add: impl FnOnce(&mut Vec<T>) -> Option<()>) -> bool {
    let before = rows.len();
    let added = add(rows).is_some();
    if !added {
        rows.truncate(before);
    }
    added
}

fn add_persons(columns: &[&ArrayRef], rows: &mut Vec<Person>) -> Option<()> {
    let ids = whole_numbers(columns[0])?;
    let births = days(columns[1])?;
    let sexes = names::<Sex>(columns[2])?;
    let origins = names::<Origin>(columns[3])?;
    for (((&id, &birth), &sex), &origin) in ids.iter().zip(births).zip(&sexes).zip(&origins) {
        rows.push(Person { id, birth_date: date32(birth)?, sex, origin });
    }
    Some(())
}

fn add_residences(columns: &[&ArrayRef], rows: &mut Vec<Residence>) -> Option<()> {
    let ids = whole_numbers(columns[0])?;
    let codes = whole_numbers(columns[1])?;
    let froms = days(columns[2])?;
    // The one column that may be empty: an open-ended spell.
    let tos = columns[3].as_any().downcast_ref::<Date32Array>()?;
    for (((&person_id, &code), &from), to) in ids.iter().zip(codes.iter()).zip(froms).zip(tos) {
        let municipality = u16::try_from(code).ok().filter(|c| MunicipalityCode::new(*c).is_ok())?;
        let from = date32(from)?;
        let to = match to {
            Some(days) => Some(date32(days)?),
            None => None,
        };
        if to.is_some_and(|to| to < from) {
            return None;
        }
        rows.push(Residence { person_id, municipality, from, to });
    }
    Some(())
}

fn add_spells<K: FromStr + Copy, S>(
    columns: &[&ArrayRef],
    rows: &mut Vec<S>,
    spell: impl Fn(i64, K, IsoWeek, IsoWeek) -> S,
) -> Option<()> {
    let ids = whole_numbers(columns[0])?;
    let kinds = names::<K>(columns[1])?;
    let froms = whole_numbers(columns[2])?;
    let tos = whole_numbers(columns[3])?;
    let mut weeks = Weeks::new();
    for (((&person_id, &kind), &from), &to) in ids.iter().zip(&kinds).zip(froms.iter()).zip(tos.iter()) {
        let (from, to) = (weeks.get(from)?, weeks.get(to)?);
        if to < from {
            return None;
        }
        rows.push(spell(person_id, kind, from, to));
    }
    Some(())
}

/// An integer column without nulls, widened to `i64`; `None` for any other column.
fn whole_numbers(array: &ArrayRef) -> Option<Cow<'_, [i64]>> {
    if array.null_count() > 0 {
        return None;
    }
    let any = array.as_any();
    if let Some(a) = any.downcast_ref::<Int64Array>() {
        return Some(Cow::Borrowed(a.values()));
    }
    if let Some(a) = any.downcast_ref::<Int32Array>() {
        return Some(Cow::Owned(a.values().iter().map(|&v| i64::from(v)).collect()));
    }
    any.downcast_ref::<Int16Array>().map(|a| Cow::Owned(a.values().iter().map(|&v| i64::from(v)).collect()))
}

/// A `date32` column without nulls, as days since 1970-01-01; `None` for any other column.
fn days(array: &ArrayRef) -> Option<&[i32]> {
    if array.null_count() > 0 {
        return None;
    }
    array.as_any().downcast_ref::<Date32Array>().map(|a| &a.values()[..])
}

/// Days since 1970-01-01 (`date32`) as a date, as [`Date32Array::value_as_date`] reads them.
/// The date, or `None` where the cell-by-cell path reports a problem (outside [`YEARS`] too).
fn date32(days: i32) -> Option<NaiveDate> {
    // 1970-01-01 is day 719,163 counting 0001-01-01 as day 1.
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(719_163)?).filter(|d| YEARS.contains(&d.year()))
}

/// `YYYYWW` numbers read as ISO weeks, remembered: a batch's spells start and end in a few
/// hundred distinct weeks, and looking one up is much cheaper than checking the calendar.
struct Weeks {
    slots: Vec<(i64, Option<IsoWeek>)>,
}

impl Weeks {
    const SLOTS: u16 = 1024;

    fn new() -> Self {
        // i64::MIN, which marks an empty slot, is no week, so the empty slot's answer is right too.
        Weeks { slots: vec![(i64::MIN, None); usize::from(Self::SLOTS)] }
    }

    /// The week, or `None` where the cell-by-cell path reports "not an ISO week" or a year
    /// outside [`YEARS`].
    fn get(&mut self, yyyyww: i64) -> Option<IsoWeek> {
        let slot = usize::try_from(yyyyww.rem_euclid(i64::from(Self::SLOTS))).unwrap_or_default();
        let (known, week) = &mut self.slots[slot];
        if *known != yyyyww {
            *known = yyyyww;
            *week = u32::try_from(yyyyww)
                .ok()
                .and_then(|w| IsoWeek::from_yyyyww(w).ok())
                .filter(|w| YEARS.contains(&w.year()));
        }
        *week
    }
}

/// A column of names (`K`, `dansk`, `a_dagpenge`, ...) as their enum; `None` if any is missing or unknown.
fn names<T: FromStr + Copy>(array: &ArrayRef) -> Option<Vec<T>> {
    if array.null_count() > 0 {
        return None;
    }
    let any = array.as_any();
    if let Some(strings) = any.downcast_ref::<StringArray>() {
        return strings.iter().map(|s| s?.trim().parse().ok()).collect();
    }
    let dictionary = any.downcast_ref::<Int32DictionaryArray>()?;
    let values = dictionary.values().as_any().downcast_ref::<StringArray>()?;
    // Parsed once per distinct name; a name no row uses may be invalid without harm.
    let parsed: Vec<Option<T>> = values.iter().map(|v| v.and_then(|v| v.trim().parse().ok())).collect();
    let keys = dictionary.keys().values().iter();
    keys.map(|&k| parsed.get(usize::try_from(k).ok()?).copied().flatten()).collect()
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Reads the tables from a directory (`persons.parquet` or `persons.csv`, and so on) or
/// from a list of files named after their tables. Every content problem is collected.
pub fn read(inputs: &[PathBuf]) -> Result<Tables, FilesError> {
    let mut files: Vec<(Table, PathBuf)> = Vec::new();
    let mut problems = Problems::default();
    for input in inputs {
        if input.is_dir() {
            for table in Table::ALL {
                let parquet = input.join(format!("{}.parquet", table.name()));
                let csv = input.join(format!("{}.csv", table.name()));
                if parquet.exists() {
                    files.push((table, parquet));
                } else if csv.exists() {
                    files.push((table, csv));
                }
            }
        } else {
            let stem = input.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            match Table::from_stem(stem) {
                Some(table) => files.push((table, input.clone())),
                None => problems.push(Problem {
                    file: display_name(input),
                    row: 0,
                    column: None,
                    value: None,
                    message: "not a table of the format: name files persons, residence, benefits or activation".into(),
                }),
            }
        }
    }
    for table in Table::ALL {
        if !files.iter().any(|(t, _)| *t == table) {
            problems.push(Problem {
                file: format!("{}.parquet", table.name()),
                row: 0,
                column: None,
                value: None,
                message: "missing: every data set needs persons, residence, benefits and activation (CSV or Parquet)"
                    .into(),
            });
        }
    }
    let is_csv = |path: &Path| path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let read_file = |table: Table, path: &Path| {
        let (mut part, mut found) = (Tables::default(), Problems::default());
        if is_csv(path) {
            read_csv(path, table, &mut part, &mut found)?;
        } else {
            read_parquet(path, table, &mut part, &mut found)?;
        }
        Ok((part, found))
    };
    // A CSV file cannot be split, so each is read on a thread of its own. Parquet files are read
    // one after another on one more thread, each by row group on every core.
    let parts: Vec<Result<(Tables, Problems), FilesError>> = std::thread::scope(|scope| {
        let csv: Vec<_> = files
            .iter()
            .filter(|(_, path)| is_csv(path))
            .map(|(table, path)| scope.spawn(move || read_file(*table, path)))
            .collect();
        let parquet = scope.spawn(|| {
            files.iter().filter(|(_, path)| !is_csv(path)).map(|(table, path)| read_file(*table, path)).collect()
        });
        let failed = || Err(io_error(Path::new("register"), "a reader thread failed"));
        let mut csv = csv.into_iter().map(|h| h.join().unwrap_or_else(|_| failed()));
        let parquet: Vec<_> = parquet.join().unwrap_or_else(|_| files.iter().map(|_| failed()).collect());
        let mut parquet = parquet.into_iter();
        files
            .iter()
            .map(|(_, path)| if is_csv(path) { csv.next() } else { parquet.next() }.unwrap_or_else(failed))
            .collect()
    });
    let mut tables = Tables::default();
    for part in parts {
        let (part, found) = part?;
        tables.append(part);
        problems.absorb(found);
    }
    if problems.is_empty() { Ok(tables) } else { Err(FilesError::Invalid(problems)) }
}

/// Rows per record batch and Parquet row group when writing.
const BATCH_ROWS: usize = 1 << 20;

/// Writes the four tables as Parquet (Snappy) into `dir`, which must exist.
pub fn write_parquet(tables: &Tables, dir: &Path) -> Result<(), FilesError> {
    write_table(dir, Table::Persons, &tables.persons, |rows| {
        vec![
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|p| p.id))) as ArrayRef,
            Arc::new(Date32Array::from_iter_values(rows.iter().map(|p| days_since_epoch(p.birth_date)))),
            Arc::new(StringArray::from_iter_values(rows.iter().map(|p| p.sex.as_str()))),
            Arc::new(StringArray::from_iter_values(rows.iter().map(|p| p.origin.as_str()))),
        ]
    })?;
    write_table(dir, Table::Residence, &tables.residences, |rows| {
        vec![
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.person_id))) as ArrayRef,
            Arc::new(Int16Array::from_iter_values(rows.iter().map(|r| i16::try_from(r.municipality).unwrap_or(0)))),
            Arc::new(Date32Array::from_iter_values(rows.iter().map(|r| days_since_epoch(r.from)))),
            Arc::new(rows.iter().map(|r| r.to.map(days_since_epoch)).collect::<Date32Array>()),
        ]
    })?;
    write_table(dir, Table::Benefits, &tables.benefits, |rows| {
        vec![
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|b| b.person_id))) as ArrayRef,
            Arc::new(StringArray::from_iter_values(rows.iter().map(|b| b.group.as_str()))),
            Arc::new(Int32Array::from_iter_values(rows.iter().map(|b| week_int(b.from)))),
            Arc::new(Int32Array::from_iter_values(rows.iter().map(|b| week_int(b.to)))),
        ]
    })?;
    write_table(dir, Table::Activation, &tables.activations, |rows| {
        vec![
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|a| a.person_id))) as ArrayRef,
            Arc::new(StringArray::from_iter_values(rows.iter().map(|a| a.kind.as_str()))),
            Arc::new(Int32Array::from_iter_values(rows.iter().map(|a| week_int(a.from)))),
            Arc::new(Int32Array::from_iter_values(rows.iter().map(|a| week_int(a.to)))),
        ]
    })
}

fn write_table<T>(
    dir: &Path,
    table: Table,
    rows: &[T],
    columns: impl Fn(&[T]) -> Vec<ArrayRef>,
) -> Result<(), FilesError> {
    let path = dir.join(format!("{}.parquet", table.name()));
    let file = File::create(&path).map_err(|e| io_error(&path, e))?;
    let schema = table.schema();
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(properties)).map_err(|e| io_error(&path, e))?;
    for chunk in rows.chunks(BATCH_ROWS) {
        let batch = RecordBatch::try_new(schema.clone(), columns(chunk)).map_err(|e| io_error(&path, e))?;
        writer.write(&batch).map_err(|e| io_error(&path, e))?;
    }
    writer.close().map_err(|e| io_error(&path, e))?;
    Ok(())
}

fn days_since_epoch(date: NaiveDate) -> i32 {
    // Date32 counts days from 1970-01-01; every date in a register fits.
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    i32::try_from((date - epoch).num_days()).unwrap_or(i32::MAX)
}

fn week_int(week: IsoWeek) -> i32 {
    i32::try_from(week.yyyyww()).unwrap_or(i32::MAX)
}

/// Writes a panel as Parquet with the CSV's columns, so DuckDB, Polars or Spark read the same figures.
pub fn write_panel_parquet(rows: &[crate::PanelRow], path: &Path) -> Result<(), FilesError> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("municipality", DataType::Utf8, false),
        Field::new("period", DataType::Utf8, false),
        Field::new("indicator", DataType::Utf8, false),
        Field::new("dimension", DataType::Utf8, false),
        Field::new("category", DataType::Utf8, false),
        Field::new("value", DataType::Float64, false),
        Field::new("persons", DataType::Int64, false),
    ]));
    let file = File::create(path).map_err(|e| io_error(path, e))?;
    let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(properties)).map_err(|e| io_error(path, e))?;
    for chunk in rows.chunks(BATCH_ROWS) {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(chunk.iter().map(|r| format!("{:03}", r.municipality)))),
            Arc::new(StringArray::from_iter_values(chunk.iter().map(|r| r.period.to_string()))),
            Arc::new(StringArray::from_iter_values(chunk.iter().map(|r| r.indicator.as_str()))),
            Arc::new(StringArray::from_iter_values(chunk.iter().map(|r| r.dimension().as_str()))),
            Arc::new(StringArray::from_iter_values(chunk.iter().map(|r| r.category.as_str()))),
            Arc::new(arrow_array::Float64Array::from_iter_values(chunk.iter().map(|r| r.value))),
            Arc::new(Int64Array::from_iter_values(chunk.iter().map(|r| i64::from(r.persons)))),
        ];
        let batch = RecordBatch::try_new(schema.clone(), columns).map_err(|e| io_error(path, e))?;
        writer.write(&batch).map_err(|e| io_error(path, e))?;
    }
    writer.close().map_err(|e| io_error(path, e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use arrow_array::Int32DictionaryArray;
    use proptest::prelude::*;
    use proptest::sample::select;

    use super::*;

    /// What the fast path makes of `columns` (`None` if it declines), and what the cell-by-cell path makes of them.
    fn both_paths(table: Table, columns: &[ArrayRef]) -> (Option<Tables>, Tables, Problems) {
        let columns: Vec<&ArrayRef> = columns.iter().collect();
        let mut fast = Tables::default();
        let taken = add_columns(table, &columns, &mut fast);
        assert!(taken || fast == Tables::default(), "a declined batch adds nothing");
        let (mut slow, mut problems) = (Tables::default(), Problems::default());
        add_cells(table, &columns, columns[0].len(), "test.parquet", 0, &mut slow, &mut problems);
        (taken.then_some(fast), slow, problems)
    }

    /// The fast path agrees with the cell-by-cell path wherever it takes a batch, and declines every batch with a problem.
    fn assert_paths_agree(table: Table, columns: &[ArrayRef]) -> bool {
        let (fast, slow, problems) = both_paths(table, columns);
        let Some(fast) = fast else {
            assert!(!problems.is_empty(), "the fast path declined a batch without problems");
            return false;
        };
        assert_eq!(fast, slow);
        assert!(problems.is_empty(), "{problems}");
        true
    }

    fn dictionary(keys: Vec<i32>, values: &[&str]) -> ArrayRef {
        let values: ArrayRef = Arc::new(StringArray::from_iter_values(values));
        Arc::new(Int32DictionaryArray::try_new(Int32Array::from(keys), values).unwrap())
    }

    fn dates(days: &[Option<i32>]) -> ArrayRef {
        Arc::new(days.iter().copied().collect::<Date32Array>())
    }

    #[test]
    fn dictionary_and_plain_text_give_the_same_persons() {
        let ids: ArrayRef = Arc::new(Int64Array::from(vec![5, 3, 9]));
        let births = dates(&[Some(7000), Some(-3000), Some(12_000)]);
        // A dictionary may hold names no row uses, valid or not.
        let sexes = dictionary(vec![1, 0, 1], &["K", "M", "X"]);
        let origins: ArrayRef = Arc::new(StringArray::from(vec!["dansk", " vestlig_indvandrer ", "dansk"]));
        let (fast, slow, problems) = both_paths(Table::Persons, &[ids.clone(), births.clone(), sexes, origins]);
        assert!(problems.is_empty());
        assert_eq!(fast.as_ref(), Some(&slow));
        assert_eq!(slow.persons[1].origin, Origin::VestligIndvandrer);

        let plain_sexes: ArrayRef = Arc::new(StringArray::from(vec!["M", "K", "M"]));
        let dictionary_origins = dictionary(vec![0, 1, 0], &["dansk", "vestlig_indvandrer"]);
        let short_ids: ArrayRef = Arc::new(Int16Array::from(vec![5, 3, 9]));
        let (again, _, _) = both_paths(Table::Persons, &[short_ids, births, plain_sexes, dictionary_origins]);
        assert_eq!(again, fast);
    }

    #[test]
    fn a_batch_with_a_problem_is_left_to_the_cell_by_cell_path() {
        let ids: ArrayRef = Arc::new(Int64Array::from(vec![1, 2]));
        let persons =
            |sexes: ArrayRef| vec![ids.clone(), dates(&[Some(0), Some(1)]), sexes, dictionary(vec![0, 0], &["dansk"])];
        assert!(!assert_paths_agree(Table::Persons, &persons(dictionary(vec![0, 2], &["K", "M", "X"]))));
        assert!(!assert_paths_agree(Table::Persons, &persons(Arc::new(StringArray::from(vec![Some("K"), None])))));
        let unused_value_is_null: ArrayRef = Arc::new(
            Int32DictionaryArray::try_new(
                Int32Array::from(vec![0, 0]),
                Arc::new(StringArray::from(vec![Some("K"), None])) as ArrayRef,
            )
            .unwrap(),
        );
        assert!(assert_paths_agree(Table::Persons, &persons(unused_value_is_null)));
        let used_value_is_null: ArrayRef = Arc::new(
            Int32DictionaryArray::try_new(
                Int32Array::from(vec![0, 1]),
                Arc::new(StringArray::from(vec![Some("K"), None])) as ArrayRef,
            )
            .unwrap(),
        );
        assert!(!assert_paths_agree(Table::Persons, &persons(used_value_is_null)));
        // Numbers and dates written as text are valid, and read by the cell-by-cell path.
        let text: ArrayRef = Arc::new(StringArray::from(vec!["1", "2"]));
        let (fast, slow, problems) = both_paths(
            Table::Persons,
            &[
                text,
                Arc::new(StringArray::from(vec!["1990-01-01", "1991-01-01"])),
                dictionary(vec![0, 0], &["K"]),
                dictionary(vec![0, 0], &["dansk"]),
            ],
        );
        assert!(fast.is_none() && problems.is_empty() && slow.persons.len() == 2);
    }

    #[test]
    fn files_written_here_are_read_whole_columns_at_a_time() {
        let week = |w| IsoWeek::from_yyyyww(w).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let written = Tables {
            persons: vec![
                Person { id: 1, birth_date: day(1990, 5, 17), sex: Sex::K, origin: Origin::Dansk },
                Person { id: 2, birth_date: day(1960, 1, 1), sex: Sex::M, origin: Origin::IkkeVestligIndvandrer },
            ],
            residences: vec![
                Residence { person_id: 1, municipality: 175, from: day(2000, 1, 1), to: Some(day(2021, 6, 30)) },
                Residence { person_id: 2, municipality: 159, from: day(2021, 7, 1), to: None },
            ],
            benefits: vec![BenefitSpell {
                person_id: 1,
                group: BenefitGroup::Kontanthjaelp,
                from: week(202_101),
                to: week(202_126),
            }],
            activations: vec![ActivationSpell {
                person_id: 2,
                kind: ActivationKind::Opkvalificering,
                from: week(202_105),
                to: week(202_110),
            }],
        };
        let dir = tempfile::tempdir().unwrap();
        write_parquet(&written, dir.path()).unwrap();
        let mut read = Tables::default();
        for table in Table::ALL {
            let path = dir.path().join(format!("{}.parquet", table.name()));
            let metadata = ArrowReaderMetadata::load(&File::open(&path).unwrap(), ArrowReaderOptions::new()).unwrap();
            let metadata = with_dictionaries(metadata, table, &[0, 1, 2, 3]);
            let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(File::open(&path).unwrap(), metadata);
            for batch in reader.build().unwrap() {
                let batch = batch.unwrap();
                let columns: Vec<&ArrayRef> = batch.columns().iter().collect();
                let text = columns.iter().filter(|c| matches!(c.data_type(), DataType::Utf8)).count();
                assert_eq!(text, 0, "{table:?}: names are read as dictionaries");
                assert!(add_columns(table, &columns, &mut read), "{table:?}");
            }
        }
        assert_eq!(read, written);
    }

    fn names_of(all: &[&'static str]) -> Vec<&'static str> {
        let mut names = all.to_vec();
        names.extend(["", " ", "ukendt"]);
        names
    }

    fn benefit_columns(rows: &[(i64, usize, i64, i64)], names: &[&str], dictionary_encoded: bool) -> Vec<ArrayRef> {
        let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0)));
        let kinds: ArrayRef = if dictionary_encoded {
            dictionary(rows.iter().map(|r| i32::try_from(r.1).unwrap()).collect(), names)
        } else {
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| names[r.1])))
        };
        let from: ArrayRef = Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.2)));
        let to: ArrayRef = Arc::new(Int32Array::from_iter_values(rows.iter().map(|r| i32::try_from(r.3).unwrap())));
        vec![ids, kinds, from, to]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn both_paths_agree_on_spells(
            rows in prop::collection::vec(
                (-3_i64..1_000_000, 0_usize..20, select(vec![0_i64, 202_053, 202_101, 202_152, 202_153, 202_154, 202_201]), select(vec![-1_i64, 202_052, 202_101, 202_153, 202_201, 202_252])),
                1..40,
            ),
            dictionary_encoded: bool,
            activation: bool,
        ) {
            let (table, all) = if activation {
                (Table::Activation, ActivationKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>())
            } else {
                (Table::Benefits, BenefitGroup::ALL.iter().map(|b| b.as_str()).collect::<Vec<_>>())
            };
            let names = names_of(&all);
            let rows: Vec<_> = rows.into_iter().map(|(id, k, from, to)| (id, k % names.len(), from, to)).collect();
            assert_paths_agree(table, &benefit_columns(&rows, &names, dictionary_encoded));
        }

        #[test]
        fn both_paths_agree_on_residence(
            rows in prop::collection::vec(
                (1_i64..100, select(vec![0_i64, 42, 101, 147, 851, 999, 1000, 70_000]), -800_000_i32..20_000, prop::option::of(-800_000_i32..20_000)),
                1..40,
            ),
            short: bool,
        ) {
            let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0)));
            let codes: ArrayRef = if short {
                Arc::new(Int16Array::from_iter_values(rows.iter().map(|r| i16::try_from(r.1).unwrap_or(i16::MAX))))
            } else {
                Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.1)))
            };
            let from = dates(&rows.iter().map(|r| Some(r.2)).collect::<Vec<_>>());
            let to = dates(&rows.iter().map(|r| r.3).collect::<Vec<_>>());
            assert_paths_agree(Table::Residence, &[ids, codes, from, to]);
        }
    }
}
