package fuzzcodec

import (
	"fmt"
	"slices"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
)

// SPSCProgram is what one FuzzSPSC input means: an SPSC buffer's
// configuration and the calls of both halves, made in order by one
// goroutine.
type SPSCProgram struct {
	Cap, Slots int
	Ops        []spsc.Op
}

// The FuzzSPSC byte format: capacity 1 + b%32, slots 1 + b%8 (a tiny
// buffer that wraps, pads and restarts at 0 every few packets); then calls
// until the input ends, each a head byte (bits 0-3: the kind, mod
// spsc.NumKinds; bits 4-7: the callback, mostly ok, see scallbacks)
// and its fields, numbers as FuzzUnordered's (relative to Cap; above it,
// -1, or escaped): reserve, push and waitroom: size, seed; pushwith: size,
// n, seed; commit: n; pop: dst length; a nested call's kind (a byte, taken
// within the half the callback calls) and size.

var scallbacks = [16]lockstep.Callback{
	lockstep.CallOK, lockstep.CallOK, lockstep.CallOK, lockstep.CallOK, lockstep.CallOK, lockstep.CallOK,
	lockstep.CallOK, lockstep.CallOK, lockstep.CallErr, lockstep.CallPanic, lockstep.CallReenter,
	lockstep.CallOther, lockstep.CallNil, lockstep.CallReenter, lockstep.CallOther, lockstep.CallErr,
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

func (r *reader) sop(c int) spsc.Op {
	head := r.byte()
	op := spsc.Op{Kind: spsc.Kind(int(head&15) % int(spsc.NumKinds))}
	switch op.Kind {
	case spsc.Reserve, spsc.Push, spsc.WaitRoom:
		op.MaxSize = r.number(c)
		op.Seed = r.byte()
	case spsc.PushWith:
		op.MaxSize = r.number(c)
		op.N = r.number(max(op.MaxSize, 0))
		op.Seed = r.byte()
	case spsc.Commit:
		op.N = r.number(c)
	case spsc.Pop:
		op.DstLen = r.number(c)
	}
	if op.Kind == spsc.PushWith || op.Kind == spsc.PopWith {
		op.Callback = scallbacks[head>>4]
		if op.Callback == lockstep.CallReenter || op.Callback == lockstep.CallOther {
			producer := op.Kind.Producer() == (op.Callback == lockstep.CallReenter)
			lo, n := spsc.Peek, int(spsc.NumKinds-spsc.Peek)
			if producer {
				lo, n = spsc.Reserve, int(spsc.PLen-spsc.Reserve)+1
			}
			op.Reenter = lo + spsc.Kind(int(r.byte())%n)
			op.ReSize = r.number(c)
		}
	}
	return op
}

// EncodeSPSC is DecodeSPSC's inverse: the bytes that decode to p, or an
// error if the format cannot express p (a configuration beyond its
// ranges, a callback or nested call of another half than its bytes
// allow).
func EncodeSPSC(p SPSCProgram) ([]byte, error) {
	if p.Cap < 1 || p.Cap > 32 || p.Slots < 1 || p.Slots > 8 || len(p.Ops) > MaxFuzzOps {
		return nil, fmt.Errorf("%w: spsc %d %d", ErrTooBig, p.Cap, p.Slots)
	}
	w := &writer{buf: []byte{byte(p.Cap - 1), byte(p.Slots - 1)}}
	for _, op := range p.Ops {
		w.sop(op, p.Cap)
	}
	if q, err := DecodeSPSC(w.buf); err != nil || !slices.Equal(q.Ops, p.Ops) {
		return nil, fmt.Errorf("fuzz: cannot encode %v", p.Ops)
	}
	return w.buf, nil
}

func (w *writer) sop(op spsc.Op, c int) {
	ci := 0 // CallOK
	if op.Kind == spsc.PushWith || op.Kind == spsc.PopWith {
		ci = max(slices.Index(scallbacks[:], op.Callback), 0)
	}
	w.byte(byte(ci)<<4 | byte(op.Kind))
	switch op.Kind {
	case spsc.Reserve, spsc.Push, spsc.WaitRoom:
		w.number(op.MaxSize, c)
		w.byte(op.Seed)
	case spsc.PushWith:
		w.number(op.MaxSize, c)
		w.number(op.N, max(op.MaxSize, 0))
		w.byte(op.Seed)
	case spsc.Commit:
		w.number(op.N, c)
	case spsc.Pop:
		w.number(op.DstLen, c)
	}
	if (op.Kind == spsc.PushWith || op.Kind == spsc.PopWith) && (op.Callback == lockstep.CallReenter || op.Callback == lockstep.CallOther) {
		lo := spsc.Peek
		if op.Reenter.Producer() {
			lo = spsc.Reserve
		}
		w.byte(byte(op.Reenter - lo))
		w.number(op.ReSize, c)
	}
}
