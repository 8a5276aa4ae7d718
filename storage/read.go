package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lurewatch/lurewatch"
)

const adColumns = `a.id, a.source, a.source_kind, a.url, a.title, a.text, a.employer, a.location, a.salary,
	a.contact, a.posted_at, a.valid_through, a.fetched_at, a.content_hash`

type scanner interface{ Scan(...any) error }

func scanAd(s scanner, extra ...any) (*lurewatch.Ad, error) {
	var ad lurewatch.Ad
	var posted, valid, fetched string
	dest := append([]any{&ad.ID, &ad.Source, &ad.SourceKind, &ad.URL, &ad.Title, &ad.Text, &ad.Employer,
		&ad.Location, &ad.Salary, &ad.Contact, &posted, &valid, &fetched, &ad.ContentHash}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	ad.SchemaVersion = lurewatch.SchemaVersion
	ad.PostedAt, ad.ValidThrough, ad.FetchedAt = parseTime(posted), parseTime(valid), parseTime(fetched)
	return &ad, nil
}

// Ad returns the stored ad with the given id, or an error wrapping
// lurewatch.ErrNotFound.
func (db *DB) Ad(ctx context.Context, id string) (*lurewatch.Ad, error) {
	ad, err := scanAd(db.read.QueryRowContext(ctx, `SELECT `+adColumns+` FROM ads a WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("ad %s: %w", id, lurewatch.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("ad %s: %w", id, err)
	}
	return ad, nil
}

// Assessment returns the latest assessment of the ad's current content, with
// its indicators and evidence, or an error wrapping lurewatch.ErrNotFound.
func (db *DB) Assessment(ctx context.Context, adID string) (*lurewatch.Assessment, error) {
	row := db.read.QueryRowContext(ctx, `
SELECT s.id, s.ad_id, s.content_hash, s.rules_version, s.detector_version, s.score, s.level,
       s.categories, s.summary, s.entities, s.assessed_at, s.lang
FROM assessments s JOIN ads a ON a.id = s.ad_id AND a.content_hash = s.content_hash
WHERE s.ad_id = ? ORDER BY s.assessed_at DESC, s.id DESC LIMIT 1`, adID)
	var as lurewatch.Assessment
	var id int64
	var level int
	var categories, entities, assessedAt string
	err := row.Scan(&id, &as.AdID, &as.ContentHash, &as.RulesVersion, &as.DetectorVersion, &as.Score, &level,
		&categories, &as.Summary, &entities, &assessedAt, &as.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("assessment of ad %s: %w", adID, lurewatch.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("assessment of ad %s: %w", adID, err)
	}
	as.SchemaVersion = lurewatch.SchemaVersion
	as.Level = lurewatch.Level(level)
	as.AssessedAt = parseTime(assessedAt)
	if err := json.Unmarshal([]byte(categories), &as.Categories); err != nil {
		return nil, fmt.Errorf("assessment of ad %s: categories: %w", adID, err)
	}
	if err := json.Unmarshal([]byte(entities), &as.Entities); err != nil {
		return nil, fmt.Errorf("assessment of ad %s: entities: %w", adID, err)
	}
	as.Indicators, err = db.indicators(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("assessment of ad %s: %w", adID, err)
	}
	return &as, nil
}

func (db *DB) indicators(ctx context.Context, assessmentID int64) ([]lurewatch.Indicator, error) {
	rows, err := db.read.QueryContext(ctx, `
SELECT indicator_id, category, weight, description, evidence FROM indicators
WHERE assessment_id = ? ORDER BY position`, assessmentID)
	if err != nil {
		return nil, fmt.Errorf("indicators: %w", err)
	}
	defer rows.Close()
	var out []lurewatch.Indicator
	for rows.Next() {
		var ind lurewatch.Indicator
		var evidence string
		if err := rows.Scan(&ind.ID, &ind.Category, &ind.Weight, &ind.Description, &evidence); err != nil {
			return nil, fmt.Errorf("indicators: %w", err)
		}
		if err := json.Unmarshal([]byte(evidence), &ind.Evidence); err != nil {
			return nil, fmt.Errorf("indicator %s evidence: %w", ind.ID, err)
		}
		out = append(out, ind)
	}
	return out, rows.Err()
}

// Flagged is an ad with the score and level of its latest assessment, as
// listed for analysts.
type Flagged struct {
	Ad         lurewatch.Ad
	Score      int
	Level      lurewatch.Level
	Summary    string
	Categories []string
}

// ListAssessed returns the ads whose current content is assessed at level
// min or above, highest score first, at most limit rows (0: no limit).
func (db *DB) ListAssessed(ctx context.Context, min lurewatch.Level, limit int) ([]Flagged, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.read.QueryContext(ctx, `
SELECT `+adColumns+`, s.score, s.level, s.summary, s.categories
FROM ads a JOIN assessments s ON s.id = (
    SELECT id FROM assessments WHERE ad_id = a.id AND content_hash = a.content_hash
    ORDER BY assessed_at DESC, id DESC LIMIT 1)
WHERE s.level >= ?
ORDER BY s.score DESC, a.title, a.id
LIMIT ?`, int(min), limit)
	if err != nil {
		return nil, fmt.Errorf("list assessed ads: %w", err)
	}
	defer rows.Close()
	var out []Flagged
	for rows.Next() {
		var f Flagged
		var level int
		var categories string
		ad, err := scanAd(rows, &f.Score, &level, &f.Summary, &categories)
		if err != nil {
			return nil, fmt.Errorf("list assessed ads: %w", err)
		}
		f.Ad, f.Level = *ad, lurewatch.Level(level)
		if err := json.Unmarshal([]byte(categories), &f.Categories); err != nil {
			return nil, fmt.Errorf("list assessed ads: categories of %s: %w", ad.ID, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Stats counts what the database holds.
type Stats struct {
	Ads, Assessments, DeadLetters, Runs int
}

// Stats returns row counts of the main tables.
func (db *DB) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	err := db.read.QueryRowContext(ctx, `SELECT
 (SELECT count(*) FROM ads), (SELECT count(*) FROM assessments),
 (SELECT count(*) FROM dead_letters), (SELECT count(*) FROM crawl_runs)`).
		Scan(&s.Ads, &s.Assessments, &s.DeadLetters, &s.Runs)
	if err != nil {
		return s, fmt.Errorf("stats: %w", err)
	}
	return s, nil
}

// IsAssessed reports whether the ad with this id and content hash has an
// assessment stored.
func (db *DB) IsAssessed(ctx context.Context, adID, contentHash string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx,
		`SELECT count(*) FROM assessments WHERE ad_id = ? AND content_hash = ?`, adID, contentHash).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("is ad %s assessed: %w", adID, err)
	}
	return n > 0, nil
}

// DeadLetters returns stored dead letters, newest first, at most limit.
func (db *DB) DeadLetters(ctx context.Context, limit int) ([]lurewatch.DeadLetter, error) {
	rows, err := db.read.QueryContext(ctx, `
SELECT stream, subject, sequence, msg_id, reason, data, failed_at FROM dead_letters
ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("dead letters: %w", err)
	}
	defer rows.Close()
	var out []lurewatch.DeadLetter
	for rows.Next() {
		var d lurewatch.DeadLetter
		var seq int64
		var failed string
		if err := rows.Scan(&d.Stream, &d.Subject, &seq, &d.MsgID, &d.Reason, &d.Data, &failed); err != nil {
			return nil, fmt.Errorf("dead letters: %w", err)
		}
		d.Sequence, d.FailedAt = uint64(seq), parseTime(failed)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Runs returns the most recent crawl runs, newest first, at most limit.
func (db *DB) Runs(ctx context.Context, limit int) ([]lurewatch.CrawlRun, error) {
	rows, err := db.read.QueryContext(ctx, `
SELECT id, source, started_at, finished_at, pages, ads, errors, status, error,
    ads_new, ads_changed, ads_unchanged, pages_not_modified, errors_by_kind FROM crawl_runs
ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("runs: %w", err)
	}
	defer rows.Close()
	var out []lurewatch.CrawlRun
	for rows.Next() {
		var r lurewatch.CrawlRun
		var started, finished, byKind string
		if err := rows.Scan(&r.ID, &r.Source, &started, &finished, &r.Pages, &r.Ads, &r.Errors, &r.Status, &r.Error,
			&r.AdsNew, &r.AdsChanged, &r.AdsUnchanged, &r.PagesNotModified, &byKind); err != nil {
			return nil, fmt.Errorf("runs: %w", err)
		}
		r.StartedAt, r.FinishedAt = parseTime(started), parseTime(finished)
		if err := json.Unmarshal([]byte(byKind), &r.ErrorsByKind); err != nil {
			return nil, fmt.Errorf("runs: run %d: errors by kind: %w", r.ID, err)
		}
		if len(r.ErrorsByKind) == 0 {
			r.ErrorsByKind = nil
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
