-- A report's economy: budget, latest forecast and outcome per operation, as typed (text)
-- and as the amount in kronor it states (exact decimal as text); the unit's totals are
-- computed from these, never stored. One row per report holds the texts (analysis of
-- deviations, Investeringar, Medel för lokaländamål) and the version of the whole economy:
-- a save replaces the lines and moves that version on.

CREATE TABLE report_economy (
    report_id BIGINT PRIMARY KEY REFERENCES report(id),
    analysis TEXT,
    investments TEXT,
    premises TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

CREATE TABLE report_economy_line (
    report_id BIGINT NOT NULL REFERENCES report(id),
    operation_id BIGINT NOT NULL REFERENCES org_node(id),
    budget_text TEXT,
    budget_value TEXT,
    forecast_text TEXT,
    forecast_value TEXT,
    outcome_text TEXT,
    outcome_value TEXT,
    PRIMARY KEY (report_id, operation_id)
);
