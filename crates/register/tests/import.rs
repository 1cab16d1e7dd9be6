//! Importing register files: round trips, complete error lists, atomic installs.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::fs;
use std::path::Path;

use indsats_register::files::{self, FilesError};
use indsats_register::import::{self, ImportError};

fn write(dir: &Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

fn good_csv(dir: &Path) {
    write(
        dir,
        "persons.csv",
        "person_id,birth_date,sex,origin\n1,1990-05-17,K,dansk\n2,1960-01-01,M,ikke_vestlig_indvandrer\n",
    );
    write(
        dir,
        "residence.csv",
        "person_id,municipality,from_date,to_date\n1,175,2000-01-01,2021-06-30\n1,159,2021-07-01,\n2,175,1990-01-01,\n",
    );
    write(
        dir,
        "benefits.csv",
        "person_id,benefit,from_week,to_week\n1,a_dagpenge,202101,202126\n2,foertidspension,201501,202452\n",
    );
    write(dir, "activation.csv", "person_id,kind,from_week,to_week\n1,opkvalificering,202105,202110\n");
}

fn problems(err: ImportError) -> Vec<String> {
    match err {
        ImportError::Files(FilesError::Invalid(p)) => p.listed.iter().map(ToString::to_string).collect(),
        other => panic!("expected content problems, got {other}"),
    }
}

#[test]
fn csv_round_trips_through_parquet() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    good_csv(input.path());
    let done = import::import(&[input.path().to_owned()], out.path()).unwrap();
    assert_eq!(done.rows, [2, 3, 2, 1]);
    let from_csv = files::read(&[input.path().to_owned()]).unwrap();
    let from_parquet = files::read(&[import::current_dir(out.path())]).unwrap();
    assert_eq!(from_csv, from_parquet);
    let dataset = import::load(out.path()).unwrap();
    assert_eq!(dataset.persons().len(), 2);
    assert_eq!(dataset.municipalities(), &[159, 175]);
}

#[test]
fn every_bad_row_is_listed_with_file_row_column_and_value() {
    let input = tempfile::tempdir().unwrap();
    good_csv(input.path());
    write(
        input.path(),
        "persons.csv",
        "person_id,birth_date,sex,origin\n1,1990-13-01,K,dansk\n2,1960-01-01,X,dansk\n3,1970-01-01,M,svensk\n3,1971-01-01,M,dansk\n",
    );
    write(
        input.path(),
        "benefits.csv",
        "person_id,benefit,from_week,to_week\n1,bistand,202101,202126\n1,a_dagpenge,202154,202160\n1,a_dagpenge,202110,202101\n",
    );
    write(
        input.path(),
        "residence.csv",
        "person_id,municipality,from_date,to_date\n1,175,2000-01-01,\n1,159,2010-01-01,\n9,999,2000-01-01,\n1,42,2000-01-01,\n",
    );
    let out = tempfile::tempdir().unwrap();
    let listed = problems(import::import(&[input.path().to_owned()], out.path()).unwrap_err());
    let expected = [
        "persons.csv row 1, column birth_date, value \"1990-13-01\": not a date",
        "persons.csv row 2, column sex, value \"X\": unknown value; expected one of M, K",
        "persons.csv row 3, column origin, value \"svensk\"",
        "benefits.csv row 1, column benefit, value \"bistand\"",
        "benefits.csv row 2, column from_week, value \"202154\": not an ISO week",
        "benefits.csv row 3, column to_week, value \"202101\": before from_week",
        "residence.csv row 4, column municipality, value \"42\"",
    ];
    for fragment in expected {
        assert!(listed.iter().any(|p| p.starts_with(fragment)), "missing {fragment:?} in {listed:#?}");
    }
    assert!(!out.path().join("current").exists(), "nothing was installed");
}

#[test]
fn cross_row_problems_are_listed_too() {
    let input = tempfile::tempdir().unwrap();
    good_csv(input.path());
    write(input.path(), "persons.csv", "person_id,birth_date,sex,origin\n1,1990-01-01,K,dansk\n1,1991-01-01,K,dansk\n");
    write(
        input.path(),
        "residence.csv",
        "person_id,municipality,from_date,to_date\n1,175,2000-01-01,2010-12-31\n1,159,2010-06-01,\n7,175,2000-01-01,\n",
    );
    let out = tempfile::tempdir().unwrap();
    let listed = problems(import::import(&[input.path().to_owned()], out.path()).unwrap_err());
    for fragment in [
        "persons row 2, column person_id, value \"1\": duplicate of row 1",
        "residence row 2, column from_date, value \"2010-06-01\": overlaps the person's residence spell in row 1",
        "residence row 3, column person_id, value \"7\": not in persons",
        "benefits row 2, column person_id, value \"2\": not in persons",
    ] {
        assert!(listed.iter().any(|p| p.starts_with(fragment)), "missing {fragment:?} in {listed:#?}");
    }
}

