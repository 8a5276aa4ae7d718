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
			[]string{`p.yaml:2:7: unknown kind "rss" (want html, jsonld, telegram, feed or sitemap)`}},
		{"section of the other kind", strings.Replace(validHTML, "kind: html", "kind: jsonld", 1),
			[]string{`p.yaml:5:1: html section is only for kinds html and sitemap, and kind feed with follow: html`}},
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

func TestLoadProfileNewKinds(t *testing.T) {
	tests := []struct {
		name, data string
		want       Profile
	}{
		{"telegram", "name: tg\nkind: telegram\ntelegram:\n  base_url: http://127.0.0.1:8080/\n  channels: [fictional_jobs, Other_Chan]\nmax_pages: 5\n",
			Profile{Name: "tg", Kind: KindTelegram, MaxPages: 5,
				Telegram: &TelegramOptions{BaseURL: "http://127.0.0.1:8080/", Channels: []string{"fictional_jobs", "Other_Chan"}}}},
		{"feed following html", "name: f\nkind: feed\nstart_urls: [https://a.example.invalid/feed]\nfeed:\n  follow: html\nhtml:\n  ad:\n    title: h1\n    body: div\n",
			Profile{Name: "f", Kind: KindFeed, StartURLs: []string{"https://a.example.invalid/feed"}, Feed: &FeedOptions{Follow: FollowHTML},
				HTML: &HTMLSelectors{Ad: AdSelectors{Title: "h1", Body: "div"}}}},
		{"sitemap", "name: s\nkind: sitemap\nstart_urls: [https://a.example.invalid/sitemap.xml]\nsitemap:\n  max_age: 720h\n  match: /jobs/\n",
			Profile{Name: "s", Kind: KindSitemap, StartURLs: []string{"https://a.example.invalid/sitemap.xml"},
				Sitemap: &SitemapOptions{MaxAge: 720 * time.Hour, Match: "/jobs/"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := LoadProfile("p.yaml", []byte(tt.data))
			if err != nil {
				t.Fatalf("LoadProfile: %v", err)
			}
			if !reflect.DeepEqual(*p, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *p, tt.want)
			}
		})
	}
	p, _ := LoadProfile("p.yaml", []byte(tests[0].data))
	if got := p.starts(); len(got) != 2 || got[0] != (start{"http://127.0.0.1:8080/s/fictional_jobs", "fictional_jobs"}) {
		t.Errorf("starts() = %+v", got)
	}
	if hosts := p.allowedHosts(); len(hosts) != 1 || !hosts["127.0.0.1"] {
		t.Errorf("allowedHosts() = %v", hosts)
	}
	p.Telegram.BaseURL = ""
	if got := p.starts(); got[1].url != "https://t.me/s/Other_Chan" {
		t.Errorf("default base: starts() = %+v", got)
	}
}

func TestLoadProfileNewKindErrors(t *testing.T) {
	const tg = "name: tg\nkind: telegram\ntelegram:\n  channels: [fictional_jobs]\n"
	const sm = "name: s\nkind: sitemap\nstart_urls: [https://a.example.invalid/sitemap.xml]\n"
	const feed = "name: f\nkind: feed\nstart_urls: [https://a.example.invalid/feed]\n"
	tests := []struct {
		name, data string
		want       []string
	}{
		{"telegram with start URLs", tg + "start_urls: [https://t.me/s/x]\n",
			[]string{`p.yaml:5:1: start_urls is not used by kind telegram: list the channels under telegram.channels`}},
		{"telegram without section", "name: tg\nkind: telegram\n",
			[]string{`p.yaml:2:7: kind telegram needs a telegram section with channels`}},
		{"telegram without channels", "name: tg\nkind: telegram\ntelegram:\n  channels: []\n",
			[]string{`p.yaml:4:3: at least one channel is required`}},
		{"bad channels", "name: tg\nkind: telegram\ntelegram:\n  channels: [ok_one, \"@handle\", https://t.me/s/x, OK_ONE]\n",
			[]string{`p.yaml:4:22: channel "@handle" must be a public channel name`, `p.yaml:4:33: channel "https://t.me/s/x" must be`,
				`p.yaml:4:51: channel "OK_ONE" is listed twice`}},
		{"base URL with a path", strings.Replace(tg, "telegram:\n", "telegram:\n  base_url: https://t.me/s/\n", 1),
			[]string{`p.yaml:4:13: base URL "https://t.me/s/" must be a scheme and host only`}},
		{"base URL off allowed domains", tg + "allowed_domains: [example.invalid]\n",
			[]string{`p.yaml:3:1: telegram.base_url: host of base URL "https://t.me" is not in allowed_domains`}},
		{"telegram section in another kind", sm + "telegram:\n  channels: [x]\n",
			[]string{`p.yaml:4:1: telegram section is only for kind telegram`}},
		{"sitemap with ad links", sm + "html:\n  ad_links: a\n  ad:\n    title: h1\n    body: div\n",
			[]string{`p.yaml:5:13: ad_links is only for kind html`}},
		{"sitemap bad pattern and age", sm + "sitemap:\n  max_age: -1h\n  match: \"(\"\n",
			[]string{`p.yaml:5:12: max_age -1h0m0s is negative`, `p.yaml:6:10: bad pattern: error parsing regexp`}},
		{"feed unknown follow", feed + "feed:\n  follow: links\n",
			[]string{`p.yaml:5:11: unknown follow "links"`}},
		{"feed html without follow html", feed + "html:\n  ad:\n    title: h1\n    body: div\n",
			[]string{`p.yaml:4:1: html section is only for kinds html and sitemap, and kind feed with follow: html`}},
		{"feed follow html without selectors", feed + "feed:\n  follow: html\n",
			[]string{`p.yaml:2:7: kind feed needs an html section with ad selectors when feed.follow is html`}},
		{"feed without start URLs", "name: f\nkind: feed\n",
			[]string{`p.yaml:1:1: start_urls: at least one start URL is required`}},
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

// The example profiles shipped in configs/sources are valid.
func TestExampleProfiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "configs", "sources", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example profiles: %v", err)
	}
	kinds := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := LoadProfile(f, data)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		kinds[p.Kind] = true
	}
	for _, k := range []string{KindHTML, KindJSONLD, KindTelegram, KindFeed, KindSitemap} {
		if !kinds[k] {
			t.Errorf("no example profile of kind %s", k)
		}
	}
}
