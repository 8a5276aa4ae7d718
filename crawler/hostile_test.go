package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/temoto/robotstxt"
	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

// hostileSite is an httptest server with a handler per path (a key
// ending in "/" serves every path under it), counting and timing the
// requests it receives; robots.txt is a 404 unless a handler for it is
// given.
type hostileSite struct {
	*httptest.Server
	mu    sync.Mutex
	times map[string][]time.Time // request URI → arrival times
}

func newHostileSite(t *testing.T, handlers map[string]http.HandlerFunc) *hostileSite {
	t.Helper()
	s := &hostileSite{times: make(map[string][]time.Time)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.times[r.URL.RequestURI()] = append(s.times[r.URL.RequestURI()], time.Now())
		s.mu.Unlock()
		if h, ok := handlers[r.URL.Path]; ok {
			h(w, r)
			return
		}
		for k, h := range handlers {
			if strings.HasSuffix(k, "/") && strings.HasPrefix(r.URL.Path, k) {
				h(w, r)
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// hits returns how many requests uri received.
func (s *hostileSite) hits(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.times[uri])
}

// arrivals returns the times uri was requested.
func (s *hostileSite) arrivals(uri string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.times[uri]...)
}

// total returns how many requests the site received, robots.txt aside.
func (s *hostileSite) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for uri, ts := range s.times {
		if uri != "/robots.txt" {
			n += len(ts)
		}
	}
	return n
}

// hostileProfile is a KindHTML profile starting at start: links a.ad are
// ads, a.next are listing pages.
func hostileProfile(start string) *Profile {
	return &Profile{
		Name:      "hostile",
		Kind:      KindHTML,
		StartURLs: []string{start},
		MaxPages:  50,
		HTML: &HTMLSelectors{
			AdLinks:  "a.ad",
			NextPage: "a.next",
			Ad:       AdSelectors{Title: "h1.job-title", Body: "div.job-description", Location: ".location"},
		},
	}
}

// htmlPage writes an HTML page with the given body.
func htmlPage(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprintf(w, "<!DOCTYPE html><html><body>%s</body></html>", body)
	}
}

const okAd = `<h1 class="job-title">Cook</h1><div class="job-description">Kitchen work.</div>`

func TestHostileRedirectLoop(t *testing.T) {
	site := newHostileSite(t, map[string]http.HandlerFunc{
		"/self": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/self", http.StatusFound) },
		"/a":    func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) },
		"/b":    func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) },
		"/far": func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			http.Redirect(w, r, "/far?n="+strconv.Itoa(n+1), http.StatusFound)
		},
	})
	for _, tt := range []struct {
		start   string
		maxHits int
	}{
		{"/self", 3},     // a page may redirect to itself once, not twice
		{"/a", 3},        // a → b → a → b: colly refuses the page it fetched
		{"/far?n=0", 11}, // a new URL each time: stopped after 10 redirects
	} {
		t.Run(tt.start, func(t *testing.T) {
			c, logs := testCrawler(t, Options{AllowPrivate: true})
			_, err := c.Run(context.Background(), hostileProfile(site.URL+tt.start), &memPublisher{})
			if err == nil {
				t.Fatal("Run of a redirect loop succeeded")
			}
			if k := ErrKind(err); k != ErrKindRedirect {
				t.Errorf("ErrKind(%v) = %q, want %q", err, k, ErrKindRedirect)
			}
			if n := site.total(); n > tt.maxHits*2 { // subtests share the site: a loose bound
				t.Errorf("%d requests for a redirect loop", n)
			}
			if logs.FilterMessage("fetch failed").FilterField(zapURL(site.URL+tt.start)).Len() != 1 {
				t.Errorf("loop not logged with its URL: %v", logs.All())
			}
		})
	}
	if errors.Is(errTooManyRedirects, lurewatch.ErrRefused) {
		t.Error("a redirect loop is not a refusal")
	}
}

