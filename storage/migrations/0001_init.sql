-- Ads as crawled: one row per ad id, updated when its content changes.
CREATE TABLE ads (
    id            TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    source_kind   TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    employer      TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    salary        TEXT NOT NULL DEFAULT '',
    contact       TEXT NOT NULL DEFAULT '',
    posted_at     TEXT NOT NULL DEFAULT '',
    valid_through TEXT NOT NULL DEFAULT '',
    fetched_at    TEXT NOT NULL DEFAULT '',
    content_hash  TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL
);
CREATE INDEX ads_source ON ads (source);

-- One assessment per ad content and rules version: redelivery of the same
-- assessment is a no-op, a changed ad or new rules add a row.
CREATE TABLE assessments (
    id               INTEGER PRIMARY KEY,
    ad_id            TEXT NOT NULL REFERENCES ads (id),
    content_hash     TEXT NOT NULL,
    rules_version    TEXT NOT NULL,
    detector_version TEXT NOT NULL,
    score            INTEGER NOT NULL,
    level            INTEGER NOT NULL,
    categories       TEXT NOT NULL, -- JSON array
    summary          TEXT NOT NULL,
    entities         TEXT NOT NULL, -- JSON array of lurewatch.Entity
    assessed_at      TEXT NOT NULL,
    UNIQUE (ad_id, content_hash, rules_version)
);
CREATE INDEX assessments_level ON assessments (level, score);

-- Matched indicators with their evidence, one row per indicator.
CREATE TABLE indicators (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL, -- order in the assessment, strongest first
    indicator_id  TEXT NOT NULL,
    category      TEXT NOT NULL,
    weight        REAL NOT NULL,
    description   TEXT NOT NULL,
    evidence      TEXT NOT NULL, -- JSON array of lurewatch.Evidence
    PRIMARY KEY (assessment_id, indicator_id)
);
CREATE INDEX indicators_category ON indicators (category);

-- Each run of each source.
CREATE TABLE crawl_runs (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL DEFAULT '',
    pages       INTEGER NOT NULL DEFAULT 0,
    ads         INTEGER NOT NULL DEFAULT 0,
    errors      INTEGER NOT NULL DEFAULT 0,
    status      TEXT NOT NULL,
    error       TEXT NOT NULL DEFAULT ''
);

-- Messages that could not be processed, with the reason. Never deleted by
-- lurewatch itself.
CREATE TABLE dead_letters (
    id        INTEGER PRIMARY KEY,
    stream    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    sequence  INTEGER NOT NULL,
    msg_id    TEXT NOT NULL,
    reason    TEXT NOT NULL,
    data      BLOB NOT NULL,
    failed_at TEXT NOT NULL,
    UNIQUE (stream, sequence)
);
