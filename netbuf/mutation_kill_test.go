package netbuf

// Tests that kill mutants of `make mutate` that the other tests let live,
// each named for the shard whose per-mutant suite runs it (cmd/mutate's
// shards select tests by name: TestUnordered..., TestOrdered..., TestSPSC...).

import (
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// TestUnorderedAcceptsMaxCapacityOnFreshPages: NewUnorderedBuffer accepts
// MaxCapacity bytes (a `> MaxCapacity` check written `>=` refuses it), as
// TestNewUnorderedBufferAcceptsMaxCapacityBytes checks too. Here the heap's
// free pages go back to the system first, so that the 2 GiB come as fresh
// pages, which the runtime does not clear: after other tests, it otherwise
// sometimes clears them page by page, seconds of page faults on a loaded
// machine. Only a few pages of the storage are ever touched.
func TestUnorderedAcceptsMaxCapacityOnFreshPages(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("2 GiB of storage does not fit a 32-bit address space")
	}
	debug.FreeOSMemory()
	b, err := NewUnorderedBuffer(MaxCapacity, 1)
	if err != nil || b.Cap() != MaxCapacity {
		t.Fatalf("NewUnorderedBuffer(MaxCapacity, 1) = (%v, %v), want a buffer of Cap() == MaxCapacity", b != nil, err)
	}
	if err := b.Push([]byte("x")); err != nil {
		t.Fatalf("Push into the largest buffer: %v", err)
	}
	dst := make([]byte, 1)
	if n, err := b.Pop(dst); err != nil || n != 1 || dst[0] != 'x' {
		t.Fatalf("Pop = %d %v %q, want 1 nil \"x\"", n, err, dst)
	}
}

// TestOrderedAcceptsMaxCapacityOnFreshPages: NewOrderedBuffer accepts
// Capacity == MaxCapacity (a `> MaxCapacity` check written `>=` refuses
// it), on fresh pages as above.
func TestOrderedAcceptsMaxCapacityOnFreshPages(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("2 GiB of storage does not fit a 32-bit address space")
	}
	debug.FreeOSMemory()
	b, err := NewOrderedBuffer(OrderedConfig{Capacity: MaxCapacity, MaxPackets: 1, Window: 1, SeqBits: 2})
	if err != nil || b.Cap() != MaxCapacity {
		t.Fatalf("NewOrderedBuffer(Capacity MaxCapacity) = (%v, %v), want a buffer of Cap() == MaxCapacity", b != nil, err)
	}
	if err := b.Push(0, []byte("x")); err != nil {
		t.Fatalf("Push into the largest buffer: %v", err)
	}
	dst := make([]byte, 1)
	if seq, n, err := b.Pop(dst); err != nil || seq != 0 || n != 1 || dst[0] != 'x' {
		t.Fatalf("Pop = %d %d %v %q, want 0 1 nil \"x\"", seq, n, err, dst)
	}
}

