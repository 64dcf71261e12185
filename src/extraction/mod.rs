//! Article extraction as the application runs it: the reader (`crate::extract`, plain text in,
//! candidates out) given what the database knows, the review an analyst works through, and the
//! commit that writes the accepted candidates through the import pipeline. The page, the JSON
//! API and `hindsight extract` all come through here.

pub mod commands;
pub mod commit;
pub mod problems;
pub mod review;

use std::sync::{Arc, Mutex};

use crate::db::extraction::SimilarProposition;
use crate::db::{Database, extraction};
use crate::extract::{Candidate, Knowledge, extract};

/// Existing propositions proposed for each candidate.
pub const PROPOSITIONS_PROPOSED: i64 = 3;

/// The database's experts and scales as the reader wants them, read again only after a write
/// (the database's generation moves): an analyst pasting one article after another does not
/// make the server read every expert's name each time.
#[derive(Default)]
pub struct KnowledgeCache {
    kept: Mutex<Option<(u64, Arc<Knowledge>)>>,
}

impl KnowledgeCache {
    pub async fn get(&self, db: &Database) -> Result<Arc<Knowledge>, sqlx::Error> {
        let generation = db.generation.load(std::sync::atomic::Ordering::Acquire);
        if let Ok(kept) = self.kept.lock()
            && let Some((at, knowledge)) = kept.as_ref()
            && *at == generation
        {
            return Ok(Arc::clone(knowledge));
        }
        let knowledge = Arc::new(extraction::knowledge(db).await?);
        if let Ok(mut kept) = self.kept.lock() {
            *kept = Some((generation, Arc::clone(&knowledge)));
        }
        Ok(knowledge)
    }
}

/// A candidate with the existing propositions it may be about, best first.
pub struct Proposed {
    pub candidate: Candidate,
    pub propositions: Vec<SimilarProposition>,
}

/// The candidate predictions in `text`, each with up to three existing propositions it may be
/// about (also listed in `candidate.proposition.alternatives`).
pub async fn propose_with_propositions(
    db: &Database,
    knowledge: &Knowledge,
    text: &str,
) -> Result<Vec<Proposed>, sqlx::Error> {
    let mut proposed = Vec::new();
    // One search a candidate: each is its own ranked question to the index (an article has
    // tens of candidates, each answered from the index in well under a millisecond).
    for mut candidate in extract(text, knowledge) {
        let propositions = extraction::similar_propositions(
            db,
            &candidate.proposition.statement,
            PROPOSITIONS_PROPOSED,
        )
        .await?;
        candidate.proposition.alternatives = propositions.iter().map(|p| p.slug.clone()).collect();
        candidate.proposition.slug = None;
        proposed.push(Proposed {
            candidate,
            propositions,
        });
    }
    Ok(proposed)
}

/// The candidate predictions in `text`, as the API and the command line give them.
pub async fn propose(
    db: &Database,
    knowledge: &Knowledge,
    text: &str,
) -> Result<Vec<Candidate>, sqlx::Error> {
    Ok(propose_with_propositions(db, knowledge, text)
        .await?
        .into_iter()
        .map(|p| p.candidate)
        .collect())
}

/// A new review of `text`'s candidates, every one undecided, with `article` as the analyst
/// gave it so far.
pub async fn new_review(
    db: &Database,
    knowledge: &Knowledge,
    text: &str,
    article: review::ArticleDetails,
) -> Result<review::ReviewState, sqlx::Error> {
    let proposed = propose_with_propositions(db, knowledge, text).await?;
    let mut slugs: Vec<String> = proposed
        .iter()
        .flat_map(|p| {
            p.candidate
                .expert
                .iter()
                .chain(&p.candidate.expert_alternatives)
        })
        .cloned()
        .collect();
    slugs.sort();
    slugs.dedup();
    let names: std::collections::HashMap<String, String> = extraction::expert_names(db, &slugs)
        .await?
        .into_iter()
        .collect();
    let name_of = |slug: &str| names.get(slug).cloned().unwrap_or_else(|| slug.to_string());
    let items = proposed
        .iter()
        .map(|p| review::item_from(&p.candidate, &name_of, &p.propositions, &article.outlet))
        .collect();
    Ok(review::ReviewState { article, items })
}

/// As `propose`, reading what the database knows first (for the command line, which runs once).
pub async fn propose_once(db: &Database, text: &str) -> Result<Vec<Candidate>, sqlx::Error> {
    let knowledge = extraction::knowledge(db).await?;
    propose(db, &knowledge, text).await
}
