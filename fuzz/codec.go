// Package fuzz holds netbuf's native Go fuzz targets (in fuzz_test.go) and
// what they share with tools: the byte format that turns a fuzzer's input
// into a buffer configuration and an operation sequence, and the checks
// that run one against netbuf and the model.
//
// The byte format of FuzzUnordered (every input decodes to something, so
// the fuzzer never wastes a mutation on a parse error):
//
//	cap   1 byte: 1 + b%32, or 0xFF then an 8-byte big-endian int64
//	slots 1 byte: 1 + b%8,  or 0xFF then an 8-byte big-endian int64
//	ops   until the input ends, each: a head byte, then its fields
//
// The head byte: bits 0-2 the kind (pushwith, push, popwith, pop, reset,
// pushwith, push, popwith), bits 3-5 the callback (0-3 ok, 4 err, 5 panic,
// 6 reenter with the nested kind in bits 6-7, 7 reenter with Reset). The
// fields: pushwith size, n, seed; push size, seed; pop dst length; popwith
// and reset none. A number is relative to a bound B (Cap for sizes, the
// size for n), so that most values are meaningful: a byte b < 0xF0 is
// b%(B+1), 0xF0-0xFD is B+1 to B+14 (just too large), 0xFE is -1, and 0xFF
// is followed by an 8-byte big-endian int64. Missing bytes read as 0.
package fuzz

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/properties"
)

// Program is what one fuzz input means: a buffer's constructor arguments
// and the operations to apply to it.
type Program struct {
	Cap, Slots int
	Ops        []properties.Op
}

// Limits that keep a fuzz input cheap: a valid configuration larger than
// these, and a Push or Pop whose payload or destination would be larger,
// is skipped (ErrTooBig) rather than run.
const (
	MaxFuzzCap   = 1 << 12
	MaxFuzzSlots = 1 << 10
	MaxFuzzBytes = 1 << 13 // Push size and Pop dst length (properties.Run allocates them)
	MaxFuzzOps   = 256     // operations past this are not decoded
)

// ErrTooBig reports a program outside the limits above.
var ErrTooBig = errors.New("fuzz: program too big to run")

// kinds maps the head byte's bits 0-2 to an operation.
var kinds = [8]properties.Kind{
	properties.OpPushWith, properties.OpPush, properties.OpPopWith, properties.OpPop,
	properties.OpReset, properties.OpPushWith, properties.OpPush, properties.OpPopWith,
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
		if (op.Kind == properties.OpPush && op.MaxSize > MaxFuzzBytes) || op.DstLen > MaxFuzzBytes {
			return Program{}, fmt.Errorf("%w: %s", ErrTooBig, op)
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

// op reads one operation for a buffer of capacity c.
func (r *reader) op(c int) properties.Op {
	head := r.byte()
	op := properties.Op{Kind: kinds[head&7]}
	cb, reenter := callbackOf(head)
	bound := max(c, 0)
	switch op.Kind {
	case properties.OpPushWith:
		op.MaxSize = r.number(bound)
		op.N = r.number(max(op.MaxSize, 0))
		op.Fill, op.Reenter = cb, reenter
		op.Seed = r.byte()
	case properties.OpPush:
		op.MaxSize = r.number(bound)
		op.Seed = r.byte()
	case properties.OpPopWith:
		op.Consume, op.Reenter = cb, reenter
	case properties.OpPop:
		op.DstLen = r.number(bound)
	}
	return op
}

// callbackOf reads the callback bits of a head byte.
func callbackOf(head byte) (properties.Callback, properties.Kind) {
	switch bits := head >> 3 & 7; {
	case bits < 4:
		return properties.CallOK, 0
	case bits == 4:
		return properties.CallErr, 0
	case bits == 5:
		return properties.CallPanic, 0
	case bits == 6:
		return properties.CallReenter, properties.Kind(head >> 6)
	}
	return properties.CallReenter, properties.OpReset
}
