-- Ready marks ("Klar") on the parts of a follow-up report, as `plan_ready_mark` (0009) keeps
-- them for plans: one of the report's own sections (`section:<key>`), the follow-up of one
-- of its goals (`goal:<goal id>`), or its economy (`economy`). Unmarking or editing the part
-- deletes its row (audited); a mark made again is a new row, so `id` tells one mark from an
-- earlier one.

CREATE TABLE report_ready_mark (
    id {id},
    report_id BIGINT NOT NULL REFERENCES report(id),
    part TEXT NOT NULL CHECK (part LIKE 'section:%' OR part LIKE 'goal:%' OR part = 'economy'),
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (report_id, part)
);
