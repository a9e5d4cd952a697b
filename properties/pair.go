package properties

import (
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/google/go-cmp/cmp"
	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

// ErrCallback is the error a CallErr fill or consume returns. It must come
// back from PushWith or PopWith unchanged (or wrapped).
var ErrCallback = errors.New("properties: callback failed on purpose")

// panicValue is what a CallPanic callback panics with; it must propagate
// with its own value.
type panicValue struct{ seed byte }

// Result is everything observable about one operation: its answer, what the
// callbacks saw, and the buffer's counters afterwards. The buffer under test
// and the model must produce equal Results for every Op.
type Result struct {
	N          int    // n returned by PushWith or Pop
	Err        string // kind of the error returned (see errKind), "" for nil
	Panic      string // "propagated" if the callback's panic came out intact, else what came out
	Window     [2]int // len and cap of the slice the callback got
	Called     bool   // the callback ran
	Data       []byte // bytes popped: dst[:n] for Pop, what consume saw for PopWith
	Nested     string // kind of the error of the reentrant call ("none" for Reset)
	NestedRan  bool   // the reentrant call ran its own callback (it must not)
	Len        int
	Used       int
	Cap        int
	MaxPackets int
}

// errKind names an error by the sentinel it is, so that the buffer's errors
// and the model's compare equal.
func errKind(err error) string {
	pairs := []struct {
		name string
		a, b error
	}{
		{"ErrWouldBlock", netbuf.ErrWouldBlock, model.ErrWouldBlock},
		{"ErrEmpty", netbuf.ErrEmpty, model.ErrEmpty},
		{"ErrTooLarge", netbuf.ErrTooLarge, model.ErrTooLarge},
		{"ErrInvalidSize", netbuf.ErrInvalidSize, model.ErrInvalidSize},
		{"ErrInvalidLength", netbuf.ErrInvalidLength, model.ErrInvalidLength},
		{"ErrBusy", netbuf.ErrBusy, model.ErrBusy},
		{"ErrNilFunc", netbuf.ErrNilFunc, model.ErrNilFunc},
		{"io.ErrShortBuffer", io.ErrShortBuffer, io.ErrShortBuffer},
		{"ErrCallback", ErrCallback, ErrCallback},
	}
	if err == nil {
		return ""
	}
	for _, p := range pairs {
		if errors.Is(err, p.a) || errors.Is(err, p.b) {
			return p.name
		}
	}
	return "unexpected error: " + err.Error()
}

// Run applies op to b and reports what it observed. A panic from b that is
// not the callback's own is reported in Result.Panic, not propagated.
func Run(b Buffer, op Op) (r Result) {
	defer func() {
		r.Panic = panicKind(recover(), op.Seed)
		r.Len, r.Used, r.Cap, r.MaxPackets = b.Len(), b.Used(), b.Cap(), b.MaxPackets()
	}()
	var err error
	switch op.Kind {
	case OpPushWith:
		r.N, err = b.PushWith(op.MaxSize, func(p []byte) (int, error) {
			r.Called, r.Window = true, [2]int{len(p), cap(p)}
			payload(p[:clamp(op.N, 0, len(p))], op.Seed)
			return op.N, callback(b, op, op.Fill, &r)
		})
	case OpPush:
		p := make([]byte, max(op.MaxSize, 0))
		payload(p, op.Seed)
		err = b.Push(p)
	case OpPopWith:
		err = b.PopWith(func(p []byte) error {
			r.Called, r.Window = true, [2]int{len(p), cap(p)}
			r.Data = append([]byte{}, p...)
			return callback(b, op, op.Consume, &r)
		})
	case OpPop:
		dst := make([]byte, max(op.DstLen, 0))
		r.N, err = b.Pop(dst)
		if err == nil {
			r.Data = dst[:clamp(r.N, 0, len(dst))]
		}
	case OpReset:
		b.Reset()
	}
	r.Err = errKind(err)
	return r
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

// callback finishes a fill or consume the way cb says.
func callback(b Buffer, op Op, cb Callback, r *Result) error {
	switch cb {
	case CallErr:
		return ErrCallback
	case CallPanic:
		panic(panicValue{op.Seed})
	case CallReenter:
		r.Nested, r.NestedRan = reenter(b, op.Reenter)
	}
	return nil
}

// reenter calls b from inside one of b's own callbacks: every method must
// answer ErrBusy without running a callback, and Reset must do nothing.
func reenter(b Buffer, k Kind) (kind string, ran bool) {
	var err error
	switch k {
	case OpPushWith:
		_, err = b.PushWith(1, func(p []byte) (int, error) { ran = true; return 0, nil })
	case OpPush:
		err = b.Push([]byte{1})
	case OpPopWith:
		err = b.PopWith(func([]byte) error { ran = true; return nil })
	case OpPop:
		_, err = b.Pop(make([]byte, b.Cap())) // room for any packet: only ErrBusy may stop it
	default:
		b.Reset()
		return "none", false
	}
	return errKind(err), ran
}

func clamp(v, lo, hi int) int { return min(max(v, lo), hi) }

// Pair is a buffer under test and the model, driven in lockstep.
type Pair struct {
	Impl  Buffer
	Ref   *model.Unordered
	Stats *Stats // may be nil
}

// NewPair builds both sides with the same arguments. It returns an error if
// the factory and the model disagree on whether they are valid; if both
// refuse them, it returns (nil, nil).
func NewPair(newBuffer Factory, capacityBytes, maxPackets int) (*Pair, error) {
	impl, err1 := newBuffer(capacityBytes, maxPackets)
	ref, err2 := model.NewUnordered(capacityBytes, maxPackets)
	if k1, k2 := errKind(err1), errKind(err2); k1 != k2 {
		return nil, fmt.Errorf("New(%d, %d): buffer says %q, model says %q", capacityBytes, maxPackets, k1, k2)
	}
	if err2 != nil {
		return nil, nil
	}
	return &Pair{Impl: impl, Ref: ref}, nil
}

// Apply runs op on both sides and returns an error describing any
// difference (as a cmp.Diff, -model +buffer), or a broken internal
// invariant if the buffer has a Check method.
func (p *Pair) Apply(op Op) error {
	before := p.Ref.Used() + p.Ref.Head()
	_, wraps, placeErr := p.Ref.Place(op.MaxSize)
	want := Run(p.Ref, op)
	got := Run(p.Impl, op)
	// reflect.DeepEqual first: cmp.Diff walks popped bytes one by one and
	// dominated the run time; it is only needed to describe a difference.
	if !reflect.DeepEqual(want, got) {
		if d := cmp.Diff(want, got); d != "" {
			return fmt.Errorf("%s: buffer differs from model (-model +buffer):\n%s", op, d)
		}
	}
	if c, ok := p.Impl.(checker); ok {
		if err := c.Check(); err != nil {
			return fmt.Errorf("%s: invariant broken: %w", op, err)
		}
	}
	if p.Stats != nil {
		p.Stats.record(op, want, placeErr == nil && wraps, placeErr == nil && wraps && p.Ref.Cap() > before)
	}
	return nil
}
