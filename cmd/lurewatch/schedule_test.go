package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch/internal/yamlfile"
	"github.com/lurewatch/lurewatch/pipeline"
)

// writeProfile puts a valid source profile named name in dir.
func writeProfile(t *testing.T, dir, file, name string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "configs", "sources", "example-board.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "name:") {
			lines[i] = "name: " + name
		}
	}
	writeFile(t, dir, file, strings.Join(lines, "\n"))
}

// A source runs on a cron schedule or every interval; an interval is the
// default.
func TestConfigSchedules(t *testing.T) {
	dir := t.TempDir()
	writeProfile(t, dir, "a.yaml", "board-a")
	writeProfile(t, dir, "b.yaml", "board-b")
	writeProfile(t, dir, "c.yaml", "board-c")
	cfg := writeFile(t, dir, "lurewatch.yaml", `sources:
  - profile: a.yaml
    schedule: "*/30 * * * *"
  - profile: b.yaml
    interval: 2h
  - profile: c.yaml
`)
	c, err := loadConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 17, 5, 0, 0, time.Local)
	if got := c.Sources[0].schedule.Next(at); !got.Equal(time.Date(2026, 11, 25, 17, 30, 0, 0, time.Local)) {
		t.Errorf("cron schedule: next after %v = %v, want 17:30", at, got)
	}
	if got := c.Sources[1].schedule; got != pipeline.Every(2*time.Hour) {
		t.Errorf("interval schedule = %v, want every 2h", got)
	}
	if got := c.Sources[2].schedule; got != pipeline.Every(6*time.Hour) {
		t.Errorf("default schedule = %v, want every 6h", got)
	}
}

// A bad schedule is reported at its position in the file.
func TestConfigScheduleErrors(t *testing.T) {
	dir := t.TempDir()
	writeProfile(t, dir, "p.yaml", "board")
	tests := []struct {
		name, config, want string
	}{
		{"bad cron", "sources:\n  - profile: p.yaml\n    schedule: \"*/30 * * *\"\n",
			`lurewatch.yaml:3:15: schedule "*/30 * * *": expected exactly 5 fields`},
		{"bad field", "sources:\n  - profile: p.yaml\n    schedule: \"61 * * * *\"\n",
			`lurewatch.yaml:3:15: schedule "61 * * * *": `},
		{"never due", "sources:\n  - profile: p.yaml\n    schedule: \"0 0 30 2 *\"\n",
			`lurewatch.yaml:3:15: schedule "0 0 30 2 *" never comes due`},
		{"both", "sources:\n  - profile: p.yaml\n    interval: 1h\n    schedule: \"@hourly\"\n",
			"lurewatch.yaml:4:15: source 0: give interval or schedule, not both"},
		{"short interval", "sources:\n  - profile: p.yaml\n    interval: 10s\n",
			"lurewatch.yaml:3:15: interval 10s is too short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := writeFile(t, dir, "lurewatch.yaml", tt.config)
			_, err := loadConfig(cfg)
			var errs yamlfile.Errors
			if err == nil || !errors.As(err, &errs) {
				t.Fatalf("loadConfig = %v, want position errors", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

// The shipped config loads, with one source on an interval and one on a
// cron schedule.
func TestShippedConfigSchedules(t *testing.T) {
	c, err := loadConfig(filepath.Join("..", "..", "configs", "lurewatch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) != 2 || c.Sources[0].schedule != pipeline.Every(6*time.Hour) {
		t.Fatalf("sources = %+v", c.Sources)
	}
	if _, isEvery := c.Sources[1].schedule.(pipeline.Every); isEvery || c.Sources[1].Schedule == "" {
		t.Fatalf("second source schedule = %#v, want a cron schedule", c.Sources[1].schedule)
	}
}
