#!/usr/bin/env bash
# `make fuzz-libfuzzer`: the fuzz targets as ClusterFuzzLite and OSS-Fuzz
# build and run them, on this machine. It emulates the base-builder-go image
# (Debian's clang and libFuzzer, installed with apt-get if missing; the
# image's compile_native_go_fuzzer from scripts/oss-fuzz/; $SRC, $OUT,
# $WORK, $CC, $CXX, $CFLAGS, $CXXFLAGS, $LIB_FUZZING_ENGINE, $SANITIZER),
# runs .clusterfuzzlite/build.sh in a copy of the tree as the Dockerfile
# lays it out (go-118-fuzz-build edits the tree it builds), then runs each
# target's binary for FUZZTIME from its seed corpus and prints one line:
#
#   LIBFUZZER target=<name> execs=<n> execs/s=<rate> corpus=<files> crashes=<n> result=<ok|FAIL>
#
# Each crash input becomes a go test seed file under fuzz/testdata/fuzz/
# (TestLibFuzzerCrashes), with the command that replays it; `make corpus`
# turns it into a scenario. Environment: GO, FUZZTIME (seconds, as 30s or
# 2m), LIBFUZZER_TARGETS (default: every target built), LIBFUZZER_WORK (a
# directory to keep: build, corpora, crashes, logs; default a temporary one,
# removed after a clean run).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
GO=${GO:-go}
CLANG=19

case ${FUZZTIME:-30s} in
*m) secs=$((${FUZZTIME%m} * 60)) ;;
*s) secs=${FUZZTIME%s} ;;
*) secs=${FUZZTIME:-30} ;;
esac
if ! [[ $secs =~ ^[0-9]+$ ]] || [ "$secs" -lt 1 ]; then
	echo "libfuzzer.sh: FUZZTIME=$FUZZTIME: want whole seconds or minutes, at least 1s (e.g. 30s, 2m)" >&2
	exit 2
fi

rt=/usr/lib/llvm-$CLANG/lib/clang/$CLANG/lib/linux/libclang_rt.fuzzer-x86_64.a
if ! command -v clang-$CLANG >/dev/null || [ ! -e "$rt" ]; then
	echo "== installing clang-$CLANG libclang-rt-$CLANG-dev (apt-get)"
	sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends clang-$CLANG libclang-rt-$CLANG-dev
fi

work=${LIBFUZZER_WORK:-$(mktemp -d)}
src=$work/src out=$work/out
rm -rf "$src" "$out" "$work/work" "$work/crashes"
mkdir -p "$src/netbuf" "$out" "$work/work" "$work/bin" "$work/crashes" "$work/logs"
# The Dockerfile's COPY: the tree as it is, tracked and untracked files.
git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C "$src/netbuf"
cp .clusterfuzzlite/build.sh "$src/"
cp scripts/oss-fuzz/compile_native_go_fuzzer "$work/bin/"
clang-$CLANG -c scripts/oss-fuzz/gosigfuzz.c -o "$work/gosigfuzz.o"
ln -sf "$(command -v "$GO")" "$work/bin/go"

flags="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
flags="$flags -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
echo "== build: bash -eu \$SRC/build.sh in $src/netbuf"
(cd "$src/netbuf" && env SRC="$src" OUT="$out" WORK="$work/work" GOBIN="$work/bin" PATH="$work/bin:$PATH" \
	CC=clang-$CLANG CXX="clang++-$CLANG -lresolv" CFLAGS="$flags" CXXFLAGS="$flags" \
	LIB_FUZZING_ENGINE="-fsanitize=fuzzer $work/gosigfuzz.o" \
	SANITIZER=address FUZZING_ENGINE=libfuzzer FUZZING_LANGUAGE=go ARCHITECTURE=x86_64 \
	bash -eu "$src/build.sh")

targets=${LIBFUZZER_TARGETS:-$(cd "$out" && ls | grep -v '[._]')}
failed=0
for t in $targets; do
	corpus=$work/corpus/$t log=$work/logs/$t.log
	mkdir -p "$corpus" "$work/crashes/$t" "$work/run"
	unzip -oq "$out/${t}_seed_corpus.zip" -d "$corpus"
	result=ok
	(cd "$work/run" && "$out/$t" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2560 -print_final_stats=1 \
		-artifact_prefix="$work/crashes/$t/" "$corpus") >"$log" 2>&1 || result=FAIL
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	crashes=$(find "$work/crashes/$t" -type f | wc -l)
	[ "$crashes" = 0 ] || result=FAIL
	if [ "$result" = FAIL ]; then # what the target printed, and libFuzzer's verdict
		failed=1
		sed -n '/^panic: \|^==[0-9]*==/q;p' "$log" | grep -v '^#[0-9]\|^INFO:\|^stat::' | tail -30
		grep -m1 '^SUMMARY' "$log" || tail -5 "$log"
	fi
	echo "LIBFUZZER target=$t execs=${execs:-0} execs/s=${rate:-0} corpus=$(find "$corpus" -type f | wc -l) crashes=$crashes result=$result"
done

if [ -n "$(find "$work/crashes" -type f)" ]; then
	NETBUF_LIBFUZZER_CRASHES="$work/crashes" "$GO" test -count=1 -v -run '^TestLibFuzzerCrashes$' ./fuzz | grep '^CRASH' || true
fi
if [ "$failed" = 0 ] && [ -z "${LIBFUZZER_WORK:-}" ]; then
	rm -rf "$work"
else
	echo "work directory kept: $work (out/: binaries and seed corpora; corpus/, crashes/, logs/: per target)"
fi
exit $failed
