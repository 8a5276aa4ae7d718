// Package demosite serves Lantern Jobs, a small fictional job website that the
// lurewatch demo and end-to-end tests crawl on 127.0.0.1.
//
// The site mixes ordinary vacancies with recruitment lures written in the style
// that traffickers use to draw people into scam compounds in Cambodia, Myanmar
// and Laos, in English and in other languages. Every employer, person, handle,
// phone number, e-mail address and link on it is fictional; the only absolute
// URLs point at example.org, example.com, t.me and wa.me placeholders (and the
// schema.org vocabulary).
//
// Layout (the CSS classes are part of the contract: crawler profiles select on
// them):
//
//	/robots.txt                 User-agent: *, Disallow: /private/
//	/board/jobs                 listing page 1: a.job-link items, a.next to page 2
//	/board/jobs?page=2          listing page 2: a.job-link items, no a.next
//	/board/job/<slug>           article.job with h1.job-title, div.employer,
//	                            div.location, div.salary, time.posted[datetime],
//	                            div.job-description, div.contact
//	/careers/                   index: a.job-link to each JSON-LD page
//	/careers/<slug>.html        schema.org JobPosting JSON-LD plus a visible
//	                            rendering in article.posting
//	/private/, /private/secret-ad
//	                            disallowed by robots.txt; listing page 1 links to
//	                            the ad so a crawler that ignores robots.txt is caught
//
// The pages are plain files under site/, embedded in the binary.
package demosite