func TestHostileFiftyMegabytePage(t *testing.T) {
	const size = 50 << 20
	var mu sync.Mutex
	written := 0
	site := newHostileSite(t, map[string]http.HandlerFunc{
		"/big": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			chunk := []byte(strings.Repeat("<p>filler</p>", 1<<16/13+1)[:1<<16])
			_, _ = w.Write([]byte("<html><body>"))
			for n := 0; n < size; n += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return // the crawler hung up
				}
				mu.Lock()
				written += len(chunk)
				mu.Unlock()
			}
		},
	})
	c, logs := testCrawler(t, Options{AllowPrivate: true, MaxBodySize: 1 << 20})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.Run(context.Background(), hostileProfile(site.URL+"/big"), &memPublisher{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, errBodyTooLarge) || ErrKind(err) != ErrKindTooLarge {
		t.Fatalf("Run error %v, want a body too large", err)
	}
	if logs.FilterMessage("fetch failed").FilterField(zapURL(site.URL+"/big")).Len() != 1 {
		t.Error("oversized page not logged with its URL")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 20<<20 {
		t.Errorf("crawling a 50 MB page allocated %d MB; it must be cut at 1 MB", alloc>>20)
	}
	time.Sleep(50 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if written >= size {
		t.Errorf("the server sent all %d bytes; the crawler should hang up", written)
	}
}

func TestHostileGzipBomb(t *testing.T) {
	bomb, err := os.ReadFile(filepath.Join("testdata", "hostile", "bomb.html.gz")) // 100 KB → 100 MB
	if err != nil {
		t.Fatal(err)
	}
	site := newHostileSite(t, map[string]http.HandlerFunc{
		// Go's transport inflates Content-Encoding: gzip itself.
		"/encoded": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb)
		},
		// colly would inflate a gzip Content-Type after its size limit;
		// the fetcher does it first, within the limit.
		"/typed": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/x-gzip")
			_, _ = w.Write(bomb)
		},
	})
	for _, path := range []string{"/encoded", "/typed"} {
		t.Run(path, func(t *testing.T) {
			c, logs := testCrawler(t, Options{AllowPrivate: true, MaxBodySize: 1 << 20})
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := c.Run(context.Background(), hostileProfile(site.URL+path), &memPublisher{})
			runtime.ReadMemStats(&after)
			if !errors.Is(err, errBodyTooLarge) {
				t.Fatalf("Run error %v, want a body too large", err)
			}
			if logs.FilterMessage("fetch failed").FilterField(zapURL(site.URL+path)).Len() != 1 {
				t.Error("gzip bomb not logged with its URL")
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 20<<20 {
				t.Errorf("a gzip bomb allocated %d MB; it must be cut at 1 MB", alloc>>20)
			}
		})
	}
}

func TestHostileSlowDrip(t *testing.T) {
	site := newHostileSite(t, map[string]http.HandlerFunc{
		"/drip": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusOK)
			for range 60 { // one byte a second for a minute
				if _, err := w.Write([]byte("<")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(time.Second):
				}
			}
		},
	})
	c, logs := testCrawler(t, Options{AllowPrivate: true, RequestTimeout: 1500 * time.Millisecond})
	start := time.Now()
	_, err := c.Run(context.Background(), hostileProfile(site.URL+"/drip"), &memPublisher{})
	if ErrKind(err) != ErrKindTimeout {
		t.Fatalf("Run error %v (kind %q), want a timeout", err, ErrKind(err))
	}
	if el := time.Since(start); el < 1500*time.Millisecond {
		t.Errorf("cut after %v, before the request timeout", el)
	}
	if logs.FilterMessage("fetch failed").FilterField(zapURL(site.URL+"/drip")).Len() != 1 {
		t.Error("slow page not logged with its URL")
	}
	if n := site.hits("/drip"); n != 1 {
		t.Errorf("slow body requested %d times; a body timeout is not retried", n)
	}
}

