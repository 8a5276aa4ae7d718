# lurewatch — make targets. SQLite comes through cgo (mattn/go-sqlite3), so a
# C compiler is needed: .ci/run installs one on a fresh Debian machine.

GO        ?= go
export CGO_ENABLED := 1
BIN       := bin/lurewatch
CORPUS    ?= ../shared/corpus
PKGS      := ./...

.PHONY: all build test demo bench instr lint eval fit docker clean

all: lint build test

## build: compile the binary to bin/lurewatch
build:
	$(GO) build -trimpath -o $(BIN) ./cmd/lurewatch

## test: the whole test suite with the race detector (real NATS, real SQLite, loopback HTTP)
test:
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

## demo: crawl the bundled fictional job site and print the flagged ads
demo: build
	$(BIN) demo --once

## bench: run the benchmarks and write the table into BENCHMARKS.md
bench:
	./scripts/bench.sh

## instr: count the detector's machine instructions per byte of ad text (valgrind; steady on a shared machine)
instr:
	./scripts/instr.sh

## lint: gofmt and go vet
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

## eval: measure the detector on the project's labelled and held-out ads, and on the shared corpus when present
eval: build
	$(BIN) eval detector/testdata/labelled/*.jsonl
	@echo "held out (never tuned on; see detector/testdata/heldout/README.md):"
	$(BIN) eval detector/testdata/heldout/*.jsonl
	@if [ -f $(CORPUS)/dev.jsonl ]; then $(BIN) eval $(CORPUS)/dev.jsonl; \
	else echo "eval: $(CORPUS)/dev.jsonl not found; skipping it (set CORPUS=DIR)"; fi

## fit: refit the rules' combination model to the labelled ads (the shipped
## one also used the shared dev corpus and EMSCAD train split: without them the
## model differs, so fit refuses)
fit: build
	@if [ ! -f $(CORPUS)/dev.jsonl ] || [ ! -f $(CORPUS)/emscad/train.jsonl ]; then \
		echo "fit: $(CORPUS)/dev.jsonl or emscad/train.jsonl not found (set CORPUS=DIR)" >&2; exit 1; fi
	$(BIN) rules fit --write configs/rules/lures.yaml $(CORPUS)/dev.jsonl detector/testdata/labelled/*.jsonl $(CORPUS)/emscad/train.jsonl

## docker: build the container image with buildah (no Docker engine needed)
docker:
	buildah --storage-driver vfs bud --isolation chroot -t lurewatch:dev .

clean:
	rm -rf bin
