-- Full-text search over predictions: the quote, the proposition's statement, and the expert's
-- name with every alias. Triggers keep it current with every write, whichever path makes it.
CREATE VIRTUAL TABLE prediction_search USING fts5(
    quote, statement, names,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO prediction_search (rowid, quote, statement, names)
SELECT p.id, p.quote, pr.statement, (SELECT group_concat(alias, ' ') FROM expert_aliases WHERE expert_id = p.expert_id)
FROM predictions p JOIN propositions pr ON pr.id = p.proposition_id;

CREATE TRIGGER predictions_search_insert AFTER INSERT ON predictions
BEGIN
    INSERT INTO prediction_search (rowid, quote, statement, names) VALUES (
        new.id, new.quote,
        (SELECT statement FROM propositions WHERE id = new.proposition_id),
        (SELECT group_concat(alias, ' ') FROM expert_aliases WHERE expert_id = new.expert_id));
END;

CREATE TRIGGER predictions_search_update AFTER UPDATE OF quote, proposition_id, expert_id ON predictions
BEGIN
    UPDATE prediction_search SET
        quote = new.quote,
        statement = (SELECT statement FROM propositions WHERE id = new.proposition_id),
        names = (SELECT group_concat(alias, ' ') FROM expert_aliases WHERE expert_id = new.expert_id)
    WHERE rowid = new.id;
END;

CREATE TRIGGER propositions_search_update AFTER UPDATE OF statement ON propositions
BEGIN
    UPDATE prediction_search SET statement = new.statement
    WHERE rowid IN (SELECT id FROM predictions WHERE proposition_id = new.id);
END;

CREATE TRIGGER aliases_search_insert AFTER INSERT ON expert_aliases
BEGIN
    UPDATE prediction_search SET names = (SELECT group_concat(alias, ' ') FROM expert_aliases WHERE expert_id = new.expert_id)
    WHERE rowid IN (SELECT id FROM predictions WHERE expert_id = new.expert_id);
END;
