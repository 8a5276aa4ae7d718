package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/storage"
	"github.com/lurewatch/lurewatch/warc"
)

// The database keeps the crawler's evidence.
var _ crawler.Evidence = (*storage.DB)(nil)

func runExport(ctx context.Context, a *App, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(a.Stderr, "Usage: lurewatch export warc [flags] FILE\n\nFormats: warc.")
			return nil
		}
		return fmt.Errorf("%w: export needs a format: lurewatch export warc --since TIME FILE", errUsage)
	}
	switch args[0] {
	case "warc":
		return runExportWARC(ctx, a, args[1:])
	}
	return fmt.Errorf("%w: unknown export format %q (want warc)", errUsage, args[0])
}

func runExportWARC(ctx context.Context, a *App, args []string) error {
	fs := a.newFlags("export warc", "--since TIME FILE",
		"Write the pages kept as evidence and fetched since TIME as a WARC 1.1 file\n"+
			"(ISO 28500): a warcinfo record, then one response record per page with\n"+
			"its HTTP status line, headers and body as received. A FILE ending in .gz\n"+
			"is gzipped record by record (.warc.gz). TIME is RFC 3339\n"+
			"(2026-11-01T00:00:00Z) or a duration back from now (24h, 90m).\n"+
			"A page fetched again unchanged counts at its latest fetch; its record\n"+
			"carries the time it was first fetched with that content.")
	configPath := fs.String("config", "", "run config whose data_dir holds the database")
	dataDir := fs.String("data-dir", "", "data directory holding lurewatch.db (default: the config's, or ./data)")
	since := fs.String("since", "", "export pages fetched since this time (RFC 3339 or a duration such as 24h)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *since == "" {
		return fmt.Errorf("%w: export warc needs --since TIME and one FILE", errUsage)
	}
	if *configPath != "" && *dataDir != "" {
		return fmt.Errorf("%w: give --config or --data-dir, not both", errUsage)
	}
	from, err := parseSince(*since, time.Now())
	if err != nil {
		return fmt.Errorf("%w: --since: %w", errUsage, err)
	}
	dir := *dataDir
	if *configPath != "" {
		cfg, err := loadConfig(*configPath)
		if err != nil {
			return err
		}
		dir = cfg.DataDir
	}
	if dir == "" {
		dir = "data"
	}
	dbPath := filepath.Join(dir, "lurewatch.db")
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	db, err := storage.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := exportWARC(ctx, db, from, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stderr, "wrote %d pages fetched since %s to %s\n", n, from.UTC().Format(time.RFC3339), fs.Arg(0))
	return nil
}

// parseSince reads an RFC 3339 time, or a duration back from now.
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a positive duration", s)
	}
	return now.Add(-d), nil
}

// exportWARC writes the pages of db last fetched since from to the WARC
// file at path and returns how many it wrote. It writes to a temporary file
// beside path and renames it when complete, so a failed export leaves no
// partial file.
func exportWARC(ctx context.Context, db *storage.DB, from time.Time, path string) (n int, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("export warc: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	w, err := warc.NewWriter(f, warc.Options{
		Gzip:        strings.HasSuffix(strings.ToLower(path), ".gz"),
		Filename:    filepath.Base(path),
		Software:    "lurewatch/" + version,
		Description: "pages kept as evidence by lurewatch, fetched since " + from.UTC().Format(time.RFC3339),
	})
	if err != nil {
		return 0, fmt.Errorf("export warc %s: %w", path, err)
	}
	err = db.EachPage(ctx, from, func(p *lurewatch.Page) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := w.WritePage(p); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("export warc %s: %w", path, err)
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return 0, fmt.Errorf("export warc %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return 0, fmt.Errorf("export warc %s: %w", path, err)
	}
	return n, nil
}
