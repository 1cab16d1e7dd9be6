//! The DREAM importer: wide rows to spells, the mapping file, complete error lists, output.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a failed step is a failed test")]

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use indsats_domain::{ActivationKind, BenefitGroup, IsoWeek};
use indsats_register::dream::{self, Format, Mapping, Target};
use indsats_register::files::{self, FilesError, PROBLEM_LIMIT, Problem, Problems};
use indsats_register::{ActivationSpell, BenefitSpell};
use proptest::prelude::*;

/// Codes for these tests. Their meanings are made up; they are not DREAM's.
const TEST_MAPPING: &str = "\
# made-up meanings for tests
code,target,source,note
111,a_dagpenge,test,
112,a_dagpenge,test,a second code for the same group
130,kontanthjaelp,test,
131,kontanthjaelp+activation:virksomhedspraktik,test,
132,activation:opkvalificering,test,
890,sygedagpenge,test,
881,ignore,test,self-support
";

fn mapping() -> Mapping {
    Mapping::parse(TEST_MAPPING).unwrap()
}

fn week(yyyyww: u32) -> IsoWeek {
    IsoWeek::from_yyyyww(yyyyww).unwrap()
}

fn benefit(person_id: i64, group: BenefitGroup, from: u32, to: u32) -> BenefitSpell {
    BenefitSpell { person_id, group, from: week(from), to: week(to) }
}

