package ordered

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

// Pair is an ordered buffer under test and model.Ordered, driven in
// lockstep, each with a second buffer for lockstep.CallOther callbacks.
type Pair struct {
	Config          Config
	Impl, ImplOther Buffer
	Ref, RefOther   *model.Ordered
	Observe         func(op Op, r Result) // if set, told of every operation
}

// NewModel is the model for cfg.
func NewModel(c Config) (*model.Ordered, error) {
	return model.NewOrdered(c.Capacity, c.MaxPackets, c.Window, c.SeqBits, c.First, c.Resync)
}

// NewPair builds both sides; (nil, nil) if both refuse cfg, an
// error if only one does.
func NewPair(newBuffer Factory, cfg Config) (*Pair, error) {
	impl, err1 := newBuffer(cfg)
	ref, err2 := NewModel(cfg)
	if refused, err := lockstep.Agree(cfg, err1, err2); refused || err != nil {
		return nil, err
	}
	implOther, err1 := newBuffer(cfg)
	refOther, err2 := NewModel(cfg)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("%s a second time: buffer says %v, model says %v", cfg, err1, err2)
	}
	return &Pair{Config: cfg, Impl: impl, ImplOther: implOther, Ref: ref, RefOther: refOther}, nil
}

// Apply runs op on both sides and returns the model's result and the
// first difference, or a broken invariant of the buffer's Check.
func (p *Pair) Apply(op Op) (Result, error) {
	want := Run(p.Ref, p.RefOther, op)
	got := Run(p.Impl, p.ImplOther, op)
	unspecified(op, &want)
	unspecified(op, &got)
	if err := lockstep.Compare(op, want, got); err != nil {
		return want, err
	}
	if err := lockstep.Invariants(op, p.Impl, p.ImplOther); err != nil {
		return want, err
	}
	if p.Observe != nil {
		p.Observe(op, want)
	}
	return want, nil
}

// Answer is op's answer as a scenario records it: what r says, with the
// counters after it.
func (p *Pair) Answer(op Op, r Result) (lockstep.Statement, lockstep.Want) {
	w, failed := lockstep.Outcome(lockstep.Want{Used: r.Used, Len: r.Len, Next: int64(r.Next)}, r.Panic, r.Err)
	if !failed {
		switch op.Kind {
		case PushWith, Pop:
			w.Bytes = r.N
		case PopWith:
			w.Bytes = len(r.Data)
		case Push:
			w.Bytes = max(op.MaxSize, 0)
		case SkipTo:
			w.Answer, w.Bytes = lockstep.AnswerDropped, r.N
		case Missing:
			w.Answer, w.Bytes = lockstep.AnswerMissing, len(r.Missing)
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
	case "next":
		return int(b.Next())
	}
	return b.MaxPackets()
}

// Finish: an ordered case is checked step by step; its end adds nothing.
func (p *Pair) Finish(func(Op) error) error { return nil }

// End: an ordered buffer leaves nothing open.
func (p *Pair) End() {}

// Family is the OrderedBuffer family, its buffers under test from New.
type Family struct{ New Factory }

// Header is the word that starts an OrderedBuffer scenario.
func (Family) Header() string { return "ordered" }

// ParseConfig is ParseConfig.
func (Family) ParseConfig(words []string) (lockstep.Config, error) { return ParseConfig(words) }

// ParseOp is Parse.
func (Family) ParseOp(words []string) (lockstep.Statement, error) { return Parse(words) }

// Queries are the counters an OrderedBuffer scenario reads.
func (Family) Queries() []string { return []string{"used", "len", "cap", "maxpackets", "next"} }

// NewPair is NewPair with f's factory.
func (f Family) NewPair(c Config) (lockstep.Pair[Op, Result], error) {
	p, err := NewPair(f.New, c)
	if p == nil {
		return nil, err
	}
	return p, nil
}

// Model is the family whose buffer under test is the model.
func (Family) Model() lockstep.Family[Config, Op, Result] {
	return Family{New: func(c Config) (Buffer, error) { return NewModel(c) }}
}

// Check runs ops on a fresh buffer from f and on the model in lockstep and
// returns the first difference (lockstep.Check).
func Check(f Factory, c Config, ops []Op) error { return lockstep.Check(Family{f}, c, ops) }

// Shrink is lockstep.Shrink for buffers from f.
func Shrink(f Factory, c Config, ops []Op) []Op { return lockstep.Shrink(Family{f}, c, ops) }

// Netbuf is netbuf.NewOrderedBuffer as a Factory.
func Netbuf(c Config) (Buffer, error) { return netbuf.NewOrderedBuffer(netbuf.OrderedConfig(c)) }
