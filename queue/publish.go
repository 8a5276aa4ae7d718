package queue

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/lurewatch/lurewatch"
)

// PublishAd publishes an ad to stream ADS on subject lurewatch.ads.<source>
// and waits for the server's ack. The message id is the ad id plus its
// content hash, so publishing the same content again is deduplicated while a
// changed ad goes through.
func (q *Queue) PublishAd(ctx context.Context, ad *lurewatch.Ad) error {
	if ad.ID == "" || ad.ContentHash == "" {
		return fmt.Errorf("publish ad: %w: ad needs an id and a content hash", lurewatch.ErrInvalid)
	}
	buf := getBuffer()
	defer putBuffer(buf)
	data, err := appendAdJSON((*buf)[:0], ad)
	*buf = data
	if err != nil {
		return fmt.Errorf("publish ad %s: %w", ad.ID, err)
	}
	// The client has copied data when Publish returns: buf can be reused.
	_, err = q.js.Publish(ctx, subjectAds+"."+subjectToken(ad.Source), data, jetstream.WithMsgID(ad.ID+"."+ad.ContentHash))
	if err != nil {
		return fmt.Errorf("publish ad %s: %w", ad.ID, err)
	}
	return nil
}

// buffers keeps the buffers ads are encoded into: an ad is up to 64 KB of
// text, and a fresh buffer for each would be garbage to collect.
var buffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer is the largest buffer put back in the pool; a larger
// one, from an unusual ad, is left to the collector.
const maxPooledBuffer = 1 << 20

// getBuffer takes a buffer from the pool.
func getBuffer() *[]byte { return buffers.Get().(*[]byte) }

// putBuffer returns a buffer to the pool once its content is sent.
func putBuffer(b *[]byte) {
	if cap(*b) <= maxPooledBuffer {
		buffers.Put(b)
	}
}

// PublishAssessed publishes an assessed ad to stream ASSESSMENTS on subject
// lurewatch.assessed.<level> and waits for the server's ack. The message id
// is the ad id, content hash and rules version: the same content assessed by
// the same rules is stored once.
func (q *Queue) PublishAssessed(ctx context.Context, a *lurewatch.AssessedAd) error {
	if a.Ad.ID == "" {
		return fmt.Errorf("publish assessment: %w: ad needs an id", lurewatch.ErrInvalid)
	}
	id := a.Ad.ID + "." + a.Ad.ContentHash + "." + a.Assessment.RulesVersion
	_, err := q.publish(ctx, subjectAssessed+"."+a.Assessment.Level.String(), a, id)
	if err != nil {
		return fmt.Errorf("publish assessment of ad %s: %w", a.Ad.ID, err)
	}
	return nil
}

func (q *Queue) publish(ctx context.Context, subject string, v any, msgID string) (*jetstream.PubAck, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return q.js.Publish(ctx, subject, data, jetstream.WithMsgID(msgID))
}

// subjectToken turns a name into one NATS subject token: characters that
// NATS gives meaning to ('.', '*', '>', white space) become '_'.
func subjectToken(s string) string {
	if s == "" {
		return "_"
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '*', '>', ' ', '\t', '\r', '\n':
			return '_'
		}
		if r < 0x20 || r == 0x7f {
			return '_'
		}
		return r
	}, s)
}
