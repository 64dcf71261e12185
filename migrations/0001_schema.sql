-- Hindsight schema. Forward-only: a later change is a new file, never an edit to this one.
-- Portable where it costs nothing: standard types and SQL, timestamps stored as UTC text.
-- Nothing is hard-deleted: retraction and disabling are states, and the triggers at the end
-- refuse DELETE (and UPDATE, for resolutions and the change log) outright.

CREATE TABLE analysts (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
    display_name  TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role          TEXT NOT NULL CHECK (role IN ('analyst', 'admin')),
    -- NULL: the account cannot sign in (the demo analyst, or an invited account not yet set up).
    password_hash TEXT,
    disabled_at   TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE topics (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
);

CREATE TABLE experts (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    -- person; group (co-authors speaking as one); collective (an anonymous speaker or body)
    kind         TEXT NOT NULL CHECK (kind IN ('person', 'group', 'collective')),
    affiliation  TEXT,
    title        TEXT,
    bio          TEXT,
    retracted_at TEXT,
    retraction_reason TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX experts_name ON experts (name);

-- Outlets romanize names differently; every spelling points at one expert. The key is the
-- alias folded to lower case with spaces and hyphens removed, so "Joh Han-beom" and
-- "joh hanbeom" are the same key and cannot name two people.
CREATE TABLE expert_aliases (
    id        INTEGER PRIMARY KEY,
    expert_id INTEGER NOT NULL REFERENCES experts (id),
    alias     TEXT NOT NULL CHECK (length(alias) BETWEEN 1 AND 300),
    alias_key TEXT NOT NULL UNIQUE
);
CREATE INDEX expert_aliases_expert ON expert_aliases (expert_id);

-- The people behind a group expert, in the order the source names them.
CREATE TABLE expert_members (
    expert_id INTEGER NOT NULL REFERENCES experts (id),
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    PRIMARY KEY (expert_id, position)
);

CREATE TABLE sources (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    outlet       TEXT NOT NULL CHECK (length(outlet) BETWEEN 1 AND 200),
    url          TEXT UNIQUE,
    published_on TEXT NOT NULL,
    -- What an analyst should know about the citation itself (an inferred date, a missing byline).
    note         TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX sources_outlet ON sources (outlet);
-- A source without a URL is identified by outlet, title and date, so re-imports match it.
CREATE UNIQUE INDEX sources_without_url ON sources (outlet, title, published_on) WHERE url IS NULL;

CREATE TABLE source_authors (
    source_id INTEGER NOT NULL REFERENCES sources (id),
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    PRIMARY KEY (source_id, position)
);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description TEXT,
    starts_on   TEXT,
    ends_on     TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE event_topics (
    event_id INTEGER NOT NULL REFERENCES events (id),
    topic_id INTEGER NOT NULL REFERENCES topics (id),
    PRIMARY KEY (event_id, topic_id)
);
CREATE INDEX event_topics_topic ON event_topics (topic_id);

CREATE TABLE propositions (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id),
    slug         TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100),
    statement    TEXT NOT NULL CHECK (length(statement) BETWEEN 1 AND 1000),
    criteria     TEXT NOT NULL CHECK (length(criteria) BETWEEN 1 AND 4000),
    decidable_by TEXT NOT NULL,
    -- Order within the event, as the analyst arranged the questions.
    position     INTEGER NOT NULL DEFAULT 0,
    retracted_at TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX propositions_event ON propositions (event_id, position);
CREATE INDEX propositions_decidable_by ON propositions (decidable_by);

CREATE TABLE proposition_topics (
    proposition_id INTEGER NOT NULL REFERENCES propositions (id),
    topic_id       INTEGER NOT NULL REFERENCES topics (id),
    PRIMARY KEY (proposition_id, topic_id)
);
CREATE INDEX proposition_topics_topic ON proposition_topics (topic_id);

-- The published tables that turn hedge words into numbers. Data, not code: an analyst can
-- read every phrase with its range and its citation.
CREATE TABLE estimative_scales (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    citation TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE estimative_terms (
    id          INTEGER PRIMARY KEY,
    scale_id    INTEGER NOT NULL REFERENCES estimative_scales (id),
    term        TEXT NOT NULL,
    -- The single number a prediction using this term is scored as: the middle of the range,
    -- or the author's own central value where the table gives one (Kent).
    probability REAL NOT NULL CHECK (probability BETWEEN 0 AND 1),
    low         REAL NOT NULL CHECK (low BETWEEN 0 AND 1),
    high        REAL NOT NULL CHECK (high BETWEEN 0 AND 1),
    position    INTEGER NOT NULL,
    CHECK (low <= probability AND probability <= high),
    UNIQUE (scale_id, term)
);

CREATE TABLE predictions (
    id                INTEGER PRIMARY KEY,
    expert_id         INTEGER NOT NULL REFERENCES experts (id),
    proposition_id    INTEGER NOT NULL REFERENCES propositions (id),
    source_id         INTEGER NOT NULL REFERENCES sources (id),
    quote             TEXT NOT NULL CHECK (length(quote) BETWEEN 1 AND 5000),
    said_on           TEXT NOT NULL,
    hedge_words       TEXT,
    probability       REAL NOT NULL CHECK (probability BETWEEN 0 AND 1),
    -- Where the number came from: a number the expert stated, the estimative scale applied
    -- to the hedge words, or an analyst's explicit judgement (whose reason is required).
    probability_basis TEXT NOT NULL CHECK (probability_basis IN ('stated', 'scale', 'analyst')),
    estimative_term_id INTEGER REFERENCES estimative_terms (id),
    basis_note        TEXT,
    retracted_at      TEXT,
    retraction_reason TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (probability_basis <> 'scale' OR estimative_term_id IS NOT NULL),
    CHECK (probability_basis <> 'analyst' OR length(basis_note) > 0),
    UNIQUE (expert_id, proposition_id, source_id)
);
CREATE INDEX predictions_proposition ON predictions (proposition_id);
CREATE INDEX predictions_source ON predictions (source_id);
CREATE INDEX predictions_expert_said ON predictions (expert_id, said_on);
CREATE INDEX predictions_said ON predictions (said_on, id);

-- Append-only: the latest row of a proposition (by recorded_at, then id) is its outcome; earlier
-- rows are its history. A correction is a new row naming the one it supersedes.
CREATE TABLE resolutions (
    id             INTEGER PRIMARY KEY,
    proposition_id INTEGER NOT NULL REFERENCES propositions (id),
    outcome        TEXT NOT NULL CHECK (outcome IN ('true', 'false', 'annulled')),
    decided_on     TEXT NOT NULL,
    evidence_url   TEXT CHECK (evidence_url IS NULL OR evidence_url LIKE 'http://%' OR evidence_url LIKE 'https://%'),
    rationale      TEXT NOT NULL CHECK (length(rationale) BETWEEN 1 AND 5000),
    recorded_by    INTEGER NOT NULL REFERENCES analysts (id),
    recorded_at    TEXT NOT NULL,
    supersedes_id  INTEGER REFERENCES resolutions (id)
);
CREATE INDEX resolutions_proposition ON resolutions (proposition_id, recorded_at, id);
CREATE INDEX resolutions_recorded ON resolutions (recorded_at, id);

-- Who changed what, when and why, for experts, propositions, predictions and the rest.
CREATE TABLE change_log (
    id          INTEGER PRIMARY KEY,
    entity      TEXT NOT NULL,
    entity_id   INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'update', 'retract', 'restore', 'import')),
    analyst_id  INTEGER REFERENCES analysts (id),
    changed_at  TEXT NOT NULL,
    reason      TEXT,
    -- The record as it stood after the change, as JSON, so any version can be shown again.
    snapshot    TEXT NOT NULL
);
CREATE INDEX change_log_entity ON change_log (entity, entity_id, changed_at);

CREATE TRIGGER resolutions_no_update BEFORE UPDATE ON resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are append-only: record a correction instead'); END;
CREATE TRIGGER resolutions_no_delete BEFORE DELETE ON resolutions
BEGIN SELECT RAISE(ABORT, 'resolutions are append-only: record a correction instead'); END;
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
CREATE TRIGGER experts_no_delete BEFORE DELETE ON experts
BEGIN SELECT RAISE(ABORT, 'experts are retracted, never deleted'); END;
CREATE TRIGGER predictions_no_delete BEFORE DELETE ON predictions
BEGIN SELECT RAISE(ABORT, 'predictions are retracted, never deleted'); END;
CREATE TRIGGER propositions_no_delete BEFORE DELETE ON propositions
BEGIN SELECT RAISE(ABORT, 'propositions are retracted, never deleted'); END;
CREATE TRIGGER sources_no_delete BEFORE DELETE ON sources
BEGIN SELECT RAISE(ABORT, 'sources are never deleted'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are never deleted'); END;
CREATE TRIGGER analysts_no_delete BEFORE DELETE ON analysts
BEGIN SELECT RAISE(ABORT, 'analysts are disabled, never deleted'); END;