fn activation(person_id: i64, kind: ActivationKind, from: u32, to: u32) -> ActivationSpell {
    ActivationSpell { person_id, kind, from: week(from), to: week(to) }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

fn read(text: &str) -> (Vec<BenefitSpell>, Vec<ActivationSpell>) {
    let dir = tempfile::tempdir().unwrap();
    dream::read_wide(&write(dir.path(), "dream.csv", text), &mapping()).unwrap()
}

fn problems(err: FilesError) -> Problems {
    match err {
        FilesError::Invalid(p) => p,
        other @ FilesError::Io { .. } => panic!("expected content problems, got {other}"),
    }
}

fn read_err(text: &str) -> Problems {
    let dir = tempfile::tempdir().unwrap();
    problems(dream::read_wide(&write(dir.path(), "dream.csv", text), &mapping()).unwrap_err())
}

#[test]
fn runs_become_spells_across_the_end_of_53_week_years() {
    // 2015 and 2020 have a week 53; other columns (sex, age, a monthly column) are ignored.
    let (benefits, activations) = read(
        "person_id,koen,alder,grad_2016_01,y_1552,y_1553,y_1601,y_1602,y_2052,y_2053,y_2101\n\
         1,K,44,0.5,111,111,112,111,,,\n\
         2,M,51,,,,,,890,890,890\n\
         3,M,30,,,,,,130,130,\n",
    );
    assert_eq!(
        benefits,
        vec![
            benefit(1, BenefitGroup::ADagpenge, 201_552, 201_602),
            benefit(2, BenefitGroup::Sygedagpenge, 202_052, 202_101),
            benefit(3, BenefitGroup::Kontanthjaelp, 202_052, 202_053),
        ]
    );
    assert!(activations.is_empty());
}

#[test]
fn two_digit_years_91_to_99_are_the_1990s() {
    // DREAM starts in 1991: y_9952 is 1999W52 and comes right before y_0001, 2000W01.
    let (benefits, _) = read("person_id,y_0001,y_9952,y_9131\n1,890,890,111\n");
    assert_eq!(
        benefits,
        vec![
            benefit(1, BenefitGroup::ADagpenge, 199_131, 199_131),
            benefit(1, BenefitGroup::Sygedagpenge, 199_952, 200_001)
        ]
    );
}

#[test]
fn a_change_of_code_mid_run_ends_the_spell() {
    let (benefits, _) = read("pnr,y_2301,y_2302,y_2303,y_2304\n7,111,111,890,890\n");
    assert_eq!(
        benefits,
        vec![
            benefit(7, BenefitGroup::ADagpenge, 202_301, 202_302),
            benefit(7, BenefitGroup::Sygedagpenge, 202_303, 202_304)
        ]
    );
}

#[test]
fn gaps_end_spells_whether_empty_ignored_missing_or_without_a_column() {
    let (benefits, _) = read(
        "CPR_PSEUDO,y_2301,y_2302,y_2303,y_2304,y_2305,y_2306,y_2308,y_2309\n\
         1,111,,111,881,111,.,NA,111\n\
         2,130,130,130,130,130,130,130,130\n",
    );
    let a = BenefitGroup::ADagpenge;
    let k = BenefitGroup::Kontanthjaelp;
    assert_eq!(
        benefits,
        vec![
            benefit(1, a, 202_301, 202_301),
            benefit(1, a, 202_303, 202_303),
            benefit(1, a, 202_305, 202_305),
            benefit(1, a, 202_309, 202_309),
            // No column for week 7: the file says nothing about it, so the run breaks there.
            benefit(2, k, 202_301, 202_306),
            benefit(2, k, 202_308, 202_309),
        ]
    );
}

#[test]
fn week_columns_may_come_in_any_order() {
    let (benefits, _) = read("y_2303,person_id,y_2301,y_2302\n890,4,890,890\n");
    assert_eq!(benefits, vec![benefit(4, BenefitGroup::Sygedagpenge, 202_301, 202_303)]);
}

#[test]
fn activation_runs_inside_a_benefit_spell() {
    let (benefits, activations) = read(
        "person_id,y_2310,y_2311,y_2312,y_2313,y_2314,y_2315\n\
         5,130,131,131,130,132,132\n",
    );
    assert_eq!(
        benefits,
        vec![benefit(5, BenefitGroup::Kontanthjaelp, 202_310, 202_313)],
        "the benefit carries on through the weeks in activation"
    );
    assert_eq!(
        activations,
        vec![
            activation(5, ActivationKind::Virksomhedspraktik, 202_311, 202_312),
            activation(5, ActivationKind::Opkvalificering, 202_314, 202_315),
        ]
    );
}

#[test]
fn semicolon_files_and_numbers_without_leading_zeros_are_read() {
    let text = "code,target,source,note\n081,fleksjob,test,\n";
    let mapping = Mapping::parse(text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "dream.csv", "PNR;y_0901;y_0902\n12;81;081\n");
    let (benefits, _) = dream::read_wide(&path, &mapping).unwrap();
    assert_eq!(benefits, vec![benefit(12, BenefitGroup::Fleksjob, 200_901, 200_902)]);
}

#[test]
fn every_unknown_code_is_listed_with_file_row_column_and_value() {
    let p = read_err(
        "person_id,y_2301,y_2302,y_2303\n\
         1,111,999,111\n\
         2,777,111,\n\
         3,abc,111,999\n",
    );
    let cell = |row, column, value: &str, message: &str| Problem {
        file: "dream.csv".into(),
        row,
        column: Some(column),
        value: Some(value.into()),
        message: message.into(),
    };
    let unknown = "code not in the mapping";
    assert_eq!(p.total, 5);
    assert!(p.listed[0].message.contains("\"777\" (1 cells), \"999\" (2 cells), \"abc\" (1 cells)"), "{}", p.listed[0]);
    assert_eq!(
        p.listed[1..],
        [
            cell(1, "y_2302", "999", unknown),
            cell(2, "y_2301", "777", unknown),
            cell(3, "y_2301", "abc", "not a DREAM code (expected three digits, or empty for no transfer)"),
            cell(3, "y_2303", "999", unknown),
        ]
    );
    assert_eq!(p.listed[1].to_string(), "dream.csv row 1, column y_2302, value \"999\": code not in the mapping");
}

#[test]
fn beyond_the_limit_problems_are_counted_not_listed() {
    let mut text = String::from("person_id,y_2301,y_2302\n");
    for id in 0..PROBLEM_LIMIT {
        writeln!(text, "{id},500,501").unwrap();
    }
    let p = read_err(&text);
    assert_eq!(p.total, 1 + 2 * PROBLEM_LIMIT);
    assert_eq!(p.listed.len(), PROBLEM_LIMIT);
    assert!(p.to_string().contains(&format!("... and {} more", PROBLEM_LIMIT + 1)));
}

#[test]
fn invalid_week_columns_are_named() {
    let p = read_err("person_id,y_2354,y_2153,y_23w1,y_2301,Y_2301\n1,111,111,111,111,111\n");
    let messages: Vec<String> = p.listed.iter().map(ToString::to_string).collect();
    assert_eq!(p.total, 4, "{messages:#?}");
    assert!(messages[0].contains("column y_2354 is not a week"), "{}", messages[0]);
    assert!(messages[1].contains("column y_2153 is not a week"), "2021 has no week 53: {}", messages[1]);
    assert!(messages[2].contains("column y_23w1 is not a week"));
    assert!(messages[3].contains("week 2023W01 has more than one column"));
    assert!(p.listed.iter().all(|p| p.row == 0));
}

#[test]
fn ids_must_be_present_whole_and_unique_and_are_never_shown() {
    let p = read_err("person_id,y_2301\n1,111\n010180-1234,111\n,111\n1,890\n");
    let shown: Vec<String> = p.listed.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        vec![
            "dream.csv row 2, column person_id: not a whole number",
            "dream.csv row 3, column person_id: missing",
            "dream.csv row 4, column person_id: the person id already occurs in row 1",
        ]
    );
    assert!(!p.to_string().contains("1234"));
    let p = read_err("koen,y_2301\nK,111\n");
    assert!(p.listed[0].message.starts_with("no person id column"), "{}", p.listed[0]);
    let p = read_err("pnr,person_id,y_2301\n1,1,111\n");
    assert!(p.listed[0].message.starts_with("more than one person id column"));
    let p = read_err("person_id,koen\n1,K\n");
    assert!(p.listed[0].message.starts_with("no week columns"));
}

