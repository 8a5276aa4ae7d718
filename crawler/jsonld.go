package crawler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

const (
	// maxJSONLDDepth bounds how deep extraction looks for JobPostings.
	maxJSONLDDepth = 16
	// maxPostingsPerPage bounds the postings read from one page.
	maxPostingsPerPage = 500
)

// posting is one schema.org JobPosting read from JSON-LD, its text fields
// already turned into plain text.
type posting struct {
	title, text, employer, location, salary, contact string
	posted, validThrough                             time.Time
	// identifier is the posting's own id (schema.org identifier), if any.
	identifier string
}

// jobPostings returns the JobPostings in the JSON-LD blocks of doc, in
// document order: top-level objects, arrays, @graph and other nested
// values are searched. A block that is not valid JSON is skipped and
// reported in errs; the other blocks are still read.
func jobPostings(doc *goquery.Document) (ps []posting, errs []error) {
	block := 0
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		typ, _ := s.Attr("type")
		mt, _, _ := strings.Cut(typ, ";")
		if !strings.EqualFold(strings.TrimSpace(mt), "application/ld+json") {
			return
		}
		block++
		v, err := decodeJSONLD(s.Text())
		if err != nil {
			errs = append(errs, fmt.Errorf("json-ld block %d: %w", block, err))
			return
		}
		var objs []map[string]any
		collectPostings(v, 0, &objs)
		for _, o := range objs {
			if len(ps) >= maxPostingsPerPage {
				return
			}
			ps = append(ps, readPosting(o))
		}
	})
	return ps, errs
}

