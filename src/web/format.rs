//! How scores read on a page: fixed decimals, a real minus sign, a dash for "nothing yet".

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
