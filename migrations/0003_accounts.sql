-- One-time links: the set-up link that creates the first admin, and the links that let a new
-- (or reset) analyst choose a password. Only a hash of the token is kept.
CREATE TABLE setup_tokens (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    -- NULL: the link creates the first admin account; otherwise it sets this analyst's password.
    analyst_id  INTEGER REFERENCES analysts (id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX setup_tokens_analyst ON setup_tokens (analyst_id);