// decodeJSONLD decodes one JSON-LD block, tolerating the HTML comment or
// CDATA wrapping some sites put around it.
func decodeJSONLD(s string) (any, error) {
	s = strings.TrimSpace(s)
	for _, w := range [][2]string{{"<!--", "-->"}, {"//<![CDATA[", "//]]>"}, {"<![CDATA[", "]]>"}} {
		if strings.HasPrefix(s, w[0]) && strings.HasSuffix(s, w[1]) {
			s = strings.TrimSpace(s[len(w[0]) : len(s)-len(w[1])])
		}
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// collectPostings appends to out every JobPosting object in v, not looking
// inside a JobPosting. Object keys are visited in sorted order ("@graph"
// sorts first), so the order of postings is stable.
func collectPostings(v any, depth int, out *[]map[string]any) {
	if depth > maxJSONLDDepth || len(*out) >= maxPostingsPerPage {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			collectPostings(e, depth+1, out)
		}
	case map[string]any:
		if hasType(v, "JobPosting") {
			*out = append(*out, v)
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			collectPostings(v[k], depth+1, out)
		}
	}
}

// hasType reports whether a JSON-LD object's @type (a string or an array of
// strings, possibly with a schema.org prefix) includes typ.
func hasType(o map[string]any, typ string) bool {
	var types []any
	switch t := o["@type"].(type) {
	case string:
		types = []any{t}
	case []any:
		types = t
	}
	for _, t := range types {
		s, ok := t.(string)
		if !ok {
			continue
		}
		if i := strings.LastIndexAny(s, "/:"); i >= 0 {
			s = s[i+1:]
		}
		if s == typ {
			return true
		}
	}
	return false
}

// readPosting reads the fields of a JobPosting object.
func readPosting(o map[string]any) posting {
	p := posting{
		title:        collapseSpace(htmlText(firstNonEmpty(str(o["title"]), str(o["name"])))),
		employer:     collapseSpace(htmlText(str(o["hiringOrganization"]))),
		location:     location(o),
		salary:       firstNonEmpty(salary(o["baseSalary"]), salary(o["estimatedSalary"])),
		contact:      contactPoint(o["applicationContact"]),
		posted:       parseDate(str(o["datePosted"])),
		validThrough: parseDate(str(o["validThrough"])),
		identifier:   collapseSpace(str(o["identifier"])),
	}
	// The description carries the ad; benefits and the like often carry
	// the lure (free flights, visa, housing), so they are part of the text.
	var parts []string
	for _, k := range []string{"description", "responsibilities", "qualifications", "jobBenefits", "incentiveCompensation"} {
		if t := htmlText(str(o[k])); t != "" {
			parts = append(parts, t)
		}
	}
	p.text = truncate(strings.Join(parts, "\n\n"), maxFieldSize)
	return p
}

// str returns the text of a JSON-LD value: a string or number as it is, the
// first non-empty element of an array, or an object's value, name or
// @value. Anything else is "".
func str(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	case []any:
		for _, e := range v {
			if s := str(e); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, k := range []string{"value", "name", "@value"} {
			if s := str(v[k]); s != "" {
				return s
			}
		}
	}
	return ""
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// asList returns v as a list: an array as it is, anything else alone.
func asList(v any) []any {
	if a, ok := v.([]any); ok {
		return a
	}
	if v == nil {
		return nil
	}
	return []any{v}
}

// location formats jobLocation (a Place or an array of them, each with an
// address that is a string or a PostalAddress) as "locality, region,
// country", several places separated by "; ". A telecommuting posting adds
// "Remote".
func location(o map[string]any) string {
	var locs []string
	add := func(s string) {
		s = collapseSpace(htmlText(s))
		if s != "" && !slices.Contains(locs, s) {
			locs = append(locs, s)
		}
	}
	for _, pl := range asList(o["jobLocation"]) {
		place, ok := pl.(map[string]any)
		if !ok {
			add(str(pl))
			continue
		}
		var parts []string
		for _, a := range asList(place["address"]) {
			addr, ok := a.(map[string]any)
			if !ok {
				if s := str(a); s != "" {
					parts = append(parts, s)
				}
				continue
			}
			for _, k := range []string{"addressLocality", "addressRegion", "addressCountry"} {
				if s := str(addr[k]); s != "" && !slices.Contains(parts, s) {
					parts = append(parts, s)
				}
			}
		}
		if len(parts) == 0 {
			parts = append(parts, str(place["name"]))
		}
		add(strings.Join(parts, ", "))
	}
	if strings.EqualFold(str(o["jobLocationType"]), "TELECOMMUTE") {
		add("Remote")
	}
	return strings.Join(locs, "; ")
}

// salary formats a baseSalary: a number or string as it is, or a
// MonetaryAmount as "USD 1500-3000 per month" from its currency and its
// value (a number, or a QuantitativeValue with value or minValue/maxValue
// and unitText). Several amounts are separated by "; ".
func salary(v any) string {
	var out []string
	for _, e := range asList(v) {
		m, ok := e.(map[string]any)
		if !ok {
			if s := collapseSpace(str(e)); s != "" {
				out = append(out, s)
			}
			continue
		}
		currency := str(m["currency"])
		unit := str(m["unitText"])
		var amount string
		switch val := m["value"].(type) {
		case map[string]any:
			amount = amountOf(val)
			unit = firstNonEmpty(str(val["unitText"]), unit)
		default:
			amount = str(val)
			if amount == "" {
				amount = amountOf(m)
			}
		}
		s := strings.TrimSpace(currency + " " + amount)
		if unit != "" && s != "" {
			s += " per " + strings.ToLower(unit)
		}
		if s = collapseSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}

// amountOf formats a QuantitativeValue's value, or its minValue-maxValue
// range.
func amountOf(q map[string]any) string {
	if v := str(q["value"]); v != "" {
		return v
	}
	lo, hi := str(q["minValue"]), str(q["maxValue"])
	switch {
	case lo != "" && hi != "" && lo != hi:
		return lo + "-" + hi
	case lo != "":
		return lo
	case hi != "":
		return "up to " + hi
	}
	return ""
}

// contactPoint formats applicationContact (a ContactPoint or an array of
// them, or a string): name, email, telephone and url, one per line.
func contactPoint(v any) string {
	var lines []string
	for _, e := range asList(v) {
		m, ok := e.(map[string]any)
		if !ok {
			if s := collapseSpace(str(e)); s != "" {
				lines = append(lines, s)
			}
			continue
		}
		for _, k := range []string{"name", "email", "telephone", "url"} {
			if s := collapseSpace(str(m[k])); s != "" && !slices.Contains(lines, s) {
				lines = append(lines, s)
			}
		}
	}
	return truncate(strings.Join(lines, "\n"), maxFieldSize)
}
