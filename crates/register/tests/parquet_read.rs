//! Reading Parquet whole columns at a time and row groups in parallel gives the same tables
//! and the same problems as reading it cell by cell: whatever the encoding, the row group size
//! and wherever a bad value sits in a big file.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::fs::File;
use std::path::Path;

use arrow_array::RecordBatchReader;
use chrono::NaiveDate;
use indsats_domain::{ActivationKind, BenefitGroup, IsoWeek, Origin, Sex};
use indsats_register::files::{self, FilesError, Problems, Tables};
use indsats_register::{ActivationSpell, BenefitSpell, Person, Residence};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::properties::WriterProperties;

const PERSONS: usize = 150_000;

/// A valid data set, big enough for several record batches (64 Ki rows) per table.
fn tables() -> Tables {
    let origins = [
        Origin::Dansk,
        Origin::VestligIndvandrer,
        Origin::VestligEfterkommer,
        Origin::IkkeVestligIndvandrer,
        Origin::IkkeVestligEfterkommer,
    ];
    let codes = [101_u16, 147, 157, 461, 751, 851];
    let epoch = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap();
    let first_week = IsoWeek::from_yyyyww(201_501).unwrap().index();
    let mut tables = Tables::default();
    for i in 0..PERSONS {
        let n = i32::try_from(i).unwrap();
        let id = i64::from(n) * 3 + 1;
        tables.persons.push(Person {
            id,
            birth_date: epoch + chrono::Days::new(u64::try_from(n * 37 % 25_000).unwrap()),
            sex: if i % 2 == 0 { Sex::K } else { Sex::M },
            origin: origins[i % origins.len()],
        });
        let from = epoch + chrono::Days::new(u64::try_from(20_000 + n % 5_000).unwrap());
        let to = (i % 4 != 0).then(|| from + chrono::Days::new(u64::try_from(n % 700).unwrap()));
        tables.residences.push(Residence { person_id: id, municipality: codes[i % codes.len()], from, to });
        let week = |k: i32| IsoWeek::from_index(first_week + k).unwrap();
        let (start, length) = (n % 450, n % 30);
        let group = BenefitGroup::ALL[i % BenefitGroup::ALL.len()];
        tables.benefits.push(BenefitSpell { person_id: id, group, from: week(start), to: week(start + length) });
        if i % 3 == 0 {
            let kind = ActivationKind::ALL[i % ActivationKind::ALL.len()];
            tables.activations.push(ActivationSpell { person_id: id, kind, from: week(start), to: week(start + 2) });
        }
    }
    tables
}

/// Rewrites every Parquet file of `from` into `to` with other writer properties.
fn rewrite(from: &Path, to: &Path, properties: &WriterProperties) {
    for table in files::Table::ALL {
        let name = format!("{}.parquet", table.name());
        let reader =
            ParquetRecordBatchReaderBuilder::try_new(File::open(from.join(&name)).unwrap()).unwrap().build().unwrap();
        let schema = reader.schema();
        let mut writer =
            ArrowWriter::try_new(File::create(to.join(&name)).unwrap(), schema, Some(properties.clone())).unwrap();
        for batch in reader {
            writer.write(&batch.unwrap()).unwrap();
        }
        writer.close().unwrap();
    }
}

fn read(dir: &Path) -> Result<Tables, FilesError> {
    files::read(&[dir.to_owned()])
}

fn problems(result: Result<Tables, FilesError>) -> Problems {
    match result {
        Err(FilesError::Invalid(problems)) => problems,
        Err(other) => panic!("expected content problems, got {other}"),
        Ok(_) => panic!("expected content problems, the files were read"),
    }
}

#[test]
fn every_encoding_and_row_group_size_reads_the_same_tables() {
    let written = tables();
    let plain = tempfile::tempdir().unwrap();
    files::write_parquet(&written, plain.path()).unwrap();
    assert_eq!(read(plain.path()).unwrap(), written);

    let variants = [
        // Text stored plainly, not as a dictionary.
        WriterProperties::builder().set_dictionary_enabled(false).build(),
        // Many small row groups, read on several threads.
        WriterProperties::builder().set_max_row_group_row_count(Some(7_000)).build(),
        // A dictionary page too small for the ids: the writer falls back to plain pages mid-column.
        WriterProperties::builder().set_dictionary_page_size_limit(64).set_data_page_row_count_limit(1_000).build(),
    ];
    for properties in &variants {
        let dir = tempfile::tempdir().unwrap();
        rewrite(plain.path(), dir.path(), properties);
        assert_eq!(read(dir.path()).unwrap(), written, "{properties:?}");
    }
}

#[test]
fn a_bad_value_deep_in_a_big_file_is_reported_with_its_row() {
    let mut bad = tables();
    let last_week = bad.benefits[123_456].from;
    bad.benefits[123_456].to = IsoWeek::from_index(last_week.index() - 1).unwrap();
    bad.residences[99_998].municipality = 42;
    let written = tempfile::tempdir().unwrap();
    files::write_parquet(&bad, written.path()).unwrap();
    let small_groups = tempfile::tempdir().unwrap();
    let properties = WriterProperties::builder().set_max_row_group_row_count(Some(10_000)).build();
    rewrite(written.path(), small_groups.path(), &properties);
    let to_week = (last_week.index() - 1, IsoWeek::from_index(last_week.index() - 1).unwrap().yyyyww());
    for dir in [written.path(), small_groups.path()] {
        let found = problems(read(dir));
        let listed: Vec<String> = found.listed.iter().map(ToString::to_string).collect();
        assert_eq!(
            listed,
            [
                "residence.parquet row 99999, column municipality, value \"42\": not a municipality code (101 to 999)"
                    .to_owned(),
                format!("benefits.parquet row 123457, column to_week, value \"{}\": before from_week", to_week.1),
            ]
        );
        assert_eq!(found.total, 2);
    }
}

#[test]
fn problems_in_many_row_groups_are_listed_in_row_order_up_to_the_limit() {
    let mut bad = tables();
    let rows: Vec<usize> = (0..250).map(|k| k * 577 + 11).collect();
    for &row in &rows {
        let spell = &mut bad.benefits[row];
        spell.to = IsoWeek::from_index(spell.from.index() - 1).unwrap();
    }
    let written = tempfile::tempdir().unwrap();
    files::write_parquet(&bad, written.path()).unwrap();
    let small_groups = tempfile::tempdir().unwrap();
    let properties = WriterProperties::builder().set_max_row_group_row_count(Some(5_000)).build();
    rewrite(written.path(), small_groups.path(), &properties);
    let found = problems(read(small_groups.path()));
    assert_eq!(found.total, rows.len());
    let listed: Vec<usize> = found.listed.iter().map(|p| p.row).collect();
    let expected: Vec<usize> = rows.iter().take(files::PROBLEM_LIMIT).map(|r| r + 1).collect();
    assert_eq!(listed, expected);
    assert!(found.listed.iter().all(|p| p.file == "benefits.parquet" && p.column == Some("to_week")));
}
