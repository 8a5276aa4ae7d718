package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/metrics"
	"github.com/lurewatch/lurewatch/pipeline"
	"github.com/lurewatch/lurewatch/queue"
)

// Metrics observe the crawler and the detector workers.
var (
	_ crawler.Observer  = (*metrics.Metrics)(nil)
	_ pipeline.Observer = (*metrics.Metrics)(nil)
)

// MetricsConfig is the `metrics` section of the run config.
type MetricsConfig struct {
	// Listen is the host:port where Prometheus metrics are served at
	// /metrics; empty serves none. The shipped config listens on loopback
	// (127.0.0.1:9464); a host is required, so listening on every
	// interface takes an explicit 0.0.0.0 or [::].
	Listen string `yaml:"listen"`
}

// check reports what is wrong with the section.
func (c MetricsConfig) check() error {
	if c.Listen == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return fmt.Errorf("metrics listen %q: want host:port, e.g. 127.0.0.1:9464", c.Listen)
	}
	if host == "" {
		return fmt.Errorf("metrics listen %q: give a host: 127.0.0.1 for loopback only, 0.0.0.0 for every interface", c.Listen)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("metrics listen %q: port must be a number from 0 to 65535", c.Listen)
	}
	return nil
}

// newMetrics returns the metrics of a run, or nil when c serves none.
func newMetrics(c MetricsConfig) *metrics.Metrics {
	if c.Listen == "" {
		return nil
	}
	return metrics.New()
}

// lagInterval is how often the consumer lag gauges are sampled.
var lagInterval = 5 * time.Second

// lagConsumers are the durable consumers whose lag is sampled.
var lagConsumers = []struct{ stream, durable string }{
	{queue.StreamAds, pipeline.DurableDetector},
	{queue.StreamAssessments, pipeline.DurableStore},
}

// metricsService serves metrics over HTTP and samples the consumer lag
// until closed.
type metricsService struct {
	srv    *metrics.Server
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startMetrics serves m on listen and samples the lag of the pipeline's
// consumers on q every lagInterval. With m nil or listen empty it does
// nothing and returns nil, which Close accepts.
func startMetrics(ctx context.Context, log *zap.Logger, listen string, m *metrics.Metrics, q *queue.Queue) (*metricsService, error) {
	if m == nil || listen == "" {
		return nil, nil
	}
	srv, err := m.Serve(listen)
	if err != nil {
		return nil, err
	}
	s := &metricsService{srv: srv}
	ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Go(func() { sampleLag(ctx, log, m, q) })
	log.Info("metrics serving", zap.String("addr", srv.Addr()), zap.String("url", "http://"+srv.Addr()+"/metrics"))
	return s, nil
}

// Close stops the lag sampling and the server. A nil service is closed.
func (s *metricsService) Close() error {
	if s == nil {
		return nil
	}
	s.cancel()
	s.wg.Wait()
	return s.srv.Close()
}

// sampleLag sets the lag gauges now and every lagInterval until ctx ends.
// A consumer not created yet is skipped; other errors are logged once per
// change of message.
func sampleLag(ctx context.Context, log *zap.Logger, m *metrics.Metrics, q *queue.Queue) {
	t := time.NewTicker(lagInterval)
	defer t.Stop()
	lastErr := ""
	for {
		for _, c := range lagConsumers {
			lag, err := q.ConsumerLag(ctx, c.stream, c.durable)
			switch {
			case err == nil:
				m.SetConsumerLag(c.stream, c.durable, lag.Pending, uint64(max(lag.AckPending, 0)))
			case ctx.Err() != nil:
				return
			case !errors.Is(err, lurewatch.ErrNotFound) && err.Error() != lastErr:
				lastErr = err.Error()
				log.Warn("consumer lag not sampled", zap.Error(err))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
