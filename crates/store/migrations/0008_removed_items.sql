-- A goal, indicator or activity a writer removes is kept, marked with when it was removed
-- (a UTC timestamp as text, like every other): its history stays readable and it can be
-- restored from there. Every read of a document leaves removed items out; what hangs on a
-- removed goal goes with it.

ALTER TABLE goal ADD COLUMN removed_at TEXT;
ALTER TABLE indicator ADD COLUMN removed_at TEXT;
ALTER TABLE activity ADD COLUMN removed_at TEXT;
