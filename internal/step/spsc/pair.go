package spsc

import (
	"fmt"
	"slices"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"

	"github.com/netbuf-go/netbuf/model"
)

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
// model disagree on whether cfg is valid; (nil, nil) if both refuse it.
func NewPair(f Factory, cfg Config) (*Pair, error) {
	p, c, err1 := f(cfg.Capacity, cfg.MaxPackets)
	m, err2 := model.NewSPSC(cfg.Capacity, cfg.MaxPackets)
	if refused, err := lockstep.Agree(cfg, err1, err2); refused || err != nil {
		return nil, err
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
	if err := lockstep.Compare(op, want, got); err != nil {
		return want, err
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
	want := [6]int{m.Len(), len(m.Visible()), m.Used(), m.Cap(), m.MaxPackets(), m.MaxPackets()}
	if got != want {
		return fmt.Errorf("counters (producer Len, consumer Len, Used, Cap, MaxPackets, consumer MaxPackets): buffer %v, model %v", got, want)
	}
	if c, ok := ip.(lockstep.Checker); ok {
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
	for _, op := range flushes(p.Model) {
		if err := apply(op); err != nil {
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

// flushes are the calls that publish what m's halves deferred, once no
// reservation or peek is open: then every packet held can be popped.
func flushes(m *model.SPSC) []Op {
	var ops []Op
	if m.Unpublished > 0 {
		ops = append(ops, Op{Kind: PFlush})
	}
	if m.Taken > 0 {
		ops = append(ops, Op{Kind: CFlush})
	}
	return ops
}

// End ends what a case left open on the buffer under test (a reservation,
// a peek), as Pair.End does. A panic of the buffer is swallowed.
func (p *Pair) End() {
	defer func() { _ = recover() }()
	_ = p.Impl.H.P.Abort()
	_ = p.Impl.H.C.Release()
}

// WithDrain returns ops followed by the calls that Drain would make after
// them on the model: ending an open reservation or peek, then popping
// every packet left. A case printed with them fails where the check
// failed, also when that was while draining.
func WithDrain(c Config, ops []Op) []Op {
	m, err := model.NewSPSC(c.Capacity, c.MaxPackets)
	if err != nil {
		return ops
	}
	x := NewRunner(Halves{P: m.Producer(), C: m.Consumer()})
	out := slices.Clone(ops)
	for _, op := range ops {
		x.Run(op)
	}
	if _, ok := m.Reserving(); ok {
		out = append(out, Op{Kind: Abort})
	}
	if m.Peeking() {
		out = append(out, Op{Kind: Release})
	}
	out = append(out, flushes(m)...)
	for range m.Len() - m.Taken {
		out = append(out, Op{Kind: Pop, DstLen: m.Cap()})
	}
	return out
}
