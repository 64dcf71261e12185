//! `hindsight extract` and `hindsight extract-score`: the reader from the command line.

use crate::config::{ExtractArgs, ExtractScoreArgs};
use crate::db::Database;

/// An article's text, read and checked as an upload is.
fn read_article(path: &std::path::Path) -> anyhow::Result<String> {
    let bytes =
        std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    crate::extract::input::read(&bytes, &name)
        .map(|article| article.text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// `hindsight extract FILE`: the candidate predictions in an article, as JSON or as text.
pub async fn extract(args: ExtractArgs) -> anyhow::Result<()> {
    let text = read_article(&args.file)?;
    if !matches!(args.format.as_str(), "json" | "text") {
        anyhow::bail!("--format must be json or text, not {}", args.format);
    }
    let db = Database::connect(&args.database.url).await?;
    let candidates = crate::extraction::propose_once(&db, &text).await;
    db.close().await;
    let candidates = candidates?;
    if args.format == "json" {
        // A struct, not `json!`, keeps the fields in the order the API documents them.
        #[derive(serde::Serialize)]
        struct Proposed<'a> {
            candidates: &'a [crate::extract::Candidate],
        }
        let body = Proposed {
            candidates: &candidates,
        };
        println!("{}", serde_json::to_string_pretty(&body)?);
    } else {
        print!("{}", crate::extract::describe(&candidates));
    }
    Ok(())
}

/// `hindsight extract-score --gold FILE --articles DIR`: the reader measured against a gold
/// table, overall and per article.
pub async fn extract_score(args: ExtractScoreArgs) -> anyhow::Result<()> {
    use crate::extract::gold;
    let table = std::fs::read_to_string(&args.gold)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.gold.display()))?;
    let gold_table =
        gold::parse(&table).map_err(|e| anyhow::anyhow!("{}: {e}", args.gold.display()))?;
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&args.articles)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.articles.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            let known_kind = path
                .extension()
                .is_some_and(|e| matches!(e.to_str(), Some("txt" | "md" | "html" | "htm")));
            known_kind
                && gold_table
                    .rows
                    .iter()
                    .any(|r| gold::same_article(&r.article, &stem))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        anyhow::bail!(
            "no article in {} is named by the gold table's ids",
            args.articles.display()
        );
    }
    let db = Database::connect(&args.database.url).await?;
    let knowledge = crate::db::extraction::knowledge(&db).await;
    db.close().await;
    let knowledge = knowledge?;
    let mut read = Vec::new();
    for path in &files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        read.push((
            stem,
            crate::extract::extract(&read_article(path)?, &knowledge),
        ));
    }
    let articles: Vec<gold::Article> = read
        .iter()
        .map(|(id, candidates)| gold::Article { id, candidates })
        .collect();
    let (each, total) = gold::score(&gold_table, &articles);
    print!("{}", gold::report(&each, &total));
    Ok(())
}
