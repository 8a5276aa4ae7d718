package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch/configs"
	"github.com/lurewatch/lurewatch/internal/syncbuf"
)

// `run` reloads the rules file when it changes: a file that does not compile
// is refused with its position and the old rules stay; one that compiles is
// swapped in.
func TestRunReloadsRulesOnlyIfTheyCompile(t *testing.T) {
	old := rulesPollInterval
	rulesPollInterval = 20 * time.Millisecond
	defer func() { rulesPollInterval = old }()

	dir := t.TempDir()
	rules := writeFile(t, dir, "rules.yaml", string(configs.DefaultRules))
	cfg := writeFile(t, dir, "lurewatch.yaml", "data_dir: data\nlog:\n  format: json\n  level: info\ndetector:\n  rules: rules.yaml\n")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncbuf.Buffer{}
	done := make(chan int, 1)
	go func() {
		a := &App{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: stderr}
		done <- a.Main(ctx, []string{"run", "--config", cfg})
	}()
	waitLog(t, stderr, "lurewatch running")

	if err := os.WriteFile(rules, []byte("version: [broken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitLog(t, stderr, "rules changed but do not compile")
	if !strings.Contains(stderr.String(), filepath.Base(rules)+":1:") {
		t.Errorf("the refusal does not name file:line:col:\n%s", stderr.String())
	}

	newRules := strings.Replace(string(configs.DefaultRules), "\nversion:", "\nversion: \"reloaded-1\"\nold_version:", 1)
	newRules = strings.Replace(newRules, "\nold_version:", "\n# old version:", 1)
	if err := os.WriteFile(rules, []byte(newRules), 0o644); err != nil {
		t.Fatal(err)
	}
	waitLog(t, stderr, `"rules_version":"reloaded-1"`)
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("run exit %d:\n%s", code, stderr.String())
	}
}

func waitLog(t *testing.T, b *syncbuf.Buffer, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(b.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("log never said %q:\n%s", want, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}
