package model

import (
	"errors"
	"io"
	"testing"
)

// layout is a packet's place in the model: offset, length, padding.
type layout struct{ off, len, pad int }

// mustNew returns an empty model or stops the test.
func mustNew(t *testing.T, c, slots int) *Unordered {
	t.Helper()
	m, err := NewUnordered(c, slots)
	if err != nil {
		t.Fatalf("NewUnordered(%d, %d): %v", c, slots, err)
	}
	return m
}

// push pushes n bytes of value v and stops the test on error.
func push(t *testing.T, m *Unordered, n int, v byte) {
	t.Helper()
	p := make([]byte, n)
	for i := range p {
		p[i] = v
	}
	if err := m.Push(p); err != nil {
		t.Fatalf("Push(%d bytes): %v", n, err)
	}
}

// pop pops the oldest packet and stops the test on error.
func pop(t *testing.T, m *Unordered) []byte {
	t.Helper()
	dst := make([]byte, m.Cap())
	n, err := m.Pop(dst)
	if err != nil {
		t.Fatalf("Pop: %v", err)
	}
	return dst[:n]
}

// wantState checks head, used and every packet's layout.
func wantState(t *testing.T, m *Unordered, head, used int, packets ...layout) {
	t.Helper()
	if m.Head() != head || m.Used() != used {
		t.Errorf("head %d used %d, want %d %d", m.Head(), m.Used(), head, used)
	}
	var got []layout
	for _, p := range m.Packets {
		got = append(got, layout{p.Off, len(p.Data), p.Pad})
	}
	if len(got) != len(packets) {
		t.Fatalf("packets %v, want %v", got, packets)
	}
	for i := range got {
		if got[i] != packets[i] {
			t.Fatalf("packets %v, want %v", got, packets)
		}
	}
}

// Contract rules 3 and 4: a packet that does not fit at the tail but fits
// at the head goes to 0, and the newest packet held gets the tail window as
// padding, reaching exactly to C.
func TestWrapPadsNewestPacket(t *testing.T) {
	m := mustNew(t, 10, 4)
	push(t, m, 4, 1)
	push(t, m, 4, 2)
	pop(t, m)
	wantState(t, m, 4, 4, layout{4, 4, 0})
	if off, wraps, err := m.Place(3); off != 0 || !wraps || err != nil {
		t.Fatalf("Place(3) = %d, %v, %v; want 0, true, nil", off, wraps, err)
	}
	push(t, m, 3, 3)
	wantState(t, m, 4, 9, layout{4, 4, 2}, layout{0, 3, 0})
	if got := pop(t, m); len(got) != 4 || got[0] != 2 {
		t.Fatalf("popped %v, want the 4 bytes of packet 2", got)
	}
	wantState(t, m, 0, 3, layout{0, 3, 0}) // the padding left with its packet
}

// A wrap at exactly C (tail window 0) adds no padding.
func TestWrapAtExactlyCapNoPadding(t *testing.T) {
	m := mustNew(t, 8, 4)
	push(t, m, 4, 1)
	push(t, m, 4, 2)
	pop(t, m)
	push(t, m, 3, 3)
	wantState(t, m, 4, 7, layout{4, 4, 0}, layout{0, 3, 0})
}

// Contract rule 3, wrapped case: the tail window is the gap between the
// wrapped tail and the head (C - u), and the head window is 0.
func TestWrappedTailGap(t *testing.T) {
	m := mustNew(t, 10, 8)
	push(t, m, 4, 1)
	push(t, m, 4, 2)
	pop(t, m)
	push(t, m, 3, 3) // wraps: h 4, u 9, t 13
	if off, wraps, err := m.Place(1); off != 3 || wraps || err != nil {
		t.Fatalf("Place(1) = %d, %v, %v; want 3, false, nil (the gap [3, 4))", off, wraps, err)
	}
	if _, _, err := m.Place(2); !errors.Is(err, ErrWouldBlock) {
		t.Fatalf("Place(2) = %v, want ErrWouldBlock: the gap is 1 byte and nothing fits at 0", err)
	}
	push(t, m, 1, 4)
	wantState(t, m, 4, 10, layout{4, 4, 2}, layout{0, 3, 0}, layout{3, 1, 0})
	if off, _, err := m.Place(0); off != 4 || err != nil {
		t.Fatalf("Place(0) on a full buffer = %d, %v; want 4, nil (zero bytes fit)", off, err)
	}
}

// Contract rule 2 and 6: when the last packet leaves, h = u = 0, so an empty
// buffer accepts any maxSize <= C wherever the old head was.
func TestEmptyResetsToZero(t *testing.T) {
	m := mustNew(t, 10, 4)
	push(t, m, 3, 1)
	push(t, m, 5, 2)
	pop(t, m)
	pop(t, m)
	wantState(t, m, 0, 0)
	if off, wraps, err := m.Place(10); off != 0 || wraps || err != nil {
		t.Fatalf("Place(C) on an emptied buffer = %d, %v, %v; want 0, false, nil", off, wraps, err)
	}
	push(t, m, 10, 3)
	wantState(t, m, 0, 10, layout{0, 10, 0})
}

