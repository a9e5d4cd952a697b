package properties

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"pgregory.net/rapid"
)

// CheckRing checks rings from newRing against model.Ring with a rapid
// state machine: every Push and Pop (and Peek and Reset, when the ring has
// them) gives the same answer and value, Len and Cap (and Full, if the
// ring has it) agree after every step, and Push and Pop allocate nothing.
// Capacities are mostly 1 to 8, so the ring's indices wrap many times.
// The constructor must refuse capacities below 1, and above MaxSlots when
// it is declared; CapacityRoundsUp lets Cap() exceed the capacity asked
// for; ErrorMeans maps the ring's own errors. It replays the ring
// scenarios of netbuf's corpus and of Corpus before its engine.
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
func (rs rings) pair(c int) (*ring.Pair, error) {
	q, err := rs.newRing(c)
	var impl ring.Buffer
	if q != nil {
		impl = ringOf{q, rs.cfg}
	}
	build := func(int) (ring.Buffer, error) { return impl, ringErr(rs.cfg, err) }
	if !rs.cfg.roundsUp || err != nil || q == nil || c < 1 {
		return ring.NewPair(build, ring.Config{Capacity: c})
	}
	if q.Cap() < c {
		return nil, fmt.Errorf("New(%d): Cap() = %d, less than asked", c, q.Cap())
	}
	return ring.NewPair(build, ring.Config{Capacity: q.Cap()})
}

// lacks reports whether the ring lacks op's method.
func (rs rings) lacks(op ring.Op) bool {
	return (op.Kind == ring.Peek && !rs.peek) || (op.Kind == ring.Reset && !rs.reset)
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
	var last failure[ring.Op]
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
		rec := &recorder[ring.Op]{of: ringCase(rs, c), last: &last}
		p, err := rs.pair(c)
		if err != nil {
			rec.fail(rt, err)
		}
		if p == nil {
			return
		}
		apply := func(rt *rapid.T, op ring.Op) {
			steps++
			rec.apply(rt, op, func(op ring.Op) error { _, err := p.Apply(op); return err })
		}
		push := func(rt *rapid.T) { apply(rt, ring.Op{Kind: ring.Push, V: rapid.Uint64().Draw(rt, "v")}) }
		actions := map[string]func(*rapid.T){
			"Push": push,
			"PushMany": func(rt *rapid.T) { // fills the ring: pushes outnumber pops
				for range rapid.IntRange(1, 2*p.Ref.Cap()).Draw(rt, "n") {
					push(rt)
				}
			},
			"Pop": func(rt *rapid.T) { apply(rt, ring.Op{Kind: ring.Pop}) },
		}
		if rs.peek {
			actions["Peek"] = func(rt *rapid.T) { apply(rt, ring.Op{Kind: ring.Peek}) }
		}
		if rs.reset {
			actions["Reset"] = func(rt *rapid.T) {
				if p.Ref.Len() == 0 {
					rt.Skip("empty") // keeps resets rarer than the other actions
				}
				apply(rt, ring.Op{Kind: ring.Reset})
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
func ringCase(rs rings, c int) caseOf[ring.Op] {
	check := func(ops []ring.Op) error {
		p, err := rs.pair(c)
		if err != nil || p == nil {
			return err
		}
		for _, op := range ops {
			if _, err := p.Apply(op); err != nil {
				return err
			}
		}
		return nil
	}
	return caseOf[ring.Op]{
		check:  check,
		shrink: func(ops []ring.Op) []ring.Op { return shrinkOps(ops, check) },
		record: func(ops []ring.Op) string {
			return formatScenario(scenario.RecordOf(ring.Family{}, ring.Config{Capacity: c}, ops))
		},
	}
}

// replayRingCorpus replays the ring scenarios of netbuf's corpus and the
// Corpus options' on rings from rs, each call compared with the model.
func replayRingCorpus(r *run, rs rings) *Failure {
	if r.cfg.noCorpus {
		return nil
	}
	files, err := corpusFiles(r)
	if err != nil {
		return &Failure{Engine: "corpus", Err: err}
	}
	ran, skipped := 0, 0
	for _, file := range files {
		for _, s := range file.scenarios {
			c, ok := s.Config.(ring.Config)
			ops := scenario.OpsOf[ring.Op](s)
			if !ok {
				continue
			}
			if slices.ContainsFunc(ops, rs.lacks) {
				skipped++
				continue
			}
			ran++
			rc := ringCase(rs, c.Capacity)
			if err := rc.check(ops); err != nil {
				f := failure[ring.Op]{of: rc, ops: ops, err: err}.value("corpus", "")
				f.Err = fmt.Errorf("%s:%d: %w", file.name, s.Line, f.Err)
				return f
			}
		}
	}
	r.logf("corpus: %d ring scenarios replayed, %d need Peek or Reset, which the ring does not have", ran, skipped)
	return nil
}
