package properties

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/scenario"
	"github.com/netbuf-go/netbuf/step"
)

// failure is one failing case: the configuration, the ops applied up to
// the failing one, and what differed.
type failure struct {
	newBuffer Factory
	c, slots  int
	ops       []step.Op
	err       error
}

// report renders f for a person: what differed, then the case as a
// scenario with the model's answers, ready to save in the corpus. The
// engine's shrunk case is shrunk further by step.Shrink, which removes
// operations while the failure stays on fresh buffers: the result does not
// depend on the engine's time budget or on the machine's load.
func (f failure) report() string {
	if f.err == nil {
		return "(no failing case was recorded)"
	}
	if step.CheckOps(f.newBuffer, f.c, f.slots, f.ops) == nil {
		return fmt.Sprintf("%v\nthe failing case (%d ops) passes on fresh buffers: the buffers share state across cases or with each other\n%s",
			f.err, len(f.ops), formatScenario(scenario.Record(f.c, f.slots, f.ops)))
	}
	ops := step.Shrink(f.newBuffer, f.c, f.slots, f.ops)
	err := step.CheckOps(f.newBuffer, f.c, f.slots, ops)
	return fmt.Sprintf("%v\nshrunk to %d ops; as a scenario (the model's answers; save it under corpus/ to keep it):\n%s",
		err, len(ops), formatScenario(scenario.Record(f.c, f.slots, ops)))
}

func formatScenario(s scenario.Scenario) string {
	return strings.TrimRight(scenario.Format([]scenario.Scenario{s}), "\n")
}

// recorder keeps the ops of one case and, when it fails, records it as the
// newest failure.
type recorder struct {
	newBuffer Factory
	c, slots  int
	ops       []step.Op
	last      *failure
}

// fail records the failing case and fails it, with a one-line message:
// the engine is still shrinking, and the report comes once, at the end.
func (r *recorder) fail(t interface{ Fatalf(string, ...any) }, err error) {
	*r.last = failure{newBuffer: r.newBuffer, c: r.c, slots: r.slots, ops: append([]step.Op(nil), r.ops...), err: err}
	t.Fatalf("%s", firstLine(err.Error()))
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

// replay returns rapid's "failed after N tests" line and how to reproduce.
func (q *quietTB) replay() string {
	var out []string
	for _, e := range q.errors {
		for _, line := range strings.Split(e, "\n") {
			if strings.HasPrefix(line, "[rapid] ") || strings.HasPrefix(line, "To reproduce") {
				out = append(out, firstLine(line))
			}
		}
	}
	return strings.Join(out, "; ")
}

// envGiven reports whether rapid's flag name (e.g. "rapid.checks") was set
// through its environment variable (RAPID_CHECKS).
func envGiven(name string) bool {
	_, ok := os.LookupEnv("RAPID_" + strings.ToUpper(strings.TrimPrefix(name, "rapid.")))
	return ok
}

// drain ends what is open on p, pops every packet left through apply, then
// requires the buffer to hold nothing: no byte is ever leaked.
func drain(p *step.Pair, apply func(step.Op) error) error {
	if _, ok := p.Ref.Reserving(); ok {
		if err := apply(step.Op{Kind: step.OpAbort}); err != nil {
			return err
		}
	}
	if p.Ref.Peeking() {
		if err := apply(step.Op{Kind: step.OpRelease}); err != nil {
			return err
		}
	}
	for p.Ref.Len() > 0 {
		if err := apply(step.Op{Kind: step.OpPop, DstLen: p.Ref.Cap()}); err != nil {
			return err
		}
	}
	if n, u := p.Impl.Len(), p.Impl.Used(); n != 0 || u != 0 {
		return fmt.Errorf("after draining: Len %d, Used %d, want 0, 0 (a leak)", n, u)
	}
	return nil
}
