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
// until the input ends, each a head byte (bits 0-3: the kind, 15 for a
// batch kind named by the next byte, mod 4; bits 4-7: the callback,
// mostly ok, see scallbacks) and its fields, numbers as FuzzUnordered's
// (relative to Cap; above it, -1, or escaped): reserve, push and
// waitroom: size, seed; pushwith: size, n, seed; commit and
// commitdeferred: n; pop: dst length; a nested call's kind (a byte, an
// index mod the length of spsc.HalfKinds of the half the callback calls)
// and size.

// batchKinds is the kind nibble that a byte naming a batch kind follows.
const batchKinds = 15

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
	op := spsc.Op{Kind: spsc.Kind(head & 15)}
	if head&15 == batchKinds {
		op.Kind = spsc.CommitDeferred + spsc.Kind(int(r.byte())%int(spsc.NumKinds-spsc.CommitDeferred))
	}
	switch op.Kind {
	case spsc.Reserve, spsc.Push, spsc.WaitRoom:
		op.MaxSize = r.number(c)
		op.Seed = r.byte()
	case spsc.PushWith:
		op.MaxSize = r.number(c)
		op.N = r.number(max(op.MaxSize, 0))
		op.Seed = r.byte()
	case spsc.Commit, spsc.CommitDeferred:
		op.N = r.number(c)
	case spsc.Pop:
		op.DstLen = r.number(c)
	}
	if op.Kind == spsc.PushWith || op.Kind == spsc.PopWith {
		op.Callback = scallbacks[head>>4]
		if op.Callback == lockstep.CallReenter || op.Callback == lockstep.CallOther {
			kinds := spsc.HalfKinds(op.Kind.Producer() == (op.Callback == lockstep.CallReenter))
			op.Reenter = kinds[int(r.byte())%len(kinds)]
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
	if op.Kind.Batch() {
		w.byte(byte(ci)<<4 | batchKinds)
		w.byte(byte(op.Kind - spsc.CommitDeferred))
	} else {
		w.byte(byte(ci)<<4 | byte(op.Kind))
	}
	switch op.Kind {
	case spsc.Reserve, spsc.Push, spsc.WaitRoom:
		w.number(op.MaxSize, c)
		w.byte(op.Seed)
	case spsc.PushWith:
		w.number(op.MaxSize, c)
		w.number(op.N, max(op.MaxSize, 0))
		w.byte(op.Seed)
	case spsc.Commit, spsc.CommitDeferred:
		w.number(op.N, c)
	case spsc.Pop:
		w.number(op.DstLen, c)
	}
	if (op.Kind == spsc.PushWith || op.Kind == spsc.PopWith) && (op.Callback == lockstep.CallReenter || op.Callback == lockstep.CallOther) {
		w.byte(byte(max(slices.Index(spsc.HalfKinds(op.Reenter.Producer()), op.Reenter), 0)))
		w.number(op.ReSize, c)
	}
}
