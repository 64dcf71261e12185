-- The schema in words SQLite 3.37 reads (Ubuntu 22.04; Debian 12 has 3.40), so that the system's
-- `sqlite3`, Python's sqlite3 module, Datasette or DB Browser can open a Hindsight file and check
-- a backup with `PRAGMA integrity_check`. `group_concat(x, sep ORDER BY y)` needs 3.44; the same
-- list in the same order comes from group_concat over a subquery that is ordered, which every
-- version reads. The search index holds exactly the text it held: the names are joined in the
-- same order, so its 'delete' commands still match what was indexed.
DROP TRIGGER predictions_search_update;
DROP TRIGGER propositions_search_update;
DROP TRIGGER aliases_search_insert;
DROP VIEW prediction_search_documents;

CREATE VIEW prediction_search_documents AS
SELECT p.id AS id, p.quote AS quote, pr.statement AS statement,
       (SELECT group_concat(alias, ' ') FROM
            (SELECT a.alias FROM expert_aliases a WHERE a.expert_id = p.expert_id ORDER BY a.id)) AS names
FROM predictions p JOIN propositions pr ON pr.id = p.proposition_id;

CREATE TRIGGER predictions_search_update AFTER UPDATE OF quote, proposition_id, expert_id ON predictions
BEGIN
    INSERT INTO prediction_search (prediction_search, rowid, quote, statement, names) VALUES (
        'delete', old.id, old.quote,
        (SELECT statement FROM propositions WHERE id = old.proposition_id),
        (SELECT group_concat(alias, ' ') FROM
            (SELECT a.alias FROM expert_aliases a WHERE a.expert_id = old.expert_id ORDER BY a.id)));
    INSERT INTO prediction_search (rowid, quote, statement, names)
    SELECT id, quote, statement, names FROM prediction_search_documents WHERE id = new.id;
END;

CREATE TRIGGER propositions_search_update AFTER UPDATE OF statement ON propositions
WHEN old.statement IS NOT new.statement
BEGIN
    INSERT INTO prediction_search (prediction_search, rowid, quote, statement, names)
    SELECT 'delete', p.id, p.quote, old.statement,
           (SELECT group_concat(alias, ' ') FROM
                (SELECT a.alias FROM expert_aliases a WHERE a.expert_id = p.expert_id ORDER BY a.id))
    FROM predictions p WHERE p.proposition_id = new.id;
    INSERT INTO prediction_search (rowid, quote, statement, names)
    SELECT id, quote, statement, names FROM prediction_search_documents
    WHERE id IN (SELECT id FROM predictions WHERE proposition_id = new.id);
END;

CREATE TRIGGER aliases_search_insert AFTER INSERT ON expert_aliases
BEGIN
    INSERT INTO prediction_search (prediction_search, rowid, quote, statement, names)
    SELECT 'delete', p.id, p.quote, pr.statement,
           (SELECT group_concat(alias, ' ') FROM
                (SELECT a.alias FROM expert_aliases a
                 WHERE a.expert_id = new.expert_id AND a.id <> new.id ORDER BY a.id))
    FROM predictions p JOIN propositions pr ON pr.id = p.proposition_id
    WHERE p.expert_id = new.expert_id;
    INSERT INTO prediction_search (rowid, quote, statement, names)
    SELECT id, quote, statement, names FROM prediction_search_documents
    WHERE id IN (SELECT id FROM predictions WHERE expert_id = new.expert_id);
END;
