package spsc

import (
	"bytes"
	"context"
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// Result is everything observable about one call. The buffer and the
// model must give equal Results for every Op (sequentially), and a
// concurrent history must be explained by some order of the model's.
type Result struct {
	Err        string // the error's name (lockstep.ErrName); "" for nil
	N          int    // n of PushWith and Pop
	Count      int    // Used, PLen, CLen
	Panic      string // "propagated" if a callback's panic came out intact, else what came out
	Window     [2]int // len and cap of the slice given to fill or consume, or returned by Reserve or Peek
	Called     bool   // the callback ran
	Data       []byte // bytes popped: dst[:n] for Pop, what consume or Peek saw
	Intact     bool   // Release, PopWith: the packet's bytes were still those seen, at the end
	Nested     string // the nested call's error name
	NestedData []byte // what a nested pop or peek returned
}

// String renders a Result in one short line.
func (r Result) String() string {
	s := "ok"
	if r.Err != "" {
		s = r.Err
	}
	if r.Panic != "" {
		s += " panic=" + r.Panic
	}
	if r.N != 0 {
		s += fmt.Sprintf(" n=%d", r.N)
	}
	if r.Count != 0 {
		s += fmt.Sprintf(" =%d", r.Count)
	}
	if r.Window != [2]int{} {
		s += fmt.Sprintf(" window=%d/%d", r.Window[0], r.Window[1])
	}
	if r.Data != nil {
		s += fmt.Sprintf(" data=%s", short(r.Data))
	}
	if r.Intact {
		s += " intact"
	}
	if r.Nested != "" || r.NestedData != nil {
		s += fmt.Sprintf(" nested=%q", r.Nested)
		if r.NestedData != nil {
			s += "/" + short(r.NestedData)
		}
	}
	return s
}

// short shows a payload by its length and first bytes.
func short(b []byte) string {
	if len(b) <= 6 {
		return fmt.Sprintf("[%d]%x", len(b), b)
	}
	return fmt.Sprintf("[%d]%x…", len(b), b[:6])
}

// Runner applies Ops to one buffer's halves and remembers what an open
// peek returned, so that Release can tell whether those bytes changed.
type Runner struct {
	H     Halves
	Ctx   context.Context // given to the waits
	Yield func()          // if set, called inside callbacks and before Release's check: lets the other goroutine in
	peek  []byte          // the slice the open Peek returned
	seen  []byte          // its bytes then
}

// Peeked returns the slice that the open Peek made through x returned,
// nil if none is open.
func (x *Runner) Peeked() []byte { return x.peek }

// Resume tells x that a Peek is open and returned peek: for a runner that
// takes over halves whose peek another runner opened.
func (x *Runner) Resume(peek []byte) { x.peek, x.seen = peek, peek }

// doneCtx is a context that is already cancelled: the waits of a sequential
// run answer at once.
var doneCtx = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// NewRunner returns a Runner for a sequential run (waits answer at once).
func NewRunner(h Halves) *Runner { return &Runner{H: h, Ctx: doneCtx} }

// Run applies op and reports what it observed. A panic that is not the
// callback's own is reported in Result.Panic, not propagated.
func (x *Runner) Run(op Op) (r Result) {
	defer func() {
		r.Panic = lockstep.PanicKind(recover(), op.Seed)
	}()
	r.Err = lockstep.ErrName(x.run(op, &r))
	return r
}

func (x *Runner) yield() {
	if x.Yield != nil {
		x.Yield()
	}
}

func (x *Runner) run(op Op, r *Result) (err error) {
	p, c := x.H.P, x.H.C
	switch op.Kind {
	case Reserve:
		b, err := p.Reserve(op.MaxSize)
		r.Window = [2]int{len(b), cap(b)}
		lockstep.Payload(b, op.Seed)
		return err
	case Commit:
		return p.Commit(op.N)
	case Abort:
		return p.Abort()
	case PushWith:
		fill := func(b []byte) (int, error) {
			r.Called, r.Window = true, [2]int{len(b), cap(b)}
			lockstep.Payload(b[:min(max(op.N, 0), len(b))], op.Seed)
			x.yield()
			return op.N, x.finish(op, r)
		}
		if op.Callback == lockstep.CallNil {
			fill = nil
		}
		r.N, err = p.PushWith(op.MaxSize, fill)
		return err
	case Push:
		b := make([]byte, max(op.MaxSize, 0))
		lockstep.Payload(b, op.Seed)
		err = p.Push(b)
		for i := range b {
			b[i] = ^b[i] // the caller reuses its slice: a buffer that kept it serves these bytes
		}
		return err
	case Close:
		return p.Close()
	case WaitRoom:
		return p.Wait(x.Ctx, op.MaxSize)
	case Used:
		r.Count = p.Used()
	case PLen:
		r.Count = p.Len()
	case Peek:
		b, err := c.Peek()
		r.Window = [2]int{len(b), cap(b)}
		if err == nil {
			r.Data = bytes.Clone(b)
			x.peek, x.seen = b, r.Data
		}
		return err
	case Release:
		peek, seen := x.peek, x.seen
		x.yield()
		intact := bytes.Equal(peek, seen)
		err = c.Release()
		if err == nil {
			r.Intact = intact
			x.peek, x.seen = nil, nil
		}
		return err
	case PopWith:
		consume := func(b []byte) error {
			r.Called, r.Window = true, [2]int{len(b), cap(b)}
			r.Data = bytes.Clone(b)
			x.yield()
			err := x.finish(op, r)
			r.Intact = bytes.Equal(b, r.Data)
			return err
		}
		if op.Callback == lockstep.CallNil {
			consume = nil
		}
		err = c.PopWith(consume)
		if err != nil {
			r.Intact = false // the packet stays: nothing to vouch for
		}
		return err
	case Pop:
		dst := make([]byte, max(op.DstLen, 0))
		r.N, err = c.Pop(dst)
		if err == nil {
			r.Data = dst[:min(max(r.N, 0), len(dst))]
		}
		return err
	case WaitData:
		return c.Wait(x.Ctx)
	case CLen:
		r.Count = c.Len()
	case CommitDeferred, PFlush, ReleaseDeferred, CFlush:
		return x.runBatch(op, r)
	default:
		return fmt.Errorf("unknown operation %s", op.Kind)
	}
	return nil
}

// finish ends a callback the way op.Callback says.
func (x *Runner) finish(op Op, r *Result) error {
	switch op.Callback {
	case lockstep.CallErr:
		return lockstep.ErrCallback
	case lockstep.CallPanic:
		lockstep.Panic(op.Seed)
	case lockstep.CallReenter, lockstep.CallOther:
		n := x.Run(Op{Kind: op.Reenter, MaxSize: op.ReSize, N: op.ReSize, DstLen: op.ReSize, Seed: op.Seed + 1})
		r.Nested, r.NestedData = n.Err, n.Data
	}
	return nil
}
