package slicebuf

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

func mustNew(t *testing.T, c, n int) *Buffer {
	t.Helper()
	b, err := New(c, n)
	if err != nil {
		t.Fatalf("New(%d, %d): %v", c, n, err)
	}
	return b
}

func mustPop(t *testing.T, b *Buffer, want string) {
	t.Helper()
	dst := make([]byte, 64)
	n, err := b.Pop(dst)
	if err != nil || string(dst[:n]) != want {
		t.Fatalf("Pop = %q, %v; want %q, nil", dst[:n], err, want)
	}
}

func checkState(t *testing.T, b *Buffer, wantLen, wantUsed int) {
	t.Helper()
	if b.Len() != wantLen || b.Used() != wantUsed {
		t.Fatalf("Len, Used = %d, %d; want %d, %d", b.Len(), b.Used(), wantLen, wantUsed)
	}
}

func TestNewLimits(t *testing.T) {
	over := maxArg
	over++ // 1<<31; on a 32-bit int it wraps negative, invalid all the same
	for _, a := range [][2]int{{0, 1}, {1, 0}, {-1, 1}, {1, -1}, {over, 1}, {1, over}} {
		if _, err := New(a[0], a[1]); !errors.Is(err, netbuf.ErrInvalidSize) {
			t.Errorf("New(%d, %d) = %v; want ErrInvalidSize", a[0], a[1], err)
		}
	}
	b := mustNew(t, 7, 3)
	if b.Cap() != 7 || b.MaxPackets() != 3 {
		t.Fatalf("Cap, MaxPackets = %d, %d; want 7, 3", b.Cap(), b.MaxPackets())
	}
}

