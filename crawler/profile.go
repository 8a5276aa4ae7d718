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
	// maxMaxPages bounds one run.
	maxMaxPages = 100_000
)

var nameRE = regexp.MustCompile(`^[a-z0-9_-]+$`)

// Profile describes one source: where a crawl starts, which hosts it may
// visit, how politely, and how ads are found on its pages. It is loaded from
// a YAML file with LoadProfile or built in Go code; either way Validate
// checks it before a run.
type Profile struct {
	// Name identifies the source; it is unique among sources, matches
	// [a-z0-9_-]+ and becomes part of the NATS subject lurewatch.ads.<name>.
	Name string `yaml:"name"`
	// Kind is KindHTML or KindJSONLD.
	Kind string `yaml:"kind"`
	// StartURLs are the pages a run starts from: listing pages for
	// KindHTML; listing or job pages for KindJSONLD.
	StartURLs []string `yaml:"start_urls"`
	// AllowedDomains lists the host names a run may fetch from. Empty means
	// the hosts of StartURLs.
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
	// HTML holds the selectors of a KindHTML source (required for it).
	HTML *HTMLSelectors `yaml:"html,omitempty"`
	// JSONLD holds the link-following options of a KindJSONLD source
	// (optional: without it, only the start URLs are read).
	JSONLD *JSONLDOptions `yaml:"jsonld,omitempty"`
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

	switch p.Kind {
	case KindHTML:
		if p.HTML == nil {
			add("kind", "kind html needs an html section with selectors")
		}
		if p.JSONLD != nil {
			add("jsonld", "jsonld section is only for kind jsonld")
		}
	case KindJSONLD:
		if p.HTML != nil {
			add("html", "html section is only for kind html")
		}
	case "":
		add("kind", "kind is required (html or jsonld)")
	default:
		add("kind", "unknown kind %q (want html or jsonld)", p.Kind)
	}

	for i, d := range p.AllowedDomains {
		if _, err := normalizeDomain(d); err != nil {
			add(fmt.Sprintf("allowed_domains[%d]", i), "%v", err)
		}
	}
	allowed := p.allowedHosts()
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
		checkSel("html.ad_links", h.AdLinks, true)
		checkSel("html.next_page", h.NextPage, false)
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
	return probs
}

// allowedHosts returns the set of host names (lower case, no port) the
// profile may fetch from: AllowedDomains, or else the hosts of StartURLs.
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
	for _, raw := range p.StartURLs {
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			hosts[strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")] = true
		}
	}
	return hosts
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

// nodeAt returns the value at path, or nil.
func nodeAt(f *ast.File, path string) ast.Node {
	if _, val, ok := lookup(f, path); ok {
		return val
	}
	return nil
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
