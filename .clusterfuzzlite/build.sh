#!/bin/bash -eu
# The build of netbuf's fuzz targets for ClusterFuzzLite and OSS-Fuzz, and
# for `make fuzz-libfuzzer`, which runs this same script with the
# environment of OSS-Fuzz's base-builder-go image emulated (internal/cmd/libfuzz):
# $SRC/netbuf is a copy of the tree (go-118-fuzz-build edits the files it
# builds) and the working directory; $OUT receives one libFuzzer binary per
# native fuzz target (each FuzzX(f *testing.F) of package fuzz's tests) and its seed corpus,
# <target>_seed_corpus.zip; $WORK is scratch; $CXX, $CXXFLAGS and
# $LIB_FUZZING_ENGINE link them.
#
# It does what OSS-Fuzz's compile_native_go_fuzzer does for each target
# (go-118-fuzz-build -tags gofuzz, then $CXX), with go-118-fuzz-build and its
# testing package at one pinned version instead of the image's, so that the
# build here and there is the same. Two things differ from calling
# compile_native_go_fuzzer on ./fuzz: the targets live in an external test
# package (fuzz_test), which go-118-fuzz-build cannot build beside package
# fuzz, and it compiles no other _test.go file with a target's, so
# `libfuzz prepare` merges their files into a package of their own; and
# their seeds, which go-118-fuzz-build ignores (its f.Add does nothing), are
# exported by `libfuzz seeds`.
set -euo pipefail

GO118FUZZBUILD=github.com/AdamKorcz/go-118-fuzz-build@v0.0.0-20250520111509-a70c2aa677fa
HARNESS=fuzz/libfuzzer
# Coverage (and comparison) instrumentation for the module's packages only.
# compile_native_go_fuzzer instruments every package, and in go-cmp, reflect
# and fmt the comparison hooks (a call into libFuzzer for every comparison)
# cost 3 to 4 times the execs/s here, for no feedback about netbuf.
INSTRUMENT='github.com/netbuf-go/netbuf/*'

case "${SANITIZER:-address}" in
address) ;;
*)
	echo "build.sh: SANITIZER=$SANITIZER: only address builds are supported (see docs/fuzzing.md)" >&2
	exit 1
	;;
esac

cd "$SRC/netbuf"

tools="$WORK/tools"
GOBIN="$tools" go install "$GO118FUZZBUILD"
# The binaries import go-118-fuzz-build's stand-in for package testing.
go get "${GO118FUZZBUILD/@//testing@}"

targets=$(go run ./internal/cmd/libfuzz prepare -pkg fuzz -dir "$HARNESS")
for target in $targets; do
	echo "== $target"
	"$tools/go-118-fuzz-build" -tags gofuzz -include "$INSTRUMENT" -o "$WORK/$target.a" -func "$target" "./$HARNESS"
	$CXX $CXXFLAGS $LIB_FUZZING_ENGINE "$WORK/$target.a" -o "$OUT/$target"
done

go run ./internal/cmd/libfuzz seeds -pkg fuzz -dir "$HARNESS" -out "$OUT"
