package demosite

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	jobLinkRE  = regexp.MustCompile(`<a class="job-link" href="([^"]+)"`)
	nextRE     = regexp.MustCompile(`<a class="next" href="([^"]+)"`)
	jobTitleRE = regexp.MustCompile(`<h1 class="job-title">([^<]*)</h1>`)
	ldRE       = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	urlRE      = regexp.MustCompile(`https?://[^\s"'<>()\\]+`)
	emailRE    = regexp.MustCompile(`[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)`)
	phoneRE    = regexp.MustCompile(`\+\d[\d ]{6,}\d`)
)

// newServer starts the demo site for the test and closes it when the test
// and all its parallel subtests are done.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(Handler())
	t.Cleanup(srv.Close)
	return srv
}

// noRedirects returns a client for srv that reports redirects instead of
// following them. Each call returns a new client, so tests may use it in
// parallel.
func noRedirects(srv *httptest.Server) *http.Client {
	c := *srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// get fetches path from srv and returns the status, Content-Type and body.
func get(t *testing.T, srv *httptest.Server, path string) (int, string, string) {
	t.Helper()
	resp, err := noRedirects(srv).Get(srv.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// jobPostings returns the schema.org JobPosting objects in v, in document
// order, looking inside arrays and @graph.
func jobPostings(v any) []map[string]any {
	var out []map[string]any
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			out = append(out, jobPostings(e)...)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			out = append(out, jobPostings(g)...)
		}
		if x["@type"] == "JobPosting" {
			out = append(out, x)
		}
	}
	return out
}

// pagePostings parses every JSON-LD block of page and returns its postings.
func pagePostings(t *testing.T, name, page string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for i, m := range ldRE.FindAllStringSubmatch(page, -1) {
		var v any
		if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
			t.Errorf("%s: JSON-LD block %d: %v", name, i, err)
			continue
		}
		ps := jobPostings(v)
		if len(ps) == 0 {
			t.Errorf("%s: JSON-LD block %d has no JobPosting", name, i)
		}
		out = append(out, ps...)
	}
	return out
}

func siteFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := fs.WalkDir(siteFS, "site", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(siteFS, p)
		files[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no embedded files")
	}
	return files
}

func TestExpectedList(t *testing.T) {
	ads := Expected()
	seen := map[string]bool{}
	lures, nonEnglish := 0, 0
	for _, a := range ads {
		key := fmt.Sprintf("%s#%d", a.Path, a.Index)
		if seen[key] {
			t.Errorf("duplicate ad %s", key)
		}
		seen[key] = true
		if a.Kind != KindHTML && a.Kind != KindJSONLD {
			t.Errorf("%s: kind %q", key, a.Kind)
		}
		if a.Kind == KindHTML && a.Index != 0 {
			t.Errorf("%s: html ad with index %d", key, a.Index)
		}
		if a.Title == "" {
			t.Errorf("%s: empty title", key)
		}
		if a.Path == PrivateAdPath || strings.HasPrefix(a.Path, "/private/") {
			t.Errorf("%s: robots-disallowed ad in Expected", key)
		}
		if a.Lure {
			lures++
			if strings.IndexFunc(a.Title, func(r rune) bool { return r > 0x2FF && r != '–' && r != '₱' }) >= 0 {
				nonEnglish++
			}
		}
	}
	if len(ads) < 12 {
		t.Errorf("only %d ads", len(ads))
	}
	if lures*10 < len(ads)*4 || lures*10 > len(ads)*6 {
		t.Errorf("%d lures of %d ads: want about half", lures, len(ads))
	}
	if nonEnglish < 2 {
		t.Errorf("%d lures with non-Latin titles, want at least 2", nonEnglish)
	}
	// Expected returns a copy.
	ads[0].Title = "changed"
	if Expected()[0].Title == "changed" {
		t.Error("Expected returns the package's own slice")
	}
}

