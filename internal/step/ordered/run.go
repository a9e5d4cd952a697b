package ordered

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// Result is everything observable about one operation on an
// ordered buffer. The buffer and the model must give equal results.
type Result struct {
	Seq        uint32   // the sequence PushWith returned, or Pop delivered
	N          int      // n of PushWith and Pop; SkipTo's dropped count
	Err        string   // lockstep.ErrName of the error
	Panic      string   // "propagated" if the callback's own panic came out
	Window     [2]int   // len and cap of the slice given to fill or consume
	Called     bool     // the callback ran
	Data       []byte   // bytes popped
	Missing    []uint32 // AppendMissing's answer, after the prefix it was given
	Nested     string   // the nested call's error name
	NestedRan  bool     // the nested call ran a callback of its own
	Other      [3]int   // Len, Used and Next of the second buffer afterwards
	Next       uint32
	Len        int
	Used       int
	Cap        int
	MaxPackets int
}

// Run applies op to b and reports what it observed; other is the
// second buffer of lockstep.CallOther callbacks (nil if none).
func Run(b, other Buffer, op Op) (r Result) {
	defer func() {
		r.Panic = lockstep.PanicKind(recover(), op.Seed)
		r.Next, r.Len, r.Used, r.Cap, r.MaxPackets = b.Next(), b.Len(), b.Used(), b.Cap(), b.MaxPackets()
		if other != nil {
			r.Other = [3]int{other.Len(), other.Used(), int(other.Next())}
		}
	}()
	var err error
	switch op.Kind {
	case PushWith:
		fill := func(p []byte) (uint32, int, error) {
			r.Called, r.Window = true, [2]int{len(p), cap(p)}
			lockstep.Payload(p[:lockstep.Clamp(op.N, 0, len(p))], op.Seed)
			return op.Seq, op.N, r.finish(b, other, op, op.Fill)
		}
		if op.Fill == lockstep.CallNil {
			fill = nil
		}
		r.Seq, r.N, err = b.PushWith(op.MaxSize, fill)
	case Push:
		p := make([]byte, max(op.MaxSize, 0))
		lockstep.Payload(p, op.Seed)
		err = b.Push(op.Seq, p)
		for i := range p {
			p[i] = ^p[i] // the caller reuses its slice
		}
	case PopWith:
		consume := func(seq uint32, p []byte) error {
			r.Called, r.Window, r.Seq = true, [2]int{len(p), cap(p)}, seq
			r.Data = append([]byte{}, p...)
			return r.finish(b, other, op, op.Consume)
		}
		if op.Consume == lockstep.CallNil {
			consume = nil
		}
		err = b.PopWith(consume)
	case Pop:
		dst := make([]byte, max(op.DstLen, 0), max(op.DstLen, 0)+max(op.Spare, 0))
		r.Seq, r.N, err = b.Pop(dst)
		if err == nil {
			r.Data = dst[:lockstep.Clamp(r.N, 0, len(dst))]
		}
	case SkipTo:
		r.N, err = b.SkipTo(op.Seq)
	case Missing:
		prefix := []uint32{7}
		got := b.AppendMissing(prefix, op.Max)
		if len(got) == 0 || got[0] != 7 {
			err = fmt.Errorf("AppendMissing lost the prefix of dst: %v", got)
		} else {
			r.Missing = got[1:]
		}
	case Reset:
		b.Reset()
	}
	r.Err = lockstep.ErrName(err)
	return r
}

// unspecified clears what the contract leaves open in r: the sequence
// PushWith or Pop returns with an error other than the three sequence
// errors (netbuf answers 0, or Next with ErrGap; a port may answer what
// it likes).
func unspecified(op Op, r *Result) {
	if (op.Kind == PushWith || op.Kind == Pop) && r.Err != "" && r.Err != "ErrLate" && r.Err != "ErrDuplicate" && r.Err != "ErrAhead" {
		r.Seq = 0
	}
}

// finish ends a fill or consume the way cb says.
func (r *Result) finish(b, other Buffer, op Op, cb lockstep.Callback) error {
	return lockstep.End(b, other, op.Seed, cb, func(b Buffer) { r.Nested, r.NestedRan = nested(b, op) })
}

// nested makes op's nested call, op.Reenter with op.ReSize.
func nested(b Buffer, op Op) (name string, ran bool) {
	size := op.ReSize
	var err error
	switch op.Reenter {
	case PushWith:
		_, _, err = b.PushWith(size, func(p []byte) (uint32, int, error) {
			ran = true
			lockstep.Payload(p, op.Seed+1)
			return b.Next(), len(p), nil
		})
	case Push:
		p := make([]byte, max(size, 0))
		err = b.Push(b.Next(), p)
	case PopWith:
		err = b.PopWith(func(uint32, []byte) error { ran = true; return nil })
	case Pop:
		_, _, err = b.Pop(make([]byte, max(size, 0)))
	case SkipTo:
		_, err = b.SkipTo(uint32(size))
	case Missing:
		b.AppendMissing(nil, size)
		return "none", false
	default:
		b.Reset()
		return "none", false
	}
	return lockstep.ErrName(err), ran
}
