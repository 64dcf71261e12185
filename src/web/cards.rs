//! The images a scorecard is shared with: a 1200×630 link-preview card (PNG, drawn as SVG and
//! rasterised by resvg with fonts shipped in the binary, so it looks the same on any server) and
//! a small badge (SVG) to embed.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::charts::xml_escape;

const FONT_REGULAR: &[u8] = include_bytes!("../../static/fonts/DejaVuSans.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../static/fonts/DejaVuSans-Bold.ttf");

pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;

/// What a card or badge says about an expert.
pub struct CardFacts {
    pub name: String,
    pub affiliation: String,
    /// "62%", or "–" with no right-or-wrong calls yet.
    pub hit_rate: String,
    /// "5 of 8 right"
    pub hits: String,
    /// "0.214", or "–"
    pub brier: String,
    /// Right-or-wrong calls: what the hit rate is out of.
    pub calls: u32,
    /// Predictions on propositions decided true or false, no-calls (exactly 50%) included: what
    /// the Brier score is over.
    pub scored: u32,
    /// "as of 20 June 2024, 23:59 UTC", or "live"
    pub moment: String,
}

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(FONT_REGULAR.to_vec());
            db.load_font_data(FONT_BOLD.to_vec());
            Arc::new(db)
        })
        .clone()
}

/// Shortens text to at most `max` characters, with an ellipsis.
fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max.saturating_sub(1)).collect();
    short.push('\u{2026}');
    short
}

pub fn card_svg(facts: &CardFacts) -> String {
    let name = xml_escape(&fit(&facts.name, 34));
    let affiliation = xml_escape(&fit(&facts.affiliation, 60));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}" font-family="DejaVu Sans">
<rect width="1200" height="630" fill="#fdfcf9"/>
<rect x="0" y="0" width="1200" height="14" fill="#1b1b1b"/>
<text x="72" y="100" font-size="30" font-weight="bold" fill="#1b1b1b">Hindsight</text>
<text x="1128" y="100" font-size="26" fill="#555555" text-anchor="end">{moment}</text>
<text x="72" y="210" font-size="64" font-weight="bold" fill="#1b1b1b">{name}</text>
<text x="72" y="262" font-size="30" fill="#555555">{affiliation}</text>
<line x1="72" y1="318" x2="1128" y2="318" stroke="#d9d5ca" stroke-width="2"/>
<text x="72" y="378" font-size="26" fill="#555555">HIT RATE</text>
<text x="72" y="478" font-size="96" font-weight="bold" fill="#0072b2">{hit_rate}</text>
<text x="72" y="530" font-size="28" fill="#1b1b1b">{hits}</text>
<text x="560" y="378" font-size="26" fill="#555555">BRIER SCORE</text>
<text x="560" y="478" font-size="96" font-weight="bold" fill="#1b1b1b">{brier}</text>
<text x="560" y="530" font-size="28" fill="#1b1b1b">0 is perfect, 0.25 a coin flip</text>
<text x="72" y="596" font-size="24" fill="#555555">{scored} scored prediction{plural}{no_calls} · who was right, from what experts told reporters</text>
</svg>"##,
        moment = xml_escape(&facts.moment),
        hit_rate = xml_escape(&facts.hit_rate),
        hits = xml_escape(&facts.hits),
        brier = xml_escape(&facts.brier),
        scored = facts.scored,
        plural = if facts.scored == 1 { "" } else { "s" },
        no_calls = match facts.scored.saturating_sub(facts.calls) {
            0 => String::new(),
            n => format!(", {n} at 50% (no call)"),
        },
    )
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the card's SVG did not parse: {0}")]
    Parse(#[from] usvg::Error),
    #[error("could not allocate the image")]
    Pixmap,
    #[error("could not encode the PNG: {0}")]
    Encode(String),
}

