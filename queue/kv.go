package queue

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

// Key-value bucket names.
const (
	// BucketCrawlState holds what the crawler remembers between runs: per
	// page its validators (ETag, Last-Modified) and last fetch time, per
	// ad the content hash last published. Several crawler processes share
	// it, and a restarted crawl resumes from it.
	BucketCrawlState = "CRAWL_STATE"
	// BucketCrawlLocks holds leases, such as the one a crawl run of a
	// source holds so that two runs of one source never overlap, in one
	// process or across several.
	BucketCrawlLocks = "CRAWL_LOCKS"
)

// ErrLeaseHeld marks a lease that another holder has (and has refreshed
// within the lease TTL). Test with errors.Is.
var ErrLeaseHeld = errors.New("lease held by another holder")

// ErrLeaseLost marks a lease that was lost while held: it could not be
// refreshed within its TTL, or another holder took it after it expired.
var ErrLeaseLost = errors.New("lease lost")

// ensureBuckets creates or updates the key-value buckets. Both keep one
// revision per key in files; CRAWL_STATE forgets entries not written for
// StateMaxAge, CRAWL_LOCKS those not refreshed for LeaseTTL.
func (q *Queue) ensureBuckets(ctx context.Context) error {
	cfgs := []jetstream.KeyValueConfig{
		{
			Bucket:      BucketCrawlState,
			Description: "crawl state: page validators and fetch times, published ad content hashes",
			TTL:         q.opts.StateMaxAge,
		},
		{
			Bucket:      BucketCrawlLocks,
			Description: "leases: one crawl run per source at a time",
			TTL:         q.opts.LeaseTTL,
		},
	}
	for i, cfg := range cfgs {
		cfg.History = 1
		cfg.Storage = jetstream.FileStorage
		cfg.Replicas = q.opts.Replicas
		kv, err := q.js.CreateOrUpdateKeyValue(ctx, cfg)
		if err != nil {
			return fmt.Errorf("create or update key-value bucket %s: %w", cfg.Bucket, err)
		}
		if i == 0 {
			q.state = kv
		} else {
			q.locks = kv
		}
	}
	return nil
}

// keyToken turns any string into one token of a key-value key: letters,
// digits, '_' and '-' stay, every other byte becomes "=XX" (its hex), so
// distinct strings give distinct tokens and a token never holds a '.'.
func keyToken(s string) string {
	if s == "" {
		return "="
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

// hashToken is the SHA-256 of s in hex: a fixed-size key token for a URL or
// an ad id of any length.
func hashToken(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// CrawlState is the crawl state bucket, CRAWL_STATE. Keys are
// "<source>.page.<sha256 of the canonical URL>" and
// "<source>.ad.<sha256 of the ad id>", values JSON. It implements
// crawler.State and is safe for concurrent use.
type CrawlState struct {
	kv jetstream.KeyValue
}

// CrawlState returns the crawl state bucket.
func (q *Queue) CrawlState() *CrawlState { return &CrawlState{kv: q.state} }

func pageKey(source, url string) string { return keyToken(source) + ".page." + hashToken(url) }
func adKey(source, adID string) string  { return keyToken(source) + ".ad." + hashToken(adID) }

// adState is the value of an ad's key.
type adState struct {
	Hash        string    `json:"hash"`
	PublishedAt time.Time `json:"published_at"`
}

// get reads key into v; found is false when the key does not exist (or was
// deleted or expired).
func (s *CrawlState) get(ctx context.Context, key string, v any) (found bool, err error) {
	e, err := s.kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(e.Value(), v); err != nil {
		return false, fmt.Errorf("decode %s: %w", key, err)
	}
	return true, nil
}

func (s *CrawlState) put(ctx context.Context, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	_, err = s.kv.Put(ctx, key, data)
	return err
}

// Page returns what is known of the page at the canonical URL url of
// source: the zero PageState when nothing is.
func (s *CrawlState) Page(ctx context.Context, source, url string) (lurewatch.PageState, error) {
	var ps lurewatch.PageState
	if _, err := s.get(ctx, pageKey(source, url), &ps); err != nil {
		return lurewatch.PageState{}, fmt.Errorf("crawl state of page %s: %w", url, err)
	}
	return ps, nil
}

// SetPage records the state of the page at the canonical URL url of
// source.
func (s *CrawlState) SetPage(ctx context.Context, source, url string, ps lurewatch.PageState) error {
	if err := s.put(ctx, pageKey(source, url), ps); err != nil {
		return fmt.Errorf("set crawl state of page %s: %w", url, err)
	}
	return nil
}

// AdHash returns the content hash last published for the ad adID of
// source, or "" when it was never published (or forgotten).
func (s *CrawlState) AdHash(ctx context.Context, source, adID string) (string, error) {
	var as adState
	if _, err := s.get(ctx, adKey(source, adID), &as); err != nil {
		return "", fmt.Errorf("crawl state of ad %s: %w", adID, err)
	}
	return as.Hash, nil
}

// SetAdHash records that the ad adID of source was published with content
// hash hash. Call it only after the publish was acked.
func (s *CrawlState) SetAdHash(ctx context.Context, source, adID, hash string) error {
	if err := s.put(ctx, adKey(source, adID), adState{Hash: hash, PublishedAt: time.Now().UTC()}); err != nil {
		return fmt.Errorf("set crawl state of ad %s: %w", adID, err)
	}
	return nil
}

// leaseValue is the value of a lease's key: who holds it, since when.
type leaseValue struct {
	Holder     string    `json:"holder"`
	AcquiredAt time.Time `json:"acquired_at"`
}

// holderID names this process in the leases it takes.
var holderID = func() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d", host, os.Getpid())
}()

// Lease is a lock in the CRAWL_LOCKS bucket, held until Release or until
// it is lost. While held it is refreshed in the background every third of
// the lease TTL; a holder that dies stops refreshing, and its lease expires
// after the TTL.
type Lease struct {
	kv   jetstream.KeyValue
	key  string
	name string
	ttl  time.Duration
	val  []byte
	log  *zap.Logger

	mu      sync.Mutex
	rev     uint64
	lostErr error

	lost chan struct{} // closed when the lease is lost
	stop chan struct{} // closed by Release
	done chan struct{} // closed when the refresher has stopped
	once sync.Once
}

// AcquireLease takes the lease called name (any string) if nobody holds
// it. It returns an error wrapping ErrLeaseHeld, naming the holder, when
// another holder has it.
func (q *Queue) AcquireLease(ctx context.Context, name string) (*Lease, error) {
	key := "lease." + keyToken(name)
	val, err := json.Marshal(leaseValue{Holder: holderID + "/" + rand.Text()[:8], AcquiredAt: time.Now().UTC()})
	if err != nil {
		return nil, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	rev, err := q.locks.Create(ctx, key, val)
	if err != nil {
		if !isKeyExists(err) {
			return nil, fmt.Errorf("acquire lease %s: %w", name, err)
		}
		holder := "unknown"
		if e, gerr := q.locks.Get(ctx, key); gerr == nil {
			var lv leaseValue
			if json.Unmarshal(e.Value(), &lv) == nil {
				holder = lv.Holder + " since " + lv.AcquiredAt.Format(time.RFC3339)
			}
		}
		return nil, fmt.Errorf("acquire lease %s: %w (%s)", name, ErrLeaseHeld, holder)
	}
	l := &Lease{
		kv: q.locks, key: key, name: name, ttl: q.opts.LeaseTTL, val: val,
		log: q.log.With(zap.String("lease", name)), rev: rev,
		lost: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{}),
	}
	go l.refresh()
	return l, nil
}

// isKeyExists reports whether err says the key exists already: a create
// that lost the race, or a compare-and-set on a stale revision.
func isKeyExists(err error) bool {
	if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
		return true
	}
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant)
}

