package scenario

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step"
	"github.com/netbuf-go/netbuf/model"
)

// Format writes scenarios in the text format; Parse reads it back to the
// same scenarios (line numbers aside).
func Format(ss []Scenario) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteByte('\n')
		}
		switch {
		case s.Ordered != nil:
			b.WriteString(s.Ordered.String())
		case s.SPSC:
			fmt.Fprintf(&b, "spsc %d %d", s.Cap, s.Slots)
		default:
			fmt.Fprintf(&b, "new %d %d", s.Cap, s.Slots)
		}
		if s.NewErr != "" {
			fmt.Fprintf(&b, " -> %s", s.NewErr)
		}
		b.WriteByte('\n')
		for _, st := range s.Steps {
			b.WriteString(st.String())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// String renders a step as one line of the format.
func (st Step) String() string {
	if st.Query != "" {
		return fmt.Sprintf("%s -> %d", st.Query, st.Want.Value)
	}
	op := st.Op.String()
	switch {
	case st.Ordered:
		op = st.OOp.String()
	case st.SPSC:
		op = st.SOp.String()
	}
	if st.Want.Answer == "" {
		return op
	}
	return op + " -> " + st.Want.String()
}

// String renders an operation's answer, e.g. "6 bytes used=6 len=1".
func (w Want) String() string {
	s := w.Answer
	switch w.Answer {
	case AnswerBytes, AnswerPackets, AnswerDropped, AnswerMissing:
		s = fmt.Sprintf("%d %s", w.Bytes, w.Answer)
	}
	if w.Used >= 0 {
		s += fmt.Sprintf(" used=%d", w.Used)
	}
	if w.Len >= 0 {
		s += fmt.Sprintf(" len=%d", w.Len)
	}
	if w.Next >= 0 {
		s += fmt.Sprintf(" next=%d", w.Next)
	}
	return s
}

// Record turns an operation sequence into a scenario whose answers are the
// model's: what the contract requires of every implementation. It is how a
// fuzzer's failing input becomes a readable regression case.
func Record(capacityBytes, maxPackets int, ops []step.Op) Scenario {
	s := Scenario{Cap: capacityBytes, Slots: maxPackets}
	ref, err := model.NewUnordered(capacityBytes, maxPackets)
	if err != nil {
		s.NewErr = step.ErrName(err)
		return s // no operation can follow a constructor that fails
	}
	other, _ := model.NewUnordered(capacityBytes, maxPackets)
	for _, op := range ops {
		r := step.Run(ref, other, op)
		s.Steps = append(s.Steps, Step{Op: op, Want: answerOf(op, r)})
	}
	return s
}

// answerOf is the Want that r satisfies, with its counters.
func answerOf(op step.Op, r step.Result) Want {
	w, failed := failure(Want{Used: r.Used, Len: r.Len, Next: none}, r.Panic, r.Err)
	if !failed {
		switch op.Kind {
		case step.OpPushWith, step.OpPop:
			w.Bytes = r.N
		case step.OpPushBatch:
			w.Answer, w.Bytes = AnswerPackets, r.N
		case step.OpPopWith, step.OpPeek:
			w.Bytes = len(r.Data)
		case step.OpPush:
			w.Bytes = max(op.MaxSize, 0)
		case step.OpReserve:
			w.Bytes = r.Window[0]
		default:
			w.Answer = AnswerOK
		}
	}
	return w
}

// failure sets w's answer to a panic or an error, if either came out, and
// reports whether one did; otherwise the answer is N bytes (Bytes to fill).
func failure(w Want, panicked, errName string) (Want, bool) {
	switch {
	case panicked != "":
		w.Answer = AnswerPanic
	case errName != "":
		w.Answer = errName
	default:
		w.Answer = AnswerBytes
		return w, false
	}
	return w, true
}
