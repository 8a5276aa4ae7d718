package crawler

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// postingsOf returns the postings of an HTML page made of the given JSON-LD
// blocks.
func postingsOf(t *testing.T, blocks ...string) ([]posting, []error) {
	t.Helper()
	var b strings.Builder
	b.WriteString("<html><head>")
	for _, bl := range blocks {
		b.WriteString(`<script type="application/ld+json">` + bl + "</script>")
	}
	b.WriteString("</head><body></body></html>")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return jobPostings(doc)
}

func TestJobPostingFields(t *testing.T) {
	tests := []struct {
		name, block string
		want        posting
	}{
		{"schema.org type URL", `{"@type": "http://schema.org/JobPosting", "title": "A"}`,
			posting{title: "A"}},
		{"name for title", `{"@type": "JobPosting", "name": " Cook  <b>wanted</b> "}`,
			posting{title: "Cook wanted"}},
		{"salary as number", `{"@type": "JobPosting", "title": "A", "baseSalary": 1500}`,
			posting{title: "A", salary: "1500"}},
		{"salary range without unit", `{"@type": "JobPosting", "title": "A", "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": {"minValue": 10.5, "maxValue": 12}}}`,
			posting{title: "A", salary: "EUR 10.5-12"}},
		{"salary maximum only", `{"@type": "JobPosting", "title": "A", "baseSalary": {"currency": "USD", "value": {"maxValue": 5000, "unitText": "YEAR"}}}`,
			posting{title: "A", salary: "USD up to 5000 per year"}},
		{"salary value as string", `{"@type": "JobPosting", "title": "A", "baseSalary": {"currency": "USD", "value": "3,000"}}`,
			posting{title: "A", salary: "USD 3,000"}},
		{"estimated salary", `{"@type": "JobPosting", "title": "A", "estimatedSalary": {"currency": "USD", "value": {"value": 900, "unitText": "WEEK"}}}`,
			posting{title: "A", salary: "USD 900 per week"}},
		{"location as string", `{"@type": "JobPosting", "title": "A", "jobLocation": "Poipet"}`,
			posting{title: "A", location: "Poipet"}},
		{"address country as object", `{"@type": "JobPosting", "title": "A", "jobLocation": {"address": {"addressRegion": "Shan", "addressCountry": {"name": "Myanmar"}}}}`,
			posting{title: "A", location: "Shan, Myanmar"}},
		{"identifier as number", `{"@type": "JobPosting", "title": "A", "identifier": 42}`,
			posting{title: "A", identifier: "42"}},
		{"organization array", `{"@type": "JobPosting", "title": "A", "hiringOrganization": [{"name": ""}, {"name": "Fictional Co"}]}`,
			posting{title: "A", employer: "Fictional Co"}},
		{"benefits join the text", `{"@type": "JobPosting", "title": "A", "description": "Work.", "jobBenefits": "Free flight, <b>free visa</b>"}`,
			posting{title: "A", text: "Work.\n\nFree flight, free visa"}},
		{"contact email", `{"@type": "JobPosting", "title": "A", "applicationContact": [{"email": "hr@example.invalid"}, "@hr_fictional_04"]}`,
			posting{title: "A", contact: "hr@example.invalid\n@hr_fictional_04"}},
		{"bad dates ignored", `{"@type": "JobPosting", "title": "A", "datePosted": "soon", "validThrough": 5}`,
			posting{title: "A"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, errs := postingsOf(t, tt.block)
			if len(errs) != 0 || len(ps) != 1 {
				t.Fatalf("got %d postings, errors %v; want 1 posting", len(ps), errs)
			}
			if ps[0] != tt.want {
				t.Errorf("got  %+v\nwant %+v", ps[0], tt.want)
			}
		})
	}
}

func TestJobPostingsFound(t *testing.T) {
	tests := []struct {
		name   string
		blocks []string
		titles []string
		errs   int
	}{
		{"nested in a page", []string{`{"@type": "WebPage", "mainEntity": {"@type": "JobPosting", "title": "A"}}`}, []string{"A"}, 0},
		{"item list", []string{`{"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": {"@type": "JobPosting", "title": "A"}}, {"@type": "ListItem", "item": {"@type": "JobPosting", "title": "B"}}]}`}, []string{"A", "B"}, 0},
		{"graph order kept", []string{`{"@graph": [{"@type": "JobPosting", "title": "B"}, {"@type": "JobPosting", "title": "A"}]}`}, []string{"B", "A"}, 0},
		{"not postings", []string{`{"@type": "Organization", "name": "X"}`, `[]`, `"text"`}, nil, 0},
		{"malformed among good", []string{`{"@type": "JobPosting", "title": "A"}`, `{"@type": "JobPosting",}`, `{"@type": "JobPosting", "title": "B"} trailing`, `{"@type": "JobPosting", "title": "C"}`}, []string{"A", "C"}, 2},
		{"cdata", []string{`//<![CDATA[
{"@type": "JobPosting", "title": "A"}
//]]>`}, []string{"A"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, errs := postingsOf(t, tt.blocks...)
			var titles []string
			for _, p := range ps {
				titles = append(titles, p.title)
			}
			if strings.Join(titles, "|") != strings.Join(tt.titles, "|") || len(errs) != tt.errs {
				t.Errorf("titles %q, %d errors %v; want %q, %d errors", titles, len(errs), errs, tt.titles, tt.errs)
			}
		})
	}
}

func TestJobPostingsBounded(t *testing.T) {
	deep := strings.Repeat(`{"a": `, 100) + `{"@type": "JobPosting", "title": "deep"}` + strings.Repeat("}", 100)
	ps, errs := postingsOf(t, deep)
	if len(ps) != 0 || len(errs) != 0 {
		t.Errorf("got %d postings, errors %v from a posting nested 100 deep; want none", len(ps), errs)
	}
	many := "[" + strings.Repeat(`{"@type": "JobPosting", "title": "x"},`, maxPostingsPerPage+10) + `{"@type": "JobPosting", "title": "x"}]`
	ps, _ = postingsOf(t, many)
	if len(ps) != maxPostingsPerPage {
		t.Errorf("got %d postings, want the cap %d", len(ps), maxPostingsPerPage)
	}
}

func FuzzJobPostings(f *testing.F) {
	f.Add(`{"@type": "JobPosting", "title": "A", "baseSalary": {"value": {"minValue": 1}}}`)
	f.Add(`{"@graph": [{"@type": ["JobPosting"], "jobLocation": [{"address": "x"}]}]}`)
	f.Fuzz(func(t *testing.T, block string) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<script type="application/ld+json">` + block + `</script>`))
		if err != nil {
			return
		}
		ps, _ := jobPostings(doc)
		for _, p := range ps {
			if len(p.text) > maxFieldSize || len(p.contact) > maxFieldSize {
				t.Errorf("field over the cap")
			}
		}
	})
}
