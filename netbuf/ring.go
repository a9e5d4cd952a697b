package netbuf

import (
	"fmt"
	"math"
)

// MaxRingCapacity is the largest capacity NewRing accepts.
const MaxRingCapacity = math.MaxInt32

// Ring is a fixed-capacity FIFO queue of T values. Push and Pop are O(1)
// and never allocate: the only allocation is the backing array made by
// NewRing. The zero value is a ring of capacity zero that rejects every
// Push; use NewRing.
//
// A Ring is not safe for concurrent use.
type Ring[T any] struct {
	buf  []T // len(buf) is the capacity
	head int // index of the oldest element, in [0, len(buf))
	n    int // elements held, in [0, len(buf)]
}

// NewRing returns an empty ring holding up to capacity values.
// capacity must be in [1, MaxRingCapacity], else ErrInvalidSize (wrapped
// with the capacity given).
func NewRing[T any](capacity int) (*Ring[T], error) {
	if capacity < 1 || capacity > MaxRingCapacity {
		return nil, sizeError("NewRing", "capacity", int64(capacity), 1, MaxRingCapacity)
	}
	r := makeRing[T](capacity)
	return &r, nil
}

// makeRing returns an empty ring of the given capacity, which the caller
// has checked.
func makeRing[T any](capacity int) Ring[T] { return Ring[T]{buf: make([]T, capacity)} }

// Len returns the number of values held.
func (r *Ring[T]) Len() int { return r.n }

// Cap returns the capacity given to NewRing.
func (r *Ring[T]) Cap() int { return len(r.buf) }

// Full reports whether Push would return ErrWouldBlock.
func (r *Ring[T]) Full() bool { return r.n == len(r.buf) }

// Push appends v as the newest value, or returns ErrWouldBlock if the ring
// is full.
func (r *Ring[T]) Push(v T) error {
	if r.Full() {
		return ErrWouldBlock
	}
	r.pushBack(v)
	return nil
}

// Pop removes and returns the oldest value, or returns ErrEmpty.
func (r *Ring[T]) Pop() (T, error) {
	var zero T
	if r.n == 0 {
		return zero, ErrEmpty
	}
	p := r.front()
	v := *p
	*p = zero // drop the reference so the garbage collector can free it
	r.dropFront()
	return v, nil
}

// Peek returns the oldest value without removing it, or returns ErrEmpty.
func (r *Ring[T]) Peek() (T, error) {
	if r.n == 0 {
		var zero T
		return zero, ErrEmpty
	}
	return *r.front(), nil
}

// Reset removes every value.
func (r *Ring[T]) Reset() {
	clear(r.buf)
	r.reset()
}

// The unexported helpers below are the ring's whole interface to
// UnorderedBuffer. They check nothing (the caller has), so that each one
// inlines into the buffer's hot path.

// index returns the backing-array index of the i-th value from the oldest,
// for 0 <= i <= len(buf). head+i < 2*len(buf), so one subtraction replaces
// a modulo.
func (r *Ring[T]) index(i int) int {
	j := r.head + i
	if j >= len(r.buf) {
		j -= len(r.buf)
	}
	return j
}

// pushBack appends v as the newest value. The ring must not be full.
func (r *Ring[T]) pushBack(v T) {
	r.buf[r.index(r.n)] = v
	r.n++
}

// dropFront removes the oldest value, leaving its copy in the backing
// array: Pop clears it first where T may hold pointers. The ring must not
// be empty. It reports whether the ring is empty now.
func (r *Ring[T]) dropFront() (empty bool) {
	if r.head++; r.head == len(r.buf) {
		r.head = 0
	}
	r.n--
	return r.n == 0
}

// reset removes every value, leaving their copies in the backing array.
func (r *Ring[T]) reset() { r.head, r.n = 0, 0 }

// front returns the oldest value in place. The ring must not be empty.
func (r *Ring[T]) front() *T { return &r.buf[r.head] }

// back returns the newest value in place. The ring must not be empty.
func (r *Ring[T]) back() *T { return &r.buf[r.index(r.n-1)] }

// at returns the i-th value from the oldest in place, for 0 <= i < Len().
func (r *Ring[T]) at(i int) *T { return &r.buf[r.index(i)] }

// slot returns the value at index k of the backing array in place, k
// being what index returned for it: a place that does not move while the
// value is held, which OrderedBuffer's sequence index records.
func (r *Ring[T]) slot(k int) *T { return &r.buf[k] }

// isFront reports whether index k of the backing array holds the oldest
// value.
func (r *Ring[T]) isFront(k int) bool { return k == r.head }

// position returns how far index k of the backing array lies from the
// oldest value, in [0, Cap()): below Len() for a held value. Check uses
// it; it costs a modulo.
func (r *Ring[T]) position(k int) int { return (k - r.head + len(r.buf)) % len(r.buf) }

// check reports a head or length outside the capacity, in
// UnorderedBuffer.Check's words.
func (r *Ring[T]) check() error {
	if r.n < 0 || r.n > len(r.buf) || r.head < 0 || r.head >= len(r.buf) {
		return fmt.Errorf("netbuf: check: metadata ring head %d len %d outside capacity %d", r.head, r.n, len(r.buf))
	}
	return nil
}
