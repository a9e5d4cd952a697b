#!/usr/bin/env bash
# Shell, not Go: it drives outside programs (apt-get, socat) and a background sink.
# End-to-end check of the UDP receive path: cmd/udpsink receives on loopback
# what a real client (socat) sends, and the datagram and byte counts of its
# SUMMARY line must match what was sent exactly.
#
# 1. The recipes: every command line that docs/udp.md and udpsink's package
#    doc give, run as written (only the port, when 9999 is taken, and the
#    payload file's name change). The script first checks that each recipe
#    line is in both documents word for word, so the docs cannot drift from
#    what is tested here.
# 2. SIGHUP: a sink with no other stop condition, stopped by kill -HUP,
#    prints its summary with every datagram sent counted.
# 3. Volume: larger transfers in batch (IPv4), single (IPv6), x/net and gro
#    modes, and single with -workers 1 (IPv6).
# 4. In order: ffmpeg's RTP stream (-f rtp), its sequence numbers started at
#    65300 so that they wrap, through cmd/udpsink/rtprelay (on loopback:
#    datagrams moved up to 8 places late, about 1 in 20 sent twice) into
#    udpsink -ordered rtp: every packet ffmpeg sent must be delivered once,
#    in order, across the wrap, the repeats counted late or duplicate.
#
# socat reads the payload file in blocks of B bytes (-b B) and sends each
# block as one datagram, so a file of N*B bytes is exactly N datagrams.
# Every transfer goes in files of 1000 datagrams, each sent once the sink's
# socket queue is empty (/proc/net/udp): on a busy machine socat could
# otherwise send everything before the sink runs, and the kernel would drop
# what its queue cannot hold (a drop is only reported with a datagram queued
# after it, so a lost tail would not even show in the counter).
# (iperf3 -u is not used: its client needs an iperf3 server on the other
# end for its control connection, so it cannot feed a plain UDP sink.)
#
# Usage: scripts/e2e.sh            (from the repository root; make e2e)
set -euo pipefail

cd "$(dirname "$0")/.."
GO=${GO:-go}

# install COMMAND PACKAGE: installs PACKAGE with apt-get if COMMAND is missing.
install() {
	command -v "$1" >/dev/null 2>&1 && return
	echo "e2e: installing $2"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -q --no-install-recommends "$2" >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "$2" >/dev/null; }
}
install socat socat
install ffmpeg ffmpeg

