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

// Crawl runs one crawl of profile, publishing to the queue, and records the
// run in the database. It returns the run record and the ads published.
func (p *Pipeline) Crawl(ctx context.Context, profile *crawler.Profile) (lurewatch.CrawlRun, []Published, error) {
	if p.opts.Crawler == nil {
		return lurewatch.CrawlRun{}, nil, errors.New("crawl: the pipeline has no crawler")
	}
	log := p.log.With(zap.String("source", profile.Name))
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
		zap.Int("ads", run.Ads), zap.Int("errors", run.Errors), zap.Duration("took", run.FinishedAt.Sub(run.StartedAt)))
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
