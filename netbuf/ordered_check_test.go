package netbuf

import (
	"strings"
	"testing"
)

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
