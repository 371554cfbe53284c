-- What a plan read like at each step of its workflow (submitted, approved, returned,
-- reopened): the plan as its reader saw it right after the step, as a JSON outline
-- (`malkedja_domain::plan_outline`: a list of {key, heading, text}), written in the same
-- transaction as the step. *Jämför* compares two of these, or one with the plan as it is
-- now. Rows are only ever added. Steps taken before this table existed have none.

CREATE TABLE plan_snapshot (
    transition_id BIGINT PRIMARY KEY REFERENCES plan_transition(id),
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    outline TEXT NOT NULL
);
CREATE INDEX plan_snapshot_plan ON plan_snapshot(plan_id, transition_id);
