package step

import (
	"fmt"
	"reflect"

	"github.com/google/go-cmp/cmp"
	"github.com/netbuf-go/netbuf/model"
)

// OrderedResult is everything observable about one operation on an
// ordered buffer. The buffer and the model must give equal results.
type OrderedResult struct {
	Seq        uint32   // the sequence PushWith returned, or Pop delivered
	N          int      // n of PushWith and Pop; SkipTo's dropped count
	Err        string   // ErrName of the error
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

// RunOrdered applies op to b and reports what it observed; other is the
// second buffer of CallOther callbacks (nil if none).
func RunOrdered(b, other OrderedBuffer, op OrderedOp) (r OrderedResult) {
	defer func() {
		r.Panic = panicKind(recover(), op.Seed)
		r.Next, r.Len, r.Used, r.Cap, r.MaxPackets = b.Next(), b.Len(), b.Used(), b.Cap(), b.MaxPackets()
		if other != nil {
			r.Other = [3]int{other.Len(), other.Used(), int(other.Next())}
		}
	}()
	var err error
	switch op.Kind {
	case OPushWith:
		fill := func(p []byte) (uint32, int, error) {
			r.Called, r.Window = true, [2]int{len(p), cap(p)}
			payload(p[:clamp(op.N, 0, len(p))], op.Seed)
			return op.Seq, op.N, r.finish(b, other, op, op.Fill)
		}
		if op.Fill == CallNil {
			fill = nil
		}
		r.Seq, r.N, err = b.PushWith(op.MaxSize, fill)
	case OPush:
		p := make([]byte, max(op.MaxSize, 0))
		payload(p, op.Seed)
		err = b.Push(op.Seq, p)
		for i := range p {
			p[i] = ^p[i] // the caller reuses its slice
		}
	case OPopWith:
		consume := func(seq uint32, p []byte) error {
			r.Called, r.Window, r.Seq = true, [2]int{len(p), cap(p)}, seq
			r.Data = append([]byte{}, p...)
			return r.finish(b, other, op, op.Consume)
		}
		if op.Consume == CallNil {
			consume = nil
		}
		err = b.PopWith(consume)
	case OPop:
		dst := make([]byte, max(op.DstLen, 0), max(op.DstLen, 0)+max(op.Spare, 0))
		r.Seq, r.N, err = b.Pop(dst)
		if err == nil {
			r.Data = dst[:clamp(r.N, 0, len(dst))]
		}
	case OSkipTo:
		r.N, err = b.SkipTo(op.Seq)
	case OMissing:
		prefix := []uint32{7}
		got := b.AppendMissing(prefix, op.Max)
		if len(got) == 0 || got[0] != 7 {
			err = fmt.Errorf("AppendMissing lost the prefix of dst: %v", got)
		} else {
			r.Missing = got[1:]
		}
	case OReset:
		b.Reset()
	}
	r.Err = ErrName(err)
	return r
}

// unspecified clears what the contract leaves open in r: the sequence
// PushWith or Pop returns with an error other than the three sequence
// errors (netbuf answers 0; a port may answer what it likes).
func unspecified(op OrderedOp, r *OrderedResult) {
	if (op.Kind == OPushWith || op.Kind == OPop) && r.Err != "" && r.Err != "ErrLate" && r.Err != "ErrDuplicate" && r.Err != "ErrAhead" {
		r.Seq = 0
	}
}

// finish ends a fill or consume the way cb says.
func (r *OrderedResult) finish(b, other OrderedBuffer, op OrderedOp, cb Callback) error {
	return end(b, other, op.Seed, cb, func(b OrderedBuffer) { r.Nested, r.NestedRan = orderedNested(b, op) })
}

// orderedNested makes op's nested call, op.Reenter with op.ReSize.
func orderedNested(b OrderedBuffer, op OrderedOp) (name string, ran bool) {
	size := op.ReSize
	var err error
	switch op.Reenter {
	case OPushWith:
		_, _, err = b.PushWith(size, func(p []byte) (uint32, int, error) {
			ran = true
			payload(p, op.Seed+1)
			return b.Next(), len(p), nil
		})
	case OPush:
		p := make([]byte, max(size, 0))
		err = b.Push(b.Next(), p)
	case OPopWith:
		err = b.PopWith(func(uint32, []byte) error { ran = true; return nil })
	case OPop:
		_, _, err = b.Pop(make([]byte, max(size, 0)))
	case OSkipTo:
		_, err = b.SkipTo(uint32(size))
	case OMissing:
		b.AppendMissing(nil, size)
		return "none", false
	default:
		b.Reset()
		return "none", false
	}
	return ErrName(err), ran
}

// OrderedPair is an ordered buffer under test and model.Ordered, driven in
// lockstep, each with a second buffer for CallOther callbacks.
type OrderedPair struct {
	Config          OrderedConfig
	Impl, ImplOther OrderedBuffer
	Ref, RefOther   *model.Ordered
	Observe         func(op OrderedOp, r OrderedResult) // if set, told of every operation
}

// NewModelOrdered is the model for cfg.
func NewModelOrdered(c OrderedConfig) (*model.Ordered, error) {
	return model.NewOrdered(c.Capacity, c.MaxPackets, c.Window, c.SeqBits, c.First, c.Resync)
}

// NewOrderedPair builds both sides; (nil, nil) if both refuse cfg, an
// error if only one does.
func NewOrderedPair(newBuffer OrderedFactory, cfg OrderedConfig) (*OrderedPair, error) {
	impl, err1 := newBuffer(cfg)
	ref, err2 := NewModelOrdered(cfg)
	if k1, k2 := ErrName(err1), ErrName(err2); k1 != k2 {
		return nil, fmt.Errorf("%s: buffer says %q, model says %q", cfg, k1, k2)
	}
	if err2 != nil {
		return nil, nil
	}
	implOther, err1 := newBuffer(cfg)
	refOther, err2 := NewModelOrdered(cfg)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("%s a second time: buffer says %v, model says %v", cfg, err1, err2)
	}
	return &OrderedPair{Config: cfg, Impl: impl, ImplOther: implOther, Ref: ref, RefOther: refOther}, nil
}

// Apply runs op on both sides and returns the model's result and the
// first difference, or a broken invariant of the buffer's Check.
func (p *OrderedPair) Apply(op OrderedOp) (OrderedResult, error) {
	want := RunOrdered(p.Ref, p.RefOther, op)
	got := RunOrdered(p.Impl, p.ImplOther, op)
	unspecified(op, &want)
	unspecified(op, &got)
	if !reflect.DeepEqual(want, got) {
		if d := cmp.Diff(want, got); d != "" {
			return want, fmt.Errorf("%s: buffer differs from model (-model +buffer):\n%s", op, d)
		}
	}
	for _, b := range []OrderedBuffer{p.Impl, p.ImplOther} {
		if c, ok := b.(Checker); ok {
			if err := c.Check(); err != nil {
				return want, fmt.Errorf("%s: invariant broken: %w", op, err)
			}
		}
	}
	if p.Observe != nil {
		p.Observe(op, want)
	}
	return want, nil
}
