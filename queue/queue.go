// Package queue carries lurewatch's messages through NATS JetStream: ads from
// the crawler to the detector workers (stream ADS), assessed ads from the
// detector to the storage writer (stream ASSESSMENTS), and messages that
// cannot be processed to a dead-letter stream (DEADLETTER). It is the only
// package that imports NATS.
//
// By default it runs an embedded NATS server with JetStream inside the
// process; given a URL it connects to an external server or cluster instead,
// through the same code path. Every publish carries a message id, so a
// republished message is deduplicated by the server, and a message is acked
// only after its handler returned nil, that is, after its effect is durable.
package queue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
)

// Stream names and subjects, as in DESIGN.md.
const (
	StreamAds         = "ADS"
	StreamAssessments = "ASSESSMENTS"
	StreamDeadLetter  = "DEADLETTER"

	subjectAds        = "lurewatch.ads"
	subjectAssessed   = "lurewatch.assessed"
	subjectDeadLetter = "lurewatch.dead"
)

// Options configures a Queue. The zero value runs an embedded server that
// accepts in-process connections only, with its store in DataDir.
type Options struct {
	// URL of an external NATS server or cluster (comma-separated URLs). When
	// empty, an embedded server is started.
	URL string
	// DataDir holds the embedded server's JetStream store. Required when
	// URL is empty.
	DataDir string
	// Listen makes the embedded server also listen on this address, which
	// must be loopback ("127.0.0.1:0" picks a free port). Empty: in-process
	// connections only.
	Listen string
	// Replicas of each stream; 1 for the embedded server, up to 5 on a
	// cluster.
	Replicas int
	// MaxDeliver is how many times a message is delivered before it goes
	// to the dead-letter stream. Default 5.
	MaxDeliver int
	// AckWait is how long a consumer has to ack a message before it is
	// redelivered. Default 30s.
	AckWait time.Duration
	// RetryDelay is the first delay before a failed message is redelivered;
	// it doubles with each delivery. Default 1s.
	RetryDelay time.Duration
	// DuplicateWindow is how long the server remembers message ids for
	// deduplication. Default 24h.
	DuplicateWindow time.Duration
	// MaxAge bounds how long messages stay in the ADS and ASSESSMENTS
	// streams. Default 30 days. Dead letters are kept without a limit.
	MaxAge time.Duration
	// StateMaxAge is how long an entry of the crawl state bucket
	// (CRAWL_STATE) is kept after it was last written. Default 90 days.
	StateMaxAge time.Duration
	// LeaseTTL is how long a lease in CRAWL_LOCKS outlives its holder's
	// last refresh (a crashed holder's lease expires after it). Default
	// 1 minute.
	LeaseTTL time.Duration
	// Logger receives the queue's and the embedded server's logs.
	Logger *zap.Logger
}

