//! `indsats import register`: files in, a validated Parquet data set out, atomically.
//!
//! A data set directory holds the versions it has been given under `sets/` and a
//! symbolic link `current` to the one in force. An import writes a new version
//! beside the old ones and then swaps the link with one `rename`, which POSIX makes
//! atomic: a failed or killed import leaves `current` pointing at the previous data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::files::{self, FilesError, Problem, Problems, Tables};
use crate::{Dataset, RegisterError};

/// How many older versions are kept beside `current`.
const KEEP_OLD_VERSIONS: usize = 1;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Rows per table: persons, residence, benefits, activation.
    pub rows: [usize; 4],
    /// The version directory now in force.
    pub version: PathBuf,
}

/// Checks what one row cannot show: unique persons, known persons, no overlapping residence.
pub fn check_consistency(tables: &Tables) -> Problems {
    let mut problems = Problems::default();
    let mut first_row: HashMap<i64, usize> = HashMap::with_capacity(tables.persons.len());
    for (i, person) in tables.persons.iter().enumerate() {
        if let Some(first) = first_row.insert(person.id, i + 1) {
            problems.push(problem("persons", i + 1, "person_id", person.id, format!("duplicate of row {first}")));
        }
    }
    let known = |id: i64| first_row.contains_key(&id);
    let unknown = "not in persons";
    for (i, r) in tables.residences.iter().enumerate() {
        if !known(r.person_id) {
            problems.push(problem("residence", i + 1, "person_id", r.person_id, unknown.into()));
        }
    }
    for (i, b) in tables.benefits.iter().enumerate() {
        if !known(b.person_id) {
            problems.push(problem("benefits", i + 1, "person_id", b.person_id, unknown.into()));
        }
    }
    for (i, a) in tables.activations.iter().enumerate() {
        if !known(a.person_id) {
            problems.push(problem("activation", i + 1, "person_id", a.person_id, unknown.into()));
        }
    }
    // Overlaps: sort row numbers by (person, from) and compare neighbours.
    let mut order: Vec<usize> = (0..tables.residences.len()).collect();
    order.sort_by_key(|&i| (tables.residences[i].person_id, tables.residences[i].from));
    for pair in order.windows(2) {
        let (a, b) = (&tables.residences[pair[0]], &tables.residences[pair[1]]);
        if a.person_id == b.person_id && a.to.is_none_or(|to| to >= b.from) {
            problems.push(Problem {
                file: "residence".into(),
                row: pair[1] + 1,
                column: Some("from_date"),
                value: Some(b.from.to_string()),
                message: format!("overlaps the person's residence spell in row {}", pair[0] + 1),
            });
        }
    }
    problems
}

fn problem(file: &str, row: usize, column: &'static str, value: i64, message: String) -> Problem {
    Problem { file: file.into(), row, column: Some(column), value: Some(value.to_string()), message }
}

/// Why an import failed. Nothing was changed in the output directory.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Reading or writing files failed, or their content is wrong.
    #[error(transparent)]
    Files(#[from] FilesError),
    /// The data set could not be indexed.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// The files hold no person, and an empty data set was not asked for.
    #[error(
        "the files hold no persons: an empty data set would replace the one in force and every figure would be zero; \
         nothing was written (pass --allow-empty if that is what you want)"
    )]
    Empty,
}

/// Whether an import may install a data set without persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IfEmpty {
    /// Refuse it: an empty extract is nearly always a failed export, not an empty municipality.
    #[default]
    Refuse,
    /// Install it: asked for explicitly.
    Install,
}

/// Reads, validates and installs a data set as the new `current` of `out`; files without a
/// single person are refused ([`ImportError::Empty`]).
pub fn import(inputs: &[PathBuf], out: &Path) -> Result<Imported, ImportError> {
    import_with(inputs, out, IfEmpty::Refuse)
}

/// [`import`], installing files without persons too when `if_empty` says so.
pub fn import_with(inputs: &[PathBuf], out: &Path, if_empty: IfEmpty) -> Result<Imported, ImportError> {
    let tables = files::read(inputs)?;
    if tables.persons.is_empty() && if_empty == IfEmpty::Refuse {
        return Err(ImportError::Empty);
    }
    let problems = check_consistency(&tables);
    if !problems.is_empty() {
        return Err(FilesError::Invalid(problems).into());
    }
    install(&tables, out)
}

/// The file in a version directory that marks its figures as synthetic (invented by the
/// generator, not taken from a register), so that every report made from it can say so.
pub const SYNTHETIC_MARKER: &str = "SYNTHETIC";

/// Which data set a panel was computed from: what a report names in its appendix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// The version directory's name under `sets/` (or the directory's own name for a data set
    /// written by another tool).
    pub version: String,
    /// Whether the figures were generated (`indsats demo`) rather than imported.
    pub synthetic: bool,
}

