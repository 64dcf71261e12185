//! Reading an element's paragraphs, skipping what is not the article's text.

use std::collections::HashSet;
use std::sync::LazyLock;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::node::Element;
use scraper::{ElementRef, Node};

use super::MIN_ARTICLE_CHARS;

/// Elements never part of an article's text (`h1` is its title, read separately).
const EXCLUDED_TAGS: &str = "nav header footer aside script style noscript template svg math \
    figure figcaption picture img video audio iframe object embed canvas form button input \
    select textarea label menu dialog head title h1";

/// ARIA roles of what is not an article's text.
const EXCLUDED_ROLES: &str = "navigation banner contentinfo complementary search dialog \
    alertdialog menu menubar toolbar";

/// Words in a class or id that name a widget, not text: matched against whole words of the
/// class or id (split at hyphens, underscores and lower-to-upper case changes), so "ad-slot"
/// and "shareBar" are skipped while "header-image", "shadow" and "read-more" are not.
const WIDGET_WORDS: &str = "ad ads adslot adsbygoogle advert adverts advertisement \
    advertisements advertising dfp promo promos promoted promotion promotions sponsor sponsors \
    sponsored related share shares sharing sharebar social socials newsletter newsletters cookie \
    cookies consent gdpr subscribe subscription subscriptions paywall comment comments disqus \
    caption captions credit credits outbrain taboola popup breadcrumb breadcrumbs sidebar navbar \
    recommended recirculation trending";

/// Elements whose start and end break a paragraph.
const BLOCK_TAGS: &str = "address article blockquote center dd details div dl dt fieldset h2 h3 \
    h4 h5 h6 hr li main ol p pre section summary table tbody td tfoot th thead tr ul";

/// Elements holding a paragraph of text.
const PARAGRAPH_TAGS: &str = "p li blockquote pre dd dt";

const HEADING_TAGS: &str = "h2 h3 h4 h5 h6";

/// Whole paragraphs that are boilerplate, not text, one a line.
const BOILERPLATE: &str = "advertisement
    advertisement - scroll to continue
    advert
    ad
    sponsored
    sponsored content
    read more
    continue reading
    share
    share this article";

type Words = HashSet<&'static str>;

fn words(list: &'static str) -> Words {
    list.split_whitespace().collect()
}

static EXCLUDED: LazyLock<Words> = LazyLock::new(|| words(EXCLUDED_TAGS));
static ROLES: LazyLock<Words> = LazyLock::new(|| words(EXCLUDED_ROLES));
static WIDGETS: LazyLock<Words> = LazyLock::new(|| words(WIDGET_WORDS));
static BLOCKS: LazyLock<Words> = LazyLock::new(|| words(BLOCK_TAGS));
static PARAGRAPHS: LazyLock<Words> = LazyLock::new(|| words(PARAGRAPH_TAGS));
static HEADINGS: LazyLock<Words> = LazyLock::new(|| words(HEADING_TAGS));
static BOILERPLATES: LazyLock<Words> =
    LazyLock::new(|| BOILERPLATE.lines().map(str::trim).collect());

/// Whether an element, with all it holds, is not the article's text.
pub(super) fn is_excluded(element: &Element) -> bool {
    let attr = |name: &str| element.attr(name).map(str::trim);
    EXCLUDED.contains(element.name())
        || attr("hidden").is_some()
        || attr("aria-hidden").is_some_and(|value| value.eq_ignore_ascii_case("true"))
        || attr("role").is_some_and(|role| ROLES.contains(role.to_ascii_lowercase().as_str()))
        || attr("style").is_some_and(hides)
        || element.classes().chain(element.id()).any(names_widget)
}

/// Whether an ancestor of a candidate article excludes it (the page's `<html>` and `<body>`,
/// whose classes describe the whole site, do not).
pub(super) fn is_excluded_ancestor(node: NodeRef<Node>) -> bool {
    match node.value() {
        Node::Element(element) => {
            !matches!(element.name(), "html" | "body") && is_excluded(element)
        }
        _ => false,
    }
}

fn hides(style: &str) -> bool {
    let style: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    style.contains("display:none") || style.contains("visibility:hidden")
}

