-- Ready marks ("Klar"): a writer marks a part of a plan ready when it is done. A part is
-- one of the plan's own sections (`section:<template key>`) or one of the unit's goals in
-- it (`goal:<goal id>`). Unmarking or editing the part deletes its row (audited); a mark
-- made again is a new row, so `id` tells one mark from an earlier one. `at` is a UTC
-- timestamp as text, like every other.

CREATE TABLE plan_ready_mark (
    id {id},
    plan_id BIGINT NOT NULL REFERENCES plan(id),
    part TEXT NOT NULL CHECK (part LIKE 'section:%' OR part LIKE 'goal:%'),
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (plan_id, part)
);
