package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/detector"
)

func runRun(ctx context.Context, a *App, args []string) error {
	fs := a.newFlags("run", "--config FILE",
		"Run everything in one process: the NATS server (embedded unless nats.url is\n"+
			"set), the crawler on each source's schedule, detector workers and the\n"+
			"SQLite writer, until SIGINT or SIGTERM; then drain and stop cleanly.")
	configPath := fs.String("config", "", "config file (see configs/lurewatch.yaml)")
	natsURL := fs.String("nats-url", "", "external NATS server or cluster (overrides nats.url)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *configPath == "" || fs.NArg() != 0 {
		return fmt.Errorf("%w: run needs --config FILE and no arguments", errUsage)
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		return err
	}
	if *natsURL != "" {
		cfg.NATS.URL = *natsURL
	}
	log, err := newLogger(a.Stderr, cfg.Log.Format, cfg.Log.Level)
	if err != nil {
		return err
	}
	defer log.Sync()
	// rulesData is the content the rules were compiled from: the watcher
	// reloads when the file no longer holds it.
	det, rulesData, err := loadRules(cfg.Detector.Rules)
	if err != nil {
		return err
	}
	ua := cfg.Crawler.UserAgent
	if ua == "" {
		ua = "lurewatch/" + version
	}
	if cfg.Crawler.ContactURL != "" {
		ua += " (+" + cfg.Crawler.ContactURL + ")"
	}
	m := newMetrics(cfg.Metrics)
	sys, err := openSystem(ctx, systemOptions{
		Metrics:  m,
		DataDir:  cfg.DataDir,
		NATS:     cfg.NATS,
		Detector: det,
		Workers:  cfg.Detector.Workers,
		Crawler: crawler.Options{
			UserAgent:      ua,
			AllowPrivate:   cfg.Crawler.AllowPrivate,
			RequestTimeout: cfg.Crawler.RequestTimeout,
		},
		Logger: log,
	})
	if err != nil {
		return err
	}
	ms, err := startMetrics(ctx, log, cfg.Metrics.Listen, m, sys.queue)
	if err != nil {
		return errors.Join(err, sys.Close())
	}
	log.Info("lurewatch running", zap.String("data_dir", cfg.DataDir), zap.Int("sources", len(cfg.Sources)),
		zap.String("rules_version", det.RulesVersion()))

	var wg sync.WaitGroup
	for _, src := range cfg.Sources {
		wg.Go(func() { sys.pipeline.Schedule(ctx, src.profile, src.schedule) })
	}
	if cfg.Detector.Rules != "" {
		wg.Go(func() { watchRules(ctx, log, sys, cfg.Detector.Rules, rulesData) })
	}
	<-ctx.Done()
	log.Info("shutting down")
	wg.Wait()
	return errors.Join(ms.Close(), sys.Close())
}

// rulesPollInterval is how often run checks the rules file for changes.
var rulesPollInterval = 5 * time.Second

// watchRules reloads the rules file when it changes, and swaps the new rules
// in only if they compile; otherwise it logs the errors and keeps the old.
// last is the content the running rules were loaded from.
func watchRules(ctx context.Context, log *zap.Logger, sys *system, path string, last []byte) {
	t := time.NewTicker(rulesPollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		data, err := os.ReadFile(path)
		if err != nil || bytes.Equal(data, last) {
			continue
		}
		last = data
		det, err := detector.Load(path, data)
		if err != nil {
			log.Error("rules changed but do not compile; keeping the old rules", zap.Error(err))
			continue
		}
		sys.pipeline.SetAssessor(det)
		log.Info("rules reloaded", zap.String("rules_version", det.RulesVersion()))
	}
}
