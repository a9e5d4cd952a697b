package fuzzcodec

import (
	"fmt"
	"slices"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step"
)

// SPSCProgram is what one FuzzSPSC input means: an SPSC buffer's
// configuration and the calls of both halves, made in order by one
// goroutine.
type SPSCProgram struct {
	Cap, Slots int
	Ops        []step.SPSCOp
}

// The FuzzSPSC byte format: capacity 1 + b%32, slots 1 + b%8 (a tiny
// buffer that wraps, pads and restarts at 0 every few packets); then calls
// until the input ends, each a head byte (bits 0-3: the kind, mod
// step.NumSKinds; bits 4-7: the callback, mostly ok, see scallbacks)
// and its fields, numbers as FuzzUnordered's (relative to Cap; above it,
// -1, or escaped): reserve, push and waitroom: size, seed; pushwith: size,
// n, seed; commit: n; pop: dst length; a nested call's kind (a byte, taken
// within the half the callback calls) and size.

var scallbacks = [16]step.Callback{
	step.CallOK, step.CallOK, step.CallOK, step.CallOK, step.CallOK, step.CallOK,
	step.CallOK, step.CallOK, step.CallErr, step.CallPanic, step.CallReenter,
	step.CallOther, step.CallNil, step.CallReenter, step.CallOther, step.CallErr,
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

func (r *reader) sop(c int) step.SPSCOp {
	head := r.byte()
	op := step.SPSCOp{Kind: step.SKind(int(head&15) % int(step.NumSKinds))}
	switch op.Kind {
	case step.SReserve, step.SPush, step.SWaitRoom:
		op.MaxSize = r.number(c)
		op.Seed = r.byte()
	case step.SPushWith:
		op.MaxSize = r.number(c)
		op.N = r.number(max(op.MaxSize, 0))
		op.Seed = r.byte()
	case step.SCommit:
		op.N = r.number(c)
	case step.SPop:
		op.DstLen = r.number(c)
	}
	if op.Kind == step.SPushWith || op.Kind == step.SPopWith {
		op.Callback = scallbacks[head>>4]
		if op.Callback == step.CallReenter || op.Callback == step.CallOther {
			producer := op.Kind.Producer() == (op.Callback == step.CallReenter)
			lo, n := step.SPeek, int(step.NumSKinds-step.SPeek)
			if producer {
				lo, n = step.SReserve, int(step.SPLen-step.SReserve)+1
			}
			op.Reenter = lo + step.SKind(int(r.byte())%n)
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

func (w *writer) sop(op step.SPSCOp, c int) {
	ci := 0 // CallOK
	if op.Kind == step.SPushWith || op.Kind == step.SPopWith {
		ci = max(slices.Index(scallbacks[:], op.Callback), 0)
	}
	w.byte(byte(ci)<<4 | byte(op.Kind))
	switch op.Kind {
	case step.SReserve, step.SPush, step.SWaitRoom:
		w.number(op.MaxSize, c)
		w.byte(op.Seed)
	case step.SPushWith:
		w.number(op.MaxSize, c)
		w.number(op.N, max(op.MaxSize, 0))
		w.byte(op.Seed)
	case step.SCommit:
		w.number(op.N, c)
	case step.SPop:
		w.number(op.DstLen, c)
	}
	if (op.Kind == step.SPushWith || op.Kind == step.SPopWith) && (op.Callback == step.CallReenter || op.Callback == step.CallOther) {
		lo := step.SPeek
		if op.Reenter.Producer() {
			lo = step.SReserve
		}
		w.byte(byte(op.Reenter - lo))
		w.number(op.ReSize, c)
	}
}

// SPSCPrograms turns the SPSC scenarios of one file into programs,
// dropping those the byte format cannot express.
func SPSCPrograms(ss []scenario.Scenario) []SPSCProgram {
	var out []SPSCProgram
	for _, s := range ss {
		if !s.SPSC {
			continue
		}
		p := SPSCProgram{Cap: s.Cap, Slots: s.Slots, Ops: s.SPSCOps()}
		if _, err := EncodeSPSC(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// CheckSPSC runs p on halves from f and on model.SPSC in lockstep
// (step.SPSCPair: equal results, counters and the producer's Check after
// every call), then drains both; the error shows the failing program,
// shrunk, as a scenario.
func CheckSPSC(f step.SPSCFactory, p SPSCProgram) error {
	err := step.CheckSPSCOps(f, p.Cap, p.Slots, p.Ops)
	if err == nil {
		return nil
	}
	ops := step.ShrinkSPSC(f, p.Cap, p.Slots, p.Ops)
	s := scenario.RecordSPSC(p.Cap, p.Slots, step.WithDrain(p.Cap, p.Slots, ops))
	return fmt.Errorf("%w\nshrunk to %d of %d calls; as a scenario (the model's answers):\n%s",
		err, len(ops), len(p.Ops), scenario.Format([]scenario.Scenario{s}))
}
