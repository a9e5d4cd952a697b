package fuzz

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/internal/spsccheck"
)

// SPSCProgram is what one FuzzSPSC input means: an SPSC buffer's
// configuration and the calls of both halves, made in order by one
// goroutine.
type SPSCProgram struct {
	Cap, Slots int
	Ops        []spsccheck.Op
}

// The FuzzSPSC byte format: capacity 1 + b%32, slots 1 + b%8 (a tiny
// buffer that wraps, pads and restarts at 0 every few packets); then calls
// until the input ends, each a head byte (bits 0-3: the kind, mod
// spsccheck.NumKinds; bits 4-7: the callback, mostly ok, see scallbacks)
// and its fields, numbers as FuzzUnordered's (relative to Cap; above it,
// -1, or escaped): reserve, push and waitroom: size, seed; pushwith: size,
// n, seed; commit: n; pop: dst length; a nested call's kind (a byte, taken
// within the half the callback calls) and size.

var scallbacks = [16]spsccheck.Callback{
	spsccheck.CallOK, spsccheck.CallOK, spsccheck.CallOK, spsccheck.CallOK, spsccheck.CallOK, spsccheck.CallOK,
	spsccheck.CallOK, spsccheck.CallOK, spsccheck.CallErr, spsccheck.CallPanic, spsccheck.CallReenter,
	spsccheck.CallCross, spsccheck.CallNil, spsccheck.CallReenter, spsccheck.CallCross, spsccheck.CallErr,
}

// DecodeSPSC turns a fuzz input into an SPSCProgram. It fails only with
// ErrTooBig, for a call that would allocate too much.
func DecodeSPSC(data []byte) (SPSCProgram, error) {
	r := &reader{data: data}
	p := SPSCProgram{Cap: 1 + int(r.byte())%32, Slots: 1 + int(r.byte())%8}
	for r.more() && len(p.Ops) < MaxFuzzOps {
		op := r.sop(p.Cap)
		if op.MaxSize > MaxFuzzBytes || op.DstLen > MaxFuzzBytes || op.ReSize > MaxFuzzBytes {
			return SPSCProgram{}, fmt.Errorf("%w: %s", ErrTooBig, op)
		}
		p.Ops = append(p.Ops, op)
	}
	return p, nil
}

func (r *reader) sop(c int) spsccheck.Op {
	head := r.byte()
	op := spsccheck.Op{Kind: spsccheck.Kind(int(head&15) % int(spsccheck.NumKinds))}
	switch op.Kind {
	case spsccheck.Reserve, spsccheck.Push, spsccheck.WaitRoom:
		op.MaxSize = r.number(c)
		op.Seed = r.byte()
	case spsccheck.PushWith:
		op.MaxSize = r.number(c)
		op.N = r.number(max(op.MaxSize, 0))
		op.Seed = r.byte()
	case spsccheck.Commit:
		op.N = r.number(c)
	case spsccheck.Pop:
		op.DstLen = r.number(c)
	}
	if op.Kind == spsccheck.PushWith || op.Kind == spsccheck.PopWith {
		op.Callback = scallbacks[head>>4]
		if op.Callback == spsccheck.CallReenter || op.Callback == spsccheck.CallCross {
			producer := op.Kind.Producer() == (op.Callback == spsccheck.CallReenter)
			lo, n := spsccheck.Peek, int(spsccheck.NumKinds-spsccheck.Peek)
			if producer {
				lo, n = spsccheck.Reserve, int(spsccheck.PLen-spsccheck.Reserve)+1
			}
			op.Nested = lo + spsccheck.Kind(int(r.byte())%n)
			op.ReSize = r.number(c)
		}
	}
	return op
}

// CheckSPSC runs p on buffers from f and on model.SPSC in lockstep
// (spsccheck.Pair: equal Results, counters and the producer's Check after
// every call); the error shows the calls up to the failing one.
func CheckSPSC(f spsccheck.Factory, p SPSCProgram) error {
	pair, err := spsccheck.NewPair(f, p.Cap, p.Slots)
	if err != nil || pair == nil {
		return err
	}
	for i, op := range p.Ops {
		if _, err := pair.Apply(op); err != nil {
			var b strings.Builder
			fmt.Fprintf(&b, "new %d %d\n", p.Cap, p.Slots)
			for _, o := range p.Ops[:i+1] {
				fmt.Fprintf(&b, "%s\n", o)
			}
			return fmt.Errorf("call %d of %d: %w\nthe calls:\n%s", i+1, len(p.Ops), err, b.String())
		}
	}
	return pair.Drain(func(op spsccheck.Op) error { _, err := pair.Apply(op); return err })
}
