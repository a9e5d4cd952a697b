package fuzzcodec

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
)

// OrderedProgram is what one FuzzOrdered input means: an ordered buffer's
// configuration and the operations to apply to it.
type OrderedProgram struct {
	Config ordered.Config
	Ops    []ordered.Op
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
var okinds = [8]ordered.Kind{ordered.PushWith, ordered.Push, ordered.PopWith, ordered.Pop, ordered.SkipTo, ordered.Missing, ordered.Reset, ordered.Push}

// DecodeOrdered turns a fuzz input into an OrderedProgram. It fails only
// with ErrTooBig, for an operation that would allocate too much.
func DecodeOrdered(data []byte) (OrderedProgram, error) {
	r := &reader{data: data}
	c := ordered.Config{Capacity: 1 + int(r.byte())%64, MaxPackets: 1 + int(r.byte())%8, SeqBits: 2 + int(r.byte())%4}
	m := 1 << c.SeqBits
	c.Window = 1 + int(r.byte())%(m/2)
	c.First = uint32(int(r.byte()) % m)
	c.Resync = r.byte()&1 == 1
	p := OrderedProgram{Config: c}
	for r.more() && len(p.Ops) < MaxFuzzOps {
		op := r.oop(c)
		if (op.Kind == ordered.Push && op.MaxSize > MaxFuzzBytes) || op.DstLen > MaxFuzzBytes || op.ReSize > MaxFuzzBytes {
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

func (r *reader) oop(c ordered.Config) ordered.Op {
	head := r.byte()
	op := ordered.Op{Kind: okinds[head&7]}
	cb, m := plain(callbacks[head>>4]), 1<<c.SeqBits
	if op.Kind == ordered.Pop {
		cb = lockstep.CallOK
	}
	switch op.Kind {
	case ordered.PushWith:
		op.MaxSize = r.number(c.Capacity)
		op.Seq = r.seq(m)
		op.N = r.number(max(op.MaxSize, 0))
		op.Seed = r.byte()
		op.Fill = cb
	case ordered.Push:
		op.MaxSize = r.number(c.Capacity)
		op.Seq = r.seq(m)
		op.Seed = r.byte()
	case ordered.PopWith:
		op.Consume = cb
	case ordered.Pop:
		op.DstLen = r.number(c.Capacity)
		op.Spare = int(head >> 4) // no callback: the bits give dst spare capacity
	case ordered.SkipTo:
		op.Seq = r.seq(m)
	case ordered.Missing:
		op.Max = int(r.byte())
	}
	if (op.Kind == ordered.PushWith || op.Kind == ordered.PopWith) && (cb == lockstep.CallReenter || cb == lockstep.CallOther) {
		op.Reenter = ordered.Kind(r.byte() % byte(ordered.NumKinds))
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

func (w *writer) oop(op ordered.Op, c ordered.Config) error {
	k := slices.Index(okinds[:], op.Kind)
	cb := op.Fill
	if op.Kind == ordered.PopWith {
		cb = op.Consume
	}
	ci := slices.Index(callbacks[:], cb)
	if op.Kind == ordered.Pop {
		ci = op.Spare
	}
	if k < 0 || ci < 0 || ci > 15 {
		return fmt.Errorf("fuzz: cannot encode %s", op)
	}
	w.byte(byte(ci)<<4 | byte(k))
	m := 1 << c.SeqBits
	switch op.Kind {
	case ordered.PushWith:
		w.number(op.MaxSize, c.Capacity)
		w.seq(op.Seq, m)
		w.number(op.N, max(op.MaxSize, 0))
		w.byte(op.Seed)
	case ordered.Push:
		w.number(op.MaxSize, c.Capacity)
		w.seq(op.Seq, m)
		w.byte(op.Seed)
	case ordered.Pop:
		w.number(op.DstLen, c.Capacity)
	case ordered.SkipTo:
		w.seq(op.Seq, m)
	case ordered.Missing:
		if op.Max < 0 || op.Max > 255 {
			return fmt.Errorf("fuzz: cannot encode %s", op)
		}
		w.byte(byte(op.Max))
	}
	if (op.Kind == ordered.PushWith || op.Kind == ordered.PopWith) && (cb == lockstep.CallReenter || cb == lockstep.CallOther) {
		w.byte(byte(op.Reenter))
		w.number(op.ReSize, c.Capacity)
	}
	return nil
}
