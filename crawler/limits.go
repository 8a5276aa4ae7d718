package crawler

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"go.uber.org/zap"
)

// Defaults of the trap limits in Options.
const (
	// DefaultMaxURLLength is the longest URL a run fetches, in bytes.
	DefaultMaxURLLength = 2048
	// DefaultMaxPagesPerHost is how many pages one run fetches at most
	// from one host.
	DefaultMaxPagesPerHost = 10_000
	// DefaultMaxRedirects is how many redirects one request follows.
	DefaultMaxRedirects = 10
	// maxSegmentRepeats is how often one path segment may occur in a URL
	// before the URL is taken for a trap (/a/b/a/b/a/b/...).
	maxSegmentRepeats = 3
)

var (
	// errTrap marks a link refused by a trap limit.
	errTrap = errors.New("crawler trap")
	// errTooManyRedirects marks a request that redirected too often.
	errTooManyRedirects = errors.New("too many redirects")
)

// checkRedirect is the redirect policy of a run: at most limit redirects,
// and a URL met twice in one chain of redirects is a loop. (colly itself
// refuses a redirect to a page fetched before, so a loop through several
// pages ends on its AlreadyVisitedError, before this is called.)
func checkRedirect(limit int) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		target := req.URL.String()
		seen := 0
		for _, v := range via {
			if v.URL.String() == target {
				seen++
			}
		}
		// A page may redirect to itself once (to set a cookie, say);
		// twice is a loop.
		if seen >= 2 {
			return fmt.Errorf("%w: redirect loop at %s after %d redirects", errTooManyRedirects, req.URL.Redacted(), len(via))
		}
		if len(via) >= limit {
			return fmt.Errorf("%w: stopped after %d redirects at %s", errTooManyRedirects, len(via), req.URL.Redacted())
		}
		return nil
	}
}

// trapLimits are the limits a run puts on links so that a site generating
// endless URLs (calendars, session ids in paths, relative links that
// nest) cannot keep it busy: URL length, repeated path segments and pages
// per host. They add to Profile.MaxPages and Profile.MaxDepth.
type trapLimits struct {
	maxURLLength    int
	maxPagesPerHost int

	mu     sync.Mutex
	pages  map[string]int  // pages enqueued per host
	capped map[string]bool // hosts whose budget ran out
}

func newTrapLimits(maxURLLength, maxPagesPerHost int) *trapLimits {
	return &trapLimits{
		maxURLLength:    maxURLLength,
		maxPagesPerHost: maxPagesPerHost,
		pages:           make(map[string]int),
		capped:          make(map[string]bool),
	}
}

// check returns an error wrapping errTrap when the canonical URL canon (u
// parsed) is too long or repeats a path segment too often, or when its
// host has used its page budget; first is true for the first refusal of
// a host over budget, so that it is logged and counted once. A URL that
// passes is counted against its host's budget.
func (l *trapLimits) check(u *url.URL, canon string) (first bool, err error) {
	if len(canon) > l.maxURLLength {
		return true, fmt.Errorf("%w: URL of %d bytes, over %d", errTrap, len(canon), l.maxURLLength)
	}
	if seg, n := mostRepeatedSegment(u.EscapedPath()); n >= maxSegmentRepeats {
		return true, fmt.Errorf("%w: path segment %q repeated %d times", errTrap, truncate(seg, 100), n)
	}
	host := strings.ToLower(u.Hostname())
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pages[host] >= l.maxPagesPerHost {
		first = !l.capped[host]
		l.capped[host] = true
		return first, fmt.Errorf("%w: %d pages from host %s in this run", errTrap, l.maxPagesPerHost, host)
	}
	l.pages[host]++
	return false, nil
}

// mostRepeatedSegment returns the non-empty path segment that occurs most
// often in path, and how often. Paths are short, so segments are compared
// pairwise rather than counted in a map.
func mostRepeatedSegment(path string) (string, int) {
	var segs [32]string
	all := segs[:0]
	for seg := range strings.SplitSeq(path, "/") {
		if seg != "" {
			all = append(all, seg)
		}
	}
	var best string
	var bestN int
	for i, s := range all {
		n := 1
		for _, t := range all[i+1:] {
			if s == t {
				n++
			}
		}
		if n > bestN {
			best, bestN = s, n
		}
	}
	return best, bestN
}

// limitDefaults fills in the politeness and trap limits of Options left
// zero.
func (o *Options) limitDefaults() {
	if o.RobotsTTL == 0 {
		o.RobotsTTL = DefaultRobotsTTL
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = DefaultRetryBackoff
	}
	if o.MaxRetryAfter <= 0 {
		o.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	if o.MaxURLLength <= 0 {
		o.MaxURLLength = DefaultMaxURLLength
	}
	if o.MaxPagesPerHost <= 0 {
		o.MaxPagesPerHost = DefaultMaxPagesPerHost
	}
}

// limitRun applies the crawler's retry policy, robots.txt cache, redirect
// policy, trap limits and frontier to a new run.
func (c *Crawler) limitRun(r *run, col *colly.Collector) {
	r.fetch.robotsCache = c.robots
	r.fetch.retry = retryPolicy{
		maxAttempts:   c.opts.MaxAttempts,
		backoff:       c.opts.RetryBackoff,
		maxRetryAfter: c.opts.MaxRetryAfter,
		now:           time.Now,
	}
	r.traps = newTrapLimits(c.opts.MaxURLLength, c.opts.MaxPagesPerHost)
	col.SetRedirectHandler(checkRedirect(c.opts.MaxRedirects))
	r.useFrontier(col)
}

// trapCheck reports whether a link not seen before in the run passes the
// trap limits. A link that does not is logged and counted as an
// ErrKindTrap error (a host over its page budget only once).
func (r *run) trapCheck(u *url.URL, canon string) bool {
	first, err := r.traps.check(u, canon)
	if err == nil {
		return true
	}
	if first {
		r.log.Info("link skipped", zap.String("url", truncate(canon, 300)), zap.Error(err))
		r.countError(ErrKindTrap)
	}
	return false
}
