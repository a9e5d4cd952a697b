#!/usr/bin/env bash
# Shell, not Go: it drives outside programs (apt-get, socat) and a background sink.
# End-to-end check of the UDP receive path: cmd/udpsink receives on loopback
# what a real client (socat) sends, and the datagram and byte counts of its
# SUMMARY line must match what was sent exactly.
#
# socat reads the payload file in blocks of B bytes (-b B) and sends each
# block as one datagram, so a file of N*B bytes is exactly N datagrams.
# (iperf3 -u is not used: its client needs an iperf3 server on the other
# end for its control connection, so it cannot feed a plain UDP sink.)
#
# Usage: scripts/e2e.sh            (from the repository root; make e2e)
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}

if ! command -v socat >/dev/null 2>&1; then
	echo "e2e: installing socat"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q socat >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q socat >/dev/null; }
fi

work=$(mktemp -d)
sink_pid=""
cleanup() {
	if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

"$GO" build -o "$work/udpsink" ./cmd/udpsink

# run MODE HOST SOCAT_ADDRESS_KIND COUNT SIZE
run() {
	local mode=$1 host=$2 kind=$3 count=$4 size=$5
	local payload="$work/payload" out="$work/sink.out"
	head -c $((count * size)) /dev/urandom >"$payload"
	"$work/udpsink" -addr "$host:0" -mode "$mode" -count "$count" -duration 60s -rcvbuf $((8 << 20)) >"$out" 2>&1 &
	sink_pid=$!
	local addr=""
	for _ in $(seq 100); do
		addr=$(sed -n 's/^READY addr=\([^ ]*\).*/\1/p' "$out")
		[ -n "$addr" ] && break
		sleep 0.05
	done
	[ -n "$addr" ] || { cat "$out"; echo "e2e: udpsink did not start"; exit 1; }
	local port=${addr##*:}
	socat -u -b "$size" "OPEN:$payload,rdonly" "$kind:$host:$port"
	if ! wait "$sink_pid"; then cat "$out"; echo "e2e: udpsink failed"; exit 1; fi
	sink_pid=""
	local summary
	summary=$(grep '^SUMMARY' "$out")
	local packets bytes drops
	packets=$(sed 's/.*packets=\([0-9]*\).*/\1/' <<<"$summary")
	bytes=$(sed 's/.*bytes=\([0-9]*\).*/\1/' <<<"$summary")
	drops=$(sed 's/.*drops=\([0-9]*\).*/\1/' <<<"$summary")
	grep -v '^READY\|^SUMMARY' "$out" | sed 's/^/  /' || true
	echo "e2e: mode=$mode host=$host sent packets=$count bytes=$((count * size)); $summary"
	if [ "$packets" != "$count" ] || [ "$bytes" != "$((count * size))" ]; then
		echo "e2e: FAIL: counts differ (kernel-reported drops: $drops)"
		exit 1
	fi
}

run batch 127.0.0.1 UDP4-SENDTO 20000 1000
run single '[::1]' UDP6-SENDTO 20000 64
run xnet 127.0.0.1 UDP4-SENDTO 5000 1472
echo "e2e: PASS"
