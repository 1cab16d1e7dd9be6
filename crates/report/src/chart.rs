//! Hand-written SVG line charts: no JavaScript, readable in black and white
//! (lines differ by dash and marker, not only by colour), numbers in the reader's format,
//! and a text alternative for screen readers.

use std::fmt::Write as _;

use indsats_domain::format::Numbers;

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// Solid line with round markers: the municipality.
    Primary,
    /// Dashed line with square markers: the comparison (e.g. the whole country).
    Comparison,
    /// Dotted line, no markers: a second comparison (e.g. comparable municipalities).
    Comparable,
    /// Thin dash-dot line, no markers: a baseline.
    Baseline,
    /// Long-dashed line, no markers: a target.
    Target,
    /// A broad pale band with a diamond at its end: the value a verdict uses, over the
    /// periods it covers (a year's figure over the year's quarters).
    Verdict,
}

impl LineStyle {
    /// Stroke width, dash pattern (an SVG attribute or nothing) and colour. Lines differ by
    /// dash and marker as well as colour, so they read in black and white.
    fn look(self) -> (&'static str, &'static str, &'static str) {
        match self {
            LineStyle::Primary => ("3", "", "#0b5cad"),
            LineStyle::Comparison => ("2", r#" stroke-dasharray="6 4""#, "#4a5560"),
            LineStyle::Comparable => ("2", r#" stroke-dasharray="2 3""#, "#5a3e8a"),
            LineStyle::Baseline => ("1.5", r#" stroke-dasharray="10 3 2 3""#, "#6e4b00"),
            LineStyle::Target => ("2", r#" stroke-dasharray="12 4""#, "#a3222a"),
            LineStyle::Verdict => ("7", r#" stroke-opacity="0.35""#, "#0b5cad"),
        }
    }

    /// Whether the line is data (drawn with its values in the chart's table), not a reference
    /// line or a mark.
    pub fn is_data(self) -> bool {
        matches!(self, LineStyle::Primary | LineStyle::Comparison | LineStyle::Comparable)
    }
}

/// One line of a chart; `None` values (suppressed or missing) break the line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The legend text.
    pub label: String,
    /// One value per x label.
    pub values: Vec<Option<f64>>,
    /// How it is drawn.
    pub style: LineStyle,
}

/// A line chart over periods.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Used for the SVG's accessible name.
    pub title: String,
    /// The periods along the x axis.
    pub x_labels: Vec<String>,
    /// The lines.
    pub lines: Vec<Line>,
    /// Whether values are percentages (tick labels get ` %`).
    pub percent: bool,
    /// Decimals on tick labels and in the description.
    pub decimals: usize,
    /// How numbers are written on tick labels and in the description.
    pub numbers: Numbers,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
/// An upper bound of a legend character's width at font size 12, in chart units.
const LEGEND_CHAR_WIDTH: f64 = 9.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 72.0;

/// Evenly spaced, round tick values covering `[min, max]` and 0.
pub fn ticks(min: f64, max: f64) -> Vec<f64> {
    nice(min.min(0.0), max)
}

/// The y axis for data from `min` to `max`: its ticks, and whether it is broken (does not start
/// at 0). Zero is on the axis when it matters: when the data reach it or lie within one spread
/// of it. Otherwise an axis from 0 would flatten the differences a verdict rests on (12,4 %
/// against a baseline of 12,6 %), so the axis starts near the data and the chart draws a break.
pub fn axis(min: f64, max: f64) -> (Vec<f64>, bool) {
    let spread = max - min;
    if min <= spread || min <= 0.0 {
        return (ticks(min, max), false);
    }
    // A margin so no line runs along the frame; a flat series gets a band around it.
    let pad = (spread * 0.2).max(max.abs() * 0.02);
    (nice((min - pad).max(0.0), max + pad), true)
}

/// Evenly spaced, round tick values from at or below `low` to at or above `high`.
fn nice(low: f64, max: f64) -> Vec<f64> {
    let high = if max > low { max } else { low + 1.0 };
    let raw_step = (high - low) / 4.0;
    let magnitude = 10f64.powf(raw_step.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw_step).unwrap_or(raw_step);
    let start = (low / step).floor() * step;
    // Multiples of the step from the start, so rounding errors do not add up.
    let mut out = Vec::new();
    for k in 0..=12_u32 {
        let value = start + f64::from(k) * step;
        out.push(value);
        if value >= high - step * 1e-9 {
            break;
        }
    }
    out
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

impl Chart {
    fn label(&self, value: f64) -> String {
        let number = self.numbers.decimal(value, self.decimals);
        if self.percent { format!("{number} %") } else { number }
    }

    /// A sentence per line with its last shown value, for the chart's description.
    pub fn description(&self) -> String {
        let mut parts = Vec::new();
        for line in &self.lines {
            let last = line.values.iter().enumerate().rev().find_map(|(i, v)| v.map(|v| (i, v)));
            if line.style == LineStyle::Verdict {
                // Its label names the value and what it is.
                parts.push(line.label.clone());
            } else if let Some((i, v)) = last {
                parts.push(format!(
                    "{}: {} ({})",
                    line.label,
                    self.label(v),
                    self.x_labels.get(i).map_or("", String::as_str)
                ));
            }
        }
        parts.join("; ")
    }

    /// The chart's figures as a table, for screen readers and print: the periods, and a row of
    /// printed values per data line ("–" where there is none).
    pub fn table(&self) -> (Vec<String>, Vec<(String, Vec<String>)>) {
        let rows = self
            .lines
            .iter()
            .filter(|l| l.style.is_data())
            .map(|l| {
                let cells = l.values.iter().map(|v| v.map_or_else(|| "–".to_owned(), |v| self.label(v))).collect();
                (l.label.clone(), cells)
            })
            .collect();
        (self.x_labels.clone(), rows)
    }

    /// The legend under the axis: a sample of each line's stroke and its label, wrapping onto
    /// a second row when the labels do not fit on one.
    fn legend(&self, svg: &mut String) {
        // The stroke sample and its gap, the label, and the space before the next item. Chromium
        // draws "Demo Kommune" at 12 px about 8.7 units per character, so 9 is a safe upper bound
        // (7 let a long municipality name run into the next item).
        #[expect(clippy::cast_precision_loss, reason = "legend labels are short")]
        let advance = |line: &Line| 34.0 + LEGEND_CHAR_WIDTH * line.label.chars().count() as f64 + 24.0;
        let one_row = LEFT + self.lines.iter().map(advance).sum::<f64>() <= WIDTH - RIGHT;
        let (mut lx, mut ly) = (LEFT, if one_row { HEIGHT - 18.0 } else { HEIGHT - 34.0 });
        for line in &self.lines {
            if lx > LEFT && lx + advance(line) > WIDTH - RIGHT {
                (lx, ly) = (LEFT, ly + 18.0);
            }
            let (_, dash, colour) = line.style.look();
            if line.style == LineStyle::Verdict {
                let _ =
                    write!(svg, r#"<path d="M{:.1},{:.1} l6,6 l-6,6 l-6,-6 z" fill="{colour}"/>"#, lx + 14.0, ly - 6.0);
            } else {
                let _ = write!(
                    svg,
                    r#"<line x1="{lx:.1}" x2="{:.1}" y1="{ly:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="3"{dash}/>"#,
                    lx + 28.0,
                );
            }
            let _ = write!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" font-size="12" fill="#1b1f24">{}</text>"##,
                lx + 34.0,
                ly + 4.0,
                escape(&line.label)
            );
            lx += advance(line);
        }
    }

    /// The chart as an SVG element; `id` makes the ids inside it unique on the page.
    #[expect(clippy::too_many_lines, reason = "writes the SVG top to bottom, as it reads in the output")]
    pub fn svg(&self, id: &str) -> String {
        let shown = self.lines.iter().flat_map(|l| l.values.iter().flatten().copied());
        let (min, max) = shown.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
        let (min, max) = if min.is_finite() { (min, max) } else { (0.0, 1.0) };
        let (ticks, broken) = axis(min, max);
        let (low, high) = (ticks.first().copied().unwrap_or(0.0), ticks.last().copied().unwrap_or(1.0));
        let plot_w = WIDTH - LEFT - RIGHT;
        let plot_h = HEIGHT - TOP - BOTTOM;
        let n = self.x_labels.len().max(1);
        #[expect(clippy::cast_precision_loss, reason = "a chart has a few hundred points at most")]
        let x = |i: usize| if n == 1 { LEFT + plot_w / 2.0 } else { LEFT + plot_w * i as f64 / (n - 1) as f64 };
        let y = |v: f64| TOP + plot_h * (1.0 - (v - low) / (high - low));

        let mut svg = String::new();
        let title = escape(&self.title);
        let desc = escape(&self.description());
        let _ = write!(
            svg,
            r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#
        );
        for tick in &ticks {
            let ty = y(*tick);
            // The zero line, when the axis has one, is the one line a reader measures from.
            let (stroke, width) = if tick.abs() < 1e-12 { ("#1b1f24", "1.5") } else { ("#c9d1d9", "1") };
            let _ = write!(
                svg,
                r##"<line x1="{LEFT}" x2="{:.1}" y1="{ty:.1}" y2="{ty:.1}" stroke="{stroke}" stroke-width="{width}"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="12" fill="#1b1f24">{}</text>"##,
                WIDTH - RIGHT,
                LEFT - 6.0,
                ty + 4.0,
                escape(&self.label(*tick))
            );
        }
        // The y axis; when it does not start at 0, a break in it says so.
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{:.1}" stroke="#1b1f24" stroke-width="1"/>"##,
            TOP + plot_h
        );
        if broken {
            let by = TOP + plot_h - 10.0;
            let _ = write!(
                svg,
                r##"<g class="axis-break"><rect x="{:.1}" y="{:.1}" width="12" height="6" fill="#ffffff"/><path d="M{:.1},{:.1} l12,-4 M{:.1},{:.1} l12,-4" stroke="#1b1f24" stroke-width="1.5" fill="none"/></g>"##,
                LEFT - 6.0,
                by - 3.0,
                LEFT - 6.0,
                by + 1.0,
                LEFT - 6.0,
                by + 5.0,
            );
        }
        // Label at most about eight periods, counted back from the newest, which is always labelled
        // and right-aligned so it is not cut off at the edge.
        let every = n.div_ceil(8).max(1);
        for (i, label) in self.x_labels.iter().enumerate() {
            if (n - 1 - i).is_multiple_of(every) {
                let anchor = if i + 1 == n && n > 1 { "end" } else { "middle" };
                let _ = write!(
                    svg,
                    r##"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" font-size="12" fill="#1b1f24">{}</text>"##,
                    x(i),
                    TOP + plot_h + 18.0,
                    escape(label)
                );
            }
        }
        for line in &self.lines {
            let (stroke, dash, colour) = line.style.look();
            let mut path = String::new();
            let mut pen_down = false;
            for (i, value) in line.values.iter().enumerate() {
                match value {
                    Some(v) => {
                        let _ = write!(path, "{}{:.1},{:.1} ", if pen_down { "L" } else { "M" }, x(i), y(*v));
                        pen_down = true;
                    }
                    None => pen_down = false,
                }
            }
            if !path.is_empty() {
                let _ = write!(
                    svg,
                    r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="{stroke}"{dash}/>"#,
                    path.trim_end()
                );
            }
            for (i, value) in line.values.iter().enumerate() {
                if let Some(v) = value {
                    let (cx, cy) = (x(i), y(*v));
                    match line.style {
                        LineStyle::Primary => {
                            let _ = write!(svg, r#"<circle cx="{cx:.1}" cy="{cy:.1}" r="3" fill="{colour}"/>"#);
                        }
                        LineStyle::Comparison => {
                            let _ = write!(
                                svg,
                                r#"<rect x="{:.1}" y="{:.1}" width="6" height="6" fill="{colour}"/>"#,
                                cx - 3.0,
                                cy - 3.0
                            );
                        }
                        LineStyle::Verdict => {
                            // One diamond, at the end of the periods the value covers.
                            if line.values.get(i + 1).is_none_or(Option::is_none) {
                                let _ = write!(
                                    svg,
                                    r##"<path d="M{cx:.1},{:.1} l6,6 l-6,6 l-6,-6 z" fill="{colour}" stroke="#ffffff" stroke-width="1"/>"##,
                                    cy - 6.0
                                );
                            }
                        }
                        LineStyle::Comparable | LineStyle::Baseline | LineStyle::Target => {}
                    }
                }
            }
        }
        self.legend(&mut svg);
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chart(values: Vec<Option<f64>>) -> Chart {
        Chart {
            title: "Andel på offentlig forsørgelse".into(),
            x_labels: (1..=values.len()).map(|i| format!("2021K{i}")).collect(),
            lines: vec![
                Line { label: "Rødovre".into(), values: values.clone(), style: LineStyle::Primary },
                Line { label: "Hele landet".into(), values, style: LineStyle::Comparison },
            ],
            percent: true,
            decimals: 1,
            numbers: Numbers::DANISH,
        }
    }

    #[test]
    fn tick_labels_use_danish_decimals_and_a_percent_sign() {
        let svg = chart(vec![Some(2.5), Some(17.26)]).svg("c");
        assert!(svg.contains(">20,0 %<"), "{svg}");
        assert!(svg.contains(">0,0 %<"));
        assert!(svg.contains("Rødovre: 17,3 % (2021K2)"), "{svg}");
    }

    #[test]
    fn english_numbers_use_a_decimal_point() {
        let mut c = chart(vec![Some(2.5), Some(17.26)]);
        c.numbers = Numbers::ENGLISH;
        let svg = c.svg("c");
        assert!(svg.contains(">20.0 %<") && svg.contains("Rødovre: 17.3 % (2021K2)"), "{svg}");
    }

    #[test]
    fn a_missing_value_breaks_the_line() {
        let svg = chart(vec![Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)]).svg("c");
        let primary = svg.split("<path d=\"").nth(1).unwrap().split('"').next().unwrap();
        assert_eq!(primary.matches('M').count(), 2, "{primary}");
        assert_eq!(svg.matches("<circle").count(), 4);
    }

    #[test]
    fn the_newest_period_is_always_labelled_and_labels_do_not_crowd() {
        let c = chart((0..20).map(|i| Some(f64::from(i))).collect());
        let svg = c.svg("c");
        assert!(svg.contains(r##"text-anchor="end" font-size="12" fill="#1b1f24">2021K20<"##), "{svg}");
        let labels = c.x_labels.iter().filter(|l| svg.contains(&format!(">{l}<"))).count();
        assert!((2..=8).contains(&labels), "{labels} labels");
    }

    #[test]
    fn legend_items_leave_room_for_their_labels() {
        let mut c = chart(vec![Some(1.0), Some(2.0)]);
        c.lines[0].label = "Ringkøbing-Skjern Kommune".into();
        let svg = c.svg("c");
        let starts: Vec<f64> = svg
            .split(r#"<line x1=""#)
            .skip(1)
            .filter(|item| item.split("/>").next().unwrap().contains(r#"stroke-width="3""#))
            .map(|item| item.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert_eq!(starts.len(), 2, "{svg}");
        // Measured in Chromium: about 8.7 units per character at font size 12.
        let first_label_end = starts[0] + 34.0 + 8.7 * 25.0;
        // Either beside the first label, or at the start of a second row.
        assert!(starts[1] > first_label_end || (starts[1] - LEFT).abs() < 0.05, "{starts:?}");
    }

    #[test]
    fn text_is_escaped() {
        let mut c = chart(vec![Some(1.0)]);
        c.title = "A < B & \"C\"".into();
        assert!(c.svg("c").contains("<title id=\"c-title\">A &lt; B &amp; &quot;C&quot;</title>"));
    }

    #[test]
    fn an_empty_chart_still_renders() {
        let svg = chart(vec![None, None]).svg("c");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("<path"));
    }

    #[test]
    fn an_axis_far_from_zero_starts_near_the_data_and_shows_a_break() {
        // 12,0 % against a baseline of 12,6 %: from 0 the difference would be a hairline.
        let (ticks, broken) = axis(12.0, 12.6);
        assert!(broken);
        assert!(ticks[0] > 10.0 && ticks[0] <= 12.0 && *ticks.last().unwrap() >= 12.6, "{ticks:?}");
        let svg = chart(vec![Some(12.0), Some(12.6)]).svg("c");
        assert_eq!(svg.matches(r#"class="axis-break""#).count(), 1, "{svg}");
        assert!(!svg.contains(">0,0 %<"), "{svg}");
        // The two values lie far apart on the chart: more than a third of the plot's height.
        let ys: Vec<f64> =
            svg.split(r#"<circle cx=""#).skip(1).map(|c| c.split('"').nth(2).unwrap().parse().unwrap()).collect();
        assert!((ys[0] - ys[1]).abs() > (HEIGHT - TOP - BOTTOM) / 3.0, "{ys:?}");
    }

    #[test]
    fn an_axis_near_zero_includes_it_and_draws_the_zero_line() {
        let (ticks, broken) = axis(1.0, 5.0);
        assert!(!broken);
        assert!(ticks[0].abs() < f64::EPSILON, "{ticks:?}");
        let svg = chart(vec![Some(1.0), Some(5.0)]).svg("c");
        assert!(!svg.contains("axis-break"));
        assert!(svg.contains(r##"stroke="#1b1f24" stroke-width="1.5""##), "the zero line stands out: {svg}");
    }

    #[test]
    fn the_value_judged_gets_one_diamond_and_its_label_in_the_legend() {
        let mut c = chart(vec![Some(12.4), Some(12.2), Some(12.0), Some(11.9)]);
        c.lines.push(Line {
            label: "2022, hele året: 12,1 %".into(),
            values: vec![Some(12.1); 4],
            style: LineStyle::Verdict,
        });
        let svg = c.svg("c");
        // One diamond on the chart, one in the legend.
        assert_eq!(svg.matches(" l6,6 l-6,6 l-6,-6 z").count(), 2, "{svg}");
        assert!(svg.contains(">2022, hele året: 12,1 %<"));
        assert!(c.description().contains("2022, hele året: 12,1 %"));
        let (_, rows) = c.table();
        assert_eq!(rows.len(), 2, "the mark is not a row of the value table");
    }

    proptest! {
        #[test]
        fn the_axis_covers_the_data_and_breaks_only_far_from_zero(a in 0.0f64..1.0e5, b in 0.0f64..1.0e5) {
            let (min, max) = (a.min(b), a.max(b));
            let (t, broken) = axis(min, max);
            prop_assert!(t[0] <= min && *t.last().unwrap() >= max, "{t:?} for {min}..{max}");
            prop_assert!(t[0] >= 0.0);
            prop_assert_eq!(broken, t[0] > 0.0);
            if broken {
                prop_assert!(min > max - min, "broken although zero is within one spread: {min}..{max}");
            }
        }

        #[test]
        fn ticks_cover_the_data_with_round_steps(a in 0.0f64..1.0e6, b in 0.0f64..1.0e6) {
            let (min, max) = (a.min(b), a.max(b));
            let t = ticks(min, max);
            prop_assert!(t.len() >= 2 && t.len() <= 7, "{t:?}");
            prop_assert!(t[0] <= min && *t.last().unwrap() >= max, "{t:?} for {min}..{max}");
            let step = t[1] - t[0];
            prop_assert!(t.windows(2).all(|w| ((w[1] - w[0]) - step).abs() < step * 1e-9));
        }

        #[test]
        fn every_point_lies_inside_the_plot(values in proptest::collection::vec(proptest::option::of(0.0f64..500.0), 1..40)) {
            let svg = chart(values).svg("c");
            for circle in svg.split(r#"<circle cx=""#).skip(1) {
                let mut numbers = circle.split('"').step_by(2).take(2).map(|n| n.parse::<f64>().unwrap());
                let (cx, cy) = (numbers.next().unwrap(), numbers.next().unwrap());
                prop_assert!((LEFT..=WIDTH - RIGHT).contains(&cx), "{cx}");
                prop_assert!((TOP - 0.1..=HEIGHT - BOTTOM + 0.1).contains(&cy), "{cy}");
            }
        }
    }
}
