package lurewatch

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"
)

// Page is a web page exactly as the crawler received it: the evidence an
// ad came from. Body holds the payload bytes as the HTTP client delivered
// them: when the server sent Content-Encoding gzip and Go's transport
// inflated it (the usual case), Body is the inflated payload and Header no
// longer carries Content-Encoding or Content-Length; otherwise Body is the
// entity as sent.
type Page struct {
	// URL is the address the page was fetched from, after redirects.
	URL string `json:"url"`
	// Status is the HTTP status code, Proto the protocol ("HTTP/1.1").
	Status int    `json:"status"`
	Proto  string `json:"proto,omitempty"`
	// Header holds the response headers as received.
	Header http.Header `json:"header,omitempty"`
	// Body is the payload, uncompressed by lurewatch (stores compress it).
	Body []byte `json:"-"`
	// SHA256 is the hex SHA-256 of Body: see PageSHA256.
	SHA256 string `json:"sha256"`
	// FetchedAt is when the response arrived.
	FetchedAt time.Time `json:"fetched_at"`
}

// PageSHA256 returns the hex SHA-256 of a page's body, the digest that
// identifies the page's content in storage and links ads to it.
func PageSHA256(body []byte) string {
	h := sha256.Sum256(body)
	return hex.EncodeToString(h[:])
}
