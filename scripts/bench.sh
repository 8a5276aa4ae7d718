#!/usr/bin/env bash
# Runs every benchmark and writes the results into BENCHMARKS.md, under the
# command that produced them. Benchmarks that read ../shared/corpus skip with
# a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="go test -run '^\$' -bench . -benchmem -count 1 ./..."
out=$(CGO_ENABLED=1 go test -run '^$' -bench . -benchmem -count 1 ./... 2>&1)
echo "$out"
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%d). This machine has"
  echo "$(nproc) cores and is shared: compare ratios within one run, not absolute times across runs."
  echo
  echo "Command: \`$cmd\`"
  echo
  echo '```'
  echo "$out" | grep -E '^(goos|goarch|pkg|cpu|Benchmark|ok|---|\s+\S+_test.go)' || true
  echo '```'
} > BENCHMARKS.md
echo "wrote BENCHMARKS.md" >&2
