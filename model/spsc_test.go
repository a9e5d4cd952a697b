package model

import (
	"context"
	"errors"
	"testing"
)

// TestSPSCRules walks SPEC section 7.2 with hand-worked offsets: an empty
// buffer keeps its place, restarts at 0 only when a packet does not fit
// there, and a wrap pads the newest packet by the tail window it skipped.
func TestSPSCRules(t *testing.T) {
	m, err := NewSPSC(24, 8)
	if err != nil {
		t.Fatal(err)
	}
	p, c := m.Producer(), m.Consumer()
	push := func(max, n, wantOff int) {
		t.Helper()
		off, _, err := m.Place(max)
		if err != nil || off != wantOff {
			t.Fatalf("Place(%d) = %d, %v; want %d", max, off, err, wantOff)
		}
		if _, err := p.Reserve(max); err != nil {
			t.Fatal(err)
		}
		if err := p.Commit(n); err != nil {
			t.Fatal(err)
		}
	}
	pop := func() {
		t.Helper()
		if _, err := c.Pop(make([]byte, 24)); err != nil {
			t.Fatal(err)
		}
	}
	push(8, 8, 0)
	push(8, 6, 8)
	pop()
	pop()
	if h, u := m.Head(), m.Used(); h != 14 || u != 0 {
		t.Fatalf("empty: h %d u %d, want 14 0 (no reset)", h, u)
	}
	push(10, 10, 14) // the tail window fits: not 0
	pop()            // empty at 24 mod 24 = 0
	push(11, 4, 0)
	push(11, 3, 4)
	pop()
	pop()          // empty at 7: tail window 17
	push(20, 2, 0) // restart at 0, nothing padded
	if u := m.Used(); u != 2 {
		t.Fatalf("after a restart: Used %d, want 2", u)
	}
	push(20, 20, 2)
	pop()          // h = 2, t = 22
	push(2, 2, 22) // exactly the tail window
	pop()          // h = 22, t = 24 == C
	push(5, 5, 0)  // head window, padding C - t = 0
	if u := m.Used(); u != 7 {
		t.Fatalf("Used %d, want 7", u)
	}
}

// TestSPSCPaddingFixedAtReserve: a wrapping reservation pads by the tail
// window it skipped when placed, even if the head crossed the wrap since
// (t dropped by C), and pads nothing if its packet was popped.
func TestSPSCPaddingFixedAtReserve(t *testing.T) {
	m, _ := NewSPSC(40, 5)
	p, c := m.Producer(), m.Consumer()
	_ = p.Push(make([]byte, 10))
	_, _ = c.Pop(make([]byte, 40))          // empty at 10
	_ = p.Push(make([]byte, 24))            // [10, 34)
	_ = p.Push(make([]byte, 0))             // t = 34: tail window 6: [34, 34)
	if _, err := p.Reserve(7); err != nil { // 7 > 6: wraps, padding 6 for the zero-length packet
		t.Fatal(err)
	}
	_, _ = c.Pop(make([]byte, 40)) // pops [10, 34): h = 34, t = 34
	if err := p.Commit(0); err != nil {
		t.Fatal(err)
	}
	if u, pad := m.Used(), m.Packets[0].Pad; u != 6 || pad != 6 {
		t.Fatalf("Used %d, padding %d; want 6, 6", u, pad)
	}
	_, _ = c.Pop(make([]byte, 40))
	_, _ = c.Pop(make([]byte, 40))
	_ = p.Push(make([]byte, 30))             // empty at 0: [0, 30)
	if _, err := p.Reserve(15); err != nil { // tail 10 < 15; head window 0: blocks
		if !errors.Is(err, ErrWouldBlock) {
			t.Fatal(err)
		}
	}
	_, _ = c.Pop(make([]byte, 40))           // empty at 30
	if _, err := p.Reserve(15); err != nil { // restart at 0
		t.Fatal(err)
	}
	if err := p.Commit(15); err != nil || m.Used() != 15 || m.Head() != 0 {
		t.Fatalf("Commit: %v, Used %d, Head %d; want nil, 15, 0", err, m.Used(), m.Head())
	}
}

func TestSPSCCloseAndWait(t *testing.T) {
	m, _ := NewSPSC(8, 2)
	p, c := m.Producer(), m.Consumer()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Wait(done); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait on empty = %v", err)
	}
	if err := c.Wait(context.Background()); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Wait on empty, live context = %v, want ErrEmpty (where the buffer blocks)", err)
	}
	_ = p.Push([]byte("abcdef"))
	if err := p.Wait(done, 4); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait for room = %v", err)
	}
	if err := p.Wait(done, 9); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Wait(9) = %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close = %v", err)
	}
	if err := c.Wait(done); err != nil {
		t.Fatalf("Wait with a packet = %v", err)
	}
	if _, err := c.Pop(make([]byte, 8)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Peek(); !errors.Is(err, ErrClosed) {
		t.Fatalf("Peek drained after Close = %v", err)
	}
}

// TestSPSCWrapAcrossHeadCrossing is the case the properties found: at
// t == C a reservation "wraps" with padding 0; the consumer then pops the
// packet before the wrap, the head crosses to 0 and t drops by C. The
// padding stays 0 (a model that computed C - t at commit padded by C).
func TestSPSCWrapAcrossHeadCrossing(t *testing.T) {
	m, _ := NewSPSC(3, 3)
	p, c := m.Producer(), m.Consumer()
	pop := func() {
		t.Helper()
		if _, err := c.Pop(make([]byte, 3)); err != nil {
			t.Fatal(err)
		}
	}
	_ = p.Push([]byte{1})
	_ = p.Push([]byte{2})
	pop()
	_ = p.Push(nil)                         // zero-length at 2
	pop()                                   // holds the zero-length packet at 2
	if _, err := p.Reserve(2); err != nil { // tail 1, head 2: wraps, padding 1
		t.Fatal(err)
	}
	_ = p.Commit(0)                         // at 0; t = 3 == C
	if _, err := p.Reserve(2); err != nil { // tail 0, head 2: wraps, padding 0
		t.Fatal(err)
	}
	pop() // the head crosses to 0
	if err := p.Commit(0); err != nil {
		t.Fatal(err)
	}
	if u := m.Used(); u != 0 {
		t.Fatalf("Used = %d, want 0", u)
	}
}
