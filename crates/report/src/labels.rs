//! The words and number format a report is written in, looked up in the caller's message
//! catalogue (the `report-*` keys of `indsats-i18n`'s `report.ftl`). The report crate names
//! the keys; which language they come out in is the caller's choice:
//!
//! ```
//! # use indsats_report::labels::Labels;
//! // In the web and the CLI: `move |key, args| locale.t_args(key, args)`.
//! let labels = Labels::new("en", |key, _args| match key {
//!     "report-decimal-mark" => ".".to_owned(),
//!     "report-thousands-separator" => ",".to_owned(),
//!     other => other.to_owned(),
//! });
//! assert_eq!(labels.decimal(1234.56, 1), "1,234.6");
//! ```

use std::fmt;
use std::sync::Arc;

use chrono::{Datelike as _, NaiveDate};
use indsats_domain::case_figures::{CaseMeasure, LongRunningGroup};
use indsats_domain::format::Numbers;
use indsats_domain::indicator::{Indicator, Subject};
use indsats_domain::plan::{ActionStatus, Measure, QuarterRange, Unit};
use indsats_domain::{Period, Quarter};

use crate::error::ReportError;
use crate::evaluate::{Status, Trend};

/// A message catalogue: the text of `key` with named arguments filled in.
pub type Lookup = dyn Fn(&str, &[(&str, &str)]) -> String + Send + Sync;

/// The report's words in one language. Cheap to clone; `Send`, so a PDF can be made on
/// another thread.
#[derive(Clone)]
pub struct Labels {
    lang: String,
    numbers: Numbers,
    lookup: Arc<Lookup>,
}

impl fmt::Debug for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Labels").field("lang", &self.lang).field("numbers", &self.numbers).finish_non_exhaustive()
    }
}

