-- The memo header (Tjänsteutlåtande) of a plan or a report: Dnr, date, Handläggare, Till,
-- Telefon, the title and "Förslag till beslut", which the official documents print above
-- the title (`malkedja_domain::Memo`). One row per document, edited by its writers as one
-- versioned object: a save from an older version is a conflict, never an overwrite. No row:
-- nothing written yet (version 0; every field empty, the title the default one).
CREATE TABLE document_memo (
    doc_kind TEXT NOT NULL CHECK (doc_kind IN ('plan', 'report')),
    doc_id BIGINT NOT NULL,
    case_number TEXT NOT NULL,
    memo_date TEXT,
    case_officer TEXT NOT NULL,
    addressee TEXT NOT NULL,
    phone TEXT NOT NULL,
    title TEXT NOT NULL,
    proposal TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (doc_kind, doc_id)
);
