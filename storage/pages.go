package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/lurewatch/lurewatch"
)

// bodyEncodingZstd is the only body encoding written: zstd at the default
// level.
const bodyEncodingZstd = "zstd"

// zstd coders, safe for concurrent use through EncodeAll and DecodeAll.
var (
	zenc, _ = zstd.NewWriter(nil)
	zdec, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(1<<30))
)

// SavePage stores a page as evidence, its body compressed with zstd. The
// page is stored once per (URL, SHA-256 of the body): saving it again only
// moves its last fetch time forward. SHA256 is computed when empty and
// checked when given; a mismatch or a page without URL or status wraps
// lurewatch.ErrInvalid. It implements crawler.Evidence.
func (db *DB) SavePage(ctx context.Context, p *lurewatch.Page) error {
	if p == nil || p.URL == "" || p.Status == 0 {
		return fmt.Errorf("save page: %w: a page needs a URL and a status", lurewatch.ErrInvalid)
	}
	sum := lurewatch.PageSHA256(p.Body)
	if p.SHA256 == "" {
		p.SHA256 = sum
	} else if p.SHA256 != sum {
		return fmt.Errorf("save page %s: %w: sha256 %s does not match the body (%s)", p.URL, lurewatch.ErrInvalid, p.SHA256, sum)
	}
	header := p.Header
	if header == nil {
		header = http.Header{}
	}
	headers, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("save page %s: %w", p.URL, err)
	}
	fetched := p.FetchedAt
	if fetched.IsZero() {
		fetched = db.Now()
	}
	body := zenc.EncodeAll(p.Body, make([]byte, 0, len(p.Body)/4+64))
	_, err = db.write.ExecContext(ctx, `
INSERT INTO pages (url, sha256, status, proto, headers, body, body_encoding, size, fetched_at, last_fetched_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (url, sha256) DO UPDATE SET
    last_fetched_at = max(pages.last_fetched_at, excluded.last_fetched_at)`,
		p.URL, p.SHA256, p.Status, p.Proto, string(headers), body, bodyEncodingZstd, len(p.Body),
		pageTime(fetched), pageTime(fetched))
	if err != nil {
		return fmt.Errorf("save page %s: %w", p.URL, err)
	}
	return nil
}

// pageTime formats t for the pages table: UTC with nine fraction digits,
// so that times compare correctly as text.
func pageTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00")
}

// linkAdPage records, inside the transaction that saves ad, the page it
// was read from (ad.PageSHA256), when it names one.
func linkAdPage(ctx context.Context, tx *sql.Tx, ad *lurewatch.Ad, now string) error {
	if ad.PageSHA256 == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ads SET page_sha256 = ? WHERE id = ? AND fetched_at = ?`,
		ad.PageSHA256, ad.ID, formatTime(ad.FetchedAt)); err != nil {
		return fmt.Errorf("link ad %s to page %s: %w", ad.ID, ad.PageSHA256, err)
	}
	if _, err := tx.ExecContext(ctx, `
INSERT INTO ad_pages (ad_id, page_sha256, url, first_seen) VALUES (?, ?, ?, ?)
ON CONFLICT (ad_id, page_sha256) DO NOTHING`,
		ad.ID, ad.PageSHA256, ad.URL, now); err != nil {
		return fmt.Errorf("link ad %s to page %s: %w", ad.ID, ad.PageSHA256, err)
	}
	return nil
}

const pageColumns = `url, sha256, status, proto, headers, body, body_encoding, fetched_at, last_fetched_at`

// scanPage reads one row of pageColumns and decompresses its body.
func scanPage(s scanner) (*lurewatch.Page, error) {
	var p lurewatch.Page
	var headers, encoding, fetched, last string
	var body []byte
	if err := s.Scan(&p.URL, &p.SHA256, &p.Status, &p.Proto, &headers, &body, &encoding, &fetched, &last); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(headers), &p.Header); err != nil {
		return nil, fmt.Errorf("page %s: headers: %w", p.URL, err)
	}
	switch encoding {
	case bodyEncodingZstd:
		out, err := zdec.DecodeAll(body, nil)
		if err != nil {
			return nil, fmt.Errorf("page %s: decompress body: %w", p.URL, err)
		}
		p.Body = out
	default:
		return nil, fmt.Errorf("page %s: unknown body encoding %q", p.URL, encoding)
	}
	if p.Body == nil {
		p.Body = []byte{}
	}
	p.FetchedAt = parseTime(fetched)
	return &p, nil
}

// Page returns the stored page with the given URL and body SHA-256, or an
// error wrapping lurewatch.ErrNotFound.
func (db *DB) Page(ctx context.Context, url, sha256 string) (*lurewatch.Page, error) {
	p, err := scanPage(db.read.QueryRowContext(ctx,
		`SELECT `+pageColumns+` FROM pages WHERE url = ? AND sha256 = ?`, url, sha256))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("page %s %s: %w", url, sha256, lurewatch.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("page %s %s: %w", url, sha256, err)
	}
	return p, nil
}

// AdPage returns the page the stored ad was last read from, or an error
// wrapping lurewatch.ErrNotFound when the ad or its page is not stored.
func (db *DB) AdPage(ctx context.Context, adID string) (*lurewatch.Page, error) {
	p, err := scanPage(db.read.QueryRowContext(ctx, `
SELECT `+pageColumns+` FROM pages
WHERE sha256 = (SELECT page_sha256 FROM ads WHERE id = ?)
ORDER BY (url = (SELECT url FROM ads WHERE id = ?)) DESC, last_fetched_at DESC LIMIT 1`, adID, adID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("page of ad %s: %w", adID, lurewatch.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("page of ad %s: %w", adID, err)
	}
	return p, nil
}

// EachPage calls fn with every stored page last fetched at or after since,
// in order of first fetch, one page in memory at a time. FetchedAt of each
// is the first fetch of that content. It stops at, and returns, the first
// error fn returns.
func (db *DB) EachPage(ctx context.Context, since time.Time, fn func(*lurewatch.Page) error) error {
	// Ids first, then one page per query: a long export does not hold a
	// read transaction open across fn.
	rows, err := db.read.QueryContext(ctx,
		`SELECT id FROM pages WHERE last_fetched_at >= ? ORDER BY fetched_at, id`, pageTime(since))
	if err != nil {
		return fmt.Errorf("list pages: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("list pages: %w", err)
		}
		ids = append(ids, id)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("list pages: %w", err)
	}
	for _, id := range ids {
		p, err := scanPage(db.read.QueryRowContext(ctx, `SELECT `+pageColumns+` FROM pages WHERE id = ?`, id))
		if err != nil {
			return fmt.Errorf("read page %d: %w", id, err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}
