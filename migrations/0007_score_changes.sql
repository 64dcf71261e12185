-- Which propositions' scores may have changed, in commit order: the live leaderboard keeps
-- every forecast in memory and re-reads only these. Triggers fill it whatever path writes, the
-- server's forms or an import from the shell. A row per change; readers keep the last seq seen.
CREATE TABLE score_changes (
    seq            INTEGER PRIMARY KEY,
    proposition_id INTEGER NOT NULL
);

CREATE TRIGGER score_changes_resolution AFTER INSERT ON resolutions
BEGIN
    INSERT INTO score_changes (proposition_id) VALUES (new.proposition_id);
END;

CREATE TRIGGER score_changes_prediction_insert AFTER INSERT ON predictions
BEGIN
    INSERT INTO score_changes (proposition_id) VALUES (new.proposition_id);
END;

CREATE TRIGGER score_changes_prediction_update
AFTER UPDATE OF probability, proposition_id, expert_id, retracted_at, created_at ON predictions
BEGIN
    INSERT INTO score_changes (proposition_id) VALUES (old.proposition_id);
    INSERT INTO score_changes (proposition_id) VALUES (new.proposition_id);
END;

CREATE TRIGGER score_changes_expert_retraction AFTER UPDATE OF retracted_at ON experts
BEGIN
    INSERT INTO score_changes (proposition_id)
    SELECT DISTINCT proposition_id FROM predictions WHERE expert_id = new.id;
END;

CREATE TRIGGER score_changes_proposition_update AFTER UPDATE OF retracted_at, event_id ON propositions
BEGIN
    INSERT INTO score_changes (proposition_id) VALUES (new.id);
END;
