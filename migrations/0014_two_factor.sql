-- Sessions and two-factor sign-in.
--
-- security_stamp: a random value that sessions are bound to (axum-login keeps a hash of it in
-- the session). It changes when the account is disabled, its password is changed or reset, or
-- two-factor sign-in is turned on or off: every session made before then ends for good.
ALTER TABLE analysts ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
UPDATE analysts SET security_stamp = lower(hex(randomblob(16)));
-- Every new account gets its own stamp, however it is created.
CREATE TRIGGER analysts_security_stamp AFTER INSERT ON analysts
WHEN NEW.security_stamp = ''
BEGIN
    UPDATE analysts SET security_stamp = lower(hex(randomblob(16))) WHERE id = NEW.id;
END;

-- TOTP (RFC 6238): the secret in base32 once enrolment is confirmed with a code, the secret
-- offered while enrolment is under way, and the last time step accepted, so that a code is never
-- accepted twice.
ALTER TABLE analysts ADD COLUMN totp_secret TEXT;
ALTER TABLE analysts ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE analysts ADD COLUMN totp_last_step INTEGER;

-- One-time recovery codes for when the authenticator is lost: only a hash is kept, and each
-- works once.
CREATE TABLE recovery_codes (
    id          INTEGER PRIMARY KEY,
    analyst_id  INTEGER NOT NULL REFERENCES analysts (id),
    code_hash   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX recovery_codes_analyst ON recovery_codes (analyst_id);

-- Sessions made before this version kept the account's password hash (axum-login's
-- session_auth_hash was the argon2 hash); the new stamps end them anyway, and they go now so that
-- no copy of a password hash stays in the session table. The table is tower-sessions' own (its
-- SqliteStore::migrate creates it, after these migrations, with this same statement).
CREATE TABLE IF NOT EXISTS tower_sessions
(
    id text primary key not null,
    data blob not null,
    expiry_date integer not null
);
DELETE FROM tower_sessions;
