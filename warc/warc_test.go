package warc

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/lurewatch/lurewatch"
)

func testPages() []*lurewatch.Page {
	body1 := []byte("<html><body><h1>Casino job, visa free</h1>\r\n\r\nHTTP/1.1 200 OK</body></html>")
	body2 := []byte{0x1f, 0x8b, 0, 1, 2, 0xff, '\r', '\n', '\r', '\n', 0xfe}
	t := time.Date(2026, 11, 25, 10, 0, 0, 123456789, time.UTC)
	return []*lurewatch.Page{
		{URL: "https://jobs.example/ad/1", Status: 200, Proto: "HTTP/1.1",
			Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}, "Etag": {`"x"`}},
			Body:   body1, SHA256: lurewatch.PageSHA256(body1), FetchedAt: t},
		{URL: "https://jobs.example/sitemap.xml.gz?a=1&b=2", Status: 200, Proto: "HTTP/2.0",
			Header: http.Header{"Content-Type": {"application/gzip"}},
			Body:   body2, SHA256: lurewatch.PageSHA256(body2), FetchedAt: t.Add(time.Second)},
		{URL: "https://jobs.example/empty", Status: 202, Body: []byte{}, FetchedAt: t.Add(2 * time.Second)},
	}
}

// TestWriteReadBack writes pages and reads them back with gowarc: the
// records, their URIs, payloads and digests must be what was stored.
func TestWriteReadBack(t *testing.T) {
	for _, gz := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "gzip"}[gz], func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, Options{Gzip: gz, Filename: "test.warc", Software: "lurewatch/test"})
			if err != nil {
				t.Fatal(err)
			}
			pages := testPages()
			for _, p := range pages {
				if err := w.WritePage(p); err != nil {
					t.Fatal(err)
				}
			}
			if w.Records() != len(pages)+1 {
				t.Fatalf("Records() = %d, want %d", w.Records(), len(pages)+1)
			}
			if gz && (buf.Len() < 2 || buf.Bytes()[0] != 0x1f || buf.Bytes()[1] != 0x8b) {
				t.Fatal("gzip output does not start with a gzip header")
			}
			if !gz && !strings.HasPrefix(buf.String(), "WARC/1.1\r\n") {
				t.Fatalf("output starts %q", buf.String()[:20])
			}
			recs := readBack(t, buf.Bytes())
			if len(recs) != len(pages)+1 {
				t.Fatalf("read %d records, want %d", len(recs), len(pages)+1)
			}
			if recs[0].typ != gowarc.Warcinfo || !strings.Contains(string(recs[0].block), "format: WARC File Format 1.1") {
				t.Errorf("first record: type %v, block %q", recs[0].typ, recs[0].block)
			}
			for i, p := range pages {
				r := recs[i+1]
				if r.typ != gowarc.Response {
					t.Errorf("record %d: type %v", i+1, r.typ)
				}
				if r.uri != p.URL {
					t.Errorf("record %d: target URI %q, want %q", i+1, r.uri, p.URL)
				}
				if !bytes.Equal(r.payload, p.Body) {
					t.Errorf("record %d: payload %q, want %q", i+1, r.payload, p.Body)
				}
				if want := "sha256:" + lurewatch.PageSHA256(p.Body); !strings.EqualFold(r.payloadDigest, want) {
					t.Errorf("record %d: payload digest %q, want %q", i+1, r.payloadDigest, want)
				}
				if !strings.HasPrefix(r.blockDigest, "sha256:") {
					t.Errorf("record %d: block digest %q", i+1, r.blockDigest)
				}
				if r.status != p.Status {
					t.Errorf("record %d: status %d, want %d", i+1, r.status, p.Status)
				}
				if got, _ := time.Parse(time.RFC3339Nano, r.date); !got.Equal(p.FetchedAt) {
					t.Errorf("record %d: date %q, want %v", i+1, r.date, p.FetchedAt)
				}
				if r.warcinfo != recs[0].id {
					t.Errorf("record %d: WARC-Warcinfo-ID %q, want %q", i+1, r.warcinfo, recs[0].id)
				}
			}
			if ct := recs[1].header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("HTTP Content-Type %q", ct)
			}
		})
	}
}

type readRecord struct {
	typ                        gowarc.RecordType
	id, uri, date, warcinfo    string
	payloadDigest, blockDigest string
	status                     int
	header                     http.Header
	block, payload             []byte
}

// readBack reads every record of a WARC file with strict validation
// (digests checked) and returns what it found.
func readBack(t *testing.T, data []byte) []readRecord {
	t.Helper()
	r, err := gowarc.NewWarcFileReaderFromStream(bytes.NewReader(data), 0, gowarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []readRecord
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("record %d: %v", len(out), err)
		}
		if len(rec.Validation) > 0 {
			t.Errorf("record %d: validation: %v", len(out), rec.Validation)
		}
		wr := rec.WarcRecord
		h := wr.WarcHeader()
		rr := readRecord{typ: wr.Type(), id: wr.RecordId(), uri: h.Get(gowarc.WarcTargetURI), date: h.Get(gowarc.WarcDate),
			warcinfo: h.GetId(gowarc.WarcWarcinfoID), payloadDigest: h.Get(gowarc.WarcPayloadDigest),
			blockDigest: h.Get(gowarc.WarcBlockDigest)}
		if hb, ok := wr.Block().(gowarc.HttpResponseBlock); ok {
			rr.status = hb.HttpStatusCode()
			rr.header = *hb.HttpHeader()
			pr, err := hb.PayloadBytes()
			if err != nil {
				t.Fatal(err)
			}
			rr.payload, _ = io.ReadAll(pr)
		} else {
			br, err := wr.Block().RawBytes()
			if err != nil {
				t.Fatal(err)
			}
			rr.block, _ = io.ReadAll(br)
		}
		if _, err := wr.ValidateDigest(); err != nil {
			t.Errorf("record %d: digest: %v", len(out), err)
		}
		rec.Close()
		out = append(out, rr)
	}
	return out
}

func TestWritePageInvalid(t *testing.T) {
	w, err := NewWriter(io.Discard, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*lurewatch.Page{
		{Status: 200},
		{URL: "https://x.example/", Status: 0},
		{URL: "https://x.example/", Status: 200, Body: []byte("a"), SHA256: lurewatch.PageSHA256([]byte("b"))},
	} {
		if err := w.WritePage(p); !errors.Is(err, lurewatch.ErrInvalid) {
			t.Errorf("WritePage(%+v) = %v, want ErrInvalid", p, err)
		}
	}
}

func TestReadPages(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Options{Gzip: true})
	if err != nil {
		t.Fatal(err)
	}
	pages := testPages()
	for _, p := range pages {
		if err := w.WritePage(p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadPages(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(pages) {
		t.Fatalf("read %d pages, want %d", len(got), len(pages))
	}
	for i, p := range pages {
		g := got[i]
		if g.URL != p.URL || g.Status != p.Status || !bytes.Equal(g.Body, p.Body) ||
			g.SHA256 != lurewatch.PageSHA256(p.Body) || !g.FetchedAt.Equal(p.FetchedAt) {
			t.Errorf("page %d: got %+v, want %+v", i, g, p)
		}
	}
	// A flipped byte in a payload fails the digest check.
	var plain bytes.Buffer
	w, _ = NewWriter(&plain, Options{})
	_ = w.WritePage(pages[0])
	bad := bytes.Replace(plain.Bytes(), []byte("Casino job"), []byte("Casino jog"), 1)
	if _, err := ReadPages(bytes.NewReader(bad)); err == nil {
		t.Error("a corrupted payload was read without error")
	}
}
