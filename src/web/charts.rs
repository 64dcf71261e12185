//! Server-rendered SVG charts with labelled axes. They are inline in the page, so they work
//! without JavaScript, follow the page's colours (currentColor and CSS variables), and print.

use std::fmt::Write;

use crate::domain::scoring::{Bin, TimePoint};

/// Escapes text for SVG/XML content and attributes.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

const SIZE: f64 = 320.0;
const LEFT: f64 = 52.0;
const BOTTOM: f64 = 44.0;
const TOP: f64 = 14.0;
const RIGHT: f64 = 14.0;

fn x_of(p: f64) -> f64 {
    LEFT + p * (SIZE - LEFT - RIGHT)
}

fn y_of(v: f64) -> f64 {
    SIZE - BOTTOM - v * (SIZE - BOTTOM - TOP)
}

/// An x tick label is anchored by where it sits, so the first and last stay inside the chart.
fn anchor(v: f64) -> &'static str {
    if v <= 0.05 {
        "start"
    } else if v >= 0.95 {
        "end"
    } else {
        "middle"
    }
}

fn axes(
    svg: &mut String,
    x_label: &str,
    y_label: &str,
    y_ticks: &[(f64, String)],
    x_ticks: &[(f64, String)],
) {
    for (v, label) in y_ticks {
        let y = y_of(*v);
        let _ = write!(
            svg,
            r#"<line class="gridline" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"#,
            SIZE - RIGHT,
            LEFT - 6.0,
            y + 4.0
        );
    }
    for (v, label) in x_ticks {
        let x = x_of(*v);
        let _ = write!(
            svg,
            r#"<line class="axis" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><text class="tick" x="{x:.1}" y="{:.1}" text-anchor="{}">{}</text>"#,
            SIZE - BOTTOM,
            SIZE - BOTTOM + 4.0,
            SIZE - BOTTOM + 16.0,
            anchor(*v),
            xml_escape(label)
        );
    }
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{b:.1}" x2="{r:.1}" y2="{b:.1}"/><line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b:.1}"/><text class="label" x="{cx:.1}" y="{ly:.1}" text-anchor="middle">{x_label}</text><text class="label" transform="translate(14 {cy:.1}) rotate(-90)" text-anchor="middle">{y_label}</text>"#,
        b = SIZE - BOTTOM,
        r = SIZE - RIGHT,
        cx = (LEFT + SIZE - RIGHT) / 2.0,
        ly = SIZE - 8.0,
        cy = (TOP + SIZE - BOTTOM) / 2.0,
    );
}

fn percent_ticks() -> Vec<(f64, String)> {
    (0..=5)
        .map(|i| (f64::from(i) / 5.0, format!("{}%", i * 20)))
        .collect()
}

/// The opening of a chart's SVG, up to its title and the description a screen reader reads
/// instead of the drawing: its `lines`, one a point.
fn chart_start(id: &str, title: &str, lines: impl Iterator<Item = String>) -> String {
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">"#
    );
    svg.push_str(&xml_escape(&lines.collect::<Vec<_>>().join("; ")));
    svg.push_str("</desc>");
    svg
}

