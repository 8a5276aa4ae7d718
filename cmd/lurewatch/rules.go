package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/rulestest"
)

const rulesAbout = `Work with lure rules files.

  rules check FILE            parse a rules file strictly, compile every pattern,
                              and report every problem as file:line:col: message
  rules test [flags] FILE...  run YAML test cases (ad text -> expected level,
                              score, indicators) against the rules files each
                              test file names in rule_files; exit 1 if any fails
  rules fit [--write] FILE CORPUS.jsonl...
                              fit the file's combination model to labelled ads
                              (see 'lurewatch rules fit --help')

A test file (see configs/rules/lures_test.yaml):

  rule_files: [lures.yaml]        # relative to the test file
  tests:
    - name: customer-service lure in Sihanoukville
      title: ""
      text: |
        Customer service in Sihanoukville, $1500, free flight and visa...
      expect:
        level: {min: medium}      # or {min: low, max: medium}, or: level: none
        score: {min: 40}
        indicators: [hotspot.sihanoukville, travel.ticket_paid]   # all must match
        absent: [legit.licence_number]                            # none may match
        categories: [free_travel]
        absent_categories: [awareness_warning]`

// runRules dispatches `rules check` and `rules test`.
func runRules(ctx context.Context, a *App, args []string) error {
	fs := a.newFlags("rules", "check FILE | test [flags] FILE... | fit [flags] FILE CORPUS...", rulesAbout)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: want 'rules check FILE', 'rules test FILE...' or 'rules fit FILE CORPUS...'", errUsage)
	}
	switch sub, rest := fs.Arg(0), fs.Args()[1:]; sub {
	case "check":
		return runRulesCheck(ctx, a, rest)
	case "test":
		return runRulesTest(ctx, a, rest)
	case "fit":
		return runRulesFit(ctx, a, rest)
	default:
		fs.Usage()
		return fmt.Errorf("%w: rules: unknown subcommand %q (want check, test or fit)", errUsage, sub)
	}
}

// runRulesCheck lints one rules file.
func runRulesCheck(_ context.Context, a *App, args []string) error {
	fs := a.newFlags("rules check", "FILE",
		"Check a rules file: parse it strictly, compile every pattern, and report every\n"+
			"problem as file:line:col: message. Exit 1 if there is any.")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: want 'rules check FILE'", errUsage)
	}
	d, err := loadDetector(fs.Arg(0))
	if err != nil {
		return rulesFileError(a, fs.Arg(0), err)
	}
	fmt.Fprintf(a.Stdout, "%s: ok (rules version %s)\n", fs.Arg(0), d.RulesVersion())
	return nil
}

// rulesFileError reports an error loading the rules file path: every
// problem of an invalid file goes to standard error, one per line, and the
// command fails with a short message.
func rulesFileError(a *App, path string, err error) error {
	if errors.Is(err, lurewatch.ErrInvalid) {
		fmt.Fprintln(a.Stderr, err)
		return fmt.Errorf("%s: rules file has errors", path)
	}
	return err
}

// errTestsFailed is returned when a rules test case fails: exit 1.
var errTestsFailed = errors.New("rules tests failed")

// runRulesTest runs rules test files.
func runRulesTest(_ context.Context, a *App, args []string) error {
	fs := a.newFlags("rules test", "FILE...",
		"Run rules test cases: each FILE lists ads and what the detector must say about\n"+
			"them (see 'lurewatch rules --help' for the format). Every failing case is\n"+
			"reported with what was expected and what the detector said. Exit 1 if any\n"+
			"case fails or a file has errors.")
	rules := fs.String("rules", "", "run against this rules file instead of the files' rule_files")
	run := fs.String("run", "", "run only the cases whose name matches this regular expression")
	verbose := fs.Bool("v", false, "list every case, passed or failed")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: want 'rules test FILE...'", errUsage)
	}
	var filter *regexp.Regexp
	if *run != "" {
		re, err := regexp.Compile(*run)
		if err != nil {
			return fmt.Errorf("%w: rules test: --run: %v", errUsage, err)
		}
		filter = re
	}
	var total, failed, broken int
	for _, path := range fs.Args() {
		s, err := rulestest.Load(path, *rules)
		if err != nil {
			if !errors.Is(err, lurewatch.ErrInvalid) {
				return fmt.Errorf("rules test: %w", err)
			}
			fmt.Fprintln(a.Stderr, err)
			broken++
			continue
		}
		results := s.Run(filter)
		n := 0
		for i := range results {
			r := &results[i]
			total++
			if r.Passed() {
				if *verbose {
					fmt.Fprintf(a.Stdout, "ok   %s: %q: %s (score %d)\n", r.Case.Pos, r.Case.Name, r.Assessment.Level, r.Assessment.Score)
				}
				continue
			}
			failed++
			n++
			writeFailure(a.Stdout, r, len(s.Rules) > 1)
		}
		status := "ok"
		if n > 0 {
			status = "FAIL"
		}
		fmt.Fprintf(a.Stdout, "%s %s: %d cases, %d failed\n", status, path, len(results), n)
	}
	switch {
	case broken > 0:
		return fmt.Errorf("rules test: %d of %d files have errors", broken, fs.NArg())
	case failed > 0:
		return fmt.Errorf("%w: %d of %d cases", errTestsFailed, failed, total)
	case total == 0:
		return fmt.Errorf("rules test: no cases ran")
	}
	return nil
}

// writeFailure reports one failed case: where it is, what was expected, and
// what the detector said.
func writeFailure(w io.Writer, r *rulestest.Result, showRules bool) {
	as := r.Assessment
	fmt.Fprintf(w, "FAIL %s: %q", r.Case.Pos, r.Case.Name)
	if showRules {
		fmt.Fprintf(w, " (rules %s)", r.RuleFile)
	}
	fmt.Fprintln(w)
	for _, f := range r.Failures {
		fmt.Fprintf(w, "       %s\n", f)
	}
	ids := make([]string, len(as.Indicators))
	for i, ind := range as.Indicators {
		ids[i] = ind.ID
	}
	fmt.Fprintf(w, "     got: level %s, score %d, indicators [%s]\n", as.Level, as.Score, strings.Join(ids, ", "))
	fmt.Fprintf(w, "     detector: %s\n", as.Summary)
}
