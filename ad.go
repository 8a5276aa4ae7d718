package lurewatch

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"time"
)

// Ad is one job offer as the crawler found it: a job-board posting, a JSON-LD
// JobPosting, a social post. Every text field is hostile input as posted.
type Ad struct {
	// SchemaVersion is the payload version (SchemaVersion when created).
	SchemaVersion int `json:"schema_version"`
	// ID is stable across crawls of the same ad: see AdID.
	ID string `json:"id"`
	// Source is the name of the configured source that found the ad.
	Source string `json:"source"`
	// SourceKind is the kind of that source: "html", "jsonld", ...
	SourceKind string `json:"source_kind"`
	// URL is the canonical URL of the page the ad was found on.
	URL string `json:"url"`
	// Title, Text, Employer, Location, Salary and Contact are the ad's fields
	// as posted (HTML removed, nothing else changed). Any may be empty.
	Title    string `json:"title"`
	Text     string `json:"text"`
	Employer string `json:"employer,omitempty"`
	Location string `json:"location,omitempty"`
	Salary   string `json:"salary,omitempty"`
	Contact  string `json:"contact,omitempty"`
	// PostedAt and ValidThrough are the dates the ad gives, when it gives them.
	PostedAt     time.Time `json:"posted_at,omitzero"`
	ValidThrough time.Time `json:"valid_through,omitzero"`
	// FetchedAt is when the crawler fetched the page.
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	// ContentHash changes when the ad's content changes: see ContentHashOf.
	ContentHash string `json:"content_hash"`
	// PageSHA256 is the SHA-256 of the page the ad was read from (see
	// Page), when the crawler kept it as evidence; it is not part of the
	// content hash.
	PageSHA256 string `json:"page_sha256,omitempty"`
}

// Field names, used by Evidence to say which part of an ad a match is in.
const (
	FieldTitle    = "title"
	FieldText     = "text"
	FieldEmployer = "employer"
	FieldLocation = "location"
	FieldSalary   = "salary"
	FieldContact  = "contact"
)

// AdField is one named text field of an ad.
type AdField struct {
	Name  string
	Value string
}

// Fields returns the ad's text fields that the detector reads, in a fixed
// order (title, text, employer, location, salary, contact), skipping empty
// ones.
func (a *Ad) Fields() []AdField {
	all := [...]AdField{
		{FieldTitle, a.Title},
		{FieldText, a.Text},
		{FieldEmployer, a.Employer},
		{FieldLocation, a.Location},
		{FieldSalary, a.Salary},
		{FieldContact, a.Contact},
	}
	out := make([]AdField, 0, len(all))
	for _, f := range all {
		if f.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

// AdID returns the stable id of an ad: a hash of the source name and the
// canonical URL, or of the source name and the source's own post id (for
// example a Telegram "channel/1234").
func AdID(source, key string) string {
	h := sha256.Sum256([]byte(source + "\x00" + key))
	return hex.EncodeToString(h[:12])
}

// ContentHashOf returns a hash of everything in the ad that the detector or a
// person reads. It changes when the ad's content changes, and not when only
// the fetch time does.
func ContentHashOf(a *Ad) string {
	// Hash the fields, each followed by a zero byte, as one stream: no
	// copy of a 64 KB text is made.
	h := sha256.New()
	for _, s := range [...]string{a.URL, a.Title, a.Text, a.Employer, a.Location, a.Salary, a.Contact,
		formatTime(a.PostedAt), formatTime(a.ValidThrough)} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:12])
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