#[test]
fn a_mapping_file_lists_every_bad_line_by_number() {
    let text = "\
# comment line 1
# comment line 2
code,target,source,note
111,a_dagpenge,https://example.org,
12,kontanthjaelp,doc,
130,kontanthjælp,doc,
131,kontanthjaelp+activation:praktik,doc,
111,sygedagpenge,doc,
132,fleksjob,,
133,fleksjob,doc
890,sygedagpenge,doc,\"quoted, with a comma\"
";
    let p = Mapping::parse(text).unwrap_err();
    let found: Vec<(usize, Option<&str>, Option<&str>)> =
        p.listed.iter().map(|p| (p.row, p.column, p.value.as_deref())).collect();
    assert_eq!(
        found,
        vec![
            (5, Some("code"), Some("12")),
            (6, Some("target"), Some("kontanthjælp")),
            (7, Some("target"), Some("kontanthjaelp+activation:praktik")),
            (8, Some("code"), Some("111")),
            (9, Some("source"), None),
            (10, None, None),
        ]
    );
    assert!(p.listed[3].message.contains("already mapped on line 4"));
    assert!(p.listed[5].message.contains("3 fields"));

    let p = Mapping::parse("kode,maal\n111,fleksjob\n").unwrap_err();
    assert_eq!((p.listed[0].row, p.listed[0].value.as_deref()), (1, Some("kode,maal")));
    assert!(Mapping::parse("# nothing\n").is_err());
}

#[test]
fn a_mapping_file_on_disk_names_itself_in_problems() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "local-codes.csv", "code,target,source,note\n111,nope,doc,\n");
    match Mapping::from_file(&path).unwrap_err() {
        FilesError::Invalid(p) => assert_eq!(p.listed[0].file, "local-codes.csv"),
        other @ FilesError::Io { .. } => panic!("{other}"),
    }
    let mapping = Mapping::from_file(&write(dir.path(), "ok.csv", TEST_MAPPING)).unwrap();
    assert_eq!(mapping.len(), 7);
    assert_eq!(mapping.get("131").unwrap().to_string(), "kontanthjaelp+activation:virksomhedspraktik");
    assert_eq!(mapping.get("881"), Some(Target::IGNORE));
    assert_eq!(mapping.get("999"), None);
}

