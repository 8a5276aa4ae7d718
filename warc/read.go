package warc

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/lurewatch/lurewatch"
)

// ReadPages reads a WARC file (gzipped or not) and returns the pages of
// its response records, checking every record strictly: syntax, required
// fields and block and payload digests. Records of other types are
// skipped. It is how lurewatch checks what it exported.
func ReadPages(r io.Reader) ([]*lurewatch.Page, error) {
	wf, err := gowarc.NewWarcFileReaderFromStream(r, 0, gowarc.WithStrictValidation())
	if err != nil {
		return nil, fmt.Errorf("read warc: %w", err)
	}
	defer wf.Close()
	var pages []*lurewatch.Page
	for i := 0; ; i++ {
		rec, err := wf.Next()
		if errors.Is(err, io.EOF) {
			return pages, nil
		}
		if err != nil {
			return pages, fmt.Errorf("read warc record %d: %w", i, err)
		}
		p, err := pageOf(rec.WarcRecord)
		rec.Close()
		if err != nil {
			return pages, fmt.Errorf("read warc record %d: %w", i, err)
		}
		if p != nil {
			pages = append(pages, p)
		}
	}
}

// pageOf returns the page of a response record, or nil for another type.
func pageOf(wr gowarc.WarcRecord) (*lurewatch.Page, error) {
	if wr.Type() != gowarc.Response {
		return nil, nil
	}
	if _, err := wr.ValidateDigest(); err != nil {
		return nil, err
	}
	hb, ok := wr.Block().(gowarc.HttpResponseBlock)
	if !ok {
		return nil, fmt.Errorf("%w: response record without an HTTP response", lurewatch.ErrInvalid)
	}
	pr, err := hb.PayloadBytes()
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(pr)
	if err != nil {
		return nil, err
	}
	date, err := time.Parse(time.RFC3339Nano, wr.WarcHeader().Get(gowarc.WarcDate))
	if err != nil {
		return nil, fmt.Errorf("%w: WARC-Date: %v", lurewatch.ErrInvalid, err)
	}
	return &lurewatch.Page{
		URL:       wr.WarcHeader().Get(gowarc.WarcTargetURI),
		Status:    hb.HttpStatusCode(),
		Header:    hb.HttpHeader().Clone(),
		Body:      body,
		SHA256:    lurewatch.PageSHA256(body),
		FetchedAt: date,
	}, nil
}
