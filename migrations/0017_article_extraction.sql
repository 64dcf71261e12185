-- Article extraction (issue 20): a review of the predictions proposed for one article, kept
-- until it is committed so that an analyst can stop and resume, and a search index over the
-- propositions' statements that proposes existing questions for each candidate.

-- The article as read, and the analyst's decisions so far as one JSON document (the review's
-- own shape, see src/extraction/review.rs). `revision` goes up with every save: a form carries
-- the revision it was drawn from, and a save or commit from an older one is refused, so that
-- two tabs never overwrite each other's work unseen. Reviews are never deleted: a committed one
-- records which article the records came from, a discarded one says so.
CREATE TABLE extraction_reviews (
    id           INTEGER PRIMARY KEY,
    analyst_id   INTEGER NOT NULL REFERENCES analysts (id),
    title        TEXT NOT NULL CHECK (length(title) <= 500),
    article      TEXT NOT NULL CHECK (length(CAST(article AS BLOB)) <= 1048576),
    state        TEXT NOT NULL,
    revision     INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    committed_at TEXT,
    discarded_at TEXT
);
CREATE INDEX extraction_reviews_analyst ON extraction_reviews (analyst_id, updated_at);

-- One document a proposition (its statement), read from the records themselves.
CREATE VIRTUAL TABLE proposition_search USING fts5(
    statement,
    content = 'propositions', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO proposition_search (proposition_search) VALUES ('rebuild');

CREATE TRIGGER propositions_statement_insert AFTER INSERT ON propositions
BEGIN
    INSERT INTO proposition_search (rowid, statement) VALUES (new.id, new.statement);
END;

CREATE TRIGGER propositions_statement_update AFTER UPDATE OF statement ON propositions
WHEN old.statement IS NOT new.statement
BEGIN
    INSERT INTO proposition_search (proposition_search, rowid, statement) VALUES ('delete', old.id, old.statement);
    INSERT INTO proposition_search (rowid, statement) VALUES (new.id, new.statement);
END;
