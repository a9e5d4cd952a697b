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
	"github.com/netbuf-go/netbuf/model"
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

// Pair is a ring under test and model.Ring, driven in lockstep.
type Pair struct {
	Impl Buffer
	Ref  *model.Ring[uint64]
	Ops  []Op // applied so far
}

// NewPair builds both sides; (nil, nil) if both refuse c, an error if
// only one does.
func NewPair(f Factory, c Config) (*Pair, error) {
	impl, err1 := f(c.Capacity)
	ref, err2 := model.NewRing[uint64](c.Capacity)
	if refused, err := lockstep.Agree(c, err1, err2); refused || err != nil {
		return nil, err
	}
	return &Pair{Impl: impl, Ref: ref}, nil
}

// Apply runs op on both sides and returns the model's result and an
// error, with every operation so far, if the results differ.
func (p *Pair) Apply(op Op) (Result, error) {
	p.Ops = append(p.Ops, op)
	want, got := Run(p.Ref, op), Run(p.Impl, op)
	if want != got {
		return want, fmt.Errorf("%s: ring %+v, model %+v\nafter: ring %d; %s", op, got, want, p.Ref.Cap(), p.trace())
	}
	return want, nil
}

func (p *Pair) trace() string {
	s := ""
	for i, op := range p.Ops {
		if i > 0 {
			s += "; "
		}
		s += op.String()
	}
	return s
}

// Answer is op's answer as a scenario records it.
func (p *Pair) Answer(op Op, r Result) (lockstep.Statement, lockstep.Want) {
	w, _ := lockstep.Outcome(lockstep.Want{Used: lockstep.None, Len: r.Len, Next: lockstep.None}, r.Panic, r.Err)
	if w.Answer == lockstep.AnswerBytes {
		w.Answer = lockstep.AnswerOK
	}
	return op, w
}

// Query checks that both rings answer q ("len" or "cap") with want.
func (p *Pair) Query(q lockstep.Query, want int) error {
	for _, side := range []struct {
		name string
		b    Buffer
	}{{"model", p.Ref}, {"buffer", p.Impl}} {
		v := side.b.Len()
		if q == "cap" {
			v = side.b.Cap()
		}
		if v != want {
			return fmt.Errorf("%s answered %d", side.name, v)
		}
	}
	return nil
}

// Finish: a ring case holds nothing more at its end.
func (p *Pair) Finish(func(Op) error) error { return nil }

// End: a ring leaves nothing open.
func (p *Pair) End() {}

// Family is the ring family, its buffers under test from New.
type Family struct{ New Factory }

// Header is the word that starts a ring scenario.
func (Family) Header() string { return "ring" }

// ParseConfig reads the words after `ring`: the capacity.
func (Family) ParseConfig(words []string) (lockstep.Config, error) {
	if len(words) != 1 {
		return nil, fmt.Errorf("want `ring <capacity>`")
	}
	c, err := lockstep.ParseInt(words[0])
	return Config{c}, err
}

// ParseOp is Parse.
func (Family) ParseOp(words []string) (lockstep.Statement, error) { return Parse(words) }

// Queries are the counters a ring scenario reads.
func (Family) Queries() []string { return []string{"len", "cap"} }

// NewPair is NewPair with f's factory.
func (f Family) NewPair(c Config) (lockstep.Pair[Op, Result], error) {
	p, err := NewPair(f.New, c)
	if p == nil {
		return nil, err
	}
	return p, nil
}

// Model is the family whose ring under test is the model.
func (Family) Model() lockstep.Family[Config, Op, Result] {
	return Family{New: func(c int) (Buffer, error) { return model.NewRing[uint64](c) }}
}

// Netbuf is netbuf.NewRing[uint64] as a Factory.
func Netbuf(c int) (Buffer, error) { return netbuf.NewRing[uint64](c) }