#[test]
fn the_default_mapping_is_sourced_and_rejects_codes_it_does_not_know() {
    let mapping = Mapping::default();
    assert!(mapping.codes().all(|(code, _)| code.len() == 3));
    for line in dream::DEFAULT_MAPPING.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let source = line.split(',').nth(2).unwrap_or_default();
        assert!(source.starts_with("http"), "every default code cites a URL: {line}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "dream.csv", "pnr,y_2301,y_2302\n1,881,651\n2,775,\n");
    let p = problems(dream::read_wide(&path, &mapping).unwrap_err());
    assert_eq!(p.listed[1].value.as_deref(), Some("775"));
}

fn parquet_wide(path: &Path) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("PNR", DataType::Int64, false),
        Field::new("koen", DataType::Utf8, true),
        Field::new("y_2052", DataType::Utf8, true),
        Field::new("y_2053", DataType::Float64, true),
        Field::new("y_2101", DataType::Int64, true),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from(vec![1, 2])),
        Arc::new(StringArray::from(vec![Some("K"), None])),
        Arc::new(StringArray::from(vec![Some("131"), None])),
        Arc::new(Float64Array::from(vec![Some(131.0), Some(890.0)])),
        Arc::new(Int64Array::from(vec![Some(130), Some(890)])),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(fs::File::create(path).unwrap(), schema, None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

#[test]
fn parquet_input_reads_like_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dream.parquet");
    parquet_wide(&path);
    let (benefits, activations) = dream::read_wide(&path, &mapping()).unwrap();
    assert_eq!(
        benefits,
        vec![
            benefit(1, BenefitGroup::Kontanthjaelp, 202_052, 202_101),
            benefit(2, BenefitGroup::Sygedagpenge, 202_053, 202_101)
        ]
    );
    assert_eq!(activations, vec![activation(1, ActivationKind::Virksomhedspraktik, 202_052, 202_053)]);
}

#[test]
fn written_tables_import_with_persons_and_residence() {
    let input = tempfile::tempdir().unwrap();
    let dream_file = write(input.path(), "dream.csv", "person_id,y_2301,y_2302,y_2303\n1,130,131,131\n2,890,890,\n");
    let persons = write(
        input.path(),
        "persons.csv",
        "person_id,birth_date,sex,origin\n1,1990-05-17,K,dansk\n2,1960-01-01,M,dansk\n",
    );
    let residence = write(
        input.path(),
        "residence.csv",
        "person_id,municipality,from_date,to_date\n1,175,2000-01-01,\n2,159,2000-01-01,\n",
    );
    for format in [Format::Parquet, Format::Csv] {
        let out = tempfile::tempdir().unwrap();
        let done = dream::convert(&dream_file, &mapping(), &out.path().join("dream-out"), format).unwrap();
        assert_eq!((done.benefits, done.activations), (2, 1));
        let mut inputs = vec![persons.clone(), residence.clone()];
        inputs.extend(done.files.iter().cloned());
        let tables = files::read(&inputs).unwrap();
        assert_eq!(
            tables.benefits,
            vec![
                benefit(1, BenefitGroup::Kontanthjaelp, 202_301, 202_303),
                benefit(2, BenefitGroup::Sygedagpenge, 202_301, 202_302)
            ]
        );
        assert_eq!(tables.activations, vec![activation(1, ActivationKind::Virksomhedspraktik, 202_302, 202_303)]);
        let names: Vec<String> = fs::read_dir(out.path().join("dream-out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 2, "no partial files left behind: {names:?}");
    }
}

#[test]
fn nothing_is_written_when_the_input_has_problems() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "dream.csv", "person_id,y_2301\n1,444\n");
    let out = dir.path().join("out");
    assert!(dream::convert(&input, &mapping(), &out, Format::Parquet).is_err());
    assert!(!out.exists());
}

// --- Property: spells -> wide layout -> spells is the identity. ---

const GROUPS: [BenefitGroup; 3] = [BenefitGroup::ADagpenge, BenefitGroup::Kontanthjaelp, BenefitGroup::Sygedagpenge];
const KINDS: [ActivationKind; 2] = [ActivationKind::Virksomhedspraktik, ActivationKind::Opkvalificering];

