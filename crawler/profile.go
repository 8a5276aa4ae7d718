package crawler

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/goccy/go-yaml/ast"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/internal/yamlfile"
)

// Source kinds a Profile can have.
const (
	// KindHTML is a job board crawled with CSS selectors given in the
	// profile: listing pages → ad links → ad fields.
	KindHTML = "html"
	// KindJSONLD is any site whose pages carry schema.org JobPosting in
	// <script type="application/ld+json">; it needs no selectors.
	KindJSONLD = "jsonld"
	// KindTelegram is a list of public Telegram channels, read from their
	// web previews (<base>/s/<channel>): each post is an ad.
	KindTelegram = "telegram"
	// KindFeed is an RSS 2.0, RSS 1.0 or Atom feed: each entry is an ad,
	// or a link to an ad page (FeedOptions.Follow).
	KindFeed = "feed"
	// KindSitemap is a sitemap or sitemap index: each listed page is an ad
	// page, read by JSON-LD or by the profile's html.ad selectors.
	KindSitemap = "sitemap"
)

// kindList names the kinds in error messages.
const kindList = "html, jsonld, telegram, feed or sitemap"

// DefaultTelegramBase is where Telegram channel previews are served.
const DefaultTelegramBase = "https://t.me"

// Follow modes of a KindFeed source (FeedOptions.Follow).
const (
	// FollowJSONLD fetches each entry's link and reads its JobPostings.
	FollowJSONLD = "jsonld"
	// FollowHTML fetches each entry's link and reads the ad with the
	// profile's html.ad selectors.
	FollowHTML = "html"
)

// Defaults and limits applied to a Profile.
const (
	// DefaultMaxPages is the number of pages a run fetches at most when
	// the profile does not say.
	DefaultMaxPages = 100
	// DefaultParallelism is the number of concurrent requests per host
	// when the profile does not say.
	DefaultParallelism = 1
	// maxParallelism bounds how hard one profile may hit one host.
	maxParallelism = 16
	// MaxPagesLimit is the largest MaxPages a profile may set.
	MaxPagesLimit = 100_000
	// maxMaxPages bounds one run.
	maxMaxPages = MaxPagesLimit
	// maxChannels bounds the channels of one KindTelegram profile.
	maxChannels = 1000
	// maxPatternLen bounds SitemapOptions.Match.
	maxPatternLen = 1000
)

var (
	nameRE = regexp.MustCompile(`^[a-z0-9_-]+$`)
	// channelRE matches a Telegram channel's public name. Telegram allows
	// 5-32 letters, digits and underscores; a little more is accepted.
	channelRE = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
)

// Profile describes one source: where a crawl starts, which hosts it may
// visit, how politely, and how ads are found on its pages. It is loaded from
// a YAML file with LoadProfile or built in Go code; either way Validate
// checks it before a run.
type Profile struct {
	// Name identifies the source; it is unique among sources, matches
	// [a-z0-9_-]+ and becomes part of the NATS subject lurewatch.ads.<name>.
	Name string `yaml:"name"`
	// Kind is KindHTML, KindJSONLD, KindTelegram, KindFeed or
	// KindSitemap.
	Kind string `yaml:"kind"`
	// StartURLs are the pages a run starts from: listing pages for
	// KindHTML; listing or job pages for KindJSONLD; feeds for KindFeed;
	// sitemaps or sitemap indexes for KindSitemap. KindTelegram has none:
	// its start pages are those of Telegram.Channels.
	StartURLs []string `yaml:"start_urls,omitempty"`
	// AllowedDomains lists the host names a run may fetch from. Empty means
	// the hosts of the start URLs (for KindTelegram, the host of
	// Telegram.BaseURL).
	AllowedDomains []string `yaml:"allowed_domains,omitempty"`
	// Delay is the least time between the starts of two requests to one
	// host. A longer Crawl-delay in the host's robots.txt wins.
	Delay time.Duration `yaml:"delay,omitempty"`
	// Parallelism is how many requests to one host may be in flight at
	// once (default DefaultParallelism).
	Parallelism int `yaml:"parallelism,omitempty"`
	// MaxPages is how many pages one run fetches at most (default
	// DefaultMaxPages). robots.txt files are not counted.
	MaxPages int `yaml:"max_pages,omitempty"`
	// MaxDepth is how many links a run follows away from a start URL at
	// most; 0 means no limit other than MaxPages.
	MaxDepth int `yaml:"max_depth,omitempty"`
	// HTML holds the selectors of a KindHTML source (required for it). A
	// KindSitemap source may give HTML.Ad to read its pages with selectors
	// instead of JSON-LD, and so must a KindFeed source that follows its
	// links with FollowHTML; neither uses AdLinks or NextPage.
	HTML *HTMLSelectors `yaml:"html,omitempty"`
	// JSONLD holds the link-following options of a KindJSONLD source
	// (optional: without it, only the start URLs are read).
	JSONLD *JSONLDOptions `yaml:"jsonld,omitempty"`
	// Telegram lists the channels of a KindTelegram source (required for
	// it).
	Telegram *TelegramOptions `yaml:"telegram,omitempty"`
	// Feed holds the options of a KindFeed source (optional).
	Feed *FeedOptions `yaml:"feed,omitempty"`
	// Sitemap holds the options of a KindSitemap source (optional).
	Sitemap *SitemapOptions `yaml:"sitemap,omitempty"`
}

