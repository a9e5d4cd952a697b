package spsccheck

import (
	"fmt"
	"reflect"

	"github.com/google/go-cmp/cmp"
	"github.com/netbuf-go/netbuf/model"
)

// Checker is an internal invariant check (netbuf.Producer's Check), run
// after every step of a sequential history for a producer that has it.
type Checker interface{ Check() error }

// Pair is a buffer under test and the model, driven in lockstep by one
// goroutine holding both halves of each.
type Pair struct {
	Impl, Ref *Runner
	Model     *model.SPSC

	// Observe, if set, is told of every operation applied and the model's
	// Result, with whether the model placed a push by restarting an empty
	// buffer at 0 or by wrapping (padding the newest packet).
	Observe func(op Op, r Result, restarted, wrapped bool)
}

// NewPair builds both sides. It returns an error if the factory and the
// model disagree on whether the arguments are valid; (nil, nil) if both
// refuse them.
func NewPair(f Factory, capacityBytes, maxPackets int) (*Pair, error) {
	p, c, err1 := f(capacityBytes, maxPackets)
	m, err2 := model.NewSPSC(capacityBytes, maxPackets)
	if k1, k2 := ErrName(err1), ErrName(err2); k1 != k2 {
		return nil, fmt.Errorf("new %d %d: buffer says %q, model says %q", capacityBytes, maxPackets, k1, k2)
	}
	if err2 != nil {
		return nil, nil
	}
	return &Pair{
		Impl:  NewRunner(Halves{p, c}),
		Ref:   NewRunner(Halves{m.Producer(), m.Consumer()}),
		Model: m,
	}, nil
}

// Apply runs op on both sides and returns the model's Result, and an
// error describing the first difference (-model +buffer) or a broken
// invariant.
func (p *Pair) Apply(op Op) (Result, error) {
	restarted, wrapped := false, false
	if op.Kind == Reserve || op.Kind == PushWith || op.Kind == Push {
		off, wraps, err := p.Model.Place(op.MaxSize)
		restarted = err == nil && !wraps && off == 0 && p.Model.Len() == 0 && p.Model.Head() != 0
		wrapped = err == nil && wraps
	}
	want := p.Ref.Run(op)
	got := p.Impl.Run(op)
	if !reflect.DeepEqual(want, got) {
		return want, fmt.Errorf("%s: buffer differs from model (-model +buffer):\n%s", op, cmp.Diff(want, got))
	}
	if err := p.Counters(); err != nil {
		return want, fmt.Errorf("%s: %w", op, err)
	}
	if p.Observe != nil {
		p.Observe(op, want, restarted, wrapped)
	}
	return want, nil
}

// Counters compares both halves' Len, the producer's Used, Cap and
// MaxPackets, and runs the producer's Check if it has one.
func (p *Pair) Counters() error {
	ip, ic := p.Impl.H.P, p.Impl.H.C
	got := [6]int{ip.Len(), ic.Len(), ip.Used(), ip.Cap(), ip.MaxPackets(), ic.MaxPackets()}
	m := p.Model
	want := [6]int{m.Len(), m.Len(), m.Used(), m.Cap(), m.MaxPackets(), m.MaxPackets()}
	if got != want {
		return fmt.Errorf("counters (producer Len, consumer Len, Used, Cap, MaxPackets, consumer MaxPackets): buffer %v, model %v", got, want)
	}
	if c, ok := ip.(Checker); ok {
		if err := c.Check(); err != nil {
			return fmt.Errorf("invariant broken: %w", err)
		}
	}
	return nil
}

// Drain ends what is open, pops every packet left through apply, then
// requires the buffer to hold nothing.
func (p *Pair) Drain(apply func(Op) error) error {
	if _, ok := p.Model.Reserving(); ok {
		if err := apply(Op{Kind: Abort}); err != nil {
			return err
		}
	}
	if p.Model.Peeking() {
		if err := apply(Op{Kind: Release}); err != nil {
			return err
		}
	}
	for p.Model.Len() > 0 {
		if err := apply(Op{Kind: Pop, DstLen: p.Model.Cap()}); err != nil {
			return err
		}
	}
	if n, u := p.Impl.H.P.Len(), p.Impl.H.P.Used(); n != 0 || u != 0 {
		return fmt.Errorf("after draining: Len %d, Used %d, want 0, 0 (a leak)", n, u)
	}
	return nil
}
