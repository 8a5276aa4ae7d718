package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/detector"
	"github.com/lurewatch/lurewatch/metrics"
	"github.com/lurewatch/lurewatch/pipeline"
	"github.com/lurewatch/lurewatch/queue"
	"github.com/lurewatch/lurewatch/storage"
)

// system is a running lurewatch: queue, database, crawler and the pipeline
// of consumers between them.
type system struct {
	log      *zap.Logger
	queue    *queue.Queue
	db       *storage.DB
	pipeline *pipeline.Pipeline
}

type systemOptions struct {
	DataDir    string
	NATS       NATSConfig
	Detector   *detector.Detector
	Workers    int
	Crawler    crawler.Options
	Logger     *zap.Logger
	MaxDeliver int
	// Metrics, if not nil, observes the crawler and the detector workers.
	Metrics *metrics.Metrics
}

// openSystem opens the queue (embedded unless a URL is given) and the
// database under opts.DataDir, and starts the pipeline's consumers.
func openSystem(ctx context.Context, opts systemOptions) (*system, error) {
	if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	s := &system{log: opts.Logger}
	var err error
	s.queue, err = queue.Open(ctx, queue.Options{
		URL:        opts.NATS.URL,
		Listen:     opts.NATS.Listen,
		Replicas:   opts.NATS.Replicas,
		DataDir:    opts.DataDir,
		MaxDeliver: opts.MaxDeliver,
		Logger:     opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	s.db, err = storage.Open(ctx, filepath.Join(opts.DataDir, "lurewatch.db"))
	if err != nil {
		s.queue.Close()
		return nil, err
	}
	opts.Crawler.Logger = opts.Logger.Named("crawler")
	// Crawl state: conditional requests, no republishing of unchanged ads.
	opts.Crawler.State = s.queue.CrawlState()
	opts.Crawler.Evidence = s.db // keep every page an ad comes from
	var observer pipeline.Observer
	if opts.Metrics != nil {
		opts.Crawler.Observer = opts.Metrics
		observer = opts.Metrics
	}
	s.pipeline, err = pipeline.Start(ctx, pipeline.Options{
		Queue:    s.queue,
		DB:       s.db,
		Assessor: opts.Detector,
		Crawler:  crawler.New(opts.Crawler),
		Workers:  opts.Workers,
		Logger:   opts.Logger,
		Observer: observer,
	})
	if err != nil {
		s.db.Close()
		s.queue.Close()
		return nil, err
	}
	if u := s.queue.ClientURL(); u != "" {
		opts.Logger.Info("nats ready", zap.String("url", u))
	}
	return s, nil
}

// Close stops the consumers (in-flight messages are finished and acked),
// then closes the queue and the database.
func (s *system) Close() error {
	start := time.Now()
	err := errors.Join(s.pipeline.Stop(), s.queue.Close(), s.db.Close())
	s.log.Info("stopped", zap.Duration("took", time.Since(start)))
	return err
}
