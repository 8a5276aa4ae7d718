package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/configs"
	"github.com/lurewatch/lurewatch/detector"
	"github.com/lurewatch/lurewatch/detector/eval"
)

// maxScanInput bounds what `scan` reads: an ad is never this long.
const maxScanInput = 4 << 20

// loadDetector compiles the rules file at path, or the rules built into the
// binary when path is empty.
func loadDetector(path string) (*detector.Detector, error) {
	d, _, err := loadRules(path)
	return d, err
}

// loadRules is loadDetector that also returns the bytes the rules were
// compiled from (nil for the built-in rules), so a watcher can tell when
// the file changes.
func loadRules(path string) (*detector.Detector, []byte, error) {
	if path == "" {
		d, err := detector.Load(configs.DefaultRulesName, configs.DefaultRules)
		return d, nil, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read rules: %w", err)
	}
	d, err := detector.Load(path, data)
	return d, data, err
}

func runScan(_ context.Context, a *App, args []string) error {
	fs := a.newFlags("scan", "[FILE|-]",
		"Assess one ad's text (from FILE, or standard input when FILE is - or absent)\n"+
			"and print the assessment as JSON: score, level, indicators with evidence.")
	rules := fs.String("rules", "", "rules file (default: the rules built into the binary)")
	title := fs.String("title", "", "the ad's title, if it has one apart from the text")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return fmt.Errorf("%w: scan takes at most one file", errUsage)
	}
	var r io.Reader = a.Stdin
	name := "standard input"
	if fs.NArg() == 1 && fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("scan: %w", err)
		}
		defer f.Close()
		r, name = f, fs.Arg(0)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxScanInput+1))
	if err != nil {
		return fmt.Errorf("scan: read %s: %w", name, err)
	}
	if len(data) > maxScanInput {
		return fmt.Errorf("scan: %s is larger than %d bytes", name, maxScanInput)
	}
	d, err := loadDetector(*rules)
	if err != nil {
		return err
	}
	as := d.Assess(&lurewatch.Ad{Title: *title, Text: string(data)})
	enc := json.NewEncoder(a.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(as)
}

func runEval(_ context.Context, a *App, args []string) error {
	fs := a.newFlags("eval", "FILE.jsonl...",
		"Run the detector over labelled corpora (JSON Lines with id, text, label,\n"+
			"optional title and lang; several files are read as one corpus) and print\n"+
			"precision, recall, F1 and the confusion matrix at each level threshold, per\n"+
			"language and per indicator, and every miss and false alarm with the\n"+
			"detector's reason. An ad counts as flagged at level medium or above; 'scam'\n"+
			"ads count as not-lure.")
	rules := fs.String("rules", "", "rules file (default: the rules built into the binary)")
	asJSON := fs.Bool("json", false, "print one JSON object instead of tables")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: eval takes one or more corpus files", errUsage)
	}
	var examples []eval.Example
	for _, name := range fs.Args() {
		ex, err := readCorpus(name)
		if err != nil {
			return err
		}
		examples = append(examples, ex...)
	}
	d, err := loadDetector(*rules)
	if err != nil {
		return err
	}
	report := eval.Evaluate(d, examples)
	if *asJSON {
		enc := json.NewEncoder(a.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	return report.WriteText(a.Stdout)
}

// readCorpus reads one labelled corpus file; an empty one is an error.
func readCorpus(name string) ([]eval.Example, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer f.Close()
	examples, err := eval.ReadJSONL(f)
	if err != nil {
		return nil, fmt.Errorf("eval: %s: %w", name, err)
	}
	if len(examples) == 0 {
		return nil, fmt.Errorf("eval: %s: %w: no examples", name, lurewatch.ErrInvalid)
	}
	return examples, nil
}
