package scenario

import (
	"fmt"
	"io/fs"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step"
)

// RecordOrdered turns an operation sequence on an OrderedBuffer into a
// scenario whose answers are the model's.
func RecordOrdered(cfg step.OrderedConfig, ops []step.OrderedOp) Scenario {
	s := Scenario{Cap: cfg.Capacity, Slots: cfg.MaxPackets, Ordered: &cfg}
	ref, err := step.NewModelOrdered(cfg)
	if err != nil {
		s.NewErr = step.ErrName(err)
		return s
	}
	other, _ := step.NewModelOrdered(cfg)
	for _, op := range ops {
		r := step.RunOrdered(ref, other, op)
		s.Steps = append(s.Steps, Step{OOp: op, Want: orderedAnswer(op, r), Ordered: true})
	}
	return s
}

// orderedAnswer is the Want that r satisfies, with its counters.
func orderedAnswer(op step.OrderedOp, r step.OrderedResult) Want {
	w, failed := failure(Want{Used: r.Used, Len: r.Len, Next: int64(r.Next)}, r.Panic, r.Err)
	if !failed {
		switch op.Kind {
		case step.OPushWith, step.OPop:
			w.Bytes = r.N
		case step.OPopWith:
			w.Bytes = len(r.Data)
		case step.OPush:
			w.Bytes = max(op.MaxSize, 0)
		case step.OSkipTo:
			w.Answer, w.Bytes = AnswerDropped, r.N
		case step.OMissing:
			w.Answer, w.Bytes = AnswerMissing, len(r.Missing)
		default:
			w.Answer = AnswerOK
		}
	}
	return w
}

// matchesOrdered is matches with the next counter too.
func (w Want) matchesOrdered(got Want) bool {
	if w.Next >= 0 && w.Next != got.Next {
		return false
	}
	return w.matches(got)
}

// ReplayOrdered runs an OrderedBuffer scenario on a buffer from newBuffer
// and on the model side by side (step.OrderedPair), as Replay does.
func ReplayOrdered(s Scenario, newBuffer step.OrderedFactory) error {
	if s.Ordered == nil {
		return fmt.Errorf("%d: not an ordered scenario", s.Line)
	}
	p, err := step.NewOrderedPair(newBuffer, *s.Ordered)
	if err != nil {
		return fmt.Errorf("%d: %w", s.Line, err)
	}
	if got := newErrName(p == nil); got != s.NewErr {
		return fmt.Errorf("%d: %s: both sides answered %q, want %q", s.Line, s.Ordered, got, s.NewErr)
	}
	if p == nil {
		return nil
	}
	for _, st := range s.Steps {
		if err := checkOrdered(p, st); err != nil {
			return fmt.Errorf("%d: %s: %w", st.Line, st, err)
		}
	}
	return nil
}

func checkOrdered(p *step.OrderedPair, st Step) error {
	if st.Query != "" {
		for _, side := range []struct {
			name string
			b    counters
		}{{"model", p.Ref}, {"buffer", p.Impl}} {
			if v, _ := query(st.Query, side.b); v != st.Want.Value {
				return fmt.Errorf("%s answered %d", side.name, v)
			}
		}
		return nil
	}
	want, err := p.Apply(st.OOp)
	if !st.Want.matchesOrdered(orderedAnswer(st.OOp, want)) {
		return fmt.Errorf("model answered %q: the scenario or the model is wrong", orderedAnswer(st.OOp, want))
	}
	return err
}

// CheckOrderedCorpus replays every OrderedBuffer scenario of every *.scn
// file at the root of fsys against buffers from newBuffer, one subtest per
// file that has some; scenarios with nil callbacks need WithNilFuncs.
func CheckOrderedCorpus(t *testing.T, newBuffer step.OrderedFactory, fsys fs.FS, opts ...step.Option) {
	t.Helper()
	checkCorpusOf(t, fsys, opts, func(s Scenario) bool { return s.Ordered != nil }, func(s Scenario) error { return ReplayOrdered(s, newBuffer) })
}
