#!/usr/bin/env bash
# `make fuzz`: each named native fuzz target of ./fuzz in turn (go test takes
# one -fuzz pattern per run), for FUZZTIME each, go test's output streamed,
# then one summary line per target that ran:
#
#   FUZZ target=<name> execs=<n> seconds=<s> execs/s=<rate> result=<ok|FAIL>
#
# The rate is the execs over the elapsed time of go test's last status line.
# A failure stops the run with go test's exit status; go test saves the
# failing input under fuzz/testdata/fuzz/<target>/ (`make corpus` turns it
# into a scenario). Environment: GO, FUZZTIME, FUZZMINIMIZETIME, FUZZFLAGS
# (more go test flags); arguments: the targets.
set -uo pipefail
GO=${GO:-go}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
summary=() status=0
for t in "$@"; do
	echo "== $t for $FUZZTIME"
	# shellcheck disable=SC2086 # FUZZFLAGS is a list of flags
	"$GO" test ./fuzz -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" ${FUZZFLAGS:-} 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	# The last "fuzz: elapsed: 1m0s, execs: 123456 (2057/sec), ..." line.
	last=$(grep -o '^fuzz: elapsed: [0-9hms]*, execs: [0-9]*' "$log" | tail -1)
	elapsed=${last#fuzz: elapsed: } execs=${last##* }
	secs=$(($(echo "${elapsed%%,*}" | sed -E 's/([0-9]+)h/\1*3600+/; s/([0-9]+)m/\1*60+/; s/([0-9]+)s/\1/; s/\+$//; s/^$/0/')))
	result=ok
	[ "$status" = 0 ] || result=FAIL
	summary+=("FUZZ target=$t execs=${execs:-0} seconds=$secs execs/s=$((secs > 0 ? ${execs:-0} / secs : 0)) result=$result")
	[ "$status" = 0 ] || break
done
printf '%s\n' "${summary[@]}"
exit "$status"
