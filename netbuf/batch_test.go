package netbuf

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/netbuf-go/netbuf/model"
)

// batchFill returns a fill that writes the given packets into the first
// len(pkts) windows (fewer if k is smaller) and records k.
func batchFill(pkts [][]byte, gotK *int) func([][]byte) (int, error) {
	return func(bufs [][]byte) (int, error) {
		*gotK = len(bufs)
		m := min(len(pkts), len(bufs))
		for i := range m {
			bufs[i] = bufs[i][:copy(bufs[i], pkts[i])]
		}
		return m, nil
	}
}

// sameLayout compares every held packet's offset, length, padding and bytes
// with the model's.
func sameLayout(b *UnorderedBuffer, ref *model.Unordered) error {
	if b.Len() != ref.Len() || b.Used() != ref.Used() {
		return fmt.Errorf("len/used %d/%d, model %d/%d", b.Len(), b.Used(), ref.Len(), ref.Used())
	}
	for i, p := range ref.Packets {
		s := *b.meta.at(i)
		if int(s.off) != p.Off || int(s.len) != len(p.Data) || int(s.pad) != p.Pad {
			return fmt.Errorf("packet %d: {off %d len %d pad %d}, model {off %d len %d pad %d}",
				i, s.off, s.len, s.pad, p.Off, len(p.Data), p.Pad)
		}
		if got := b.data[s.off : s.off+s.len]; !bytes.Equal(got, p.Data) {
			return fmt.Errorf("packet %d bytes %x, model %x", i, got, p.Data)
		}
	}
	return b.Check()
}

// TestPushBatchMatchesSequentialPushWith drives a buffer and the model with
// random batches, pushes and pops: a batch of m packets must leave exactly
// the layout that m PushWith(maxSize) calls leave in the model, and its
// batch size must follow the documented rule.
func TestPushBatchMatchesSequentialPushWith(t *testing.T) {
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		c, slots := 1+rng.IntN(300), 1+rng.IntN(20)
		b, _ := NewUnorderedBuffer(c, slots)
		ref, _ := model.NewUnordered(c, slots)
		bufs := make([][]byte, 8)
		for step := range 300 {
			what := ""
			switch r := rng.IntN(10); {
			case r < 5:
				maxSize := rng.IntN(min(c, 64) + 1)
				nb := 1 + rng.IntN(len(bufs))
				pkts := make([][]byte, rng.IntN(nb+1))
				for i := range pkts {
					pkts[i] = make([]byte, rng.IntN(maxSize+1))
					for j := range pkts[i] {
						pkts[i][j] = byte(rng.Uint32())
					}
				}
				what = fmt.Sprintf("PushBatch(%d, %d bufs, %d pkts)", maxSize, nb, len(pkts))
				k0, _ := ref.BatchSize(maxSize, nb) // the rule, as the model states it
				_, _, refErr := ref.Place(maxSize)
				gotK := -1
				m, err := b.PushBatch(maxSize, bufs[:nb], batchFill(pkts, &gotK))
				if (err == nil) != (refErr == nil) {
					t.Fatalf("seed %d step %d %s: err %v, model %v", seed, step, what, err, refErr)
				}
				if err != nil {
					break
				}
				if gotK != k0 {
					t.Fatalf("seed %d step %d %s: k = %d, want %d", seed, step, what, gotK, k0)
				}
				if want := min(len(pkts), k0); m != want {
					t.Fatalf("seed %d step %d %s: m = %d, want %d", seed, step, what, m, want)
				}
				for i := range m {
					if _, err := ref.PushWith(maxSize, func(p []byte) (int, error) { return copy(p, pkts[i]), nil }); err != nil {
						t.Fatalf("seed %d step %d %s: model refused packet %d: %v", seed, step, what, i, err)
					}
				}
			case r < 7:
				p := make([]byte, rng.IntN(min(c, 64)+1))
				what = fmt.Sprintf("Push(%d)", len(p))
				if (b.Push(p) == nil) != (ref.Push(p) == nil) {
					t.Fatalf("seed %d step %d %s: outcome differs from model", seed, step, what)
				}
			default:
				what = "Pop"
				dst := make([]byte, c)
				n, err := b.Pop(dst)
				var want []byte
				rerr := ref.PopWith(func(p []byte) error { want = append([]byte{}, p...); return nil })
				if (err == nil) != (rerr == nil) || !bytes.Equal(dst[:n], want) {
					t.Fatalf("seed %d step %d %s: %x, %v; model %x, %v", seed, step, what, dst[:n], err, want, rerr)
				}
			}
			if err := sameLayout(b, ref); err != nil {
				t.Fatalf("seed %d step %d after %s: %v", seed, step, what, err)
			}
		}
	}
}

