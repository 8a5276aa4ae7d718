package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/gocolly/colly/v2"

	"github.com/lurewatch/lurewatch"
)

// Kinds of crawl error, as ErrKind returns them, so that a run record and
// the metrics can say what went wrong, not only how often.
const (
	ErrKindFetch    = "fetch"     // a network or protocol failure not listed below
	ErrKindTimeout  = "timeout"   // a request that did not finish within Options.RequestTimeout
	ErrKindTooLarge = "too_large" // a body over Options.MaxBodySize (after decompression)
	ErrKindRefused  = "refused"   // a private or reserved address, or a disallowed redirect target
	ErrKindRobots   = "robots"    // disallowed by robots.txt
	ErrKindRedirect = "redirect"  // too many redirects, or a redirect loop
	ErrKindParse    = "parse"     // a page, feed, sitemap or JSON-LD block that does not parse
	ErrKindTrap     = "trap"      // a link refused by a trap limit (URL length, repeated segments, pages per host)
	ErrKind4xx      = "http_4xx"  // a 4xx status
	ErrKind5xx      = "http_5xx"  // a 5xx status (after the retries)
)

// StatusError is a response whose status is not a success. The crawler
// wraps it in the error of a page that answered with such a status.
type StatusError struct {
	Code int
}

// Error returns "status <code>".
func (e *StatusError) Error() string { return fmt.Sprintf("status %d", e.Code) }

// errTimeout marks a request that did not finish within the request
// timeout, body included.
var errTimeout = errors.New("request timed out")

// ErrKind classifies a crawl error into one of the ErrKind* kinds;
// anything it does not recognise is ErrKindFetch. It returns "" for a nil
// error.
func ErrKind(err error) string {
	return classifyErr(err, ErrKindFetch)
}

// classifyErr is ErrKind with the kind to return for an error it does not
// recognise.
func classifyErr(err error, fallback string) string {
	if err == nil {
		return ""
	}
	var se *StatusError
	var ne net.Error
	var av *colly.AlreadyVisitedError
	switch {
	case errors.As(err, &se):
		switch {
		case se.Code >= 500:
			return ErrKind5xx
		case se.Code >= 400:
			return ErrKind4xx
		case se.Code >= 300 && se.Code < 400:
			return ErrKindRedirect
		}
		return fallback
	case errors.Is(err, errRobots):
		return ErrKindRobots
	case errors.Is(err, errTrap):
		return ErrKindTrap
	case errors.Is(err, errTooManyRedirects), errors.As(err, &av):
		// colly refuses a redirect to a page it has fetched already:
		// that is how a loop through several URLs ends.
		return ErrKindRedirect
	case errors.Is(err, lurewatch.ErrRefused):
		return ErrKindRefused
	case errors.Is(err, errBodyTooLarge):
		return ErrKindTooLarge
	case errors.Is(err, errTimeout), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		return ErrKindTimeout
	}
	return fallback
}
