package fuzz

import (
	"errors"
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

// ringOp is one decoded Ring operation.
type ringOp struct {
	kind byte // ringPush, ringPop, ringPeek, ringReset
	v    int  // the value pushed
}

const (
	ringPush = iota
	ringPop
	ringPeek
	ringReset
)

func (o ringOp) String() string {
	return [...]string{fmt.Sprintf("push %d", o.v), "pop", "peek", "reset"}[o.kind]
}

// ringResult is everything observable about one Ring operation.
type ringResult struct {
	Answer   string // "ok", "value" or an error's name
	V        int    // the value popped or peeked
	Len, Cap int
	Full     bool
	Panic    string // a panic from the ring
}

// CheckRing decodes a FuzzRing input and runs it on netbuf.Ring[int] and
// model.Ring[int] in lockstep, comparing every answer and Len, Cap and Full
// after every step. The format: the capacity as for FuzzUnordered's slots
// (1 + b%8, or 0xFF and an int64), then operations until the input ends, a
// byte b each: b%8 in 0-3 is Push of the next byte's value, 4-5 Pop, 6 Peek,
// 7 Reset. A panic in the ring is reported as an error.
func CheckRing(data []byte) error {
	r := &reader{data: data}
	c := r.config(8)
	if c > MaxFuzzSlots && c <= netbuf.MaxRingCapacity {
		return nil // valid but too big to allocate for every input
	}
	impl, errI := netbuf.NewRing[int](c)
	ref, errR := model.NewRing[int](c)
	if (errI == nil) != (errR == nil) {
		return fmt.Errorf("NewRing(%d): ring says %v, model says %v", c, errI, errR)
	}
	if errR != nil {
		return nil
	}
	var ops []ringOp
	for r.more() && len(ops) < MaxFuzzOps {
		op := ringOp{kind: ringPop}
		switch b := r.byte() % 8; {
		case b < 4:
			op = ringOp{kind: ringPush, v: int(r.byte())}
		case b == 6:
			op.kind = ringPeek
		case b == 7:
			op.kind = ringReset
		}
		ops = append(ops, op)
		got, want := runRing(impl, op), runRing(ref, op)
		if got != want {
			return fmt.Errorf("%s: ring %+v, model %+v\nafter: new %d; %s", op, got, want, c, ringTrace(ops))
		}
	}
	return nil
}

func ringTrace(ops []ringOp) string {
	s := make([]string, len(ops))
	for i, op := range ops {
		s[i] = op.String()
	}
	return strings.Join(s, "; ")
}

// fuzzRing is what netbuf.Ring[int] and model.Ring[int] both offer.
type fuzzRing interface {
	Push(v int) error
	Pop() (int, error)
	Peek() (int, error)
	Reset()
	Len() int
	Cap() int
}

// runRing applies op to q (the ring under test or the model), recovering a
// panic. Full is derived from Len and Cap for both, and the ring's own Full
// must agree with it.
func runRing(q fuzzRing, op ringOp) (r ringResult) {
	defer func() {
		if v := recover(); v != nil {
			r.Panic = fmt.Sprint("panic: ", v)
		}
		r.Len, r.Cap, r.Full = q.Len(), q.Cap(), q.Len() == q.Cap()
		if f, ok := q.(interface{ Full() bool }); ok && f.Full() != r.Full {
			r.Panic = fmt.Sprintf("Full() = %v with Len %d, Cap %d", f.Full(), r.Len, r.Cap)
		}
	}()
	switch op.kind {
	case ringPush:
		r.Answer = ringErr(q.Push(op.v))
	case ringPop:
		r.V, r.Answer = ringValue(q.Pop())
	case ringPeek:
		r.V, r.Answer = ringValue(q.Peek())
	default:
		q.Reset()
		r.Answer = "ok"
	}
	return r
}

func ringValue(v int, err error) (int, string) {
	if err != nil {
		return 0, ringErr(err)
	}
	return v, "value"
}

// ringErr names an error by meaning, so the ring's and the model's compare.
func ringErr(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, netbuf.ErrWouldBlock), errors.Is(err, model.ErrWouldBlock):
		return "ErrWouldBlock"
	case errors.Is(err, netbuf.ErrEmpty), errors.Is(err, model.ErrEmpty):
		return "ErrEmpty"
	}
	return "unexpected error: " + err.Error()
}
