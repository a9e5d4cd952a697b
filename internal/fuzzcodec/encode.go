package fuzzcodec

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/netbuf-go/netbuf/internal/step"
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

func (w *writer) op(op step.Op, c int) error {
	if err := fitsOp(op); err != nil {
		return err
	}
	if !canonical(op) {
		return fmt.Errorf("fuzz: cannot encode %s", op)
	}
	cb := step.CallOK
	switch op.Kind {
	case step.OpPushWith, step.OpPushBatch:
		cb = op.Fill
	case step.OpPopWith:
		cb = op.Consume
	}
	k, c1 := slices.Index(kinds[:], op.Kind), slices.Index(callbacks[:], cb)
	if op.Kind == step.OpPop {
		c1 = op.Spare
	}
	if k < 0 || c1 < 0 || c1 > 15 {
		return fmt.Errorf("fuzz: cannot encode %s", op)
	}
	w.byte(byte(c1)<<4 | byte(k))
	bound := max(c, 0)
	switch op.Kind {
	case step.OpPushWith:
		w.number(op.MaxSize, bound)
		w.number(op.N, max(op.MaxSize, 0))
		w.byte(op.Seed)
	case step.OpPush, step.OpReserve:
		w.number(op.MaxSize, bound)
		w.byte(op.Seed)
	case step.OpPop:
		w.number(op.DstLen, bound)
	case step.OpCommit:
		w.number(op.N, bound)
	case step.OpPushBatch:
		w.number(op.MaxSize, bound)
		w.number(op.Bufs, step.MaxBatch)
		w.byte(byte(op.M))
		for _, n := range op.Lens[:op.M] {
			w.number(n, max(op.MaxSize, 0))
		}
		w.byte(op.Seed)
	}
	if cb == step.CallReenter || cb == step.CallOther {
		w.byte(byte(op.Reenter))
		w.number(op.ReSize, bound)
	}
	return nil
}

// canonical reports whether op is one Decode can produce: only the fields
// its kind reads are set, and its callback is one the kind takes.
func canonical(op step.Op) bool {
	q := step.Op{Kind: op.Kind}
	nests := false
	switch op.Kind {
	case step.OpPushWith:
		q.MaxSize, q.N, q.Seed, q.Fill = op.MaxSize, op.N, op.Seed, op.Fill
		nests = op.Fill == step.CallReenter || op.Fill == step.CallOther
		if op.Fill == step.CallInvalidM || op.Fill == step.CallForeign {
			return false
		}
	case step.OpPush, step.OpReserve:
		q.MaxSize, q.Seed = op.MaxSize, op.Seed
	case step.OpPopWith:
		q.Consume = op.Consume
		nests = op.Consume == step.CallReenter || op.Consume == step.CallOther
		if op.Consume == step.CallInvalidM || op.Consume == step.CallForeign {
			return false
		}
	case step.OpPop:
		q.DstLen, q.Spare = op.DstLen, op.Spare
	case step.OpCommit:
		q.N = op.N
	case step.OpPushBatch:
		if op.M < 0 || op.M > step.MaxBatch {
			return false
		}
		q.MaxSize, q.Bufs, q.M, q.Seed, q.Fill = op.MaxSize, op.Bufs, op.M, op.Seed, op.Fill
		copy(q.Lens[:op.M], op.Lens[:op.M])
		nests = op.Fill == step.CallReenter || op.Fill == step.CallOther
	}
	if nests {
		if op.Reenter >= step.NumKinds {
			return false
		}
		q.Reenter, q.ReSize = op.Reenter, op.ReSize
	}
	return q == op && op.Kind < step.NumKinds
}
