package ring

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

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
