-- Follow-up: tertial reports and annual reports of a plan, with goal assessments,
-- indicator outcomes, activity statuses and the complaints table. Also the moment a plan
-- was written, so that it shows the goal texts in force then.

ALTER TABLE plan ADD COLUMN written_at TEXT;

CREATE TABLE report (
    id {id},
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    kind TEXT NOT NULL CHECK (kind IN ('tertial1', 'tertial2', 'annual_report')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
    written_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, kind)
);

CREATE TABLE report_section (
    report_id BIGINT NOT NULL REFERENCES report(id),
    position BIGINT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL,
    placement TEXT NOT NULL CHECK (placement IN ('before_cascade', 'after_cascade')),
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
);

CREATE TABLE goal_assessment (
    report_id BIGINT NOT NULL REFERENCES report(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    assessment TEXT CHECK (assessment IN ('met', 'partly_met', 'not_met', 'no_data')),
    analysis TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, goal_id)
);

CREATE TABLE indicator_outcome (
    report_id BIGINT NOT NULL REFERENCES report(id),
    indicator_id BIGINT NOT NULL REFERENCES indicator(id),
    outcome_text TEXT,
    outcome_value TEXT,
    men_text TEXT,
    women_text TEXT,
    previous_text TEXT,
    period TEXT,
    analysis TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, indicator_id)
);

CREATE TABLE activity_status (
    report_id BIGINT NOT NULL REFERENCES report(id),
    activity_id BIGINT NOT NULL REFERENCES activity(id),
    status TEXT CHECK (status IN ('done', 'deviation')),
    analysis TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (report_id, activity_id)
);

-- Counts of complaints, praise and incidents per category as a report states them. Once
-- the register exists (roadmap: quality work) these are computed from it instead.
CREATE TABLE complaint_count (
    report_id BIGINT NOT NULL REFERENCES report(id),
    position BIGINT NOT NULL,
    group_name TEXT NOT NULL,
    category TEXT NOT NULL,
    t1 BIGINT,
    t2 BIGINT,
    annual BIGINT,
    total BIGINT,
    assessment TEXT,
    PRIMARY KEY (report_id, position)
);

-- The revision of each goal text a plan or report was written with. A document shows these
-- texts; where it has none, the text in force when it was written.
CREATE TABLE plan_text_pin (
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    section TEXT NOT NULL,
    revision BIGINT NOT NULL,
    PRIMARY KEY (plan_id, goal_id, section)
);

CREATE TABLE report_text_pin (
    report_id BIGINT NOT NULL REFERENCES report(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    section TEXT NOT NULL,
    revision BIGINT NOT NULL,
    PRIMARY KEY (report_id, goal_id, section)
);