func TestExpectedAdsServed(t *testing.T) {
	srv := newServer(t)

	perPage := map[string][]ExpectedAd{}
	for _, a := range Expected() {
		perPage[a.Path] = append(perPage[a.Path], a)
	}
	for path, ads := range perPage {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			code, ctype, body := get(t, srv, path)
			if code != http.StatusOK {
				t.Fatalf("status %d", code)
			}
			if ctype != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ctype)
			}
			switch ads[0].Kind {
			case KindHTML:
				if len(ads) != 1 {
					t.Fatalf("%d html ads on one page", len(ads))
				}
				m := jobTitleRE.FindAllStringSubmatch(body, -1)
				if len(m) != 1 {
					t.Fatalf("%d h1.job-title elements", len(m))
				}
				if got := html.UnescapeString(m[0][1]); got != ads[0].Title {
					t.Errorf("title %q, want %q", got, ads[0].Title)
				}
				for _, sel := range []string{
					`<article class="job"`, `<div class="employer">`, `<div class="location">`,
					`<div class="salary">`, `<time class="posted" datetime="2026-`,
					`<div class="job-description">`, `<div class="contact">`,
				} {
					if strings.Count(body, sel) != 1 {
						t.Errorf("want exactly one %s", sel)
					}
				}
				if strings.Contains(body, "application/ld+json") {
					t.Error("html ad page carries JSON-LD")
				}
			case KindJSONLD:
				ps := pagePostings(t, path, body)
				if len(ps) != len(ads) {
					t.Fatalf("%d postings, Expected lists %d", len(ps), len(ads))
				}
				for _, a := range ads {
					if a.Kind != KindJSONLD {
						t.Fatalf("mixed kinds on %s", path)
					}
					p := ps[a.Index]
					if p["title"] != a.Title {
						t.Errorf("posting %d title %q, want %q", a.Index, p["title"], a.Title)
					}
					if !strings.Contains(body, html.EscapeString(a.Title)) {
						t.Errorf("posting %d title not rendered visibly", a.Index)
					}
					checkPosting(t, a.Index, p)
				}
			}
		})
	}
}

// checkPosting checks that p has the fields crawler profiles read.
func checkPosting(t *testing.T, i int, p map[string]any) {
	t.Helper()
	str := func(v any) bool { s, ok := v.(string); return ok && s != "" }
	obj := func(v any, typ string) map[string]any {
		m, ok := v.(map[string]any)
		if !ok || m["@type"] != typ {
			t.Errorf("posting %d: want %s object, got %v", i, typ, v)
			return map[string]any{}
		}
		return m
	}
	for _, k := range []string{"title", "description", "datePosted", "validThrough"} {
		if !str(p[k]) {
			t.Errorf("posting %d: %s missing", i, k)
		}
	}
	if !str(obj(p["hiringOrganization"], "Organization")["name"]) {
		t.Errorf("posting %d: hiringOrganization.name missing", i)
	}
	addr := obj(obj(p["jobLocation"], "Place")["address"], "PostalAddress")
	if !str(addr["addressLocality"]) || !str(addr["addressCountry"]) {
		t.Errorf("posting %d: address incomplete: %v", i, addr)
	}
	sal := obj(p["baseSalary"], "MonetaryAmount")
	if !str(sal["currency"]) {
		t.Errorf("posting %d: baseSalary.currency missing", i)
	}
	qv := obj(sal["value"], "QuantitativeValue")
	if _, ok := qv["value"].(float64); !ok || !str(qv["unitText"]) {
		t.Errorf("posting %d: salary value incomplete: %v", i, qv)
	}
}

func TestJSONLDBlocks(t *testing.T) {
	want := map[string]int{}
	for _, a := range Expected() {
		if a.Kind == KindJSONLD {
			want["site"+a.Path]++
		}
	}
	shapes := map[string]bool{}
	for name, body := range siteFiles(t) {
		blocks := ldRE.FindAllStringSubmatch(body, -1)
		got := len(pagePostings(t, name, body))
		if got != want[name] {
			t.Errorf("%s: %d JobPostings, Expected lists %d", name, got, want[name])
		}
		for _, b := range blocks {
			s := strings.TrimSpace(b[1])
			switch {
			case strings.HasPrefix(s, "["):
				shapes["array"] = true
			case strings.Contains(s, `"@graph"`):
				shapes["graph"] = true
			default:
				shapes["single"] = true
			}
		}
		if len(blocks) > 1 {
			shapes["several blocks"] = true
		}
	}
	for _, s := range []string{"array", "graph", "single", "several blocks"} {
		if !shapes[s] {
			t.Errorf("no page uses the %s JSON-LD shape", s)
		}
	}
}

// disallowed reports whether robots.txt text forbids path to every user agent.
func disallowed(robots, path string) bool {
	star := false
	for line := range strings.Lines(robots) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "user-agent":
			star = v == "*"
		case "disallow":
			if star && v != "" && strings.HasPrefix(path, v) {
				return true
			}
		}
	}
	return false
}

