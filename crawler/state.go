package crawler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

// State is what a crawler remembers between runs, shared by every crawler
// process of a deployment (the queue's CRAWL_STATE bucket implements it).
// With it a run asks the site for a page only if it changed since the last
// run (If-None-Match, If-Modified-Since), and publishes an ad only if its
// content changed since it was last published; a run that was killed and
// started again so sends nothing twice and finishes the rest.
//
// Methods are called from many goroutines at once. An unknown page or ad
// is not an error: Page returns the zero PageState, AdHash "".
type State interface {
	// Page returns what is known of the page at canonical URL url.
	Page(ctx context.Context, source, url string) (lurewatch.PageState, error)
	// SetPage records the state of the page at canonical URL url.
	SetPage(ctx context.Context, source, url string, s lurewatch.PageState) error
	// AdHash returns the content hash last published for an ad, or "".
	AdHash(ctx context.Context, source, adID string) (string, error)
	// SetAdHash records that an ad was published (and acked) with hash.
	SetAdHash(ctx context.Context, source, adID, hash string) error
}

// stateTimeout bounds one call to the State. Writes that record an acked
// publish run with it even when the run's context has ended, so that a
// cancelled run still remembers what it sent.
const stateTimeout = 10 * time.Second

// stateCounts are a run's counts about its state: pages not modified (304)
// and ads by what the state knew of them. Guarded by run.mu.
type stateCounts struct {
	notModified, adsNew, adsChanged, adsUnchanged int
}

// conditional reports whether a page of role is fetched with a conditional
// request. Only pages whose ads come from the page itself and that lead to
// no other pages qualify: ad pages, the pages a feed, sitemap or JSON-LD
// source follows, and a feed whose entries are the ads. A listing, a
// channel page or a sitemap is always fetched whole, since a restarted run
// must walk it again to reach what the killed run did not finish.
func (r *run) conditional(role string) bool {
	if r.state == nil {
		return false
	}
	switch role {
	case roleAd, rolePage:
		return true
	case roleFeed:
		return r.p.Feed == nil || r.p.Feed.Follow == ""
	}
	return false
}

// conditionalHeaders returns the request headers asking for the page at
// canonical URL canon only if it changed, from its state; nil when the
// page is not fetched conditionally or nothing is known of it.
func (r *run) conditionalHeaders(canon, role string) http.Header {
	if !r.conditional(role) {
		return nil
	}
	ps, err := r.state.Page(r.ctx, r.p.Name, canon)
	if err != nil {
		if r.ctx.Err() == nil {
			r.log.Warn("crawl state not read; fetching the page whole", zap.String("url", canon), zap.Error(err))
			r.countError(ErrKindState)
		}
		return nil
	}
	if ps.ETag == "" && ps.LastModified == "" || ps.Profile != r.fingerprint {
		return nil
	}
	h := http.Header{}
	if ps.ETag != "" {
		h.Set("If-None-Match", ps.ETag)
	}
	if ps.LastModified != "" {
		h.Set("If-Modified-Since", ps.LastModified)
	}
	return h
}

// notModified handles a 304 answer: the page is unchanged since the run
// that recorded its state, and that run published its ads, so there is
// nothing to do. It reports whether resp was a 304 to a conditional
// request (else onError goes on as for any other status).
func (r *run) notModified(resp *colly.Response) bool {
	if resp.StatusCode != http.StatusNotModified || resp.Request == nil || resp.Request.Headers == nil ||
		(resp.Request.Headers.Get("If-None-Match") == "" && resp.Request.Headers.Get("If-Modified-Since") == "") {
		return false
	}
	r.mu.Lock()
	r.pages++
	r.sc.notModified++
	r.mu.Unlock()
	if k := startKey(resp.Ctx); k != "" {
		r.setStart(k, startOK, nil)
	}
	r.log.Debug("page not modified", zap.String("url", resp.Ctx.Get(ctxRequested)))
	return true
}

// savePage records the validators of a page fetched whole, once its ads
// are published: a run that ended before that (cancelled, or a publish
// failed) records nothing, so the next run fetches the page whole again.
func (r *run) savePage(resp *colly.Response, fetched time.Time) {
	if r.ctx.Err() != nil {
		return
	}
	canon := resp.Ctx.Get(ctxRequested)
	ps := lurewatch.PageState{FetchedAt: fetched, Profile: r.fingerprint}
	if resp.Headers != nil {
		ps.ETag = resp.Headers.Get("ETag")
		ps.LastModified = resp.Headers.Get("Last-Modified")
	}
	if err := r.state.SetPage(r.ctx, r.p.Name, canon, ps); err != nil && r.ctx.Err() == nil {
		r.log.Warn("crawl state of page not saved", zap.String("url", canon), zap.Error(err))
		r.countError(ErrKindState)
	}
}

