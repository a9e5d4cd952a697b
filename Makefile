# netbuf: every target works on a fresh machine with only Go installed; tools
# are run with `go run tool@version` at pinned versions (gremlins is pinned in
# internal/cmd/mutate and built with `go install`; fuzz-libfuzzer and e2e
# install what they need with apt-get).
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
ACTIONLINT  := github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
BENCHSTAT   := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

# CORPUS_DIR: the regression corpus of readable scenarios (*.scn).
CORPUS_DIR ?= testdata

.PHONY: test fmt-check vet staticcheck unit verify verify-properties bench bench-compare fuzz fuzz-smoke corpus

## test: the CI gate (formatting, vet, staticcheck, every test under -race,
## and the peer modules' tests: other projects' buffers checked with the
## same properties, their findings pinned by tests; the GitHub workflows
## linted).
test: fmt-check vet staticcheck lint-workflows unit peers

fmt-check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) run $(STATICCHECK) ./...

unit:
	$(GO) test -race -count=1 ./...

## lint-workflows: actionlint on .github/workflows/ (the CI users can copy).
.PHONY: lint-workflows
lint-workflows:
	$(GO) run $(ACTIONLINT)

## verify-spsc: the SPSC buffer across two goroutines, longer than in `make
## test`: the -race stress run (every byte and the order) for SPSC_STRESS, the
## close race, and SPSC_HISTORIES concurrent histories checked for
## linearizability against the model (porcupine).
SPSC_STRESS    ?= 20s
SPSC_HISTORIES ?= 20000
.PHONY: verify-spsc
verify-spsc:
	@log=$$(mktemp); \
	NETBUF_SPSC_STRESS=$(SPSC_STRESS) NETBUF_SPSC_HISTORIES=$(SPSC_HISTORIES) $(GO) test -race -count=1 -v \
		-run '^(TestSPSCStress|TestSPSCCloseRace|TestLinearizable)$$' ./netbuf ./internal/spsccheck >$$log 2>&1; rc=$$?; \
	grep -E '^(--- |ok|FAIL)|STATS' $$log; rm -f $$log; exit $$rc

