package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

// Header names on dead-letter messages.
const (
	HeaderReason   = "Lurewatch-Reason"
	HeaderStream   = "Lurewatch-Stream"
	HeaderSubject  = "Lurewatch-Subject"
	HeaderSequence = "Lurewatch-Sequence"
	HeaderMsgID    = "Lurewatch-Msg-Id"
)

// ConsumeOptions says which durable consumer to read from and how many
// messages to process at once.
type ConsumeOptions struct {
	// Durable is the consumer's name; processes using the same name share
	// the work. Required.
	Durable string
	// Workers is how many messages are processed concurrently. Default 1.
	Workers int
}

// ConsumeAds processes stream ADS with h until ctx is cancelled, then lets
// in-flight messages finish and returns. A message is acked after h returns
// nil. If h returns an error wrapping lurewatch.ErrPoison, or fails on the
// last allowed delivery, the message goes to the dead-letter stream with the
// error as reason; any other error redelivers it after a growing delay.
func (q *Queue) ConsumeAds(ctx context.Context, o ConsumeOptions, h func(context.Context, *lurewatch.Ad) error) error {
	return consume(ctx, q, StreamAds, o, q.opts.MaxDeliver, decodeAd, h)
}

// ConsumeAssessed processes stream ASSESSMENTS with h, as ConsumeAds does.
func (q *Queue) ConsumeAssessed(ctx context.Context, o ConsumeOptions, h func(context.Context, *lurewatch.AssessedAd) error) error {
	return consume(ctx, q, StreamAssessments, o, q.opts.MaxDeliver, decodeAssessed, h)
}

// ConsumeDeadLetters processes the dead-letter stream with h. A dead letter
// is retried until h succeeds: it has nowhere further to go.
func (q *Queue) ConsumeDeadLetters(ctx context.Context, o ConsumeOptions, h func(context.Context, *lurewatch.DeadLetter) error) error {
	decode := func(m jetstream.Msg) (*lurewatch.DeadLetter, error) {
		return decodeDeadLetter(m), nil
	}
	return consume(ctx, q, StreamDeadLetter, o, -1, decode, h)
}

func decodeAd(m jetstream.Msg) (*lurewatch.Ad, error) {
	var ad lurewatch.Ad
	if err := decodeJSON(m.Data(), &ad, &ad.SchemaVersion); err != nil {
		return nil, err
	}
	if ad.ID == "" {
		return nil, fmt.Errorf("%w: ad without an id", lurewatch.ErrPoison)
	}
	return &ad, nil
}

func decodeAssessed(m jetstream.Msg) (*lurewatch.AssessedAd, error) {
	var a lurewatch.AssessedAd
	if err := decodeJSON(m.Data(), &a, &a.SchemaVersion); err != nil {
		return nil, err
	}
	if a.Ad.ID == "" {
		return nil, fmt.Errorf("%w: assessed ad without an ad id", lurewatch.ErrPoison)
	}
	return &a, nil
}

// decodeJSON decodes a payload and checks its schema version; every failure
// is poison: no retry will make it decode.
func decodeJSON(data []byte, v any, version *int) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%w: decode: %v", lurewatch.ErrPoison, err)
	}
	if *version < 1 || *version > lurewatch.SchemaVersion {
		return fmt.Errorf("%w: unsupported schema version %d (this build reads 1 to %d)",
			lurewatch.ErrPoison, *version, lurewatch.SchemaVersion)
	}
	return nil
}

func decodeDeadLetter(m jetstream.Msg) *lurewatch.DeadLetter {
	h := m.Headers()
	seq, _ := strconv.ParseUint(h.Get(HeaderSequence), 10, 64)
	dl := &lurewatch.DeadLetter{
		Stream:   h.Get(HeaderStream),
		Subject:  h.Get(HeaderSubject),
		Sequence: seq,
		MsgID:    h.Get(HeaderMsgID),
		Reason:   h.Get(HeaderReason),
		Data:     m.Data(),
	}
	if md, err := m.Metadata(); err == nil {
		dl.FailedAt = md.Timestamp
	}
	return dl
}

