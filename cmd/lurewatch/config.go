package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/robfig/cron/v3"

	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/internal/yamlfile"
	"github.com/lurewatch/lurewatch/pipeline"
)

// Config is the file given to `lurewatch run --config FILE`. Relative paths
// in it are relative to the file's directory.
type Config struct {
	// DataDir holds the SQLite database and the embedded NATS store.
	DataDir string     `yaml:"data_dir"`
	NATS    NATSConfig `yaml:"nats"`
	Log     LogConfig  `yaml:"log"`
	Crawler struct {
		// UserAgent names lurewatch; ContactURL is appended so site
		// owners can reach the operator.
		UserAgent      string        `yaml:"user_agent"`
		ContactURL     string        `yaml:"contact_url"`
		AllowPrivate   bool          `yaml:"allow_private"`
		RequestTimeout time.Duration `yaml:"request_timeout"`
	} `yaml:"crawler"`
	Detector struct {
		// Rules is the rules file; empty uses the rules built into the
		// binary.
		Rules   string `yaml:"rules"`
		Workers int    `yaml:"workers"`
	} `yaml:"detector"`
	Sources []SourceConfig `yaml:"sources"`
	// Metrics says where Prometheus metrics are served (off when empty).
	Metrics MetricsConfig `yaml:"metrics"`

	file string
}

// NATSConfig says which NATS server to use.
type NATSConfig struct {
	// URL of an external server or cluster; empty runs an embedded one.
	URL string `yaml:"url"`
	// Listen makes the embedded server listen on a loopback address too.
	Listen string `yaml:"listen"`
	// Replicas of each stream on a cluster.
	Replicas int `yaml:"replicas"`
}

// LogConfig sets the log format ("auto", "console", "json") and level.
type LogConfig struct {
	Format string `yaml:"format"`
	Level  string `yaml:"level"`
}

// SourceConfig names a source profile file and when to crawl it: every
// Interval, or when the cron expression Schedule says; at most one of the
// two may be given, and without either the interval is 6h.
type SourceConfig struct {
	Profile  string        `yaml:"profile"`
	Interval time.Duration `yaml:"interval"`
	// Schedule is a standard 5-field cron expression ("*/30 * * * *":
	// minute, hour, day of month, month, day of week; descriptors such as
	// "@hourly" too), in the local time zone unless it starts with
	// CRON_TZ=<zone>.
	Schedule string `yaml:"schedule"`

	profile  *crawler.Profile
	schedule pipeline.Schedule
}

// loadConfig reads, decodes and checks the config file at path, and loads
// every source profile it names. Errors read "file:line:col: message".
func loadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	var c Config
	if err := yamlfile.Decode(path, data, &c); err != nil {
		return nil, err
	}
	c.file = path
	dir := filepath.Dir(path)
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	var errs yamlfile.Errors
	at := func(yamlPath, format string, args ...any) {
		errs = append(errs, &yamlfile.Error{Pos: locate(path, data, yamlPath), Msg: fmt.Sprintf(format, args...)})
	}
	if c.DataDir == "" {
		c.DataDir = "data"
	}
	c.DataDir = abs(c.DataDir)
	if c.Log.Format == "" {
		c.Log.Format = "auto"
	}
	switch c.Log.Format {
	case "auto", "console", "json":
	default:
		at("$.log.format", "log format %q: want auto, console or json", c.Log.Format)
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	if _, err := parseLogLevel(c.Log.Level); err != nil {
		at("$.log.level", "%v", err)
	}
	if c.Detector.Workers < 0 {
		at("$.detector.workers", "workers must be 1 or more")
	}
	c.Detector.Rules = abs(c.Detector.Rules)
	if err := c.Metrics.check(); err != nil {
		at("$.metrics.listen", "%v", err)
	}
	if c.Crawler.RequestTimeout < 0 {
		at("$.crawler.request_timeout", "request_timeout must be positive")
	}
	seen := map[string]int{}
	for i := range c.Sources {
		s := &c.Sources[i]
		key := fmt.Sprintf("$.sources[%d]", i)
		if s.Profile == "" {
			at(key, "source %d: profile is required", i)
			continue
		}
		switch {
		case s.Schedule != "" && s.Interval != 0:
			at(key+".schedule", "source %d: give interval or schedule, not both", i)
		case s.Schedule != "":
			sched, err := cron.ParseStandard(s.Schedule)
			if err != nil {
				at(key+".schedule", "schedule %q: %v (want a 5-field cron expression such as \"*/30 * * * *\")", s.Schedule, err)
			} else if sched.Next(time.Now()).IsZero() {
				at(key+".schedule", "schedule %q never comes due", s.Schedule)
			}
			s.schedule = sched
		default:
			if s.Interval == 0 {
				s.Interval = 6 * time.Hour
			}
			if s.Interval < time.Minute {
				at(key+".interval", "interval %v is too short: at least 1m", s.Interval)
			}
			s.schedule = pipeline.Every(s.Interval)
		}
		s.Profile = abs(s.Profile)
		pdata, err := os.ReadFile(s.Profile)
		if err != nil {
			at(key+".profile", "read profile: %v", err)
			continue
		}
		s.profile, err = crawler.LoadProfile(s.Profile, pdata)
		if err != nil {
			return nil, err
		}
		if j, dup := seen[s.profile.Name]; dup {
			at(key+".profile", "source name %q is already used by sources[%d]", s.profile.Name, j)
		}
		seen[s.profile.Name] = i
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &c, nil
}

// locate returns the position of the node at yamlPath (for example
// "$.sources[0].interval") in data, or of the file's start when there is no
// such node.
func locate(file string, data []byte, yamlPath string) yamlfile.Pos {
	f, err := yamlfile.Parse(file, data)
	if err != nil {
		return yamlfile.Pos{File: file, Line: 1, Col: 1}
	}
	n := yamlfile.NodeAt(f, yamlPath)
	if m, ok := n.(*ast.MappingValueNode); ok {
		n = m.Value
	}
	return yamlfile.NodePos(file, n)
}
