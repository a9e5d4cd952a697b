package scenario

import (
	"fmt"
	"io/fs"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step"
	"github.com/netbuf-go/netbuf/model"
)

// SPSCOps returns an SPSC scenario's operations in order, without its
// queries; nil for another buffer's scenario.
func (s Scenario) SPSCOps() []step.SPSCOp {
	var ops []step.SPSCOp
	for _, st := range s.Steps {
		if st.Query == "" && s.SPSC {
			ops = append(ops, st.SOp)
		}
	}
	return ops
}

// RecordSPSC turns a sequence of calls of both halves of an SPSC buffer
// into a scenario whose answers are the model's. The counter calls (used,
// plen, clen) become queries.
func RecordSPSC(capacityBytes, maxPackets int, ops []step.SPSCOp) Scenario {
	s := Scenario{Cap: capacityBytes, Slots: maxPackets, SPSC: true}
	m, err := model.NewSPSC(capacityBytes, maxPackets)
	if err != nil {
		s.NewErr = step.ErrName(err)
		return s
	}
	x := step.NewSPSCRunner(step.Halves{P: m.Producer(), C: m.Consumer()})
	for _, op := range ops {
		r := x.Run(op)
		st := Step{SOp: op, SPSC: true, Want: spscAnswer(op, r, m)}
		switch op.Kind {
		case step.SUsed:
			st = Step{Query: "used", SPSC: true, Want: Want{Value: r.Count, Used: none, Len: none, Next: none}}
		case step.SPLen, step.SCLen:
			st = Step{Query: "len", SPSC: true, Want: Want{Value: r.Count, Used: none, Len: none, Next: none}}
		}
		s.Steps = append(s.Steps, st)
	}
	return s
}

// spscAnswer is the Want that r satisfies, with the counters of m after it.
func spscAnswer(op step.SPSCOp, r step.SPSCResult, m *model.SPSC) Want {
	w, failed := failure(Want{Used: m.Used(), Len: m.Len(), Next: none}, r.Panic, r.Err)
	if !failed {
		switch op.Kind {
		case step.SPushWith, step.SPop:
			w.Bytes = r.N
		case step.SPopWith, step.SPeek:
			w.Bytes = len(r.Data)
		case step.SPush:
			w.Bytes = max(op.MaxSize, 0)
		case step.SReserve:
			w.Bytes = r.Window[0]
		default:
			w.Answer = AnswerOK
		}
	}
	return w
}

// ReplaySPSC runs an SPSC scenario on halves from f and on the model side
// by side (step.SPSCPair: equal results, both halves' counters and the
// producer's Check after every call), as Replay does, one goroutine
// holding both halves.
func ReplaySPSC(s Scenario, f step.SPSCFactory) error {
	if !s.SPSC {
		return fmt.Errorf("%d: not an spsc scenario", s.Line)
	}
	p, err := step.NewSPSCPair(f, s.Cap, s.Slots)
	if err != nil {
		return fmt.Errorf("%d: %w", s.Line, err)
	}
	if got := newErrName(p == nil); got != s.NewErr {
		return fmt.Errorf("%d: spsc %d %d: both sides answered %q, want %q", s.Line, s.Cap, s.Slots, got, s.NewErr)
	}
	if p == nil {
		return nil
	}
	defer p.End()
	for _, st := range s.Steps {
		if err := checkSPSC(p, st); err != nil {
			return fmt.Errorf("%d: %s: %w", st.Line, st, err)
		}
	}
	return nil
}

func checkSPSC(p *step.SPSCPair, st Step) error {
	if st.Query != "" {
		for _, side := range []struct {
			name string
			h    step.Halves
		}{{"model", p.Ref.H}, {"buffer", p.Impl.H}} {
			for _, b := range []counters{spscCounters{side.h.P, side.h.P}, spscCounters{side.h.P, side.h.C}} {
				if v, _ := query(st.Query, b); v != st.Want.Value {
					return fmt.Errorf("%s answered %d", side.name, v)
				}
			}
		}
		return nil
	}
	want, err := p.Apply(st.SOp)
	if got := spscAnswer(st.SOp, want, p.Model); !st.Want.matches(got) {
		return fmt.Errorf("model answered %q: the scenario or the model is wrong", got)
	}
	return err
}

// spscCounters answers the queries of an SPSC scenario: Used from the
// producer, the rest from either half (both must agree).
type spscCounters struct {
	p    step.Producer
	half interface {
		Len() int
		Cap() int
		MaxPackets() int
	}
}

func (c spscCounters) Used() int       { return c.p.Used() }
func (c spscCounters) Len() int        { return c.half.Len() }
func (c spscCounters) Cap() int        { return c.half.Cap() }
func (c spscCounters) MaxPackets() int { return c.half.MaxPackets() }

// CheckSPSCCorpus replays every SPSC scenario of every *.scn file at the
// root of fsys against halves from f, one subtest per file that has some;
// scenarios with nil callbacks need step.WithNilFuncs.
func CheckSPSCCorpus(t *testing.T, f step.SPSCFactory, fsys fs.FS, opts ...step.Option) {
	t.Helper()
	checkCorpusOf(t, fsys, opts, func(s Scenario) bool { return s.SPSC }, func(s Scenario) error { return ReplaySPSC(s, f) })
}
