package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
)

// defaultCrawlDelay spaces the requests of a source given by --kind and
// --url, which has no profile to say how politely to fetch it.
const defaultCrawlDelay = 500 * time.Millisecond

// crawlKinds are the kinds `crawl --kind` accepts without a profile.
var crawlKinds = []string{crawler.KindTelegram, crawler.KindFeed, crawler.KindSitemap, crawler.KindJSONLD}

func runCrawl(ctx context.Context, a *App, args []string) error {
	fs := a.newFlags("crawl", "(--profile FILE | --kind KIND --url URL) --once --jsonl",
		"Crawl one source once, without the queue, and print every ad found as one JSON\n"+
			"line on standard output (a lurewatch.Ad: id, url, title, text, posted_at,\n"+
			"source, ...); logs go to standard error. Try a source with a profile file\n"+
			"(see configs/sources/), or with a kind and a URL:\n\n"+
			"  --kind telegram --url https://t.me/s/CHANNEL   a public channel's posts\n"+
			"  --kind feed     --url FEED                      RSS or Atom entries\n"+
			"  --kind sitemap  --url SITEMAP                   JSON-LD JobPostings of the listed pages\n"+
			"  --kind jsonld   --url PAGE                      JSON-LD JobPostings of one page\n\n"+
			"Kind html needs CSS selectors, so a profile. With --profile, --url replaces\n"+
			"the profile's start URLs (for kind telegram, its channels). robots.txt is\n"+
			"obeyed and private addresses refused (--allow-private allows them).\n"+
			"Exit status: 0 when the run succeeded, 1 when it failed, 2 on a usage error.")
	profilePath := fs.String("profile", "", "source profile file (YAML)")
	kind := fs.String("kind", "", "source kind without a profile: "+strings.Join(crawlKinds, ", "))
	rawURL := fs.String("url", "", "URL to crawl: a channel, feed, sitemap or page as --kind says")
	name := fs.String("name", "", "source name, part of every ad id (default: the profile's, or made from the kind and URL)")
	once := fs.Bool("once", false, "crawl once and exit (required for now)")
	jsonl := fs.Bool("jsonl", false, "print the ads as JSON Lines (required for now: the only output)")
	allowPrivate := fs.Bool("allow-private", false, "allow private and loopback addresses")
	maxPages := fs.Int("max-pages", 0, "fetch at most this many pages (default: the profile's, or 100)")
	delay := fs.Duration("delay", 0, "least time between two requests to one host (default: the profile's, or 500ms)")
	timeout := fs.Duration("timeout", 0, "give up after this long (default: no limit)")
	logFormat := fs.String("log-format", "auto", "log format: auto, console or json")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if err := parse(fs, args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() != 0:
		return fmt.Errorf("%w: crawl takes no arguments (give the URL with --url)", errUsage)
	case !*once:
		return fmt.Errorf("%w: --once is required for now (scheduled crawling runs under 'lurewatch run')", errUsage)
	case !*jsonl:
		return fmt.Errorf("%w: --jsonl is required for now (JSON Lines is the only output)", errUsage)
	case *profilePath != "" && *kind != "":
		return fmt.Errorf("%w: give --profile or --kind, not both (the profile names its kind)", errUsage)
	case *profilePath == "" && *kind == crawler.KindHTML:
		return fmt.Errorf("%w: kind html needs CSS selectors: give them in a profile with --profile FILE "+
			"(see configs/sources/example-board.yaml)", errUsage)
	case *profilePath == "" && (*kind == "" || *rawURL == ""):
		return fmt.Errorf("%w: give --profile FILE, or --kind KIND and --url URL", errUsage)
	case *maxPages < 0 || *maxPages > crawler.MaxPagesLimit:
		return fmt.Errorf("%w: --max-pages %d is out of range 1-%d", errUsage, *maxPages, crawler.MaxPagesLimit)
	case *delay < 0 || *timeout < 0:
		return fmt.Errorf("%w: --delay and --timeout cannot be negative", errUsage)
	}

	var p *crawler.Profile
	if *profilePath != "" {
		data, err := os.ReadFile(*profilePath)
		if err != nil {
			return fmt.Errorf("read profile: %w", err)
		}
		if p, err = crawler.LoadProfile(*profilePath, data); err != nil {
			return err
		}
		if *rawURL != "" {
			if err := setURL(p, *rawURL); err != nil {
				return fmt.Errorf("%w: %w", errUsage, err)
			}
		}
	} else {
		var err error
		if p, err = flagProfile(*kind, *rawURL); err != nil {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		p.Delay = defaultCrawlDelay
	}
	if *name != "" {
		p.Name = *name
	}
	if *maxPages > 0 {
		p.MaxPages = *maxPages
	}
	if set["delay"] {
		p.Delay = *delay
	}
	if err := p.Validate(); err != nil {
		if *profilePath == "" || set["url"] || set["name"] {
			return fmt.Errorf("%w: %w", errUsage, err) // the flags made it invalid
		}
		return err
	}

	prog := newProgress(a.Stderr) // a live status line on a terminal; nil otherwise
	defer prog.stop()
	log, err := newLogger(prog.logWriter(a.Stderr), prog.logFormat(*logFormat), *logLevel)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	defer log.Sync()
	if *timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	c := crawler.New(crawler.Options{AllowPrivate: *allowPrivate, Logger: log, Observer: prog.observer()})
	pub := newJSONLPublisher(a.Stdout)
	if _, err := c.Run(ctx, p, pub); err != nil {
		return err
	}
	return nil
}

// flagProfile builds the profile of a source given on the command line by
// its kind and URL. Its name is made from both: "telegram-<channel>", or
// the kind and the URL's host.
func flagProfile(kind, rawURL string) (*crawler.Profile, error) {
	known := false
	for _, k := range crawlKinds {
		known = known || k == kind
	}
	if !known {
		return nil, fmt.Errorf("unknown kind %q (want %s; kind html needs --profile)", kind, strings.Join(crawlKinds, ", "))
	}
	p := &crawler.Profile{Kind: kind}
	if err := setURL(p, rawURL); err != nil {
		return nil, err
	}
	if kind == crawler.KindTelegram {
		p.Name = sourceName("telegram-" + p.Telegram.Channels[0])
	} else {
		host := "source"
		if u, err := url.Parse(rawURL); err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		p.Name = sourceName(kind + "-" + host)
	}
	return p, nil
}

// setURL makes rawURL the one start page of p: its start URL, or for kind
// telegram its one channel and the base URL of the channel's preview.
func setURL(p *crawler.Profile, rawURL string) error {
	if p.Kind != crawler.KindTelegram {
		u, err := url.Parse(rawURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--url %q must be an absolute http or https URL", rawURL)
		}
		p.StartURLs = []string{rawURL}
		return nil
	}
	base, channel, err := crawler.ParseTelegramURL(rawURL)
	if err != nil {
		return err
	}
	p.Telegram = &crawler.TelegramOptions{BaseURL: base, Channels: []string{channel}}
	return nil
}

// sourceName turns s into a valid source name: lower case, every run of
// characters other than [a-z0-9_] made one "-", at most 64 bytes.
func sourceName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return truncateASCII(strings.Trim(b.String(), "-"), 64)
}

func truncateASCII(s string, n int) string {
	if len(s) > n {
		return strings.TrimRight(s[:n], "-")
	}
	return s
}

// jsonlPublisher is a crawler.Publisher that writes each ad it is given
// as one line of JSON (lurewatch.Ad) to w, as soon as it is found.
type jsonlPublisher struct {
	mu  sync.Mutex
	enc *json.Encoder
}

var _ crawler.Publisher = (*jsonlPublisher)(nil)

func newJSONLPublisher(w io.Writer) *jsonlPublisher {
	return &jsonlPublisher{enc: json.NewEncoder(w)}
}

// PublishAd writes ad as one JSON line. An error writing it (standard
// output closed, say) fails the crawl run.
func (p *jsonlPublisher) PublishAd(_ context.Context, ad *lurewatch.Ad) error {
	if ad == nil {
		return errors.New("write ad: nil ad")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.enc.Encode(ad); err != nil {
		return fmt.Errorf("write ad %s: %w", ad.ID, err)
	}
	return nil
}
