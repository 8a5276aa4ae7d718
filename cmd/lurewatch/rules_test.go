package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestRulesTestShipped(t *testing.T) {
	code, out, errOut := runApp(t, context.Background(), "", "rules", "test", "../../configs/rules/lures_test.yaml")
	if code != 0 || !regexp.MustCompile(`ok \S+lures_test\.yaml: [0-9]+ cases, 0 failed`).MatchString(out) {
		t.Errorf("rules test of the shipped cases: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestRulesTestFailures(t *testing.T) {
	dir := t.TempDir()
	shipped, err := filepath.Abs("../../configs/rules/lures.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := writeFile(t, dir, "cases.yaml", `rule_files: [`+shipped+`]
tests:
  - name: honest barista
    text: Barista wanted at a cafe in Leeds. Apply with CV.
    expect:
      level: none
  - name: expects too much
    text: Barista wanted at a cafe in Leeds.
    expect:
      level: {min: high}
      indicators: [hotspot.sihanoukville]
`)
	code, out, errOut := runApp(t, context.Background(), "", "rules", "test", "-v", cases)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		`ok   ` + cases + `:3:5: "honest barista": none (score 0)`,
		`FAIL ` + cases + `:7:5: "expects too much"`,
		`level: want at least high, got none`,
		`indicators not matched: hotspot.sihanoukville`,
		`got: level none, score 0, indicators []`,
		`detector: none (score 0)`,
		`FAIL ` + cases + `: 2 cases, 1 failed`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "1 of 2 cases") {
		t.Errorf("stderr = %q", errOut)
	}

	// --run picks the passing case only.
	if code, out, _ := runApp(t, context.Background(), "", "rules", "test", "--run", "barista", cases); code != 0 || !strings.Contains(out, "1 cases, 0 failed") {
		t.Errorf("--run: exit %d\n%s", code, out)
	}
	// --rules overrides rule_files.
	rel := writeFile(t, dir, "rel.yaml", strings.Replace(mustRead(t, cases), shipped, "nowhere.yaml", 1))
	if code, _, errOut := runApp(t, context.Background(), "", "rules", "test", rel); code != 1 || !strings.Contains(errOut, "nowhere.yaml") {
		t.Errorf("missing rules file: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runApp(t, context.Background(), "", "rules", "test", "--rules", shipped, "--run", "barista", rel); code != 0 {
		t.Errorf("--rules: exit %d, stderr %q", code, errOut)
	}
}

func TestRulesTestBadFile(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", "rule_files: [x.yaml]\ntests:\n  - name: a\n    text: b\n    expect: {level: severe}\n    colour: red\n")
	code, _, errOut := runApp(t, context.Background(), "", "rules", "test", bad)
	if code != 1 || !strings.Contains(errOut, bad+`:6:5: unknown field "colour"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	bad2 := writeFile(t, dir, "bad2.yaml", "rule_files: [x.yaml]\ntests:\n  - name: a\n    text: b\n    expect: {level: severe}\n")
	code, _, errOut = runApp(t, context.Background(), "", "rules", "test", bad2)
	if code != 1 || !strings.Contains(errOut, bad2+`:5:21: test "a": expect: level: "severe"`) {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestRulesUsage(t *testing.T) {
	for _, args := range [][]string{
		{"rules"}, {"rules", "lint"}, {"rules", "check"}, {"rules", "check", "a", "b"},
		{"rules", "test"}, {"rules", "test", "--run", "(", "x.yaml"}, {"rules", "test", "--bogus", "x.yaml"},
	} {
		if code, _, errOut := runApp(t, context.Background(), "", args...); code != 2 {
			t.Errorf("lurewatch %q: exit %d, want 2 (stderr %q)", args, code, errOut)
		}
	}
	for _, args := range [][]string{{"rules", "--help"}, {"rules", "test", "--help"}, {"rules", "check", "-h"}} {
		code, _, errOut := runApp(t, context.Background(), "", args...)
		if code != 0 || !strings.Contains(errOut, "Usage: lurewatch "+strings.Join(args[:len(args)-1], " ")) {
			t.Errorf("lurewatch %q: exit %d, %q", args, code, errOut)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
