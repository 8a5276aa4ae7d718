package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector"
	"github.com/lurewatch/lurewatch/detector/combine"
	"github.com/lurewatch/lurewatch/detector/eval"
)

// runRulesFit fits a rules file's combination model to labelled corpora.
func runRulesFit(_ context.Context, a *App, args []string) error {
	fs := a.newFlags("rules fit", "[flags] RULES CORPUS.jsonl...",
		"Fit the combination model of a rules file to labelled corpora: a logistic\n"+
			"model over the cues the rules find, which may raise an ad whose score falls\n"+
			"short of medium when its combination of cues is one lures carry. Its\n"+
			"threshold is set above every honest training ad it could raise. Prints the\n"+
			"'combination:' section (and a report on standard error); with --write,\n"+
			"replaces that section of RULES, which must be the file's last.")
	write := fs.Bool("write", false, "write the section into RULES instead of printing it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return fmt.Errorf("%w: want 'rules fit RULES CORPUS.jsonl...'", errUsage)
	}
	path := fs.Arg(0)
	d, data, err := loadRules(path)
	if err != nil {
		return rulesFileError(a, path, err)
	}
	var examples []combine.Example
	for _, name := range fs.Args()[1:] {
		ex, err := readCorpus(name)
		if err != nil {
			return err
		}
		for _, e := range ex {
			examples = append(examples, fitExample(d, e))
		}
	}
	c, r, err := combine.Fit(examples, combine.Options{})
	if err != nil {
		return fmt.Errorf("rules fit: %w", err)
	}
	c.Fitted = fmt.Sprintf("by lurewatch rules fit on %s, rules %s, from %d ads (%d lures) in %s",
		time.Now().UTC().Format(time.DateOnly), d.RulesVersion(), r.Examples, r.Lures, corpusNames(fs.Args()[1:]))
	fmt.Fprintf(a.Stderr, "fitted on %d ads (%d lures); eligible (below medium only by score): %d lures, %d honest\n",
		r.Examples, r.Lures, r.EligibleLures, r.EligibleHonest)
	fmt.Fprintf(a.Stderr, "threshold %v, above the highest honest probability %.3f (under the model fitted to all ads or the one fitted without it)\n", c.Threshold, r.MaxHonest)
	fmt.Fprintf(a.Stderr, "raises %d of %d eligible lures (%d by the model fitted without them)\n", r.RaisedLures, r.EligibleLures, r.RaisedLuresLeftOut)
	var section bytes.Buffer
	if err := combine.Write(&section, c); err != nil {
		return err
	}
	if !*write {
		_, err := a.Stdout.Write(section.Bytes())
		return err
	}
	out, err := replaceCombination(path, data, section.Bytes())
	if err != nil {
		return err
	}
	if _, err := detector.Load(path, out); err != nil {
		return fmt.Errorf("rules fit: the file with the new section does not load (left unchanged): %w", err)
	}
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp := path + ".fit.tmp"
	if err := os.WriteFile(tmp, out, mode); err != nil {
		return fmt.Errorf("rules fit: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rules fit: %w", err)
	}
	fmt.Fprintf(a.Stdout, "%s: combination written\n", path)
	return nil
}

// corpusNames names the corpus files briefly: by base name, and as
// "dir/*.jsonl (n files)" for three or more in one directory.
func corpusNames(paths []string) string {
	byDir := map[string][]string{}
	var dirs []string
	for _, p := range paths {
		dir := filepath.Base(filepath.Dir(p))
		if byDir[dir] == nil {
			dirs = append(dirs, dir)
		}
		byDir[dir] = append(byDir[dir], filepath.Base(p))
	}
	var parts []string
	for _, dir := range dirs {
		if names := byDir[dir]; len(names) >= 3 {
			parts = append(parts, fmt.Sprintf("%s/*.jsonl (%d files)", dir, len(names)))
		} else {
			parts = append(parts, names...)
		}
	}
	return strings.Join(parts, ", ")
}

// fitExample is what the combination model sees of one labelled ad.
func fitExample(d *detector.Detector, e eval.Example) combine.Example {
	as, c := d.AssessCombined(&lurewatch.Ad{ID: e.ID, Title: e.Title, Text: e.Text})
	ex := combine.Example{Categories: as.Categories, Lure: e.Label == eval.LabelLure, Eligible: c.Eligible}
	for _, ind := range as.Indicators {
		ex.Indicators = append(ex.Indicators, ind.ID)
	}
	return ex
}

// replaceCombination returns the rules file data with its combination
// section, which must come last, replaced by section (or section appended
// when it has none).
func replaceCombination(path string, data, section []byte) ([]byte, error) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	at := -1
	for i, l := range lines {
		if bytes.HasPrefix(l, []byte("combination:")) {
			at = i
			continue
		}
		if at >= 0 && len(l) > 0 && l[0] != ' ' && l[0] != '#' && l[0] != '\n' && l[0] != '\r' {
			return nil, fmt.Errorf("rules fit: %s:%d:1: %q follows the combination section; --write needs it last", path, i+1, strings.TrimSpace(string(l)))
		}
	}
	var out []byte
	if at < 0 {
		out = append(out, data...)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		out = append(out, "\n# Written by 'lurewatch rules fit': refit rather than edit by hand.\n"...)
	} else {
		out = append(out, bytes.Join(lines[:at], nil)...)
	}
	return append(out, section...), nil
}
