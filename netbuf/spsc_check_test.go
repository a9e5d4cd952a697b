package netbuf

import (
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// TestSPSCAcceptsMaxCapacityOnFreshPages: NewSPSC accepts capacityBytes ==
// MaxCapacity (a `> MaxCapacity` check written `>=` refuses it), on fresh
// pages, as TestUnorderedAcceptsMaxCapacityOnFreshPages explains.
func TestSPSCAcceptsMaxCapacityOnFreshPages(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("2 GiB of storage does not fit a 32-bit address space")
	}
	debug.FreeOSMemory()
	w, r, err := NewSPSC(MaxCapacity, 1)
	if err != nil || w.Cap() != MaxCapacity {
		t.Fatalf("NewSPSC(MaxCapacity, 1) = (%v, %v), want a buffer of Cap() == MaxCapacity", w != nil, err)
	}
	if err := w.Push([]byte("x")); err != nil {
		t.Fatalf("Push into the largest buffer: %v", err)
	}
	dst := make([]byte, 1)
	if n, err := r.Pop(dst); err != nil || n != 1 || dst[0] != 'x' {
		t.Fatalf("Pop = %d %v %q, want 1 nil \"x\"", n, err, dst)
	}
}

// TestSPSCEmptyKeepsPlaceForAnExactFit: an empty buffer keeps its place, so
// a packet that fills exactly the room from where the last one ended goes
// there, not at offset 0, also when the producer learns only on this push
// that the consumer emptied the buffer (its slots looked full).
func TestSPSCEmptyKeepsPlaceForAnExactFit(t *testing.T) {
	w, r, err := NewSPSC(16, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Push(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Pop(make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if err := w.Push(make([]byte, 6)); err != nil {
		t.Fatalf("Push of the 6 bytes left after offset 10: %v", err)
	}
	if off := w.s.slots[0].off; off != 10 {
		t.Errorf("the packet went at offset %d, want 10 (where the last one ended)", off)
	}
	if err := w.Check(); err != nil {
		t.Error(err)
	}
}

// TestSPSCCheckAcceptsOpenReservation: Check accepts a reservation open at
// a nonzero offset with no padding, a valid state.
func TestSPSCCheckAcceptsOpenReservation(t *testing.T) {
	w, _, err := NewSPSC(16, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Push(make([]byte, 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Reserve(5); err != nil {
		t.Fatal(err)
	}
	if err := w.Check(); err != nil {
		t.Errorf("Check with a reservation at offset 3: %v", err)
	}
}

// TestSPSCCheckReportsEachBrokenInvariant: Producer.Check on hand-broken
// states, one invariant each, found with the words of its message. Where a
// message numbers the packets from the oldest held, one packet is popped
// first, so that the oldest held is not packet 0 ever.
func TestSPSCCheckReportsEachBrokenInvariant(t *testing.T) {
	type halves struct {
		w *Producer
		r *Consumer
	}
	push := func(t *testing.T, h halves, n int) {
		if err := h.w.Push(make([]byte, n)); err != nil {
			t.Fatalf("Push(%d bytes): %v", n, err)
		}
	}
	pop := func(t *testing.T, h halves) {
		if _, err := h.r.Pop(make([]byte, 16)); err != nil {
			t.Fatal(err)
		}
		h.w.Len() // the producer sees the release now, not in Check
	}
	// slot is the slot of the k-th packet held, from the oldest.
	slot := func(h halves, k int) *spscSlot {
		return &h.w.s.slots[(h.w.popped+uint64(k))%uint64(len(h.w.s.slots))]
	}
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, h halves)
		want  string
	}{
		{"more held than slots", func(t *testing.T, h halves) {
			h.w.pushed, h.w.pub, h.w.wi = 5, 5, 1
			h.w.s.pushed.Store(5)
		}, "0 released of 5 committed with 4 slots"},
		{"published more than committed", func(t *testing.T, h halves) {
			h.w.pub = 1
			h.w.s.pushed.Store(1)
		}, "published count 1, producer's 1 of 0"},
		{"published count not the producer's", func(t *testing.T, h halves) {
			push(t, h, 1)
			h.w.s.pushed.Store(0)
		}, "published count 0, producer's 1 of 1"},
		{"newest ends before 0", func(t *testing.T, h halves) { h.w.end = -1 }, "newest packet ends at -1, outside [0, 16]"},
		{"next slot", func(t *testing.T, h halves) {
			push(t, h, 1)
			h.w.wi = 3
		}, "next slot 3, want 1"},
		{"cached head offset", func(t *testing.T, h halves) {
			push(t, h, 1)
			pop(t, h)
			push(t, h, 2)
			h.w.hOff = 9
		}, "cached head at 9 start 1, packet 1 is at 1 start 1"},
		{"packet not where the last ended", func(t *testing.T, h halves) {
			push(t, h, 6)
			pop(t, h)
			push(t, h, 10) // [6, 16)
			push(t, h, 3)  // [0, 3)
			slot(h, 1).off, h.w.end = 1, 4
		}, "packet 1 of 2 at offset 1, want 0"},
		{"empty packet at offset C", func(t *testing.T, h halves) {
			push(t, h, 0)
			slot(h, 0).off, h.w.hOff, h.w.end = 16, 16, 16
		}, "packet 0 [16, 16) outside [0, 16)"},
		{"packet across the end", func(t *testing.T, h halves) {
			push(t, h, 1)
			pop(t, h)
			push(t, h, 4)
			slot(h, 0).off, h.w.hOff = 14, 14
		}, "packet 0 [14, 18) outside [0, 16)"},
		{"negative padding", func(t *testing.T, h halves) {
			push(t, h, 1)
			pop(t, h)
			push(t, h, 4) // [1, 5)
			push(t, h, 4) // [5, 9)
			h.w.start[(h.w.popped+1)%4] -= 2
		}, "packet 0 [1, 5) padding -2 does not end at 16"},
		{"newest ends elsewhere", func(t *testing.T, h halves) {
			push(t, h, 1)
			pop(t, h)
			push(t, h, 4)
			h.w.end = 6
		}, "newest packet ends at 5, producer says 6"},
		{"reservation over a held packet", func(t *testing.T, h halves) {
			push(t, h, 1)
			pop(t, h)
			push(t, h, 4) // [1, 5)
			if _, err := h.w.Reserve(4); err != nil {
				t.Fatal(err)
			}
			h.w.res.off = 3
		}, "reservation [3, 7) overlaps held packet 0 [1, 5)"},
		{"held bytes above Cap", func(t *testing.T, h halves) {
			// Three packets chained around the storage, [8, 16) [0, 8)
			// [8, 12): each in place, 20 bytes in 16.
			w := h.w
			w.pushed, w.pub, w.wi, w.written, w.end, w.hOff = 3, 3, 3, 20, 12, 8
			w.s.pushed.Store(3)
			copy(w.s.slots, []spscSlot{{8, 8}, {0, 8}, {8, 4}})
			copy(w.start, []uint64{0, 8, 16})
		}, "used 20 but packets and padding sum to 20 (cap 16)"},
		{"reservation before 0", func(t *testing.T, h halves) {
			if _, err := h.w.Reserve(4); err != nil {
				t.Fatal(err)
			}
			h.w.res.off = -1
		}, "reservation at -1 of 4 bytes padding 0"},
		{"reservation past Cap", func(t *testing.T, h halves) {
			if _, err := h.w.Reserve(4); err != nil {
				t.Fatal(err)
			}
			h.w.res.off = 14
		}, "reservation at 14 of 4 bytes padding 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, r, err := NewSPSC(16, 4)
			if err != nil {
				t.Fatal(err)
			}
			h := halves{w, r}
			tc.spoil(t, h)
			err = w.Check()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check() = %v, want an error with %q", err, tc.want)
			}
		})
	}
}
