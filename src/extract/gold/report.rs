//! The scores as a table for a terminal (`hindsight extract-score`).

use std::fmt::Write as _;

use super::Score;

/// The scores as a table for a terminal.
pub fn report(each: &[(String, Score)], total: &Score) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<28} {:>5} {:>5} {:>7} {:>7} {:>9} {:>8} {:>8} {:>6}",
        "article", "rows", "cands", "recall", "rec.att", "precision", "speaker", "p±0.15", "non-f"
    );
    let line = |out: &mut String, name: &str, s: &Score| {
        let _ = writeln!(
            out,
            "{:<28} {:>5} {:>5} {:>7.2} {:>7.2} {:>9.2} {:>8.2} {:>8.2} {:>6}",
            name,
            s.rows,
            s.candidates,
            s.recall(),
            s.recall_attributed(),
            s.precision(),
            s.speaker_share(),
            s.probability_share(),
            s.not_forecasts_proposed
        );
    };
    for (name, s) in each {
        line(&mut out, name, s);
    }
    line(&mut out, "all", total);
    let _ = writeln!(
        out,
        "matched {} of {} rows ({} of {} attributed), {} of {} candidates; speaker right {}, p within 0.15 {}",
        total.matched,
        total.rows,
        total.matched_attributed,
        total.attributed_rows,
        total.matched,
        total.candidates,
        total.speaker_right,
        total.probability_within
    );
    out
}
