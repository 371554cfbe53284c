-- Sessions, API tokens and failed sign-ins, all in the database so that several web nodes
-- on one PostgreSQL share them: a sign-out or a disabled account takes effect everywhere at
-- once, and the sign-in limit holds across nodes. No secret is stored: a session id and an
-- API token are kept only as the SHA-256 of the text the client sends (64 hex digits).
-- Timestamps are text in the store's fixed-width UTC form, so text order is time order.

-- A signed-in browser. `idle_expires_at` is `last_seen_at` plus `idle_seconds`, moved on
-- when the session is used (at most once a minute); `expires_at` is absolute and never
-- moves. A session is valid while both lie in the future.
CREATE TABLE session (
    id_hash TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
    account_id BIGINT NOT NULL REFERENCES account(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    idle_seconds BIGINT NOT NULL CHECK (idle_seconds > 0),
    idle_expires_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX session_account ON session(account_id);
CREATE INDEX session_expires ON session(expires_at);

-- When each account last signed in. Kept out of the versioned `account` row: a sign-in is
-- not an edit of the account, and must not make an administrator's open edit of it a
-- conflict.
CREATE TABLE account_sign_in (
    account_id BIGINT PRIMARY KEY REFERENCES account(id),
    last_sign_in_at TEXT NOT NULL
);

-- API tokens (`Authorization: Bearer mk_…`). A token acts with its account's roles.
CREATE TABLE api_token (
    id {id},
    account_id BIGINT NOT NULL REFERENCES account(id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    last_used_at TEXT
);
CREATE INDEX api_token_account ON api_token(account_id);

-- Failed sign-ins, counted per (normalised) email and per client address within a window;
-- old rows are purged.
CREATE TABLE sign_in_attempt (
    id {id},
    email TEXT NOT NULL CHECK (length(email) <= 254),
    address TEXT NOT NULL CHECK (length(address) <= 100),
    at TEXT NOT NULL
);
CREATE INDEX sign_in_attempt_email ON sign_in_attempt(email, at);
CREATE INDEX sign_in_attempt_address ON sign_in_attempt(address, at);
CREATE INDEX sign_in_attempt_at ON sign_in_attempt(at);
