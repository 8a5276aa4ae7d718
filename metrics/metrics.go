// Package metrics counts what lurewatch does and serves the counts to
// Prometheus at /metrics. It is the only package that imports the
// Prometheus client. A *Metrics is the crawler's Observer (fetches, bytes,
// errors, ads published) and the pipeline's (ads assessed by level); the
// consumer lag gauge is set by whoever samples the queue.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lurewatch/lurewatch"
)

// Metrics holds lurewatch's collectors in a registry of its own. Its
// methods are safe for concurrent use.
type Metrics struct {
	reg           *prometheus.Registry
	fetches       *prometheus.CounterVec
	fetchBytes    prometheus.Counter
	fetchDuration prometheus.Histogram
	errors        *prometheus.CounterVec
	adsPublished  prometheus.Counter
	adsAssessed   *prometheus.CounterVec
	lag           *prometheus.GaugeVec
	ackPending    *prometheus.GaugeVec
}

// New returns a Metrics with every collector registered, plus the Go
// runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lurewatch_fetches_total",
			Help: "HTTP responses received by the crawler, by status code (robots.txt and redirects included).",
		}, []string{"code"}),
		fetchBytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lurewatch_fetch_bytes_total",
			Help: "Response body bytes read by the crawler, as delivered by the HTTP client.",
		}),
		fetchDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "lurewatch_fetch_duration_seconds",
			Help:    "Time from sending a request to the end of its response body.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10),
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lurewatch_crawl_errors_total",
			Help: "Errors counted by crawl runs, by kind (timeout, too_large, http_5xx, parse, ...).",
		}, []string{"kind"}),
		adsPublished: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "lurewatch_ads_published_total",
			Help: "Ads the crawler published to the queue.",
		}),
		adsAssessed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lurewatch_ads_assessed_total",
			Help: "Ads assessed by the detector, by level.",
		}, []string{"level"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lurewatch_consumer_pending_messages",
			Help: "Messages not yet delivered to a durable consumer (its lag), sampled every few seconds.",
		}, []string{"stream", "consumer"}),
		ackPending: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "lurewatch_consumer_ack_pending_messages",
			Help: "Messages delivered to a durable consumer and not yet acknowledged.",
		}, []string{"stream", "consumer"}),
	}
	m.reg.MustRegister(m.fetches, m.fetchBytes, m.fetchDuration, m.errors, m.adsPublished, m.adsAssessed,
		m.lag, m.ackPending,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for l := lurewatch.LevelNone; l <= lurewatch.LevelCritical; l++ {
		m.adsAssessed.WithLabelValues(l.String()) // every level shows, at 0
	}
	return m
}

// OnFetch counts one HTTP response: its status code, body bytes and time.
func (m *Metrics) OnFetch(status int, bytes int64, d time.Duration) {
	m.fetches.WithLabelValues(strconv.Itoa(status)).Inc()
	if bytes > 0 {
		m.fetchBytes.Add(float64(bytes))
	}
	m.fetchDuration.Observe(d.Seconds())
}

// OnError counts one crawl error of a kind.
func (m *Metrics) OnError(kind string) { m.errors.WithLabelValues(kind).Inc() }

// OnAd counts one ad published.
func (m *Metrics) OnAd() { m.adsPublished.Inc() }

// OnAssessed counts one ad assessed at level.
func (m *Metrics) OnAssessed(level lurewatch.Level) {
	m.adsAssessed.WithLabelValues(level.String()).Inc()
}

// SetConsumerLag sets the lag gauges of a durable consumer on a stream:
// messages pending delivery and messages awaiting acknowledgement.
func (m *Metrics) SetConsumerLag(stream, consumer string, pending, ackPending uint64) {
	m.lag.WithLabelValues(stream, consumer).Set(float64(pending))
	m.ackPending.WithLabelValues(stream, consumer).Set(float64(ackPending))
}

// Handler returns the HTTP handler that serves the metrics in the
// Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Server serves /metrics on one address.
type Server struct {
	srv  *http.Server
	ln   net.Listener
	done chan error
}

// Serve starts serving m at /metrics on addr (host:port; port 0 picks a
// free port) and returns at once. Close stops it.
func (m *Metrics) Serve(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics listen %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	s := &Server{
		srv:  &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second},
		ln:   ln,
		done: make(chan error, 1),
	}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops the server, letting requests in progress finish for up to
// five seconds.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serr := <-s.done; serr != nil {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("metrics server: %w", err)
	}
	return nil
}