impl Labels {
    /// Labels in the language tagged `lang` (BCP 47, for `<html lang>` and Typst's `lang`),
    /// with texts from `lookup`. The number format comes from the catalogue too.
    pub fn new(lang: &str, lookup: impl Fn(&str, &[(&str, &str)]) -> String + Send + Sync + 'static) -> Self {
        let mark = |key: &str, default: char| {
            let text = lookup(key, &[]);
            let mut chars = text.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => default,
            }
        };
        // The defaults only matter for a catalogue without the keys; a test checks they exist.
        let numbers = Numbers {
            decimal_mark: mark("report-decimal-mark", Numbers::ENGLISH.decimal_mark),
            thousands_separator: mark("report-thousands-separator", Numbers::ENGLISH.thousands_separator),
        };
        Labels { lang: lang.to_owned(), numbers, lookup: Arc::new(lookup) }
    }

    /// The language tag.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// The number format.
    pub fn numbers(&self) -> Numbers {
        self.numbers
    }

    /// A message without arguments.
    pub fn t(&self, key: &str) -> String {
        (self.lookup)(key, &[])
    }

    /// A message with named arguments.
    pub fn t_args(&self, key: &str, args: &[(&str, &str)]) -> String {
        (self.lookup)(key, args)
    }

    /// A status as readers see it: "Opfyldt", "Met".
    pub fn status(&self, status: Status) -> String {
        self.t(match status {
            Status::Met => "report-status-met",
            Status::OnTrack => "report-status-on-track",
            Status::AtRisk => "report-status-at-risk",
            Status::NotMet => "report-status-not-met",
            Status::NoFigures => "report-status-no-figures",
            Status::NotMeasured => "report-status-not-measured",
        })
    }

    /// A goal's status with how many of its indicators it rests on, when a figure judged some
    /// but not all: "På vej, 2 af 4 indikatorer målt".
    pub fn goal_status(&self, status: Status, judged: usize, total: usize) -> String {
        if status.is_judged() && judged < total {
            self.t_args(
                "report-status-partly",
                &[("status", &self.status(status)), ("judged", &judged.to_string()), ("total", &total.to_string())],
            )
        } else {
            self.status(status)
        }
    }

    /// How many goals have a status, for the summary: "2 er på vej".
    pub fn status_count(&self, status: Status, count: usize) -> String {
        let key = match status {
            Status::Met => "report-count-met",
            Status::OnTrack => "report-count-on-track",
            Status::AtRisk => "report-count-at-risk",
            Status::NotMet => "report-count-not-met",
            Status::NoFigures => "report-count-no-figures",
            Status::NotMeasured => "report-count-not-measured",
        };
        self.t_args(key, &[("count", &count.to_string())])
    }

    /// Items as a sentence lists them: "a, b og c".
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => self.t_args("report-list-and", &[("items", &init.join(", ")), ("last", last)]),
        }
    }

    /// What a measure is, in a sentence or two, for the report's appendix.
    pub fn definition(&self, measure: Measure) -> String {
        let indicator = match measure {
            Measure::Register(indicator) => indicator,
            Measure::Case(m) if m.is_computed() => return self.case_definition(m),
            _ => return self.t("report-def-not-collected"),
        };
        let (kind, subject) = match indicator {
            Indicator::Befolkning => ("report-def-befolkning", None),
            Indicator::Fuldtid(s) => ("report-def-fuldtid", Some(s)),
            Indicator::Andel(s) => ("report-def-andel", Some(s)),
            Indicator::Virksomhedsrettet => ("report-def-virksomhedsrettet", None),
            Indicator::Opkvalificering => ("report-def-opkvalificering", None),
        };
        let mut text = self.t(kind);
        let extra = match subject {
            Some(Subject::OffentligForsoergelse) => Some(self.t("report-def-offentlig-forsoergelse")),
            Some(Subject::Langvarige) => Some(self.t("report-def-langvarige")),
            Some(Subject::Benefit(group)) => Some(self.t_args("report-def-benefit", &[("benefit", group.as_str())])),
            None => None,
        };
        if let Some(extra) = extra {
            text.push(' ');
            text.push_str(&extra);
        }
        text
    }

    /// What an operational figure is, from the `report-def-sager-*` keys.
    fn case_definition(&self, measure: CaseMeasure) -> String {
        let all = |key: &str| self.t_args(key, &[("which", &self.t("report-def-sager-all"))]);
        match measure {
            CaseMeasure::ConversationsOnTime(None) => all("report-def-sager-samtaler"),
            CaseMeasure::ConversationsOnTime(Some(group)) => {
                self.t_args("report-def-sager-samtaler", &[("which", group.code())])
            }
            CaseMeasure::OffersStarted(None) => all("report-def-sager-tilbud"),
            CaseMeasure::OffersStarted(Some(kind)) => self.t_args("report-def-sager-tilbud", &[("which", kind.code())]),
            CaseMeasure::CompanyOrientedShare => self.t("report-def-sager-virksomhedsrettet"),
            CaseMeasure::CaseworkerChanges => self.t("report-def-sager-sagsbehandlerskift"),
            CaseMeasure::LongRunning(LongRunningGroup::Kontanthjaelp) => {
                self.t_args("report-def-sager-langvarige", &[("which", "kontanthjaelp")])
            }
            CaseMeasure::LongRunning(LongRunningGroup::Ressourceforloeb) => {
                self.t_args("report-def-sager-langvarige", &[("which", "ressourceforloeb")])
            }
            CaseMeasure::ExemptedShare | CaseMeasure::AppealsUpheld => self.t("report-def-not-collected"),
        }
    }

    /// Which way a figure moved, in words.
    pub fn trend(&self, trend: Trend) -> String {
        self.t(match trend {
            Trend::Better => "report-trend-better",
            Trend::Worse => "report-trend-worse",
            Trend::Unchanged => "report-trend-unchanged",
        })
    }

    /// An action's status in words.
    pub fn action_status(&self, status: ActionStatus) -> String {
        self.t(match status {
            ActionStatus::NotStarted => "report-action-not-started",
            ActionStatus::InProgress => "report-action-in-progress",
            ActionStatus::Done => "report-action-done",
            ActionStatus::Dropped => "report-action-dropped",
        })
    }

    /// A quarter as tables write it: `2022K4`, `2022 Q4`.
    pub fn quarter(&self, q: Quarter) -> String {
        self.t_args("report-quarter", &[("year", &q.year().to_string()), ("quarter", &q.q().to_string())])
    }

    /// A quarter in a heading: `4. kvartal 2022`, `Q4 2022`.
    pub fn quarter_long(&self, q: Quarter) -> String {
        self.t_args("report-quarter-long", &[("year", &q.year().to_string()), ("quarter", &q.q().to_string())])
    }

    /// A period: quarters as [`Labels::quarter`], years and weeks as the files write them.
    pub fn period(&self, p: Period) -> String {
        match p {
            Period::Quarter(q) => self.quarter(q),
            other => other.to_string(),
        }
    }

    /// A range of quarters: a whole year as the year (`2022`), otherwise
    /// `2023K1-2024K4`.
    pub fn range(&self, range: QuarterRange) -> String {
        match range.as_period() {
            Some(p) => self.period(p),
            None => format!("{}-{}", self.quarter(range.first()), self.quarter(range.last())),
        }
    }

    /// An ISO week as a reader writes it: `uge 52 2025`.
    pub fn week(&self, week: indsats_domain::IsoWeek) -> String {
        self.t_args("report-week", &[("year", &week.year().to_string()), ("week", &week.week().to_string())])
    }

    /// A date: `03.11.2026`.
    pub fn date(&self, d: NaiveDate) -> String {
        self.t_args(
            "report-date",
            &[
                ("day", &format!("{:02}", d.day())),
                ("month", &format!("{:02}", d.month())),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// A number with `decimals` decimals in the language's marks.
    pub fn decimal(&self, value: f64, decimals: usize) -> String {
        self.numbers.decimal(value, decimals)
    }

    /// A value as the report prints it: `12,5 %`, `1.234,0`, `17`.
    pub fn value(&self, value: f64, unit: Unit) -> String {
        match unit {
            Unit::Percent => format!("{} %", self.decimal(value, 1)),
            Unit::FullTimePersons => self.decimal(value, 1),
            Unit::PerCitizenYear => self.decimal(value, 2),
            #[expect(clippy::cast_possible_truncation, reason = "counts are small whole numbers")]
            Unit::Count | Unit::Cases => self.numbers.integer(value.round() as i64),
        }
    }

    /// Why no report can be made, in one sentence.
    pub fn error(&self, error: &ReportError) -> String {
        match error {
            ReportError::OutsidePlan { quarter, period } => self.t_args(
                "report-error-outside-plan",
                &[("quarter", &self.quarter(*quarter)), ("period", &self.range(*period))],
            ),
            ReportError::NoData { municipality, quarter } => self.t_args(
                "report-error-no-data",
                &[("municipality", municipality), ("quarter", &self.quarter(*quarter))],
            ),
        }
    }
}