/// Whether a class or id names a widget: one of its words is in [`WIDGET_WORDS`].
pub(super) fn names_widget(name: &str) -> bool {
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars().chain(std::iter::once('-')) {
        let boundary = !c.is_alphanumeric() || (previous_lower && c.is_uppercase());
        if boundary && !word.is_empty() {
            if WIDGETS.contains(word.as_str()) {
                return true;
            }
            word.clear();
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    false
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Paragraph,
    Heading,
    /// Text outside any paragraph element (a `<br>`-separated page, a byline's `<div>`).
    Loose,
}

struct Block {
    kind: Kind,
    text: String,
    link_chars: usize,
}

/// Collects the blocks of text under an element.
#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    text: String,
    link_chars: usize,
    space_pending: bool,
    breaks: usize,
    paragraph_depth: usize,
    heading_depth: usize,
    link_depth: usize,
}

impl Walker {
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.space_pending = true;
                continue;
            }
            if self.space_pending && !self.text.is_empty() && !self.text.ends_with('\n') {
                self.text.push(' ');
            }
            self.space_pending = false;
            self.breaks = 0;
            self.text.push(c);
            if self.link_depth > 0 {
                self.link_chars += 1;
            }
        }
    }

    fn line_break(&mut self) {
        self.breaks += 1;
        self.space_pending = false;
        if self.breaks >= 2 {
            self.flush();
        } else if !self.text.is_empty() {
            self.text.push('\n');
        }
    }

    fn flush(&mut self) {
        let text = self.text.trim();
        if !text.is_empty() {
            let kind = if self.heading_depth > 0 {
                Kind::Heading
            } else if self.paragraph_depth > 0 {
                Kind::Paragraph
            } else {
                Kind::Loose
            };
            let text = text.to_string();
            self.blocks.push(Block {
                kind,
                text,
                link_chars: self.link_chars,
            });
        }
        self.text.clear();
        self.link_chars = 0;
        self.space_pending = false;
    }

    fn open(&mut self, name: &str) {
        if name == "br" {
            return self.line_break();
        }
        if BLOCKS.contains(name) {
            self.flush();
            self.breaks = 0;
        }
        self.paragraph_depth += usize::from(PARAGRAPHS.contains(name));
        self.heading_depth += usize::from(HEADINGS.contains(name));
        self.link_depth += usize::from(name == "a");
    }

    fn close(&mut self, name: &str) {
        if BLOCKS.contains(name) {
            self.flush();
            self.breaks = 0;
        }
        let less =
            |depth: usize, tags: &Words| depth.saturating_sub(usize::from(tags.contains(name)));
        self.paragraph_depth = less(self.paragraph_depth, &PARAGRAPHS);
        self.heading_depth = less(self.heading_depth, &HEADINGS);
        self.link_depth = self.link_depth.saturating_sub(usize::from(name == "a"));
    }
}

/// The paragraphs under `root`, separated by blank lines, without what [`is_excluded`] skips,
/// paragraphs that are mostly links, and headings no paragraph follows; `None` when they hold
/// less than [`MIN_ARTICLE_CHARS`]. Text outside paragraph elements counts only on a page that
/// has too little inside them (one that separates its paragraphs with `<br>`).
pub(super) fn paragraphs(root: ElementRef) -> Option<String> {
    let mut walker = Walker::default();
    let mut skip: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if skip.is_none() => match node.value() {
                Node::Element(element) if node != *root && is_excluded(element) => {
                    skip = Some(node.id())
                }
                Node::Element(element) => walker.open(element.name()),
                Node::Text(text) => walker.push_text(text),
                _ => {}
            },
            Edge::Close(node) if skip == Some(node.id()) => skip = None,
            Edge::Close(node) if skip.is_none() => {
                if let Node::Element(element) = node.value() {
                    walker.close(element.name());
                }
            }
            _ => {}
        }
    }
    walker.flush();
    let blocks = kept_blocks(walker.blocks);
    let total: usize = blocks.iter().map(|block| block.text.chars().count()).sum();
    (total >= MIN_ARTICLE_CHARS).then(|| {
        blocks
            .iter()
            .map(|block| block.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    })
}

/// The blocks that are text: not mostly links, not boilerplate, loose text only when the
/// paragraphs alone are too short, headings only before a paragraph.
fn kept_blocks(blocks: Vec<Block>) -> Vec<Block> {
    let blocks: Vec<Block> = blocks
        .into_iter()
        .filter(|block| block.link_chars * 2 <= block.text.chars().count())
        .filter(|block| !BOILERPLATES.contains(block.text.to_lowercase().as_str()))
        .collect();
    let in_paragraphs: usize = blocks
        .iter()
        .filter(|block| block.kind == Kind::Paragraph)
        .map(|block| block.text.chars().count())
        .sum();
    let loose_kept = in_paragraphs < MIN_ARTICLE_CHARS;
    let kept: Vec<Block> = blocks
        .into_iter()
        .filter(|block| loose_kept || block.kind != Kind::Loose)
        .collect();
    let followed: Vec<bool> = (0..kept.len())
        .map(|index| {
            kept.get(index + 1)
                .is_some_and(|next| next.kind != Kind::Heading)
        })
        .collect();
    kept.into_iter()
        .zip(followed)
        .filter(|(block, followed)| block.kind != Kind::Heading || *followed)
        .map(|(block, _)| block)
        .collect()
}
