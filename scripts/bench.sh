#!/usr/bin/env bash
# Runs every benchmark and writes the results into BENCHMARKS.md as a table,
# under the command that produced them. Benchmarks that read ../shared/corpus
# skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="go test -run '^\$' -bench . -benchmem -count 1 ./..."
out=$(CGO_ENABLED=1 go test -run '^$' -bench . -benchmem -count 1 ./... 2>&1)
echo "$out"
table=$(echo "$out" | awk '
  /^pkg: / { pkg = $2; sub("github.com/lurewatch/lurewatch/?", "", pkg); if (pkg == "") pkg = "(root)" }
  /^cpu: / { cpu = substr($0, 6) }
  /^Benchmark/ {
    ns = ""; mbs = ""; bop = ""; allocs = ""; other = ""
    for (i = 3; i < NF; i += 2) {
      u = $(i+1)
      if (u == "ns/op") ns = $i
      else if (u == "MB/s") mbs = $i
      else if (u == "B/op") bop = $i
      else if (u == "allocs/op") allocs = $i
      else other = other (other == "" ? "" : ", ") $i " " u
    }
    printf "| %s | %s | %s | %s | %s | %s | %s |\n", pkg, $1, ns, mbs, bop, allocs, other
  }
  END { if (cpu != "") printf "\nCPU: %s\n", cpu }')
skips=$(echo "$out" | grep -E -- '--- SKIP|skip' || true)
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%d). This machine has"
  echo "$(nproc) cores and is shared: compare ratios within one run, not absolute times across runs."
  echo
  echo "Command: \`$cmd\`"
  echo
  echo "| package | benchmark | ns/op | MB/s | B/op | allocs/op | other |"
  echo "|---|---|---:|---:|---:|---:|---|"
  echo "$table"
  if [ -n "$skips" ]; then
    echo
    echo "Skipped:"
    echo
    echo '```'
    echo "$skips"
    echo '```'
  fi
} > BENCHMARKS.md
echo "wrote BENCHMARKS.md" >&2
