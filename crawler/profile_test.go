package crawler

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

func TestLoadProfileFiles(t *testing.T) {
	tests := []struct {
		file string
		want Profile
	}{
		{"demo-board.yaml", Profile{
			Name: "demo-board", Kind: KindHTML, StartURLs: []string{"http://127.0.0.1:8080/jobs"},
			AllowedDomains: []string{}, Delay: 500 * time.Millisecond, Parallelism: 2, MaxPages: 200, MaxDepth: 5,
			HTML: &HTMLSelectors{AdLinks: "a.job-link", NextPage: "a.next", Ad: AdSelectors{
				Title: "h1.job-title", Body: "div.job-description", Employer: ".employer", Location: ".location",
				Salary: ".salary", Posted: "time.posted", Contact: ".contact",
			}},
		}},
		{"careers-jsonld.yaml", Profile{
			Name: "careers_portal", Kind: KindJSONLD, StartURLs: []string{"https://careers.example.invalid/jobs"},
			AllowedDomains: []string{"careers.example.invalid"}, Delay: 2 * time.Second,
			JSONLD: &JSONLDOptions{Follow: "a.job-link", NextPage: "a.next"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "profiles", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := LoadProfile(path, data)
			if err != nil {
				t.Fatalf("LoadProfile: %v", err)
			}
			if !reflect.DeepEqual(*p, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *p, tt.want)
			}
		})
	}
}

const validHTML = `name: demo-board
kind: html
start_urls: [http://127.0.0.1:8080/jobs]
delay: 500ms
html:
  ad_links: "a.job-link"
  ad:
    title: "h1"
    body: "div.body"
`

func TestLoadProfileErrors(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string // each a line of the error, in order
	}{
		{"unknown field", strings.Replace(validHTML, "delay: 500ms", "delay: 500ms\nspeed: fast", 1),
			[]string{`p.yaml:5:1: unknown field "speed"`}},
		{"unknown nested field", strings.Replace(validHTML, `    body: "div.body"`, "    body: \"div.body\"\n    colour: \".c\"", 1),
			[]string{`p.yaml:10:5: unknown field "colour"`}},
		{"bad duration", strings.Replace(validHTML, "500ms", "half a second", 1),
			[]string{`p.yaml:4:8: delay: bad duration "half a second" (want for example 500ms, 30s or 6h)`}},
		{"duration of wrong type", strings.Replace(validHTML, "500ms", "[1]", 1),
			[]string{`p.yaml:4:8: `}},
		{"unknown kind", strings.Replace(validHTML, "kind: html", "kind: rss", 1),
			[]string{`p.yaml:2:7: unknown kind "rss" (want html or jsonld)`}},
		{"section of the other kind", strings.Replace(validHTML, "kind: html", "kind: jsonld", 1),
			[]string{`p.yaml:5:1: html section is only for kind html`}},
		{"kind html without selectors", "name: demo-board\nkind: html\nstart_urls: [http://127.0.0.1:8080/jobs]\n",
			[]string{`p.yaml:2:7: kind html needs an html section with selectors`}},
		{"missing selectors", strings.Replace(strings.Replace(validHTML, `    title: "h1"`+"\n", "", 1), `  ad_links: "a.job-link"`+"\n", "", 1),
			[]string{`p.yaml:5:1: html.ad_links: selector is required`, `p.yaml:6:3: html.ad.title: selector is required`}},
		{"bad selector", strings.Replace(validHTML, `"h1"`, `"h1[["`, 1),
			[]string{`p.yaml:8:12: bad selector "h1[["`}},
		{"bad name and no start URLs", "name: Demo Board\nkind: jsonld\n",
			[]string{`p.yaml:1:7: name "Demo Board" must match [a-z0-9_-]+`, `p.yaml:1:1: start_urls: at least one start URL is required`}},
		{"start URL not absolute", strings.Replace(validHTML, "http://127.0.0.1:8080/jobs", "/jobs", 1),
			[]string{`p.yaml:3:14: start URL "/jobs" must be an absolute http or https URL`}},
		{"start URL off allowed domains", strings.Replace(validHTML, "delay:", "allowed_domains: [example.invalid]\ndelay:", 1),
			[]string{`p.yaml:3:14: host of start URL "http://127.0.0.1:8080/jobs" is not in allowed_domains`}},
		{"limits out of range", validHTML + "parallelism: 100\nmax_pages: -1\n",
			[]string{`p.yaml:10:14: parallelism 100 is out of range 0-16`, `p.yaml:11:12: max_pages -1 is out of range 0-100000`}},
		{"empty", "", []string{"p.yaml:1:1: file is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := LoadProfile("p.yaml", []byte(tt.data))
			if err == nil {
				t.Fatalf("LoadProfile = %+v, want an error", p)
			}
			if !errors.Is(err, lurewatch.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("error:\n%s\nwant %d lines:\n%s", err, len(tt.want), strings.Join(tt.want, "\n"))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error line %d = %q, want prefix %q", i+1, lines[i], w)
				}
			}
		})
	}
}

func TestValidateInGo(t *testing.T) {
	p := &Profile{
		Name: "demo", Kind: KindJSONLD, StartURLs: []string{"https://jobs.example.invalid/"},
		AllowedDomains: []string{"https://jobs.example.invalid"},
	}
	err := p.Validate()
	if !errors.Is(err, lurewatch.ErrInvalid) {
		t.Fatalf("Validate = %v, want ErrInvalid", err)
	}
	if !strings.Contains(err.Error(), "allowed_domains[0]: domain") {
		t.Errorf("error %q does not name allowed_domains[0]", err)
	}
	p.AllowedDomains = []string{"Jobs.Example.Invalid."}
	if err := p.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if hosts := p.allowedHosts(); !hosts["jobs.example.invalid"] || len(hosts) != 1 {
		t.Errorf("allowedHosts = %v", hosts)
	}
}
