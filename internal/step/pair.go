package step

import (
	"fmt"
	"reflect"

	"github.com/google/go-cmp/cmp"
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

// NewPair builds both sides with the same arguments. It returns an error if
// the factory and the model disagree on whether they are valid; if both
// refuse them, it returns (nil, nil).
func NewPair(newBuffer Factory, capacityBytes, maxPackets int) (*Pair, error) {
	impl, err1 := newBuffer(capacityBytes, maxPackets)
	ref, err2 := model.NewUnordered(capacityBytes, maxPackets)
	if k1, k2 := ErrName(err1), ErrName(err2); k1 != k2 {
		return nil, fmt.Errorf("new %d %d: buffer says %q, model says %q", capacityBytes, maxPackets, k1, k2)
	}
	if err2 != nil {
		return nil, nil
	}
	implOther, err1 := newBuffer(capacityBytes, maxPackets)
	refOther, err2 := model.NewUnordered(capacityBytes, maxPackets)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("new %d %d a second time: buffer says %v, model says %v", capacityBytes, maxPackets, err1, err2)
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
	// reflect.DeepEqual first: cmp.Diff walks popped bytes one by one; it is
	// only needed to describe a difference.
	if !reflect.DeepEqual(want, got) {
		if d := cmp.Diff(want, got); d != "" {
			return want, fmt.Errorf("%s: buffer differs from model (-model +buffer):\n%s", op, d)
		}
	}
	for _, b := range []Buffer{p.Impl, p.ImplOther} {
		if c, ok := b.(Checker); ok {
			if err := c.Check(); err != nil {
				return want, fmt.Errorf("%s: invariant broken: %w", op, err)
			}
		}
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
	if c, ok := impl.(Checker); ok {
		if err := c.Check(); err != nil {
			return fmt.Errorf("invariant broken: %w", err)
		}
	}
	return nil
}
