//go:build !linux

package netbuf_test

// threadCPU reports that no per-thread CPU clock is read on this platform:
// the benchmarks then report ns/op only.
func threadCPU() (int64, bool) { return 0, false }
