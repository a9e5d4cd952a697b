package fuzzcodec

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/netbuf"
)

// RingProgram is what one FuzzRing input means: a ring's capacity and the
// operations to apply to it.
type RingProgram struct {
	Config ring.Config
	Ops    []ring.Op
}

// DecodeRing turns a FuzzRing input into a RingProgram. The format: the
// capacity as for FuzzUnordered's slots (1 + b%8, or 0xFF and an int64),
// then operations until the input ends, a byte b each: b%8 in 0-3 is Push
// of the next byte's value, 4-5 Pop, 6 Peek, 7 Reset. It fails only with
// ErrTooBig, for a valid capacity too big to allocate for every input.
func DecodeRing(data []byte) (RingProgram, error) {
	r := &reader{data: data}
	p := RingProgram{Config: ring.Config{Capacity: r.config(8)}}
	if c := p.Config.Capacity; c > MaxFuzzSlots && c <= netbuf.MaxRingCapacity {
		return RingProgram{}, fmt.Errorf("%w: %s", ErrTooBig, p.Config)
	}
	for r.more() && len(p.Ops) < MaxFuzzOps {
		op := ring.Op{Kind: ring.Pop}
		switch b := r.byte() % 8; {
		case b < 4:
			op = ring.Op{Kind: ring.Push, V: uint64(r.byte())}
		case b == 6:
			op.Kind = ring.Peek
		case b == 7:
			op.Kind = ring.Reset
		}
		p.Ops = append(p.Ops, op)
	}
	return p, nil
}

// CheckRing decodes a FuzzRing input and runs it on netbuf.Ring[uint64] and
// model.Ring[uint64] in lockstep (ring.Pair), comparing every answer and
// Len, Cap and Full after every step; the error shows the failing
// program, shrunk, as a ring scenario. An input too big to run passes.
func CheckRing(data []byte) error {
	p, err := DecodeRing(data)
	if err != nil {
		return nil
	}
	return CheckRingOps(ring.Netbuf, p.Config, p.Ops)
}

// EncodeRing is DecodeRing's inverse: the bytes that decode to p, or an
// error if the format cannot express p (a capacity beyond its limit, a
// pushed value above 255).
func EncodeRing(p RingProgram) ([]byte, error) {
	if c := p.Config.Capacity; (c > MaxFuzzSlots && c <= netbuf.MaxRingCapacity) || len(p.Ops) > MaxFuzzOps {
		return nil, fmt.Errorf("%w: %s", ErrTooBig, p.Config)
	}
	w := &writer{}
	w.config(p.Config.Capacity, 8)
	for _, op := range p.Ops {
		switch {
		case op.Kind == ring.Push && op.V <= 255:
			w.byte(0)
			w.byte(byte(op.V))
		case op.Kind == ring.Pop && op.V == 0:
			w.byte(4)
		case op.Kind == ring.Peek && op.V == 0:
			w.byte(6)
		case op.Kind == ring.Reset && op.V == 0:
			w.byte(7)
		default:
			return nil, fmt.Errorf("fuzz: cannot encode %s", op)
		}
	}
	return w.buf, nil
}
