package step

import "fmt"

// Result is everything observable about one operation: its answer, what
// its callbacks saw, and the counters afterwards. The buffer under test and
// the model must give equal Results for every Op.
type Result struct {
	N          int      // n returned by PushWith, Pop, PushBatch (m)
	Err        string   // the error's name (ErrName); "" for nil
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

// panicValue is what a CallPanic callback panics with; it must propagate
// with its own value.
type panicValue struct{ seed byte }

// payload fills dst with the pattern of seed.
func payload(dst []byte, seed byte) {
	for i := range dst {
		dst[i] = seed + byte(i)*31
	}
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// Run applies op to b and reports what it observed; other is the second
// buffer that a CallOther callback uses (nil if there is none). A panic that
// is not the callback's own is reported in Result.Panic, not propagated.
func Run(b, other Buffer, op Op) (r Result) {
	defer func() {
		r.Panic = panicKind(recover(), op.Seed)
		r.Len, r.Used, r.Cap, r.MaxPackets = b.Len(), b.Used(), b.Cap(), b.MaxPackets()
		if other != nil {
			r.Other = [2]int{other.Len(), other.Used()}
		}
	}()
	r.Err = ErrName(run(b, other, op, &r))
	return r
}

func run(b, other Buffer, op Op, r *Result) (err error) {
	switch op.Kind {
	case OpPushWith:
		fill := func(p []byte) (int, error) {
			r.Called, r.Window = true, [2]int{len(p), cap(p)}
			payload(p[:clamp(op.N, 0, len(p))], op.Seed)
			return op.N, finish(b, other, op, op.Fill, r)
		}
		if op.Fill == CallNil {
			fill = nil
		}
		r.N, err = b.PushWith(op.MaxSize, fill)
	case OpPush:
		p := make([]byte, max(op.MaxSize, 0))
		payload(p, op.Seed)
		err = b.Push(p)
		for i := range p {
			p[i] = ^p[i] // the caller reuses its slice: a buffer that kept it serves these bytes
		}
	case OpPopWith:
		consume := func(p []byte) error {
			r.Called, r.Window = true, [2]int{len(p), cap(p)}
			r.Data = append([]byte{}, p...)
			return finish(b, other, op, op.Consume, r)
		}
		if op.Consume == CallNil {
			consume = nil
		}
		err = b.PopWith(consume)
	case OpPop:
		dst := make([]byte, max(op.DstLen, 0), max(op.DstLen, 0)+max(op.Spare, 0))
		r.N, err = b.Pop(dst)
		if err == nil {
			r.Data = dst[:clamp(r.N, 0, len(dst))]
		}
	case OpReset:
		b.Reset()
	case OpPushBatch:
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
	case OpReserve:
		p, err := tp.Reserve(op.MaxSize)
		r.Window = [2]int{len(p), cap(p)}
		payload(p, op.Seed)
		return err
	case OpCommit:
		return tp.Commit(op.N)
	case OpAbort:
		return tp.Abort()
	case OpPeek:
		p, err := tp.Peek()
		r.Window, r.Data = [2]int{len(p), cap(p)}, append([]byte(nil), p...)
		return err
	case OpRelease:
		return tp.Release()
	}
	return fmt.Errorf("unknown operation %s", op.Kind)
}

// finish ends a fill or consume the way cb says.
func finish(b, other Buffer, op Op, cb Callback, r *Result) error {
	return end(b, other, op.Seed, cb, func(b Buffer) { r.Nested, r.NestedRan, r.NestedData = nested(b, op) })
}

// end ends a callback the way cb says: an error, a panic, or the nested
// call on the same buffer (CallReenter) or on the other one (CallOther).
func end[B comparable](b, other B, seed byte, cb Callback, nest func(B)) error {
	switch cb {
	case CallErr:
		return ErrCallback
	case CallPanic:
		panic(panicValue{seed})
	case CallReenter:
		nest(b)
	case CallOther:
		var none B
		if other == none {
			return errNoOther
		}
		nest(other)
	}
	return nil
}

// errNoOther is what a CallOther callback returns with no second buffer.
var errNoOther = fmt.Errorf("step: no second buffer for a CallOther callback")

// nested makes op's nested call, op.Reenter(op.ReSize), on b. On the buffer
// whose callback is running it must answer ErrBusy and run no callback.
func nested(b Buffer, op Op) (name string, ran bool, data []byte) {
	size := op.ReSize
	var err error
	switch op.Reenter {
	case OpPushWith:
		_, err = b.PushWith(size, func(p []byte) (int, error) {
			ran = true
			payload(p, op.Seed+1)
			return len(p), nil
		})
	case OpPush:
		p := make([]byte, max(size, 0))
		payload(p, op.Seed+1)
		err = b.Push(p)
	case OpPopWith:
		err = b.PopWith(func(p []byte) error { ran, data = true, append([]byte{}, p...); return nil })
	case OpPop:
		dst := make([]byte, max(size, 0))
		var n int
		if n, err = b.Pop(dst); err == nil {
			data = dst[:clamp(n, 0, len(dst))]
		}
	case OpReset:
		b.Reset()
		return "none", false, nil
	case OpPushBatch:
		bb, ok := b.(Batcher)
		if !ok {
			return "unsupported", false, nil
		}
		_, err = bb.PushBatch(size, make([][]byte, 1), func(w [][]byte) (int, error) {
			ran = true
			payload(w[0], op.Seed+1)
			return 1, nil
		})
	default:
		var r Result
		err = runTwoPhase(b, Op{Kind: op.Reenter, MaxSize: size, N: size, Seed: op.Seed + 1}, &r)
		data = r.Data
	}
	return ErrName(err), ran, data
}

// panicKind names a recovered value: "" for none, "propagated" for the
// callback's own panic (seeded with seed), else what came out instead.
func panicKind(v any, seed byte) string {
	switch pv, ok := v.(panicValue); {
	case v == nil:
		return ""
	case ok && pv.seed == seed:
		return "propagated"
	default:
		return fmt.Sprintf("unexpected panic: %v", v)
	}
}

func errUnsupported(op Op) error { return fmt.Errorf("the buffer has no %s", op.Kind) }
