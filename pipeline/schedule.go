package pipeline

import (
	"context"
	"errors"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch/crawler"
)

// Schedule says when a source is crawled. A cron expression parsed by
// github.com/robfig/cron/v3 implements it, and so does Every.
type Schedule interface {
	// Next returns the first time after t that a run is due.
	Next(t time.Time) time.Time
}

// Every is a Schedule that runs a source at once and then each time the
// interval has passed since the previous run ended.
type Every time.Duration

// Next returns t plus the interval.
func (e Every) Next(t time.Time) time.Time { return t.Add(time.Duration(e)) }

// Schedule crawls profile whenever sched says, until ctx ends. With Every
// the first run starts at once; with a cron schedule, at the schedule's
// first time. Runs of one source never overlap: the next is due only after
// the previous has ended (a cron time that passed during a run is skipped),
// and across processes the source's lease keeps a second run from starting
// (that run is skipped and logged, see Crawl). A run that fails is logged;
// the schedule goes on.
func (p *Pipeline) Schedule(ctx context.Context, profile *crawler.Profile, sched Schedule) {
	log := p.log.With(zap.String("source", profile.Name))
	now := p.opts.Now()
	next := sched.Next(now)
	if _, ok := sched.(Every); ok {
		next = now
	}
	for {
		if next.IsZero() {
			log.Error("crawl schedule never comes due; source not crawled")
			return
		}
		wait := next.Sub(p.opts.Now())
		if wait > 0 {
			log.Debug("next crawl scheduled", zap.Time("at", next))
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if ctx.Err() != nil {
			return
		}
		_, _, err := p.Crawl(ctx, profile)
		switch {
		case err == nil, ctx.Err() != nil:
		case errors.Is(err, ErrRunInProgress):
			// Crawl has logged it.
		default:
			log.Error("crawl failed", zap.Error(err))
		}
		next = sched.Next(p.opts.Now())
	}
}
