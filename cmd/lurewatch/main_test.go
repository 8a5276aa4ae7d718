package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/demosite"
	"github.com/lurewatch/lurewatch/storage"
)

// runApp runs the CLI as the binary would and returns its exit code and
// output streams.
func runApp(t *testing.T, ctx context.Context, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &App{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut}
	code := a.Main(ctx, args)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeBoardSource writes board.yaml into dir: a source that crawls the
// demo site's job board served at url.
func writeBoardSource(t *testing.T, dir, url string) {
	t.Helper()
	writeFile(t, dir, "board.yaml", `name: board
kind: html
start_urls: [`+url+`/board/jobs]
delay: 10ms
parallelism: 2
html:
  ad_links: a.job-link
  next_page: a.next
  ad:
    title: article.job h1.job-title
    body: article.job div.job-description
`)
}

// The whole pipeline (embedded NATS, crawler, detector workers, SQLite)
// against the bundled demo site served by httptest: exactly the site's
// crawlable ads are stored, and exactly its lures are flagged.
func TestEndToEndDemoSite(t *testing.T) {
	srv := httptest.NewServer(demosite.Handler())
	defer srv.Close()
	det, err := loadDetector("")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	sys, err := openSystem(ctx, systemOptions{
		DataDir:  t.TempDir(),
		Detector: det,
		Crawler:  crawler.Options{AllowPrivate: true},
		Logger:   zap.NewNop(),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()

	n, published, err := demoCrawl(ctx, sys.pipeline, demoProfiles(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if published != n {
		t.Errorf("first crawl published %d of %d ads, want all", published, n)
	}
	var wantAll, wantFlagged []string
	for _, e := range demosite.Expected() {
		wantAll = append(wantAll, e.Title)
		if e.Lure {
			wantFlagged = append(wantFlagged, e.Title)
		}
	}
	if n != len(wantAll) {
		t.Errorf("crawl published %d ads, want %d", n, len(wantAll))
	}
	stored, err := sys.db.ListAssessed(ctx, lurewatch.LevelNone, 0)
	if err != nil {
		t.Fatal(err)
	}
	var gotAll, gotFlagged []string
	for _, f := range stored {
		gotAll = append(gotAll, f.Ad.Title)
		if f.Level.Flagged() {
			gotFlagged = append(gotFlagged, f.Ad.Title)
		}
	}
	sameSet(t, "stored ads", gotAll, wantAll)
	sameSet(t, "flagged ads", gotFlagged, wantFlagged)

	// Every flag can be explained: evidence points into the stored ad.
	for _, f := range stored {
		if !f.Level.Flagged() {
			continue
		}
		as, err := sys.db.Assessment(ctx, f.Ad.ID)
		if err != nil {
			t.Fatal(err)
		}
		checkEvidence(t, &f.Ad, as)
	}
	runs, err := sys.db.Runs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Status != "ok" || runs[1].Status != "ok" {
		t.Errorf("crawl runs = %+v, want two ok runs", runs)
	}

	// A second crawl of the unchanged site finds every ad again and
	// publishes none: the crawl state knows their content.
	again, published, err := demoCrawl(ctx, sys.pipeline, demoProfiles(srv.URL))
	if err != nil {
		t.Fatalf("second crawl: %v", err)
	}
	if again != n || published != 0 {
		t.Errorf("second crawl found %d ads and published %d, want %d and 0", again, published, n)
	}
}

func checkEvidence(t *testing.T, ad *lurewatch.Ad, as *lurewatch.Assessment) {
	t.Helper()
	fields := map[string]string{}
	for _, f := range ad.Fields() {
		fields[f.Name] = f.Value
	}
	if len(as.Indicators) == 0 {
		t.Errorf("ad %q flagged without indicators", ad.Title)
	}
	for _, ind := range as.Indicators {
		for _, ev := range ind.Evidence {
			v, ok := fields[ev.Field]
			if !ok || ev.Start < 0 || ev.End > len(v) || ev.Start > ev.End || v[ev.Start:ev.End] != ev.Snippet {
				t.Errorf("ad %q indicator %s: evidence %+v does not point into field %q", ad.Title, ind.ID, ev, ev.Field)
			}
		}
	}
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestDemoOnce(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	code, out, errOut := runApp(t, ctx, "", "demo", "--once", "--data-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("demo --once exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	lures := 0
	for _, e := range demosite.Expected() {
		if e.Lure {
			lures++
		}
	}
	want := regexp.MustCompile(`(\d+) of (\d+) ads flagged`)
	m := want.FindStringSubmatch(out)
	if m == nil || m[1] != strconv.Itoa(lures) || m[2] != strconv.Itoa(len(demosite.Expected())) {
		t.Errorf("demo output does not report %d of %d flagged:\n%s", lures, len(demosite.Expected()), out)
	}
	if !strings.Contains(out, "SCORE") || !strings.Contains(out, "TOP INDICATORS") {
		t.Errorf("demo output has no table:\n%s", out)
	}
}

// `run` crawls its configured sources, stores what it found, and stops
// cleanly on cancellation (SIGINT/SIGTERM in the binary).
func TestRunCrawlsAndStopsCleanly(t *testing.T) {
	srv := httptest.NewServer(demosite.Handler())
	defer srv.Close()
	dir := t.TempDir()
	writeBoardSource(t, dir, srv.URL)
	cfg := writeFile(t, dir, "lurewatch.yaml", `data_dir: data
log:
  format: json
  level: warn
crawler:
  allow_private: true
detector:
  workers: 2
sources:
  - profile: board.yaml
    interval: 1h
`)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out, errOut bytes.Buffer
	go func() {
		a := &App{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut}
		done <- a.Main(ctx, []string{"run", "--config", cfg})
	}()
	boardAds := 0
	for _, e := range demosite.Expected() {
		if e.Kind == demosite.KindHTML {
			boardAds++
		}
	}
	dbPath := filepath.Join(dir, "data", "lurewatch.db")
	deadline := time.Now().Add(60 * time.Second)
	for {
		if n := countAssessed(t, dbPath); n == boardAds {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("run did not store %d board ads within 60s; stderr:\n%s", boardAds, errOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("run exit %d; stderr:\n%s", code, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop within 30s of cancellation")
	}
}

func countAssessed(t *testing.T, path string) int {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return 0
	}
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		return 0
	}
	defer db.Close()
	st, err := db.Stats(context.Background())
	if err != nil {
		return 0
	}
	return st.Assessments
}

var posRE = regexp.MustCompile(`\.yaml:\d+:\d+: `)

func TestMalformedConfigNamesPosition(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "bad-rules.yaml", "version: [unclosed\n")
	tests := []struct {
		name, config, want string
	}{
		{"unknown field", "data_dir: d\ndetector:\n  workerz: 2\n", "lurewatch.yaml:3:3: "},
		{"bad duration", "sources:\n  - profile: p.yaml\n    interval: soon\n", "lurewatch.yaml:3:15: "},
		{"bad log level", "log:\n  level: loud\n", "lurewatch.yaml:2:10: "},
		{"missing profile file", "sources:\n  - profile: nope.yaml\n", "lurewatch.yaml:2:14: "},
		{"malformed rules", "detector:\n  rules: bad-rules.yaml\n", "bad-rules.yaml:1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFile(t, dir, "lurewatch.yaml", tt.config)
			code, _, errOut := runApp(t, context.Background(), "", "run", "--config", cfg)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(errOut, tt.want) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.want)
			}
		})
	}
}

func TestMalformedProfileNamesPosition(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "p.yaml", "name: p\nkind: html\nstart_urls: [http://example.org/]\nhtml:\n  ad_links: a\n  ad:\n    title: h1\n    bodyy: div\n")
	cfg := writeFile(t, dir, "lurewatch.yaml", "sources:\n  - profile: p.yaml\n")
	code, _, errOut := runApp(t, context.Background(), "", "run", "--config", cfg)
	if code != 1 || !strings.Contains(errOut, "p.yaml:8:5: ") {
		t.Errorf("exit %d, stderr %q; want p.yaml:8:5", code, errOut)
	}
}

func TestRulesCheck(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", "version: 1\nbogus_top_level_field: true\n")
	code, _, errOut := runApp(t, context.Background(), "", "rules", "check", bad)
	if code != 1 || !posRE.MatchString(errOut) {
		t.Errorf("rules check bad: exit %d, stderr %q; want file:line:col", code, errOut)
	}
	code, out, errOut := runApp(t, context.Background(), "", "rules", "check", "../../configs/rules/lures.yaml")
	if code != 0 || !strings.Contains(out, ": ok") {
		t.Errorf("rules check of the shipped rules: exit %d, out %q, err %q", code, out, errOut)
	}
}

func TestScan(t *testing.T) {
	ad := "Hiring customer service in Sihanoukville! $1500/month, no experience, free flight + visa + housing. Telegram @hr_fictional_02"
	code, out, errOut := runApp(t, context.Background(), ad, "scan")
	if code != 0 {
		t.Fatalf("scan exit %d: %s", code, errOut)
	}
	var as lurewatch.Assessment
	if err := json.Unmarshal([]byte(out), &as); err != nil {
		t.Fatalf("scan output is not an assessment: %v\n%s", err, out)
	}
	if !as.Level.Flagged() || as.Score <= 0 || len(as.Indicators) < 2 {
		t.Errorf("scan of an obvious lure: %+v", as)
	}
	for _, ind := range as.Indicators {
		if ind.ID == "" || ind.Category == "" || len(ind.Evidence) == 0 {
			t.Errorf("indicator without id, category or evidence: %+v", ind)
		}
		for _, ev := range ind.Evidence {
			if ad[ev.Start:ev.End] != ev.Snippet {
				t.Errorf("evidence %+v does not point into the input", ev)
			}
		}
	}
	code, out, _ = runApp(t, context.Background(), "Barista wanted at a cafe in Leeds. Apply with CV.", "scan")
	if code != 0 || !strings.Contains(out, `"level": "none"`) {
		t.Errorf("scan of an honest ad: exit %d, %s", code, out)
	}
}

func TestEvalJSON(t *testing.T) {
	code, out, errOut := runApp(t, context.Background(), "", "eval", "--json", "testdata/mini.jsonl")
	if code != 0 {
		t.Fatalf("eval exit %d: %s", code, errOut)
	}
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("eval --json output is not JSON: %v\n%s", err, out)
	}
	for _, k := range []string{"precision", "recall", "f1", "tp", "fp", "fn", "tn"} {
		if _, ok := r[k]; !ok {
			t.Errorf("eval --json lacks %q: %s", k, out)
		}
	}
	// One lure, flagged; one benign and one scam, not flagged.
	if r["tp"] != 1.0 || r["fn"] != 0.0 || r["fp"] != 0.0 || r["tn"] != 2.0 {
		t.Errorf("confusion at medium = tp %v fp %v fn %v tn %v, want 1 0 0 2", r["tp"], r["fp"], r["fn"], r["tn"])
	}
	code, out, _ = runApp(t, context.Background(), "", "eval", "testdata/mini.jsonl")
	if code != 0 || !strings.Contains(strings.ToLower(out), "precision") {
		t.Errorf("eval text: exit %d\n%s", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"nope"}, {"eval"}, {"run"}, {"scan", "--bogus"}} {
		code, _, _ := runApp(t, context.Background(), "", args...)
		if code != 2 {
			t.Errorf("lurewatch %q: exit %d, want 2", args, code)
		}
	}
	for _, cmd := range []string{"scan", "eval", "run", "demo", "rules", "version"} {
		code, _, errOut := runApp(t, context.Background(), "", cmd, "--help")
		if code != 0 || !strings.Contains(errOut, "Usage: lurewatch "+cmd) {
			t.Errorf("lurewatch %s --help: exit %d, %q", cmd, code, errOut)
		}
	}
}

func TestTerminalSafe(t *testing.T) {
	if got := terminalSafe("a\x1b[31mred\x07\tb\u202e", 100); got != "a [31mred  b " {
		t.Errorf("terminalSafe = %q", got)
	}
	if got := terminalSafe("ααααα", 3); got != "ααα…" {
		t.Errorf("terminalSafe cut = %q", got)
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "高薪": 4, "ด่วน": 3, "Ｔｅ": 4, "a\u200bb": 2} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
	var b bytes.Buffer
	if err := writeTable(&b, [][]string{{"A", "B"}, {"高薪", "x"}}); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "A     B\n高薪  x\n" {
		t.Errorf("writeTable = %q", got)
	}
}
