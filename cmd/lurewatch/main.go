// Command lurewatch finds online job ads that are recruitment lures for
// trafficking into scam compounds and forced labour: it crawls job sites,
// scores each ad against known lure patterns, explains every flag with
// evidence, and stores the results for NGO analysts and hotlines.
//
// Run `lurewatch --help` for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// App is the CLI with its standard streams, so tests run it exactly as the
// binary does.
type App struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, a *App, args []string) error
}

func commands() []command {
	return []command{
		{"scan", "assess one ad's text and print the assessment as JSON", runScan},
		{"eval", "measure the detector on a labelled corpus (JSON Lines)", runEval},
		{"run", "run crawler, detector workers and storage until stopped", runRun},
		{"crawl", "crawl one source once and print its ads as JSON Lines (crawl --once --jsonl)", runCrawl},
		{"demo", "crawl a bundled fictional job site and show the flagged ads", runDemo},
		{"rules", "check a rules file, run its test cases, or fit its model (rules check|test|fit)", runRules},
		{"export", "write the pages kept as evidence as a WARC file (export warc --since TIME FILE)", runExport},
		{"version", "print the version", runVersion},
	}
}

// errUsage marks a command-line mistake: the process exits 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &App{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	os.Exit(a.Main(ctx, os.Args[1:]))
}

// Main runs the subcommand named by args[0] and returns the exit code: 0 on
// success, 2 on a usage error, 1 on any other error.
func (a *App) Main(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(a.Stderr, "lurewatch: %v\n", err)
		return 2
	default:
		fmt.Fprintf(a.Stderr, "lurewatch: %v\n", err)
		return 1
	}
}

func (a *App) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		a.usage()
		if len(args) == 0 {
			return fmt.Errorf("%w: no command given", errUsage)
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, a, args[1:])
		}
	}
	a.usage()
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

func (a *App) usage() {
	var b strings.Builder
	b.WriteString("lurewatch finds job ads that are recruitment lures for trafficking into scam compounds.\n\n")
	b.WriteString("Usage: lurewatch <command> [flags] [args]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.summary)
	}
	b.WriteString("\nRun 'lurewatch <command> --help' for a command's flags.\n")
	io.WriteString(a.Stderr, b.String())
}

// newFlags returns a flag set for a subcommand whose usage text names its
// arguments and says what it does.
func (a *App) newFlags(name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(a.Stderr, "Usage: lurewatch %s [flags] %s\n\n%s\n", name, args, about)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(a.Stderr, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses args with fs, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %s: %v", errUsage, fs.Name(), err)
	}
	return nil
}

const version = "0.1.0"

func runVersion(_ context.Context, a *App, args []string) error {
	fs := a.newFlags("version", "", "Print the version of lurewatch.")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "lurewatch %s\n", version)
	return nil
}