// TestPushBatchFailureIsAtomic: bad input, a fill error, a bad m, a foreign
// slice, a panic and a reentrant call each leave the buffer as it was.
func TestPushBatchFailureIsAtomic(t *testing.T) {
	errFill := errors.New("fill failed")
	cases := []struct {
		name    string
		maxSize int
		nbufs   int
		fill    func([][]byte) (int, error)
		want    error
	}{
		{"negative maxSize", -1, 4, nil, ErrInvalidSize},
		{"maxSize > Cap", 101, 4, nil, ErrTooLarge},
		{"no room", 60, 4, nil, ErrWouldBlock},
		{"nil fill", 10, 4, nil, ErrNilFunc},
		{"no bufs", 10, 0, func([][]byte) (int, error) { return 0, nil }, ErrInvalidSize},
		{"fill error after writing", 10, 4, func(b [][]byte) (int, error) {
			b[0] = b[0][:copy(b[0], "junk")]
			return 1, errFill
		}, errFill},
		{"m > k", 10, 4, func(b [][]byte) (int, error) { return len(b) + 1, nil }, ErrInvalidLength},
		{"m < 0", 10, 4, func(b [][]byte) (int, error) { return -1, nil }, ErrInvalidLength},
		{"foreign slice", 10, 4, func(b [][]byte) (int, error) {
			b[0] = make([]byte, 10)
			return 1, nil
		}, ErrInvalidLength},
		{"window shifted", 10, 4, func(b [][]byte) (int, error) {
			b[1] = b[0][1:1:10]
			return 2, nil
		}, ErrInvalidLength},
		{"reentrant push", 10, 4, nil, ErrBusy},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, _ := NewUnorderedBuffer(100, 8)
			for _, n := range []int{30, 20} { // head 0..50, tail window 50
				if err := b.Push(make([]byte, n)); err != nil {
					t.Fatal(err)
				}
			}
			_, _ = b.Pop(make([]byte, 100)) // head 30, used 20: head window 30, tail window 50
			fill := tc.fill
			var inner error
			if tc.want == ErrBusy {
				fill = func(bufs [][]byte) (int, error) {
					_, inner = b.PushBatch(1, make([][]byte, 1), func([][]byte) (int, error) { return 0, nil })
					return 0, errFill
				}
			}
			if tc.name == "no room" {
				_ = b.Push(make([]byte, 45)) // tail window 5, head window 30: 60 fits nowhere
			}
			before := *b
			beforeMeta := append([]slot{}, b.meta.buf...)
			_, err := b.PushBatch(tc.maxSize, make([][]byte, tc.nbufs), fill)
			if tc.want == ErrBusy {
				err = inner
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if b.head != before.head || b.used != before.used || b.meta.n != before.meta.n ||
				b.meta.head != before.meta.head || b.busy() || fmt.Sprint(beforeMeta) != fmt.Sprint(b.meta.buf) {
				t.Fatalf("buffer changed: head %d used %d len %d busy %v, was %d %d %d",
					b.head, b.used, b.meta.n, b.busy(), before.head, before.used, before.meta.n)
			}
		})
	}
	t.Run("panic", func(t *testing.T) {
		b, _ := NewUnorderedBuffer(100, 8)
		_ = b.Push([]byte("a"))
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Fatalf("recovered %v, want boom", r)
				}
			}()
			_, _ = b.PushBatch(10, make([][]byte, 4), func(bufs [][]byte) (int, error) {
				bufs[0] = bufs[0][:3]
				panic("boom")
			})
		}()
		if b.Len() != 1 || b.Used() != 1 || b.busy() {
			t.Fatalf("after panic: len %d used %d busy %v", b.Len(), b.Used(), b.busy())
		}
		if _, err := b.PushBatch(10, make([][]byte, 4), batchFill([][]byte{[]byte("b")}, new(int))); err != nil {
			t.Fatalf("buffer unusable after panic: %v", err)
		}
	})
}

