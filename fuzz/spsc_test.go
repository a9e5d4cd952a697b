package fuzz

import (
	"testing"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
)

// FuzzSPSC drives netbuf's SPSC buffer (both halves, one goroutine) and
// model.SPSC in lockstep with calls decoded from the fuzzer's bytes (see
// DecodeSPSC), and fails on any difference, broken invariant, or a leak
// once drained. Its seeds are the SPSC scenarios of the corpus.
func FuzzSPSC(f *testing.F) {
	seeds, err := spscSeed()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.DecodeSPSC(data)
		if err != nil {
			return
		}
		if err := fuzzcodec.CheckSPSC(spsc.Netbuf, p); err != nil {
			t.Fatal(err)
		}
	})
}
