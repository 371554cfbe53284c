-- Each plan and report records what it contains: the goals, indicators (with the årsmål
-- the document states) and activities it shows. A document never changes how another reads:
-- a unit goal renamed in a report, a revised plan re-imported or a report's own årsmål stay
-- in their own document. These replace the unit-wide, all-years selections.

CREATE TABLE plan_goal (
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    PRIMARY KEY (plan_id, goal_id)
);
CREATE TABLE plan_indicator (
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    indicator_id BIGINT NOT NULL REFERENCES indicator(id),
    target_kind TEXT CHECK (target_kind IN ('value', 'set_by_board')),
    target_text TEXT,
    target_value TEXT,
    -- How the document itself states the indicator, where it does: its wording of the
    -- name, the council target, the periodicity, and its place among its goal's indicators.
    name TEXT,
    council_target_kind TEXT CHECK (council_target_kind IN ('value', 'set_by_board')),
    council_target_text TEXT,
    council_target_value TEXT,
    periodicity TEXT CHECK (periodicity IN ('year', 'tertial')),
    position BIGINT,
    PRIMARY KEY (plan_id, indicator_id)
);
CREATE TABLE plan_activity (
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    activity_id BIGINT NOT NULL REFERENCES activity(id),
    title TEXT,
    position BIGINT,
    PRIMARY KEY (plan_id, activity_id)
);
CREATE TABLE report_goal (
    report_id BIGINT NOT NULL REFERENCES report(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    PRIMARY KEY (report_id, goal_id)
);
CREATE TABLE report_indicator (
    report_id BIGINT NOT NULL REFERENCES report(id),
    indicator_id BIGINT NOT NULL REFERENCES indicator(id),
    target_kind TEXT CHECK (target_kind IN ('value', 'set_by_board')),
    target_text TEXT,
    target_value TEXT,
    -- How the document itself states the indicator, where it does: its wording of the
    -- name, the council target, the periodicity, and its place among its goal's indicators.
    name TEXT,
    council_target_kind TEXT CHECK (council_target_kind IN ('value', 'set_by_board')),
    council_target_text TEXT,
    council_target_value TEXT,
    periodicity TEXT CHECK (periodicity IN ('year', 'tertial')),
    position BIGINT,
    PRIMARY KEY (report_id, indicator_id)
);
CREATE TABLE report_activity (
    report_id BIGINT NOT NULL REFERENCES report(id),
    activity_id BIGINT NOT NULL REFERENCES activity(id),
    title TEXT,
    position BIGINT,
    PRIMARY KEY (report_id, activity_id)
);

-- What the old rules showed becomes each document's record: the goals of the plan's year
-- owned by its unit or its department, the board goals the unit selected; the indicators
-- and activities hanging there (inherited ones only when selected), with the unit's target.
INSERT INTO plan_goal (plan_id, goal_id)
SELECT p.id, g.id FROM plan p JOIN org_node u ON u.id = p.unit_id JOIN goal g ON g.year = p.year
WHERE g.owner_id = p.unit_id
   OR (g.level = 'department' AND g.owner_id = u.parent_id)
   OR EXISTS (SELECT 1 FROM selected_goal s WHERE s.node_id = p.unit_id AND s.goal_id = g.id);

INSERT INTO plan_indicator (plan_id, indicator_id, target_kind, target_text, target_value)
SELECT p.id, i.id, t.kind, t.text, t.value FROM plan p JOIN indicator i ON i.year = p.year
LEFT JOIN indicator_target t ON t.indicator_id = i.id AND t.node_id = p.unit_id
WHERE i.owner_id = p.unit_id
   OR EXISTS (SELECT 1 FROM selected_indicator s WHERE s.node_id = p.unit_id AND s.indicator_id = i.id)
   OR EXISTS (SELECT 1 FROM plan_goal pg JOIN goal g ON g.id = pg.goal_id
              WHERE pg.plan_id = p.id AND g.id = i.goal_id AND g.level IN ('department', 'unit'));

INSERT INTO plan_activity (plan_id, activity_id)
SELECT p.id, a.id FROM plan p JOIN activity a ON a.year = p.year
WHERE a.owner_id = p.unit_id
   OR EXISTS (SELECT 1 FROM selected_activity s WHERE s.node_id = p.unit_id AND s.activity_id = a.id)
   OR EXISTS (SELECT 1 FROM plan_goal pg JOIN goal g ON g.id = pg.goal_id
              WHERE pg.plan_id = p.id AND g.id = a.goal_id AND g.level IN ('department', 'unit'));

INSERT INTO report_goal (report_id, goal_id)
SELECT r.id, pg.goal_id FROM report r JOIN plan_goal pg ON pg.plan_id = r.plan_id;
INSERT INTO report_indicator (report_id, indicator_id, target_kind, target_text, target_value)
SELECT r.id, pi.indicator_id, pi.target_kind, pi.target_text, pi.target_value
FROM report r JOIN plan_indicator pi ON pi.plan_id = r.plan_id;
INSERT INTO report_activity (report_id, activity_id)
SELECT r.id, pa.activity_id FROM report r JOIN plan_activity pa ON pa.plan_id = r.plan_id;

-- A unit's own target now lives in its documents; indicator_target keeps the targets set
-- for a whole organisation node (a board for its units).
DELETE FROM indicator_target WHERE node_id IN (SELECT id FROM org_node WHERE kind = 'unit');

DROP TABLE selected_goal;
DROP TABLE selected_indicator;
DROP TABLE selected_activity;

-- A plan that exists only because a report of its year was imported holds no planning
-- texts of its own: 'report'. A plan written or imported as a plan: 'plan'.
ALTER TABLE plan ADD COLUMN origin TEXT NOT NULL DEFAULT 'plan' CHECK (origin IN ('plan', 'report'));

-- Pins refer to revisions that exist.
CREATE TABLE plan_text_pin_checked (
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    section TEXT NOT NULL,
    revision BIGINT NOT NULL,
    PRIMARY KEY (plan_id, goal_id, section),
    FOREIGN KEY (goal_id, section, revision) REFERENCES goal_text(goal_id, section, revision)
);
INSERT INTO plan_text_pin_checked SELECT plan_id, goal_id, section, revision FROM plan_text_pin;
DROP TABLE plan_text_pin;
ALTER TABLE plan_text_pin_checked RENAME TO plan_text_pin;

CREATE TABLE report_text_pin_checked (
    report_id BIGINT NOT NULL REFERENCES report(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    section TEXT NOT NULL,
    revision BIGINT NOT NULL,
    PRIMARY KEY (report_id, goal_id, section),
    FOREIGN KEY (goal_id, section, revision) REFERENCES goal_text(goal_id, section, revision)
);
INSERT INTO report_text_pin_checked SELECT report_id, goal_id, section, revision FROM report_text_pin;
DROP TABLE report_text_pin;
ALTER TABLE report_text_pin_checked RENAME TO report_text_pin;