import (
	"bytes"
	"embed"
	"errors"
	"io/fs"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

//go:embed site
var siteFS embed.FS

// PrivateAdPath is the path of the one ad that robots.txt forbids. It is linked
// from the first job-board listing page; a crawler that honours robots.txt
// never fetches it, so no crawl result should ever carry it.
const PrivateAdPath = "/private/secret-ad"

// Source kinds used in ExpectedAd.Kind; they match lurewatch.Ad.SourceKind.
const (
	KindHTML   = "html"
	KindJSONLD = "jsonld"
)

// ExpectedAd is one ad the site carries and what a good detector should say
// about it.
type ExpectedAd struct {
	// Path is the URL path of the page that carries the ad.
	Path string
	// Index is the position of the posting among the schema.org JobPosting
	// objects on the page, in document order (script blocks in order, then the
	// elements of an array or @graph in order). It is 0 unless the page
	// carries several postings.
	Index int
	// Title is the ad's title exactly as posted (h1.job-title or the JSON-LD
	// "title").
	Title string
	// Lure is true for a recruitment lure, false for an honest ad (including
	// an NGO warning that quotes lure phrases).
	Lure bool
	// Kind is KindHTML for job-board pages, KindJSONLD for careers pages.
	Kind string
}

// expected lists the crawlable ads in crawl order: job-board page 1, page 2,
// then the careers pages in index order. The private ad is deliberately absent.
var expected = []ExpectedAd{
	{Path: "/board/job/customer-service-sihanoukville", Title: "Customer Service Staff – Sihanoukville, Cambodia (Free Flight + Housing)", Lure: true, Kind: KindHTML},
	{Path: "/board/job/staff-nurse-manchester", Title: "Staff Nurse (Band 5) – Acute Medical Unit", Lure: false, Kind: KindHTML},
	{Path: "/board/job/online-marketing-thailand-mae-sot", Title: "Online Marketing Assistant – Thailand (Mae Sot), THB 45,000 + Commission", Lure: true, Kind: KindHTML},
	{Path: "/board/job/warehouse-operative-rotterdam", Title: "Warehouse Operative – Night Shift (m/f/x)", Lure: false, Kind: KindHTML},
	{Path: "/board/job/typist-golden-triangle", Title: "高薪诚聘打字员／在线客服 – 老挝金三角，月薪1.5万起", Lure: true, Kind: KindHTML},
	{Path: "/board/job/barista-leeds", Title: "Barista – Full Time (40 hours)", Lure: false, Kind: KindHTML},
	{Path: "/board/job/cskh-bavet-campuchia", Title: "Tuyển gấp nhân viên CSKH tại Bavet, Campuchia – lương 1.200 USD", Lure: true, Kind: KindHTML},
	{Path: "/board/job/front-desk-receptionist-phnom-penh", Title: "Front Desk Receptionist", Lure: false, Kind: KindHTML},
	{Path: "/board/job/chat-support-kk-park", Title: "Chat Support / Encoder – Myawaddy (KK Park), ₱55,000 kada buwan", Lure: true, Kind: KindHTML},
	{Path: "/board/job/warning-fake-job-offers", Title: "WARNING: Fake ‘Customer Service’ Job Offers in Cambodia, Myanmar and Laos", Lure: false, Kind: KindHTML},
	{Path: "/careers/backend-engineer-singapore.html", Title: "Senior Backend Engineer (Go) – Payments Platform", Lure: false, Kind: KindJSONLD},
	{Path: "/careers/vip-casino-host-poipet.html", Title: "VIP Casino Host / Online Gaming Agent – Poipet, USD 1,800 + Commission", Lure: true, Kind: KindJSONLD},
	{Path: "/careers/loker-pilihan-minggu-ini.html", Index: 0, Title: "Admin Live Chat – Penempatan Kamboja, Gaji Rp 15 Juta", Lure: true, Kind: KindJSONLD},
	{Path: "/careers/loker-pilihan-minggu-ini.html", Index: 1, Title: "Kurir Pengiriman Paket – Surabaya (Motor Sendiri)", Lure: false, Kind: KindJSONLD},
	{Path: "/careers/licensed-overseas-placements.html", Index: 0, Title: "Care Worker – Osaka, Japan (Specified Skilled Worker Visa)", Lure: false, Kind: KindJSONLD},
	{Path: "/careers/licensed-overseas-placements.html", Index: 1, Title: "Welder (Boilermaker) – Perth, Australia (Employer-Sponsored Visa)", Lure: false, Kind: KindJSONLD},
	{Path: "/careers/crypto-admin-tachileik.html", Title: "ด่วน! รับสมัครแอดมินคริปโต ทำงานที่ท่าขี้เหล็ก เงินเดือน 35,000 บาท", Lure: true, Kind: KindJSONLD},
	{Path: "/careers/client-relations-shwe-kokko.html", Title: "Client Relations Executive (Crypto Investment) – Shwe Kokko New City", Lure: true, Kind: KindJSONLD},
}

// Expected returns every crawlable ad the site carries, in crawl order, with
// the verdict a good detector should reach. The ad under /private/ is not
// listed: robots.txt forbids it (see PrivateAdPath). The caller may modify the
// returned slice.
func Expected() []ExpectedAd {
	out := make([]ExpectedAd, len(expected))
	copy(out, expected)
	return out
}

// Handler serves the whole demo site. It answers GET and HEAD only, with
// text/html (or text/plain for robots.txt) in UTF-8, and a 404 page for any
// path it does not know. It is safe for concurrent use.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

// redirects sends directory-ish paths to their canonical page.
var redirects = map[string]string{
	"/board":              "/board/jobs",
	"/board/":             "/board/jobs",
	"/board/jobs/":        "/board/jobs",
	"/careers":            "/careers/",
	"/careers/index.html": "/careers/",
	"/private":            "/private/",
	"/index.html":         "/",
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// errNotFound reports a path that maps to no page.
var errNotFound = errors.New("demosite: no such page")

func serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if to, ok := redirects[r.URL.Path]; ok {
		http.Redirect(w, r, to, http.StatusMovedPermanently)
		return
	}
	name, err := resolve(r.URL.Path, r.URL.Query())
	var body []byte
	if err == nil {
		body, err = fs.ReadFile(siteFS, "site/"+name)
	}
	if err != nil {
		notFound(w)
		return
	}
	ctype := "text/html; charset=utf-8"
	if strings.HasSuffix(name, ".txt") {
		ctype = "text/plain; charset=utf-8"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

// resolve maps a URL path (and, for the listing, its page parameter) to a file
// under site/. It returns errNotFound for paths that name no page; the caller
// also treats a missing file as not found.
func resolve(p string, q map[string][]string) (string, error) {
	switch {
	case p == "/":
		return "index.html", nil
	case p == "/robots.txt":
		return "robots.txt", nil
	case p == "/board/jobs":
		page := 1
		if v := q["page"]; len(v) > 0 {
			n, err := strconv.Atoi(v[0])
			if err != nil || n < 1 {
				return "", errNotFound
			}
			page = n
		}
		if page == 1 {
			return "board/jobs.html", nil
		}
		return "board/jobs-" + strconv.Itoa(page) + ".html", nil
	case p == "/careers/":
		return "careers/index.html", nil
	case p == "/private/":
		return "private/index.html", nil
	}
	if slug, ok := strings.CutPrefix(p, "/board/job/"); ok && slugRE.MatchString(slug) {
		return "board/job/" + slug + ".html", nil
	}
	if rest, ok := strings.CutPrefix(p, "/careers/"); ok {
		if slug, ok := strings.CutSuffix(rest, ".html"); ok && slugRE.MatchString(slug) && slug != "index" {
			return "careers/" + slug + ".html", nil
		}
	}
	if slug, ok := strings.CutPrefix(p, "/private/"); ok && slugRE.MatchString(slug) && slug != "index" {
		return "private/" + slug + ".html", nil
	}
	return "", errNotFound
}

func notFound(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusNotFound)
	body, err := fs.ReadFile(siteFS, "site/404.html")
	if err != nil {
		body = []byte("<!DOCTYPE html><title>Not found</title><p>Not found</p>\n")
	}
	_, _ = w.Write(body)
}
