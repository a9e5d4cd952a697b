package properties

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step"
	"pgregory.net/rapid"
)

// CheckRing checks rings from newRing against model.Ring with a rapid
// state machine: every Push and Pop (and Peek and Reset, when the ring has
// them) gives the same answer and value, and Len, Cap (and Full, if the
// ring has it) agree after every step. Capacities are mostly 1 to 8, so
// the ring's indices wrap many times; MaxSlots declares the
// constructor's limit.
func CheckRing(t testing.TB, newRing RingFactory, opts ...Option) {
	t.Helper()
	r := newRun(t, "CheckRing", opts)
	f := func(c int) (step.Ring, error) {
		q, err := newRing(c)
		if q == nil {
			return nil, err
		}
		return ringOf{q}, err
	}
	probe, err := newRing(1)
	if err != nil || probe == nil {
		r.fail(&Failure{Engine: "constructor", Err: fmt.Errorf("NewRing(1) = %v, %v: want a ring", probe, err)})
		return
	}
	_, peek := probe.(ringPeeker)
	_, reset := probe.(interface{ Reset() })
	r.cfg.maxCapacity = r.cfg.maxSlots // a ring's one argument is a slot count
	r.engine("constructor", func() *Failure {
		return checkLimits(r, false, func(c, _ int) error { _, err := newRing(c); return err })
	})
	r.engine("rapid", func() *Failure { return checkRingRapid(r, f, peek, reset) })
}

type ringPeeker interface{ Peek() (uint64, error) }

// ringOf is a Ring with every method the ring pair calls; Peek and Reset
// are drawn only for a ring that has them.
type ringOf struct{ Ring }

func (q ringOf) Peek() (uint64, error) { return q.Ring.(ringPeeker).Peek() }
func (q ringOf) Reset()                { q.Ring.(interface{ Reset() }).Reset() }
func (q ringOf) Full() bool {
	if f, ok := q.Ring.(interface{ Full() bool }); ok {
		return f.Full()
	}
	return q.Len() == q.Cap()
}

func checkRingRapid(r *run, newRing step.RingFactory, peek, reset bool) *Failure {
	var last failure[step.RingOp]
	failed, replay := runRapid(r, 1000, shrinkTime, func(rt *rapid.T) {
		var c int
		switch kind := rapid.IntRange(0, 9).Draw(rt, "config"); {
		case kind <= 7:
			c = rapid.IntRange(1, min(8, r.cfg.slotLimit())).Draw(rt, "capacity")
		case kind == 8:
			c = rapid.IntRange(min(9, r.cfg.slotLimit()), min(1024, r.cfg.slotLimit())).Draw(rt, "capacity")
		default:
			c = rapid.SampledFrom([]int{0, -1, r.cfg.beyondModel()}).Draw(rt, "capacity")
		}
		rec := &recorder[step.RingOp]{of: ringCase(newRing, c), last: &last}
		p, err := step.NewRingPair(newRing, c)
		if err != nil {
			rec.fail(rt, err)
		}
		if p == nil {
			return
		}
		apply := func(rt *rapid.T, op step.RingOp) { rec.apply(rt, op, p.Apply) }
		push := func(rt *rapid.T) { apply(rt, step.RingOp{Kind: step.RingPush, V: rapid.Uint64().Draw(rt, "v")}) }
		actions := map[string]func(*rapid.T){
			"Push": push,
			"PushMany": func(rt *rapid.T) { // fills the ring: pushes outnumber pops
				for range rapid.IntRange(1, 2*p.Ref.Cap()).Draw(rt, "n") {
					push(rt)
				}
			},
			"Pop": func(rt *rapid.T) { apply(rt, step.RingOp{Kind: step.RingPop}) },
		}
		if peek {
			actions["Peek"] = func(rt *rapid.T) { apply(rt, step.RingOp{Kind: step.RingPeek}) }
		}
		if reset {
			actions["Reset"] = func(rt *rapid.T) {
				if p.Ref.Len() == 0 {
					rt.Skip("empty") // keeps resets rarer than the other actions
				}
				apply(rt, step.RingOp{Kind: step.RingReset})
			}
		}
		rt.Repeat(actions)
	})
	if failed {
		return last.value("rapid, " + replay)
	}
	return nil
}

// ringCase re-checks, shrinks and prints ring cases of capacity c.
func ringCase(newRing step.RingFactory, c int) caseOf[step.RingOp] {
	check := func(ops []step.RingOp) error {
		p, err := step.NewRingPair(newRing, c)
		if err != nil || p == nil {
			return err
		}
		for _, op := range ops {
			if err := p.Apply(op); err != nil {
				return err
			}
		}
		return nil
	}
	return caseOf[step.RingOp]{
		check:  check,
		shrink: func(ops []step.RingOp) []step.RingOp { return shrinkOps(ops, check) },
		record: func(ops []step.RingOp) string {
			lines := []string{fmt.Sprintf("ring %d", c)}
			for _, op := range ops {
				lines = append(lines, op.String())
			}
			return strings.Join(lines, "\n")
		},
	}
}

// shrinkOps removes operations, last first, while check still fails, to
// a fixed point.
func shrinkOps[Op any](ops []Op, check func([]Op) error) []Op {
	for changed := true; changed; {
		changed = false
		for i := len(ops) - 1; i >= 0; i-- {
			q := append(append(make([]Op, 0, len(ops)-1), ops[:i]...), ops[i+1:]...)
			if check(q) != nil {
				ops, changed = q, true
			}
		}
	}
	return ops
}
