-- The search index reads its text from the records (an FTS5 external-content table) instead of
-- keeping a second copy of every quote, statement and name. At a million predictions the copy
-- was 200 MB and a quarter of an import's time; the index itself is unchanged.
--
-- With external content, FTS5 cannot see what a row said before a change, so every change
-- first tells it the old text ('delete' with the old values) and then indexes the new. The
-- old text must be exactly what was indexed: `integrity-check` in the tests compares the two.
DROP TRIGGER predictions_search_update;
DROP TRIGGER propositions_search_update;
DROP TRIGGER aliases_search_insert;
DROP TABLE prediction_search;

-- One document a prediction: its quote, its proposition's statement, and every spelling of
-- its expert's name (in the order of the aliases index, which the triggers below repeat).
CREATE VIEW prediction_search_documents AS
SELECT p.id AS id, p.quote AS quote, pr.statement AS statement,
       (SELECT group_concat(a.alias, ' ' ORDER BY a.id) FROM expert_aliases a WHERE a.expert_id = p.expert_id) AS names
FROM predictions p JOIN propositions pr ON pr.id = p.proposition_id;

CREATE VIRTUAL TABLE prediction_search USING fts5(
    quote, statement, names,
    content = 'prediction_search_documents', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Terms gather in memory up to 64 MB before FTS5 writes them out as a segment (the default is
-- 1 MB). A large import then writes a few large segments instead of many small ones that must
-- be merged again: 40% less time indexing a million predictions. Small writes never get near it.
INSERT INTO prediction_search (prediction_search, rank) VALUES ('hashsize', 67108864);
INSERT INTO prediction_search (prediction_search) VALUES ('rebuild');

-- New predictions are indexed by the importer, a batch at a time (see 0006).

CREATE TRIGGER predictions_search_update AFTER UPDATE OF quote, proposition_id, expert_id ON predictions
BEGIN
    INSERT INTO prediction_search (prediction_search, rowid, quote, statement, names) VALUES (
        'delete', old.id, old.quote,
        (SELECT statement FROM propositions WHERE id = old.proposition_id),
        (SELECT group_concat(a.alias, ' ' ORDER BY a.id) FROM expert_aliases a WHERE a.expert_id = old.expert_id));
    INSERT INTO prediction_search (rowid, quote, statement, names)
    SELECT id, quote, statement, names FROM prediction_search_documents WHERE id = new.id;
END;

CREATE TRIGGER propositions_search_update AFTER UPDATE OF statement ON propositions
WHEN old.statement IS NOT new.statement
BEGIN
    INSERT INTO prediction_search (prediction_search, rowid, quote, statement, names)
    SELECT 'delete', p.id, p.quote, old.statement,
           (SELECT group_concat(a.alias, ' ' ORDER BY a.id) FROM expert_aliases a WHERE a.expert_id = p.expert_id)
    FROM predictions p WHERE p.proposition_id = new.id;
    INSERT INTO prediction_search (rowid, quote, statement, names)
    SELECT id, quote, statement, names FROM prediction_search_documents
    WHERE id IN (SELECT id FROM predictions WHERE proposition_id = new.id);
END;

CREATE TRIGGER aliases_search_insert AFTER INSERT ON expert_aliases
BEGIN
    INSERT INTO prediction_search (prediction_search, rowid, quote, statement, names)
    SELECT 'delete', p.id, p.quote, pr.statement,
           (SELECT group_concat(a.alias, ' ' ORDER BY a.id) FROM expert_aliases a WHERE a.expert_id = new.expert_id AND a.id <> new.id)
    FROM predictions p JOIN propositions pr ON pr.id = p.proposition_id
    WHERE p.expert_id = new.expert_id;
    INSERT INTO prediction_search (rowid, quote, statement, names)
    SELECT id, quote, statement, names FROM prediction_search_documents
    WHERE id IN (SELECT id FROM predictions WHERE expert_id = new.expert_id);
END;
