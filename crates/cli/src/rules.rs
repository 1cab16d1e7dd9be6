//! `indsats rules`: the rule calculator over the case-work rule files (see docs/rules.md).

use std::fmt::{self, Write as _};

use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use indsats_domain::rules::{Clock, Course, Obligation, Regime, RuleBook, TargetGroup};
use serde::Serialize;

/// `indsats rules ...`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List each obligation of a hypothetical course (full-time, no breaks) that starts that day,
    /// each judged under the rules in force on its deadline.
    Due(DueArgs),
    /// List the rule files (regimes) with the date each takes effect and whether it is adopted, and the target groups.
    List {
        #[command(flatten)]
        adopt: Adopt,
    },
}

/// The course for `indsats rules due`.
#[derive(Debug, Args)]
pub struct DueArgs {
    /// The target group (see `indsats rules list`).
    #[arg(long, value_parser = parse_group)]
    group: TargetGroup,
    /// The first day of the course, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    start: NaiveDate,
    /// The citizen's birth date, YYYY-MM-DD, for the rules for under-30s.
    #[arg(long, value_parser = parse_date)]
    born: Option<NaiveDate>,
    /// The citizen has a vocational education.
    #[arg(long)]
    education: bool,
    /// The citizen is employed (sygedagpenge).
    #[arg(long)]
    employed: bool,
    /// Expected back at work within this many weeks (sygedagpenge).
    #[arg(long, value_name = "N")]
    expected_weeks: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    adopt: Adopt,
}

/// Regimes to treat as adopted, to preview a rule file that is not law yet.
#[derive(Debug, Args)]
pub struct Adopt {
    /// Treat this rule file as adopted (a preview; adoption itself is an administrator's decision), e.g. reform-2027.
    #[arg(long = "adopt", value_name = "REGIME")]
    ids: Vec<String>,
}

/// Output formats of `indsats rules due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned table with notes.
    Text,
    /// A JSON array of objects with the keys kind, holder, count, due and source.
    Json,
}

/// Input that parses but makes no sense; `main` turns it into exit code [`BadInput::EXIT_CODE`],
/// as clap does for input that does not parse.
#[derive(Debug)]
pub struct BadInput(String);

impl BadInput {
    /// The exit code for bad input.
    pub const EXIT_CODE: u8 = 2;
}

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

fn parse_group(s: &str) -> Result<TargetGroup, String> {
    s.parse().map_err(|e: indsats_domain::rules::UnknownTargetGroup| e.to_string())
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date; expected YYYY-MM-DD, such as 2026-07-01"))
}

/// Runs `indsats rules ...`, printing to standard output.
pub fn run(command: RulesCommand) -> anyhow::Result<()> {
    match command {
        RulesCommand::Due(args) => {
            let book = book(&args.adopt)?;
            print!("{}", due(&book, &args)?);
        }
        RulesCommand::List { adopt } => print!("{}", list(&book(&adopt)?)),
    }
    Ok(())
}

fn book(adopt: &Adopt) -> Result<RuleBook, BadInput> {
    RuleBook::builtin().with_adopted(&adopt.ids).map_err(|e| {
        let known: Vec<String> = RuleBook::builtin().regimes().iter().map(|r| r.id.clone()).collect();
        BadInput(format!("--adopt: {e}; the rule files are {}", known.join(", ")))
    })
}

/// The JSON object per obligation: exactly these keys.
#[derive(Serialize)]
struct JsonObligation<'a> {
    kind: &'static str,
    holder: &'static str,
    count: u32,
    due: String,
    source: &'a str,
}

fn due(book: &RuleBook, args: &DueArgs) -> Result<String, BadInput> {
    let course = Course {
        group: args.group,
        start: args.start,
        born: args.born,
        education: args.education,
        employed: args.employed,
        expected_weeks: args.expected_weeks,
    };
    check(book, &course)?;
    let obligations = book.due(&course);
    Ok(match args.format {
        Format::Json => {
            let rows: Vec<JsonObligation<'_>> = obligations
                .iter()
                .map(|o| JsonObligation {
                    kind: o.kind.code(),
                    holder: o.holder.code(),
                    count: o.count,
                    due: o.due.to_string(),
                    source: &o.source,
                })
                .collect();
            let mut json = serde_json::to_string_pretty(&rows).map_err(|e| BadInput(e.to_string()))?;
            json.push('\n');
            json
        }
        Format::Text => table(book, &course, &obligations),
    })
}

/// Refuses courses the rules cannot speak about.
fn check(book: &RuleBook, course: &Course) -> Result<(), BadInput> {
    let Some(first) = book.adopted().next() else {
        return Err(BadInput("no rule file is adopted".to_owned()));
    };
    if course.start < first.valid_from {
        return Err(BadInput(format!(
            "--start {}: the rules before {} (the first rule file, {}) are not modelled",
            course.start,
            first.valid_from,
            first.file_name()
        )));
    }
    if course.born.is_some_and(|born| born > course.start) {
        return Err(BadInput("--born lies after --start".to_owned()));
    }
    if let Some((regime, citation)) = book.closure(course.group, course.start) {
        let uncertain = citation.uncertain.as_deref().map(|u| format!(" (uncertain: {u})")).unwrap_or_default();
        return Err(BadInput(format!(
            "{} is closed to new entrants on {} under {}: {}{uncertain}",
            course.group,
            course.start,
            regime.file_name(),
            citation.paragraph
        )));
    }
    Ok(())
}

