-- Writing reports: activity statuses gain "not started" and "ongoing" (the table is
-- rebuilt, since SQLite cannot change a CHECK constraint); assessments, outcomes and
-- statuses copied from the previous report of the year are marked `prefilled` (1) until
-- someone edits them; and a report's workflow, step by step, like a plan's (0007).

CREATE TABLE activity_status_new (
    report_id BIGINT NOT NULL REFERENCES report(id),
    activity_id BIGINT NOT NULL REFERENCES activity(id),
    status TEXT CHECK (status IN ('not_started', 'ongoing', 'done', 'deviation')),
    analysis TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    prefilled BIGINT NOT NULL DEFAULT 0 CHECK (prefilled IN (0, 1)),
    PRIMARY KEY (report_id, activity_id)
);
INSERT INTO activity_status_new (report_id, activity_id, status, analysis, version, updated_at)
    SELECT report_id, activity_id, status, analysis, version, updated_at FROM activity_status;
DROP TABLE activity_status;
ALTER TABLE activity_status_new RENAME TO activity_status;

ALTER TABLE goal_assessment ADD COLUMN prefilled BIGINT NOT NULL DEFAULT 0 CHECK (prefilled IN (0, 1));
ALTER TABLE indicator_outcome ADD COLUMN prefilled BIGINT NOT NULL DEFAULT 0 CHECK (prefilled IN (0, 1));

CREATE TABLE report_transition (
    id {id},
    report_id BIGINT NOT NULL REFERENCES report(id),
    from_status TEXT NOT NULL CHECK (from_status IN ('draft', 'submitted', 'approved', 'returned')),
    to_status TEXT NOT NULL CHECK (to_status IN ('draft', 'submitted', 'approved', 'returned')),
    actor TEXT NOT NULL,
    comment TEXT,
    at TEXT NOT NULL
);
CREATE INDEX report_transition_report ON report_transition(report_id, id);
