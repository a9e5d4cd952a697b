package fuzz_test

import (
	"testing"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/spsccheck"
)

// FuzzSPSC drives netbuf's SPSC buffer (both halves, one goroutine) and
// model.SPSC in lockstep with calls decoded from the fuzzer's bytes (see
// DecodeSPSC), and fails on any difference, broken invariant, or a leak
// once drained. Its seeds are the SPSC scenarios of the corpus.
func FuzzSPSC(f *testing.F) {
	for file, text := range seeds(f) {
		ss, err := scenario.Parse(text)
		if err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		spsc := 0
		for _, s := range ss {
			spsc += b2i(s.SPSC)
		}
		ps := fuzzcodec.SPSCPrograms(ss)
		if len(ps) != spsc {
			f.Fatalf("%s: %d of its %d spsc scenarios do not fit FuzzSPSC's byte format: they would be lost as seeds", file, spsc-len(ps), spsc)
		}
		for _, p := range ps {
			data, err := fuzzcodec.EncodeSPSC(p)
			if err != nil {
				f.Fatalf("%s: %v", file, err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.DecodeSPSC(data)
		if err != nil {
			return
		}
		if err := fuzzcodec.CheckSPSC(spsccheck.NewNetbuf, p); err != nil {
			t.Fatal(err)
		}
	})
}
