//! The `indsats` command.

mod audit;
mod bench;
mod bench_load;
mod cases;
mod config;
mod connections;
mod demo;
mod plan;
mod register;
mod rules;
mod serve;
mod users;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use indsats_domain::{Period, PeriodKind};

use crate::config::{ConfigArgs, Settings};

/// indsats: the employment effort from policy to practice.
#[derive(Debug, Parser)]
#[command(name = "indsats", version, about)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application (the default). Seeds demo data into an empty data directory.
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Seed the data directory with a fictitious municipality, its register data and one demo user per role;
    /// or, with `register`, generate a synthetic register data set.
    Demo {
        #[command(subcommand)]
        what: Option<DemoCommand>,
    },
    /// Import data.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Compute the indicator panel from a register data set.
    Indicators {
        /// The data set directory (as written by `indsats import register`).
        #[arg(long)]
        data: PathBuf,
        /// Only these municipalities, e.g. 175,159; 000 is the whole country [default: all].
        #[arg(long)]
        municipality: Option<String>,
        /// Period kinds, e.g. quarter,year.
        #[arg(long, value_delimiter = ',', default_value = "quarter,year")]
        period: Vec<PeriodKind>,
        /// First period, e.g. 2019Q1, 2019 or 2019W01 [default: the data's first week].
        #[arg(long)]
        from: Option<Period>,
        /// Last period [default: the data's last week].
        #[arg(long)]
        to: Option<Period>,
        /// Output format.
        #[arg(long, value_enum, default_value = "csv")]
        format: register::PanelFormat,
        /// Output file [default: standard output].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Manage users.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Benchmarks that print figures.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Check, show or load plan files (see docs/plan-format.md).
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Render the quarterly goal-fulfilment report of a plan.
    Report {
        /// The plan file.
        #[arg(long)]
        plan: PathBuf,
        /// The quarter to judge, e.g. 2022Q4.
        #[arg(long)]
        quarter: indsats_domain::Quarter,
        /// The register data set [default: DATA_DIR/register].
        #[arg(long)]
        data: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "html")]
        format: plan::ReportFormat,
        /// The report's language.
        #[arg(long, value_enum, default_value = "da")]
        lang: plan::Lang,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the OpenAPI document of the JSON API.
    Openapi,
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The case-work rules: obligations of a course under the rules in force (see docs/rules.md).
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// The jobcentre's own cases as data for other tools.
    #[command(subcommand)]
    Cases(CasesCommand),
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute the audit log's hash chain. Prints `audit log intact: N rows` and exits 0, or names the
    /// first broken row and exits 3 (1 when the check could not run).
    Verify,
}

