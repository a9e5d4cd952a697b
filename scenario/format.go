package scenario

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/properties"
)

// Format writes scenarios in the text format; Parse reads it back to the
// same scenarios (line numbers aside).
func Format(ss []Scenario) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "new %d %d", s.Cap, s.Slots)
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
	if st.Want.Answer == "" {
		return st.Op.String()
	}
	return st.Op.String() + " -> " + st.Want.String()
}

// String renders an operation's answer, e.g. "6 bytes used=6 len=1".
func (w Want) String() string {
	s := w.Answer
	if w.Answer == AnswerBytes {
		s = fmt.Sprintf("%d bytes", w.Bytes)
	}
	if w.Used >= 0 {
		s += fmt.Sprintf(" used=%d", w.Used)
	}
	if w.Len >= 0 {
		s += fmt.Sprintf(" len=%d", w.Len)
	}
	return s
}

// Record turns an operation sequence into a scenario whose answers are the
// model's: what the contract requires of every implementation. It is how a
// fuzzer's failing input becomes a readable regression case.
func Record(capacityBytes, maxPackets int, ops []properties.Op) Scenario {
	s := Scenario{Cap: capacityBytes, Slots: maxPackets}
	ref, err := model.NewUnordered(capacityBytes, maxPackets)
	if err != nil {
		s.NewErr = newErrName(err)
		return s // no operation can follow a constructor that fails
	}
	for _, op := range ops {
		r := properties.Run(ref, op)
		s.Steps = append(s.Steps, Step{Op: op, Want: answerOf(op, r)})
	}
	return s
}

// answerOf is the Want that r satisfies, with its counters.
func answerOf(op properties.Op, r properties.Result) Want {
	w := Want{Used: r.Used, Len: r.Len}
	switch {
	case r.Panic != "":
		w.Answer = AnswerPanic
	case r.Err != "":
		w.Answer = r.Err
	case op.Kind == properties.OpReset:
		w.Answer = AnswerOK
	default:
		w.Answer, w.Bytes = AnswerBytes, bytesOf(op, r)
	}
	return w
}

// bytesOf is what "N bytes" means for op: PushWith's and Pop's n, the length
// of the packet PopWith saw, Push's size.
func bytesOf(op properties.Op, r properties.Result) int {
	switch op.Kind {
	case properties.OpPopWith:
		return len(r.Data)
	case properties.OpPush:
		return max(op.MaxSize, 0)
	}
	return r.N
}
