package fuzz

import (
	"slices"

	"github.com/netbuf-go/netbuf/step"
)

// Shrink returns a shorter program that still fails CheckUnordered with
// newBuffer, by removing operations one at a time while the failure stays
// (to a fixed point). A program that does not fail is returned unchanged.
// It complements the fuzzer's own minimization, which works on bytes and
// is often cut short by -fuzzminimizetime.
func Shrink(newBuffer step.Factory, p Program) Program {
	if CheckUnordered(newBuffer, p) == nil {
		return p
	}
	for changed := true; changed; {
		changed = false
		for i := len(p.Ops) - 1; i >= 0; i-- {
			q := Program{Cap: p.Cap, Slots: p.Slots, Ops: slices.Delete(slices.Clone(p.Ops), i, i+1)}
			if CheckUnordered(newBuffer, q) != nil {
				p, changed = q, true
			}
		}
	}
	return p
}
