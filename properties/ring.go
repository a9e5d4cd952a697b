package properties

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step"
	"pgregory.net/rapid"
)

// CheckRing checks rings from newRing against model.Ring with a rapid
// state machine: every Push and Pop (and Peek and Reset, when the ring has
// them) gives the same answer and value, Len and Cap (and Full, if the
// ring has it) agree after every step, and Push and Pop allocate nothing.
// Capacities are mostly 1 to 8, so the ring's indices wrap many times.
// The constructor must refuse capacities below 1, and above MaxSlots when
// it is declared; CapacityRoundsUp lets Cap() exceed the capacity asked
// for; ErrorMeans maps the ring's own errors. Saved `ring C` scenarios are
// replayed with Corpus.
func CheckRing(t testing.TB, newRing RingFactory, opts ...Option) {
	t.Helper()
	r := newRun(t, "CheckRing", opts)
	probe, err := newRing(1)
	if err != nil || probe == nil {
		r.fail(&Failure{Engine: "constructor", Err: fmt.Errorf("New(1) = %v, %v: want a ring", probe, err)})
		return
	}
	rs := rings{newRing: newRing, cfg: &r.cfg}
	_, rs.peek = probe.(ringPeeker)
	_, rs.reset = probe.(interface{ Reset() })
	r.logf("checking a ring; Peek %v, Reset %v", rs.peek, rs.reset)
	r.cfg.maxCapacity = r.cfg.maxSlots // a ring's one argument is a slot count
	r.engine("constructor", func() *Failure {
		return checkLimits(r, false, func(c, _ int) error { _, err := newRing(c); return err })
	})
	r.engine("corpus", func() *Failure { return replayRingCorpus(r, rs) })
	r.engine("rapid", func() *Failure { return checkRingRapid(r, rs) })
	r.engine("allocs", func() *Failure { return checkRingAllocs(rs) })
}

// rings builds ring pairs as the options say.
type rings struct {
	newRing     RingFactory
	cfg         *config
	peek, reset bool
}

// pair builds a ring of capacity c and model.Ring beside it: of the
// ring's Cap() with CapacityRoundsUp, which must not be below c.
func (rs rings) pair(c int) (*step.RingPair, error) {
	q, err := rs.newRing(c)
	var impl step.Ring
	if q != nil {
		impl = ringOf{q, rs.cfg}
	}
	build := func(int) (step.Ring, error) { return impl, ringErr(rs.cfg, err) }
	if !rs.cfg.roundsUp || err != nil || q == nil || c < 1 {
		return step.NewRingPair(build, c)
	}
	if q.Cap() < c {
		return nil, fmt.Errorf("New(%d): Cap() = %d, less than asked", c, q.Cap())
	}
	return step.NewRingPair(build, q.Cap())
}

type ringPeeker interface{ Peek() (uint64, error) }

// ringOf is a Ring with every method the ring pair calls (Peek and Reset
// are drawn only for a ring that has them), its errors mapped by
// ErrorMeans.
type ringOf struct {
	Ring
	cfg *config
}

func (q ringOf) Push(v uint64) error  { return ringErr(q.cfg, q.Ring.Push(v)) }
func (q ringOf) Pop() (uint64, error) { v, err := q.Ring.Pop(); return v, ringErr(q.cfg, err) }
func (q ringOf) Peek() (uint64, error) {
	v, err := q.Ring.(ringPeeker).Peek()
	return v, ringErr(q.cfg, err)
}
func (q ringOf) Reset() { q.Ring.(interface{ Reset() }).Reset() }
func (q ringOf) Full() bool {
	if f, ok := q.Ring.(interface{ Full() bool }); ok {
		return f.Full()
	}
	return q.Len() == q.Cap()
}

// ringErr maps err through ErrorMeans.
func ringErr(cfg *config, err error) error {
	for _, e := range cfg.errs {
		if err != nil && errors.Is(err, e.own) {
			return e.contract
		}
	}
	return err
}

