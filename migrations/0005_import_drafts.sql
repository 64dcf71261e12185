-- A file an analyst uploaded and previewed, waiting for them to confirm the import. Kept after
-- use, marked used, so the record of what was imported from which file stays.
CREATE TABLE import_drafts (
    id          INTEGER PRIMARY KEY,
    analyst_id  INTEGER NOT NULL REFERENCES analysts (id),
    file_name   TEXT NOT NULL,
    format      TEXT NOT NULL CHECK (format IN ('json', 'csv')),
    content     BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX import_drafts_analyst ON import_drafts (analyst_id, created_at);
