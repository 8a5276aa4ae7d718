-- Pages as the crawler received them: the evidence ads come from. One row
-- per (url, sha256): a page fetched again unchanged only moves
-- last_fetched_at. body is the payload compressed as body_encoding says
-- ('zstd'); sha256 is of the uncompressed payload.
CREATE TABLE pages (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    status          INTEGER NOT NULL,
    proto           TEXT NOT NULL DEFAULT '',
    headers         TEXT NOT NULL, -- JSON object: header name -> list of values
    body            BLOB NOT NULL,
    body_encoding   TEXT NOT NULL,
    size            INTEGER NOT NULL, -- uncompressed payload bytes
    fetched_at      TEXT NOT NULL,    -- first fetch with this content
    last_fetched_at TEXT NOT NULL,
    UNIQUE (url, sha256)
);
CREATE INDEX pages_last_fetched ON pages (last_fetched_at);
CREATE INDEX pages_sha256 ON pages (sha256);

-- The page each ad was last read from, and every page any version of it
-- was read from.
ALTER TABLE ads ADD COLUMN page_sha256 TEXT NOT NULL DEFAULT '';
CREATE TABLE ad_pages (
    ad_id       TEXT NOT NULL REFERENCES ads (id),
    page_sha256 TEXT NOT NULL,
    url         TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    PRIMARY KEY (ad_id, page_sha256)
);
CREATE INDEX ad_pages_page ON ad_pages (page_sha256);
