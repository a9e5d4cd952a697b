package step

import (
	"fmt"
	"reflect"
	"slices"

	"github.com/google/go-cmp/cmp"
	"github.com/netbuf-go/netbuf/model"
)

// SPSCPair is a buffer under test and the model, driven in lockstep by one
// goroutine holding both halves of each.
type SPSCPair struct {
	Impl, Ref *SPSCRunner
	Model     *model.SPSC

	// Observe, if set, is told of every operation applied and the model's
	// SPSCResult, with whether the model placed a push by restarting an empty
	// buffer at 0 or by wrapping (padding the newest packet).
	Observe func(op SPSCOp, r SPSCResult, restarted, wrapped bool)
}

// NewSPSCPair builds both sides. It returns an error if the factory and the
// model disagree on whether the arguments are valid; (nil, nil) if both
// refuse them.
func NewSPSCPair(f SPSCFactory, capacityBytes, maxPackets int) (*SPSCPair, error) {
	p, c, err1 := f(capacityBytes, maxPackets)
	m, err2 := model.NewSPSC(capacityBytes, maxPackets)
	if k1, k2 := ErrName(err1), ErrName(err2); k1 != k2 {
		return nil, fmt.Errorf("new %d %d: buffer says %q, model says %q", capacityBytes, maxPackets, k1, k2)
	}
	if err2 != nil {
		return nil, nil
	}
	return &SPSCPair{
		Impl:  NewSPSCRunner(Halves{p, c}),
		Ref:   NewSPSCRunner(Halves{m.Producer(), m.Consumer()}),
		Model: m,
	}, nil
}

// Apply runs op on both sides and returns the model's SPSCResult, and an
// error describing the first difference (-model +buffer) or a broken
// invariant.
func (p *SPSCPair) Apply(op SPSCOp) (SPSCResult, error) {
	restarted, wrapped := false, false
	if op.Kind == SReserve || op.Kind == SPushWith || op.Kind == SPush {
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
func (p *SPSCPair) Counters() error {
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
func (p *SPSCPair) Drain(apply func(SPSCOp) error) error {
	if _, ok := p.Model.Reserving(); ok {
		if err := apply(SPSCOp{Kind: SAbort}); err != nil {
			return err
		}
	}
	if p.Model.Peeking() {
		if err := apply(SPSCOp{Kind: SRelease}); err != nil {
			return err
		}
	}
	for p.Model.Len() > 0 {
		if err := apply(SPSCOp{Kind: SPop, DstLen: p.Model.Cap()}); err != nil {
			return err
		}
	}
	if n, u := p.Impl.H.P.Len(), p.Impl.H.P.Used(); n != 0 || u != 0 {
		return fmt.Errorf("after draining: Len %d, Used %d, want 0, 0 (a leak)", n, u)
	}
	return nil
}

// End ends what a case left open on the buffer under test (a reservation,
// a peek), as Pair.End does. A panic of the buffer is swallowed.
func (p *SPSCPair) End() {
	defer func() { _ = recover() }()
	_ = p.Impl.H.P.Abort()
	_ = p.Impl.H.C.Release()
}

// CheckSPSCOps runs ops on fresh halves from f and on the model in
// lockstep, then drains both, and returns the first difference or leak
// (nil if there is none, or if both sides refuse the configuration).
func CheckSPSCOps(f SPSCFactory, capacityBytes, maxPackets int, ops []SPSCOp) error {
	p, err := NewSPSCPair(f, capacityBytes, maxPackets)
	if err != nil || p == nil {
		return err
	}
	defer p.End()
	apply := func(op SPSCOp) error { _, err := p.Apply(op); return err }
	for _, op := range ops {
		if err := apply(op); err != nil {
			return err
		}
	}
	return p.Drain(apply)
}

// ShrinkSPSC is Shrink for an SPSC buffer.
func ShrinkSPSC(f SPSCFactory, capacityBytes, maxPackets int, ops []SPSCOp) []SPSCOp {
	return shrinkList(ops, func(ops []SPSCOp) bool { return CheckSPSCOps(f, capacityBytes, maxPackets, ops) != nil })
}

// WithDrain returns ops followed by the calls that Drain would make after
// them on the model: ending an open reservation or peek, then popping
// every packet left. A case printed with them fails where the check
// failed, also when that was while draining.
func WithDrain(capacityBytes, maxPackets int, ops []SPSCOp) []SPSCOp {
	m, err := model.NewSPSC(capacityBytes, maxPackets)
	if err != nil {
		return ops
	}
	x := NewSPSCRunner(Halves{P: m.Producer(), C: m.Consumer()})
	out := slices.Clone(ops)
	for _, op := range ops {
		x.Run(op)
	}
	if _, ok := m.Reserving(); ok {
		out = append(out, SPSCOp{Kind: SAbort})
	}
	if m.Peeking() {
		out = append(out, SPSCOp{Kind: SRelease})
	}
	for range m.Len() {
		out = append(out, SPSCOp{Kind: SPop, DstLen: m.Cap()})
	}
	return out
}
