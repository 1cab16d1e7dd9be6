//! The interchange format on disk: one Parquet (or, on import, CSV) file per table.
//!
//! Reading is forgiving about physical types (any integer width, dates as `date32`
//! or `YYYY-MM-DD` text, any string encoding) and strict about content: every
//! problem is reported with file, row, column and value, up to [`PROBLEM_LIMIT`],
//! so a user can fix a file in one pass. See `docs/register-format.md`.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, Date32Array, Float64Array, Int16Array, Int32Array, Int64Array, LargeStringArray, NullArray,
    RecordBatch, StringArray, StringViewArray,
};
use arrow_schema::{DataType, Field, Schema};
use chrono::NaiveDate;
use indsats_domain::{ActivationKind, BenefitGroup, IsoWeek, MunicipalityCode, Origin, Sex};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
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

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.row > 0 {
            write!(f, " row {}", self.row)?;
        }
        if let Some(column) = self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value {value:?}")?;
        }
        write!(f, ": {}", self.message)
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
            self.listed.push(problem);
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.total == 0
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
            #[allow(clippy::cast_possible_truncation, reason = "whole and far below 2^53, so exact")]
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
        if week.is_none() {
            self.fail(column, value, "not an ISO week (expected YYYYWW, e.g. 202307)");
        }
        week
    }

    fn parse<T: std::str::FromStr>(&mut self, column: &'static str, value: Value<'_>, expected: &str) -> Option<T> {
        let Value::Text(text) = value else {
            self.fail(column, value, if matches!(value, Value::Null) { "missing" } else { "not text" });
            return None;
        };
        text.trim().parse().map_or_else(
            |_| {
                self.fail(column, value, format!("unknown value; expected one of {expected}"));
                None
            },
            Some,
        )
    }
}

const SEXES: &str = "M, K";
const ORIGINS: &str =
    "dansk, vestlig_indvandrer, vestlig_efterkommer, ikke_vestlig_indvandrer, ikke_vestlig_efterkommer";

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
            let sex = check.parse::<Sex>("sex", cells[2], SEXES);
            let origin = check.parse::<Origin>("origin", cells[3], ORIGINS);
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
                let group = check.parse::<BenefitGroup>("benefit", cells[1], &benefit_names());
                if let (true, Some(group), Some(from), Some(to)) = (check.ok, group, from, to) {
                    tables.benefits.push(BenefitSpell { person_id, group, from, to });
                }
            } else {
                let kind = check.parse::<ActivationKind>("kind", cells[1], &activation_names());
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
            Column::Null => Value::Null,
        }
    }
}

fn read_parquet(path: &Path, table: Table, tables: &mut Tables, problems: &mut Problems) -> Result<(), FilesError> {
    let file_name = display_name(path);
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| io_error(path, e))?
        .with_batch_size(64 * 1024)
        .build()
        .map_err(|e| io_error(path, e))?;
    let mut row_base = 0;
    for batch in reader {
        let batch = batch.map_err(|e| io_error(path, e))?;
        let schema = batch.schema();
        let names = schema.fields().iter().map(|f| f.name().as_str());
        let Some(positions) = column_positions(table, &file_name, names, problems) else {
            return Ok(());
        };
        let mut columns = Vec::with_capacity(positions.len());
        for (&p, &name) in positions.iter().zip(table.columns()) {
            let Some(column) = Column::of(batch.column(p)) else {
                problems.push(Problem {
                    file: file_name.clone(),
                    row: 0,
                    column: Some(name),
                    value: None,
                    message: format!("unsupported column type {}", batch.column(p).data_type()),
                });
                return Ok(());
            };
            columns.push(column);
        }
        let mut cells = Vec::with_capacity(columns.len());
        for i in 0..batch.num_rows() {
            cells.clear();
            cells.extend(columns.iter().map(|c| c.get(i)));
            let mut check = RowCheck { problems, file: &file_name, row: row_base + i + 1, ok: true };
            add_row(table, &cells, &mut check, tables);
        }
        row_base += batch.num_rows();
    }
    Ok(())
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
    // The files are independent, so they are read in parallel; each thread fills its own tables.
    let parts: Vec<Result<(Tables, Problems), FilesError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .iter()
            .map(|(table, path)| {
                scope.spawn(move || {
                    let (mut part, mut found) = (Tables::default(), Problems::default());
                    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                        read_csv(path, *table, &mut part, &mut found)?;
                    } else {
                        read_parquet(path, *table, &mut part, &mut found)?;
                    }
                    Ok((part, found))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Err(io_error(Path::new("register"), "a reader thread failed"))))
            .collect()
    });
    let mut tables = Tables::default();
    for part in parts {
        let (part, found) = part?;
        tables.persons.extend(part.persons);
        tables.residences.extend(part.residences);
        tables.benefits.extend(part.benefits);
        tables.activations.extend(part.activations);
        // Problems a file found beyond the ones it listed still count.
        let unlisted = found.total - found.listed.len();
        for problem in found.listed {
            problems.push(problem);
        }
        problems.total += unlisted;
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