## peers: every module under peers/ (each its own, so that the library gains
## no dependency): other projects' buffers under the properties, their
## findings pinned by tests (docs/peers.md).
.PHONY: peers
peers:
	@for mod in peers/*/go.mod; do dir=$${mod%/go.mod}; echo "== $$dir"; \
		(cd $$dir && $(GO) vet ./... && $(GO) test -count=1 ./...) || exit 1; done

## verify: the verification suite, one stage after the other (a failed stage
## does not stop the others), ending with one verdict: a table of every stage,
## PASS or FAIL and its wall time, with the property engines' STATS lines, the
## FUZZ lines and the MUTATE line under their stage; fails if any stage failed.
## Stages, as NAME=TARGET (scripts/verify.sh runs `make TARGET` for each).
VERIFY_STAGES ?= gate=test properties=verify-properties spsc=verify-spsc fuzz=fuzz-smoke mutation=mutate
verify:
	@MAKE="$(MAKE_COMMAND)" ./scripts/verify.sh $(VERIFY_STAGES)

## verify-properties: the property suite (rapid and gopter engines, Ring) at
## NETBUF_PROPERTY_SCALE=$(PROPERTY_SCALE), i.e. that many times the cases of
## `make test`, verbose; then each engine's STATS line (steps, wraps,
## paddings, failures exercised). SEED=<n> replays a rapid failure exactly
## (forwarded as -rapid.seed; rapid prints the seed of a failing case).
PROPERTY_SCALE ?= 10
SEED           ?=
verify-properties:
	@log=$$(mktemp); \
	NETBUF_PROPERTY_SCALE=$(PROPERTY_SCALE) $(GO) test -count=1 -v ./properties \
		$(if $(SEED),-args -rapid.seed=$(SEED)) >$$log 2>&1; rc=$$?; \
	cat $$log; echo "== property STATS per engine (NETBUF_PROPERTY_SCALE=$(PROPERTY_SCALE))"; \
	grep -o 'STATS test=.*' $$log; rm -f $$log; exit $$rc

## bench: netbuf's benchmarks, benchstat-readable, in bench.txt. BENCHCOUNT
## rounds of every benchmark (not -count N in a row), so that a shift in other
## load hits every impl alike; benchstat then puts each impl beside the floor.
BENCHCOUNT ?= 6
BENCHTIME  ?= 300ms
BENCH      ?= .
bench:
	$(GO) test -c -o netbuf-bench.test ./netbuf
	@: > bench.txt; for i in $$(seq $(BENCHCOUNT)); do \
		./netbuf-bench.test -test.run '^$$' -test.bench '$(BENCH)' -test.benchmem \
			-test.benchtime $(BENCHTIME) > bench.round || exit 1; \
		cat bench.round; cat bench.round >> bench.txt; done; rm -f bench.round netbuf-bench.test
	$(GO) run $(BENCHSTAT) -col /impl -filter '/impl:(floor OR netbuf OR twophase OR chanpool OR naive)' bench.txt

## bench-c: netbuf/udp's Receiver beside a C loop doing the same receive
## (netbuf/udp/testdata/crecv.c, built with cc; skipped without) in batch
## (recvmmsg) and GRO (recvmsg with UDP_GRO) modes, at 64 and 1400 bytes:
## datagrams per CPU-second of the receiving thread, and go/c per mode.
## BENCHCOUNT rounds; docs/benchmarks.md has the figures.
BENCHC_TIME ?= 500000x
.PHONY: bench-c
bench-c:
	$(GO) test -run '^$$' -bench '^BenchmarkReceiveC$$' -benchtime $(BENCHC_TIME) -count $(BENCHCOUNT) ./netbuf/udp

## bench-compare: the performance targets (internal/cmd/benchratio/targets.go), each
## a ratio of medians between two impls, and 0 allocs/op, checked against the
## one bench.txt (made by `make bench` if absent); the figures themselves are
## benchstat's, in `make bench`.
bench-compare:
	@test -f bench.txt || $(MAKE) bench
	$(GO) run ./internal/cmd/benchratio bench.txt

## fuzz: every native fuzz target in turn, FUZZTIME each (one -fuzz per go
## test), then a summary line per target (execs/s), by scripts/fuzz.sh.
## FUZZMINIMIZETIME bounds the fuzzer's minimization of each new input, which
## otherwise stalls the search for up to a minute at a time (`make corpus`
## shrinks failures). FUZZFLAGS is passed on to go test, e.g.
## FUZZFLAGS=-parallel=1 to leave the other cores to other work.
FUZZTIME         ?= 30s
FUZZMINIMIZETIME ?= 1000x
FUZZTARGETS      ?= FuzzUnordered FuzzRing FuzzScenario FuzzOrdered FuzzSPSC
fuzz:
	GO="$(GO)" FUZZTIME=$(FUZZTIME) FUZZMINIMIZETIME=$(FUZZMINIMIZETIME) FUZZFLAGS="$(FUZZFLAGS)" \
		./scripts/fuzz.sh $(FUZZTARGETS)

## fuzz-smoke: the short fuzz run of every target that `make verify` includes.
fuzz-smoke:
	$(MAKE) fuzz FUZZTIME=5s

## fuzz-libfuzzer: the fuzz targets as OSS-Fuzz / ClusterFuzzLite build and
## run them (scripts/libfuzzer.sh): .clusterfuzzlite/build.sh, run in a copy
## of the tree with the base-builder-go image emulated (Debian's clang and
## libFuzzer, installed with apt-get if missing; scripts/oss-fuzz/), builds a
## libFuzzer binary and a seed corpus per target of fuzz/; each binary then
## runs for FUZZTIME, with a LIBFUZZER line per target (execs/s). A crash
## becomes a go test seed file under fuzz/testdata/fuzz/ (`make corpus`
## turns it into a scenario). LIBFUZZER_TARGETS (default: all),
## LIBFUZZER_WORK (a directory to keep: build, corpora, crashes, logs).
LIBFUZZER_TARGETS ?=
LIBFUZZER_WORK    ?=
.PHONY: fuzz-libfuzzer
fuzz-libfuzzer:
	GO="$(GO)" FUZZTIME=$(FUZZTIME) LIBFUZZER_TARGETS="$(LIBFUZZER_TARGETS)" LIBFUZZER_WORK="$(LIBFUZZER_WORK)" \
		./scripts/libfuzzer.sh

## libfuzzer-crashes: crash inputs from elsewhere (a ClusterFuzzLite or
## OSS-Fuzz artifact), laid out as CRASHES/<target>/<file>, become go test
## seed files under fuzz/testdata/fuzz/, each with the command that replays it.
CRASHES ?=
.PHONY: libfuzzer-crashes
libfuzzer-crashes:
	@test -n "$(CRASHES)" || { echo "CRASHES=<dir> of <target>/<crash file> is required"; exit 2; }
	NETBUF_LIBFUZZER_CRASHES="$(abspath $(CRASHES))" $(GO) test -count=1 -v -run '^TestLibFuzzerCrashes$$' ./fuzz

## corpus: turn the failures saved under fuzz/testdata/fuzz/ into readable
## scenarios in $(CORPUS_DIR)/ (shrunk, with the model's answers).
corpus:
	$(GO) run ./internal/cmd/corpus -in fuzz/testdata/fuzz -out $(CORPUS_DIR)

## e2e: the UDP receive path end to end on loopback (scripts/e2e.sh): the
## documented recipes as written, a kill -HUP stop, volume runs in every mode
## (gro included), and ffmpeg's RTP stream, crossing the 16-bit sequence
## wrap, through a reordering relay (cmd/udpsink/rtprelay) into
## `udpsink -ordered rtp`; socat and ffmpeg are installed with apt-get if
## missing (root).
.PHONY: e2e
e2e:
	GO="$(GO)" ./scripts/e2e.sh

## mutate: the mutation gate of netbuf/: gremlins (pinned in internal/cmd/mutate,
## built with `go install`; configured by .gremlins.yaml) over one shard of
## the library after the other (internal/cmd/mutate/shards.go): ring+unordered,
## ordered, spsc. Each shard mutates its own files and runs, per mutant, only
## the tests that verify them, in stages (netbuf's unit tests, fuzz seeds,
## corpus, property engines) that stop at the first failure; progress as
## `mutate <shard> <done>/<total>`. Each shard prints killed, lived, timed
## out and the efficacy, and fails below MUTATE_THRESHOLD % or on a survivor
## not listed, with its reason, in internal/cmd/mutate/equivalent.txt; one
## MUTATE line per shard, then an overall one. MUTATE_SHARD=name (or a
## comma-separated list) runs those shards only. MUTATE_FLAGS is passed on
## (e.g. -keep DIR to keep gremlins' reports and logs). See docs/mutation.md.
MUTATE_WORKERS   ?= 2
MUTATE_THRESHOLD ?= 95
MUTATE_SHARD     ?=
MUTATE_FLAGS     ?=
.PHONY: mutate
mutate:
	GO="$(GO)" $(GO) run ./internal/cmd/mutate -workers $(MUTATE_WORKERS) -threshold $(MUTATE_THRESHOLD) \
		$(if $(MUTATE_SHARD),-shard '$(MUTATE_SHARD)') $(MUTATE_FLAGS)