/// A code for every combination of benefit (or none) and activation (or none) but "nothing".
fn code(benefit: Option<usize>, kind: Option<usize>) -> Option<String> {
    (benefit.is_some() || kind.is_some())
        .then(|| format!("2{}{}", benefit.map_or(0, |b| b + 1), kind.map_or(0, |k| k + 1)))
}

fn combination_mapping() -> Mapping {
    let mut text = String::from("code,target,source,note\n");
    for b in [None, Some(0), Some(1), Some(2)] {
        for k in [None, Some(0), Some(1)] {
            if let Some(code) = code(b, k) {
                let target = Target { benefit: b.map(|b| GROUPS[b]), activation: k.map(|k| KINDS[k]) };
                writeln!(text, "{code},{target},test,").unwrap();
            }
        }
    }
    Mapping::parse(&text).unwrap()
}

/// Runs on one track: (weeks of gap before, weeks long, value).
fn track(values: usize) -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0..4_usize, 1..15_usize, 0..values), 0..12)
}

/// Lays runs out from week 0 and cuts them at `weeks`: one value (or none) per week.
fn lay_out(runs: &[(usize, usize, usize)], weeks: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; weeks];
    let mut at = 0;
    for &(gap, len, value) in runs {
        at += gap;
        for slot in out.iter_mut().skip(at).take(len) {
            *slot = Some(value);
        }
        at += len;
    }
    out
}

/// The spells a track stands for: maximal runs of one value over consecutive weeks,
/// built from the runs themselves (merging neighbours), not by scanning the weeks.
fn spells_of(runs: &[(usize, usize, usize)], weeks: usize) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    let mut at = 0;
    for &(gap, len, value) in runs {
        let from = at + gap;
        let to = (from + len).min(weeks);
        at = from + len;
        if from >= to {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.2 == value && last.1 == from => last.1 = to,
            _ => out.push((from, to, value)),
        }
    }
    out
}

proptest! {
    #[test]
    fn spells_survive_the_wide_layout(
        start in 0..330_i32,
        weeks in 1..110_usize,
        persons in prop::collection::vec((track(GROUPS.len()), track(KINDS.len()), 0..3_usize), 1..5),
    ) {
        // From 2014W40 the window can cross the ends of 2015 and 2020, both 53 weeks long.
        let first = IsoWeek::new(2014, 40).unwrap().index() + start;
        let week_at = |i: usize| IsoWeek::from_index(first + i32::try_from(i).unwrap()).unwrap();
        let mut text = String::from("person_id,koen");
        for i in 0..weeks {
            text.push(',');
            text.push_str(&dream::column_of_week(week_at(i)).unwrap());
        }
        text.push('\n');
        let (mut want_benefits, mut want_activations) = (Vec::new(), Vec::new());
        for (p, (benefit_runs, kind_runs, empty_style)) in persons.iter().enumerate() {
            let id = i64::try_from(p).unwrap() * 7 - 3;
            let (b, k) = (lay_out(benefit_runs, weeks), lay_out(kind_runs, weeks));
            write!(text, "{id},K").unwrap();
            for i in 0..weeks {
                text.push(',');
                text.push_str(&code(b[i], k[i]).unwrap_or_else(|| ["", ".", "NA"][*empty_style].to_owned()));
            }
            text.push('\n');
            for (from, to, g) in spells_of(benefit_runs, weeks) {
                want_benefits.push(BenefitSpell { person_id: id, group: GROUPS[g], from: week_at(from), to: week_at(to - 1) });
            }
            for (from, to, kind) in spells_of(kind_runs, weeks) {
                want_activations.push(ActivationSpell { person_id: id, kind: KINDS[kind], from: week_at(from), to: week_at(to - 1) });
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "dream.csv", &text);
        let (mut benefits, mut activations) = dream::read_wide(&path, &combination_mapping()).unwrap();
        benefits.sort_by_key(|b| (b.person_id, b.from));
        activations.sort_by_key(|a| (a.person_id, a.from));
        want_benefits.sort_by_key(|b| (b.person_id, b.from));
        want_activations.sort_by_key(|a| (a.person_id, a.from));
        prop_assert_eq!(benefits, want_benefits);
        prop_assert_eq!(activations, want_activations);
    }
}