func TestHostileTimeoutRetried(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	site := newHostileSite(t, map[string]http.HandlerFunc{
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			calls++
			first := calls == 1
			mu.Unlock()
			if first {
				select { // no headers before the timeout
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
				return
			}
			htmlPage(`<a class="ad" href="/ad">ad</a>`)(w, r)
		},
		"/ad": htmlPage(okAd),
	})
	c, _ := testCrawler(t, Options{AllowPrivate: true, RequestTimeout: 300 * time.Millisecond, RetryBackoff: 10 * time.Millisecond})
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), hostileProfile(site.URL+"/slow"), pub); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := site.hits("/slow"); n != 2 {
		t.Errorf("/slow requested %d times, want 2", n)
	}
	if len(pub.published()) != 1 {
		t.Errorf("%d ads published, want 1", len(pub.published()))
	}
}

// zapURL matches the "url" field of a log entry.
func zapURL(u string) zap.Field { return zap.String("url", u) }

func TestHostileCharsets(t *testing.T) {
	page := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			b, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "text/html") // no charset: <meta> or detection decides
			_, _ = w.Write(b)
		}
	}
	site := newHostileSite(t, map[string]http.HandlerFunc{
		"/jobs": htmlPage(`<a class="ad" href="/ru">1</a><a class="ad" href="/zh">2</a>
			<a class="ad" href="/ru-equiv">3</a><a class="ad" href="/ru-undeclared">4</a>`),
		"/ru":            page("windows-1251.html"),
		"/zh":            page("gb18030.html"),
		"/ru-equiv":      page("http-equiv-1251.html"),
		"/ru-undeclared": page("undeclared-1251.html"),
	})
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := hostileProfile(site.URL + "/jobs")
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), p, pub); err != nil {
		t.Fatalf("Run: %v", err)
	}
	ru := wantAd{Key: "/ru", Title: "Работа официанткой в Дубае",
		Text:     "Высокая зарплата, жильё и билеты за счёт компании. Паспорт хранится у работодателя.",
		Location: "Дубай, ОАЭ"}
	ruEquiv := ru
	ruEquiv.Key = "/ru-equiv"
	checkAds(t, &testSite{Server: site.Server}, p, pub.published(), []wantAd{
		ru,
		ruEquiv,
		{Key: "/zh", Title: "高薪招聘客服人员", Text: "无需经验，包机票和住宿。护照由公司代为保管。", Location: "柬埔寨西哈努克城"},
		{Key: "/ru-undeclared", Title: "Требуются девушки для работы за границей",
			Text: "Работа в ночном клубе. Высокий доход, бесплатное проживание и перелёт. Опыт работы не нужен, " +
				"знание языка не требуется. Оформление документов берём на себя, паспорт отдаёте менеджеру по приезде. " +
				"Звоните прямо сейчас, количество мест ограничено.",
			Location: "Стамбул, Турция"},
	})
}

func TestHostileRetryAfter(t *testing.T) {
	for _, tt := range []struct {
		name  string
		after func() string
		wait  time.Duration
	}{
		{"seconds", func() string { return "1" }, time.Second},
		{"http date", func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			calls := 0
			site := newHostileSite(t, map[string]http.HandlerFunc{
				"/jobs": htmlPage(`<a class="ad" href="/ad">ad</a>`),
				"/ad": func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					calls++
					n := calls
					mu.Unlock()
					if n == 1 {
						w.Header().Set("Retry-After", tt.after())
						http.Error(w, "slow down", http.StatusTooManyRequests)
						return
					}
					htmlPage(okAd)(w, r)
				},
			})
			c, _ := testCrawler(t, Options{AllowPrivate: true, RetryBackoff: time.Millisecond})
			pub := &memPublisher{}
			rec, err := c.Run(context.Background(), hostileProfile(site.URL+"/jobs"), pub)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			ts := site.arrivals("/ad")
			if len(ts) != 2 {
				t.Fatalf("/ad requested %d times, want 2", len(ts))
			}
			// Retry-After has a resolution of one second; an HTTP date
			// may round down, so allow for that, never for less.
			if gap := ts[1].Sub(ts[0]); gap < tt.wait-10*time.Millisecond {
				t.Errorf("retried after %v, Retry-After asked for %v", gap, tt.wait)
			}
			if len(pub.published()) != 1 || rec.Errors != 0 {
				t.Errorf("run %+v with %d ads; want the page fetched after the wait", rec, len(pub.published()))
			}
		})
	}
}

