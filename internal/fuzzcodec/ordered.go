package fuzzcodec

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step"
)

// OrderedProgram is what one FuzzOrdered input means: an ordered buffer's
// configuration and the operations to apply to it.
type OrderedProgram struct {
	Config step.OrderedConfig
	Ops    []step.OrderedOp
}

// The FuzzOrdered byte format: six configuration bytes, capacity 1 + b%64,
// slots 1 + b%8, SeqBits 2 + b%4 (the sequence space wraps every 4 to 32
// packets), window 1 + b%(M/2), first b%M, flags (bit 0: Resync); then
// operations until the input ends, each a head byte (bits 0-2 the kind, see
// okinds; bits 4-7 the callback, as FuzzUnordered's) and its fields:
// pushwith size, seq, n, seed; push size, seq, seed; pop dst; skipto seq;
// missing max (a byte); a nested call's kind (a byte) and size. Sizes and n
// are numbers as in FuzzUnordered; a sequence is a byte b%M, or 0xFF then a
// 4-byte big-endian uint32 (so that out-of-range ones are reachable).

// okinds maps the head byte's bits 0-2 to an operation.
var okinds = [8]step.OKind{step.OPushWith, step.OPush, step.OPopWith, step.OPop, step.OSkipTo, step.OMissing, step.OReset, step.OPush}

// DecodeOrdered turns a fuzz input into an OrderedProgram. It fails only
// with ErrTooBig, for an operation that would allocate too much.
func DecodeOrdered(data []byte) (OrderedProgram, error) {
	r := &reader{data: data}
	c := step.OrderedConfig{Capacity: 1 + int(r.byte())%64, MaxPackets: 1 + int(r.byte())%8, SeqBits: 2 + int(r.byte())%4}
	m := 1 << c.SeqBits
	c.Window = 1 + int(r.byte())%(m/2)
	c.First = uint32(int(r.byte()) % m)
	c.Resync = r.byte()&1 == 1
	p := OrderedProgram{Config: c}
	for r.more() && len(p.Ops) < MaxFuzzOps {
		op := r.oop(c)
		if (op.Kind == step.OPush && op.MaxSize > MaxFuzzBytes) || op.DstLen > MaxFuzzBytes || op.ReSize > MaxFuzzBytes {
			return OrderedProgram{}, fmt.Errorf("%w: %s", ErrTooBig, op)
		}
		p.Ops = append(p.Ops, op)
	}
	return p, nil
}

func (r *reader) seq(m int) uint32 {
	if b := r.byte(); b != escape {
		return uint32(int(b) % m)
	}
	var b [4]byte
	for i := range b {
		b[i] = r.byte()
	}
	return binary.BigEndian.Uint32(b[:])
}

func (r *reader) oop(c step.OrderedConfig) step.OrderedOp {
	head := r.byte()
	op := step.OrderedOp{Kind: okinds[head&7]}
	cb, m := plain(callbacks[head>>4]), 1<<c.SeqBits
	if op.Kind == step.OPop {
		cb = step.CallOK
	}
	switch op.Kind {
	case step.OPushWith:
		op.MaxSize = r.number(c.Capacity)
		op.Seq = r.seq(m)
		op.N = r.number(max(op.MaxSize, 0))
		op.Seed = r.byte()
		op.Fill = cb
	case step.OPush:
		op.MaxSize = r.number(c.Capacity)
		op.Seq = r.seq(m)
		op.Seed = r.byte()
	case step.OPopWith:
		op.Consume = cb
	case step.OPop:
		op.DstLen = r.number(c.Capacity)
		op.Spare = int(head >> 4) // no callback: the bits give dst spare capacity
	case step.OSkipTo:
		op.Seq = r.seq(m)
	case step.OMissing:
		op.Max = int(r.byte())
	}
	if (op.Kind == step.OPushWith || op.Kind == step.OPopWith) && (cb == step.CallReenter || cb == step.CallOther) {
		op.Reenter = step.OKind(r.byte() % byte(step.NumOKinds))
		op.ReSize = r.number(c.Capacity)
	}
	return op
}

