// Package pipeline wires lurewatch's parts into one running system: crawl
// runs publish ads to the queue, detector workers assess them and publish
// the assessments, and a single writer stores them (and any dead letters) in
// SQLite. `lurewatch run` and `lurewatch demo` both start exactly this.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/queue"
	"github.com/lurewatch/lurewatch/storage"
)

// Assessor judges one ad. *detector.Detector implements it.
type Assessor interface {
	Assess(ad *lurewatch.Ad) lurewatch.Assessment
}

// Crawler runs one crawl of one source profile, publishing every ad it
// finds. *crawler.Crawler implements it.
type Crawler interface {
	Run(ctx context.Context, p *crawler.Profile, pub crawler.Publisher) (lurewatch.CrawlRun, error)
}

// Options are the parts the pipeline runs. Queue, DB and Assessor are
// required; Crawler is needed only for Crawl.
type Options struct {
	Queue    *queue.Queue
	DB       *storage.DB
	Assessor Assessor
	Crawler  Crawler
	// Workers is how many detector workers run; default 2.
	Workers int
	Logger  *zap.Logger
	// Now returns the current time; default time.Now.
	Now func() time.Time
	// Observer, if not nil, is told of every ad assessed
	// (*metrics.Metrics implements it).
	Observer Observer
}

// Observer is told of every ad the detector workers assess. Its method is
// called from many goroutines at once and must be quick.
type Observer interface {
	OnAssessed(level lurewatch.Level)
}

// Pipeline is a running set of consumers: detector workers on stream ADS,
// the storage writer on ASSESSMENTS, and the dead-letter writer.
type Pipeline struct {
	opts     Options
	log      *zap.Logger
	assessor atomic.Pointer[Assessor]
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	errMu    sync.Mutex
	errs     []error
}

// Consumer names; processes that share a name share the work.
const (
	DurableDetector   = "detector"
	DurableStore      = "store"
	DurableDeadLetter = "store-dead-letters"
)

// Start starts the consumers. They run until Stop.
func Start(ctx context.Context, opts Options) (*Pipeline, error) {
	if opts.Queue == nil || opts.DB == nil || opts.Assessor == nil {
		return nil, errors.New("start pipeline: queue, database and assessor are required")
	}
	if opts.Workers <= 0 {
		opts.Workers = 2
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Pipeline{opts: opts, log: opts.Logger}
	p.SetAssessor(opts.Assessor)
	ctx, p.cancel = context.WithCancel(ctx)
	p.run(func() error {
		return opts.Queue.ConsumeAds(ctx, queue.ConsumeOptions{Durable: DurableDetector, Workers: opts.Workers}, p.detect)
	})
	p.run(func() error {
		return opts.Queue.ConsumeAssessed(ctx, queue.ConsumeOptions{Durable: DurableStore, Workers: 1}, p.store)
	})
	p.run(func() error {
		return opts.Queue.ConsumeDeadLetters(ctx, queue.ConsumeOptions{Durable: DurableDeadLetter, Workers: 1}, p.storeDeadLetter)
	})
	return p, nil
}

func (p *Pipeline) run(f func() error) {
	p.wg.Go(func() {
		if err := f(); err != nil {
			p.log.Error("consumer stopped", zap.Error(err))
			p.errMu.Lock()
			p.errs = append(p.errs, err)
			p.errMu.Unlock()
		}
	})
}

// SetAssessor swaps the assessor used for ads not yet assessed: a rules
// reload calls it with a newly compiled detector.
func (p *Pipeline) SetAssessor(a Assessor) { p.assessor.Store(&a) }

// Stop stops the consumers after their in-flight messages are settled and
// returns any error a consumer stopped with. It does not close the queue or
// the database.
func (p *Pipeline) Stop() error {
	p.cancel()
	p.wg.Wait()
	p.errMu.Lock()
	defer p.errMu.Unlock()
	return errors.Join(p.errs...)
}

// detect assesses one ad and publishes the result. A panic in the detector
// (a bug exposed by hostile input) makes the ad poison: it is dead-lettered
// with the panic as reason instead of crashing the worker.
func (p *Pipeline) detect(ctx context.Context, ad *lurewatch.Ad) (err error) {
	log := p.log.With(zap.String("ad_id", ad.ID), zap.String("source", ad.Source))
	defer func() {
		if r := recover(); r != nil {
			log.Error("detector panicked", zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
			err = fmt.Errorf("%w: detector panicked: %v", lurewatch.ErrPoison, r)
		}
	}()
	as := (*p.assessor.Load()).Assess(ad)
	as.AssessedAt = p.opts.Now().UTC()
	if err := p.opts.Queue.PublishAssessed(ctx, &lurewatch.AssessedAd{
		SchemaVersion: lurewatch.SchemaVersion, Ad: *ad, Assessment: as,
	}); err != nil {
		return err
	}
	log.Debug("ad assessed", zap.Int("score", as.Score), zap.Stringer("level", as.Level))
	if p.opts.Observer != nil {
		p.opts.Observer.OnAssessed(as.Level)
	}
	return nil
}

// store saves one assessed ad. Invalid payloads are poison.
func (p *Pipeline) store(ctx context.Context, a *lurewatch.AssessedAd) error {
	err := p.opts.DB.SaveAssessed(ctx, a)
	if errors.Is(err, lurewatch.ErrInvalid) {
		return fmt.Errorf("%w: %v", lurewatch.ErrPoison, err)
	}
	if err != nil {
		return err
	}
	lvl := a.Assessment.Level
	log := p.log.With(zap.String("ad_id", a.Ad.ID), zap.String("source", a.Ad.Source),
		zap.Int("score", a.Assessment.Score), zap.Stringer("level", lvl))
	if lvl.Flagged() {
		log.Info("ad flagged", zap.String("title", clip(a.Ad.Title, 120)), zap.String("summary", a.Assessment.Summary))
	} else {
		log.Debug("ad stored")
	}
	return nil
}

func (p *Pipeline) storeDeadLetter(ctx context.Context, d *lurewatch.DeadLetter) error {
	if err := p.opts.DB.SaveDeadLetter(ctx, d); err != nil {
		return err
	}
	p.log.Warn("dead letter stored", zap.String("stream", d.Stream), zap.Uint64("seq", d.Sequence), zap.String("reason", d.Reason))
	return nil
}

// clip shortens s to at most n bytes on a rune boundary, for log lines.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
