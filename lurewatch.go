// Package lurewatch holds the domain types shared by every part of lurewatch:
// the ads the crawler finds, the assessments the detector makes of them, and
// the error kinds the parts report. It imports nothing outside the standard
// library, so every part can depend on it without depending on each other.
//
// lurewatch finds online job offers that are recruitment lures for
// trafficking into scam compounds and forced labour, and puts them in front
// of NGO analysts and hotlines. The flow is crawler → queue (stream ADS) →
// detector → queue (stream ASSESSMENTS) → storage.
package lurewatch

import "errors"

// SchemaVersion is the version of the JSON payloads exchanged through the
// queue. A consumer refuses a payload with a newer major version.
const SchemaVersion = 1

// Error kinds. Parts wrap these with context; callers test with errors.Is.
var (
	// ErrInvalid marks input that cannot be used as it is: a malformed
	// payload, config or rules file, or an ad without the fields it needs.
	ErrInvalid = errors.New("invalid")
	// ErrNotFound marks a lookup that found nothing.
	ErrNotFound = errors.New("not found")
	// ErrRefused marks a fetch the crawler refused to make: a private or
	// loopback address that the config does not allow, or a URL that
	// robots.txt disallows.
	ErrRefused = errors.New("refused")
	// ErrPoison marks a message that can never be processed, however often
	// it is retried (for example, it cannot be decoded). The queue sends it
	// to the dead-letter stream at once instead of retrying it.
	ErrPoison = errors.New("poison message")
)
