-- The archive copy of an approved document, made once at approval and never changed: the
-- PDF/A, the JSON the API answers for it and the HTML body of its page, each with its
-- SHA-256 (hex). `approval` is the workflow step that approved it (`plan_transition.id`),
-- 0 for a document approved without a recorded step (an import, the demo, a report before
-- reports have a workflow): a reopened and again approved plan gets a new row, and the
-- older rows stay. The unit's name, the year and the kind are kept as they were at
-- approval, for the e-archive's manifest. Rows are only ever added: no code updates or
-- deletes them (crates/store/tests/archive.rs checks the sources), and
-- `malkedja archive verify` recomputes every checksum.
CREATE TABLE frozen_document (
    id {id},
    doc_kind TEXT NOT NULL CHECK (doc_kind IN ('plan', 'report')),
    doc_id BIGINT NOT NULL,
    approval BIGINT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES org_node(id),
    unit_name TEXT NOT NULL,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    approved_at TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    pdf {bytes} NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    json TEXT NOT NULL,
    json_sha256 TEXT NOT NULL,
    html TEXT NOT NULL,
    html_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (doc_kind, doc_id, approval)
);
