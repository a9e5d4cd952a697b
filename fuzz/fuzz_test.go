package fuzz

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

var newBuffer = unordered.Netbuf

// addAll adds every seed, or fails on the error that computing them gave.
func addAll[T any](f *testing.F, seeds []T, err error) {
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		f.Add(s)
	}
}

// FuzzUnordered drives UnorderedBuffer and the model with every operation
// and failure kind of the contract, decoded from the fuzzer's bytes (see
// package fuzz for the format), and fails on any difference or broken
// invariant. Its seeds are the scenarios of testdata/.
func FuzzUnordered(f *testing.F) {
	seeds, err := unorderedSeed()
	addAll(f, seeds, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.Decode(data)
		if err != nil {
			return // too big to run: not a failure
		}
		if err := fuzzcodec.CheckUnordered(newBuffer, p); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzRing drives netbuf.Ring[uint64] and model.Ring[uint64] in lockstep
// (see fuzzcodec.DecodeRing). Its seeds are the ring scenarios of the
// corpus and a few of its own.
func FuzzRing(f *testing.F) {
	seeds, err := ringSeed()
	addAll(f, seeds, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := fuzzcodec.CheckRing(data); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzScenario feeds untrusted text to the scenario parser. The parser must
// never panic; text it accepts must print back (Format) to text it reads as
// the same scenarios; the scenarios of the lines that parse must survive the
// fuzz byte format (Decode(Encode(p)) == p), and their operations must run
// on netbuf exactly as on the model (the expected answers are not checked:
// the text is random), and so must those of its scenarios of the other
// families (SPSC, ordered and ring).
func FuzzScenario(f *testing.F) {
	seeds, err := scenarioSeed()
	addAll(f, seeds, err)
	f.Fuzz(func(t *testing.T, text string) {
		ss, err := scenario.Parse(text)
		if err == nil {
			checkFormat(t, ss)
		}
		// Run what survives of a mutated text, not only texts that parse
		// whole: most mutations break one line, and the strict parser
		// would hide every other line from the buffer.
		kept := salvage(text)
		for _, p := range fuzzcodec.Programs(kept) {
			data, err := fuzzcodec.Encode(p)
			if err != nil {
				t.Fatal(err)
			}
			q, err := fuzzcodec.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(p, q, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("Decode(Encode(p)) != p (-p +decoded):\n%s", d)
			}
			if err := fuzzcodec.CheckUnordered(newBuffer, q); err != nil {
				t.Fatal(err)
			}
		}
		for _, s := range kept {
			if err := checkOther(s); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// checkOther runs the operations of a scenario of another family than
// UnorderedBuffer on netbuf and on the model in lockstep, if its
// constructor succeeds; ordered and ring scenarios only within the fuzz
// limits (fuzzcodec.MaxFuzzCap, MaxFuzzSlots, MaxFuzzBytes).
func checkOther(s scenario.Scenario) error {
	if s.NewErr != "" {
		return nil
	}
	switch c := s.Config.(type) {
	case spsc.Config:
		return fuzzcodec.CheckSPSC(spsc.Netbuf, fuzzcodec.SPSCProgram{Cap: c.Capacity, Slots: c.MaxPackets, Ops: scenario.OpsOf[spsc.Op](s)})
	case ordered.Config:
		if ops := scenario.OpsOf[ordered.Op](s); fits(c, ops) {
			return fuzzcodec.CheckOrdered(ordered.Netbuf, fuzzcodec.OrderedProgram{Config: c, Ops: ops})
		}
	case ring.Config:
		if ops := scenario.OpsOf[ring.Op](s); fits(c, ops) {
			return fuzzcodec.CheckRingOps(ring.Netbuf, c, ops)
		}
	}
	return nil
}

// fits reports whether c and ops are within the fuzz limits.
func fits[O interface{ Sizes() []int }](c lockstep.Config, ops []O) bool {
	if capacity, slots, _ := c.Size(); capacity > fuzzcodec.MaxFuzzCap || slots > fuzzcodec.MaxFuzzSlots {
		return false
	}
	for _, op := range ops {
		if slices.Max(append(op.Sizes(), 0)) > fuzzcodec.MaxFuzzBytes {
			return false
		}
	}
	return true
}

// checkFormat checks that Format prints scenarios to text Parse reads back
// as the same scenarios.
func checkFormat(t *testing.T, ss []scenario.Scenario) {
	t.Helper()
	again, err := scenario.Parse(scenario.Format(ss))
	if err != nil {
		t.Fatalf("Format printed text Parse refuses: %v\n%s", err, scenario.Format(ss))
	}
	lines := []cmp.Option{
		cmpopts.IgnoreFields(scenario.Scenario{}, "Line"),
		cmpopts.IgnoreFields(scenario.Step{}, "Line"),
	}
	if d := cmp.Diff(ss, again, lines...); d != "" {
		t.Fatalf("Parse(Format(s)) != s (-s +again):\n%s", d)
	}
}

// salvage returns the scenarios made of text's lines that parse on their own
// (at most 256 lines), skipping the others.
func salvage(text string) []scenario.Scenario {
	var kept []string
	header := ""
	for i, line := range strings.Split(text, "\n") {
		if i == 256 {
			break
		}
		if ss, err := scenario.Parse(line); err == nil && len(ss) == 1 { // a header
			header = line
			kept = append(kept, line)
		} else if _, err := scenario.Parse(header + "\n" + line); err == nil && header != "" {
			kept = append(kept, line)
		}
	}
	ss, _ := scenario.Parse(strings.Join(kept, "\n"))
	return ss
}

var newOrdered = ordered.Netbuf

// FuzzOrdered drives OrderedBuffer and model.Ordered with every operation
// of the ordered contract, decoded from the fuzzer's bytes (see
// DecodeOrdered), in tiny sequence spaces that wrap every few packets. Its
// seeds are the ordered scenarios of the corpus.
func FuzzOrdered(f *testing.F) {
	seeds, err := orderedSeed()
	addAll(f, seeds, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.DecodeOrdered(data)
		if err != nil {
			return
		}
		if err := fuzzcodec.CheckOrdered(newOrdered, p); err != nil {
			t.Fatal(err)
		}
	})
}
