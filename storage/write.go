package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lurewatch/lurewatch"
)

// SaveAssessed stores an ad and its assessment in one transaction. The ad
// row is inserted or updated to this content; the assessment is inserted
// once per (ad, content hash, rules version), so saving the same assessed ad
// again changes nothing but the ad's last_seen time.
func (db *DB) SaveAssessed(ctx context.Context, a *lurewatch.AssessedAd) error {
	ad, as := &a.Ad, &a.Assessment
	if ad.ID == "" || ad.ContentHash == "" {
		return fmt.Errorf("save assessed ad: %w: ad needs an id and a content hash", lurewatch.ErrInvalid)
	}
	categories, err := json.Marshal(nonNil(as.Categories))
	if err != nil {
		return fmt.Errorf("save assessed ad %s: %w", ad.ID, err)
	}
	entities, err := json.Marshal(nonNil(as.Entities))
	if err != nil {
		return fmt.Errorf("save assessed ad %s: %w", ad.ID, err)
	}
	now := formatTime(db.Now())
	assessedAt := as.AssessedAt
	if assessedAt.IsZero() {
		assessedAt = db.Now()
	}

	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save assessed ad %s: %w", ad.ID, err)
	}
	defer tx.Rollback()

	_, err = tx.ExecContext(ctx, `
INSERT INTO ads (id, source, source_kind, url, title, text, employer, location, salary, contact,
                 posted_at, valid_through, fetched_at, content_hash, first_seen, last_seen)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    source = excluded.source, source_kind = excluded.source_kind, url = excluded.url,
    title = excluded.title, text = excluded.text, employer = excluded.employer,
    location = excluded.location, salary = excluded.salary, contact = excluded.contact,
    posted_at = excluded.posted_at, valid_through = excluded.valid_through,
    fetched_at = max(ads.fetched_at, excluded.fetched_at),
    content_hash = excluded.content_hash, last_seen = excluded.last_seen
WHERE excluded.fetched_at >= ads.fetched_at`,
		ad.ID, ad.Source, ad.SourceKind, ad.URL, ad.Title, ad.Text, ad.Employer, ad.Location, ad.Salary, ad.Contact,
		formatTime(ad.PostedAt), formatTime(ad.ValidThrough), formatTime(ad.FetchedAt), ad.ContentHash, now, now)
	if err != nil {
		return fmt.Errorf("save ad %s: %w", ad.ID, err)
	}
	if err := linkAdPage(ctx, tx, ad, now); err != nil {
		return err
	}

	var assessmentID int64
	err = tx.QueryRowContext(ctx, `
INSERT INTO assessments (ad_id, content_hash, rules_version, detector_version, score, level,
                         categories, summary, entities, assessed_at, lang)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (ad_id, content_hash, rules_version) DO NOTHING
RETURNING id`,
		ad.ID, ad.ContentHash, as.RulesVersion, as.DetectorVersion, as.Score, int(as.Level),
		string(categories), as.Summary, string(entities), formatTime(assessedAt), as.Lang).Scan(&assessmentID)
	if errors.Is(err, sql.ErrNoRows) {
		// Already stored: a redelivery. The ad row above is all there is to do.
		return commit(tx, ad.ID)
	}
	if err != nil {
		return fmt.Errorf("save assessment of ad %s: %w", ad.ID, err)
	}
	for i, ind := range as.Indicators {
		evidence, err := json.Marshal(nonNil(ind.Evidence))
		if err != nil {
			return fmt.Errorf("save assessment of ad %s: %w", ad.ID, err)
		}
		if _, err := tx.ExecContext(ctx, `
INSERT INTO indicators (assessment_id, position, indicator_id, category, weight, description, evidence)
VALUES (?, ?, ?, ?, ?, ?, ?)`,
			assessmentID, i, ind.ID, ind.Category, ind.Weight, ind.Description, string(evidence)); err != nil {
			return fmt.Errorf("save indicator %s of ad %s: %w", ind.ID, ad.ID, err)
		}
	}
	return commit(tx, ad.ID)
}

func commit(tx *sql.Tx, adID string) error {
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit ad %s: %w", adID, err)
	}
	return nil
}

// nonNil returns s, or an empty slice for nil, so JSON columns hold [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// SaveDeadLetter stores a dead letter once per (stream, sequence).
func (db *DB) SaveDeadLetter(ctx context.Context, d *lurewatch.DeadLetter) error {
	failedAt := d.FailedAt
	if failedAt.IsZero() {
		failedAt = db.Now()
	}
	data := d.Data
	if data == nil {
		data = []byte{}
	}
	_, err := db.write.ExecContext(ctx, `
INSERT INTO dead_letters (stream, subject, sequence, msg_id, reason, data, failed_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (stream, sequence) DO NOTHING`,
		d.Stream, d.Subject, int64(d.Sequence), d.MsgID, d.Reason, data, formatTime(failedAt))
	if err != nil {
		return fmt.Errorf("save dead letter %s/%d: %w", d.Stream, d.Sequence, err)
	}
	return nil
}

// StartRun records the start of a run of source and returns its id.
func (db *DB) StartRun(ctx context.Context, source string) (int64, error) {
	res, err := db.write.ExecContext(ctx,
		`INSERT INTO crawl_runs (source, started_at, status) VALUES (?, ?, 'running')`,
		source, formatTime(db.Now()))
	if err != nil {
		return 0, fmt.Errorf("start run of %s: %w", source, err)
	}
	return res.LastInsertId()
}

// FinishRun records the end of run r (r.ID from StartRun): its counts
// (errors by kind included), status and error. It returns an error
// wrapping lurewatch.ErrNotFound when there is no such run.
func (db *DB) FinishRun(ctx context.Context, r *lurewatch.CrawlRun) error {
	finished := r.FinishedAt
	if finished.IsZero() {
		finished = db.Now()
	}
	kinds := r.ErrorsByKind
	if kinds == nil {
		kinds = map[string]int{}
	}
	byKind, err := json.Marshal(kinds)
	if err != nil {
		return fmt.Errorf("finish run %d: encode errors by kind: %w", r.ID, err)
	}
	res, err := db.write.ExecContext(ctx, `
UPDATE crawl_runs SET finished_at = ?, pages = ?, ads = ?, errors = ?, status = ?, error = ?,
    ads_new = ?, ads_changed = ?, ads_unchanged = ?, pages_not_modified = ?, errors_by_kind = ?
WHERE id = ?`,
		formatTime(finished), r.Pages, r.Ads, r.Errors, r.Status, r.Error,
		r.AdsNew, r.AdsChanged, r.AdsUnchanged, r.PagesNotModified, string(byKind), r.ID)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("finish run %d: %w", r.ID, lurewatch.ErrNotFound)
	}
	return nil
}