// Zero-length packets are real: they take a slot and no byte, come out in
// order, and fill the metadata ring like any other.
func TestZeroLengthPackets(t *testing.T) {
	m := mustNew(t, 4, 2)
	push(t, m, 0, 0)
	push(t, m, 0, 0)
	if m.Len() != 2 || m.Used() != 0 {
		t.Fatalf("Len %d Used %d, want 2 0", m.Len(), m.Used())
	}
	if err := m.Push(nil); !errors.Is(err, ErrWouldBlock) {
		t.Fatalf("Push(nil) with every slot taken: %v, want ErrWouldBlock", err)
	}
	if got := pop(t, m); len(got) != 0 {
		t.Fatalf("popped %d bytes, want 0", len(got))
	}
	if m.Len() != 1 {
		t.Fatalf("Len %d after one pop, want 1", m.Len())
	}
}

// The checks run in the contract's order, the first that applies answers,
// and fill is not called for any of them.
func TestErrorOrder(t *testing.T) {
	full := mustNew(t, 4, 1)
	push(t, full, 2, 1) // metadata full, 2 bytes free
	cases := []struct {
		name    string
		m       *Unordered
		maxSize int
		want    error
	}{
		{"negative before too large and full", full, -1, ErrInvalidSize},
		{"too large before full", full, 5, ErrTooLarge},
		{"metadata full before geometry", full, 1, ErrWouldBlock},
		{"no room", func() *Unordered { m := mustNew(t, 4, 4); push(t, m, 3, 1); return m }(), 2, ErrWouldBlock},
	}
	for _, c := range cases {
		called := false
		n, err := c.m.PushWith(c.maxSize, func(p []byte) (int, error) { called = true; return 0, nil })
		if !errors.Is(err, c.want) || n != 0 || called {
			t.Errorf("%s: PushWith(%d) = %d, %v, fill called %v; want 0, %v, not called", c.name, c.maxSize, n, err, called, c.want)
		}
	}
	// ErrBusy comes first of all, even for a negative size.
	m := mustNew(t, 4, 4)
	var nested error
	if _, err := m.PushWith(1, func(p []byte) (int, error) {
		_, nested = m.PushWith(-1, nil)
		return 1, nil
	}); err != nil || !errors.Is(nested, ErrBusy) {
		t.Fatalf("nested PushWith(-1): %v (outer %v), want ErrBusy", nested, err)
	}
}

// A failed fill (error, invalid n, panic) commits nothing.
func TestFailedFillCommitsNothing(t *testing.T) {
	errFill := errors.New("fill failed")
	fills := map[string]func([]byte) (int, error){
		"error":    func(p []byte) (int, error) { return len(p), errFill },
		"n < 0":    func(p []byte) (int, error) { return -1, nil },
		"n > size": func(p []byte) (int, error) { return len(p) + 1, nil },
		"panic":    func(p []byte) (int, error) { panic("fill") },
	}
	for name, fill := range fills {
		m := mustNew(t, 10, 4)
		push(t, m, 4, 1)
		push(t, m, 4, 2)
		pop(t, m) // the next push of 3 would wrap and pad
		func() {
			defer func() { _ = recover() }()
			_, _ = m.PushWith(3, fill)
		}()
		wantState(t, m, 4, 4, layout{4, 4, 0})
		if _, err := m.PushWith(1, func(p []byte) (int, error) { return 1, nil }); err != nil {
			t.Fatalf("%s: PushWith after the failure: %v (busy left set?)", name, err)
		}
	}
}

// Pop with a short dst keeps the packet; PopWith keeps it when consume fails.
func TestFailedPopKeepsPacket(t *testing.T) {
	m := mustNew(t, 8, 2)
	push(t, m, 3, 7)
	if _, err := m.Pop(make([]byte, 2)); !errors.Is(err, io.ErrShortBuffer) {
		t.Fatalf("Pop(short) = %v, want io.ErrShortBuffer", err)
	}
	errConsume := errors.New("consume failed")
	if err := m.PopWith(func([]byte) error { return errConsume }); err != errConsume {
		t.Fatalf("PopWith = %v, want the consume error unchanged", err)
	}
	wantState(t, m, 0, 3, layout{0, 3, 0})
	if _, err := m.Pop(nil); !errors.Is(err, io.ErrShortBuffer) {
		t.Fatalf("Pop(nil) = %v", err)
	}
	pop(t, m)
	if _, err := m.Pop(nil); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Pop on empty = %v, want ErrEmpty", err)
	}
}

func TestConstructorBounds(t *testing.T) {
	beyond := MaxCapacity
	beyond++ // a variable: on 32-bit platforms it wraps negative, also invalid
	for _, c := range [][2]int{{0, 1}, {1, 0}, {-1, 1}, {1, -1}, {beyond, 1}, {1, beyond}} {
		if _, err := NewUnordered(c[0], c[1]); !errors.Is(err, ErrInvalidSize) {
			t.Errorf("NewUnordered(%d, %d) = %v, want ErrInvalidSize", c[0], c[1], err)
		}
	}
	m := mustNew(t, 1, 1)
	if m.Cap() != 1 || m.MaxPackets() != 1 {
		t.Fatalf("Cap %d MaxPackets %d, want 1 1", m.Cap(), m.MaxPackets())
	}
}

// Reset from inside a callback does nothing; outside it drops everything.
func TestReset(t *testing.T) {
	m := mustNew(t, 8, 2)
	push(t, m, 3, 1)
	push(t, m, 2, 2)
	if err := m.PopWith(func([]byte) error { m.Reset(); return nil }); err != nil {
		t.Fatal(err)
	}
	wantState(t, m, 3, 2, layout{3, 2, 0}) // only the popped packet left
	m.Reset()
	wantState(t, m, 0, 0)
}
