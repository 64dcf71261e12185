-- Two clocks. What a file or a form claims (when a prediction was recorded elsewhere, when an
-- outcome was decided or recorded, who recorded it) is provenance, kept in `claimed_*` columns
-- and shown. The moment a record entered this database is set by this server alone, from the
-- write clock below, and it is the only time `as_of` reads: a page pinned to a moment shows
-- what this database held then, and nothing written later can change it.
--
-- Existing records get the best system time there is: the moment they carry now, kept as their
-- claimed time as well; a moment in the future is brought back to the migration's.

-- The write clock: every transaction that writes takes its stamp here first, so stamps rise
-- in commit order (the stamp is taken under SQLite's write lock) even when the wall clock
-- steps back, and two processes writing one file never share one.
CREATE TABLE write_clock (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    last_entered_at TEXT NOT NULL
);
INSERT INTO write_clock (id, last_entered_at)
VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

-- Predictions: the row holds the version in force since `entered_at`; earlier versions move to
-- prediction_versions when a stamped change replaces them.
ALTER TABLE predictions ADD COLUMN entered_at TEXT NOT NULL DEFAULT '';
ALTER TABLE predictions ADD COLUMN claimed_recorded_at TEXT;
ALTER TABLE predictions ADD COLUMN claimed_retracted_at TEXT;

CREATE TABLE prediction_versions (
    id                 INTEGER PRIMARY KEY,
    prediction_id      INTEGER NOT NULL REFERENCES predictions (id),
    expert_id          INTEGER NOT NULL,
    proposition_id     INTEGER NOT NULL,
    source_id          INTEGER NOT NULL,
    quote              TEXT NOT NULL,
    said_on            TEXT NOT NULL,
    hedge_words        TEXT,
    probability        REAL NOT NULL CHECK (probability BETWEEN 0 AND 1),
    probability_basis  TEXT NOT NULL,
    estimative_term_id INTEGER,
    basis_note         TEXT,
    retracted_at       TEXT,
    retraction_reason  TEXT,
    -- In force from entered_at until superseded_at (excluded), by the write clock.
    entered_at         TEXT NOT NULL,
    superseded_at      TEXT NOT NULL,
    CHECK (entered_at <= superseded_at)
);
CREATE INDEX prediction_versions_prediction ON prediction_versions (prediction_id, superseded_at);
CREATE INDEX prediction_versions_superseded ON prediction_versions (superseded_at, entered_at);
CREATE TRIGGER prediction_versions_no_update BEFORE UPDATE ON prediction_versions
BEGIN SELECT RAISE(ABORT, 'prediction versions are history: they never change'); END;
CREATE TRIGGER prediction_versions_no_delete BEFORE DELETE ON prediction_versions
BEGIN SELECT RAISE(ABORT, 'prediction versions are history: they are never deleted'); END;

-- The back-fill below would otherwise copy every imported prediction into the change log.
DROP TRIGGER predictions_log_creation;

UPDATE predictions SET claimed_recorded_at = created_at, claimed_retracted_at = retracted_at;
-- Only rows that need it: each UPDATE of created_at or retracted_at also queues a rescoring.
UPDATE predictions SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE created_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
-- A prediction retracted since it was recorded was in force, unretracted, until then.
INSERT INTO prediction_versions (prediction_id, expert_id, proposition_id, source_id, quote,
    said_on, hedge_words, probability, probability_basis, estimative_term_id, basis_note,
    retracted_at, retraction_reason, entered_at, superseded_at)
SELECT id, expert_id, proposition_id, source_id, quote, said_on, hedge_words, probability,
    probability_basis, estimative_term_id, basis_note, NULL, NULL, created_at,
    max(created_at, min(retracted_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
FROM predictions WHERE retracted_at IS NOT NULL AND retracted_at > created_at;
UPDATE predictions SET retracted_at = max(created_at, min(retracted_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))
WHERE retracted_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now') OR retracted_at < created_at;
UPDATE predictions SET entered_at = coalesce(retracted_at, created_at);

CREATE TRIGGER predictions_log_creation BEFORE UPDATE ON predictions
WHEN NOT EXISTS (SELECT 1 FROM change_log
                 WHERE entity = 'prediction' AND entity_id = old.id AND last_entity_id IS NULL)
BEGIN
    INSERT INTO change_log (entity, entity_id, action, analyst_id, changed_at, reason, snapshot)
    SELECT 'prediction', old.id, 'create', run.analyst_id, run.changed_at, run.reason,
           json_object('expert_id', old.expert_id, 'proposition_id', old.proposition_id,
                       'source_id', old.source_id, 'quote', old.quote, 'said_on', old.said_on,
                       'hedge_words', old.hedge_words, 'probability', old.probability,
                       'basis', old.probability_basis, 'estimative_term_id', old.estimative_term_id,
                       'basis_note', old.basis_note)
    FROM (SELECT * FROM change_log
          WHERE entity = 'prediction' AND last_entity_id >= old.id
          ORDER BY last_entity_id LIMIT 1) run
    WHERE run.entity_id <= old.id;
END;

-- A change that moves a score keeps the version it replaces...
CREATE TRIGGER predictions_keep_version
BEFORE UPDATE OF expert_id, proposition_id, source_id, quote, said_on, hedge_words, probability,
    probability_basis, estimative_term_id, basis_note, retracted_at ON predictions
WHEN new.entered_at > old.entered_at
BEGIN
    INSERT INTO prediction_versions (prediction_id, expert_id, proposition_id, source_id, quote,
        said_on, hedge_words, probability, probability_basis, estimative_term_id, basis_note,
        retracted_at, retraction_reason, entered_at, superseded_at)
    VALUES (old.id, old.expert_id, old.proposition_id, old.source_id, old.quote, old.said_on,
        old.hedge_words, old.probability, old.probability_basis, old.estimative_term_id,
        old.basis_note, old.retracted_at, old.retraction_reason, old.entered_at, new.entered_at);
END;

-- ...and one that is not stamped by this transaction's clock is refused: history cannot be
-- rewritten by an UPDATE that forgets to say when.
CREATE TRIGGER predictions_changes_are_stamped
BEFORE UPDATE OF expert_id, proposition_id, source_id, quote, said_on, hedge_words, probability,
    probability_basis, estimative_term_id, basis_note, retracted_at ON predictions
WHEN (new.entered_at IS NOT (SELECT last_entered_at FROM write_clock WHERE id = 1)
      OR new.entered_at < old.entered_at)
    AND (new.expert_id IS NOT old.expert_id OR new.proposition_id IS NOT old.proposition_id
      OR new.source_id IS NOT old.source_id OR new.quote IS NOT old.quote
      OR new.said_on IS NOT old.said_on OR new.hedge_words IS NOT old.hedge_words
      OR new.probability IS NOT old.probability OR new.probability_basis IS NOT old.probability_basis
      OR new.estimative_term_id IS NOT old.estimative_term_id OR new.basis_note IS NOT old.basis_note
      OR new.retracted_at IS NOT old.retracted_at)
BEGIN
    SELECT RAISE(ABORT, 'a change to a prediction must carry this transaction''s write-clock stamp in entered_at');
END;

-- Resolutions: recorded_at is the moment the row entered this database; what a file said of
-- when and by whom it was recorded is kept beside it.
ALTER TABLE resolutions ADD COLUMN claimed_recorded_at TEXT;
ALTER TABLE resolutions ADD COLUMN claimed_recorded_by TEXT;
DROP TRIGGER resolutions_no_update;
UPDATE resolutions SET claimed_recorded_at = recorded_at,
    claimed_recorded_by = (SELECT username FROM analysts WHERE id = recorded_by);
UPDATE resolutions SET recorded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE recorded_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now');
CREATE TRIGGER resolutions_no_update BEFORE UPDATE ON resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are append-only: record a correction instead'); END;

-- Experts: retracted_at is this server's moment; a file's claim is kept beside it.
ALTER TABLE experts ADD COLUMN claimed_retracted_at TEXT;
UPDATE experts SET claimed_retracted_at = retracted_at WHERE retracted_at IS NOT NULL;
UPDATE experts SET retracted_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
WHERE retracted_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now');

UPDATE write_clock SET last_entered_at = max(last_entered_at,
    coalesce((SELECT max(recorded_at) FROM resolutions), ''),
    coalesce((SELECT max(entered_at) FROM predictions), ''));