// TestPushBatchCompactsAndWraps follows one batch near the end of the
// storage: it is cut short (no spanning the wrap), its packets are moved
// back to back, and the next batch wraps with padding on the newest packet.
func TestPushBatchCompactsAndWraps(t *testing.T) {
	b, _ := NewUnorderedBuffer(100, 16)
	_ = b.Push(make([]byte, 50))
	_ = b.Push(make([]byte, 20)) // tail at 70: room for 3 windows of 10
	_, _ = b.Pop(make([]byte, 100))
	bufs := make([][]byte, 8)
	var k int
	m, err := b.PushBatch(10, bufs, batchFill([][]byte{[]byte("ab"), {}, []byte("cdefghij")}, &k))
	if err != nil || m != 3 || k != 3 {
		t.Fatalf("m %d k %d err %v, want 3 3 nil", m, k, err)
	}
	for i, want := range []slot{{50, 20, 0}, {70, 2, 0}, {72, 0, 0}, {72, 8, 0}} {
		if got := *b.meta.at(i); got != want {
			t.Fatalf("slot %d = %+v, want %+v", i, got, want)
		}
	}
	if got := string(b.data[70:80]); got != "abcdefghij" {
		t.Fatalf("storage %q, want packets back to back", got)
	}
	for i := range bufs {
		if bufs[i] != nil {
			t.Fatalf("bufs[%d] still aliases the storage", i)
		}
	}
	// Tail window 20 holds 2 windows of 10; ask for 8.
	m, err = b.PushBatch(10, bufs, batchFill([][]byte{[]byte("0123456789"), []byte("xy"), []byte("z")}, &k))
	if err != nil || m != 2 || k != 2 {
		t.Fatalf("m %d k %d err %v, want 2 2 nil", m, k, err)
	}
	// Tail window 8 < 10: wrap to 0 (head window 50), padding 8 on "xy".
	m, err = b.PushBatch(10, bufs, batchFill([][]byte{[]byte("z")}, &k))
	if err != nil || m != 1 || k != 5 {
		t.Fatalf("m %d k %d err %v, want 1 5 nil", m, k, err)
	}
	if got := *b.meta.at(5); got != (slot{90, 2, 8}) {
		t.Fatalf("newest before wrap = %+v, want {90 2 8}", got)
	}
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
}

// TestPushBatchAllocs: a batch allocates nothing.
func TestPushBatchAllocs(t *testing.T) {
	b, _ := NewUnorderedBuffer(1<<16, 256)
	bufs := make([][]byte, 32)
	fill := func(bufs [][]byte) (int, error) {
		for i := range bufs {
			bufs[i] = bufs[i][:64]
		}
		return len(bufs), nil
	}
	drain := func(p []byte) error { return nil }
	allocs := testing.AllocsPerRun(100, func() {
		m, _ := b.PushBatch(1500, bufs, fill)
		for range m {
			_ = b.PopWith(drain)
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocs per batch, want 0", allocs)
	}
}

// BenchmarkPushBatch measures the in-ring compaction: batches of 32
// windows of 1500 bytes filled with 64-byte packets (31 moves of 64 bytes),
// with 1499-byte packets (the worst case: 31 moves of 1499 bytes), and with
// 1500-byte packets (no move at all). The fill only reslices, so the
// figures are the buffer's own cost per packet.
func BenchmarkPushBatch(b *testing.B) {
	for _, size := range []int{64, 1499, 1500} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			buf, _ := NewUnorderedBuffer(1<<20, 1024)
			bufs := make([][]byte, 32)
			fill := func(bufs [][]byte) (int, error) {
				for i := range bufs {
					bufs[i] = bufs[i][:size]
				}
				return len(bufs), nil
			}
			drain := func(p []byte) error { return nil }
			b.SetBytes(int64(32 * size))
			b.ReportAllocs()
			for b.Loop() {
				m, err := buf.PushBatch(1500, bufs, fill)
				if err != nil {
					b.Fatal(err)
				}
				for range m {
					_ = buf.PopWith(drain)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*32), "ns/packet")
		})
	}
}
