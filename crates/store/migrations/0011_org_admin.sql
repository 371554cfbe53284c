-- Administration of the organisation and the year. A node can be closed (avvecklad) on a
-- day, `closed_on` (an ISO 8601 date as text; NULL while open): it keeps its history and
-- documents but takes no new plans, and nothing open sits under it. An administration
-- sets the deadlines of each planning year: the plan, tertial reports 1 and 2 and the
-- annual report, each an ISO date or NULL (not set), one versioned row per
-- administration and year.

ALTER TABLE org_node ADD COLUMN closed_on TEXT;

CREATE TABLE deadline (
    admin_id BIGINT NOT NULL REFERENCES org_node(id),
    year BIGINT NOT NULL REFERENCES planning_year(year),
    plan_due TEXT,
    tertial1_due TEXT,
    tertial2_due TEXT,
    annual_report_due TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (admin_id, year)
);
