-- An administration's template of plan sections for a year is edited as one object: this
-- row carries its version, which every change moves on, so that a page that started from
-- an older template is a conflict, never an overwrite. No row: the administration has not
-- set a template for the year, and plans use the default one (version 0).
CREATE TABLE plan_template (
    admin_id BIGINT NOT NULL REFERENCES org_node(id),
    year BIGINT NOT NULL REFERENCES planning_year(year),
    version BIGINT NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (admin_id, year)
);

-- Templates stored before this migration start at version 1 (changed no later than their
-- year was created).
INSERT INTO plan_template (admin_id, year, version, updated_at)
SELECT DISTINCT t.admin_id, t.year, 1, y.created_at
FROM template_section t JOIN planning_year y ON y.year = t.year;
