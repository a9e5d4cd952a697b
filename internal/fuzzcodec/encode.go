package fuzzcodec

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// Encode turns a Program into a fuzz input that Decode reads back to the
// same Program. It fails for a program outside the fuzz limits, or with an
// operation no input decodes to.
func Encode(p Program) ([]byte, error) {
	if err := p.fits(); err != nil {
		return nil, err
	}
	if len(p.Ops) > MaxFuzzOps {
		return nil, fmt.Errorf("%w: %d operations", ErrTooBig, len(p.Ops))
	}
	w := &writer{}
	w.config(p.Cap, 32)
	w.config(p.Slots, 8)
	for _, op := range p.Ops {
		if err := w.op(op, p.Cap); err != nil {
			return nil, err
		}
	}
	return w.buf, nil
}

type writer struct{ buf []byte }

func (w *writer) byte(b byte) { w.buf = append(w.buf, b) }

func (w *writer) int64(v int) {
	w.byte(escape)
	w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(int64(v)))
}

func (w *writer) config(v, mod int) {
	if v >= 1 && v <= mod {
		w.byte(byte(v - 1))
		return
	}
	w.int64(v)
}

func (w *writer) number(v, bound int) {
	switch {
	case v >= 0 && v <= bound && v < overBase:
		w.byte(byte(v))
	case v > bound && v <= bound+overCount:
		w.byte(byte(overBase + v - bound - 1))
	case v == -1:
		w.byte(minusOne)
	default:
		w.int64(v)
	}
}

func (w *writer) op(op unordered.Op, c int) error {
	if err := fitsOp(op); err != nil {
		return err
	}
	if !canonical(op) {
		return fmt.Errorf("fuzz: cannot encode %s", op)
	}
	cb := lockstep.CallOK
	switch op.Kind {
	case unordered.PushWith, unordered.PushBatch:
		cb = op.Fill
	case unordered.PopWith:
		cb = op.Consume
	}
	k, c1 := slices.Index(kinds[:], op.Kind), slices.Index(callbacks[:], cb)
	if op.Kind == unordered.Pop {
		c1 = op.Spare
	}
	if k < 0 || c1 < 0 || c1 > 15 {
		return fmt.Errorf("fuzz: cannot encode %s", op)
	}
	w.byte(byte(c1)<<4 | byte(k))
	bound := max(c, 0)
	switch op.Kind {
	case unordered.PushWith:
		w.number(op.MaxSize, bound)
		w.number(op.N, max(op.MaxSize, 0))
		w.byte(op.Seed)
	case unordered.Push, unordered.Reserve:
		w.number(op.MaxSize, bound)
		w.byte(op.Seed)
	case unordered.Pop:
		w.number(op.DstLen, bound)
	case unordered.Commit:
		w.number(op.N, bound)
	case unordered.PushBatch:
		w.number(op.MaxSize, bound)
		w.number(op.Bufs, unordered.MaxBatch)
		w.byte(byte(op.M))
		for _, n := range op.Lens[:op.M] {
			w.number(n, max(op.MaxSize, 0))
		}
		w.byte(op.Seed)
	}
	if cb == lockstep.CallReenter || cb == lockstep.CallOther {
		w.byte(byte(op.Reenter))
		w.number(op.ReSize, bound)
	}
	return nil
}

// canonical reports whether op is one Decode can produce: only the fields
// its kind reads are set, and its callback is one the kind takes.
func canonical(op unordered.Op) bool {
	q := unordered.Op{Kind: op.Kind}
	nests := false
	switch op.Kind {
	case unordered.PushWith:
		q.MaxSize, q.N, q.Seed, q.Fill = op.MaxSize, op.N, op.Seed, op.Fill
		nests = op.Fill == lockstep.CallReenter || op.Fill == lockstep.CallOther
		if op.Fill == lockstep.CallInvalidM || op.Fill == lockstep.CallForeign {
			return false
		}
	case unordered.Push, unordered.Reserve:
		q.MaxSize, q.Seed = op.MaxSize, op.Seed
	case unordered.PopWith:
		q.Consume = op.Consume
		nests = op.Consume == lockstep.CallReenter || op.Consume == lockstep.CallOther
		if op.Consume == lockstep.CallInvalidM || op.Consume == lockstep.CallForeign {
			return false
		}
	case unordered.Pop:
		q.DstLen, q.Spare = op.DstLen, op.Spare
	case unordered.Commit:
		q.N = op.N
	case unordered.PushBatch:
		if op.M < 0 || op.M > unordered.MaxBatch {
			return false
		}
		q.MaxSize, q.Bufs, q.M, q.Seed, q.Fill = op.MaxSize, op.Bufs, op.M, op.Seed, op.Fill
		copy(q.Lens[:op.M], op.Lens[:op.M])
		nests = op.Fill == lockstep.CallReenter || op.Fill == lockstep.CallOther
	}
	if nests {
		if op.Reenter >= unordered.NumKinds {
			return false
		}
		q.Reenter, q.ReSize = op.Reenter, op.ReSize
	}
	return q == op && op.Kind < unordered.NumKinds
}