// EncodeOrdered turns a program into an input DecodeOrdered reads back to
// the same program, or fails for one no input decodes to.
func EncodeOrdered(p OrderedProgram) ([]byte, error) {
	c := p.Config
	if c.Capacity < 1 || c.Capacity > 64 || c.MaxPackets < 1 || c.MaxPackets > 8 || c.SeqBits < 2 || c.SeqBits > 5 ||
		c.Window < 1 || c.Window > 1<<(c.SeqBits-1) || c.First >= 1<<c.SeqBits || len(p.Ops) > MaxFuzzOps {
		return nil, fmt.Errorf("%w: %s", ErrTooBig, c)
	}
	w := &writer{}
	w.buf = append(w.buf, byte(c.Capacity-1), byte(c.MaxPackets-1), byte(c.SeqBits-2), byte(c.Window-1), byte(c.First), 0)
	if c.Resync {
		w.buf[5] = 1
	}
	for _, op := range p.Ops {
		if err := w.oop(op, c); err != nil {
			return nil, err
		}
	}
	if q, err := DecodeOrdered(w.buf); err != nil || !slices.Equal(q.Ops, p.Ops) {
		return nil, fmt.Errorf("fuzz: cannot encode %v", p.Ops)
	}
	return w.buf, nil
}

func (w *writer) seq(s uint32, m int) {
	if int(s) < m && s < escape {
		w.byte(byte(s))
		return
	}
	w.byte(escape)
	w.buf = binary.BigEndian.AppendUint32(w.buf, s)
}

func (w *writer) oop(op step.OrderedOp, c step.OrderedConfig) error {
	k := slices.Index(okinds[:], op.Kind)
	cb := op.Fill
	if op.Kind == step.OPopWith {
		cb = op.Consume
	}
	ci := slices.Index(callbacks[:], cb)
	if op.Kind == step.OPop {
		ci = op.Spare
	}
	if k < 0 || ci < 0 || ci > 15 {
		return fmt.Errorf("fuzz: cannot encode %s", op)
	}
	w.byte(byte(ci)<<4 | byte(k))
	m := 1 << c.SeqBits
	switch op.Kind {
	case step.OPushWith:
		w.number(op.MaxSize, c.Capacity)
		w.seq(op.Seq, m)
		w.number(op.N, max(op.MaxSize, 0))
		w.byte(op.Seed)
	case step.OPush:
		w.number(op.MaxSize, c.Capacity)
		w.seq(op.Seq, m)
		w.byte(op.Seed)
	case step.OPop:
		w.number(op.DstLen, c.Capacity)
	case step.OSkipTo:
		w.seq(op.Seq, m)
	case step.OMissing:
		if op.Max < 0 || op.Max > 255 {
			return fmt.Errorf("fuzz: cannot encode %s", op)
		}
		w.byte(byte(op.Max))
	}
	if (op.Kind == step.OPushWith || op.Kind == step.OPopWith) && (cb == step.CallReenter || cb == step.CallOther) {
		w.byte(byte(op.Reenter))
		w.number(op.ReSize, c.Capacity)
	}
	return nil
}

// CheckOrdered runs p on a buffer from newBuffer and on model.Ordered in
// lockstep; the error shows the failing program as a scenario.
func CheckOrdered(newBuffer step.OrderedFactory, p OrderedProgram) error {
	err := step.CheckOrderedOps(newBuffer, p.Config, p.Ops)
	if err == nil {
		return nil
	}
	ops := step.ShrinkOrdered(newBuffer, p.Config, p.Ops)
	s := scenario.RecordOrdered(p.Config, ops)
	return fmt.Errorf("%w\nshrunk to %d of %d operations; as a scenario (the model's answers):\n%s",
		err, len(ops), len(p.Ops), scenario.Format([]scenario.Scenario{s}))
}

// OrderedPrograms turns the ordered scenarios of one file into programs,
// dropping those the byte format cannot express.
func OrderedPrograms(ss []scenario.Scenario) []OrderedProgram {
	var out []OrderedProgram
	for _, s := range ss {
		if s.Ordered == nil {
			continue
		}
		p := OrderedProgram{Config: *s.Ordered, Ops: s.OrderedOps()}
		if _, err := EncodeOrdered(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}
