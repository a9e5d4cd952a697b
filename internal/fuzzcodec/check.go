package fuzzcodec

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step"
)

// CheckUnordered runs p on a buffer from newBuffer and on the model in
// lockstep (step.Pair: the Results of every operation must be equal, and
// the buffer's Check, if any, must pass after each). The error shows the
// failing program as a scenario, ready for the corpus.
func CheckUnordered(newBuffer step.Factory, p Program) error {
	err := step.CheckOps(newBuffer, p.Cap, p.Slots, p.Ops)
	if err == nil {
		return nil
	}
	ops := step.Shrink(newBuffer, p.Cap, p.Slots, p.Ops)
	s := scenario.Record(p.Cap, p.Slots, ops)
	return fmt.Errorf("%w\nshrunk to %d of %d operations; as a scenario (the model's answers):\n%s",
		err, len(ops), len(p.Ops), scenario.Format([]scenario.Scenario{s}))
}

// Programs turns the scenarios of one file into Programs, dropping those
// outside the fuzz limits.
func Programs(ss []scenario.Scenario) []Program {
	var out []Program
	for _, s := range ss {
		if !s.Unordered() {
			continue
		}
		p := Program{Cap: s.Cap, Slots: s.Slots, Ops: s.Ops()}
		if _, err := Encode(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}
