-- The roll-up (sammanställning): a board's, administration's or department's own
-- assessment and analysis of a goal its units follow up, for a year and a kind of report,
-- written beside the units' analyses. One versioned row per owner, goal, year and kind.

CREATE TABLE rollup_assessment (
    owner_id BIGINT NOT NULL REFERENCES org_node(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    year BIGINT NOT NULL REFERENCES planning_year(year),
    kind TEXT NOT NULL CHECK (kind IN ('tertial1', 'tertial2', 'annual_report')),
    assessment TEXT CHECK (assessment IN ('met', 'partly_met', 'not_met', 'no_data')),
    analysis TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (owner_id, goal_id, year, kind)
);
CREATE INDEX rollup_assessment_owner ON rollup_assessment(owner_id, year, kind);
