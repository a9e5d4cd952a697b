#!/usr/bin/env bash
# Mutation testing of the library netbuf/ (ring.go, unordered.go, batch.go,
# errors.go, doc.go) with gremlins, pinned, in integration mode: for each
# mutant, `go test -failfast ./...` runs every test that verifies the
# library (netbuf's unit tests and examples, the model's tests, the property
# suite, the regression replay of testdata/, the fuzz targets' seeds).
# Then `go run ./cmd/mutate` checks the result against cmd/mutate/equivalent.txt
# and applies the gate (see the README section "Mutation testing").
#
# What runs per mutant, and why (documented reductions, nothing else):
#   - The module is copied to a scratch directory holding only the library
#     and the packages that verify it: netbuf/ (without netbuf/udp), model/,
#     properties/, scenario/, fuzz/ (without fuzz/cmd) and testdata/. Left
#     out: netbuf/udp (socket code; its loopback tests wait on the network,
#     and it is not the library under test, so its files are not mutated),
#     cmd/ and fuzz/cmd (tools, whose tests check the tools). gremlins runs
#     `./...` in that copy, so this choice is the per-mutant suite.
#   - Fixed seeds (RAPID_SEED, NETBUF_GOPTER_SEED): every run draws the same
#     cases, so a mutant's fate, the efficacy and the equivalents list are
#     reproducible. Case counts are those of `make test` (scale 1).
#   - RAPID_SHRINKTIME and RAPID_NOFAILFILE: a mutant is killed by the first
#     failure; shrinking it, or saving a fail file that the next mutant in
#     the same copy would replay, is wasted (or order-dependent) work.
#   - No -race: the race detector checks concurrency, which mutating an
#     operator does not change; `make test` runs the suite under -race.
#
# Environment: GO (go), WORKERS (gremlins workers, default 2: the machine
# has 2 cores), THRESHOLD (minimum efficacy in percent, default 95),
# TIMEOUT_COEFFICIENT (a mutant's run may take this many times the
# baseline run, default 5: with 3, gremlins' default, a surviving mutant
# was once flagged TIMED OUT on this shared machine, which hides it from
# the equivalents check; a real hang costs 5 baseline runs), KEEP (a directory to keep the gremlins
# JSON report and log in).
#
# Usage: cmd/mutate/run.sh            (from the repository root; make mutate)
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}
WORKERS=${WORKERS:-2}
THRESHOLD=${THRESHOLD:-95}
TIMEOUT_COEFFICIENT=${TIMEOUT_COEFFICIENT:-5}
GREMLINS=github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0

# Every mutator gremlins has: the five defaults and the six optional kinds.
MUTATORS="--arithmetic-base --conditionals-boundary --conditionals-negation
	--increment-decrement --invert-negatives --invert-logical --invert-loopctrl
	--remove-self-assignments --invert-assignments --invert-bitwise --invert-bwassign"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
src=$work/src
mkdir "$src"
cp -R go.mod go.sum netbuf model properties scenario fuzz testdata "$src"/
rm -rf "$src/netbuf/udp" "$src/fuzz/cmd" "$src/properties/testdata/rapid"

export RAPID_SEED=${RAPID_SEED:-20261125}
export NETBUF_GOPTER_SEED=${NETBUF_GOPTER_SEED:-20261125}
export RAPID_SHRINKTIME=${RAPID_SHRINKTIME:-100ms}
export RAPID_NOFAILFILE=1
unset NETBUF_PROPERTY_SCALE NETBUF_FUZZ_SEEDS GOFLAGS

GOBIN=$work/bin "$GO" install "$GREMLINS"
echo "== mutate: gremlins v0.6.0 over netbuf/, $WORKERS workers, per-mutant suite: $(cd "$src" && "$GO" list ./... | sed 's|^github.com/netbuf-go/netbuf/|./|' | tr '\n' ' ')"
start=$(date +%s)
rc=0
# Exit code 10 is gremlins' own efficacy gate (equivalents counted as
# survivors); the checker below says what lived, so it runs anyway.
(cd "$src" && "$work/bin/gremlins" unleash ./netbuf --integration \
	--coverpkg github.com/netbuf-go/netbuf/netbuf --threshold-efficacy "$THRESHOLD" \
	--workers "$WORKERS" --timeout-coefficient "$TIMEOUT_COEFFICIENT" \
	$MUTATORS -o "$work/gremlins.json") 2>&1 | tee "$work/gremlins.log" || rc=$?
wall=$(($(date +%s) - start))
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work/gremlins.json" "$work/gremlins.log" "$KEEP"/; fi
if { [ "$rc" -ne 0 ] && [ "$rc" -ne 10 ]; } || [ ! -s "$work/gremlins.json" ]; then
	echo "mutate: gremlins failed (exit $rc)" >&2
	exit 1
fi

# The checker also runs the mutants gremlins cannot see as covered (the
# expressions of case clauses: see cmd/mutate/retest.go) with the same suite.
"$GO" run ./cmd/mutate -report "$work/gremlins.json" -log "$work/gremlins.log" -src "$src" -dir netbuf \
	-equivalents cmd/mutate/equivalent.txt -threshold "$THRESHOLD" -wall "${wall}s" -workers "$WORKERS" \
	-timeout-coefficient "$TIMEOUT_COEFFICIENT" || rc=1
exit "$rc"
