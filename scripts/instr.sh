#!/usr/bin/env bash
# instr.sh counts the machine instructions the detector spends per byte of
# ad text: BenchmarkAssess under valgrind's callgrind, counting only inside
# Detector.assess (the body of Detector.Assess, which the compiler
# inlines). Unlike MB/s, the count does not move with the load on a
# shared machine (it leaves out cache misses, which BenchmarkAssessWarm
# shows), so it can tell a 2% change from noise. Needs valgrind and python3.
#
# usage: scripts/instr.sh [N]   (N passes over the corpus, default 20)
#        KEEP=FILE scripts/instr.sh   also keeps callgrind's output in FILE,
#        for callgrind_annotate --inclusive=yes FILE
set -euo pipefail
cd "$(dirname "$0")/.."
passes=${1:-20}
corpus=../shared/corpus/dev.jsonl
[ -f "$corpus" ] || corpus=detector/testdata/ads.jsonl
for tool in valgrind callgrind_annotate python3; do
	command -v "$tool" >/dev/null || { echo "instr.sh: $tool not found (apt-get install valgrind python3)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && cp "$tmp/cg.out" "$KEEP"; rm -rf "$tmp"' EXIT
go test -c -o "$tmp/detector.test" ./detector
# Go's asynchronous preemption signals trip callgrind; the benchmark does
# not need them. The garbage collector is off, so that the count is the
# same from run to run (with it on, how much of its work lands inside
# Assess varies by a sixth); allocations show in BenchmarkAssess's allocs/ad.
(cd detector && GOGC=off GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind \
	--toggle-collect='github.com/lurewatch/lurewatch/detector.(*Detector).assess' \
	--callgrind-out-file="$tmp/cg.out" "$tmp/detector.test" \
	-test.run '^$' -test.bench '^BenchmarkAssess$' -test.benchtime "${passes}x" -test.cpu 1 \
	>"$tmp/bench.txt" 2>"$tmp/valgrind.txt") || { cat "$tmp/valgrind.txt" >&2; exit 1; }
callgrind_annotate "$tmp/cg.out" >"$tmp/annotate.txt"
python3 - "$corpus" "$passes" "$tmp/annotate.txt" <<'PY'
import json, re, sys
corpus, passes, annotate = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ads = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]
size = sum(len((a.get("title") or "").encode()) + len(a["text"].encode()) for a in ads)
text = open(annotate).read()
total = int(re.search(r"^([\d,]+) +\(100\.0%\) +PROGRAM TOTALS", text, re.M).group(1).replace(",", ""))
# BenchmarkAssess assesses the corpus twice to count allocations, then
# once per pass.
runs = passes + 2
print(f"corpus {corpus}: {len(ads)} ads, {size} bytes; {runs} passes")
print(f"Detector.Assess: {total / runs / size:.1f} instructions per byte, {total / runs / len(ads):.0f} per ad")
print("where they go (self cost, top 15):")
rows = re.findall(r"^ *([\d,]+) \( *([\d.]+)%\)  (?:[^:\n]*:)?(\S+)", text.split("file:function", 1)[1], re.M)
for ir, pct, fn in rows[:15]:
    print(f"  {pct:>5}%  {fn.rsplit('/', 1)[-1]}")
PY