// refresh rewrites the lease every ttl/3 so that it does not expire, until
// Release or until the lease is lost: the key changed under it (another
// holder took it after it expired), or no refresh succeeded for a TTL.
func (l *Lease) refresh() {
	defer close(l.done)
	every := max(l.ttl/3, 10*time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	lastOK := time.Now()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), every)
		l.mu.Lock()
		rev := l.rev
		l.mu.Unlock()
		newRev, err := l.kv.Update(ctx, l.key, l.val, rev)
		cancel()
		switch {
		case err == nil:
			l.mu.Lock()
			l.rev = newRev
			l.mu.Unlock()
			lastOK = time.Now()
			continue
		case isKeyExists(err) || errors.Is(err, jetstream.ErrKeyNotFound):
			l.setLost(fmt.Errorf("lease %s: %w: taken over or expired: %w", l.name, ErrLeaseLost, err))
			return
		case time.Since(lastOK) >= l.ttl:
			l.setLost(fmt.Errorf("lease %s: %w: not refreshed for %v: %w", l.name, ErrLeaseLost, l.ttl, err))
			return
		default:
			l.log.Warn("lease refresh failed; retrying", zap.Error(err))
		}
	}
}

func (l *Lease) setLost(err error) {
	l.mu.Lock()
	l.lostErr = err
	l.mu.Unlock()
	l.log.Error("lease lost", zap.Error(err))
	close(l.lost)
}

// Lost returns a channel that is closed when the lease is lost; Err then
// says why.
func (l *Lease) Lost() <-chan struct{} { return l.lost }

// Err returns nil while the lease is held, or an error wrapping
// ErrLeaseLost once it is lost.
func (l *Lease) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lostErr
}

// Release stops refreshing the lease and deletes it, unless it was lost
// (then it returns the error wrapping ErrLeaseLost and deletes nothing:
// the key may be another holder's by now). It is safe to call more than
// once.
func (l *Lease) Release(ctx context.Context) error {
	var err error
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		if err = l.Err(); err != nil {
			return
		}
		l.mu.Lock()
		rev := l.rev
		l.mu.Unlock()
		if derr := l.kv.Delete(ctx, l.key, jetstream.LastRevision(rev)); derr != nil {
			err = fmt.Errorf("release lease %s: %w", l.name, derr)
		}
	})
	return err
}

// abandon stops refreshing without deleting the lease, as a crashed holder
// would; tests use it.
func (l *Lease) abandon() {
	l.once.Do(func() {
		close(l.stop)
		<-l.done
	})
}
