//! How records and scores read on a page: fixed decimals, a real minus sign, a dash for "nothing
//! yet", labels for kinds, and quotes as HTML with the searched words marked.

use crate::db::experts::ExpertRow;
use crate::db::predictions::PredictionRow;

/// A Brier or log score to three decimals, or "–".
pub fn score(value: Option<f64>) -> String {
    value
        .map(|v| format!("{v:.3}"))
        .unwrap_or_else(|| "\u{2013}".to_string())
}

/// A relative score with its sign: "+0.202", "−0.024", "0.000", or "–".
pub fn signed(value: Option<f64>) -> String {
    match value {
        None => "\u{2013}".to_string(),
        Some(v) if v.abs() < 0.0005 => "0.000".to_string(),
        Some(v) if v < 0.0 => format!("\u{2212}{:.3}", -v),
        Some(v) => format!("+{v:.3}"),
    }
}

pub fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

// How records read on a page, beside the rows the database gives: kept here so that `db` holds
// no presentation.

impl ExpertRow {
    /// "Person", "Group", "Collective".
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

impl PredictionRow {
    /// The quote as HTML: escaped, with searched words in <mark>.
    pub fn quote_html(&self) -> String {
        let quote = self.quote.as_str();
        let mut html = String::with_capacity(quote.len() + 16);
        let mut at = 0;
        for range in &self.quote_marks {
            let (Some(before), Some(marked)) =
                (quote.get(at..range.start), quote.get(range.clone()))
            else {
                continue;
            };
            push_escaped(&mut html, before);
            html.push_str("<mark>");
            push_escaped(&mut html, marked);
            html.push_str("</mark>");
            at = range.end;
        }
        push_escaped(&mut html, quote.get(at..).unwrap_or_default());
        html
    }
}

fn push_escaped(html: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            _ => html.push(ch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_read_cleanly() {
        assert_eq!(score(Some(0.334_218_75)), "0.334");
        assert_eq!(score(None), "\u{2013}");
        assert_eq!(signed(Some(0.201_875)), "+0.202");
        assert_eq!(signed(Some(-0.023_9)), "\u{2212}0.024");
        assert_eq!(signed(Some(0.0001)), "0.000");
        assert_eq!(percent(0.5), "50%");
    }
}