func TestRobots(t *testing.T) {
	srv := newServer(t)
	code, ctype, body := get(t, srv, "/robots.txt")
	if code != http.StatusOK || ctype != "text/plain; charset=utf-8" {
		t.Fatalf("robots.txt: status %d, Content-Type %q", code, ctype)
	}
	if !strings.Contains(body, "User-agent: *") || !strings.Contains(body, "Disallow: /private/") {
		t.Errorf("robots.txt:\n%s", body)
	}
	if !disallowed(body, PrivateAdPath) || !disallowed(body, "/private/") {
		t.Error("robots.txt does not disallow /private/")
	}
	for _, a := range Expected() {
		if disallowed(body, a.Path) {
			t.Errorf("robots.txt disallows expected ad %s", a.Path)
		}
	}
	for _, p := range []string{"/board/jobs", "/careers/"} {
		if disallowed(body, p) {
			t.Errorf("robots.txt disallows %s", p)
		}
	}
	// The trap is real: the private ad exists and page 1 links to it.
	if code, _, _ := get(t, srv, PrivateAdPath); code != http.StatusOK {
		t.Errorf("%s: status %d", PrivateAdPath, code)
	}
	_, _, page1 := get(t, srv, "/board/jobs")
	if !strings.Contains(page1, `<a class="job-link" href="`+PrivateAdPath+`"`) {
		t.Error("listing page 1 does not link the private ad")
	}
}

func TestListings(t *testing.T) {
	srv := newServer(t)

	var board []string
	pages := 0
	for next := "/board/jobs"; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("next links loop")
		}
		code, _, body := get(t, srv, next)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", next, code)
		}
		for _, m := range jobLinkRE.FindAllStringSubmatch(body, -1) {
			board = append(board, html.UnescapeString(m[1]))
		}
		nexts := nextRE.FindAllStringSubmatch(body, -1)
		switch {
		case len(nexts) > 1:
			t.Fatalf("%s: %d next links", next, len(nexts))
		case len(nexts) == 1:
			next = html.UnescapeString(nexts[0][1])
			if pages == 0 && next != "/board/jobs?page=2" {
				t.Errorf("page 1 next link %q", next)
			}
		default:
			next = ""
		}
	}
	if pages != 2 {
		t.Errorf("%d listing pages, want 2", pages)
	}
	_, _, careersIndex := get(t, srv, "/careers/")
	var careers []string
	for _, m := range jobLinkRE.FindAllStringSubmatch(careersIndex, -1) {
		careers = append(careers, html.UnescapeString(m[1]))
	}

	var wantBoard, wantCareers []string
	for _, a := range Expected() {
		switch a.Kind {
		case KindHTML:
			wantBoard = append(wantBoard, a.Path)
		case KindJSONLD:
			if !slices.Contains(wantCareers, a.Path) {
				wantCareers = append(wantCareers, a.Path)
			}
		}
	}
	gotBoard := slices.DeleteFunc(slices.Clone(board), func(p string) bool { return p == PrivateAdPath })
	if !slices.Equal(gotBoard, wantBoard) {
		t.Errorf("board links (without the private ad)\n got %q\nwant %q", gotBoard, wantBoard)
	}
	if !slices.Equal(careers, wantCareers) {
		t.Errorf("careers links\n got %q\nwant %q", careers, wantCareers)
	}
	for _, link := range append(board, careers...) {
		if code, _, _ := get(t, srv, link); code != http.StatusOK {
			t.Errorf("listing link %s: status %d", link, code)
		}
	}
}

func TestServing(t *testing.T) {
	srv := newServer(t)
	_, _, page1 := get(t, srv, "/board/jobs")
	tests := []struct {
		path     string
		code     int
		location string
	}{
		{"/", 200, ""},
		{"/board/jobs?page=1", 200, ""},
		{"/board/jobs?page=2", 200, ""},
		{"/board/jobs?page=3", 404, ""},
		{"/board/jobs?page=0", 404, ""},
		{"/board/jobs?page=-1", 404, ""},
		{"/board/jobs?page=two", 404, ""},
		{"/board/jobs-2", 404, ""},
		{"/board/job/", 404, ""},
		{"/board/job/no-such-job", 404, ""},
		{"/board/job/Barista-Leeds", 404, ""},
		{"/board/job/barista-leeds.html", 404, ""},
		{"/board/job/barista-leeds/", 404, ""},
		{"/careers/backend-engineer-singapore", 404, ""},
		{"/careers/index", 404, ""},
		{"/private/index", 404, ""},
		{"/private/", 200, ""},
		{"/404.html", 404, ""},
		{"/site/index.html", 404, ""},
		{"/nope", 404, ""},
		{"/board", 301, "/board/jobs"},
		{"/board/", 301, "/board/jobs"},
		{"/careers", 301, "/careers/"},
		{"/careers/index.html", 301, "/careers/"},
		{"/private", 301, "/private/"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			resp, err := noRedirects(srv).Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.code)
			}
			if tt.location != "" && resp.Header.Get("Location") != tt.location {
				t.Errorf("Location %q, want %q", resp.Header.Get("Location"), tt.location)
			}
			if tt.code != 301 && resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
			}
			if tt.path == "/board/jobs?page=1" && string(b) != page1 {
				t.Error("page=1 differs from /board/jobs")
			}
		})
	}

	resp, err := srv.Client().Head(srv.URL + "/board/jobs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("HEAD: status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, err = srv.Client().Post(srv.URL+"/board/jobs", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", resp.StatusCode)
	}
}

