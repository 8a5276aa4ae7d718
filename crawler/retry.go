package crawler

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Defaults of the retry policy in Options.
const (
	// DefaultMaxAttempts is how many times a request is sent at most when
	// it times out or the server answers 429 or 5xx.
	DefaultMaxAttempts = 3
	// DefaultRetryBackoff is the wait before the second attempt when the
	// server gives no Retry-After; it doubles for each further attempt,
	// with jitter.
	DefaultRetryBackoff = time.Second
	// DefaultMaxRetryAfter caps the wait a Retry-After header can impose.
	DefaultMaxRetryAfter = 10 * time.Minute
)

// retryPolicy says which requests are sent again, and after how long.
type retryPolicy struct {
	maxAttempts   int
	backoff       time.Duration
	maxRetryAfter time.Duration
	now           func() time.Time
}

// retryableStatus reports whether a response with status code is worth
// trying again: 429 Too Many Requests and the 5xx statuses that say the
// server is overloaded or a gateway failed.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableErr reports whether a transport error is worth trying again:
// a timeout or a connection the server dropped. ctx is the request's
// context: once it ends, nothing is retried.
func retryableErr(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	return errors.Is(err, errTimeout) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// wait returns how long to wait before attempt number next (2, 3, ...),
// and whether the wait is the server's (Retry-After) rather than ours.
// The server's Retry-After, in seconds or as an HTTP date, is honoured up
// to maxRetryAfter; without it the wait is backoff·2^(next-2), with up to
// 50% jitter either way so that many crawlers do not come back at once.
func (p retryPolicy) wait(resp *http.Response, next int) (time.Duration, bool) {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), p.now()); ok {
			return min(d, p.maxRetryAfter), true
		}
	}
	d := p.backoff << (next - 2)
	if d <= 0 {
		return 0, false
	}
	jitter := time.Duration(rand.Int64N(int64(d))) - d/2
	return d + jitter, false
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an
// HTTP-date. A date in the past is a wait of zero.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
