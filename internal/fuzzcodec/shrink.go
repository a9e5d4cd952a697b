package fuzzcodec

import "github.com/netbuf-go/netbuf/internal/step/unordered"

// Shrink returns a shorter program that still fails CheckUnordered with
// newBuffer (unordered.Shrink: operations removed one at a time while the
// failure stays). It complements the fuzzer's own minimization, which works
// on bytes and is often cut short by -fuzzminimizetime.
func Shrink(newBuffer unordered.Factory, p Program) Program {
	c := unordered.Config{Capacity: p.Cap, MaxPackets: p.Slots}
	return Program{Cap: p.Cap, Slots: p.Slots, Ops: unordered.Shrink(newBuffer, c, p.Ops)}
}
