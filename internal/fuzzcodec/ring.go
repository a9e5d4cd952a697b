package fuzzcodec

import (
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/netbuf"
)

// CheckRing decodes a FuzzRing input and runs it on netbuf.Ring[uint64] and
// model.Ring[uint64] in lockstep (ring.Pair), comparing every answer
// and Len, Cap and Full after every step. The format: the capacity as for
// FuzzUnordered's slots (1 + b%8, or 0xFF and an int64), then operations
// until the input ends, a byte b each: b%8 in 0-3 is Push of the next
// byte's value, 4-5 Pop, 6 Peek, 7 Reset.
func CheckRing(data []byte) error {
	r := &reader{data: data}
	c := r.config(8)
	if c > MaxFuzzSlots && c <= netbuf.MaxRingCapacity {
		return nil // valid but too big to allocate for every input
	}
	p, err := ring.NewPair(ring.Netbuf, ring.Config{Capacity: c})
	if p == nil || err != nil {
		return err
	}
	for i := 0; r.more() && i < MaxFuzzOps; i++ {
		op := ring.Op{Kind: ring.Pop}
		switch b := r.byte() % 8; {
		case b < 4:
			op = ring.Op{Kind: ring.Push, V: uint64(r.byte())}
		case b == 6:
			op.Kind = ring.Peek
		case b == 7:
			op.Kind = ring.Reset
		}
		if _, err := p.Apply(op); err != nil {
			return err
		}
	}
	return nil
}
