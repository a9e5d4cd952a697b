package fuzz

import (
	"encoding/binary"
	"fmt"

	"github.com/netbuf-go/netbuf/properties"
)

// Encode turns a Program into a fuzz input that Decode reads back to the
// same Program. It fails for a program outside the fuzz limits, or with an
// operation no input decodes to (a Kind or Callback out of range).
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

func (w *writer) int64(v int) {
	w.buf = append(w.buf, escape)
	w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(int64(v)))
}

func (w *writer) config(v, mod int) {
	if v >= 1 && v <= mod {
		w.buf = append(w.buf, byte(v-1))
		return
	}
	w.int64(v)
}

func (w *writer) number(v, bound int) {
	switch {
	case v >= 0 && v <= bound && v < overBase:
		w.buf = append(w.buf, byte(v))
	case v > bound && v <= bound+overCount:
		w.buf = append(w.buf, byte(overBase+v-bound-1))
	case v == -1:
		w.buf = append(w.buf, minusOne)
	default:
		w.int64(v)
	}
}

func (w *writer) op(op properties.Op, c int) error {
	if (op.Kind == properties.OpPush && op.MaxSize > MaxFuzzBytes) || op.DstLen > MaxFuzzBytes {
		return fmt.Errorf("%w: %s", ErrTooBig, op)
	}
	head, err := headOf(op)
	if err != nil {
		return err
	}
	w.buf = append(w.buf, head)
	bound := max(c, 0)
	switch op.Kind {
	case properties.OpPushWith:
		w.number(op.MaxSize, bound)
		w.number(op.N, max(op.MaxSize, 0))
		w.buf = append(w.buf, op.Seed)
	case properties.OpPush:
		w.number(op.MaxSize, bound)
		w.buf = append(w.buf, op.Seed)
	case properties.OpPop:
		w.number(op.DstLen, bound)
	}
	return nil
}

// headOf is the head byte of op: its kind and callback bits.
func headOf(op properties.Op) (byte, error) {
	var cb properties.Callback
	switch op.Kind {
	case properties.OpPushWith:
		cb = op.Fill
	case properties.OpPopWith:
		cb = op.Consume
	case properties.OpPush, properties.OpPop, properties.OpReset:
		return byte(op.Kind), nil
	default:
		return 0, fmt.Errorf("fuzz: cannot encode %s", op)
	}
	head := byte(op.Kind)
	switch {
	case cb == properties.CallOK:
	case cb == properties.CallErr:
		head |= 4 << 3
	case cb == properties.CallPanic:
		head |= 5 << 3
	case cb == properties.CallReenter && op.Reenter == properties.OpReset:
		head |= 7 << 3
	case cb == properties.CallReenter && op.Reenter < properties.OpReset:
		head |= 6<<3 | byte(op.Reenter)<<6
	default:
		return 0, fmt.Errorf("fuzz: cannot encode %s", op)
	}
	return head, nil
}
