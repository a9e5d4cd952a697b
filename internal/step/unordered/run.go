package unordered

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// Result is everything observable about one operation: its answer, what
// its callbacks saw, and the counters afterwards. The buffer under test and
// the model must give equal Results for every Op.
type Result struct {
	N          int      // n returned by PushWith, Pop, PushBatch (m)
	Err        string   // the error's name (lockstep.ErrName); "" for nil
	Panic      string   // "propagated" if the callback's panic came out intact, else what came out
	Window     [2]int   // len and cap of the slice given to fill or consume, or returned by Reserve or Peek
	Windows    [][2]int // PushBatch: len and cap of each window
	Called     bool     // the callback ran
	Cleared    bool     // PushBatch: bufs[:k] were nil afterwards
	Data       []byte   // bytes popped: dst[:n] for Pop, what consume or Peek saw
	Nested     string   // the nested call's error name ("none" for Reset)
	NestedRan  bool     // the nested call ran a callback of its own
	NestedData []byte   // what a nested pop or peek returned
	Other      [2]int   // Len and Used of the second buffer afterwards
	Len        int
	Used       int
	Cap        int
	MaxPackets int
}

// Run applies op to b and reports what it observed; other is the second
// buffer that a lockstep.CallOther callback uses (nil if there is none). A panic that
// is not the callback's own is reported in Result.Panic, not propagated.
func Run(b, other Buffer, op Op) (r Result) {
	defer func() {
		r.Panic = lockstep.PanicKind(recover(), op.Seed)
		r.Len, r.Used, r.Cap, r.MaxPackets = b.Len(), b.Used(), b.Cap(), b.MaxPackets()
		if other != nil {
			r.Other = [2]int{other.Len(), other.Used()}
		}
	}()
	r.Err = lockstep.ErrName(run(b, other, op, &r))
	return r
}

func run(b, other Buffer, op Op, r *Result) (err error) {
	switch op.Kind {
	case PushWith:
		fill := func(p []byte) (int, error) {
			r.Called, r.Window = true, [2]int{len(p), cap(p)}
			lockstep.Payload(p[:lockstep.Clamp(op.N, 0, len(p))], op.Seed)
			return op.N, finish(b, other, op, op.Fill, r)
		}
		if op.Fill == lockstep.CallNil {
			fill = nil
		}
		r.N, err = b.PushWith(op.MaxSize, fill)
	case Push:
		p := make([]byte, max(op.MaxSize, 0))
		lockstep.Payload(p, op.Seed)
		err = b.Push(p)
		for i := range p {
			p[i] = ^p[i] // the caller reuses its slice: a buffer that kept it serves these bytes
		}
	case PopWith:
		consume := func(p []byte) error {
			r.Called, r.Window = true, [2]int{len(p), cap(p)}
			r.Data = append([]byte{}, p...)
			return finish(b, other, op, op.Consume, r)
		}
		if op.Consume == lockstep.CallNil {
			consume = nil
		}
		err = b.PopWith(consume)
	case Pop:
		dst := make([]byte, max(op.DstLen, 0), max(op.DstLen, 0)+max(op.Spare, 0))
		r.N, err = b.Pop(dst)
		if err == nil {
			r.Data = dst[:lockstep.Clamp(r.N, 0, len(dst))]
		}
	case Reset:
		b.Reset()
	case PushBatch:
		return runBatch(b, other, op, r)
	default:
		return runTwoPhase(b, op, r)
	}
	return err
}

// runTwoPhase runs one of the two-phase calls. Reserve writes the whole
// window with the payload, so that Commit(n) commits its first n bytes.
func runTwoPhase(b Buffer, op Op, r *Result) error {
	tp, ok := b.(TwoPhase)
	if !ok {
		return fmt.Errorf("the buffer has no %s", op.Kind)
	}
	switch op.Kind {
	case Reserve:
		p, err := tp.Reserve(op.MaxSize)
		r.Window = [2]int{len(p), cap(p)}
		lockstep.Payload(p, op.Seed)
		return err
	case Commit:
		return tp.Commit(op.N)
	case Abort:
		return tp.Abort()
	case Peek:
		p, err := tp.Peek()
		r.Window, r.Data = [2]int{len(p), cap(p)}, append([]byte(nil), p...)
		return err
	case Release:
		return tp.Release()
	}
	return fmt.Errorf("unknown operation %s", op.Kind)
}

// finish ends a fill or consume the way cb says.
func finish(b, other Buffer, op Op, cb lockstep.Callback, r *Result) error {
	return lockstep.End(b, other, op.Seed, cb, func(b Buffer) { r.Nested, r.NestedRan, r.NestedData = nested(b, op) })
}

// nested makes op's nested call, op.Reenter(op.ReSize), on b. On the buffer
// whose callback is running it must answer ErrBusy and run no callback.
func nested(b Buffer, op Op) (name string, ran bool, data []byte) {
	size := op.ReSize
	var err error
	switch op.Reenter {
	case PushWith:
		_, err = b.PushWith(size, func(p []byte) (int, error) {
			ran = true
			lockstep.Payload(p, op.Seed+1)
			return len(p), nil
		})
	case Push:
		p := make([]byte, max(size, 0))
		lockstep.Payload(p, op.Seed+1)
		err = b.Push(p)
	case PopWith:
		err = b.PopWith(func(p []byte) error { ran, data = true, append([]byte{}, p...); return nil })
	case Pop:
		dst := make([]byte, max(size, 0))
		var n int
		if n, err = b.Pop(dst); err == nil {
			data = dst[:lockstep.Clamp(n, 0, len(dst))]
		}
	case Reset:
		b.Reset()
		return "none", false, nil
	case PushBatch:
		bb, ok := b.(Batcher)
		if !ok {
			return "unsupported", false, nil
		}
		_, err = bb.PushBatch(size, make([][]byte, 1), func(w [][]byte) (int, error) {
			ran = true
			lockstep.Payload(w[0], op.Seed+1)
			return 1, nil
		})
	default:
		var r Result
		err = runTwoPhase(b, Op{Kind: op.Reenter, MaxSize: size, N: size, Seed: op.Seed + 1}, &r)
		data = r.Data
	}
	return lockstep.ErrName(err), ran, data
}

func errUnsupported(op Op) error { return fmt.Errorf("the buffer has no %s", op.Kind) }
