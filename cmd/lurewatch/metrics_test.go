package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/demosite"
	"github.com/lurewatch/lurewatch/internal/syncbuf"
	"github.com/lurewatch/lurewatch/storage"
	"github.com/lurewatch/lurewatch/warc"
)

// `run` with metrics on: the crawl of a local site moves the counters
// served at /metrics, every ad is linked to the page it came from, and
// `export warc` writes those pages in a WARC file that reads back intact.
func TestRunMetricsAndExportWARC(t *testing.T) {
	oldLag := lagInterval
	lagInterval = 50 * time.Millisecond
	defer func() { lagInterval = oldLag }()

	srv := httptest.NewServer(demosite.Handler())
	defer srv.Close()
	dir := t.TempDir()
	writeBoardSource(t, dir, srv.URL)
	cfg := writeFile(t, dir, "lurewatch.yaml", `data_dir: data
log:
  format: json
  level: info
crawler:
  allow_private: true
metrics:
  listen: 127.0.0.1:0
sources:
  - profile: board.yaml
    interval: 1h
`)
	boardAds := 0
	for _, e := range demosite.Expected() {
		if e.Kind == demosite.KindHTML {
			boardAds++
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncbuf.Buffer{}
	done := make(chan int, 1)
	go func() {
		a := &App{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: stderr}
		done <- a.Main(ctx, []string{"run", "--config", cfg})
	}()
	waitLog(t, stderr, "metrics serving")
	addr := logField(t, stderr.String(), "metrics serving", "addr")
	waitLog(t, stderr, `"msg":"crawl finished"`)

	// The detector and the store catch up; the lag gauge then reads 0.
	var body string
	deadline := time.Now().Add(30 * time.Second)
	for {
		body = httpGet(t, "http://"+addr+"/metrics")
		if metricValue(body, `lurewatch_ads_assessed_total`) >= float64(boardAds) &&
			strings.Contains(body, `lurewatch_consumer_pending_messages{consumer="store",stream="ASSESSMENTS"} 0`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics did not reach %d assessed ads:\n%s\nstderr:\n%s", boardAds, body, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	pages := boardAds + 1 // the ad pages and at least one listing page
	if v := metricValue(body, `lurewatch_fetches_total{code="200"}`); v < float64(pages) {
		t.Errorf("lurewatch_fetches_total{code=\"200\"} = %v, want ≥ %d", v, pages)
	}
	if v := metricValue(body, `lurewatch_ads_published_total`); v != float64(boardAds) {
		t.Errorf("lurewatch_ads_published_total = %v, want %d", v, boardAds)
	}
	if v := metricValue(body, `lurewatch_fetch_bytes_total`); v <= 0 {
		t.Errorf("lurewatch_fetch_bytes_total = %v", v)
	}
	if !strings.Contains(body, `lurewatch_consumer_pending_messages{consumer="detector",stream="ADS"}`) {
		t.Errorf("no detector lag gauge:\n%s", body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("run exit %d:\n%s", code, stderr.String())
	}

	// Every ad names a stored page, and the export holds them all.
	db, err := storage.Open(context.Background(), filepath.Join(dir, "data", "lurewatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	ads, err := db.ListAssessed(context.Background(), lurewatch.LevelNone, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // page sha256 → url
	for _, f := range ads {
		p, err := db.AdPage(context.Background(), f.Ad.ID)
		if err != nil {
			t.Fatalf("ad %s: %v", f.Ad.ID, err)
		}
		want[p.SHA256] = p.URL
	}
	db.Close()
	if len(ads) != boardAds || len(want) != boardAds {
		t.Fatalf("%d ads with %d distinct pages, want %d", len(ads), len(want), boardAds)
	}

	out := filepath.Join(dir, "evidence.warc.gz")
	code, _, errOut := runApp(t, context.Background(), "", "export", "warc", "--config", cfg, "--since", "1h", out)
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, errOut)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := warc.ReadPages(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "wrote "+strconv.Itoa(len(got))+" pages") {
		t.Errorf("export said %q; read %d pages", errOut, len(got))
	}
	for _, p := range got {
		if url, ok := want[p.SHA256]; ok && url == p.URL {
			delete(want, p.SHA256)
		}
	}
	if len(want) > 0 {
		t.Errorf("pages of ads missing from the WARC file: %v", want)
	}
	// Nothing was fetched in the future.
	code, _, errOut = runApp(t, context.Background(), "", "export", "warc", "--config", cfg,
		"--since", time.Now().Add(time.Hour).Format(time.RFC3339), filepath.Join(dir, "none.warc"))
	if code != 0 || !strings.Contains(errOut, "wrote 0 pages") {
		t.Errorf("empty export: exit %d, %s", code, errOut)
	}
}

func TestExportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"export"},
		{"export", "pdf"},
		{"export", "warc", "out.warc"},
		{"export", "warc", "--since", "yesterday", "out.warc"},
		{"export", "warc", "--since", "1h"},
	} {
		if code, _, errOut := runApp(t, context.Background(), "", args...); code != 2 {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errOut)
		}
	}
}

func TestMetricsConfigCheck(t *testing.T) {
	for listen, ok := range map[string]bool{
		"": true, "127.0.0.1:9464": true, "[::1]:9464": true, "0.0.0.0:9464": true, "localhost:0": true,
		":9464": false, "9464": false, "127.0.0.1:http": false, "127.0.0.1:70000": false,
	} {
		if err := (MetricsConfig{Listen: listen}).check(); (err == nil) != ok {
			t.Errorf("check(%q) = %v, want ok=%v", listen, err, ok)
		}
	}
}

// logField returns field of the first JSON log line whose msg is msg.
func logField(t *testing.T, logs, msg, field string) string {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) == nil && m["msg"] == msg {
			if s, ok := m[field].(string); ok {
				return s
			}
		}
	}
	t.Fatalf("no log line %q with %q:\n%s", msg, field, logs)
	return ""
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}

// metricValue returns the sum of the samples of a metric in the text
// format whose name and labels start with prefix (-1 when none).
func metricValue(body, prefix string) float64 {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(prefix) + `(?:\{[^}]*\})? ([0-9.e+-]+)$`)
	ms := re.FindAllStringSubmatch(body, -1)
	if len(ms) == 0 {
		return -1
	}
	var sum float64
	for _, m := range ms {
		v, _ := strconv.ParseFloat(m[1], 64)
		sum += v
	}
	return sum
}
