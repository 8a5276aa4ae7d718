-- What each crawl run found, beyond pages and ads: ads new, changed and
-- unchanged since the last publish, pages the site answered with 304 Not
-- Modified, and errors by kind as a JSON object ({"fetch": 2, "parse": 1}).
ALTER TABLE crawl_runs ADD COLUMN ads_new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN ads_changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN ads_unchanged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN pages_not_modified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE crawl_runs ADD COLUMN errors_by_kind TEXT NOT NULL DEFAULT '{}';