#[derive(Debug, Subcommand)]
enum PlanCommand {
    /// Check a plan file and list every problem with its line and column; exits non-zero if any.
    Check {
        /// The plan file.
        file: PathBuf,
    },
    /// Print a plan's hierarchy: policy, strategic goals, goals, indicators, actions.
    Show {
        /// The plan file.
        file: PathBuf,
    },
    /// Store a plan file as a new version of its plan (nothing happens if it is unchanged).
    Load {
        /// The plan file.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a user; the password is read from standard input.
    Add {
        /// Login name (a-z, 0-9, '.', '-', '_').
        #[arg(long)]
        username: String,
        /// Role: sagsbehandler, virksomhedskonsulent, leder, udvalg or admin.
        #[arg(long)]
        role: String,
        /// Name shown in the UI (defaults to the user name).
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (the only way; it keeps it out of the shell history).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List users.
    List,
    /// Disable a user: they are logged out everywhere and cannot log in.
    Disable {
        /// Login name.
        username: String,
    },
    /// Enable a disabled user again.
    Enable {
        /// Login name.
        username: String,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Validate register files (CSV or Parquet) and install them as a data set, atomically.
    Register {
        /// A directory holding persons, residence, benefits and activation (.csv or .parquet), or the files.
        #[arg(long, required = true, num_args = 1..)]
        from: Vec<PathBuf>,
        /// The data set directory; its previous data stay in force if anything is wrong.
        #[arg(long)]
        out: PathBuf,
        /// Install the files even if they hold no persons (refused otherwise).
        #[arg(long)]
        allow_empty: bool,
    },
    /// Turn a DREAM extract (one row per person, weekly y_YYWW code columns) into the benefits and
    /// activation tables of the register format, for `import register` to combine with persons and residence.
    Dream {
        /// The DREAM file (CSV, comma or semicolon, or Parquet).
        file: PathBuf,
        /// A mapping from DREAM codes to benefit groups (see docs/dream.md) [default: the built-in one].
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// The directory to write benefits and activation into.
        #[arg(long)]
        out: PathBuf,
        /// Write CSV instead of Parquet.
        #[arg(long)]
        csv: bool,
    },
}

#[derive(Debug, Subcommand)]
enum CasesCommand {
    /// Write the cases' benefits and offers as register spells (persons, residence, benefits,
    /// activation as Parquet) into a directory, for `indsats import register --from DIR`.
    Spells {
        /// The directory to write the four files into (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum DemoCommand {
    /// Generate a synthetic register data set (persons, residence, benefits, activation).
    Register {
        /// 175, 175,159 or all.
        #[arg(long, default_value = "175")]
        municipalities: String,
        /// First year.
        #[arg(long, default_value_t = 2015)]
        from: i32,
        /// Last year.
        #[arg(long, default_value_t = 2024)]
        to: i32,
        /// The same seed gives the same bytes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Persons per real resident (1 = the real population).
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// The data set directory to install into.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Time the indicator engine on a data set: quarters and years over its whole range, every dimension.
    Register {
        /// The data set directory.
        #[arg(long)]
        data: PathBuf,
        /// How many times to load the data set and compute the panel (medians are reported).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Worker threads; 0 means one per core.
        #[arg(long, default_value_t = 0)]
        threads: usize,
        /// First period [default: the data's first week].
        #[arg(long)]
        from: Option<Period>,
        /// Last period [default: the data's last week].
        #[arg(long)]
        to: Option<Period>,
    },
    /// Time the quarterly report as the web makes it (the panel already in memory): judging
    /// and rendering HTML, then PDF, for a plan padded to `--goals` goals.
    Report {
        /// The plan file.
        #[arg(long)]
        plan: PathBuf,
        /// The quarter to judge, e.g. 2022Q4.
        #[arg(long)]
        quarter: indsats_domain::Quarter,
        /// The register data set directory.
        #[arg(long)]
        data: PathBuf,
        /// Repeat the plan's goals with indicators until it has this many goals.
        #[arg(long)]
        goals: Option<usize>,
        /// How many times to make each report (medians are reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Case work under load: the demo's caseworkers log in and loop over their worklist and
    /// their cases on the real server; prints throughput and latency percentiles per page.
    /// Uses --database-url if given (a demo database, or an empty one to seed).
    Load {
        /// The data directory to seed and use [default: a new temporary one, removed afterwards].
        #[arg(long)]
        work_dir: Option<PathBuf>,
        /// Concurrent clients, one per demo caseworker (at most 100).
        #[arg(long, default_value_t = 100)]
        clients: usize,
        /// Seconds per run.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Runs (medians are reported).
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Top the database up to this many cases first (e.g. 60000), held by synthetic caseworkers
        /// who do not log in, so the worklists keep the demo's size.
        #[arg(long)]
        cases: Option<usize>,
        /// Milliseconds each client pauses after a page, as a person reading it; 0 keeps the
        /// server saturated (a stress test: latency is then mostly waiting in line).
        #[arg(long, default_value_t = 0)]
        think_ms: u64,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create an API token carrying a user's rights; prints the secret once.
    Create {
        /// Whose rights the token carries.
        #[arg(long)]
        username: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(&cli.config) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    config::init_logging(&settings);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), settings)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is::<audit::Broken>() => ExitCode::from(audit::Broken::EXIT_CODE),
        Err(err) if err.is::<rules::BadInput>() => {
            eprintln!("error: {err}");
            ExitCode::from(rules::BadInput::EXIT_CODE)
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve => serve::run(settings).await,
        Command::Migrate => {
            let store = settings.open_store().await?;
            println!("The {} database is up to date.", store.backend());
            Ok(())
        }
        Command::Demo { what: None } => demo::run(&settings).await,
        Command::Demo { what: Some(DemoCommand::Register { municipalities, from, to, seed, scale, out }) } => {
            demo::register(&municipalities, from, to, seed, scale, &out)
        }
        Command::Plan(PlanCommand::Check { file }) => plan::check(&file),
        Command::Plan(PlanCommand::Show { file }) => plan::show(&file),
        Command::Plan(PlanCommand::Load { file }) => plan::load(&settings, &file).await,
        Command::Report { plan: file, quarter, data, format, lang, out } => {
            let data = data.unwrap_or_else(|| settings.data_dir.join("register"));
            plan::report(&file, quarter, &data, format, lang.into(), &out)
        }
        Command::Audit(AuditCommand::Verify) => audit::verify(&settings).await,
        Command::Openapi => {
            println!("{}", indsats_web::openapi_json());
            Ok(())
        }
        Command::User(UserCommand::Add { username, role, name, password_stdin: _ }) => {
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            // One trailing newline is what `echo` and here-strings add; it is not part of the password.
            let password = password.strip_suffix('\n').map_or(password.as_str(), |p| p.strip_suffix('\r').unwrap_or(p));
            users::add(&settings, &username, &role, name.as_deref(), password).await
        }
        Command::User(UserCommand::List) => users::list(&settings).await,
        Command::User(UserCommand::Disable { username }) => users::set_disabled(&settings, &username, true).await,
        Command::User(UserCommand::Enable { username }) => users::set_disabled(&settings, &username, false).await,
        Command::Token(TokenCommand::Create { username, name }) => {
            users::create_token(&settings, &username, &name).await
        }
        Command::Import(ImportCommand::Register { from, out, allow_empty }) => {
            register::import_register(&from, &out, allow_empty)
        }
        Command::Import(ImportCommand::Dream { file, mapping, out, csv }) => {
            register::import_dream(&file, mapping.as_deref(), &out, csv)
        }
        Command::Bench(BenchCommand::Register { data, runs, threads, from, to }) => {
            bench::register(&data, runs, threads, from, to)
        }
        Command::Bench(BenchCommand::Report { plan, quarter, data, goals, runs }) => {
            bench::report(&plan, quarter, &data, goals, runs)
        }
        Command::Bench(BenchCommand::Load { work_dir, clients, seconds, runs, cases, think_ms }) => {
            let think = std::time::Duration::from_millis(think_ms);
            bench_load::run(&settings, &bench_load::LoadOptions { work_dir, clients, seconds, runs, cases, think })
                .await
        }
        Command::Indicators { data, municipality, period, from, to, format, out } => {
            let municipalities =
                municipality.as_deref().map(register::parse_municipalities).transpose()?.unwrap_or_default();
            register::indicators(&register::PanelRequest {
                data,
                municipalities,
                periods: period,
                from,
                to,
                format,
                out,
            })
        }
        Command::Rules(command) => rules::run(command),
        Command::Cases(CasesCommand::Spells { out }) => cases::spells(&settings, &out).await,
    }
}