// consume runs o.Workers goroutines over one durable pull consumer of
// stream. maxDeliver < 0 means unlimited redelivery.
//
// The server is not told maxDeliver: it redelivers without a limit, and
// process counts the deliveries. A server-side limit would strand a
// message whose last delivery could not be dead-lettered (the dead-letter
// publish failed): the server would never deliver it again, and it would
// sit in the stream, in no one's view. Counted here, that delivery is
// nakked and the dead-lettering is tried again on the next.
func consume[T any](ctx context.Context, q *Queue, stream string, o ConsumeOptions, maxDeliver int,
	decode func(jetstream.Msg) (*T, error), h func(context.Context, *T) error) error {
	if o.Durable == "" {
		return errors.New("consume: a durable name is required")
	}
	if o.Workers <= 0 {
		o.Workers = 1
	}
	cons, err := q.js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{
		Durable:       o.Durable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       q.opts.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: 64 * o.Workers,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("consume %s as %s: %w", stream, o.Durable, err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(2 * o.Workers))
	if err != nil {
		return fmt.Errorf("consume %s as %s: %w", stream, o.Durable, err)
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-ctx.Done():
			it.Drain()
		case <-stop:
			it.Stop()
		}
	}()
	// Handlers get a context that outlives the cancellation of ctx, so a
	// message in flight at shutdown is finished and acked, not abandoned.
	work := context.WithoutCancel(ctx)
	log := q.log.With(zap.String("stream", stream), zap.String("consumer", o.Durable))
	var wg sync.WaitGroup
	for range o.Workers {
		wg.Go(func() {
			for {
				msg, err := it.Next()
				if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
					return
				}
				if err != nil {
					if ctx.Err() != nil || q.nc.IsClosed() {
						return
					}
					log.Warn("fetch failed", zap.Error(err))
					time.Sleep(100 * time.Millisecond)
					continue
				}
				process(work, q, log, msg, maxDeliver, decode, h)
			}
		})
	}
	wg.Wait()
	if q.nc.IsClosed() && ctx.Err() == nil {
		return fmt.Errorf("consume %s as %s: %w", stream, o.Durable, nats.ErrConnectionClosed)
	}
	return nil
}

// process handles one message: decode, run the handler, then ack, retry or
// dead-letter. Every outcome is settled on the message itself.
func process[T any](ctx context.Context, q *Queue, log *zap.Logger, msg jetstream.Msg, maxDeliver int,
	decode func(jetstream.Msg) (*T, error), h func(context.Context, *T) error) {
	md, err := msg.Metadata()
	if err != nil {
		// Not a JetStream message: nothing to ack; should never happen.
		log.Error("message without metadata", zap.Error(err))
		return
	}
	log = log.With(zap.Uint64("seq", md.Sequence.Stream), zap.Uint64("delivery", md.NumDelivered))
	var v *T
	if maxDeliver > 0 && md.NumDelivered > uint64(maxDeliver) {
		// An earlier last delivery was not settled: its dead-lettering
		// failed, or its process died. The handler has had its turns.
		err = fmt.Errorf("not settled after %d deliveries (the limit is %d)", md.NumDelivered-1, maxDeliver)
	} else {
		v, err = decode(msg)
	}
	if err == nil {
		hctx, cancel := context.WithTimeout(ctx, q.opts.AckWait)
		err = h(hctx, v)
		cancel()
	}
	switch {
	case err == nil:
		if aerr := msg.Ack(); aerr != nil {
			log.Warn("ack failed; the message will be redelivered", zap.Error(aerr))
		}
	case errors.Is(err, lurewatch.ErrPoison),
		maxDeliver > 0 && md.NumDelivered >= uint64(maxDeliver):
		reason := err.Error()
		if !errors.Is(err, lurewatch.ErrPoison) && md.NumDelivered == uint64(maxDeliver) {
			reason = fmt.Sprintf("failed %d deliveries, last: %v", md.NumDelivered, err)
		}
		if derr := q.deadLetter(ctx, msg, md, reason); derr != nil {
			log.Error("dead-letter failed; the message will be redelivered", zap.Error(derr), zap.String("reason", reason))
			_ = msg.NakWithDelay(backoff(q.opts.RetryDelay, md.NumDelivered))
			return
		}
		log.Warn("message dead-lettered", zap.String("reason", reason))
		if terr := msg.Term(); terr != nil {
			log.Warn("term failed", zap.Error(terr))
		}
	default:
		delay := backoff(q.opts.RetryDelay, md.NumDelivered)
		log.Warn("handler failed; retrying", zap.Error(err), zap.Duration("delay", delay))
		if nerr := msg.NakWithDelay(delay); nerr != nil {
			log.Warn("nak failed", zap.Error(nerr))
		}
	}
}

