// Package ring is the Ring family of the verification plumbing:
// netbuf.Ring[uint64] against model.Ring[uint64]. Its operations print
// and parse as the statements of a `ring C` scenario:
//
//	ring 2
//	push 7 -> ok len=1
//	peek -> ok
//	pop -> ok len=0
//	pop -> ErrEmpty
//	reset
package ring

import (
	"fmt"
	"strconv"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/netbuf"
)

// Buffer is the behaviour of netbuf.Ring[uint64] under test.
type Buffer interface {
	Push(v uint64) error
	Pop() (uint64, error)
	Peek() (uint64, error)
	Len() int
	Cap() int
	Reset()
}

// Factory builds an empty ring; it returns an error exactly where
// netbuf.NewRing does.
type Factory func(capacity int) (Buffer, error)

// Config is a ring's capacity, in elements.
type Config struct{ Capacity int }

func (c Config) String() string { return fmt.Sprintf("ring %d", c.Capacity) }

// Size is the capacity as slots (a ring holds no bytes of its own).
func (c Config) Size() (capacity, slots int, valid bool) {
	return 0, c.Capacity, c.Capacity >= 1 && c.Capacity <= netbuf.MaxRingCapacity
}

// Kind names a ring operation.
type Kind uint8

const (
	Push  Kind = iota // Push(V)
	Pop               // Pop()
	Peek              // Peek()
	Reset             // Reset()
	NumKinds
)

var kindNames = [NumKinds]string{"push", "pop", "peek", "reset"}

func (k Kind) String() string {
	if k < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Op is one ring operation: V is the value pushed.
type Op struct {
	Kind Kind
	V    uint64
}

// String renders o as one line, e.g. "push 7".
func (o Op) String() string {
	if o.Kind == Push {
		return fmt.Sprintf("push %d", o.V)
	}
	return o.Kind.String()
}

// Sizes: a ring operation allocates nothing.
func (o Op) Sizes() []int { return nil }

// Needs: a ring operation uses nothing beyond the contract.
func (o Op) Needs() lockstep.Features { return lockstep.Features{} }

// Parse reads String's form. It never panics.
func Parse(words []string) (Op, error) {
	k, _, args, err := lockstep.ParseHead(words, Kind.String, NumKinds, " for a ring", func(Kind) bool { return false })
	op := Op{Kind: k}
	switch {
	case err != nil:
		return op, err
	case k == Push && len(args) == 1:
		op.V, err = strconv.ParseUint(args[0], 10, 64)
		if err != nil {
			return op, fmt.Errorf("push %q: want a uint64", args[0])
		}
		return op, nil
	case k == Push:
		return op, fmt.Errorf("want `push <value>`")
	case len(args) > 0:
		return op, fmt.Errorf("%s takes nothing", k)
	}
	return op, nil
}

// Result is everything observable about one ring operation.
type Result struct {
	Err      string // ErrName of the answer
	V        uint64 // the value popped or peeked
	Len, Cap int
	Panic    string // a panic from the ring, or a Full that disagrees with Len and Cap
}

// Run applies op to q, recovering a panic. If q has Full, it must agree
// with Len and Cap.
func Run(q Buffer, op Op) (r Result) {
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
	case Push:
		err = q.Push(op.V)
	case Pop:
		r.V, err = q.Pop()
	case Peek:
		r.V, err = q.Peek()
	default:
		q.Reset()
	}
	r.Err = lockstep.ErrName(err)
	return r
}
