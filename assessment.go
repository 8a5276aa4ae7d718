package lurewatch

import "time"

// Assessment is the detector's judgement of one ad: a score, a level, and the
// indicators that led to them, each with evidence that points into the ad as
// posted. A person who reads only the assessment can see why an ad was
// flagged.
type Assessment struct {
	SchemaVersion int `json:"schema_version"`
	// AdID and ContentHash identify the exact ad content assessed.
	AdID        string `json:"ad_id,omitempty"`
	ContentHash string `json:"content_hash,omitempty"`
	// Score is 0–100; Level is derived from it and from the combination of
	// categories matched (one category alone never reaches LevelMedium).
	Score int   `json:"score"`
	Level Level `json:"level"`
	// Categories lists the distinct indicator categories matched, sorted.
	Categories []string `json:"categories"`
	// Indicators are the matched indicators, strongest first.
	Indicators []Indicator `json:"indicators"`
	// Entities are things extracted from the ad (contacts, places, pay).
	Entities []Entity `json:"entities,omitempty"`
	// Summary is a one-line explanation for a person.
	Summary string `json:"summary"`
	// Lang is the detector's guess of the ad's main language (ISO 639-1),
	// empty when the ad has too little text to tell.
	Lang string `json:"lang,omitempty"`
	// RulesVersion and DetectorVersion say what produced the assessment.
	RulesVersion    string    `json:"rules_version"`
	DetectorVersion string    `json:"detector_version"`
	AssessedAt      time.Time `json:"assessed_at,omitzero"`
}

// Indicator is one lure pattern from the rules file that matched an ad.
type Indicator struct {
	// ID is the rule's id, unique in the rules file.
	ID string `json:"id"`
	// Category groups indicators: "hotspot_destination", "free_travel", ...
	Category string `json:"category"`
	// Weight is the rule's weight as configured.
	Weight float64 `json:"weight"`
	// Description says in words what the indicator means.
	Description string `json:"description,omitempty"`
	// Evidence lists where in the ad the indicator matched.
	Evidence []Evidence `json:"evidence"`
}

// Evidence is one place in an ad where an indicator matched. Start and End
// are byte offsets into the named field of the ad as posted (not into any
// normalised form), so Snippet == field[Start:End].
type Evidence struct {
	Field   string `json:"field"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Snippet string `json:"snippet"`
}

// Entity is a thing the detector extracted from an ad: a contact handle, a
// phone number, a place, a salary. Kind says which; Value is normalised
// (for example a phone number in E.164).
type Entity struct {
	Kind     string    `json:"kind"`
	Value    string    `json:"value"`
	Evidence *Evidence `json:"evidence,omitempty"`
}

// AssessedAd is the payload of stream ASSESSMENTS: an ad together with its
// assessment, so the single storage writer can save both in one transaction.
type AssessedAd struct {
	SchemaVersion int        `json:"schema_version"`
	Ad            Ad         `json:"ad"`
	Assessment    Assessment `json:"assessment"`
}

// DeadLetter is a message that could not be processed: it could not be
// decoded, or it failed every retry. It is kept with the reason, never lost.
type DeadLetter struct {
	Stream   string    `json:"stream"`
	Subject  string    `json:"subject"`
	Sequence uint64    `json:"sequence"`
	MsgID    string    `json:"msg_id,omitempty"`
	Reason   string    `json:"reason"`
	Data     []byte    `json:"data"`
	FailedAt time.Time `json:"failed_at"`
}

// CrawlRun is the record of one run of one source.
type CrawlRun struct {
	ID         int64     `json:"id"`
	Source     string    `json:"source"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Pages      int       `json:"pages"`
	Ads        int       `json:"ads"`
	Errors     int       `json:"errors"`
	// PagesNotModified counts the pages the site answered with 304 Not
	// Modified to a conditional request: unchanged, not parsed again.
	PagesNotModified int `json:"pages_not_modified"`
	// AdsNew, AdsChanged and AdsUnchanged split the ads found by what the
	// crawl state knew of them: never published, published with other
	// content (both are published, so AdsNew+AdsChanged == Ads), or
	// published with this very content (not published again). A crawl
	// without state leaves all three 0.
	AdsNew       int `json:"ads_new"`
	AdsChanged   int `json:"ads_changed"`
	AdsUnchanged int `json:"ads_unchanged"`
	// ErrorsByKind counts the problems of the run by kind, for example
	// {"fetch": 2, "parse": 1, "refused": 1, "robots": 3}; the kinds are
	// the crawler's ErrKind* constants. Pages skipped because robots.txt
	// disallows them count as "robots" here but not in Errors.
	ErrorsByKind map[string]int `json:"errors_by_kind,omitempty"`
	// Status is "running", "ok" or "failed"; Error says why a run failed.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}
