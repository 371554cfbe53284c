-- People who sign in, and the roles they hold on organisation nodes (and everything below
-- them). The email is stored normalised (trimmed, lower-case), so that its uniqueness is
-- case-insensitive on both backends. The password hash is a PHC string (Argon2id); it never
-- leaves the store and never enters the audit trail. `disabled` is 0 or 1.

CREATE TABLE account (
    id {id},
    email TEXT NOT NULL UNIQUE CHECK (length(email) <= 254),
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE role_grant (
    account_id BIGINT NOT NULL REFERENCES account(id),
    role TEXT NOT NULL CHECK (role IN ('admin', 'board_editor', 'unit_manager', 'unit_writer', 'controller', 'reader')),
    node_id BIGINT NOT NULL REFERENCES org_node(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, role, node_id)
);
CREATE INDEX role_grant_node ON role_grant(node_id);