// TelegramOptions say which public Telegram channels a KindTelegram source
// reads. A run reads each channel's web preview, <BaseURL>/s/<channel>,
// and follows its "older posts" links (?before=<id>) within MaxPages.
type TelegramOptions struct {
	// BaseURL is where previews are served: scheme and host only (default
	// DefaultTelegramBase). Tests point it at a loopback server.
	BaseURL string `yaml:"base_url,omitempty"`
	// Channels are the channels' public names, without "@" (letters,
	// digits and underscores).
	Channels []string `yaml:"channels"`
}

// base returns the preview base URL, without a trailing slash.
func (t *TelegramOptions) base() string {
	if t == nil || t.BaseURL == "" {
		return DefaultTelegramBase
	}
	return strings.TrimRight(t.BaseURL, "/")
}

// FeedOptions say how a KindFeed source reads its entries.
type FeedOptions struct {
	// Follow is empty to take each entry itself as the ad (title,
	// content or description, link, date, author), or FollowJSONLD or
	// FollowHTML to fetch each entry's link and read the ad from that
	// page. An entry whose page cannot be fetched or gives no ad is
	// published as it is in the feed.
	Follow string `yaml:"follow,omitempty"`
}

// SitemapOptions say which pages of a KindSitemap source's sitemaps are
// read.
type SitemapOptions struct {
	// MaxAge skips the pages (and the sitemaps of an index) whose lastmod
	// is older than this; zero reads them all. Entries without lastmod
	// are always read.
	MaxAge time.Duration `yaml:"max_age,omitempty"`
	// Match, a regular expression (RE2 syntax), keeps only the page URLs
	// it matches; empty keeps all. It does not apply to the sitemaps of
	// an index.
	Match string `yaml:"match,omitempty"`
}

// start is one start page of a run: its URL and, for KindTelegram, the
// channel it previews.
type start struct {
	url, channel string
}

// starts returns the start pages of the profile: StartURLs, or for
// KindTelegram the preview of each channel.
func (p *Profile) starts() []start {
	if p.Kind != KindTelegram {
		out := make([]start, len(p.StartURLs))
		for i, u := range p.StartURLs {
			out[i] = start{url: u}
		}
		return out
	}
	if p.Telegram == nil {
		return nil
	}
	base := p.Telegram.base()
	out := make([]start, len(p.Telegram.Channels))
	for i, c := range p.Telegram.Channels {
		out[i] = start{url: base + "/s/" + c, channel: c}
	}
	return out
}

// HTMLSelectors are the CSS selectors (goquery/cascadia syntax) that find
// ads on a KindHTML source.
type HTMLSelectors struct {
	// AdLinks selects, on a listing page, the links (href) to ad pages.
	AdLinks string `yaml:"ad_links"`
	// NextPage selects, on a listing page, the link (href) to the next
	// listing page. Optional.
	NextPage string `yaml:"next_page,omitempty"`
	// Ad selects the fields of an ad on an ad page.
	Ad AdSelectors `yaml:"ad"`
}

// AdSelectors select the fields of one ad on an ad page. Title and Body are
// required; the others are optional. Each field is the visible text of the
// elements selected.
type AdSelectors struct {
	Title    string `yaml:"title"`
	Body     string `yaml:"body"`
	Employer string `yaml:"employer,omitempty"`
	Location string `yaml:"location,omitempty"`
	Salary   string `yaml:"salary,omitempty"`
	// Posted selects the posting date: the datetime attribute of the
	// element when it has one, else its text.
	Posted  string `yaml:"posted,omitempty"`
	Contact string `yaml:"contact,omitempty"`
}

