package fuzzcodec

import "github.com/netbuf-go/netbuf/internal/step"

// Shrink returns a shorter program that still fails CheckUnordered with
// newBuffer (step.Shrink: operations removed one at a time while the
// failure stays). It complements the fuzzer's own minimization, which works
// on bytes and is often cut short by -fuzzminimizetime.
func Shrink(newBuffer step.Factory, p Program) Program {
	return Program{Cap: p.Cap, Slots: p.Slots, Ops: step.Shrink(newBuffer, p.Cap, p.Slots, p.Ops)}
}
