package crawler

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

func TestIsPublic(t *testing.T) {
	tests := []struct {
		addr   string
		public bool
	}{
		{"93.184.215.14", true},
		{"8.8.8.8", true},
		{"2606:4700::1111", true},
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"192.168.1.1", false},
		{"169.254.169.254", false}, // cloud metadata
		{"100.64.0.1", false},
		{"0.0.0.0", false},
		{"224.0.0.1", false},
		{"255.255.255.255", false},
		{"::1", false},
		{"::", false},
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.0.0.1", false},
		{"fe80::1", false},
		{"fd00::1", false},
		{"ff02::1", false},
	}
	for _, tt := range tests {
		if got := isPublic(netip.MustParseAddr(tt.addr)); got != tt.public {
			t.Errorf("isPublic(%s) = %v, want %v", tt.addr, got, tt.public)
		}
	}
}

func TestRefuseNonPublic(t *testing.T) {
	if err := refuseNonPublic("tcp4", "127.0.0.1:80", nil); !errors.Is(err, lurewatch.ErrRefused) {
		t.Errorf("127.0.0.1: %v, want ErrRefused", err)
	}
	if err := refuseNonPublic("tcp6", "[::1]:443", nil); !errors.Is(err, lurewatch.ErrRefused) {
		t.Errorf("::1: %v, want ErrRefused", err)
	}
	if err := refuseNonPublic("tcp4", "93.184.215.14:443", nil); err != nil {
		t.Errorf("public address: %v", err)
	}
}

func TestHostLimiterSpacesRequests(t *testing.T) {
	l := &hostLimiter{sem: make(chan struct{}, 3), delay: 30 * time.Millisecond}
	ctx := context.Background()
	start := time.Now()
	for range 4 {
		release, err := l.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		release()
		release() // a second call is harmless
	}
	if el := time.Since(start); el < 3*l.delay {
		t.Errorf("4 turns took %v, want at least %v", el, 3*l.delay)
	}
}

func TestHostLimiterParallelismAndCancel(t *testing.T) {
	l := &hostLimiter{sem: make(chan struct{}, 1)}
	release, err := l.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second turn with the only slot taken: %v, want DeadlineExceeded", err)
	}
	release()
	r2, err := l.acquire(context.Background())
	if err != nil {
		t.Fatalf("turn after release: %v", err)
	}
	r2()

	// A long delay does not hold up cancellation.
	l = &hostLimiter{sem: make(chan struct{}, 1), delay: time.Hour}
	r3, _ := l.acquire(context.Background())
	r3()
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	start := time.Now()
	if _, err := l.acquire(ctx2); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Error("cancelled wait did not return at once")
	}
}

func TestFetcherRobots(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			_, _ = w.Write([]byte("User-agent: lurewatch\nCrawl-delay: 0.25\nDisallow: /private\nDisallow: /*?session=\n\nUser-agent: *\nDisallow: /\n"))
		default:
			_, _ = w.Write([]byte("ok"))
		}
	}))
	defer srv.Close()
	f := newFetcher(http.DefaultTransport, DefaultUserAgent, time.Second, 1<<20, 0, 1, zap.NewNop())
	ctx := context.Background()
	for path, want := range map[string]bool{
		"/jobs": true, "/private/x": false, "/jobs?session=1": false, "/jobs?page=2": true,
	} {
		u, _ := url.Parse(srv.URL + path)
		got, err := f.allowed(ctx, u)
		if err != nil || got != want {
			t.Errorf("allowed(%s) = %v, %v; want %v", path, got, err, want)
		}
	}
	u, _ := url.Parse(srv.URL)
	if d := f.limiter(u.Hostname()).delay; d != 250*time.Millisecond {
		t.Errorf("delay after Crawl-delay 0.25 = %v, want 250ms", d)
	}

	// A disallowed redirect target is refused by the transport itself.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/private/y", nil)
	if _, err := f.RoundTrip(req); !errors.Is(err, lurewatch.ErrRefused) {
		t.Errorf("RoundTrip of a disallowed URL: %v, want ErrRefused", err)
	}
}

func TestFetcherRobotsStatus(t *testing.T) {
	for _, tt := range []struct {
		status  int
		allowed bool
	}{{http.StatusNotFound, true}, {http.StatusForbidden, true}, {http.StatusServiceUnavailable, false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(tt.status)
		}))
		f := newFetcher(http.DefaultTransport, DefaultUserAgent, time.Second, 1<<20, 0, 1, zap.NewNop())
		u, _ := url.Parse(srv.URL + "/jobs")
		got, err := f.allowed(context.Background(), u)
		if err != nil || got != tt.allowed {
			t.Errorf("robots.txt status %d: allowed = %v, %v; want %v", tt.status, got, err, tt.allowed)
		}
		srv.Close()
	}
}
