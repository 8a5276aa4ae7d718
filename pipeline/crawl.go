package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/queue"
)

// Published identifies one ad content that a crawl published.
type Published struct {
	ID, ContentHash string
}

// recorder passes ads on to the queue and remembers what it published.
type recorder struct {
	next crawler.Publisher
	mu   sync.Mutex
	seen map[Published]struct{}
}

func (r *recorder) PublishAd(ctx context.Context, ad *lurewatch.Ad) error {
	if err := r.next.PublishAd(ctx, ad); err != nil {
		return err
	}
	r.mu.Lock()
	r.seen[Published{ad.ID, ad.ContentHash}] = struct{}{}
	r.mu.Unlock()
	return nil
}

// ErrRunInProgress marks a crawl that did not start because another run of
// the same source holds the source's lease, in this process or another.
var ErrRunInProgress = errors.New("another run of this source is in progress")

// Crawl runs one crawl of profile, publishing to the queue, and records the
// run in the database. It returns the run record and the ads published.
//
// Two runs of one source never overlap, across processes too: the run
// holds the lease "crawl.<source>" in the queue's CRAWL_LOCKS bucket while
// it lasts. When another run holds it, Crawl records nothing and returns
// an error wrapping ErrRunInProgress; when the lease is lost mid-run (it
// could not be refreshed), the run is cancelled with an error wrapping
// queue.ErrLeaseLost.
func (p *Pipeline) Crawl(ctx context.Context, profile *crawler.Profile) (lurewatch.CrawlRun, []Published, error) {
	if p.opts.Crawler == nil {
		return lurewatch.CrawlRun{}, nil, errors.New("crawl: the pipeline has no crawler")
	}
	log := p.log.With(zap.String("source", profile.Name))
	lease, err := p.opts.Queue.AcquireLease(ctx, "crawl."+profile.Name)
	if errors.Is(err, queue.ErrLeaseHeld) {
		log.Info("crawl skipped: another run of this source is in progress", zap.Error(err))
		return lurewatch.CrawlRun{}, nil, fmt.Errorf("crawl %s: %w: %w", profile.Name, ErrRunInProgress, err)
	}
	if err != nil {
		return lurewatch.CrawlRun{}, nil, fmt.Errorf("crawl %s: %w", profile.Name, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := lease.Release(rctx); err != nil {
			log.Warn("crawl lease not released", zap.Error(err))
		}
	}()
	ctx, cancelRun := context.WithCancelCause(ctx)
	defer cancelRun(nil)
	go func() {
		select {
		case <-lease.Lost():
			cancelRun(lease.Err())
		case <-ctx.Done():
		}
	}()
	id, err := p.opts.DB.StartRun(ctx, profile.Name)
	if err != nil {
		return lurewatch.CrawlRun{}, nil, err
	}
	rec := &recorder{next: p.opts.Queue, seen: map[Published]struct{}{}}
	log.Info("crawl started", zap.Int64("run", id))
	run, crawlErr := p.opts.Crawler.Run(ctx, profile, rec)
	run.ID, run.Source = id, profile.Name
	if run.FinishedAt.IsZero() {
		run.FinishedAt = p.opts.Now()
	}
	if crawlErr != nil {
		run.Status, run.Error = "failed", crawlErr.Error()
	} else if run.Status == "" {
		run.Status = "ok"
	}
	// Record the run even when ctx was cancelled mid-crawl.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := p.opts.DB.FinishRun(fctx, &run); err != nil {
		crawlErr = errors.Join(crawlErr, err)
	}
	published := make([]Published, 0, len(rec.seen))
	for k := range rec.seen {
		published = append(published, k)
	}
	log.Info("crawl finished", zap.Int64("run", id), zap.String("status", run.Status), zap.Int("pages", run.Pages),
		zap.Int("pages_not_modified", run.PagesNotModified), zap.Int("ads", run.Ads), zap.Int("ads_new", run.AdsNew),
		zap.Int("ads_changed", run.AdsChanged), zap.Int("ads_unchanged", run.AdsUnchanged),
		zap.Int("errors", run.Errors), zap.Any("errors_by_kind", run.ErrorsByKind),
		zap.Duration("took", run.FinishedAt.Sub(run.StartedAt)))
	if crawlErr != nil {
		return run, published, fmt.Errorf("crawl %s: %w", profile.Name, crawlErr)
	}
	return run, published, nil
}

// WaitStored blocks until every ad in ads has an assessment stored, or ctx
// ends. It returns how many are stored.
func (p *Pipeline) WaitStored(ctx context.Context, ads []Published) (int, error) {
	pending := append([]Published(nil), ads...)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		rest := pending[:0]
		for _, a := range pending {
			ok, err := p.opts.DB.IsAssessed(ctx, a.ID, a.ContentHash)
			if err != nil {
				return len(ads) - len(pending), err
			}
			if !ok {
				rest = append(rest, a)
			}
		}
		pending = rest
		if len(pending) == 0 {
			return len(ads), nil
		}
		select {
		case <-ctx.Done():
			return len(ads) - len(pending), fmt.Errorf("wait for %d of %d ads to be stored: %w", len(pending), len(ads), ctx.Err())
		case <-tick.C:
		}
	}
}