// TestWrapWithPadding walks the geometry through a wrap: the newest packet
// gets the tail window as padding, the wrapped tail window is C - u, and
// popping the padded packet frees its padding too.
func TestWrapWithPadding(t *testing.T) {
	b := mustNew(t, 10, 8)
	for _, p := range []string{"aaaa", "bbbb"} { // [0,4) [4,8); t = 8
		if err := b.Push([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	// h = 4, u = 4: tail window 2, head window 4. "ccc" goes to 0 and
	// "bbbb" gets the tail window as padding.
	mustPop(t, b, "aaaa")
	if err := b.Push([]byte("ccc")); err != nil {
		t.Fatal(err)
	}
	checkState(t, b, 2, 9) // 4 + 2 + 3
	// Wrapped: t = 13 > 10, tail window = C - u = 1, head window 0.
	if err := b.Push([]byte("dd")); !errors.Is(err, netbuf.ErrWouldBlock) {
		t.Fatalf("Push 2 bytes = %v; want ErrWouldBlock", err)
	}
	if err := b.Push([]byte("e")); err != nil { // at t mod C = 3
		t.Fatal(err)
	}
	if err := b.Push(nil); err != nil { // zero-length: a slot, no bytes, at 4
		t.Fatal(err)
	}
	checkState(t, b, 4, 10)
	mustPop(t, b, "bbbb") // frees 4 + 2 of padding: h = 0
	checkState(t, b, 3, 4)
	for _, want := range []string{"ccc", "e", ""} {
		mustPop(t, b, want)
	}
	checkState(t, b, 0, 0)
	if _, err := b.Pop(make([]byte, 1)); !errors.Is(err, netbuf.ErrEmpty) {
		t.Fatalf("Pop on empty = %v; want ErrEmpty", err)
	}
}

func TestFailedPushCommitsNothing(t *testing.T) {
	b := mustNew(t, 10, 8)
	b.Push([]byte("aaaaaa"))
	mustPop(t, b, "aaaaaa") // empty again: h = u = 0
	b.Push([]byte("bbbb"))
	b.Push([]byte("cccc"))
	mustPop(t, b, "bbbb") // h = 4, u = 4, t = 8: a 3-byte push goes to 0 with pad 2
	boom := errors.New("boom")
	if _, err := b.PushWith(3, func(p []byte) (int, error) { return 3, boom }); err != boom {
		t.Fatalf("PushWith = %v; want boom", err)
	}
	if _, err := b.PushWith(3, func(p []byte) (int, error) { return 4, nil }); !errors.Is(err, netbuf.ErrInvalidLength) {
		t.Fatalf("PushWith = %v; want ErrInvalidLength", err)
	}
	checkState(t, b, 1, 4) // no padding left behind
	mustPop(t, b, "cccc")
	checkState(t, b, 0, 0)
}

func TestBusyReentry(t *testing.T) {
	b := mustNew(t, 16, 4)
	b.Push([]byte("held"))
	check := func(where string) {
		if _, err := b.PushWith(1, func(p []byte) (int, error) { return 0, nil }); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("%s: PushWith = %v; want ErrBusy", where, err)
		}
		if _, err := b.PushWith(-1, nil); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("%s: PushWith(-1) = %v; want ErrBusy (checked first)", where, err)
		}
		if err := b.Push([]byte("x")); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("%s: Push = %v; want ErrBusy", where, err)
		}
		if err := b.PopWith(func([]byte) error { return nil }); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("%s: PopWith = %v; want ErrBusy", where, err)
		}
		if _, err := b.Pop(make([]byte, 16)); !errors.Is(err, netbuf.ErrBusy) {
			t.Errorf("%s: Pop = %v; want ErrBusy", where, err)
		}
		b.Reset() // does nothing here
	}
	n, err := b.PushWith(4, func(p []byte) (int, error) {
		if len(p) != 4 || cap(p) != 4 {
			t.Errorf("fill got len %d cap %d; want 4, 4", len(p), cap(p))
		}
		check("fill")
		return copy(p, "next"), nil
	})
	if n != 4 || err != nil {
		t.Fatalf("PushWith = %d, %v; want 4, nil", n, err)
	}
	err = b.PopWith(func(p []byte) error {
		if string(p) != "held" || cap(p) != 4 {
			t.Errorf("consume got %q cap %d; want \"held\" cap 4", p, cap(p))
		}
		check("consume")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkState(t, b, 1, 4)
	mustPop(t, b, "next")
}

func TestPopShortBuffer(t *testing.T) {
	b := mustNew(t, 8, 2)
	b.Push([]byte("abcd"))
	dst := make([]byte, 3, 8) // cap is ignored: len decides
	if n, err := b.Pop(dst); n != 0 || err != io.ErrShortBuffer {
		t.Fatalf("Pop = %d, %v; want 0, io.ErrShortBuffer", n, err)
	}
	if !bytes.Equal(dst[:cap(dst)], make([]byte, 8)) {
		t.Fatalf("Pop wrote into dst: %q", dst[:cap(dst)])
	}
	mustPop(t, b, "abcd")
}

// mustPanic runs f, checks it panics, and returns the recovered value.
func mustPanic(t *testing.T, f func()) (v any) {
	t.Helper()
	defer func() {
		if v = recover(); v == nil {
			t.Fatal("no panic")
		}
	}()
	f()
	return nil
}

func TestPanicPropagatesAndBufferStaysUsable(t *testing.T) {
	b := mustNew(t, 10, 4)
	b.Push([]byte("aaaa"))
	b.Push([]byte("bbbb"))
	mustPop(t, b, "aaaa") // a 3-byte push would wrap and pad "bbbb"
	v := mustPanic(t, func() {
		b.PushWith(3, func(p []byte) (int, error) { panic("in fill") })
	})
	if v != "in fill" {
		t.Fatalf("recovered %v; want the fill's own value", v)
	}
	checkState(t, b, 1, 4)
	v = mustPanic(t, func() {
		b.PopWith(func(p []byte) error { panic("in consume") })
	})
	if v != "in consume" {
		t.Fatalf("recovered %v; want the consume's own value", v)
	}
	checkState(t, b, 1, 4)
	if err := b.Push([]byte("ccc")); err != nil { // not busy any more
		t.Fatal(err)
	}
	checkState(t, b, 2, 9)
	mustPop(t, b, "bbbb")
	mustPop(t, b, "ccc")
	checkState(t, b, 0, 0)
}

func TestNilCallbacksPanic(t *testing.T) {
	b := mustNew(t, 8, 2)
	mustPanic(t, func() { b.PushWith(4, nil) })
	checkState(t, b, 0, 0)
	b.Push([]byte("x"))
	mustPanic(t, func() { b.PopWith(nil) })
	checkState(t, b, 1, 1)
	mustPop(t, b, "x") // the panics did not leave the buffer busy
}

// TestRecordsStayBounded checks that a long push/pop run with a few packets
// in flight keeps the record slice's backing array small.
func TestRecordsStayBounded(t *testing.T) {
	b := mustNew(t, 64, 16)
	for i := 0; i < 10000; i++ {
		if err := b.Push([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
		if b.Len() > 3 {
			mustPop(t, b, string([]byte{byte(i - 3)}))
		}
	}
	if c := cap(b.base); c > 2*4+4 {
		t.Fatalf("cap(base) = %d after 10000 pushes with 4 held", c)
	}
	if a := testing.AllocsPerRun(100, func() {
		b.Push([]byte{1})
		b.Pop(make([]byte, 1))
	}); a > 2 { // the Push/Pop closures and make may escape; no per-packet growth
		t.Fatalf("%v allocations per push/pop", a)
	}
}

// TestSlideKeepsRecords is the suite's shrunk counterexample (found with
// zero-length packets): the first time the records slid back to the front
// of their backing array they were copied into a zero-length slice, so every
// held packet was lost.
func TestSlideKeepsRecords(t *testing.T) {
	b := mustNew(t, 51, 8)
	for _, p := range []string{"a", "b", "c"} {
		b.Push([]byte(p))
	}
	mustPop(t, b, "a")
	b.Push([]byte("d"))
	mustPop(t, b, "b")
	b.Push([]byte("e")) // recs is at the end of base: slide
	b.Push(nil)
	checkState(t, b, 4, 3)
	for _, want := range []string{"c", "d", "e", ""} {
		mustPop(t, b, want)
	}
	checkState(t, b, 0, 0)
}
