package netbuf_test

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"weak"

	"github.com/netbuf-go/netbuf/netbuf"
)

// ringOp is one Ring operation with the answer a FIFO of the given capacity
// gives; the table's cases name the rule they show.
type ringOp struct {
	op   string // "push", "pop", "peek", "reset"
	v    int    // push: value; pop, peek: expected value
	err  error  // expected error
	len  int    // expected Len() after
	full bool   // expected Full() after
}

func TestRing(t *testing.T) {
	for _, tc := range []struct {
		rule string
		cap  int
		ops  []ringOp
	}{
		{"empty: Pop and Peek return ErrEmpty", 2, []ringOp{
			{op: "pop", err: netbuf.ErrEmpty}, {op: "peek", err: netbuf.ErrEmpty},
		}},
		{"FIFO: values come out in push order", 3, []ringOp{
			{op: "push", v: 1, len: 1}, {op: "push", v: 2, len: 2}, {op: "peek", v: 1, len: 2},
			{op: "pop", v: 1, len: 1}, {op: "pop", v: 2}, {op: "pop", err: netbuf.ErrEmpty},
		}},
		{"full: Push returns ErrWouldBlock and changes nothing", 2, []ringOp{
			{op: "push", v: 1, len: 1}, {op: "push", v: 2, len: 2, full: true},
			{op: "push", v: 3, err: netbuf.ErrWouldBlock, len: 2, full: true},
			{op: "pop", v: 1, len: 1}, {op: "pop", v: 2},
		}},
		{"capacity 1: full after one push", 1, []ringOp{
			{op: "push", v: 7, len: 1, full: true}, {op: "push", v: 8, err: netbuf.ErrWouldBlock, len: 1, full: true},
			{op: "peek", v: 7, len: 1, full: true}, {op: "pop", v: 7}, {op: "push", v: 9, len: 1, full: true},
		}},
		{"wrap-around: the index wraps past the end of the array", 3, []ringOp{
			{op: "push", v: 1, len: 1}, {op: "push", v: 2, len: 2}, {op: "push", v: 3, len: 3, full: true},
			{op: "pop", v: 1, len: 2}, {op: "pop", v: 2, len: 1},
			{op: "push", v: 4, len: 2}, {op: "push", v: 5, len: 3, full: true}, // stored at 0 and 1
			{op: "peek", v: 3, len: 3, full: true},
			{op: "pop", v: 3, len: 2}, {op: "pop", v: 4, len: 1}, {op: "push", v: 6, len: 2},
			{op: "pop", v: 5, len: 1}, {op: "pop", v: 6}, {op: "pop", err: netbuf.ErrEmpty},
		}},
		{"reset: empties the ring, which is usable again", 3, []ringOp{
			{op: "push", v: 1, len: 1}, {op: "push", v: 2, len: 2}, {op: "pop", v: 1, len: 1}, {op: "push", v: 3, len: 2},
			{op: "reset"}, {op: "pop", err: netbuf.ErrEmpty},
			{op: "push", v: 4, len: 1}, {op: "push", v: 5, len: 2}, {op: "push", v: 6, len: 3, full: true},
			{op: "pop", v: 4, len: 2}, {op: "pop", v: 5, len: 1}, {op: "pop", v: 6},
		}},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			r, err := netbuf.NewRing[int](tc.cap)
			if err != nil {
				t.Fatal(err)
			}
			for i, o := range tc.ops {
				var v int
				var err error
				switch o.op {
				case "push":
					err = r.Push(o.v)
				case "pop":
					v, err = r.Pop()
				case "peek":
					v, err = r.Peek()
				case "reset":
					r.Reset()
				}
				where := fmt.Sprintf("op %d %+v", i, o)
				if !errors.Is(err, o.err) || (o.err == nil && o.op != "push" && v != o.v) {
					t.Fatalf("%s: got (%d, %v)", where, v, err)
				}
				if o.err != nil && v != 0 {
					t.Fatalf("%s: failed %s returned %d, want the zero value", where, o.op, v)
				}
				if r.Len() != o.len || r.Full() != o.full || r.Cap() != tc.cap {
					t.Fatalf("%s: Len %d Full %v Cap %d, want %d %v %d", where, r.Len(), r.Full(), r.Cap(), o.len, o.full, tc.cap)
				}
			}
		})
	}
}

func TestNewRingBadCapacity(t *testing.T) {
	over := netbuf.MaxRingCapacity
	over++ // negative where int is 32 bits: still invalid
	for _, c := range []int{0, -1, -1 << 31, over} {
		// Zero-size elements: a ring that wrongly accepts a huge capacity
		// allocates nothing.
		r, err := netbuf.NewRing[struct{}](c)
		if r != nil || !errors.Is(err, netbuf.ErrInvalidSize) {
			t.Errorf("NewRing(%d) = (non-nil %v, %v), want (nil, ErrInvalidSize)", c, r != nil, err)
		} else if want := fmt.Sprintf("NewRing: capacity %d outside [1, %d]", c, netbuf.MaxRingCapacity); !strings.Contains(err.Error(), want) {
			t.Errorf("NewRing(%d): %q, want it to say %q", c, err, want)
		}
	}
	if r, err := netbuf.NewRing[int](5); err != nil || r.Cap() != 5 {
		t.Fatalf("NewRing(5): Cap %d, %v; want exactly 5 (no rounding up)", r.Cap(), err)
	}
}

// TestNewRingAcceptsMaxRingCapacity: the documented limit is accepted, not
// only what lies beyond it rejected (TestNewRingBadCapacity): a `> limit`
// check written `>=` is wrong by exactly one.
func TestNewRingAcceptsMaxRingCapacity(t *testing.T) {
	// Zero-size elements: the largest ring allocates nothing.
	r, err := netbuf.NewRing[struct{}](netbuf.MaxRingCapacity)
	if err != nil || r.Cap() != netbuf.MaxRingCapacity {
		t.Fatalf("NewRing(MaxRingCapacity) = (%v, %v), want a ring of that capacity", r != nil, err)
	}
	if err := r.Push(struct{}{}); err != nil {
		t.Fatalf("Push into the largest ring: %v", err)
	}
}

func TestRingZeroValueRejectsPush(t *testing.T) {
	var r netbuf.Ring[int]
	if err := r.Push(1); !errors.Is(err, netbuf.ErrWouldBlock) {
		t.Fatalf("zero Ring Push: %v, want ErrWouldBlock", err)
	}
	if _, err := r.Pop(); !errors.Is(err, netbuf.ErrEmpty) {
		t.Fatalf("zero Ring Pop: %v, want ErrEmpty", err)
	}
}

// TestRingPopDropsReference: a popped pointer is not kept alive by the ring's
// array, so the garbage collector can free what it points to.
func TestRingPopDropsReference(t *testing.T) {
	type big struct{ _ [64]byte } // not a tiny allocation, which could share a block
	r, err := netbuf.NewRing[*big](2)
	if err != nil {
		t.Fatal(err)
	}
	w := pushAndPop(t, r)
	runtime.GC()
	runtime.GC()
	if w.Value() != nil {
		t.Fatal("popped value still reachable: Pop left it in the ring's array")
	}
	runtime.KeepAlive(r)
}

//go:noinline
func pushAndPop[T any](t *testing.T, r *netbuf.Ring[*T]) weak.Pointer[T] {
	p := new(T)
	w := weak.Make(p)
	if err := r.Push(p); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Pop(); err != nil {
		t.Fatal(err)
	}
	return w
}