// backoff doubles base with each delivery, up to one minute.
func backoff(base time.Duration, delivery uint64) time.Duration {
	d := base
	for i := uint64(1); i < delivery && d < time.Minute; i++ {
		d *= 2
	}
	return min(d, time.Minute)
}

// deadLetter copies msg to the dead-letter stream with the reason and where
// it came from in headers, and waits for the server's ack. Its message id
// makes a repeated dead-lettering of the same message harmless.
func (q *Queue) deadLetter(ctx context.Context, msg jetstream.Msg, md *jetstream.MsgMetadata, reason string) error {
	const maxReason = 4096
	if len(reason) > maxReason {
		reason = reason[:maxReason]
	}
	m := nats.NewMsg(subjectDeadLetter + "." + subjectToken(md.Stream))
	m.Data = msg.Data()
	m.Header.Set(HeaderReason, reason)
	m.Header.Set(HeaderStream, md.Stream)
	m.Header.Set(HeaderSubject, msg.Subject())
	m.Header.Set(HeaderSequence, strconv.FormatUint(md.Sequence.Stream, 10))
	if h := msg.Headers(); h != nil {
		m.Header.Set(HeaderMsgID, h.Get(jetstream.MsgIDHeader))
	}
	id := "dead." + md.Stream + "." + strconv.FormatUint(md.Sequence.Stream, 10)
	if _, err := q.js.PublishMsg(ctx, m, jetstream.WithMsgID(id)); err != nil {
		return fmt.Errorf("publish dead letter: %w", err)
	}
	return nil
}

// Lag is how far a durable consumer is behind its stream.
type Lag struct {
	// Pending messages have not been delivered to the consumer yet.
	Pending uint64
	// AckPending messages were delivered and are not acked yet.
	AckPending int
	// Redelivered messages are being delivered again.
	Redelivered int
}

// Done reports whether the consumer has nothing left to do.
func (l Lag) Done() bool { return l.Pending == 0 && l.AckPending == 0 && l.Redelivered == 0 }

// ConsumerLag returns the lag of durable consumer durable on stream. It
// wraps lurewatch.ErrNotFound when the consumer does not exist.
func (q *Queue) ConsumerLag(ctx context.Context, stream, durable string) (Lag, error) {
	c, err := q.js.Consumer(ctx, stream, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return Lag{}, fmt.Errorf("consumer %s on %s: %w", durable, stream, lurewatch.ErrNotFound)
	}
	if err != nil {
		return Lag{}, fmt.Errorf("consumer %s on %s: %w", durable, stream, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return Lag{}, fmt.Errorf("consumer %s on %s: %w", durable, stream, err)
	}
	return Lag{Pending: info.NumPending, AckPending: info.NumAckPending, Redelivered: info.NumRedelivered}, nil
}