func (o *Options) setDefaults() {
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.MaxDeliver <= 0 {
		o.MaxDeliver = 5
	}
	if o.AckWait <= 0 {
		o.AckWait = 30 * time.Second
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = time.Second
	}
	if o.DuplicateWindow <= 0 {
		o.DuplicateWindow = 24 * time.Hour
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 30 * 24 * time.Hour
	}
	if o.StateMaxAge <= 0 {
		o.StateMaxAge = 90 * 24 * time.Hour
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = time.Minute
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
}

// Queue is a connection to JetStream with lurewatch's streams in place.
type Queue struct {
	opts Options
	log  *zap.Logger
	srv  *server.Server // nil when connected to an external server
	nc   *nats.Conn
	js   jetstream.JetStream
	// state and locks are the key-value buckets CRAWL_STATE and
	// CRAWL_LOCKS (see kv.go).
	state jetstream.KeyValue
	locks jetstream.KeyValue
}

// Open starts the embedded server (unless opts.URL is set), connects, and
// creates or updates the streams ADS, ASSESSMENTS and DEADLETTER and the
// key-value buckets CRAWL_STATE and CRAWL_LOCKS. It is safe to call again on
// the same server: stream and bucket creation is idempotent.
func Open(ctx context.Context, opts Options) (*Queue, error) {
	opts.setDefaults()
	q := &Queue{opts: opts, log: opts.Logger}
	var err error
	natsOpts := []nats.Option{
		nats.Name("lurewatch"),
		nats.MaxReconnects(-1),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				q.log.Warn("nats disconnected", zap.Error(err))
			}
		}),
		nats.ReconnectHandler(func(c *nats.Conn) { q.log.Info("nats reconnected", zap.String("url", c.ConnectedUrl())) }),
	}
	if opts.URL == "" {
		if opts.DataDir == "" {
			return nil, errors.New("open queue: embedded server needs a data dir")
		}
		q.srv, err = startEmbedded(opts.DataDir, opts.Listen, false, opts.Logger)
		if err != nil {
			return nil, fmt.Errorf("open queue: %w", err)
		}
		natsOpts = append(natsOpts, nats.InProcessServer(q.srv))
		q.nc, err = nats.Connect("", natsOpts...)
	} else {
		q.nc, err = nats.Connect(opts.URL, natsOpts...)
	}
	if err != nil {
		q.shutdownServer()
		return nil, fmt.Errorf("open queue: connect: %w", err)
	}
	q.js, err = jetstream.New(q.nc)
	if err != nil {
		q.Close()
		return nil, fmt.Errorf("open queue: jetstream: %w", err)
	}
	if err := q.ensureStreams(ctx); err != nil {
		q.Close()
		return nil, fmt.Errorf("open queue: %w", err)
	}
	if err := q.ensureBuckets(ctx); err != nil {
		q.Close()
		return nil, fmt.Errorf("open queue: %w", err)
	}
	return q, nil
}

func (q *Queue) ensureStreams(ctx context.Context) error {
	cfgs := []jetstream.StreamConfig{
		{
			Name:        StreamAds,
			Description: "job ads found by the crawler, one message per ad content",
			Subjects:    []string{subjectAds + ".>"},
			MaxAge:      q.opts.MaxAge,
		},
		{
			Name:        StreamAssessments,
			Description: "ads with the detector's assessment, for the storage writer",
			Subjects:    []string{subjectAssessed + ".>"},
			MaxAge:      q.opts.MaxAge,
		},
		{
			Name:        StreamDeadLetter,
			Description: "messages that could not be processed, with the reason in headers",
			Subjects:    []string{subjectDeadLetter + ".>"},
		},
	}
	for _, cfg := range cfgs {
		cfg.Storage = jetstream.FileStorage
		cfg.Retention = jetstream.LimitsPolicy
		cfg.Replicas = q.opts.Replicas
		cfg.Duplicates = q.opts.DuplicateWindow
		if cfg.MaxAge > 0 && cfg.Duplicates > cfg.MaxAge {
			cfg.Duplicates = cfg.MaxAge
		}
		if _, err := q.js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("create or update stream %s: %w", cfg.Name, err)
		}
	}
	return nil
}

// ClientURL returns a URL other processes can connect to: the external URL,
// or the embedded server's loopback address when it listens, else "".
func (q *Queue) ClientURL() string {
	if q.srv == nil {
		return q.opts.URL
	}
	if q.opts.Listen == "" {
		return ""
	}
	return q.srv.ClientURL()
}

// Close drains the connection (in-flight acks and publishes are flushed) and
// stops the embedded server, if any.
func (q *Queue) Close() error {
	var err error
	if q.nc != nil && !q.nc.IsClosed() {
		done := make(chan struct{})
		q.nc.SetClosedHandler(func(*nats.Conn) { close(done) })
		if err = q.nc.Drain(); err != nil {
			q.nc.Close()
		} else {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				q.nc.Close()
			}
		}
	}
	q.shutdownServer()
	return err
}

func (q *Queue) shutdownServer() {
	if q.srv != nil {
		q.srv.Shutdown()
		q.srv.WaitForShutdown()
	}
}
