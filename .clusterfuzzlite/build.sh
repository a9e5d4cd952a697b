#!/bin/bash -eu
# The build of netbuf's fuzz targets for ClusterFuzzLite and OSS-Fuzz, in
# their standard form for Go: compile_native_go_fuzzer (go-118-fuzz-build,
# then $CXX with $LIB_FUZZING_ENGINE) for each FuzzX(f *testing.F) of
# package fuzz, and the seed corpus of each, $OUT/<target>_seed_corpus.zip,
# exported from testdata/*.scn by a test of package fuzz. `make
# fuzz-libfuzzer` runs this same script with the image's environment
# emulated (scripts/libfuzzer.sh).

# go-118-fuzz-build and its testing package at one pinned version, so that
# the build in the image and on a developer's machine is the same.
GO118FUZZBUILD=v0.0.0-20250520111509-a70c2aa677fa
go install "github.com/AdamKorcz/go-118-fuzz-build@$GO118FUZZBUILD"
go get "github.com/AdamKorcz/go-118-fuzz-build/testing@$GO118FUZZBUILD"

for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*(f \*testing\.F)' fuzz/*_test.go | sed 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do
	compile_native_go_fuzzer github.com/netbuf-go/netbuf/fuzz "$target" "$target"
done

NETBUF_SEED_CORPUS="$OUT" go test -count=1 -run '^TestLibFuzzerSeeds$' ./fuzz
