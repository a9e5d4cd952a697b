#!/usr/bin/env bash
# `make verify`: the stages of the verification suite one after the other,
# each a make target (arguments NAME=TARGET), their output streamed; a
# failed stage does not stop the others. It ends with one verdict: a table
# of every stage with PASS or FAIL and its wall time, and under each stage
# the summary lines it printed (the property engines' STATS lines, the
# FUZZ, LIBFUZZER and MUTATE lines); the status is 1 if any stage failed.
# MAKE names the make command; the caller's flags and variables reach each
# stage's make through MAKEFLAGS, as for any recursive make.
set -uo pipefail
MAKE=${MAKE:-make}
names=() results=() walls=() sums=() cmds=() failed=() total=0
duration() { # seconds as Go prints a duration: 45s, 3m7s, 1h2m0s
	local s=$1
	if [ "$s" -ge 3600 ]; then echo "$((s / 3600))h$((s % 3600 / 60))m$((s % 60))s"
	elif [ "$s" -ge 60 ]; then echo "$((s / 60))m$((s % 60))s"
	else echo "${s}s"; fi
}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for arg in "$@"; do
	name=${arg%%=*} target=${arg#*=}
	if [ -z "$name" ] || [ -z "$target" ] || [ "$name" = "$arg" ]; then
		echo "verify: \"$arg\": want NAME=TARGET" >&2
		exit 2
	fi
	printf '\n== verify: %s (make %s)\n' "$name" "$target"
	t0=$SECONDS
	"$MAKE" --no-print-directory "$target" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	wall=$((SECONDS - t0)) total=$((total + wall))
	result=PASS
	[ "$rc" = 0 ] || { result=FAIL; failed+=("$name"); }
	names+=("$name") results+=("$result") walls+=("$(duration "$wall")")
	sums+=("$(grep -oE '\b(STATS|FUZZ|LIBFUZZER|MUTATE) [a-z-]+=.*' "$log" | awk '!seen[$0]++')")
	cmds+=("make $target")
done
w=5
for n in "${names[@]}"; do [ ${#n} -gt $w ] && w=${#n}; done
printf '\n== verify: verdict\n'
printf "%-${w}s  %-6s  %7s  %s\n" stage result wall command
for i in "${!names[@]}"; do
	printf "%-${w}s  %-6s  %7s  %s\n" "${names[$i]}" "${results[$i]}" "${walls[$i]}" "${cmds[$i]}"
	[ -z "${sums[$i]}" ] || printf '%s\n' "${sums[$i]}" | sed "s/^/$(printf "%$((w + 2))s")/"
done
printf "%-${w}s  %-6s  %7s\n" total "" "$(duration "$total")"
if [ ${#failed[@]} -gt 0 ]; then
	echo "verify: FAIL (${failed[*]})"
	exit 1
fi
echo "verify: PASS (${#names[@]} stages)"