// TestOrderedIndexSize: the sequence index has the documented size, the
// next power of two >= min(MaxPackets, Window), doubled: 2 to 4 buckets per
// packet that can be held at once, never more.
func TestOrderedIndexSize(t *testing.T) {
	for n := 1; n <= 70; n++ {
		want := 2
		for want < 2*n {
			want <<= 1
		}
		for _, cfg := range []OrderedConfig{
			{Capacity: 64, MaxPackets: n, Window: 1 << 10, SeqBits: 16},
			{Capacity: 64, MaxPackets: 1 << 10, Window: n, SeqBits: 16},
		} {
			b, err := NewOrderedBuffer(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(b.idx.tab); got != want {
				t.Errorf("MaxPackets %d, Window %d: %d buckets, want %d", cfg.MaxPackets, cfg.Window, got, want)
			}
		}
	}
}

// TestOrderedIndexScattersConsecutiveSequences: the sequences a receiver
// holds are mostly consecutive, and the index's hash spreads them so that
// each sits at most 2 buckets past its home (its probe is O(1)), from any
// start, across the wrap of 32-bit sequence numbers too.
func TestOrderedIndexScattersConsecutiveSequences(t *testing.T) {
	for _, n := range []int{8, 64, 1000} {
		for _, start := range []uint32{0, 1, 12345, 1<<31 - 3, 1<<32 - 10} {
			x := makeSeqIndex(n)
			for i := range uint32(n) {
				at, _, ok := x.find(start + i)
				if ok {
					t.Fatalf("sequence %d found before it was inserted", start+i)
				}
				x.insert(at, start+i, i)
			}
			for i, e := range x.tab {
				if d := (uint32(i) - x.home(e.seq)) & x.mask; e.slot != 0 && d > 2 {
					t.Errorf("%d sequences from %d: sequence %d is %d buckets past its home", n, start, e.seq, d)
				}
			}
		}
	}
}

// TestOrderedCheckReportsEachBrokenInvariant: Check on hand-broken states,
// one invariant each, found with the words of its message. A correct buffer
// never trips these, so the property suite, which calls Check after every
// step, cannot show that each test works.
func TestOrderedCheckReportsEachBrokenInvariant(t *testing.T) {
	// 16 bytes, 4 slots, 4-bit sequences (M = 16), window 4: 8 buckets.
	base := func(t *testing.T) *OrderedBuffer {
		b, err := NewOrderedBuffer(OrderedConfig{Capacity: 16, MaxPackets: 4, Window: 4, SeqBits: 4})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	push := func(t *testing.T, b *OrderedBuffer, seq uint32, n int) {
		if err := b.Push(seq, make([]byte, n)); err != nil {
			t.Fatalf("Push(%d, %d bytes): %v", seq, n, err)
		}
	}
	// addBucket indexes seq at arrival slot k where insert would put it.
	addBucket := func(b *OrderedBuffer, seq, k uint32) {
		at, _, _ := b.idx.find(seq)
		b.idx.insert(at, seq, k)
	}
	for _, tc := range []struct {
		name  string
		spoil func(t *testing.T, b *OrderedBuffer)
		want  string
	}{
		{"no storage", func(t *testing.T, b *OrderedBuffer) { b.data = nil }, "zero capacity"},
		{"no arrival slots", func(t *testing.T, b *OrderedBuffer) { b.arr = Ring[arrival]{} }, "zero capacity"},
		{"one bucket", func(t *testing.T, b *OrderedBuffer) { b.idx = seqIndex{tab: make([]bucket, 1), shift: 32} }, "zero capacity"},
		{"one sequence bit", func(t *testing.T, b *OrderedBuffer) { b.bits, b.mask, b.window = 1, 1, 1 }, "1 sequence bits"},
		{"mask of 3 bits for 4", func(t *testing.T, b *OrderedBuffer) { b.mask = 7 }, "4 sequence bits, mask 0x7"},
		{"window 0", func(t *testing.T, b *OrderedBuffer) { b.window = 0 }, "window 0 outside [1, 8]"},
		{"window above M/2", func(t *testing.T, b *OrderedBuffer) { b.window = 9 }, "window 9 outside [1, 8]"},
		{"index shift", func(t *testing.T, b *OrderedBuffer) { b.idx.shift++ }, "index of 8 buckets"},
		{"index too small", func(t *testing.T, b *OrderedBuffer) { b.idx = makeSeqIndex(2) }, "load above 1/2"},
		{"head with no arrival", func(t *testing.T, b *OrderedBuffer) { b.head = 3 }, "no arrival but head 3 used 0"},
		{"empty arrival at offset C", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 0, 0)
			b.arr.front().off, b.head = 16, 16
		}, "arrival 0 [16, 16) outside [0, 16)"},
		{"arrival across the end", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 0, 2)
			b.arr.front().off, b.head = 15, 15
		}, "arrival 0 [15, 17) outside [0, 16)"},
		{"padding short of C", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 0, 2)
			push(t, b, 1, 2)
			b.arr.front().pad, b.used = 1, b.used+1
		}, "arrival 0 [0, 2) padding 1 does not end at 16"},
		{"newest padded", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 0, 2)
			b.arr.back().pad, b.used = 14, 16
		}, "newest arrival 0 carries padding 14"},
		{"held at distance Window", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 3, 1)
			b.next = 15
		}, "held sequence 3 at distance 4 from next 15, outside the window 4"},
		{"indexed at the other's slot", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 0, 1)
			push(t, b, 1, 1)
			a0, _, _ := b.idx.find(0)
			a1, _, _ := b.idx.find(1)
			b.idx.tab[a0].slot, b.idx.tab[a1].slot = b.idx.tab[a1].slot, b.idx.tab[a0].slot
		}, "held sequence 0 (arrival slot 0) indexed at slot 1, found true"},
		{"bucket past the slots", func(t *testing.T, b *OrderedBuffer) { addBucket(b, 5, 4) }, "points at slot 4 of 4"},
		{"bucket at a free slot before head", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 0, 1)
			if _, _, err := b.Pop(make([]byte, 1)); err != nil {
				t.Fatal(err)
			}
			push(t, b, 1, 1) // slot 1; slot 0 is free
			addBucket(b, 2, 0)
		}, "(sequence 2) points at free arrival slot 0"},
		{"bucket at the first free slot", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 0, 1)
			if _, _, err := b.Pop(make([]byte, 1)); err != nil {
				t.Fatal(err)
			}
			push(t, b, 1, 1) // slot 1; slot 2 is next
			b.arr.buf[2] = arrival{seq: 2}
			addBucket(b, 2, 2)
		}, "(sequence 2) points at free arrival slot 2"},
		{"bucket of a delivered arrival", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 1, 1) // slot 0, waits for 0
			push(t, b, 0, 1) // slot 1
			if _, _, err := b.Pop(make([]byte, 1)); err != nil {
				t.Fatal(err)
			}
			addBucket(b, 0, 1) // delivered, not freed behind slot 0
		}, "points at arrival of sequence 0, done true"},
		{"unreachable copy", func(t *testing.T, b *OrderedBuffer) {
			push(t, b, 2, 1)
			at, _, _ := b.idx.find(2)
			b.idx.tab[(at+2)&b.idx.mask] = b.idx.tab[at] // (at+1) is empty
		}, "unreachable: empty bucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := base(t)
			if err := b.Check(); err != nil {
				t.Fatalf("before: %v", err)
			}
			tc.spoil(t, b)
			err := b.Check()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Check() = %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// TestSPSCAcceptsMaxCapacityOnFreshPages: NewSPSC accepts capacityBytes ==
// MaxCapacity (a `> MaxCapacity` check written `>=` refuses it), on fresh
// pages as above.
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
