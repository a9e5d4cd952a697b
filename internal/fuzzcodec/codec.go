// Package fuzz holds netbuf's native Go fuzz targets (in fuzz_test.go) and
// what they share with tools: the byte format that turns a fuzzer's input
// into a buffer configuration and an operation sequence (unordered.Op), and the
// checks that run one against netbuf and the model.
//
// The byte format of FuzzUnordered (every input decodes to something, so
// the fuzzer never wastes a mutation on a parse error):
//
//	cap   1 byte: 1 + b%32, or 0xFF then an 8-byte big-endian int64
//	slots 1 byte: 1 + b%8,  or 0xFF then an 8-byte big-endian int64
//	ops   until the input ends, each: a head byte, then its fields
//
// The head byte: bits 0-3 the kind (see kinds), bits 4-7 the callback (see
// callbacks; only PushWith, PopWith and PushBatch read it; for Pop they are
// the capacity of dst beyond its length, 0 to 15). The fields:
// pushwith size, n, seed; push size, seed; pop dst length; pushbatch size,
// bufs, m (a byte, %9), m lengths, seed; reserve size, seed; commit n;
// the others none. A callback that makes a nested call is followed by the
// nested kind (a byte, % the number of kinds) and its size. A number is
// relative to a bound B (Cap for sizes, the size for n and lengths, 8 for
// bufs), so that most values are meaningful: a byte b < 0xF0 is b%(B+1),
// 0xF0-0xFD is B+1 to B+14 (just too large), 0xFE is -1, and 0xFF is
// followed by an 8-byte big-endian int64. Missing bytes read as 0.
package fuzzcodec

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"github.com/netbuf-go/netbuf/model"
)

// Program is what one fuzz input means: a buffer's constructor arguments
// and the operations to apply to it.
type Program struct {
	Cap, Slots int
	Ops        []unordered.Op
}

// Limits that keep a fuzz input cheap: a valid configuration larger than
// these, and an operation that would allocate more, is skipped (ErrTooBig)
// rather than run.
const (
	MaxFuzzCap   = 1 << 12
	MaxFuzzSlots = 1 << 10
	MaxFuzzBytes = 1 << 13 // sizes that unordered.Run allocates: Push, Pop's dst, bufs, nested sizes
	MaxFuzzOps   = 256     // operations past this are not decoded
)

// ErrTooBig reports a program outside the limits above.
var ErrTooBig = errors.New("fuzz: program too big to run")

// kinds maps the head byte's bits 0-3 to an operation: every kind once,
// then the common ones again.
var kinds = [16]unordered.Kind{
	unordered.PushWith, unordered.Push, unordered.PopWith, unordered.Pop, unordered.Reset, unordered.PushBatch,
	unordered.Reserve, unordered.Commit, unordered.Abort, unordered.Peek, unordered.Release,
	unordered.PushWith, unordered.Push, unordered.PopWith, unordered.Pop, unordered.PushWith,
}

// callbacks maps the head byte's bits 4-7 to a callback: mostly ok.
var callbacks = [16]lockstep.Callback{
	lockstep.CallOK, lockstep.CallOK, lockstep.CallOK, lockstep.CallOK, lockstep.CallOK, lockstep.CallOK, lockstep.CallOK, lockstep.CallOK,
	lockstep.CallErr, lockstep.CallPanic, lockstep.CallReenter, lockstep.CallOther, lockstep.CallNil, lockstep.CallInvalidM,
	lockstep.CallForeign, lockstep.CallOK,
}

// Escape bytes of the number encoding.
const (
	overBase  = 0xF0 // 0xF0-0xFD: B+1 to B+14
	minusOne  = 0xFE
	escape    = 0xFF
	overCount = minusOne - overBase
)

// reader reads the input; past its end it reads zeros.
type reader struct {
	data []byte
	i    int
}

func (r *reader) more() bool { return r.i < len(r.data) }

func (r *reader) byte() byte {
	if r.i >= len(r.data) {
		return 0
	}
	r.i++
	return r.data[r.i-1]
}

func (r *reader) int64() int64 {
	var b [8]byte
	for i := range b {
		b[i] = r.byte()
	}
	return int64(binary.BigEndian.Uint64(b[:]))
}

