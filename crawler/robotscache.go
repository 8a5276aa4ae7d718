package crawler

import (
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// DefaultRobotsTTL is how long a fetched robots.txt is trusted before it
// is fetched again.
const DefaultRobotsTTL = time.Hour

// robotsCache keeps the robots.txt files a Crawler fetched, by origin, for
// ttl, so that runs in quick succession (a schedule every few minutes,
// several sources on one site) do not fetch the same file each time. It
// is safe for concurrent use.
type robotsCache struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]cachedRobots // by scheme://host[:port], lower case
}

type cachedRobots struct {
	data    *robotstxt.RobotsData
	expires time.Time
}

func newRobotsCache(ttl time.Duration, now func() time.Time) *robotsCache {
	return &robotsCache{ttl: ttl, now: now, entries: make(map[string]cachedRobots)}
}

// get returns the cached robots.txt of origin, or nil when there is none
// or it has expired.
func (c *robotsCache) get(origin string) *robotstxt.RobotsData {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[origin]
	if !ok || !c.now().Before(e.expires) {
		return nil
	}
	return e.data
}

// put caches the robots.txt of origin, dropping expired entries so that
// the cache holds only the origins crawled within the last ttl.
func (c *robotsCache) put(origin string, data *robotstxt.RobotsData) {
	if c == nil || c.ttl <= 0 {
		return
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	for o, e := range c.entries {
		if !now.Before(e.expires) {
			delete(c.entries, o)
		}
	}
	c.entries[origin] = cachedRobots{data: data, expires: now.Add(c.ttl)}
}
