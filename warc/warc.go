// Package warc writes the pages lurewatch keeps as evidence as WARC 1.1
// files (ISO 28500), the format web archives and their tools read. It is
// the only package that imports the WARC library (nlnwa/gowarc).
//
// A file is a warcinfo record followed by one response record per page:
// the HTTP status line, the response headers and the body as received,
// with WARC-Target-URI, WARC-Date (the fetch time), WARC-Block-Digest and
// WARC-Payload-Digest (sha256, base16, the library's convention for
// sha256). Written with gzip, each record is its own gzip member, as
// .warc.gz readers expect.
package warc

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/lurewatch/lurewatch"
)

// Options configure a Writer.
type Options struct {
	// Gzip compresses each record as its own gzip member (.warc.gz).
	Gzip bool
	// Filename is the file's name, given in the warcinfo record.
	Filename string
	// Software names the program that wrote the file (warcinfo).
	Software string
	// Description, if set, is added to the warcinfo record.
	Description string
	// Now returns the time of the warcinfo record; default time.Now.
	Now func() time.Time
}

// Writer writes WARC records to an io.Writer. It is not safe for
// concurrent use.
type Writer struct {
	w          io.Writer
	opts       Options
	marshaler  gowarc.Marshaler
	warcinfoID string
	n          int
}

// recordOptions make the library add the record id, Content-Length and
// the block and payload digests (sha256) of every record it builds, and
// fail a record it finds invalid.
var recordOptions = []gowarc.WarcRecordOption{
	gowarc.WithAddMissingRecordId(true),
	gowarc.WithAddMissingContentLength(true),
	gowarc.WithAddMissingDigest(true),
	gowarc.WithDefaultDigestAlgorithm("sha256"),
	gowarc.WithSpecViolationPolicy(gowarc.ErrFail),
	gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail),
}

// NewWriter writes the warcinfo record to w and returns a Writer for the
// page records.
func NewWriter(w io.Writer, opts Options) (*Writer, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Software == "" {
		opts.Software = "lurewatch"
	}
	wr := &Writer{w: w, opts: opts, marshaler: gowarc.NewMarshaler()}
	b := gowarc.NewRecordBuilder(gowarc.Warcinfo, recordOptions...)
	defer b.Close()
	b.AddWarcHeaderTime(gowarc.WarcDate, opts.Now())
	b.AddWarcHeader(gowarc.ContentType, "application/warc-fields")
	if opts.Filename != "" {
		b.AddWarcHeader(gowarc.WarcFilename, opts.Filename)
	}
	var fields strings.Builder
	fmt.Fprintf(&fields, "software: %s\r\n", opts.Software)
	fields.WriteString("format: WARC File Format 1.1\r\n")
	fields.WriteString("conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n")
	if opts.Description != "" {
		fmt.Fprintf(&fields, "description: %s\r\n", oneLine(opts.Description))
	}
	if _, err := b.WriteString(fields.String()); err != nil {
		return nil, fmt.Errorf("warcinfo record: %w", err)
	}
	rec, _, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("warcinfo record: %w", err)
	}
	defer rec.Close()
	wr.warcinfoID = rec.RecordId()
	if err := wr.write(rec); err != nil {
		return nil, fmt.Errorf("warcinfo record: %w", err)
	}
	return wr, nil
}

// WritePage writes p as a response record. The page's SHA-256, when set,
// must match its body; the record's payload digest is the SHA-256 of the
// body. An invalid page wraps lurewatch.ErrInvalid.
func (w *Writer) WritePage(p *lurewatch.Page) error {
	if p.URL == "" || p.Status < 100 || p.Status > 999 {
		return fmt.Errorf("page record: %w: a page needs a URL and a status", lurewatch.ErrInvalid)
	}
	if p.SHA256 != "" && p.SHA256 != lurewatch.PageSHA256(p.Body) {
		return fmt.Errorf("page record %s: %w: sha256 does not match the body", p.URL, lurewatch.ErrInvalid)
	}
	b := gowarc.NewRecordBuilder(gowarc.Response, recordOptions...)
	defer b.Close()
	b.AddWarcHeader(gowarc.WarcTargetURI, p.URL)
	b.AddWarcHeaderTime(gowarc.WarcDate, p.FetchedAt)
	b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
	if w.warcinfoID != "" {
		b.AddWarcHeader(gowarc.WarcWarcinfoID, "<"+w.warcinfoID+">")
	}
	if _, err := b.Write(httpResponse(p)); err != nil {
		return fmt.Errorf("page record %s: %w", p.URL, err)
	}
	rec, _, err := b.Build()
	if err != nil {
		return fmt.Errorf("page record %s: %w", p.URL, err)
	}
	defer rec.Close()
	if err := w.write(rec); err != nil {
		return fmt.Errorf("page record %s: %w", p.URL, err)
	}
	return nil
}

// Records returns how many records were written, warcinfo included.
func (w *Writer) Records() int { return w.n }

// write marshals one record, in its own gzip member when Options.Gzip.
func (w *Writer) write(rec gowarc.WarcRecord) error {
	out := w.w
	var gz *gzip.Writer
	if w.opts.Gzip {
		gz = gzip.NewWriter(w.w)
		out = gz
	}
	if _, _, err := w.marshaler.Marshal(out, rec, 0); err != nil {
		return err
	}
	if gz != nil {
		if err := gz.Close(); err != nil {
			return err
		}
	}
	w.n++
	return nil
}

// httpResponse returns the HTTP response message of p: status line,
// headers as received and the body.
func httpResponse(p *lurewatch.Page) []byte {
	proto := p.Proto
	if proto == "" || strings.HasPrefix(proto, "HTTP/2") || strings.HasPrefix(proto, "HTTP/3") {
		// WARC readers parse an HTTP/1.x message; Go reports HTTP/2 as
		// "HTTP/2.0", whose framing is not what is stored anyway.
		proto = "HTTP/1.1"
	}
	var b bytes.Buffer
	b.WriteString(proto + " " + strconv.Itoa(p.Status))
	if t := http.StatusText(p.Status); t != "" {
		b.WriteString(" " + t)
	}
	b.WriteString("\r\n")
	_ = p.Header.Write(&b) // a bytes.Buffer does not fail
	b.WriteString("\r\n")
	b.Write(p.Body)
	return b.Bytes()
}

// oneLine replaces line breaks in s with spaces.
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