// JSONLDOptions say which links a KindJSONLD source follows from its start
// pages (and from the listing pages reached with NextPage).
type JSONLDOptions struct {
	// Follow selects links (href) to pages to read JobPostings from.
	Follow string `yaml:"follow,omitempty"`
	// NextPage selects the link (href) to the next listing page.
	NextPage string `yaml:"next_page,omitempty"`
}

// problem is one thing wrong with a profile, at a YAML path such as
// "html.ad.title" or "start_urls[1]" ("" for the whole profile).
type problem struct {
	path string
	msg  string
}

// Validate reports whether the profile can be crawled: a valid name and
// kind, absolute http(s) start URLs within the allowed domains, sane limits,
// and the selectors its kind needs, each of which must compile. It returns
// an error wrapping lurewatch.ErrInvalid that lists every problem.
func (p *Profile) Validate() error {
	probs := p.problems()
	if len(probs) == 0 {
		return nil
	}
	msgs := make([]string, len(probs))
	for i, pr := range probs {
		if pr.path == "" {
			msgs[i] = pr.msg
		} else {
			msgs[i] = pr.path + ": " + pr.msg
		}
	}
	return fmt.Errorf("%w: profile %q: %s", lurewatch.ErrInvalid, p.Name, strings.Join(msgs, "; "))
}

func (p *Profile) problems() []problem {
	var probs []problem
	add := func(path, format string, args ...any) {
		probs = append(probs, problem{path, fmt.Sprintf(format, args...)})
	}

	switch {
	case p.Name == "":
		add("name", "name is required")
	case len(p.Name) > 64:
		add("name", "name %q is longer than 64 characters", p.Name)
	case !nameRE.MatchString(p.Name):
		add("name", "name %q must match [a-z0-9_-]+", p.Name)
	}

	p.kindProblems(add)

	for i, d := range p.AllowedDomains {
		if _, err := normalizeDomain(d); err != nil {
			add(fmt.Sprintf("allowed_domains[%d]", i), "%v", err)
		}
	}
	allowed := p.allowedHosts()
	if p.Kind == KindTelegram {
		if len(p.StartURLs) > 0 {
			add("start_urls", "start_urls is not used by kind telegram: list the channels under telegram.channels")
		}
		if p.Telegram != nil && len(p.AllowedDomains) > 0 {
			if u, err := url.Parse(p.Telegram.base()); err == nil && !allowed[strings.ToLower(u.Hostname())] {
				add("telegram.base_url", "host of base URL %q is not in allowed_domains", p.Telegram.base())
			}
		}
	} else {
		if len(p.StartURLs) == 0 {
			add("start_urls", "at least one start URL is required")
		}
		for i, raw := range p.StartURLs {
			path := fmt.Sprintf("start_urls[%d]", i)
			u, err := url.Parse(raw)
			if err != nil {
				add(path, "bad URL %q: %v", raw, errors.Unwrap(err))
				continue
			}
			if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
				add(path, "start URL %q must be an absolute http or https URL", raw)
				continue
			}
			if len(p.AllowedDomains) > 0 && !allowed[strings.ToLower(u.Hostname())] {
				add(path, "host of start URL %q is not in allowed_domains", raw)
			}
		}
	}

	if p.Delay < 0 {
		add("delay", "delay %v is negative", p.Delay)
	}
	if p.Parallelism < 0 || p.Parallelism > maxParallelism {
		add("parallelism", "parallelism %d is out of range 0-%d", p.Parallelism, maxParallelism)
	}
	if p.MaxPages < 0 || p.MaxPages > maxMaxPages {
		add("max_pages", "max_pages %d is out of range 0-%d", p.MaxPages, maxMaxPages)
	}
	if p.MaxDepth < 0 {
		add("max_depth", "max_depth %d is negative", p.MaxDepth)
	}

	checkSel := func(path, sel string, required bool) {
		if sel == "" {
			if required {
				add(path, "selector is required")
			}
			return
		}
		if _, err := cascadia.Compile(sel); err != nil {
			add(path, "bad selector %q: %v", sel, err)
		}
	}
	if h := p.HTML; h != nil {
		if p.Kind != KindSitemap && p.Kind != KindFeed {
			checkSel("html.ad_links", h.AdLinks, true)
			checkSel("html.next_page", h.NextPage, false)
		} else {
			if h.AdLinks != "" {
				add("html.ad_links", "ad_links is only for kind html (kind %s lists its ad pages itself)", p.Kind)
			}
			if h.NextPage != "" {
				add("html.next_page", "next_page is only for kind html")
			}
		}
		checkSel("html.ad.title", h.Ad.Title, true)
		checkSel("html.ad.body", h.Ad.Body, true)
		checkSel("html.ad.employer", h.Ad.Employer, false)
		checkSel("html.ad.location", h.Ad.Location, false)
		checkSel("html.ad.salary", h.Ad.Salary, false)
		checkSel("html.ad.posted", h.Ad.Posted, false)
		checkSel("html.ad.contact", h.Ad.Contact, false)
	}
	if j := p.JSONLD; j != nil {
		checkSel("jsonld.follow", j.Follow, false)
		checkSel("jsonld.next_page", j.NextPage, false)
	}
	if t := p.Telegram; t != nil {
		if t.BaseURL != "" {
			if err := checkBaseURL(t.BaseURL); err != nil {
				add("telegram.base_url", "%v", err)
			}
		}
		if len(t.Channels) == 0 {
			add("telegram.channels", "at least one channel is required")
		}
		if len(t.Channels) > maxChannels {
			add("telegram.channels", "%d channels is more than %d", len(t.Channels), maxChannels)
		}
		seen := make(map[string]bool)
		for i, c := range t.Channels {
			path := fmt.Sprintf("telegram.channels[%d]", i)
			switch {
			case !channelRE.MatchString(c):
				add(path, "channel %q must be a public channel name: letters, digits and underscores, no @ or URL", truncate(c, 100))
			case seen[strings.ToLower(c)]:
				add(path, "channel %q is listed twice", c)
			}
			seen[strings.ToLower(c)] = true
		}
	}
	if f := p.Feed; f != nil {
		switch f.Follow {
		case "", FollowJSONLD, FollowHTML:
		default:
			add("feed.follow", "unknown follow %q (want jsonld or html, or leave it out to take the entries as ads)", truncate(f.Follow, 100))
		}
	}
	if sm := p.Sitemap; sm != nil {
		if sm.MaxAge < 0 {
			add("sitemap.max_age", "max_age %v is negative", sm.MaxAge)
		}
		if len(sm.Match) > maxPatternLen {
			add("sitemap.match", "pattern is longer than %d bytes", maxPatternLen)
		} else if _, err := regexp.Compile(sm.Match); err != nil {
			add("sitemap.match", "bad pattern: %v", err)
		}
	}
	return probs
}

