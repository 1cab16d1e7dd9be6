//! `indsats import register` and `indsats indicators`: register files in, indicator panels out.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use indsats_domain::{Period, PeriodKind};
use indsats_register::import::{self, ImportError};
use indsats_register::{PanelRow, PeriodRange, engine, write_csv};

/// Output formats of `indsats indicators`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PanelFormat {
    /// `municipality,period,indicator,dimension,category,value,persons`
    Csv,
    /// The same columns as Parquet.
    Parquet,
    /// An array of objects with the same fields.
    Json,
}

/// Validates the input files and installs them as the current data set of `out`.
pub fn import_register(from: &[PathBuf], out: &Path, allow_empty: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let if_empty = if allow_empty { import::IfEmpty::Install } else { import::IfEmpty::Refuse };
    match import::import_with(from, out, if_empty) {
        Ok(done) => {
            let [persons, residence, benefits, activation] = done.rows;
            println!(
                "Imported {persons} persons, {residence} residence, {benefits} benefit and {activation} activation spells \
                 into {} in {:.1} s.",
                done.version.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        // The list of problems is the message; no extra context needed.
        Err(ImportError::Files(err)) => bail!("{err}"),
        Err(err) => Err(err.into()),
    }
}

/// Converts a DREAM extract to the benefits and activation tables.
pub fn import_dream(file: &Path, mapping: Option<&Path>, out: &Path, csv: bool) -> anyhow::Result<()> {
    use indsats_register::dream::{self, Format, Mapping};
    let mapping = match mapping {
        Some(path) => Mapping::from_file(path).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => Mapping::default(),
    };
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let format = if csv { Format::Csv } else { Format::Parquet };
    let done = dream::convert(file, &mapping, out, format).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Wrote {} benefit and {} activation spells to {} and {}.",
        done.benefits,
        done.activations,
        done.files[0].display(),
        done.files[1].display()
    );
    Ok(())
}

/// What `indsats indicators` was asked for.
#[derive(Debug)]
pub struct PanelRequest {
    /// The data set directory.
    pub data: PathBuf,
    /// Only these municipalities (`000` for the whole country); all when empty.
    pub municipalities: Vec<u16>,
    /// Period kinds.
    pub periods: Vec<PeriodKind>,
    /// First period (any kind).
    pub from: Option<Period>,
    /// Last period (any kind).
    pub to: Option<Period>,
    /// Output format.
    pub format: PanelFormat,
    /// Output file; standard output when absent.
    pub out: Option<PathBuf>,
}

/// Parses `175,159,000` into codes.
pub fn parse_municipalities(list: &str) -> anyhow::Result<Vec<u16>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s == "000" {
                return Ok(indsats_register::WHOLE_COUNTRY);
            }
            s.parse::<indsats_domain::MunicipalityCode>()
                .map(u16::from)
                .with_context(|| format!("--municipality {s:?}"))
        })
        .collect()
}

/// Computes the panel and writes it.
pub fn indicators(request: &PanelRequest) -> anyhow::Result<()> {
    let started = Instant::now();
    let dataset = import::load(&request.data).with_context(|| format!("cannot load {}", request.data.display()))?;
    let loaded = started.elapsed();
    let Some((first, last)) = dataset.week_span() else {
        bail!("the data set in {} has no benefit or activation spells", request.data.display());
    };
    let week = |index| indsats_domain::IsoWeek::from_index(index).map(Period::Week);
    let from = request.from.or_else(|| week(first)).context("no first week")?;
    let to = request.to.or_else(|| week(last)).context("no last week")?;
    let ranges = request
        .periods
        .iter()
        .map(|kind| PeriodRange::spanning(*kind, from, to))
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("--from {from} --to {to}"))?;
    let mut rows = engine::compute(&dataset, &ranges, &engine::Options { threads: 0, chunk: 4096 })?;
    if !request.municipalities.is_empty() {
        rows.retain(|r| request.municipalities.contains(&r.municipality));
    }
    let computed = started.elapsed();
    if let Some(path) = &request.out {
        write_panel(&rows, request.format, path)?;
    } else {
        if request.format == PanelFormat::Parquet {
            bail!("--format parquet needs --out FILE");
        }
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let written = write_rows(&rows, request.format, &mut out).and_then(|()| Ok(out.flush()?));
        // `indsats indicators | head` closes the pipe early; that is not an error.
        if let Err(err) = written
            && err.downcast_ref::<std::io::Error>().is_none_or(|e| e.kind() != std::io::ErrorKind::BrokenPipe)
        {
            return Err(err);
        }
    }
    eprintln!(
        "{} rows; loaded in {:.2} s, computed in {:.2} s.",
        rows.len(),
        loaded.as_secs_f64(),
        computed.saturating_sub(loaded).as_secs_f64()
    );
    Ok(())
}

fn write_panel(rows: &[PanelRow], format: PanelFormat, path: &Path) -> anyhow::Result<()> {
    if format == PanelFormat::Parquet {
        return Ok(indsats_register::files::write_panel_parquet(rows, path)?);
    }
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    write_rows(rows, format, &mut out)?;
    out.flush()?;
    Ok(())
}

fn write_rows(rows: &[PanelRow], format: PanelFormat, out: &mut impl Write) -> anyhow::Result<()> {
    match format {
        PanelFormat::Csv => write_csv(rows, out)?,
        PanelFormat::Json => {
            out.write_all(b"[")?;
            for (i, row) in rows.iter().enumerate() {
                let object = serde_json::json!({
                    "municipality": format!("{:03}", row.municipality),
                    "period": row.period.to_string(),
                    "indicator": row.indicator.to_string(),
                    "dimension": row.dimension().as_str(),
                    "category": row.category.to_string(),
                    "value": row.value,
                    "persons": row.persons,
                });
                if i > 0 {
                    out.write_all(b",")?;
                }
                out.write_all(b"\n")?;
                serde_json::to_writer(&mut *out, &object)?;
            }
            out.write_all(b"\n]\n")?;
        }
        PanelFormat::Parquet => bail!("Parquet is written to a file"),
    }
    Ok(())
}