/// Forecast probability against how often it came true, per bin, with the 95% interval of each
/// bin's frequency and the diagonal of perfect calibration.
pub fn calibration(bins: &[Bin], id: &str) -> String {
    let description = bins
        .iter()
        .map(|b| format!("{} forecast(s) between {:.0}% and {:.0}%, averaging {:.0}%, came true {:.0}% of the time", b.count, b.low * 100.0, b.high * 100.0, b.mean_probability * 100.0, b.observed * 100.0));
    let mut svg = chart_start(id, "Calibration", description);
    let ticks = percent_ticks();
    axes(
        &mut svg,
        "Probability given",
        "Share that came true",
        &ticks,
        &ticks,
    );
    // The label sits under the diagonal's lower half, where few points fall.
    let _ = write!(
        svg,
        r#"<line class="diagonal" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><text class="note" transform="translate({:.1} {:.1}) rotate(-45)" text-anchor="middle">perfect calibration</text>"#,
        x_of(0.0),
        y_of(0.0),
        x_of(1.0),
        y_of(1.0),
        x_of(0.3),
        y_of(0.25)
    );
    for bin in bins {
        let x = x_of(bin.mean_probability);
        let radius = 3.0 + f64::from(bin.count).sqrt() * 2.0;
        let _ = write!(
            svg,
            r#"<line class="interval" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}"/><circle class="point" cx="{x:.1}" cy="{:.1}" r="{radius:.1}"/><text class="count" x="{:.1}" y="{:.1}">n={}</text>"#,
            y_of(bin.observed_low),
            y_of(bin.observed_high),
            y_of(bin.observed),
            x + radius + 3.0,
            y_of(bin.observed) + 4.0,
            bin.count
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The cumulative Brier score after each day on which one of the expert's outcomes was recorded,
/// with the coin-flip line at 0.25.
pub fn over_time(points: &[TimePoint], id: &str) -> String {
    let description = points
        .iter()
        .map(|p| format!("{}: {:.3} over {} scored", p.date, p.brier, p.scored));
    let mut svg = chart_start(id, "Brier score over time", description);
    let y_ticks = [0.0, 0.25, 0.5, 0.75, 1.0].map(|v: f64| (v, v.to_string()));
    let last = points.len().saturating_sub(1).max(1) as f64;
    let position = |i: usize| {
        if points.len() == 1 {
            0.5
        } else {
            i as f64 / last
        }
    };
    let mut x_ticks = Vec::new();
    if let Some(first) = points.first() {
        x_ticks.push((position(0), first.date.clone()));
    }
    if points.len() > 1
        && let Some(end) = points.last()
    {
        x_ticks.push((1.0, end.date.clone()));
    }
    axes(
        &mut svg,
        "Outcome recorded",
        "Brier score (lower is better)",
        &y_ticks,
        &x_ticks,
    );
    let _ = write!(
        svg,
        r#"<line class="diagonal" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="note" x="{:.1}" y="{:.1}" text-anchor="end">coin flip</text>"#,
        SIZE - RIGHT,
        SIZE - RIGHT - 2.0,
        y_of(0.25) - 4.0,
        y = y_of(0.25)
    );
    let path: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x_of(position(i)), y_of(p.brier)))
        .collect();
    if points.len() > 1 {
        let _ = write!(
            svg,
            r#"<polyline class="line" points="{}"/>"#,
            path.join(" ")
        );
    }
    for (i, point) in points.iter().enumerate() {
        let (x, y) = (x_of(position(i)), y_of(point.brier));
        let _ = write!(
            svg,
            r#"<circle class="point" cx="{x:.1}" cy="{y:.1}" r="4"/><text class="count" x="{x:.1}" y="{:.1}" text-anchor="middle">n={}</text>"#,
            y - 8.0,
            point.scored
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            xml_escape("<a & \"b\">'"),
            "&lt;a &amp; &quot;b&quot;&gt;&#39;"
        );
    }

    #[test]
    fn calibration_chart_labels_its_axes_and_counts() {
        let bin = Bin {
            low: 0.1,
            high: 0.2,
            count: 3,
            mean_probability: 0.15,
            observed: 1.0 / 3.0,
            observed_low: 0.06,
            observed_high: 0.79,
        };
        let svg = calibration(&[bin], "c");
        assert!(svg.contains("Probability given") && svg.contains("Share that came true"));
        assert!(svg.contains("n=3") && svg.contains("perfect calibration"));
        assert_eq!(svg.matches("<circle").count(), 1);
    }

    #[test]
    fn over_time_chart_handles_one_point() {
        let svg = over_time(
            &[TimePoint {
                date: "2024-06-20".into(),
                brier: 0.3,
                scored: 2,
            }],
            "t",
        );
        assert!(svg.contains("2024-06-20") && svg.contains("n=2") && !svg.contains("polyline"));
    }
}
