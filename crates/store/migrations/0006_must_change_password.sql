-- An account given a one-time password (by an administrator on the administration pages,
-- or by `malkedja user add --generate-password`) must have a new password chosen by the
-- person at their next sign-in; until then every page leads to the password page. A
-- password the person sets themselves clears it. 0 or 1, like `disabled` (no booleans).

ALTER TABLE account ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));