func TestHostile503Retried(t *testing.T) {
	var mu sync.Mutex
	calls := map[string]int{}
	site := newHostileSite(t, map[string]http.HandlerFunc{
		"/jobs": htmlPage(`<a class="ad" href="/flaky">1</a><a class="ad" href="/down">2</a>`),
		"/flaky": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			calls["flaky"]++
			n := calls["flaky"]
			mu.Unlock()
			if n == 1 {
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			htmlPage(okAd)(w, r)
		},
		"/down": func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "down", http.StatusBadGateway) },
	})
	c, logs := testCrawler(t, Options{AllowPrivate: true, RetryBackoff: 40 * time.Millisecond})
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), hostileProfile(site.URL+"/jobs"), pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if ts := site.arrivals("/flaky"); len(ts) != 2 {
		t.Errorf("/flaky requested %d times, want 2", len(ts))
	} else if gap := ts[1].Sub(ts[0]); gap < 20*time.Millisecond { // backoff 40ms ± 50%
		t.Errorf("retried after %v, before the backoff", gap)
	}
	if n := site.hits("/down"); n != DefaultMaxAttempts {
		t.Errorf("/down requested %d times, want %d", n, DefaultMaxAttempts)
	}
	if len(pub.published()) != 1 || rec.Errors != 1 {
		t.Errorf("run %+v with %d ads, want 1 ad and the 502 as the one error", rec, len(pub.published()))
	}
	if logs.FilterMessage("request will be retried; host backs off").Len() < 3 {
		t.Error("retries not logged")
	}
	if got := ErrKind(&StatusError{Code: 502}); got != ErrKind5xx {
		t.Errorf("kind of a 502: %q", got)
	}
}

func TestHostileCalendarTrap(t *testing.T) {
	// Every month links to the next and the one before, forever, and to
	// its days, whose relative links nest forever: /day/1/day/day/...
	cal := func(w http.ResponseWriter, r *http.Request) {
		m, _ := strconv.Atoi(r.URL.Query().Get("month"))
		y, _ := strconv.Atoi(r.URL.Query().Get("year"))
		next := time.Date(y, time.Month(m)+1, 1, 0, 0, 0, 0, time.UTC)
		prev := time.Date(y, time.Month(m)-1, 1, 0, 0, 0, 0, time.UTC)
		htmlPage(fmt.Sprintf(`<a class="next" href="/cal?month=%d&year=%d">next</a>
			<a class="next" href="/cal?month=%d&year=%d">prev</a>
			<a class="next" href="day/%d/">day</a>`,
			next.Month(), next.Year(), prev.Month(), prev.Year(), m))(w, r)
	}
	site := newHostileSite(t, map[string]http.HandlerFunc{
		"/cal":  cal,
		"/day/": htmlPage(`<a class="next" href="day/">more days</a>`),
	})
	for _, tt := range []struct {
		name     string
		opts     Options
		maxDepth int
		maxPages int // requests, at most
	}{
		{"pages per host", Options{MaxPagesPerHost: 40}, 0, 40},
		// The 11 months within 5 links of the start, and for each at
		// most 2 day pages: /day/m/day/day/ repeats a segment 3 times.
		{"depth", Options{}, 5, 11 + 2*12},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := site.total()
			tt.opts.AllowPrivate = true
			c, logs := testCrawler(t, tt.opts)
			p := hostileProfile(site.URL + "/cal?month=1&year=2026")
			p.MaxPages = MaxPagesLimit
			p.MaxDepth = tt.maxDepth
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if _, err := c.Run(ctx, p, &memPublisher{}); err != nil {
				t.Fatalf("Run: %v", err)
			}
			if n := site.total() - before; n > tt.maxPages {
				t.Errorf("%d requests to an endless calendar, want at most %d", n, tt.maxPages)
			}
			if tt.opts.MaxPagesPerHost > 0 && logs.FilterMessage("link skipped").Len() == 0 {
				t.Error("trap limit not logged")
			}
		})
	}
}

