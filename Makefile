# netbuf: every target works on a fresh machine with only Go installed; tools
# are run with `go run tool@version` at pinned versions.
GO          ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
BENCHSTAT   := golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da

.PHONY: test fmt-check vet staticcheck unit verify bench

## test: the CI gate (formatting, vet, staticcheck, every test under -race).
test: fmt-check vet staticcheck unit

fmt-check:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) run $(STATICCHECK) ./...

unit:
	$(GO) test -race -count=1 ./...

## verify: the verification suite with its report (grows with each issue).
verify: test

## bench: benchmarks in benchstat-readable form.
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./netbuf | tee bench.txt
	$(GO) run $(BENCHSTAT) bench.txt