// allowedHosts returns the set of host names (lower case, no port) the
// profile may fetch from: AllowedDomains, or else the hosts of its start
// pages.
func (p *Profile) allowedHosts() map[string]bool {
	hosts := make(map[string]bool)
	for _, d := range p.AllowedDomains {
		if h, err := normalizeDomain(d); err == nil {
			hosts[h] = true
		}
	}
	if len(hosts) > 0 {
		return hosts
	}
	for _, st := range p.starts() {
		if u, err := url.Parse(st.url); err == nil && u.Hostname() != "" {
			hosts[strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")] = true
		}
	}
	return hosts
}

// kindProblems reports an unknown kind, and sections that the kind needs
// and lacks or does not use.
func (p *Profile) kindProblems(add func(path, format string, args ...any)) {
	need := func(ok bool, what string) {
		if !ok {
			add("kind", "kind %s needs %s", p.Kind, what)
		}
	}
	only := func(present bool, section, kinds string) {
		if present {
			add(section, "%s section is only for %s", section, kinds)
		}
	}
	follow := ""
	if p.Feed != nil {
		follow = p.Feed.Follow
	}
	switch p.Kind {
	case KindHTML:
		need(p.HTML != nil, "an html section with selectors")
	case KindJSONLD:
	case KindTelegram:
		need(p.Telegram != nil, "a telegram section with channels")
	case KindFeed:
		if follow == FollowHTML {
			need(p.HTML != nil, "an html section with ad selectors when feed.follow is html")
		}
	case KindSitemap:
	case "":
		add("kind", "kind is required (%s)", kindList)
		return
	default:
		add("kind", "unknown kind %q (want %s)", truncate(p.Kind, 100), kindList)
		return
	}
	htmlOK := p.Kind == KindHTML || p.Kind == KindSitemap || (p.Kind == KindFeed && follow == FollowHTML)
	only(p.HTML != nil && !htmlOK, "html", "kinds html and sitemap, and kind feed with follow: html")
	only(p.JSONLD != nil && p.Kind != KindJSONLD, "jsonld", "kind jsonld")
	only(p.Telegram != nil && p.Kind != KindTelegram, "telegram", "kind telegram")
	only(p.Feed != nil && p.Kind != KindFeed, "feed", "kind feed")
	only(p.Sitemap != nil && p.Kind != KindSitemap, "sitemap", "kind sitemap")
}

// checkBaseURL checks that raw is an absolute http(s) URL with nothing
// after the host (a trailing slash aside).
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("bad URL %q: %v", truncate(raw, 200), errors.Unwrap(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("base URL %q must be an absolute http or https URL", truncate(raw, 200))
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("base URL %q must be a scheme and host only, like %s", truncate(raw, 200), DefaultTelegramBase)
	}
	return nil
}

// normalizeDomain checks that d is a bare host name or IP address (no
// scheme, port or path) and returns it in lower case.
func normalizeDomain(d string) (string, error) {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if h == "" {
		return "", errors.New("empty domain")
	}
	if net.ParseIP(strings.Trim(h, "[]")) != nil {
		return strings.Trim(h, "[]"), nil
	}
	if strings.ContainsAny(h, "/:?#@ *") {
		return "", fmt.Errorf("domain %q must be a bare host name (no scheme, port, path or wildcard)", d)
	}
	return h, nil
}

// LoadProfile decodes a profile from data, the contents of the YAML file
// named file, strictly (unknown fields and duplicate keys are errors), and
// validates it. Every problem is reported as "file:line:col: message"; the
// error wraps lurewatch.ErrInvalid.
func LoadProfile(file string, data []byte) (*Profile, error) {
	var p Profile
	if err := yamlfile.Decode(file, data, &p); err != nil {
		return nil, err
	}
	f, err := yamlfile.Parse(file, data)
	if err != nil {
		return nil, err
	}
	probs := p.problems()
	if len(probs) == 0 {
		return &p, nil
	}
	errs := make(yamlfile.Errors, len(probs))
	for i, pr := range probs {
		pos, msg := posOf(file, f, pr.path, pr.msg)
		errs[i] = &yamlfile.Error{Pos: pos, Msg: msg}
	}
	return nil, errs
}

// posOf returns where the problem at path ("html.ad.title",
// "start_urls[0]") is: the value at path when the file has it (the key, for
// a section), else the key of its nearest ancestor present in the file (or
// the start of the file), in which case the message is prefixed with the
// path.
func posOf(file string, f *ast.File, path, msg string) (yamlfile.Pos, string) {
	key, val, ok := lookup(f, path)
	switch {
	case ok && isCollection(val) && key != val:
		return yamlfile.NodePos(file, key), msg // a section: point at its name
	case ok:
		return yamlfile.NodePos(file, val), msg
	case key != nil:
		return yamlfile.NodePos(file, key), path + ": " + msg
	case path != "":
		msg = path + ": " + msg
	}
	return yamlfile.Pos{File: file, Line: 1, Col: 1}, msg
}

func isCollection(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.SequenceNode:
		return true
	}
	return false
}

