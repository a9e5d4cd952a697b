package spsc

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

// Config is an SPSC buffer's constructor arguments.
type Config struct{ Capacity, MaxPackets int }

// String is the header line of the family's scenarios, "spsc C S".
func (c Config) String() string { return fmt.Sprintf("spsc %d %d", c.Capacity, c.MaxPackets) }

// Size is what the buffer allocates, and whether the constructor takes it.
func (c Config) Size() (capacity, slots int, valid bool) {
	return c.Capacity, c.MaxPackets, c.Capacity >= 1 && c.MaxPackets >= 1 && c.Capacity <= model.MaxCapacity && c.MaxPackets <= model.MaxCapacity
}

// Sizes are the sizes running o allocates, which a replay caps.
func (o Op) Sizes() []int { return []int{o.MaxSize, o.DstLen, o.ReSize} }

// Needs are the features o uses: nil callbacks, if it has one.
func (o Op) Needs() lockstep.Features {
	return lockstep.Features{NilFuncs: o.Callback == lockstep.CallNil}
}

// Finish drains the buffer (Drain): a case ends with nothing leaked.
func (p *Pair) Finish(apply func(Op) error) error { return p.Drain(apply) }

// Answer is op's answer as a scenario records it, with the model's
// counters after it; a counter call (used, plen, clen) records as a query.
func (p *Pair) Answer(op Op, r Result) (lockstep.Statement, lockstep.Want) {
	switch op.Kind {
	case Used:
		return lockstep.Query("used"), lockstep.Want{Value: r.Count, Used: lockstep.None, Len: lockstep.None, Next: lockstep.None}
	case PLen, CLen: // the producer's Len; the consumer's follows (Query)
		return lockstep.Query("len"), lockstep.Want{Value: p.Model.Len(), Used: lockstep.None, Len: lockstep.None, Next: lockstep.None}
	}
	m := p.Model
	w, failed := lockstep.Outcome(lockstep.Want{Used: m.Used(), Len: m.Len(), Next: lockstep.None}, r.Panic, r.Err)
	if !failed {
		switch op.Kind {
		case PushWith, Pop:
			w.Bytes = r.N
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

// Query checks that both halves of both sides answer q with want: Used
// from the producer, the other counters from each half. A len query is
// the producer's Len; the consumer's must be less by the commits and
// releases deferred (SPEC 7.5), as the model counts them.
func (p *Pair) Query(q lockstep.Query, want int) error {
	deferred := 0
	if q == "len" {
		deferred = p.Model.Unpublished + p.Model.Taken
	}
	for _, side := range []struct {
		name string
		h    Halves
	}{{"model", p.Ref.H}, {"buffer", p.Impl.H}} {
		for i, v := range []int{query(q, side.h.P, side.h.P), query(q, side.h.P, side.h.C)} {
			if v != want-i*deferred {
				return fmt.Errorf("%s answered %d", side.name, v)
			}
		}
	}
	return nil
}

func query(q lockstep.Query, p Producer, half interface {
	Len() int
	Cap() int
	MaxPackets() int
}) int {
	switch q {
	case "used":
		return p.Used()
	case "len":
		return half.Len()
	case "cap":
		return half.Cap()
	}
	return half.MaxPackets()
}

// Family is the SPSC family, its halves under test from New, both driven
// by one goroutine.
type Family struct{ New Factory }

// Header is the word that starts an SPSC scenario.
func (Family) Header() string { return "spsc" }

// ParseConfig reads the words after `spsc`: capacityBytes and maxPackets.
func (Family) ParseConfig(words []string) (lockstep.Config, error) {
	if len(words) != 2 {
		return nil, fmt.Errorf("want `spsc <capacityBytes> <maxPackets>`")
	}
	c, err := lockstep.ParseInt(words[0])
	if err != nil {
		return nil, err
	}
	n, err := lockstep.ParseInt(words[1])
	return Config{c, n}, err
}

// ParseOp is Parse.
func (Family) ParseOp(words []string) (lockstep.Statement, error) { return Parse(words) }

// Queries are the counters an SPSC scenario reads.
func (Family) Queries() []string { return []string{"used", "len", "cap", "maxpackets"} }

// NewPair is NewPair with f's factory.
func (f Family) NewPair(c Config) (lockstep.Pair[Op, Result], error) {
	p, err := NewPair(f.New, c)
	if p == nil {
		return nil, err
	}
	return p, nil
}

// Model is the family whose halves under test are the model's.
func (Family) Model() lockstep.Family[Config, Op, Result] {
	return Family{New: func(c, n int) (Producer, Consumer, error) {
		m, err := model.NewSPSC(c, n)
		if err != nil {
			return nil, nil, err
		}
		return m.Producer(), m.Consumer(), nil
	}}
}

// Check runs ops on fresh halves from f and on the model in lockstep,
// then drains both, and returns the first difference or leak
// (lockstep.Check).
func Check(f Factory, c Config, ops []Op) error { return lockstep.Check(Family{f}, c, ops) }

// Shrink is lockstep.Shrink for halves from f.
func Shrink(f Factory, c Config, ops []Op) []Op { return lockstep.Shrink(Family{f}, c, ops) }

// Netbuf is netbuf.NewSPSC as a Factory.
func Netbuf(capacityBytes, maxPackets int) (Producer, Consumer, error) {
	p, c, err := netbuf.NewSPSC(capacityBytes, maxPackets)
	if err != nil {
		return nil, nil, err
	}
	return p, c, nil
}