// TestPlaceholdersOnly checks that nothing on the site points at a real
// place: absolute URLs go to example.org, example.com, t.me or wa.me (or name
// the schema.org vocabulary), e-mail addresses are at example.org or
// example.com, and phone numbers carry the 000 block of fictional numbers.
func TestPlaceholdersOnly(t *testing.T) {
	allowed := []string{"example.org", "example.com", "t.me", "wa.me"}
	for name, body := range siteFiles(t) {
		for _, raw := range urlRE.FindAllString(body, -1) {
			raw = strings.TrimRight(raw, ".,;:")
			u, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s: bad URL %q: %v", name, raw, err)
				continue
			}
			host := u.Hostname()
			if host == "schema.org" && (raw == "https://schema.org" || raw == "https://schema.org/") {
				continue
			}
			ok := false
			for _, a := range allowed {
				ok = ok || host == a || strings.HasSuffix(host, "."+a)
			}
			if !ok {
				t.Errorf("%s: URL %q is not a placeholder", name, raw)
			}
		}
		for _, m := range emailRE.FindAllStringSubmatch(body, -1) {
			if d := strings.ToLower(m[1]); d != "example.org" && d != "example.com" {
				t.Errorf("%s: e-mail %q is not a placeholder", name, m[0])
			}
		}
		for _, p := range phoneRE.FindAllString(body, -1) {
			if !strings.Contains(p, "000") {
				t.Errorf("%s: phone %q lacks the fictional 000 block", name, p)
			}
		}
	}
}

var (
	tagRE     = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>`)
	commentRE = regexp.MustCompile(`(?s)<!--.*?-->`)
	rawTextRE = regexp.MustCompile(`(?s)<(script|style)\b[^>]*>.*?</(script|style)>`)
	voidTags  = map[string]bool{"meta": true, "br": true, "link": true, "img": true, "hr": true, "input": true, "wbr": true, "source": true}
	blockTags = map[string]bool{"p": true, "ul": true, "ol": true, "div": true, "article": true, "section": true, "h1": true, "h2": true, "h3": true, "table": true, "header": true, "footer": true, "main": true, "nav": true}
)

// TestPagesWellFormed checks every HTML page for the boilerplate the brief
// asks for and for balanced, properly nested tags.
func TestPagesWellFormed(t *testing.T) {
	for name, body := range siteFiles(t) {
		if !utf8.ValidString(body) {
			t.Errorf("%s: not UTF-8", name)
		}
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		for _, want := range []string{"<!DOCTYPE html>\n<html lang=", `<meta charset="utf-8">`, "<title>", "<style>", "<nav>", "</html>\n"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: missing %q", name, want)
			}
		}
		for _, c := range commentRE.FindAllString(body, -1) {
			if strings.Contains(c[4:len(c)-3], "--") {
				t.Errorf("%s: \"--\" inside a comment", name)
			}
		}
		stripped := rawTextRE.ReplaceAllString(commentRE.ReplaceAllString(body, ""), "")
		var stack []string
		for _, m := range tagRE.FindAllStringSubmatch(stripped, -1) {
			closing, tag := m[1] == "/", strings.ToLower(m[2])
			switch {
			case voidTags[tag]:
				if closing {
					t.Errorf("%s: closing void tag </%s>", name, tag)
				}
			case !closing:
				if blockTags[tag] && len(stack) > 0 && stack[len(stack)-1] == "p" {
					t.Errorf("%s: <%s> inside <p>", name, tag)
				}
				stack = append(stack, tag)
			case len(stack) == 0 || stack[len(stack)-1] != tag:
				t.Errorf("%s: </%s> does not close %v", name, tag, stack)
				return
			default:
				stack = stack[:len(stack)-1]
			}
		}
		if len(stack) != 0 {
			t.Errorf("%s: unclosed %v", name, stack)
		}
	}
}