var segmentRE = regexp.MustCompile(`([^.\[\]]+)|\[(\d+)\]`)

// lookup walks path from the top of the file's first document. It returns
// the key and value of the deepest mapping entry (or sequence element) it
// reached, and whether it reached the end of path.
func lookup(f *ast.File, path string) (key, val ast.Node, ok bool) {
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, nil, false
	}
	cur := f.Docs[0].Body
	for _, m := range segmentRE.FindAllStringSubmatch(path, -1) {
		if name := m[1]; name != "" {
			mn, isMap := cur.(*ast.MappingNode)
			if !isMap {
				return key, val, false
			}
			var next *ast.MappingValueNode
			for _, mv := range mn.Values {
				if mv.Key != nil && mv.Key.GetToken() != nil && mv.Key.GetToken().Value == name {
					next = mv
					break
				}
			}
			if next == nil {
				return key, val, false
			}
			key, val, cur = next.Key, next.Value, next.Value
			continue
		}
		i, _ := strconv.Atoi(m[2])
		sn, isSeq := cur.(*ast.SequenceNode)
		if !isSeq || i >= len(sn.Values) {
			return key, val, false
		}
		key, val, cur = sn.Values[i], sn.Values[i], sn.Values[i]
	}
	return key, val, val != nil
}

// withDefaults returns a copy of the profile with zero limits replaced by
// their defaults.
func (p *Profile) withDefaults() *Profile {
	q := *p
	if q.Parallelism == 0 {
		q.Parallelism = DefaultParallelism
	}
	if q.MaxPages == 0 {
		q.MaxPages = DefaultMaxPages
	}
	return &q
}
