package lurewatch

import "time"

// PageState is what a crawler remembers about a page between runs, so the
// next run can ask the site whether the page changed (a conditional request)
// instead of fetching it whole.
type PageState struct {
	// ETag and LastModified are the validators the site sent with the page
	// ("" when it sent none): they become If-None-Match and
	// If-Modified-Since.
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	// FetchedAt is when the page was last fetched whole (a 200).
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	// Profile is a fingerprint of the source profile that read the page:
	// when the profile changes (new selectors, say), the validators no
	// longer count and the page is read whole again.
	Profile string `json:"profile,omitempty"`
}

// IsZero reports whether nothing is known about the page.
func (s PageState) IsZero() bool {
	return s.ETag == "" && s.LastModified == "" && s.FetchedAt.IsZero() && s.Profile == ""
}