func checkRingRapid(r *run, rs rings) *Failure {
	var last failure[step.RingOp]
	steps := 0
	failed, replay := runRapid(r, 1000, shrinkTime, func(rt *rapid.T) {
		limit := r.cfg.slotLimit()
		var c int
		switch kind := rapid.IntRange(0, 9).Draw(rt, "config"); {
		case kind <= 7:
			c = rapid.IntRange(1, min(8, limit)).Draw(rt, "capacity")
		case kind == 8:
			c = rapid.IntRange(min(9, limit), min(1024, limit)).Draw(rt, "capacity")
		default:
			c = rapid.IntRange(-1, 0).Draw(rt, "capacity") // refused by both
		}
		rec := &recorder[step.RingOp]{of: ringCase(rs, c), last: &last}
		p, err := rs.pair(c)
		if err != nil {
			rec.fail(rt, err)
		}
		if p == nil {
			return
		}
		apply := func(rt *rapid.T, op step.RingOp) { steps++; rec.apply(rt, op, p.Apply) }
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
		if rs.peek {
			actions["Peek"] = func(rt *rapid.T) { apply(rt, step.RingOp{Kind: step.RingPeek}) }
		}
		if rs.reset {
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
		return last.value("rapid", replay)
	}
	r.stats("rapid", ringStats(steps))
	return nil
}

type ringStats int

func (s ringStats) String() string { return fmt.Sprintf("steps=%d", int(s)) }

// ringCase re-checks, shrinks and prints ring cases of capacity c.
func ringCase(rs rings, c int) caseOf[step.RingOp] {
	check := func(ops []step.RingOp) error {
		p, err := rs.pair(c)
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

// replayRingCorpus replays the `ring C` scenarios of the Corpus options
// (netbuf's corpus has none).
func replayRingCorpus(r *run, rs rings) *Failure {
	saved := 0
	for _, fsys := range r.cfg.corpora {
		files, err := fs.Glob(fsys, "*.scn")
		if err == nil && len(files) == 0 {
			err = fmt.Errorf("Corpus: no *.scn file at the root of %v (a wrong directory?)", fsys)
		}
		if err != nil {
			return &Failure{Engine: "corpus", Err: err}
		}
		for _, file := range files {
			text, err := fs.ReadFile(fsys, file)
			if err != nil {
				return &Failure{Engine: "corpus", Err: err}
			}
			bs, err := parseBlocks(file, string(text), "ring", 1, parseRingOp)
			if err != nil {
				return &Failure{Engine: "corpus", Err: err}
			}
			for _, b := range bs {
				saved++
				c := ringCase(rs, b.args[0])
				if err := c.check(b.ops); err != nil {
					f := failure[step.RingOp]{of: c, ops: b.ops, err: err}.value("corpus", "")
					f.Err = fmt.Errorf("%s: %w", b.file, f.Err)
					return f
				}
			}
		}
	}
	if saved > 0 {
		r.logf("corpus: %d saved ring scenarios replayed", saved)
	}
	return nil
}

// parseRingOp reads a ring call as RingOp.String prints it.
func parseRingOp(words []string) (step.RingOp, error) {
	var op step.RingOp
	switch {
	case words[0] == "push" && len(words) == 2:
		_, err := fmt.Sscan(words[1], &op.V)
		return step.RingOp{Kind: step.RingPush, V: op.V}, err
	case len(words) == 1 && words[0] == "pop":
		return step.RingOp{Kind: step.RingPop}, nil
	case len(words) == 1 && words[0] == "peek":
		return step.RingOp{Kind: step.RingPeek}, nil
	case len(words) == 1 && words[0] == "reset":
		return step.RingOp{Kind: step.RingReset}, nil
	}
	return op, fmt.Errorf("want `push V`, `pop`, `peek` or `reset`, got %q", strings.Join(words, " "))
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
