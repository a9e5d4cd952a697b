package netbuf

import "testing"

// TestRingBackingIndexes: the helpers that name a value by its index in the
// backing array (what OrderedBuffer's sequence index records) agree with
// index, from every head, across the end of the array: slot is the value
// at that index, isFront holds for the oldest only, position counts from
// the oldest, and dropFront reports the ring empty exactly when it is.
func TestRingBackingIndexes(t *testing.T) {
	const c = 5
	for start := range c {
		r := makeRing[int](c)
		r.head = start
		for v := range 4 {
			r.pushBack(10 + v)
		}
		for i := range 4 {
			k := r.index(i)
			if got := *r.slot(k); got != 10+i {
				t.Fatalf("head %d: slot(index(%d)) = %d, want %d", start, i, got, 10+i)
			}
			if got := r.position(k); got != i {
				t.Fatalf("head %d: position(index(%d)) = %d, want %d", start, i, got, i)
			}
			if got := r.isFront(k); got != (i == 0) {
				t.Fatalf("head %d: isFront(index(%d)) = %v", start, i, got)
			}
		}
		if free := r.index(4); r.position(free) != 4 || r.isFront(free) {
			t.Fatalf("head %d: the free index %d at position %d, front %v", start, free, r.position(free), r.isFront(free))
		}
		for i := range 4 {
			if empty := r.dropFront(); empty != (i == 3) {
				t.Fatalf("head %d: dropFront %d reported empty %v", start, i, empty)
			}
		}
	}
}