work=$(mktemp -d)
sink_pid=""
relay_pid=""
cleanup() {
	if [ -n "$sink_pid" ]; then kill "$sink_pid" 2>/dev/null || true; fi
	if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

"$GO" build -o "$work/udpsink" ./cmd/udpsink
"$GO" build -o "$work/rtprelay" ./cmd/udpsink/rtprelay
out="$work/sink.out"
payload="$work/file"

fail() {
	cat "$out" 2>/dev/null || true
	echo "e2e: FAIL: $*"
	exit 1
}

# field NAME [LINE [FILE]]: the value of NAME= in the LINE line (SUMMARY) of
# FILE ($out).
field() {
	grep "^${2:-SUMMARY} " "${3:-$out}" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# start_sink COMMAND...: starts the sink in the background and waits for its
# READY line; returns 1 if it exits first (the port taken, say).
start_sink() {
	"$@" >"$out" 2>&1 &
	sink_pid=$!
	for _ in $(seq 200); do
		grep -q '^READY' "$out" && return 0
		kill -0 "$sink_pid" 2>/dev/null || { wait "$sink_pid" || true; sink_pid=""; return 1; }
		sleep 0.05
	done
	fail "udpsink did not start"
}

# wait_sink: waits for the sink to end by itself (a recipe's -count or -idle).
wait_sink() {
	wait "$sink_pid" || fail "udpsink failed"
	sink_pid=""
}

# queued PORT: the bytes waiting in the receive queue of the UDP socket bound
# to PORT (IPv4 or IPv6), from /proc/net/udp{,6}.
queued() {
	local hex
	hex=$(printf '%04X' "$1")
	local q
	q=$(awk -v p=":$hex" '$2 ~ p"$" { split($5, a, ":"); print a[2]; exit }' /proc/net/udp /proc/net/udp6)
	echo $((16#${q:-0}))
}

# paced PORT SIZE COMMAND: sends $payload in chunks of 1000 datagrams of SIZE
# bytes, each with COMMAND (evaluated where the chunks are, with its file
# naming the chunk: "< file" or "OPEN:file,"), once the sink's queue is
# empty.
paced() {
	local port=$1 size=$2 cmd=$3
	rm -rf "$work/chunks" && mkdir "$work/chunks"
	split -b $((1000 * size)) -a 4 "$payload" "$work/chunks/c"
	for chunk in "$work/chunks"/c*; do
		for _ in $(seq 600); do
			[ "$(queued "$port")" = 0 ] && break
			sleep 0.05
		done
		[ "$(queued "$port")" = 0 ] || fail "the sink's queue does not drain"
		local name c
		name=$(basename "$chunk")
		c=${cmd//< file/< $name}
		c=${c//OPEN:file,/OPEN:$name,}
		(cd "$work/chunks" && eval "$c")
	done
}

# check WHAT PACKETS BYTES: the SUMMARY must count exactly that.
check() {
	local what=$1 packets=$2 bytes=$3
	grep -v '^READY\|^SUMMARY\|^t=' "$out" | sed 's/^/  /' || true
	echo "e2e: $what: sent packets=$packets bytes=$bytes; $(grep '^SUMMARY' "$out")"
	[ "$(field packets)" = "$packets" ] && [ "$(field bytes)" = "$bytes" ] ||
		fail "$what: counts differ (kernel-reported drops: $(field drops))"
}

# 1. The recipes, as the docs give them: sink line, sender line, datagrams
# in the file, bytes per datagram (the sender's -b).
recipes=(
	'udpsink -addr 127.0.0.1:9999 -idle 2s &'
	'socat -u -b 1472 - UDP:127.0.0.1:9999 < file'
	20000 1472

	'udpsink -addr [::1]:9999 -mode single -count 20000 &'
	'socat -u -b 64 - UDP6:[::1]:9999 < file'
	20000 64

	'udpsink -addr localhost:9999 -mode gro -idle 2s &'
	'socat -u -b 1400 - UDP:localhost:9999 < file'
	10000 1400

	'udpsink -addr 127.0.0.1:9999 -workers 1 -count 20000 &'
	'socat -u -b 1000 - UDP:127.0.0.1:9999 < file'
	20000 1000
)
for ((i = 0; i < ${#recipes[@]}; i += 4)); do
	for line in "${recipes[i]}" "${recipes[i + 1]}"; do
		grep -qF -- "$line" docs/udp.md || fail "recipe not in docs/udp.md: $line"
		grep -qF -- "//	$line" cmd/udpsink/main.go || fail "recipe not in udpsink's package doc: $line"
	done
done
for ((i = 0; i < ${#recipes[@]}; i += 4)); do
	sink=${recipes[i]} send=${recipes[i + 1]} count=${recipes[i + 2]} size=${recipes[i + 3]}
	head -c $((count * size)) /dev/urandom >"$payload"
	port=9999
	for attempt in 1 2 3 4 5; do
		cmd=${sink% &}
		cmd=${cmd//9999/$port}
		# shellcheck disable=SC2086 # the recipe's words, as a shell would split them
		start_sink "$work/"$cmd && break
		[ "$attempt" = 5 ] && fail "no free port for: $sink"
		port=$((20000 + RANDOM % 20000))
	done
	paced "$port" "$size" "${send//9999/$port}"
	wait_sink
	check "recipe '$sink'" "$count" $((count * size))
done

# 2. SIGHUP prints the summary, as SIGINT and SIGTERM do.
start_sink "$work/udpsink" -addr 127.0.0.1:0 -interval 100ms
port=$(sed -n 's/^READY addr=[^ ]*:\([0-9]*\) .*/\1/p' "$out")
head -c $((3000 * 100)) /dev/urandom >"$payload"
paced "$port" 100 "socat -u -b 100 OPEN:file,rdonly UDP4-SENDTO:127.0.0.1:$port"
for _ in $(seq 100); do
	grep -q ' packets=3000 ' "$out" && break
	sleep 0.05
done
kill -HUP "$sink_pid"
wait_sink
check "kill -HUP" 3000 300000

# 3. Volume in every mode, and with -workers 1 (read on one goroutine,
# consume on another).
# volume MODE HOST SOCAT_ADDRESS_KIND COUNT SIZE [WORKERS]
volume() {
	local mode=$1 host=$2 kind=$3 count=$4 size=$5 workers=${6:-0}
	head -c $((count * size)) /dev/urandom >"$payload"
	start_sink "$work/udpsink" -addr "$host:0" -mode "$mode" -workers "$workers" -count "$count" -duration 60s -rcvbuf $((8 << 20)) ||
		fail "udpsink did not start"
	local addr port
	addr=$(sed -n 's/^READY addr=\([^ ]*\).*/\1/p' "$out")
	port=${addr##*:}
	paced "$port" "$size" "socat -u -b $size OPEN:file,rdonly $kind:$host:$port"
	wait_sink
	check "mode=$mode workers=$workers host=$host" "$count" $((count * size))
}
volume batch 127.0.0.1 UDP4-SENDTO 20000 1000
volume single '[::1]' UDP6-SENDTO 20000 64
volume xnet 127.0.0.1 UDP4-SENDTO 5000 1472
volume gro '[::1]' UDP6-SENDTO 20000 1200
volume single '[::1]' UDP6-SENDTO 20000 1400 1

# 4. In order, from ffmpeg through the relay.
start_sink "$work/udpsink" -addr 127.0.0.1:0 -ordered rtp -idle 3s -gap 1s || fail "udpsink did not start"
sink_port=$(sed -n 's/^READY addr=[^ ]*:\([0-9]*\) .*/\1/p' "$out")
relay_out="$work/relay.out"
"$work/rtprelay" -to "127.0.0.1:$sink_port" -reorder 8 -dup 20 -idle 2s >"$relay_out" 2>&1 &
relay_pid=$!
for _ in $(seq 100); do
	grep -q '^READY' "$relay_out" && break
	sleep 0.05
done
rtp_port=$(sed -n 's/^READY addr=[^ ]*:\([0-9]*\) rtcp=.*/\1/p' "$relay_out")
rtcp_port=$(sed -n 's/^READY .* rtcp=[^ ]*:\([0-9]*\)$/\1/p' "$relay_out")
[ -n "$rtp_port" ] && [ -n "$rtcp_port" ] || { cat "$relay_out"; fail "rtprelay did not start"; }
ffmpeg -hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc2=size=640x360:rate=30 -t 3 \
	-c:v mpeg4 -b:v 2M -f rtp -seq 65300 "rtp://127.0.0.1:$rtp_port?rtcpport=$rtcp_port&pkt_size=1200" >/dev/null ||
	fail "ffmpeg failed"
wait "$relay_pid" || { cat "$relay_out"; fail "rtprelay failed"; }
relay_pid=""
wait_sink
relay=$(grep '^RELAY' "$relay_out")
received=$(field received RELAY "$relay_out")
first=$(field first_seq RELAY "$relay_out")
last=$(field last_seq RELAY "$relay_out")
dups=$(field duplicates RELAY "$relay_out")
echo "e2e: ffmpeg -> rtprelay: $relay"
echo "e2e: rtprelay -> udpsink -ordered rtp: $(grep '^ORDERED' "$out")"
[ "$first" = 65300 ] && [ "$last" -lt 65300 ] && [ $(((last - first + 65536) % 65536 + 1)) = "$received" ] ||
	fail "the relay did not get ffmpeg's stream whole across the wrap: $relay"
[ "$(field delivered ORDERED)" = "$received" ] && [ "$(field packets)" = "$received" ] ||
	fail "delivered $(field delivered ORDERED) of $received"
for f in missing skipped ahead unsequenced disorder; do
	[ "$(field $f ORDERED)" = 0 ] || fail "ORDERED $f=$(field $f ORDERED), want 0"
done
[ "$(field first_seq ORDERED)" = "$first" ] && [ "$(field last_seq ORDERED)" = "$last" ] && [ "$(field wraps ORDERED)" = 1 ] ||
	fail "delivered from $(field first_seq ORDERED) to $(field last_seq ORDERED), want $first to $last across the wrap"
[ $(($(field late ORDERED) + $(field duplicate ORDERED))) = "$dups" ] ||
	fail "late + duplicate != the $dups repeats the relay sent"
echo "e2e: PASS"
