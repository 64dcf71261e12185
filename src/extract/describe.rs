//! Candidates as text for a person at a terminal: one block each (`hindsight extract --format
//! text`).

use std::fmt::Write as _;

use super::{Attribution, Candidate, SpeakerKind};

/// One readable block a candidate, numbered, with a blank line between blocks.
pub fn describe(candidates: &[Candidate]) -> String {
    let mut out = String::new();
    if candidates.is_empty() {
        out.push_str("No predictions found.\n");
    }
    for (n, c) in candidates.iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}. {} ({})", n + 1, who(c), how(c));
        let role: Vec<&str> = [c.title.as_deref(), c.affiliation.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !role.is_empty() {
            let _ = writeln!(out, "   {}", role.join(", "));
        }
        if let Some(slug) = &c.expert {
            let _ = writeln!(out, "   expert on record: {slug}");
        }
        if !c.expert_alternatives.is_empty() {
            let _ = writeln!(out, "   may be: {}", c.expert_alternatives.join(", "));
        }
        let _ = writeln!(out, "   “{}” [bytes {}–{}]", c.quote, c.start, c.end);
        if let Some(p) = c.probability {
            let _ = writeln!(out, "   p = {:.0}%: {}", p * 100.0, c.probability_reason);
        }
        let _ = writeln!(out, "   proposition: {}", c.proposition.statement);
        if !c.proposition.alternatives.is_empty() {
            let _ = writeln!(
                out,
                "   existing: {}",
                c.proposition.alternatives.join(", ")
            );
        }
    }
    out
}

fn who(c: &Candidate) -> String {
    match (&c.speaker, c.speaker_kind) {
        (Some(name), _) => name.clone(),
        (None, SpeakerKind::Unattributed) => "the article's own voice".to_string(),
        (None, _) => "an unnamed speaker".to_string(),
    }
}

fn how(c: &Candidate) -> &'static str {
    let kind = match c.speaker_kind {
        SpeakerKind::Person => "person",
        SpeakerKind::Group => "group",
        SpeakerKind::Collective => "described, not named",
        SpeakerKind::Unattributed => "unattributed",
    };
    match (c.attribution, kind) {
        (Attribution::Direct, "person") => "person, quoted",
        (Attribution::Direct, "group") => "group, quoted",
        (Attribution::Direct, _) => "quoted",
        (Attribution::Reported, "person") => "person, reported speech",
        (Attribution::Reported, "group") => "group, reported speech",
        (Attribution::Reported, _) => "described, not named; reported speech",
        (Attribution::AccordingTo, "person") => "person, according to",
        (Attribution::AccordingTo, _) => "according to",
        (Attribution::Unattributed, _) => "the writer's voice",
    }
}

#[cfg(test)]
mod tests {
    use super::super::hedges::tests::scales;
    use super::*;

    #[test]
    fn a_block_each_with_quote_probability_and_statement() {
        let text =
            "\"Rates will probably fall in June,\" said Maria Lopez, an economist at Dunmore Bank.";
        let found = super::super::extract(text, &scales());
        let shown = describe(&found);
        assert!(
            shown.starts_with("1. Maria Lopez (person, quoted)\n"),
            "{shown}"
        );
        assert!(shown.contains("economist, Dunmore Bank"));
        assert!(shown.contains("“Rates will probably fall in June”"));
        assert!(
            shown.contains("p = 68%: 'will probably' read as the icd-203 term 'probable': 0.675"),
            "{shown}"
        );
        assert!(shown.contains("proposition: Rates fall in June."));
        assert_eq!(describe(&[]), "No predictions found.\n");
    }
}