#[test]
fn missing_tables_and_columns_are_named() {
    let input = tempfile::tempdir().unwrap();
    good_csv(input.path());
    fs::remove_file(input.path().join("activation.csv")).unwrap();
    write(input.path(), "persons.csv", "person_id,born,sex,origin\n1,1990-01-01,K,dansk\n");
    let listed = problems(import::import(&[input.path().to_owned()], tempfile::tempdir().unwrap().path()).unwrap_err());
    assert!(listed.iter().any(|p| p.starts_with("activation.parquet: missing")), "{listed:#?}");
    assert!(listed.iter().any(|p| p.starts_with("persons.csv, column birth_date: missing column")), "{listed:#?}");
}

#[test]
fn a_failed_import_leaves_the_current_data_set_untouched() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    good_csv(input.path());
    let first = import::import(&[input.path().to_owned()], out.path()).unwrap();
    write(input.path(), "benefits.csv", "person_id,benefit,from_week,to_week\n1,ukendt,202101,202126\n");
    assert!(import::import(&[input.path().to_owned()], out.path()).is_err());
    assert_eq!(fs::canonicalize(out.path().join("current")).unwrap(), fs::canonicalize(&first.version).unwrap());
    assert_eq!(import::load(out.path()).unwrap().persons().len(), 2);

    // A killed import leaves a `.partial` directory; the next import clears it and older versions.
    fs::create_dir(out.path().join("sets").join("v0-1.partial")).unwrap();
    good_csv(input.path());
    let second = import::import(&[input.path().to_owned()], out.path()).unwrap();
    let third = import::import(&[input.path().to_owned()], out.path()).unwrap();
    let mut left: Vec<_> = fs::read_dir(out.path().join("sets")).unwrap().map(|e| e.unwrap().path()).collect();
    left.sort();
    assert_eq!(left, vec![second.version, third.version.clone()], "one older version is kept");
    assert_eq!(fs::canonicalize(out.path().join("current")).unwrap(), fs::canonicalize(&third.version).unwrap());
}

