package fuzz

import (
	"fmt"

	"github.com/netbuf-go/netbuf/scenario"
	"github.com/netbuf-go/netbuf/step"
)

// CheckUnordered runs p on a buffer from newBuffer and on the model in
// lockstep (step.Pair: the Results of every operation must be equal, and
// the buffer's Check, if any, must pass after each). The error shows the
// failing program as a scenario, ready for the corpus.
func CheckUnordered(newBuffer step.Factory, p Program) error {
	pair, err := step.NewPair(newBuffer, p.Cap, p.Slots)
	if err != nil {
		return err
	}
	if pair == nil {
		return nil // both refused the configuration, as they must
	}
	for i, op := range p.Ops {
		if _, err := pair.Apply(op); err != nil {
			s := scenario.Record(p.Cap, p.Slots, p.Ops[:i+1])
			return fmt.Errorf("operation %d of %d: %w\nas a scenario (the model's answers):\n%s",
				i+1, len(p.Ops), err, scenario.Format([]scenario.Scenario{s}))
		}
	}
	return nil
}

// Programs turns the scenarios of one file into Programs, dropping those
// outside the fuzz limits.
func Programs(ss []scenario.Scenario) []Program {
	var out []Program
	for _, s := range ss {
		p := Program{Cap: s.Cap, Slots: s.Slots, Ops: s.Ops()}
		if _, err := Encode(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}
