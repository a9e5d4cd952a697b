package netbuf

import "testing"

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
