package netbuf_test

import (
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

// TestZeroAllocsPerPacket: in steady state a push and a pop allocate nothing,
// through any of the APIs, including pushes that wrap and pad. The fill and
// consume funcs are made once, outside the measured function, as a receive
// loop would hold them (a method value such as conn.Read is made once too).
func TestZeroAllocsPerPacket(t *testing.T) {
	const mtu = 1500
	b, err := netbuf.NewUnorderedBuffer(4*mtu+123, 16) // not a multiple of anything: wraps vary
	if err != nil {
		t.Fatal(err)
	}
	src := make([]byte, mtu)
	for i := range src {
		src[i] = byte(i)
	}
	size := 0 // datagram length, varied so that pushes wrap at many offsets
	fill := func(p []byte) (int, error) {
		size = (size + 397) % (len(p) + 1)
		return copy(p, src[:size]), nil
	}
	var sink int
	consume := func(p []byte) error { sink += len(p); return nil }
	dst := make([]byte, mtu)

	// Keep a few packets held so that every push meets a non-empty buffer.
	for range 3 {
		if _, err := b.PushWith(mtu, fill); err != nil {
			t.Fatal(err)
		}
	}
	wraps := 0
	for _, tc := range []struct {
		name string
		pair func()
	}{
		{"PushWith+PopWith", func() {
			before := b.Used()
			if _, err := b.PushWith(mtu, fill); err != nil {
				t.Fatal(err)
			}
			if b.Used()-before > size { // padding was added: the push wrapped
				wraps++
			}
			if err := b.PopWith(consume); err != nil {
				t.Fatal(err)
			}
		}},
		{"Reserve+Commit+Peek+Release", func() {
			before := b.Used()
			p, err := b.Reserve(mtu)
			if err != nil {
				t.Fatal(err)
			}
			n, _ := fill(p)
			if err := b.Commit(n); err != nil {
				t.Fatal(err)
			}
			if b.Used()-before > size {
				wraps++
			}
			q, err := b.Peek()
			if err != nil {
				t.Fatal(err)
			}
			sink += len(q)
			if err := b.Release(); err != nil {
				t.Fatal(err)
			}
		}},
		{"Push+Pop", func() {
			size = (size + 397) % (mtu + 1)
			if err := b.Push(src[:size]); err != nil {
				t.Fatal(err)
			}
			if _, err := b.Pop(dst); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		if allocs := testing.AllocsPerRun(1000, tc.pair); allocs != 0 {
			t.Errorf("%s: %v allocations per pair, want 0", tc.name, allocs)
		}
		if err := b.Check(); err != nil {
			t.Fatal(err)
		}
	}
	if wraps == 0 {
		t.Errorf("no measured push wrapped: the test does not cover the padding path")
	}
	t.Logf("%d of 2002 measured PushWith and Commit calls wrapped; %d bytes consumed", wraps, sink)
}
