//! The main text of an article's HTML page, without navigation, captions and advertising.
//!
//! The article is the page's `[itemprop=articleBody]`, `<article>` or `<main>` when one holds
//! enough text, else the element whose direct paragraphs hold the most text that is not links
//! (a readability-style score). Inside it, navigation, headers and footers, asides, scripts,
//! figures and their captions, forms, buttons and widgets whose class or id names them
//! (advertising, sharing, related links, newsletters, cookie banners, comments) are skipped, as
//! are paragraphs that are mostly links.

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node, Selector};

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests;
mod walk;

use walk::{is_excluded, is_excluded_ancestor, paragraphs};

/// An article read out of HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    /// Paragraphs separated by blank lines.
    pub text: String,
}

/// The least paragraph text, in characters, that makes a page an article.
pub const MIN_ARTICLE_CHARS: usize = 200;

/// At most this many elements of each preferred kind are tried as the article.
const MAX_CANDIDATES: usize = 50;

/// The deepest nesting of elements read. Real pages nest a few dozen deep; the HTML parser's
/// time grows with the square of the depth, so a page nested deeper (a megabyte of `<div>`s)
/// is refused rather than parsed for minutes.
pub const MAX_NESTING: usize = 512;

/// Elements that never nest or whose end tag is implied by what follows them.
const UNCOUNTED: &str = "area base br col embed hr img input link meta source track wbr param \
    keygen p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rt rp html head \
    body";

/// Elements whose content is text, not markup.
const RAW_TEXT: &str = "script style textarea title xmp noembed noframes";

fn listed(list: &str, name: &str) -> bool {
    list.split_whitespace().any(|listed| listed == name)
}

/// Reads the article's main text out of an HTML page; `None` when the page holds no article
/// text (only navigation, or nothing at all), or nests elements deeper than [`MAX_NESTING`].
pub fn article_text(html: &str) -> Option<HtmlArticle> {
    if nesting_depth(html) > MAX_NESTING {
        return None;
    }
    let document = Html::parse_document(html);
    let text = preferred_text(&document).or_else(|| best_scored_text(&document))?;
    Some(HtmlArticle {
        title: title(&document),
        text,
    })
}

fn select<'a>(document: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    match Selector::parse(css) {
        Ok(selector) => document.select(&selector).take(MAX_CANDIDATES).collect(),
        Err(_) => Vec::new(),
    }
}

/// The text of the page's `[itemprop=articleBody]`, `<article>` or `<main>`, most specific
/// first, when one holds an article's worth of paragraphs.
fn preferred_text(document: &Html) -> Option<String> {
    ["[itemprop~=articleBody]", "article", "main, [role=main]"]
        .iter()
        .find_map(|css| {
            select(document, css)
                .into_iter()
                .filter(|element| !element.ancestors().any(is_excluded_ancestor))
                .filter_map(paragraphs)
                .max_by_key(|text| text.chars().count())
        })
}

/// The text of the element whose direct paragraphs (or text outside paragraphs) hold the most
/// text outside links, less the text in links (a grandparent earns 0.6 of it, so an article
/// split into several blocks is read whole).
fn best_scored_text(document: &Html) -> Option<String> {
    let mut scores: HashMap<NodeId, i64> = HashMap::new();
    let mut skip: Option<NodeId> = None;
    let mut open_paragraph: Option<(NodeRef<Node>, i64)> = None;
    let mut link_depth = 0usize;
    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) if skip.is_none() => match node.value() {
                Node::Element(element) if is_excluded(element) => skip = Some(node.id()),
                Node::Element(element) if element.name() == "p" => open_paragraph = Some((node, 0)),
                Node::Element(element) if element.name() == "a" => link_depth += 1,
                Node::Text(text) => {
                    let length = text.trim().chars().count() as i64;
                    let length = if link_depth > 0 { -length } else { length };
                    match open_paragraph.as_mut() {
                        Some((_, score)) => *score += length,
                        None => credit(&mut scores, node, length),
                    }
                }
                _ => {}
            },
            Edge::Close(node) if skip == Some(node.id()) => skip = None,
            Edge::Close(node) if skip.is_none() => match node.value() {
                Node::Element(element) if element.name() == "a" => {
                    link_depth = link_depth.saturating_sub(1);
                }
                Node::Element(element) if element.name() == "p" => {
                    if let Some((paragraph, score)) = open_paragraph.take() {
                        credit(&mut scores, paragraph, score);
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    let mut ranked: Vec<(NodeId, i64)> =
        scores.into_iter().filter(|(_, score)| *score > 0).collect();
    ranked.sort_by_key(|(id, score)| (std::cmp::Reverse(*score), *id));
    ranked
        .into_iter()
        .take(MAX_CANDIDATES)
        .filter_map(|(id, _)| ElementRef::wrap(document.tree.get(id)?))
        .find_map(paragraphs)
}

/// A paragraph's (or loose text's) score counts fully for its parent and 0.6 for its
/// grandparent.
fn credit(scores: &mut HashMap<NodeId, i64>, paragraph: NodeRef<Node>, score: i64) {
    let parent = paragraph.parent();
    if let Some(parent) = parent {
        *scores.entry(parent.id()).or_default() += score * 10;
    }
    if let Some(grandparent) = parent.and_then(|parent| parent.parent()) {
        *scores.entry(grandparent.id()).or_default() += score * 6;
    }
}

/// The page's title: `og:title`, else the article's (or the page's) first `<h1>`, else
/// `<title>`.
fn title(document: &Html) -> Option<String> {
    let og = select(
        document,
        r#"meta[property="og:title"], meta[name="og:title"]"#,
    )
    .into_iter()
    .filter_map(|meta| meta.attr("content").map(collapse));
    let h1 = ["article h1", "main h1", "h1", "title"]
        .into_iter()
        .flat_map(|css| select(document, css))
        .map(|element| collapse(&element.text().collect::<String>()));
    og.chain(h1).find(|title| !title.is_empty())
}

/// `text` with each run of whitespace one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How deep the page's elements nest, read from its tags without parsing it (start tags of
/// elements in [`UNCOUNTED`] and self-closed tags aside; comments and raw text skipped).
fn nesting_depth(html: &str) -> usize {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(rest) = bytes.get(at..) {
        let Some(open) = rest.iter().position(|b| *b == b'<') else {
            break;
        };
        at += open + 1;
        let tag = bytes.get(at..).unwrap_or_default();
        if tag.starts_with(b"!--") {
            at += find(tag, b"-->").map_or(tag.len(), |end| end + 3);
            continue;
        }
        let closing = tag.first() == Some(&b'/');
        let name: Vec<u8> = tag
            .iter()
            .skip(usize::from(closing))
            .take_while(|b| b.is_ascii_alphanumeric())
            .copied()
            .collect();
        let Ok(name) = std::str::from_utf8(&name) else {
            continue;
        };
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let Some(end) = find(tag, b">") else { break };
        let self_closed = end > 0 && tag.get(end - 1) == Some(&b'/');
        at += end;
        if !closing && listed(RAW_TEXT, name) {
            let close = format!("</{name}");
            match bytes.get(at..).and_then(|raw| find(raw, close.as_bytes())) {
                Some(raw_end) => at += raw_end,
                None => break,
            }
        } else if closing && !listed(UNCOUNTED, name) {
            depth = depth.saturating_sub(1);
        } else if !closing && !self_closed && !listed(UNCOUNTED, name) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
