package workiva

// Each test here reproduces one finding of docs/peers.md (section
// go-datastructures) and asserts what queue.RingBuffer does today
// (observed), so that it passes now and fails, pointing here, the day it
// changes. The comment of each says what a bounded FIFO would do
// (expected) and classifies it.

import (
	"errors"
	"testing"
	"time"

	"github.com/Workiva/go-datastructures/queue"
)

// TestFindingCapacityOneNeverFull (bug against its docs; found by
// CheckRing). A RingBuffer of size 1 is never full: every Offer succeeds,
// Len grows past Cap, and once two values were offered no Poll or Get
// returns any of them again. Offer's doc: "If the queue is full, this call
// will return false". The ring is the bounded MPMC queue of 1024cores,
// which needs 2 cells: with one, the stamp of a written cell (pos+1) is
// the stamp of a cell free for the next write.
//
//	ring 1: push 0 -> ok, push 0 -> ok (Len 2, Cap 1)
//	expected: the second push refused (Offer false), Len 1
func TestFindingCapacityOneNeverFull(t *testing.T) {
	r := queue.NewRingBuffer(1)
	for v := range uint64(3) {
		if ok, err := r.Offer(v); !ok || err != nil {
			t.Fatalf("Offer(%d) -> %v, %v; observed until now true", v, ok, err)
		}
	}
	if r.Len() != 3 || r.Cap() != 1 {
		t.Fatalf("Len %d, Cap %d; observed until now 3, 1", r.Len(), r.Cap())
	}
	if v, err := r.Poll(time.Nanosecond); !errors.Is(err, queue.ErrTimeout) {
		t.Fatalf("Poll -> %v, %v; observed until now: timed out, 3 values held and lost", v, err)
	}
}

// TestFindingCapacityZeroPanics (bug; found by CheckRing's constructor
// check). NewRingBuffer(0) returns a ring (it has no error to return) of
// Cap 0 whose Offer, Put, Poll and Get panic with an index out of range:
// roundUp(0) is 0 and the mask is 2^64-1. Sizes above 2^63 round up to 0
// the same way. Expected: Offer answers false, as on a full ring, or the
// constructor refuses the size.
//
//	New(0) = a buffer (want ErrInvalidSize); Offer(0) -> panic
func TestFindingCapacityZeroPanics(t *testing.T) {
	r := queue.NewRingBuffer(0)
	if r.Cap() != 0 {
		t.Fatalf("Cap %d; observed until now 0", r.Cap())
	}
	for name, call := range map[string]func(){
		"Offer": func() { _, _ = r.Offer(uint64(0)) },
		"Poll":  func() { _, _ = r.Poll(time.Nanosecond) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic; observed until now: index out of range", name)
				}
			}()
			call()
		}()
	}
}

// TestPolicyCapacityRoundsUp (policy, undocumented; found by CheckRing).
// NewRingBuffer rounds its size up to a power of two and Cap reports it:
// NewRingBuffer(5) holds 8 values. Its doc says only "a ring buffer with
// the specified size"; its own test asserts NewRingBuffer(5).Cap() == 8.
// Declared with CapacityRoundsUp.
//
//	ring 1 (with 2 cells): push 0 -> Cap 2; expected (as specified): Cap 1
func TestPolicyCapacityRoundsUp(t *testing.T) {
	r := queue.NewRingBuffer(5)
	for v := range uint64(8) {
		if ok, _ := r.Offer(v); !ok {
			t.Fatalf("Offer #%d refused; observed until now: 8 taken", v)
		}
	}
	if ok, _ := r.Offer(uint64(8)); ok || r.Cap() != 8 {
		t.Fatalf("a 9th Offer -> %v, Cap %d; observed until now false, 8", ok, r.Cap())
	}
}

// TestPolicyOwnErrors (documented policy; found by CheckRing). Offer
// answers false, no error, on a full ring (the adapter makes it ErrFull),
// and Poll with a timeout answers queue.ErrTimeout on an empty ring (Get,
// and Poll with a non-positive timeout, wait for a value). Declared with
// ErrorMeans.
func TestPolicyOwnErrors(t *testing.T) {
	t.Run("full", func(t *testing.T) {
		r := queue.NewRingBuffer(2)
		_, _ = r.Offer(1)
		_, _ = r.Offer(2)
		if ok, err := r.Offer(3); ok || err != nil {
			t.Fatalf("Offer on a full ring -> %v, %v; observed until now false, nil", ok, err)
		}
	})
	t.Run("empty", func(t *testing.T) {
		r := queue.NewRingBuffer(2)
		if _, err := r.Poll(time.Nanosecond); !errors.Is(err, queue.ErrTimeout) {
			t.Fatalf("Poll on an empty ring -> %v; observed until now queue.ErrTimeout", err)
		}
	})
}

// TestPolicyBoxesValues (its design): Offer takes an interface{}, so a
// uint64 is boxed on every Push: 1 allocation for a value of 256 or more.
// CheckRing's allocation check first pushed 7, which Go boxes without
// allocating, and missed it (ours); it now pushes 2^40 and reports it, and
// Allocates declares it.
func TestPolicyBoxesValues(t *testing.T) {
	a, _ := Factory(16)
	for v, want := range map[uint64]float64{7: 0, 1 << 40: 1} {
		got := testing.AllocsPerRun(100, func() { _ = a.Push(v); _, _ = a.Pop() })
		if got != want {
			t.Errorf("Push(%d) then Pop: %v allocations; observed until now %v", v, got, want)
		}
	}
}
