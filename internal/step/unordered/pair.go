package unordered

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/model"
)

// Pair is a buffer under test and the model, driven in lockstep, each with
// a second buffer of the same configuration for CallOther callbacks (two
// buffers from one factory must not share state).
type Pair struct {
	Impl, ImplOther Buffer
	Ref, RefOther   *model.Unordered

	// Observe, if set, is told of every operation applied: the model's
	// Result, and whether the model placed the packet by wrapping to offset
	// 0 (padded: with padding added to the packet before it).
	Observe func(op Op, r Result, wrapped, padded bool)
}

// NewPair builds both sides with the same configuration. It returns an
// error if the factory and the model disagree on whether it is valid; if
// both refuse it, it returns (nil, nil).
func NewPair(f Factory, c Config) (*Pair, error) {
	impl, err1 := f(c.Capacity, c.MaxPackets)
	ref, err2 := model.NewUnordered(c.Capacity, c.MaxPackets)
	if refused, err := lockstep.Agree(c, err1, err2); refused || err != nil {
		return nil, err
	}
	implOther, err1 := f(c.Capacity, c.MaxPackets)
	refOther, err2 := model.NewUnordered(c.Capacity, c.MaxPackets)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("%s a second time: buffer says %v, model says %v", c, err1, err2)
	}
	return &Pair{Impl: impl, ImplOther: implOther, Ref: ref, RefOther: refOther}, nil
}

// Apply runs op on both sides and returns the model's Result and an error
// describing the first difference (a cmp.Diff, -model +buffer), or a broken
// internal invariant if the buffer has a Check method.
func (p *Pair) Apply(op Op) (Result, error) {
	before := p.Ref.Head() + p.Ref.Used()
	_, wrapped, placeErr := p.Ref.Place(op.MaxSize)
	want := Run(p.Ref, p.RefOther, op)
	got := Run(p.Impl, p.ImplOther, op)
	if err := lockstep.Compare(op, want, got); err != nil {
		return want, err
	}
	if err := lockstep.Invariants(op, p.Impl, p.ImplOther); err != nil {
		return want, err
	}
	if p.Observe != nil {
		wrapped = wrapped && placeErr == nil
		p.Observe(op, want, wrapped, wrapped && p.Ref.Cap() > before)
	}
	return want, nil
}

// Counters compares Len, Used, Cap and MaxPackets of both sides, and runs
// the buffer's Check if it has one: the invariant check between steps.
func (p *Pair) Counters() error {
	impl, ref := p.Impl, p.Ref
	got := [4]int{impl.Len(), impl.Used(), impl.Cap(), impl.MaxPackets()}
	want := [4]int{ref.Len(), ref.Used(), ref.Cap(), ref.MaxPackets()}
	if got != want {
		return fmt.Errorf("counters (Len, Used, Cap, MaxPackets): buffer %v, model %v", got, want)
	}
	if c, ok := impl.(lockstep.Checker); ok {
		if err := c.Check(); err != nil {
			return fmt.Errorf("invariant broken: %w", err)
		}
	}
	return nil
}

// End ends whatever a case left open on the buffers under test (a
// reservation, a peek), so that a bug which shares state between buffers
// cannot leak from one case into the next. A panic of the buffer is
// swallowed: the case is over.
func (p *Pair) End() {
	for _, b := range []Buffer{p.Impl, p.ImplOther} {
		if tp, ok := b.(TwoPhase); ok {
			func() {
				defer func() { _ = recover() }()
				_ = tp.Abort()
				_ = tp.Release()
			}()
		}
	}
}

// Finish: an UnorderedBuffer case is checked step by step; its end adds
// nothing.
func (p *Pair) Finish(func(Op) error) error { return nil }

// Answer is op's answer as a scenario records it: what r says, with the
// counters after it.
func (p *Pair) Answer(op Op, r Result) (lockstep.Statement, lockstep.Want) {
	w, failed := lockstep.Outcome(lockstep.Want{Used: r.Used, Len: r.Len, Next: lockstep.None}, r.Panic, r.Err)
	if !failed {
		switch op.Kind {
		case PushWith, Pop:
			w.Bytes = r.N
		case PushBatch:
			w.Answer, w.Bytes = lockstep.AnswerPackets, r.N
		case PopWith, Peek:
			w.Bytes = len(r.Data)
		case Push:
			w.Bytes = max(op.MaxSize, 0)
		case Reserve:
			w.Bytes = r.Window[0]
		default:
			w.Answer = lockstep.AnswerOK
		}
	}
	return op, w
}

// Query checks that both sides answer q with want.
func (p *Pair) Query(q lockstep.Query, want int) error {
	for _, side := range []struct {
		name string
		b    Buffer
	}{{"model", p.Ref}, {"buffer", p.Impl}} {
		if v := query(q, side.b); v != want {
			return fmt.Errorf("%s answered %d", side.name, v)
		}
	}
	return nil
}

func query(q lockstep.Query, b Buffer) int {
	switch q {
	case "used":
		return b.Used()
	case "len":
		return b.Len()
	case "cap":
		return b.Cap()
	}
	return b.MaxPackets()
}