pub fn render_png(svg: &str) -> Result<Vec<u8>, RenderError> {
    let options = usvg::Options {
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let mut pixmap = tiny_skia::Pixmap::new(CARD_WIDTH, CARD_HEIGHT).ok_or(RenderError::Pixmap)?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| RenderError::Encode(e.to_string()))
}

/// A shields-style badge: "hindsight | 57% right of 44 calls · 47 scored · Brier 0.214". Each
/// number says what it counts: the hit rate is out of the right-or-wrong calls, the Brier score
/// is over every scored prediction, the no-calls (exactly 50%) included.
pub fn badge_svg(facts: &CardFacts) -> String {
    let left = "hindsight";
    let right = if facts.scored == 0 {
        "no scored predictions".to_string()
    } else {
        let calls = match facts.calls {
            0 => "no right-or-wrong calls".to_string(),
            1 => format!("{} right of 1 call", facts.hit_rate),
            n => format!("{} right of {n} calls", facts.hit_rate),
        };
        format!("{calls} · {} scored · Brier {}", facts.scored, facts.brier)
    };
    // DejaVu Sans at 11px averages about 6.5px a character.
    let width = |text: &str| (text.chars().count() as f64 * 6.5 + 12.0).round();
    let (lw, rw) = (width(left), width(&right));
    let total = lw + rw;
    let label = xml_escape(&format!("{}: {}", facts.name, right));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{label}"><title>{label}</title><rect width="{lw}" height="20" fill="#1b1b1b"/><rect x="{lw}" width="{rw}" height="20" fill="#0072b2"/><g fill="#ffffff" font-family="DejaVu Sans,Verdana,sans-serif" font-size="11"><text x="{lx}" y="14" text-anchor="middle">{left}</text><text x="{rx}" y="14" text-anchor="middle">{right}</text></g></svg>"##,
        lx = lw / 2.0,
        rx = lw + rw / 2.0,
        right = xml_escape(&right),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> CardFacts {
        CardFacts {
            name: "Joh Han-beom & <others>".into(),
            affiliation: "KINU".into(),
            hit_rate: "50%".into(),
            hits: "2 of 4 right".into(),
            brier: "0.334".into(),
            calls: 4,
            scored: 4,
            moment: "live".into(),
        }
    }

    #[test]
    fn the_card_renders_to_a_png_of_the_right_size() {
        let png = render_png(&card_svg(&facts()));
        let png = png.unwrap_or_default();
        assert_eq!(&png[1..4], b"PNG");
        // The IHDR chunk holds width and height as big-endian u32 at bytes 16..24.
        assert_eq!(
            u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
            1200
        );
        assert_eq!(
            u32::from_be_bytes([png[20], png[21], png[22], png[23]]),
            630
        );
    }

    #[test]
    fn names_are_escaped_and_shortened() {
        let svg = card_svg(&facts());
        assert!(svg.contains("Joh Han-beom &amp; &lt;others&gt;"));
        assert_eq!(fit("abcdef", 4), "abc\u{2026}");
    }

    #[test]
    fn the_badge_says_what_each_number_counts() {
        assert!(badge_svg(&facts()).contains("50% right of 4 calls · 4 scored · Brier 0.334"));
        let with_no_calls = CardFacts {
            hit_rate: "57%".into(),
            hits: "25 of 44 right".into(),
            brier: "0.214".into(),
            calls: 44,
            scored: 47,
            ..facts()
        };
        let badge = badge_svg(&with_no_calls);
        assert!(
            badge.contains("57% right of 44 calls · 47 scored · Brier 0.214"),
            "{badge}"
        );
        assert!(!badge.contains("n="), "{badge}");
        assert!(card_svg(&with_no_calls).contains("47 scored predictions, 3 at 50% (no call)"));
        let only_no_calls = CardFacts {
            hit_rate: "\u{2013}".into(),
            calls: 0,
            scored: 2,
            ..facts()
        };
        assert!(badge_svg(&only_no_calls).contains("no right-or-wrong calls · 2 scored"));
        assert!(card_svg(&facts()).contains("4 scored predictions ·"));
    }
}
