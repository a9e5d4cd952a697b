// Package fuzz holds netbuf's native Go fuzz targets, in its test files:
// FuzzUnordered, FuzzOrdered, FuzzSPSC, FuzzRing and FuzzScenario. Each
// decodes the fuzzer's bytes into a buffer configuration and a sequence of
// calls, runs them on netbuf and on the reference model (package model),
// and fails on the first difference. They are seeded from the regression
// corpus in the module's testdata/ (seeds.go) and from testdata/fuzz/.
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzUnordered$' -fuzztime 30s
//
// The targets are in package fuzz itself, not an external test package,
// and share only non-test code, so that go-118-fuzz-build can build each
// as a libFuzzer binary (.clusterfuzzlite/build.sh, docs/fuzzing.md).
//
// The package has no API: it exists for `go test -fuzz`.
package fuzz
