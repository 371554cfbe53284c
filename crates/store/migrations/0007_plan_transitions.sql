-- A plan's workflow, step by step: who moved it from which status to which, when, and with
-- what comment (a return's comment and a reopening's reason are required, the others
-- optional; none is NULL). Rows are only ever added. `at` is a UTC timestamp as text, like
-- every other; statuses are the codes of `plan.status`.

CREATE TABLE plan_transition (
    id {id},
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    from_status TEXT NOT NULL CHECK (from_status IN ('draft', 'submitted', 'approved', 'returned')),
    to_status TEXT NOT NULL CHECK (to_status IN ('draft', 'submitted', 'approved', 'returned')),
    actor TEXT NOT NULL,
    comment TEXT,
    at TEXT NOT NULL
);
CREATE INDEX plan_transition_plan ON plan_transition(plan_id, id);
