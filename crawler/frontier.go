package crawler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/gocolly/colly/v2"
)

// maxWorkerHosts bounds the hosts a run fetches from at once: a run has
// Parallelism × min(allowed hosts, maxWorkerHosts) workers.
const maxWorkerHosts = 8

// ctxSent is the colly context key set once colly has started a request.
const ctxSent = "sent"

// pending is a page waiting in the frontier: what enqueue decided about
// it, in a few dozen bytes. Its colly request is built only when a
// worker takes it, so a queued URL costs its string, this struct and its
// entry in the run's visited set, about 200 bytes, where colly's async
// mode spends a goroutine, a request and a context (about 12 KB).
type pending struct {
	url   string // canonical
	role  string
	depth int
	start bool
	data  *pageData
}

// frontier is the queue of a run's pages, one queue per host (see
// hostQueue). A
// fixed set of workers takes pages from it and fetches each through colly
// (in its synchronous mode); a host never has more pages in flight than
// the profile's parallelism, so a host that backs off (Retry-After, a
// slow server) holds only its own workers, and other hosts go on. The
// frontier is done when it is sealed (no page will be added from
// outside the workers), empty, and no worker is busy, or when the run's
// context ends.
type frontier struct {
	ctx     context.Context
	perHost int
	workers int
	fetch   func(pending)

	once   sync.Once
	wg     sync.WaitGroup
	mu     sync.Mutex
	cond   *sync.Cond
	hosts  map[string]*hostQueue
	queued int
	busy   int
	sealed bool
}

// hostQueue is the queue of one host: the pages that lead to other
// pages (listings, feeds, sitemaps, channel pages) go before the leaves
// (ad pages). A listing's next page is so fetched as soon as a slot is
// free rather than after every ad queued before it, and the pages it
// leads to are found while the ads are fetched: on a site whose listings
// form a chain, one FIFO queue leaves the host's slots idle at each link
// of the chain. The host's limits stay the same; only the order changes.
type hostQueue struct {
	hubs, leaves fifo
	inflight     int
}

// isLeaf reports whether a page of role leads to no other page.
func isLeaf(role string) bool { return role == roleAd || role == rolePage }

// fifo is a first-in first-out queue of pages.
type fifo struct {
	items []pending
	head  int
}

func (q *fifo) push(p pending) { q.items = append(q.items, p) }

// pop takes the first page, if any.
func (q *fifo) pop() (pending, bool) {
	if q.head == len(q.items) {
		return pending{}, false
	}
	p := q.items[q.head]
	q.items[q.head] = pending{}
	q.head++
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	} else if q.head > 1024 && q.head > len(q.items)/2 {
		q.items = append(q.items[:0], q.items[q.head:]...)
		q.head = 0
	}
	return p, true
}

func newFrontier(ctx context.Context, perHost, workers int, fetch func(pending)) *frontier {
	f := &frontier{ctx: ctx, perHost: max(perHost, 1), workers: max(workers, 1), fetch: fetch,
		hosts: make(map[string]*hostQueue)}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// hostOf returns the host name of a canonical URL, without its port (as
// the host limiters key hosts), and without parsing the URL.
func hostOf(canon string) string {
	_, rest, _ := strings.Cut(canon, "://")
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if strings.HasPrefix(rest, "[") { // IPv6 literal
		if i := strings.IndexByte(rest, ']'); i >= 0 {
			return rest[:i+1]
		}
		return rest
	}
	host, _, _ := strings.Cut(rest, ":")
	return host
}

// push queues a page, starting the workers on first use.
func (f *frontier) push(p pending) {
	f.once.Do(f.start)
	host := hostOf(p.url)
	f.mu.Lock()
	q := f.hosts[host]
	if q == nil {
		q = &hostQueue{}
		f.hosts[host] = q
	}
	if isLeaf(p.role) {
		q.leaves.push(p)
	} else {
		q.hubs.push(p)
	}
	f.queued++
	f.mu.Unlock()
	f.cond.Signal()
}

// start starts the workers, and wakes them when the context ends.
func (f *frontier) start() {
	for range f.workers {
		f.wg.Add(1)
		go f.work()
	}
	go func() {
		<-f.ctx.Done()
		f.mu.Lock()
		f.cond.Broadcast()
		f.mu.Unlock()
	}()
}

// work is one worker: it fetches pages until the frontier is done.
func (f *frontier) work() {
	defer f.wg.Done()
	for {
		p, host, ok := f.next()
		if !ok {
			return
		}
		f.fetch(p)
		f.mu.Lock()
		f.hosts[host].inflight--
		f.busy--
		f.mu.Unlock()
		f.cond.Broadcast()
	}
}

// next takes the next page of a host with a free slot, waiting for one;
// ok is false once the frontier is done.
func (f *frontier) next() (p pending, host string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for {
		if f.ctx.Err() != nil {
			return pending{}, "", false
		}
		for h, q := range f.hosts {
			if q.inflight >= f.perHost {
				continue
			}
			p, ok = q.hubs.pop()
			if !ok {
				p, ok = q.leaves.pop()
			}
			if ok {
				q.inflight++
				f.queued--
				f.busy++
				return p, h, true
			}
		}
		if f.sealed && f.queued == 0 && f.busy == 0 {
			f.cond.Broadcast() // wake the other workers to end too
			return pending{}, "", false
		}
		f.cond.Wait()
	}
}

// wait seals the frontier and waits until it is done.
func (f *frontier) wait() {
	f.mu.Lock()
	f.sealed = true
	f.mu.Unlock()
	f.cond.Broadcast()
	f.wg.Wait()
}

// fetchPending hands a page taken from the frontier to colly, which
// fetches it and calls onResponse or onError before it returns. An error
// colly returns before sending the request (a page reached before through
// a redirect, a filter) is handled here; one after sending has been
// reported to onError already.
func (r *run) fetchPending(p pending) {
	cctx := colly.NewContext()
	cctx.Put(ctxRole, p.role)
	cctx.Put(ctxDepth, p.depth)
	cctx.Put(ctxRequested, p.url)
	cctx.Put(ctxStart, p.start)
	if p.data != nil {
		cctx.Put(ctxData, p.data)
	}
	err := r.col.Request(http.MethodGet, p.url, nil, cctx, r.conditionalHeaders(p.url, p.role))
	if err == nil || cctx.GetAny(ctxSent) != nil {
		return
	}
	r.reserved.Add(-1)
	var av *colly.AlreadyVisitedError
	if errors.As(err, &av) {
		return // reached before through a redirect
	}
	startKey := ""
	if p.start {
		startKey = p.url
	}
	r.pageFailed(p.url, startKey, 0, fmt.Errorf("fetch %s: %w", p.url, err))
}

// useFrontier makes colly synchronous and feeds it from a frontier, with
// Parallelism workers per host for up to maxWorkerHosts hosts.
func (r *run) useFrontier(col *colly.Collector) {
	col.Async = false
	col.OnRequest(func(req *colly.Request) { req.Ctx.Put(ctxSent, true) })
	hosts := min(max(len(r.allowed), 1), maxWorkerHosts)
	r.frontier = newFrontier(r.ctx, r.p.Parallelism, r.p.Parallelism*hosts, r.fetchPending)
}