fn table(book: &RuleBook, course: &Course, obligations: &[Obligation]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} from {}, full-time without breaks", course.group, course.start);
    if obligations.is_empty() {
        let _ = writeln!(out, "No obligations are due for this course under the rules in force.");
    } else {
        let mut notes: Vec<&str> = Vec::new();
        let rows: Vec<[String; 6]> = obligations
            .iter()
            .map(|o| {
                let mut marks = String::new();
                if o.portfolio {
                    marks.push('*');
                }
                if let Some(flag) = &o.flag {
                    let n = notes.iter().position(|f| *f == flag).unwrap_or_else(|| {
                        notes.push(flag);
                        notes.len() - 1
                    });
                    let _ = write!(marks, "[{}]", n + 1);
                }
                [
                    o.due.to_string(),
                    o.kind.code().to_owned(),
                    o.holder.code().to_owned(),
                    o.count.to_string(),
                    marks,
                    o.source.clone(),
                ]
            })
            .collect();
        let header = ["due", "kind", "holder", "count", "notes", "source"].map(str::to_owned);
        write_table(&mut out, &header, &rows, &[false, false, false, true, false, false]);
        if obligations.iter().any(|o| o.portfolio) {
            let percent = book.portfolio(obligations.iter().find(|o| o.portfolio).map_or(course.start, |o| o.due));
            let (min, max) = percent.map_or((75, 25), |p| (p.min_share_percent, p.max_exempt_percent));
            let _ = writeln!(
                out,
                "\n* portfolio rule: the minimum must be met for at least {min} % of the group; up to {max} % may be exempted by a reasoned decision."
            );
        }
        if !notes.is_empty() {
            let _ = writeln!(out, "\nFor a human look:");
            for (n, note) in notes.iter().enumerate() {
                let _ = writeln!(out, "[{}] {note}", n + 1);
            }
        }
    }
    if let Some(rules) = book.group_rules(course.group, course.start)
        && rules.clock == Clock::DagpengeHours
    {
        let uncertain = rules.clock_uncertain.as_deref().map(|u| format!(" (uncertain: {u})")).unwrap_or_default();
        let _ = writeln!(
            out,
            "\nDeadlines are counted in dagpenge hours: 7.4 a weekday, 3 months = weekday 65, 6 months = 130, 16 months = 347{uncertain}."
        );
    }
    let mut regimes: Vec<&Regime> = Vec::new();
    for regime in
        book.regime_in_force(course.start).into_iter().chain(obligations.iter().filter_map(|o| book.regime(&o.regime)))
    {
        if !regimes.iter().any(|r| r.id == regime.id) {
            regimes.push(regime);
        }
    }
    for regime in regimes {
        let Some(rules) = regime.groups.get(&course.group) else { continue };
        if rules.duties.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\nOther duties under {}:", regime.file_name());
        for duty in &rules.duties {
            let uncertain =
                duty.citation.uncertain.as_deref().map(|u| format!(" (uncertain: {u})")).unwrap_or_default();
            let _ = writeln!(out, "- {} [{}]{uncertain}", duty.text, duty.citation.paragraph);
        }
    }
    out
}

fn list(book: &RuleBook) -> String {
    let mut out = String::new();
    let rows: Vec<[String; 4]> = book
        .regimes()
        .iter()
        .map(|r| {
            let adopted = if r.adopted { "yes" } else { "no (ignored until adopted)" };
            [r.id.clone(), r.valid_from.to_string(), adopted.to_owned(), r.title.clone()]
        })
        .collect();
    write_table(&mut out, &["regime", "valid from", "adopted", "title"].map(str::to_owned), &rows, &[false; 4]);
    let _ = writeln!(out);
    let rows: Vec<[String; 3]> = TargetGroup::ALL
        .iter()
        .map(|g| {
            let closed = book
                .adopted()
                .find(|r| r.groups.get(g).is_some_and(|rules| rules.closed_to_new_entrants.is_some()))
                .map(|r| {
                    let uncertain = r.groups[g].closed_to_new_entrants.as_ref().is_some_and(|c| c.uncertain.is_some());
                    format!("from {} ({}{})", r.valid_from, r.id, if uncertain { ", uncertain" } else { "" })
                })
                .unwrap_or_default();
            [g.code().to_owned(), g.lab_paragraph().to_owned(), closed]
        })
        .collect();
    write_table(&mut out, &["group", "paragraph", "closed to new entrants"].map(str::to_owned), &rows, &[false; 3]);
    out
}

/// Writes rows under a header, each column as wide as its widest cell (the last one unpadded).
fn write_table<const N: usize>(out: &mut String, header: &[String; N], rows: &[[String; N]], right: &[bool; N]) {
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in std::iter::once(header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == N {
                line.push_str(cell);
            } else if right[i] {
                let _ = write!(line, "{cell:>width$}  ", width = widths[i]);
            } else {
                let _ = write!(line, "{cell:<width$}  ", width = widths[i]);
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}
