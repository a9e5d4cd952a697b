package properties

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// caseOf is how to re-check, shrink and print the ops of one case's
// configuration, on fresh buffers: what a failure report needs of it.
type caseOf[Op any] struct {
	check  func([]Op) error
	shrink func([]Op) []Op
	record func([]Op) string // the ops as a scenario
}

func unorderedCase(newBuffer unordered.Factory, c, slots int) caseOf[unordered.Op] {
	return caseOf[unordered.Op]{
		check: func(ops []unordered.Op) error {
			return unordered.Check(newBuffer, unordered.Config{Capacity: c, MaxPackets: slots}, ops)
		},
		shrink: func(ops []unordered.Op) []unordered.Op {
			return unordered.Shrink(newBuffer, unordered.Config{Capacity: c, MaxPackets: slots}, ops)
		},
		record: func(ops []unordered.Op) string {
			return formatScenario(scenario.RecordOf(unordered.Family{}, unordered.Config{Capacity: c, MaxPackets: slots}, ops))
		},
	}
}

func orderedCase(newBuffer ordered.Factory, cfg ordered.Config) caseOf[ordered.Op] {
	return caseOf[ordered.Op]{
		check:  func(ops []ordered.Op) error { return ordered.Check(newBuffer, cfg, ops) },
		shrink: func(ops []ordered.Op) []ordered.Op { return ordered.Shrink(newBuffer, cfg, ops) },
		record: func(ops []ordered.Op) string { return formatScenario(scenario.RecordOf(ordered.Family{}, cfg, ops)) },
	}
}

// spscCase prints a case with the calls that drain it: CheckSPSCOps
// drains, and a failure may come from the drain.
func spscCase(newSPSC spsc.Factory, c, slots int) caseOf[spsc.Op] {
	return caseOf[spsc.Op]{
		check: func(ops []spsc.Op) error {
			return spsc.Check(newSPSC, spsc.Config{Capacity: c, MaxPackets: slots}, ops)
		},
		shrink: func(ops []spsc.Op) []spsc.Op {
			return spsc.Shrink(newSPSC, spsc.Config{Capacity: c, MaxPackets: slots}, ops)
		},
		record: func(ops []spsc.Op) string {
			return formatScenario(scenario.RecordOf(spsc.Family{}, spsc.Config{Capacity: c, MaxPackets: slots}, spsc.WithDrain(spsc.Config{Capacity: c, MaxPackets: slots}, ops)))
		},
	}
}

// failure is one failing case: the ops applied up to the failing one, and
// what differed.
type failure[Op any] struct {
	of  caseOf[Op]
	ops []Op
	err error
}

// value is f as a Failure found by engine. The engine's shrunk case is
// shrunk further (caseOf.shrink: unordered.Shrink and its kin), which removes
// operations while the failure stays on fresh buffers: the result does not
// depend on the engine's time budget or on the machine's load.
func (f failure[Op]) value(engine, replay string) *Failure {
	switch {
	case f.err == nil:
		return &Failure{Engine: engine, Replay: replay, Err: errors.New("the engine failed, but recorded no failing case")}
	case f.of.check(f.ops) == nil:
		return &Failure{Engine: engine, Replay: replay, Calls: calls(f.of.record(f.ops)), Scenario: f.of.record(f.ops),
			Err: fmt.Errorf("%w; the failing case passes on fresh buffers: the buffers share state across cases or with each other", f.err)}
	}
	ops := f.of.shrink(f.ops)
	err := f.of.check(ops)
	if err == nil { // the shrinker lost the failure: report the case as found
		ops, err = f.ops, f.err
	}
	text := f.of.record(ops)
	return &Failure{Engine: engine, Replay: replay, Err: err, Calls: calls(text), Scenario: text}
}

// shrunk is f shrunk on fresh buffers, or nil if its ops pass there.
func (f failure[Op]) shrunk(engine string) *Failure {
	if f.of.check(f.ops) == nil {
		return nil
	}
	return f.value(engine, "")
}

// calls counts the statements of a scenario after its header.
func calls(scenario string) int { return strings.Count(strings.TrimSpace(scenario), "\n") }