// adHash returns the content hash last published for ad, or "" when the
// run has no state, the ad is new, or the state cannot be read (then the
// ad is published: the queue's message id deduplicates a republish).
// Called with publishMu held.
func (r *run) adHash(ad *lurewatch.Ad, log *zap.Logger) string {
	if r.state == nil {
		return ""
	}
	h, err := r.state.AdHash(r.ctx, r.p.Name, ad.ID)
	if err != nil {
		if r.ctx.Err() == nil {
			log.Warn("crawl state of ad not read; publishing it", zap.Error(err))
			r.countError(ErrKindState)
		}
		return ""
	}
	return h
}

// adUnchanged counts an ad whose content was published before.
func (r *run) adUnchanged(log *zap.Logger) {
	r.mu.Lock()
	r.sc.adsUnchanged++
	r.mu.Unlock()
	log.Debug("ad unchanged; not published again")
}

// adPublished records the content hash of an ad whose publish was acked,
// and counts it as new or changed by prev, the hash it had before. It
// records even when the run's context has ended: the ad was sent. If the
// record fails, the next run publishes the ad again, and the queue drops
// the duplicate by its message id. Called with publishMu held.
func (r *run) adPublished(ad *lurewatch.Ad, prev string, log *zap.Logger) {
	if r.state == nil {
		return
	}
	r.mu.Lock()
	if prev == "" {
		r.sc.adsNew++
	} else {
		r.sc.adsChanged++
	}
	r.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.ctx), stateTimeout)
	defer cancel()
	if err := r.state.SetAdHash(ctx, r.p.Name, ad.ID, ad.ContentHash); err != nil {
		log.Warn("crawl state of ad not saved; the next run publishes it again", zap.Error(err))
		r.countError(ErrKindState)
	}
}

// fillRecord copies the run's state counts and errors by kind into its
// record. r.mu is held.
func (r *run) fillRecord(rec *lurewatch.CrawlRun) {
	rec.PagesNotModified = r.sc.notModified
	rec.AdsNew, rec.AdsChanged, rec.AdsUnchanged = r.sc.adsNew, r.sc.adsChanged, r.sc.adsUnchanged
	rec.ErrorsByKind = r.kinds.snapshot()
}

// ErrKindState is the kind of error counted when the crawl state cannot be
// read or written.
const ErrKindState = "state"

// fetchedSince reports whether the page at loc (a sitemap entry, resolved
// against base) was read whole by this profile after lastmod, the time the
// sitemap says it last changed: then it is skipped without a request. A
// lastmod at midnight UTC is taken for a date without a time, and the page
// must have been fetched a day after it; a lastmod with a time must be a
// minute before the fetch (clocks differ).
func (r *run) fetchedSince(loc string, base *url.URL, lastmod time.Time) bool {
	if r.state == nil || lastmod.IsZero() {
		return false
	}
	u, err := base.Parse(strings.TrimSpace(loc))
	if err != nil {
		return false
	}
	canon, err := canonicalURL(u)
	if err != nil {
		return false
	}
	ps, err := r.state.Page(r.ctx, r.p.Name, canon)
	if err != nil || ps.Profile != r.fingerprint || ps.FetchedAt.IsZero() {
		return false
	}
	slack := time.Minute
	if lm := lastmod.UTC(); lm.Equal(lm.Truncate(24 * time.Hour)) {
		slack = 24 * time.Hour
	}
	return !lastmod.Add(slack).After(ps.FetchedAt)
}

// profileFingerprint returns a short hash of what in a profile decides
// how its pages are read: its name, kind and the options of its kind.
func profileFingerprint(p *Profile) string {
	data, err := json.Marshal(struct {
		Name, Kind string
		HTML       *HTMLSelectors
		JSONLD     *JSONLDOptions
		Telegram   *TelegramOptions
		Feed       *FeedOptions
		Sitemap    *SitemapOptions
	}{p.Name, p.Kind, p.HTML, p.JSONLD, p.Telegram, p.Feed, p.Sitemap})
	if err != nil {
		return ""
	}
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:8])
}

// kindCounts counts a run's errors by kind. The zero value is ready to use.
type kindCounts struct {
	mu sync.Mutex
	n  map[string]int
}

// add counts one error of kind ("" is not counted).
func (c *kindCounts) add(kind string) {
	if kind == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = make(map[string]int)
	}
	c.n[kind]++
}

// snapshot returns a copy of the counts, nil when there are none.
func (c *kindCounts) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.n) == 0 {
		return nil
	}
	return maps.Clone(c.n)
}
