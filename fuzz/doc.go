// Package fuzz holds netbuf's native Go fuzz targets, in fuzz_test.go:
// FuzzUnordered, FuzzOrdered, FuzzSPSC, FuzzRing and FuzzScenario. Each
// decodes the fuzzer's bytes into a buffer configuration and a sequence of
// calls, runs them on netbuf and on the reference model (package model),
// and fails on the first difference. They are seeded from the regression
// corpus in the module's testdata/ and from testdata/fuzz/.
//
//	go test ./fuzz -run '^$' -fuzz '^FuzzUnordered$' -fuzztime 30s
//
// The package has no API: it exists for `go test -fuzz`.
package fuzz