func formatScenario(s scenario.Scenario) string {
	return strings.TrimRight(scenario.Format([]scenario.Scenario{s}), "\n")
}

// fataler is what a failing case is reported to: a rapid.T or a testing.T.
type fataler interface{ Fatalf(string, ...any) }

// recorder keeps the ops of one case and, when it fails, records it as the
// newest failure.
type recorder[Op any] struct {
	of   caseOf[Op]
	ops  []Op
	last *failure[Op]
}

// failure is the case so far, failed with err.
func (r *recorder[Op]) failure(err error) failure[Op] {
	return failure[Op]{of: r.of, ops: slices.Clone(r.ops), err: err}
}

// fail records the failing case and fails it, with a one-line message:
// the engine is still shrinking, and the report comes once, at the end.
func (r *recorder[Op]) fail(t fataler, err error) {
	*r.last = r.failure(err)
	t.Fatalf("%s", firstLine(err.Error()))
}

// apply records op and runs it through apply; an error fails the case.
func (r *recorder[Op]) apply(t fataler, op Op, apply func(Op) error) {
	r.ops = append(r.ops, op)
	if err := apply(op); err != nil {
		r.fail(t, err)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// quietTB is what rapid.Check reports to: it keeps rapid's messages, so
// that a failure is printed once, short, by the engine (rapid would print
// the counterexample, its draws and the message again).
type quietTB struct {
	testing.TB
	failed bool
	errors []string
}

func (q *quietTB) Errorf(format string, args ...any) {
	q.failed = true
	q.errors = append(q.errors, fmt.Sprintf(format, args...))
}
func (q *quietTB) Error(args ...any)                 { q.Errorf("%s", fmt.Sprint(args...)) }
func (q *quietTB) Fatalf(format string, args ...any) { q.Errorf(format, args...) }
func (q *quietTB) Fatal(args ...any)                 { q.Error(args...) }
func (q *quietTB) Fail()                             { q.failed = true }
func (q *quietTB) FailNow()                          { q.failed = true }
func (q *quietTB) Failed() bool                      { return q.failed }
func (q *quietTB) Logf(string, ...any)               {}
func (q *quietTB) Log(...any)                        {}

// replay returns how to reproduce rapid's failing run: its seed flag.
func (q *quietTB) replay() string {
	for _, e := range q.errors {
		if m := rapidSeed.FindString(e); m != "" {
			return m
		}
	}
	return "no seed reported"
}

var rapidSeed = regexp.MustCompile(`-rapid\.seed=\d+`)

// envGiven reports whether rapid's flag name (e.g. "rapid.checks") was set
// through its environment variable (RAPID_CHECKS).
func envGiven(name string) bool {
	_, ok := os.LookupEnv("RAPID_" + strings.ToUpper(strings.TrimPrefix(name, "rapid.")))
	return ok
}

// drain ends what is open on p, pops every packet left through apply, then
// requires the buffer to hold nothing: no byte is ever leaked.
func drain(p *unordered.Pair, apply func(unordered.Op) error) error {
	if _, ok := p.Ref.Reserving(); ok {
		if err := apply(unordered.Op{Kind: unordered.Abort}); err != nil {
			return err
		}
	}
	if p.Ref.Peeking() {
		if err := apply(unordered.Op{Kind: unordered.Release}); err != nil {
			return err
		}
	}
	for p.Ref.Len() > 0 {
		if err := apply(unordered.Op{Kind: unordered.Pop, DstLen: p.Ref.Cap()}); err != nil {
			return err
		}
	}
	if n, u := p.Impl.Len(), p.Impl.Used(); n != 0 || u != 0 {
		return fmt.Errorf("after draining: Len %d, Used %d, want 0, 0 (a leak)", n, u)
	}
	return nil
}

// shrinkOps removes operations while check still fails on fresh buffers
// (lockstep.ShrinkList).
func shrinkOps[Op any](ops []Op, check func([]Op) error) []Op {
	return lockstep.ShrinkList(ops, func(ops []Op) bool { return check(ops) != nil })
}
