package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch/detector"
	"github.com/lurewatch/lurewatch/detector/rulefmt"
)

// fitCorpora are labelled files of the project, with lures, honest ads and
// ads that only the combination model could raise.
var fitCorpora = []string{"../../detector/testdata/labelled/en.jsonl", "../../detector/testdata/labelled/tuning-19.jsonl"}

func TestRulesFit(t *testing.T) {
	shipped := mustRead(t, "../../configs/rules/lures.yaml")
	dir := t.TempDir()
	// The shipped rules without their model: fit writes one back.
	bare := shipped
	if i := strings.Index(bare, "\ncombination:"); i >= 0 {
		bare = bare[:i+1]
	}
	path := writeFile(t, dir, "lures.yaml", bare)

	code, out, errOut := runApp(t, context.Background(), "", append([]string{"rules", "fit", path}, fitCorpora...)...)
	if code != 0 || !strings.HasPrefix(out, "combination:\n  fitted: \"by lurewatch rules fit on ") || !strings.Contains(errOut, "threshold ") {
		t.Fatalf("rules fit: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if got := mustRead(t, path); got != bare {
		t.Error("rules fit without --write changed the rules file")
	}

	code, out, errOut = runApp(t, context.Background(), "", append([]string{"rules", "fit", "--write", path}, fitCorpora...)...)
	if code != 0 || !strings.Contains(out, "combination written") {
		t.Fatalf("rules fit --write: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	written := mustRead(t, path)
	if !strings.HasPrefix(written, bare) {
		t.Error("rules fit --write changed the file before its combination section")
	}
	f, err := rulefmt.Parse(path, []byte(written))
	if err != nil {
		t.Fatal(err)
	}
	if f.Combination == nil || f.Combination.Threshold <= 0.5 || len(f.Combination.Indicators) == 0 {
		t.Fatalf("written combination %+v", f.Combination)
	}
	// A second fit replaces the section rather than adding one.
	if code, _, errOut := runApp(t, context.Background(), "", append([]string{"rules", "fit", "--write", path}, fitCorpora...)...); code != 0 {
		t.Fatalf("second rules fit --write: exit %d: %s", code, errOut)
	}
	if again := mustRead(t, path); strings.Count(again, "\ncombination:") != 1 || again != written {
		t.Errorf("a second fit on the same ads gave another file:\n%s", again[len(bare):])
	}
	if _, err := detector.Load(path, []byte(written)); err != nil {
		t.Fatal(err)
	}
}

func TestRulesFitErrors(t *testing.T) {
	dir := t.TempDir()
	shipped := mustRead(t, "../../configs/rules/lures.yaml")
	if !strings.Contains(shipped, "\ncombination:") {
		shipped += "combination: {threshold: 0.9, bias: -5, per_category: 0, categories: {}, indicators: {}}\n"
	}
	notLast := writeFile(t, dir, "notlast.yaml", shipped+"rates: {USD: 1}\n")
	code, _, errOut := runApp(t, context.Background(), "", append([]string{"rules", "fit", "--write", notLast}, fitCorpora...)...)
	if code != 1 || !strings.Contains(errOut, `"rates: {USD: 1}" follows the combination section; --write needs it last`) {
		t.Errorf("section not last: exit %d, stderr %q", code, errOut)
	}
	if got := mustRead(t, notLast); got != shipped+"rates: {USD: 1}\n" {
		t.Error("the file was changed")
	}
	oneLabel := writeFile(t, dir, "lures-only.jsonl", `{"id":"1","text":"Sihanoukville, free visa","label":"lure"}`+"\n")
	code, _, errOut = runApp(t, context.Background(), "", "rules", "fit", filepath.Join("../../configs/rules/lures.yaml"), oneLabel)
	if code != 1 || !strings.Contains(errOut, "too few examples to fit") {
		t.Errorf("one label: exit %d, stderr %q", code, errOut)
	}
	bad := writeFile(t, dir, "bad.yaml", "version: x\nlevels: {}\ncolour: red\n")
	code, _, errOut = runApp(t, context.Background(), "", append([]string{"rules", "fit", bad}, fitCorpora...)...)
	if code != 1 || !strings.Contains(errOut, "bad.yaml:3:1: unknown field \"colour\"") || !strings.Contains(errOut, "rules file has errors") {
		t.Errorf("invalid rules: exit %d, stderr %q", code, errOut)
	}
	for _, args := range [][]string{{"rules", "fit"}, {"rules", "fit", "x.yaml"}} {
		if code, _, errOut := runApp(t, context.Background(), "", args...); code != 2 {
			t.Errorf("lurewatch %q: exit %d, want 2 (stderr %q)", args, code, errOut)
		}
	}
	if _, err := os.Stat(notLast + ".fit.tmp"); !os.IsNotExist(err) {
		t.Error("a temporary file was left behind")
	}
}
