-- Målkedja foundation schema. Written once for both backends: `{id}` becomes the
-- backend's auto-increment primary key. Dates and timestamps are ISO 8601 text (sortable),
-- exact decimals are text, enumerations are checked text codes. Every editable row has a
-- version for optimistic concurrency.

CREATE TABLE org_node (
    id {id},
    parent_id BIGINT REFERENCES org_node(id),
    kind TEXT NOT NULL CHECK (kind IN ('city', 'board', 'administration', 'department', 'unit', 'operation')),
    name TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX org_node_parent ON org_node(parent_id);

CREATE TABLE unit_facts (
    node_id BIGINT NOT NULL REFERENCES org_node(id),
    year BIGINT NOT NULL,
    managers TEXT NOT NULL,
    staff TEXT NOT NULL,
    clients BIGINT,
    clients_label TEXT NOT NULL,
    budget_kr TEXT,
    staff_meetings TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (node_id, year)
);

CREATE TABLE planning_year (
    year BIGINT PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE goal (
    id {id},
    year BIGINT NOT NULL REFERENCES planning_year(year),
    level TEXT NOT NULL CHECK (level IN ('direction', 'area', 'board', 'department', 'unit')),
    owner_id BIGINT NOT NULL REFERENCES org_node(id),
    parent_id BIGINT REFERENCES goal(id),
    number TEXT,
    title TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX goal_year_owner ON goal(year, owner_id);
CREATE INDEX goal_parent ON goal(parent_id);

CREATE TABLE goal_text (
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    section TEXT NOT NULL CHECK (section IN ('description', 'expected_result', 'working_methods', 'resource_use', 'follow_up', 'development')),
    revision BIGINT NOT NULL,
    body TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (goal_id, section, revision)
);

CREATE TABLE indicator (
    id {id},
    year BIGINT NOT NULL REFERENCES planning_year(year),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    owner_id BIGINT NOT NULL REFERENCES org_node(id),
    name TEXT NOT NULL,
    unit_of_measure TEXT,
    periodicity TEXT NOT NULL CHECK (periodicity IN ('year', 'tertial')),
    direction TEXT NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better')),
    value_kind TEXT NOT NULL CHECK (value_kind IN ('percent', 'index', 'number', 'text')),
    council_target_kind TEXT CHECK (council_target_kind IN ('value', 'set_by_board')),
    council_target_text TEXT,
    council_target_value TEXT,
    position BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX indicator_goal ON indicator(goal_id);
CREATE INDEX indicator_year ON indicator(year);

CREATE TABLE indicator_target (
    indicator_id BIGINT NOT NULL REFERENCES indicator(id),
    node_id BIGINT NOT NULL REFERENCES org_node(id),
    kind TEXT NOT NULL CHECK (kind IN ('value', 'set_by_board')),
    text TEXT NOT NULL,
    value TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (indicator_id, node_id)
);

CREATE TABLE activity (
    id {id},
    year BIGINT NOT NULL REFERENCES planning_year(year),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    owner_id BIGINT NOT NULL REFERENCES org_node(id),
    title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX activity_goal ON activity(goal_id);
CREATE INDEX activity_year ON activity(year);

-- A unit's selection of what it inherits.
CREATE TABLE selected_goal (
    node_id BIGINT NOT NULL REFERENCES org_node(id),
    goal_id BIGINT NOT NULL REFERENCES goal(id),
    PRIMARY KEY (node_id, goal_id)
);
CREATE TABLE selected_indicator (
    node_id BIGINT NOT NULL REFERENCES org_node(id),
    indicator_id BIGINT NOT NULL REFERENCES indicator(id),
    PRIMARY KEY (node_id, indicator_id)
);
CREATE TABLE selected_activity (
    node_id BIGINT NOT NULL REFERENCES org_node(id),
    activity_id BIGINT NOT NULL REFERENCES activity(id),
    PRIMARY KEY (node_id, activity_id)
);

-- The sections of a plan, per administration and year.
CREATE TABLE template_section (
    admin_id BIGINT NOT NULL REFERENCES org_node(id),
    year BIGINT NOT NULL REFERENCES planning_year(year),
    key TEXT NOT NULL,
    parent_key TEXT,
    heading TEXT NOT NULL,
    guidance TEXT NOT NULL,
    placement TEXT NOT NULL CHECK (placement IN ('before_cascade', 'after_cascade')),
    position BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (admin_id, year, key)
);

CREATE TABLE plan (
    id {id},
    unit_id BIGINT NOT NULL REFERENCES org_node(id),
    year BIGINT NOT NULL REFERENCES planning_year(year),
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'returned')),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_id, year)
);

CREATE TABLE plan_section (
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    key TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, key)
);

-- Append-only: who changed what, when, with the row before and after (JSON).
CREATE TABLE audit_event (
    id {id},
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_event_entity ON audit_event(entity, entity_id);
