package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/demosite"
	"github.com/lurewatch/lurewatch/pipeline"
	"github.com/lurewatch/lurewatch/storage"
)

// demoProfiles are the two sources of the bundled demo site at base: its
// job board (CSS selectors) and its careers pages (JSON-LD).
func demoProfiles(base string) []*crawler.Profile {
	return []*crawler.Profile{
		{
			Name:        "demo-board",
			Kind:        crawler.KindHTML,
			StartURLs:   []string{base + "/board/jobs"},
			Delay:       20 * time.Millisecond,
			Parallelism: 2,
			MaxPages:    50,
			HTML: &crawler.HTMLSelectors{
				AdLinks:  "a.job-link",
				NextPage: "a.next",
				Ad: crawler.AdSelectors{
					Title: "article.job h1.job-title", Body: "article.job div.job-description",
					Employer: "article.job .employer", Location: "article.job .location",
					Salary: "article.job .salary", Posted: "article.job time.posted",
					Contact: "article.job .contact",
				},
			},
		},
		{
			Name:        "demo-careers",
			Kind:        crawler.KindJSONLD,
			StartURLs:   []string{base + "/careers/"},
			Delay:       20 * time.Millisecond,
			Parallelism: 2,
			MaxPages:    50,
			JSONLD:      &crawler.JSONLDOptions{Follow: "a.job-link"},
		},
	}
}

func runDemo(ctx context.Context, a *App, args []string) error {
	fs := a.newFlags("demo", "",
		"Serve a bundled fictional job site on 127.0.0.1, run the whole pipeline\n"+
			"(embedded NATS, crawler, detector workers, SQLite) against it in a temporary\n"+
			"data dir, and print a table of the flagged ads. Without --once it keeps\n"+
			"running, re-crawling every --interval, until interrupted.")
	once := fs.Bool("once", false, "exit as soon as every crawled ad is assessed and stored")
	rules := fs.String("rules", "", "rules file (default: the rules built into the binary)")
	dataDir := fs.String("data-dir", "", "keep data in this directory (default: a temporary one, removed at exit)")
	interval := fs.Duration("interval", time.Minute, "time between crawls without --once")
	logLevel := fs.String("log-level", "warn", "log level: debug, info, warn, error")
	timeout := fs.Duration("timeout", 2*time.Minute, "with --once, give up after this long")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: demo takes no arguments", errUsage)
	}
	log, err := newLogger(a.Stderr, "auto", *logLevel)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	defer log.Sync()
	det, err := loadDetector(*rules)
	if err != nil {
		return err
	}

	dir := *dataDir
	if dir == "" {
		dir, err = os.MkdirTemp("", "lurewatch-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(dir)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo: listen: %w", err)
	}
	site := &http.Server{Handler: demosite.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go site.Serve(ln)
	defer site.Close()
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(a.Stdout, "Demo job site: %s/board/jobs and %s/careers/ (fictional ads)\n", base, base)

	sys, err := openSystem(ctx, systemOptions{
		DataDir:  dir,
		Detector: det,
		Workers:  2,
		Crawler:  crawler.Options{AllowPrivate: true, UserAgent: crawler.DefaultUserAgent},
		Logger:   log,
	})
	if err != nil {
		return err
	}
	defer sys.Close()

	runCtx := ctx
	if *once {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, *timeout)
		defer cancel()
	}
	for {
		start := time.Now()
		found, published, err := demoCrawl(runCtx, sys.pipeline, demoProfiles(base))
		if err != nil {
			if ctx.Err() != nil {
				return nil // interrupted
			}
			return err
		}
		fmt.Fprintf(a.Stdout, "Crawled %d ads in %v: %d new or changed, assessed and stored; %d unchanged since the last crawl.\n\n",
			found, time.Since(start).Round(time.Millisecond), published, found-published)
		if err := printFlagged(ctx, a.Stdout, sys.db); err != nil {
			return err
		}
		if *once {
			return nil
		}
		fmt.Fprintf(a.Stdout, "\nData dir: %s. Next crawl in %v; Ctrl-C to stop.\n", dir, *interval)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(*interval):
		}
	}
}

// demoCrawl crawls every profile and waits until every ad it published
// (new or changed since the last crawl) is assessed and stored. It returns
// how many ads the crawl found and how many of those it published.
func demoCrawl(ctx context.Context, p *pipeline.Pipeline, profiles []*crawler.Profile) (found, published int, err error) {
	var all []pipeline.Published
	for _, prof := range profiles {
		run, pub, err := p.Crawl(ctx, prof)
		if err != nil {
			return 0, 0, err
		}
		found += run.Ads + run.AdsUnchanged
		all = append(all, pub...)
	}
	if found == 0 {
		return 0, 0, errors.New("demo: the crawl found no ads")
	}
	published, err = p.WaitStored(ctx, all)
	return found, published, err
}

// printFlagged writes a table of the ads assessed medium or above.
func printFlagged(ctx context.Context, w io.Writer, db *storage.DB) error {
	all, err := db.ListAssessed(ctx, lurewatch.LevelNone, 0)
	if err != nil {
		return err
	}
	var flagged []storage.Flagged
	for _, f := range all {
		if f.Level.Flagged() {
			flagged = append(flagged, f)
		}
	}
	fmt.Fprintf(w, "%d of %d ads flagged (level medium or above):\n\n", len(flagged), len(all))
	rows := [][]string{{"SCORE", "LEVEL", "SOURCE", "TITLE", "TOP INDICATORS"}}
	for _, f := range flagged {
		as, err := db.Assessment(ctx, f.Ad.ID)
		if err != nil {
			return err
		}
		var top []string
		for i, ind := range as.Indicators {
			if i == 3 {
				break
			}
			top = append(top, ind.ID)
		}
		rows = append(rows, []string{strconv.Itoa(f.Score), f.Level.String(), terminalSafe(f.Ad.Source, 30),
			terminalSafe(f.Ad.Title, 60), terminalSafe(strings.Join(top, ", "), 100)})
	}
	return writeTable(w, rows)
}

// writeTable writes rows as columns padded to their display width, counting
// wide (CJK) characters as two cells and combining marks as none, so tables
// of ads in any script line up on a terminal.
func writeTable(w io.Writer, rows [][]string) error {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// displayWidth is how many terminal cells s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		case width.LookupRune(r).Kind() == width.EastAsianWide, width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// terminalSafe makes hostile ad text safe to print on a terminal: control
// characters (escape sequences among them) and tabs become spaces, and the
// result is cut to at most n characters.
func terminalSafe(s string, n int) string {
	var b strings.Builder
	count := 0
	for _, r := range s {
		if count == n {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) || r == unicode.ReplacementChar || unicode.Is(unicode.Bidi_Control, r) {
			r = ' '
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}
