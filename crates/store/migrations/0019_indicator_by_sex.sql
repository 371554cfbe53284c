-- Whether an indicator is reported for women and men (redovisas för kvinnor och män): the
-- indicator concerns people, so its outcomes are also given for women and men, as
-- Kolada's T/K/M. 0 or 1, like `disabled` (no booleans); a text indicator never is.
--
-- An indicator that already has a women's or men's outcome stored is one that was
-- reported so (every indicator but a text one could be until now); the others are not.

ALTER TABLE indicator ADD COLUMN by_sex BIGINT NOT NULL DEFAULT 0 CHECK (by_sex IN (0, 1));

UPDATE indicator SET by_sex = 1
WHERE value_kind <> 'text'
  AND EXISTS (
    SELECT 1 FROM indicator_outcome o
    WHERE o.indicator_id = indicator.id
      AND (TRIM(COALESCE(o.women_text, '')) <> '' OR TRIM(COALESCE(o.men_text, '')) <> '')
  );