// config reads a constructor argument: 1 + b%mod, or escaped.
func (r *reader) config(mod int) int {
	if b := r.byte(); b != escape {
		return 1 + int(b)%mod
	}
	return int(r.int64())
}

// number reads a number relative to bound (>= 0).
func (r *reader) number(bound int) int {
	switch b := r.byte(); {
	case b < overBase:
		return int(b) % (bound + 1)
	case b < minusOne:
		return bound + 1 + int(b-overBase)
	case b == minusOne:
		return -1
	}
	return int(r.int64())
}

// Decode turns a fuzz input into a Program. It fails only with ErrTooBig.
func Decode(data []byte) (Program, error) {
	r := &reader{data: data}
	p := Program{Cap: r.config(32), Slots: r.config(8)}
	if err := p.fits(); err != nil {
		return Program{}, err
	}
	for r.more() && len(p.Ops) < MaxFuzzOps {
		op := r.op(p.Cap)
		if err := fitsOp(op); err != nil {
			return Program{}, err
		}
		p.Ops = append(p.Ops, op)
	}
	return p, nil
}

// fits reports ErrTooBig for a valid configuration too large to fuzz. An
// invalid one (which both sides must refuse) is fine: nothing is allocated.
func (p Program) fits() error {
	valid := p.Cap >= 1 && p.Slots >= 1 && p.Cap <= model.MaxCapacity && p.Slots <= model.MaxCapacity
	if valid && (p.Cap > MaxFuzzCap || p.Slots > MaxFuzzSlots) {
		return fmt.Errorf("%w: new %d %d", ErrTooBig, p.Cap, p.Slots)
	}
	return nil
}

// fitsOp reports ErrTooBig for an operation that would allocate too much.
func fitsOp(op unordered.Op) error {
	push := op.Kind == unordered.Push && op.MaxSize > MaxFuzzBytes
	if push || op.DstLen > MaxFuzzBytes || op.Bufs > MaxFuzzBytes || op.ReSize > MaxFuzzBytes || op.Spare > MaxFuzzBytes {
		return fmt.Errorf("%w: %s", ErrTooBig, op)
	}
	return nil
}

// op reads one operation for a buffer of capacity c.
func (r *reader) op(c int) unordered.Op {
	head := r.byte()
	op := unordered.Op{Kind: kinds[head&15]}
	cb := callbacks[head>>4]
	bound := max(c, 0)
	switch op.Kind {
	case unordered.PushWith:
		op.MaxSize = r.number(bound)
		op.N = r.number(max(op.MaxSize, 0))
		op.Seed = r.byte()
		op.Fill = plain(cb)
		r.nested(&op, op.Fill, bound)
	case unordered.Push, unordered.Reserve:
		op.MaxSize = r.number(bound)
		op.Seed = r.byte()
	case unordered.PopWith:
		op.Consume = plain(cb)
		r.nested(&op, op.Consume, bound)
	case unordered.Pop:
		op.DstLen = r.number(bound)
		op.Spare = int(head >> 4) // a pop has no callback: its bits give dst spare capacity
	case unordered.Commit:
		op.N = r.number(bound)
	case unordered.PushBatch:
		op.MaxSize = r.number(bound)
		op.Bufs = r.number(unordered.MaxBatch)
		op.M = int(r.byte()) % (unordered.MaxBatch + 1)
		for i := range op.M {
			op.Lens[i] = r.number(max(op.MaxSize, 0))
		}
		op.Seed = r.byte()
		op.Fill = cb
		r.nested(&op, op.Fill, bound)
	}
	return op
}

// plain is cb for a PushWith or PopWith: the batch-only callbacks read as ok.
func plain(cb lockstep.Callback) lockstep.Callback {
	if cb == lockstep.CallInvalidM || cb == lockstep.CallForeign {
		return lockstep.CallOK
	}
	return cb
}

// nested reads the nested call of a callback that makes one.
func (r *reader) nested(op *unordered.Op, cb lockstep.Callback, bound int) {
	if cb == lockstep.CallReenter || cb == lockstep.CallOther {
		op.Reenter = unordered.Kind(r.byte() % byte(unordered.NumKinds))
		op.ReSize = r.number(bound)
	}
}