func TestTrapLimits(t *testing.T) {
	l := newTrapLimits(60, 3)
	for _, tt := range []struct {
		url  string
		trap bool
	}{
		{"http://a.example/jobs/1", false},
		{"http://a.example/a/b/a/b/", false},
		{"http://a.example/a/b/a/b/a/b/", true},
		{"http://a.example/x/x/x", true},
		{"http://a.example/" + strings.Repeat("y", 60), true},
		{"http://a.example/jobs/2", false},
		{"http://a.example/jobs/3", true}, // the host's 4th page
		{"http://b.example/jobs/3", false},
	} {
		u, _ := url.Parse(tt.url)
		_, err := l.check(u, tt.url)
		if (err != nil) != tt.trap || (err != nil && !errors.Is(err, errTrap)) {
			t.Errorf("check(%s) = %v, want trap %v", tt.url, err, tt.trap)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"120", 2 * time.Minute, true},
		{" 0 ", 0, true},
		{"Wed, 25 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Wed, 25 Nov 2026 11:00:00 GMT", 0, true},
		{"-5", 0, false},
		{"soon", 0, false},
		{"", 0, false},
	} {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	p := retryPolicy{maxAttempts: 3, backoff: time.Second, maxRetryAfter: 10 * time.Minute, now: func() time.Time { return now }}
	resp := &http.Response{Header: http.Header{"Retry-After": {"86400"}}}
	if d, server := p.wait(resp, 2); d != 10*time.Minute || !server {
		t.Errorf("a day's Retry-After waits %v, want the 10 min cap", d)
	}
	for next := 2; next <= 4; next++ {
		base := time.Second << (next - 2)
		if d, _ := p.wait(nil, next); d < base/2 || d > base*3/2 {
			t.Errorf("backoff before attempt %d = %v, want %v ± 50%%", next, d, base)
		}
	}
}

func TestRobotsCachedAcrossRuns(t *testing.T) {
	for _, tt := range []struct {
		ttl   time.Duration
		fetch int
	}{{0, 1}, {-1, 2}} {
		site := newSite(t, htmlRoutes, "User-agent: *\nDisallow: /jobs/102\n")
		c, _ := testCrawler(t, Options{AllowPrivate: true, RobotsTTL: tt.ttl})
		for range 2 {
			if _, err := c.Run(context.Background(), htmlProfile(site), &memPublisher{}); err != nil {
				t.Fatalf("Run: %v", err)
			}
		}
		if n := site.hitCount("/robots.txt"); n != tt.fetch {
			t.Errorf("RobotsTTL %v: robots.txt fetched %d times in 2 runs, want %d", tt.ttl, n, tt.fetch)
		}
		if n := site.hitCount("/jobs/102"); n != 0 {
			t.Errorf("RobotsTTL %v: a disallowed page fetched with a cached robots.txt", tt.ttl)
		}
	}

	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rc := newRobotsCache(time.Hour, func() time.Time { return now })
	data, err := robotstxt.FromString("User-agent: *\nDisallow: /\n")
	if err != nil {
		t.Fatal(err)
	}
	rc.put("http://a.example", data)
	if rc.get("http://a.example") == nil {
		t.Error("fresh entry not returned")
	}
	now = now.Add(time.Hour)
	if rc.get("http://a.example") != nil {
		t.Error("expired entry returned")
	}
}

func TestErrKind(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{errors.New("connection reset"), ErrKindFetch},
		{fmt.Errorf("fetch x: %w", errRobots), ErrKindRobots},
		{fmt.Errorf("fetch x: %w", lurewatch.ErrRefused), ErrKindRefused},
		{fmt.Errorf("read: %w: over 5 bytes", errBodyTooLarge), ErrKindTooLarge},
		{fmt.Errorf("fetch x: %w after 1s: %w", errTimeout, context.DeadlineExceeded), ErrKindTimeout},
		{&url.Error{Op: "Get", URL: "x", Err: fmt.Errorf("%w: loop", errTooManyRedirects)}, ErrKindRedirect},
		{fmt.Errorf("%w: long", errTrap), ErrKindTrap},
		{fmt.Errorf("fetch x: %w", &StatusError{Code: 404}), ErrKind4xx},
		{&StatusError{Code: 503}, ErrKind5xx},
	} {
		if got := ErrKind(tt.err); got != tt.want {
			t.Errorf("ErrKind(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestBackoffHoldsOnlyItsHost(t *testing.T) {
	// Host A (127.0.0.1) asks for a 2 s pause on its ad; host B
	// (localhost) is fetched meanwhile.
	var mu sync.Mutex
	calls := 0
	var siteB *hostileSite
	siteA := newHostileSite(t, map[string]http.HandlerFunc{
		"/jobs": func(w http.ResponseWriter, r *http.Request) {
			port := siteB.URL[strings.LastIndex(siteB.URL, ":")+1:]
			links := `<a class="ad" href="/slow">a</a>`
			for i := range 3 {
				links += fmt.Sprintf(`<a class="ad" href="http://localhost:%s/ad/%d">b</a>`, port, i)
			}
			htmlPage(links)(w, r)
		},
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			calls++
			n := calls
			mu.Unlock()
			if n == 1 {
				w.Header().Set("Retry-After", "2")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
			htmlPage(okAd)(w, r)
		},
	})
	siteB = newHostileSite(t, map[string]http.HandlerFunc{"/ad/": htmlPage(okAd)})
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := hostileProfile(siteA.URL + "/jobs")
	p.AllowedDomains = []string{"127.0.0.1", "localhost"}
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), p, pub); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := len(pub.published()); n != 4 {
		t.Errorf("%d ads published, want 4", n)
	}
	slow := siteA.arrivals("/slow")
	if len(slow) != 2 || slow[1].Sub(slow[0]) < 2*time.Second-10*time.Millisecond {
		t.Fatalf("/slow requested at %v; want twice, 2 s apart", slow)
	}
	for i := range 3 {
		ts := siteB.arrivals(fmt.Sprintf("/ad/%d", i))
		if len(ts) != 1 || !ts[0].Before(slow[1]) {
			t.Errorf("host B's /ad/%d fetched at %v, not during host A's pause (until %v)", i, ts, slow[1])
		}
	}
}

func TestHostOf(t *testing.T) {
	for in, want := range map[string]string{
		"http://a.example/x":        "a.example",
		"http://a.example:8080?q=1": "a.example",
		"https://[::1]:443/x":       "[::1]",
		"http://127.0.0.1:9/":       "127.0.0.1",
	} {
		if got := hostOf(in); got != want {
			t.Errorf("hostOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRetryAfterHoldsHostWithoutRetry(t *testing.T) {
	site := newHostileSite(t, map[string]http.HandlerFunc{
		"/jobs": htmlPage(`<a class="ad" href="/busy">1</a><a class="ad" href="/after">2</a>`),
		"/busy": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		},
		"/after": htmlPage(okAd),
	})
	c, _ := testCrawler(t, Options{AllowPrivate: true, MaxAttempts: 1})
	rec, err := c.Run(context.Background(), hostileProfile(site.URL+"/jobs"), &memPublisher{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	busy, after := site.arrivals("/busy"), site.arrivals("/after")
	if len(busy) != 1 || len(after) != 1 {
		t.Fatalf("/busy requested %d times, /after %d; want once each", len(busy), len(after))
	}
	if gap := after[0].Sub(busy[0]); gap < time.Second-10*time.Millisecond {
		t.Errorf("next request to the host %v after a 429 with Retry-After: 1", gap)
	}
	if rec.Errors != 1 {
		t.Errorf("run %+v, want the 429 as its one error", rec)
	}
}

func FuzzUTF8Body(f *testing.F) {
	for _, name := range []string{"windows-1251.html", "gb18030.html", "undeclared-1251.html", "http-equiv-1251.html"} {
		b, err := os.ReadFile(filepath.Join("testdata", "hostile", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("<meta charset=\"shift_jis\">\x82\xa0\xff"))
	f.Add([]byte("\xfe\xff\x00<\x00a"))
	f.Fuzz(func(t *testing.T, body []byte) {
		if out := utf8Body(body, "text/html"); !utf8.Valid(out) {
			t.Errorf("utf8Body(%q) = %q, not UTF-8", body, out)
		}
	})
}