#[test]
fn problems_beyond_the_limit_are_counted_not_listed() {
    let input = tempfile::tempdir().unwrap();
    good_csv(input.path());
    let persons = format!("person_id,birth_date,sex,origin\n{}", "1,not-a-date,K,dansk\n".repeat(250));
    write(input.path(), "persons.csv", &persons);
    match import::import(&[input.path().to_owned()], tempfile::tempdir().unwrap().path()).unwrap_err() {
        ImportError::Files(FilesError::Invalid(p)) => {
            assert_eq!(p.listed.len(), files::PROBLEM_LIMIT);
            assert!(p.total >= 250);
            assert!(p.to_string().contains("and ") && p.to_string().contains(" more"));
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_generated_data_set_is_marked_synthetic_and_an_imported_one_is_not() {
    let input = tempfile::tempdir().unwrap();
    good_csv(input.path());
    let tables = files::read(&[input.path().to_owned()]).unwrap();

    let imported = tempfile::tempdir().unwrap();
    let done = import::install(&tables, imported.path()).unwrap();
    let provenance = import::provenance(imported.path());
    assert!(!provenance.synthetic);
    assert_eq!(provenance.version, done.version.file_name().unwrap().to_string_lossy());

    let generated = tempfile::tempdir().unwrap();
    let done = import::install_synthetic(&tables, generated.path()).unwrap();
    assert!(done.version.join(import::SYNTHETIC_MARKER).exists());
    let dataset = import::load(generated.path()).unwrap();
    let provenance = dataset.provenance().unwrap();
    assert!(provenance.synthetic);
    // The panel computed from it carries it on, with the data's last week.
    let index = indsats_register::series::SeriesIndex::recent(&dataset).unwrap();
    assert_eq!(index.provenance(), Some(provenance));
    assert_eq!(index.last_week().map(|w| w.to_string()).as_deref(), Some("2024W52"));
    // A newer real import replaces the mark with the new version's.
    import::install(&tables, generated.path()).unwrap();
    assert!(!import::provenance(generated.path()).synthetic);
}

#[test]
fn an_empty_import_is_refused_unless_asked_for_and_the_data_in_force_stays() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    good_csv(input.path());
    let first = import::import(&[input.path().to_owned()], out.path()).unwrap();
    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "persons.csv", "person_id,birth_date,sex,origin\n");
    write(empty.path(), "residence.csv", "person_id,municipality,from_date,to_date\n");
    write(empty.path(), "benefits.csv", "person_id,benefit,from_week,to_week\n");
    write(empty.path(), "activation.csv", "person_id,kind,from_week,to_week\n");
    let err = import::import(&[empty.path().to_owned()], out.path()).unwrap_err();
    assert!(matches!(err, ImportError::Empty), "{err}");
    assert!(err.to_string().contains("--allow-empty"), "the message says how to insist: {err}");
    assert_eq!(fs::canonicalize(out.path().join("current")).unwrap(), fs::canonicalize(&first.version).unwrap());
    assert_eq!(import::load(out.path()).unwrap().persons().len(), 2);
    // Asked for, it is installed.
    let done = import::import_with(&[empty.path().to_owned()], out.path(), import::IfEmpty::Install).unwrap();
    assert_eq!(done.rows, [0, 0, 0, 0]);
}

#[test]
fn dates_and_weeks_outside_1880_to_2100_are_refused_at_import() {
    let input = tempfile::tempdir().unwrap();
    good_csv(input.path());
    // A spell of 9,000 years, a residence to year 9999 and a birth in year 1000.
    write(
        input.path(),
        "benefits.csv",
        "person_id,benefit,from_week,to_week\n1,a_dagpenge,100001,202126\n2,a_dagpenge,202101,999952\n",
    );
    write(
        input.path(),
        "residence.csv",
        "person_id,municipality,from_date,to_date\n1,175,2000-01-01,9999-12-31\n2,175,1990-01-01,\n",
    );
    write(input.path(), "persons.csv", "person_id,birth_date,sex,origin\n1,1990-05-17,K,dansk\n2,1000-01-01,M,dansk\n");
    let out = tempfile::tempdir().unwrap();
    let listed = problems(import::import(&[input.path().to_owned()], out.path()).unwrap_err());
    for needle in [
        "benefits.csv row 1, column from_week, value \"100001\": outside the years 1880-2100",
        "benefits.csv row 2, column to_week, value \"999952\": outside the years 1880-2100",
        "residence.csv row 1, column to_date, value \"9999-12-31\": outside the years 1880-2100",
        "persons.csv row 2, column birth_date, value \"1000-01-01\": outside the years 1880-2100",
    ] {
        assert!(listed.iter().any(|p| p == needle), "{needle} in {listed:#?}");
    }
    assert!(!out.path().join("current").exists(), "nothing was installed");
}

#[test]
fn a_problem_quotes_at_most_a_short_piece_of_a_value_or_a_header() {
    let input = tempfile::tempdir().unwrap();
    good_csv(input.path());
    // A file with no line break: its one header "column" is the whole file.
    let blob = "x".repeat(1_300_000);
    write(input.path(), "persons.csv", &blob);
    let long_value = format!("person_id,benefit,from_week,to_week\n1,{},202101,202126\n", "y".repeat(100_000));
    write(input.path(), "benefits.csv", &long_value);
    let err = import::import(&[input.path().to_owned()], tempfile::tempdir().unwrap().path()).unwrap_err();
    let shown = err.to_string();
    assert!(shown.len() < 4_000, "the message is {} bytes long", shown.len());
    assert!(shown.contains("more characters)"), "{shown}");
}

#[cfg(unix)]
#[test]
fn the_data_set_directory_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let input = tempfile::tempdir().unwrap();
    good_csv(input.path());
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("register");
    let done = import::import(&[input.path().to_owned()], &out).unwrap();
    for dir in [out.clone(), out.join("sets"), done.version.clone()] {
        let mode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{} is {mode:o}", dir.display());
    }
    // An existing directory open to others is closed.
    fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).unwrap();
    import::import(&[input.path().to_owned()], &out).unwrap();
    assert_eq!(fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o700);
}
