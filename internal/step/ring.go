package step

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/model"
)

// Ring is the behaviour of netbuf.Ring[uint64] under test.
type Ring interface {
	Push(v uint64) error
	Pop() (uint64, error)
	Peek() (uint64, error)
	Len() int
	Cap() int
	Reset()
}

// RingFactory builds an empty ring; it returns an error exactly where
// netbuf.NewRing does.
type RingFactory func(capacity int) (Ring, error)

// RingKind names a ring operation.
type RingKind uint8

const (
	RingPush RingKind = iota
	RingPop
	RingPeek
	RingReset
)

// RingOp is one ring operation: V is the value pushed.
type RingOp struct {
	Kind RingKind
	V    uint64
}

func (o RingOp) String() string {
	switch o.Kind {
	case RingPush:
		return fmt.Sprintf("push %d", o.V)
	case RingPop:
		return "pop"
	case RingPeek:
		return "peek"
	}
	return "reset"
}

// RingResult is everything observable about one ring operation.
type RingResult struct {
	Err      string // ErrName of the answer
	V        uint64 // the value popped or peeked
	Len, Cap int
	Panic    string // a panic from the ring, or a Full that disagrees with Len and Cap
}

// RingPair is a ring under test and model.Ring, driven in lockstep.
type RingPair struct {
	Impl Ring
	Ref  *model.Ring[uint64]
	Ops  []RingOp // applied so far
}

// NewRingPair builds both sides; as NewPair, it returns (nil, nil) if both
// refuse the capacity and an error if only one does.
func NewRingPair(newRing RingFactory, capacity int) (*RingPair, error) {
	impl, err1 := newRing(capacity)
	ref, err2 := model.NewRing[uint64](capacity)
	if k1, k2 := ErrName(err1), ErrName(err2); k1 != k2 {
		return nil, fmt.Errorf("NewRing(%d): ring says %q, model says %q", capacity, k1, k2)
	}
	if err2 != nil {
		return nil, nil
	}
	return &RingPair{Impl: impl, Ref: ref}, nil
}

// Apply runs op on both sides and returns an error, with every operation
// so far, if their results differ.
func (p *RingPair) Apply(op RingOp) error {
	p.Ops = append(p.Ops, op)
	want, got := runRing(p.Ref, op), runRing(p.Impl, op)
	if want != got {
		return fmt.Errorf("%s: ring %+v, model %+v\nafter: new %d; %s", op, got, want, p.Ref.Cap(), p.trace())
	}
	return nil
}

func (p *RingPair) trace() string {
	s := make([]string, len(p.Ops))
	for i, op := range p.Ops {
		s[i] = op.String()
	}
	return strings.Join(s, "; ")
}

// runRing applies op to q, recovering a panic. If q has Full, it must
// agree with Len and Cap.
func runRing(q Ring, op RingOp) (r RingResult) {
	defer func() {
		if v := recover(); v != nil {
			r.Panic = fmt.Sprint("panic: ", v)
		}
		r.Len, r.Cap = q.Len(), q.Cap()
		if f, ok := q.(interface{ Full() bool }); ok && f.Full() != (r.Len == r.Cap) {
			r.Panic = fmt.Sprintf("Full() = %v with Len %d, Cap %d", f.Full(), r.Len, r.Cap)
		}
	}()
	var err error
	switch op.Kind {
	case RingPush:
		err = q.Push(op.V)
	case RingPop:
		r.V, err = q.Pop()
	case RingPeek:
		r.V, err = q.Peek()
	default:
		q.Reset()
	}
	r.Err = ErrName(err)
	return r
}