/// Writes already validated tables as a new version of `out` and makes it current.
pub fn install(tables: &Tables, out: &Path) -> Result<Imported, ImportError> {
    install_marked(tables, out, false)
}

/// Like [`install`], for tables the generator made: the version is marked synthetic before it
/// becomes current, so no reader ever sees it unmarked.
pub fn install_synthetic(tables: &Tables, out: &Path) -> Result<Imported, ImportError> {
    install_marked(tables, out, true)
}

fn install_marked(tables: &Tables, out: &Path, synthetic: bool) -> Result<Imported, ImportError> {
    let sets = out.join("sets");
    create_private_dir(&sets).map_err(|e| io(&sets, &e))?;
    create_private_dir(out).map_err(|e| io(out, &e))?;
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let name = format!("v{stamp}-{}", std::process::id());
    let partial = sets.join(format!("{name}.partial"));
    std::fs::create_dir(&partial).map_err(|e| io(&partial, &e))?;
    create_private_dir(&partial).map_err(|e| io(&partial, &e))?;
    if let Err(err) = files::write_parquet(tables, &partial) {
        let _ = std::fs::remove_dir_all(&partial);
        return Err(err.into());
    }
    if synthetic {
        let marker = partial.join(SYNTHETIC_MARKER);
        let text = "Generated by indsats demo: every figure in this data set is invented.\n";
        if let Err(err) = std::fs::write(&marker, text) {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(io(&marker, &err));
        }
    }
    let version = sets.join(&name);
    std::fs::rename(&partial, &version).map_err(|e| io(&version, &e))?;
    swap_current(out, Path::new("sets").join(&name).as_path())?;
    prune(&sets, &name);
    Ok(Imported {
        rows: [tables.persons.len(), tables.residences.len(), tables.benefits.len(), tables.activations.len()],
        version,
    })
}

/// Creates a directory (and its missing parents) that only its owner can enter (0700), and
/// takes group and world access away from it if it already exists: register data is personal
/// data at person level, and so is the operational database beside it.
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(path)?;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(path)
}

#[cfg(unix)]
fn swap_current(out: &Path, target: &Path) -> Result<(), ImportError> {
    let link = out.join("current");
    let staged = out.join(format!(".current-{}", std::process::id()));
    let _ = std::fs::remove_file(&staged);
    std::os::unix::fs::symlink(target, &staged).map_err(|e| io(&staged, &e))?;
    // rename(2) replaces the old link in one step.
    std::fs::rename(&staged, &link).map_err(|e| io(&link, &e))
}

#[cfg(not(unix))]
fn swap_current(out: &Path, target: &Path) -> Result<(), ImportError> {
    // Without atomic symlink replacement, a plain file naming the version does the job.
    let link = out.join("current.txt");
    let staged = out.join("current.txt.partial");
    std::fs::write(&staged, target.to_string_lossy().as_bytes()).map_err(|e| io(&staged, &e))?;
    std::fs::rename(&staged, &link).map_err(|e| io(&link, &e))
}

/// Removes leftovers of killed imports and all but the newest older versions.
fn prune(sets: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(sets) else { return };
    let mut old: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep)
        .collect();
    old.sort();
    let (partials, mut versions): (Vec<String>, Vec<String>) = old.into_iter().partition(|n| n.ends_with(".partial"));
    // A partial directory of a concurrent import that is still running is younger than ours; leave those.
    for partial in partials.into_iter().filter(|p| p.as_str() < keep) {
        let _ = std::fs::remove_dir_all(sets.join(partial));
    }
    let excess = versions.len().saturating_sub(KEEP_OLD_VERSIONS);
    for version in versions.drain(..excess) {
        let _ = std::fs::remove_dir_all(sets.join(version));
    }
}

fn io(path: &Path, err: &std::io::Error) -> ImportError {
    ImportError::Files(FilesError::Io { path: path.to_owned(), message: err.to_string() })
}

/// The directory of the data set in force under `out` (follows `current`), or `out` itself
/// when it holds the Parquet files directly (a data set written by another tool).
pub fn current_dir(out: &Path) -> PathBuf {
    let link = out.join("current");
    if link.exists() { link } else { out.to_owned() }
}

/// Which version is in force under `dir` and whether it is synthetic.
pub fn provenance(dir: &Path) -> Provenance {
    let current = current_dir(dir);
    // `current` is a link into `sets/`; the version is the name it points to.
    let resolved = std::fs::canonicalize(&current).unwrap_or_else(|_| current.clone());
    let version = resolved.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Provenance { version, synthetic: current.join(SYNTHETIC_MARKER).exists() }
}

/// Loads the data set in force under `dir` into memory, with its [`Provenance`].
pub fn load(dir: &Path) -> Result<Dataset, ImportError> {
    let tables = files::read(&[current_dir(dir)])?;
    let dataset = Dataset::new(tables.persons, tables.residences, tables.benefits, tables.activations)?;
    Ok(dataset.with_provenance(provenance(dir)))
}
