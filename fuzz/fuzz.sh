#!/bin/sh
# fuzz/fuzz.sh TARGET...: `make fuzz`. Runs each native fuzz target of
# package fuzz in turn (go test allows one -fuzz per invocation) for
# $FUZZTIME, then prints one summary line per target:
#   FUZZ target=<name> execs=<n> seconds=<s> execs/s=<rate> result=<ok|FAIL>
# The rate is total execs over the fuzzing time reported by the last status
# line. A failure stops the run; its input is saved under
# fuzz/testdata/fuzz/<target>/ (turn it into a scenario with `make corpus`).
set -u
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-30s}
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-1000x}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
summary=""
status=0
for t in "$@"; do
	echo "== $t for $FUZZTIME"
	{ $GO test ./fuzz -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" \
		-fuzzminimizetime "$FUZZMINIMIZETIME" ${FUZZFLAGS:-} 2>&1; echo $? > "$tmp/rc"; } | tee "$tmp/log"
	rc=$(cat "$tmp/rc")
	result=ok
	[ "$rc" = 0 ] || result=FAIL
	line=$(awk -v t="$t" -v r="$result" '
		/^fuzz: elapsed: .*execs: / {
			d = $3; n = $5; s = 0 # d is a Go duration: "9s,", "1m0s,"
			if (match(d, /[0-9]+h/)) s += substr(d, RSTART, RLENGTH - 1) * 3600
			if (match(d, /[0-9]+m/)) s += substr(d, RSTART, RLENGTH - 1) * 60
			if (match(d, /[0-9]+s/)) s += substr(d, RSTART, RLENGTH - 1)
		}
		END { printf "FUZZ target=%s execs=%d seconds=%d execs/s=%d result=%s", t, n, s, (s > 0 ? n / s : 0), r }
	' "$tmp/log")
	summary="$summary$line
"
	if [ "$rc" != 0 ]; then
		status=$rc
		break
	fi
done
printf '%s' "$summary"
exit $status
