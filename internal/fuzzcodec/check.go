package fuzzcodec

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// check runs ops on f's buffer under test for c and on the model in
// lockstep (lockstep.Check). A failure comes back shrunk
// (lockstep.Shrink) and shown as a scenario with the model's answers,
// ready for the corpus; printed adds the calls the case needs to fail
// where it failed (SPSC: the drain).
func check[C lockstep.Config, O lockstep.Op, R any](f lockstep.Family[C, O, R], c C, ops []O, printed func([]O) []O) error {
	err := lockstep.Check(f, c, ops)
	if err == nil {
		return nil
	}
	shrunk := lockstep.Shrink(f, c, ops)
	s := scenario.RecordOf(f, c, printed(shrunk))
	return fmt.Errorf("%w\nshrunk to %d of %d operations; as a scenario (the model's answers):\n%s",
		err, len(shrunk), len(ops), scenario.Format([]scenario.Scenario{s}))
}

func same[O any](ops []O) []O { return ops }

// CheckUnordered runs p on a buffer from newBuffer and on the model in
// lockstep (unordered.Pair: the Results of every operation must be equal,
// and the buffer's Check, if any, must pass after each). The error shows
// the failing program, shrunk, as a scenario, ready for the corpus.
func CheckUnordered(newBuffer unordered.Factory, p Program) error {
	return check(unordered.Family{New: newBuffer}, unordered.Config{Capacity: p.Cap, MaxPackets: p.Slots}, p.Ops, same)
}

// CheckOrdered runs p on a buffer from newBuffer and on model.Ordered in
// lockstep; the error shows the failing program as a scenario.
func CheckOrdered(newBuffer ordered.Factory, p OrderedProgram) error {
	return check(ordered.Family{New: newBuffer}, p.Config, p.Ops, same)
}

// CheckSPSC runs p on halves from f and on model.SPSC in lockstep
// (spsc.Pair: equal results, counters and the producer's Check after
// every call), then drains both; the error shows the failing program,
// shrunk, as a scenario that drains where the check did.
func CheckSPSC(f spsc.Factory, p SPSCProgram) error {
	c := spsc.Config{Capacity: p.Cap, MaxPackets: p.Slots}
	return check(spsc.Family{New: f}, c, p.Ops, func(ops []spsc.Op) []spsc.Op { return spsc.WithDrain(c, ops) })
}

// programs turns the scenarios of ss of O's family into programs with
// make, dropping those the byte format cannot express (encode fails).
func programs[P any, O lockstep.Statement, C lockstep.Config](ss []scenario.Scenario, make func(C, []O) P, encode func(P) ([]byte, error)) []P {
	var out []P
	for _, s := range ss {
		c, ok := s.Config.(C)
		if !ok {
			continue
		}
		p := make(c, scenario.OpsOf[O](s))
		if _, err := encode(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// Programs turns the UnorderedBuffer scenarios of one file into Programs,
// dropping those outside the fuzz limits.
func Programs(ss []scenario.Scenario) []Program {
	return programs(ss, func(c unordered.Config, ops []unordered.Op) Program {
		return Program{Cap: c.Capacity, Slots: c.MaxPackets, Ops: ops}
	}, Encode)
}

// OrderedPrograms turns the ordered scenarios of one file into programs,
// dropping those the byte format cannot express.
func OrderedPrograms(ss []scenario.Scenario) []OrderedProgram {
	return programs(ss, func(c ordered.Config, ops []ordered.Op) OrderedProgram {
		return OrderedProgram{Config: c, Ops: ops}
	}, EncodeOrdered)
}

// SPSCPrograms turns the SPSC scenarios of one file into programs,
// dropping those the byte format cannot express.
func SPSCPrograms(ss []scenario.Scenario) []SPSCProgram {
	return programs(ss, func(c spsc.Config, ops []spsc.Op) SPSCProgram {
		return SPSCProgram{Cap: c.Capacity, Slots: c.MaxPackets, Ops: ops}
	}, EncodeSPSC)
}

// CheckRingOps runs ops on a ring from f and on model.Ring in lockstep;
// the error shows them, shrunk, as a ring scenario.
func CheckRingOps(f ring.Factory, c ring.Config, ops []ring.Op) error {
	return check(ring.Family{New: f}, c, ops, same)
}

// RingPrograms turns the ring scenarios of one file into programs,
// dropping those the byte format cannot express.
func RingPrograms(ss []scenario.Scenario) []RingProgram {
	return programs(ss, func(c ring.Config, ops []ring.Op) RingProgram {
		return RingProgram{Config: c, Ops: ops}
	}, EncodeRing)
}
