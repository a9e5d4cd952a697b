package fuzz_test

import (
	"os"
	"testing"

	"github.com/netbuf-go/netbuf/fuzz"
	"github.com/netbuf-go/netbuf/internal/spsccheck"
)

// FuzzSPSC drives netbuf's SPSC buffer (both halves, one goroutine) and
// model.SPSC in lockstep with calls decoded from the fuzzer's bytes (see
// DecodeSPSC), and fails on any difference, broken invariant, or a leak
// once drained.
func FuzzSPSC(f *testing.F) {
	if _, override := os.LookupEnv(SeedsEnv); !override {
		// cap 10, 4 slots: push 4, push 4, pop, reserve 3 (wraps), pop during it, commit.
		f.Add([]byte{9, 3, 4, 4, 1, 4, 4, 2, 12, 10, 0, 3, 3, 12, 10, 1, 3})
		// cap 24, 8 slots: fill, drain, then a packet too long for the tail window: restart at 0.
		f.Add([]byte{23, 7, 4, 8, 1, 4, 8, 2, 12, 24, 12, 24, 0, 20, 5, 1, 20, 11})
		// pushwith whose fill pops (cross), popwith whose consume pushes, close, drain.
		f.Add([]byte{15, 3, 0xB3, 6, 6, 9, 3, 0xBB, 2, 6, 5, 12, 20, 12, 20, 13, 13})
		f.Add([]byte{0, 0, 3, 0, 0, 3, 0, 1, 11, 12, 1, 5, 11, 13})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzz.DecodeSPSC(data)
		if err != nil {
			return
		}
		if err := fuzz.CheckSPSC(spsccheck.NewNetbuf, p); err != nil {
			t.Fatal(err)
		}
	})
}
