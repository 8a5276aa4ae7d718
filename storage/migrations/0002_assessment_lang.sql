-- The detector's guess of each ad's language (ISO 639-1), for per-language
-- review queues.
ALTER TABLE assessments ADD COLUMN lang TEXT NOT NULL DEFAULT '';
