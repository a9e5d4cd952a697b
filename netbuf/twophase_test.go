package netbuf_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

// The two-phase calls are PushWith and PopWith cut at the callback:
// TestUnorderedGeometry runs every placement case through them too, and
// TestUnorderedReentrancy calls them from inside callbacks. The tests here
// cover what only they have: the busy state between the halves, the answers
// of an ending call with nothing open, and failures that end a reservation.

// TestTwoPhaseErrors: a failing Reserve or Peek answers as PushWith or
// PopWith would before their callback, in the same order, returns a nil
// slice and opens nothing.
func TestTwoPhaseErrors(t *testing.T) {
	for _, tc := range []struct {
		rule  string
		slots int
		fill  []int // sizes of the packets pushed first
		call  func(b *netbuf.UnorderedBuffer) ([]byte, error)
		want  error
	}{
		{"Reserve maxSize < 0 before metadata full", 1, []int{1}, reserve(-1), netbuf.ErrInvalidSize},
		{"Reserve maxSize > Cap before metadata full", 1, []int{1}, reserve(11), netbuf.ErrTooLarge},
		{"Reserve metadata full", 1, []int{1}, reserve(1), netbuf.ErrWouldBlock},
		{"Reserve metadata full, zero size", 1, []int{1}, reserve(0), netbuf.ErrWouldBlock},
		{"Reserve maxSize < 0 before no room", 4, []int{10}, reserve(-1), netbuf.ErrInvalidSize},
		{"Reserve maxSize > Cap before no room", 4, []int{10}, reserve(11), netbuf.ErrTooLarge},
		{"Reserve no room", 4, []int{10}, reserve(1), netbuf.ErrWouldBlock},
		{"Reserve no room in either window", 4, []int{4, 4, 1}, reserve(6), netbuf.ErrWouldBlock},
		{"Reserve maxSize MinInt", 4, nil, reserve(-1 << (strconvIntSize - 1)), netbuf.ErrInvalidSize},
		{"Reserve maxSize MaxInt", 4, nil, reserve(1<<(strconvIntSize-1) - 1), netbuf.ErrTooLarge},
		{"Peek on empty", 4, nil, func(b *netbuf.UnorderedBuffer) ([]byte, error) { return b.Peek() }, netbuf.ErrEmpty},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			b := newBuffer(t, 10, tc.slots, tc.fill...)
			used, held := b.Used(), b.Len()
			p, err := tc.call(b)
			if p != nil || !errors.Is(err, tc.want) {
				t.Fatalf("got (%v, %v), want (nil, %v)", p, err, tc.want)
			}
			if b.Used() != used || b.Len() != held {
				t.Fatalf("the failed call changed Used %d -> %d, Len %d -> %d", used, b.Used(), held, b.Len())
			}
			if err := b.Check(); err != nil {
				t.Fatal(err)
			}
			for name, end := range map[string]func() error{"Commit": func() error { return b.Commit(0) }, "Abort": b.Abort, "Release": b.Release} {
				if err := end(); !errors.Is(err, netbuf.ErrInvalidState) {
					t.Fatalf("%s after the failed call: %v, want ErrInvalidState (nothing open)", name, err)
				}
			}
		})
	}
}

func reserve(maxSize int) func(b *netbuf.UnorderedBuffer) ([]byte, error) {
	return func(b *netbuf.UnorderedBuffer) ([]byte, error) { return b.Reserve(maxSize) }
}

// newBuffer returns a buffer of c bytes and the given slots holding one
// packet of each size in sizes, pushed in turn from offset 0.
func newBuffer(t *testing.T, c, slots int, sizes ...int) *netbuf.UnorderedBuffer {
	t.Helper()
	b, err := netbuf.NewUnorderedBuffer(c, slots)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range sizes {
		if err := b.Push(make([]byte, n)); err != nil {
			t.Fatalf("push %d of %d bytes: %v", i, n, err)
		}
	}
	return b
}

// TestTwoPhaseInvalidState: Commit or Abort with no reservation open, and
// Release with no peek open, return ErrInvalidState whatever else is open,
// and change nothing: what is open stays open and ends normally.
func TestTwoPhaseInvalidState(t *testing.T) {
	b := newBuffer(t, 10, 4, 3)
	for name, end := range map[string]func() error{"Commit(0)": func() error { return b.Commit(0) }, "Commit(-1)": func() error { return b.Commit(-1) }, "Abort": b.Abort, "Release": b.Release} {
		if err := end(); !errors.Is(err, netbuf.ErrInvalidState) {
			t.Errorf("%s with nothing open: %v, want ErrInvalidState", name, err)
		}
	}
	expectHeld(t, b, 3, 1)

	p, err := b.Reserve(4)
	if err != nil {
		t.Fatal(err)
	}
	copy(p, "wxyz")
	if err := b.Release(); !errors.Is(err, netbuf.ErrInvalidState) {
		t.Errorf("Release with a reservation open: %v, want ErrInvalidState", err)
	}
	if err := b.Check(); err != nil {
		t.Fatalf("reservation open after Release: %v", err)
	}
	if err := b.Commit(2); err != nil { // the reservation was still open
		t.Fatalf("Commit after the refused Release: %v", err)
	}
	expectHeld(t, b, 5, 2)

	if _, err := b.Peek(); err != nil {
		t.Fatal(err)
	}
	for name, end := range map[string]func() error{"Commit(0)": func() error { return b.Commit(0) }, "Commit(99)": func() error { return b.Commit(99) }, "Abort": b.Abort} {
		if err := end(); !errors.Is(err, netbuf.ErrInvalidState) {
			t.Errorf("%s with a peek open: %v, want ErrInvalidState", name, err)
		}
		if err := b.Check(); err != nil {
			t.Fatalf("peek open after %s: %v", name, err)
		}
	}
	if err := b.Release(); err != nil { // the peek was still open
		t.Fatalf("Release after the refused calls: %v", err)
	}
	expectHeld(t, b, 2, 1)
	if err := b.Release(); !errors.Is(err, netbuf.ErrInvalidState) {
		t.Errorf("second Release: %v, want ErrInvalidState", err)
	}
	if err := b.Commit(0); !errors.Is(err, netbuf.ErrInvalidState) {
		t.Errorf("Commit after Release: %v, want ErrInvalidState", err)
	}
	expectHeld(t, b, 2, 1)
}

// expectHeld checks Used, Len and Check.
func expectHeld(t *testing.T, b *netbuf.UnorderedBuffer, used, held int) {
	t.Helper()
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	if b.Used() != used || b.Len() != held {
		t.Fatalf("Used %d Len %d, want %d %d", b.Used(), b.Len(), used, held)
	}
}

// TestTwoPhaseBusyBetweenHalves: between Reserve and Commit or Abort, and
// between Peek and Release, every other method returns ErrBusy before any
// other error, calls no callback and changes nothing, Reset does nothing,
// and the accessors and Check answer as usual.
func TestTwoPhaseBusyBetweenHalves(t *testing.T) {
	noFill := func(t *testing.T) func([]byte) (int, error) {
		return func([]byte) (int, error) { t.Error("fill called"); return 0, nil }
	}
	busyCalls := []struct {
		name string
		call func(t *testing.T, b *netbuf.UnorderedBuffer) error
	}{
		{"PushWith", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushWith(1, noFill(t))(b) }},
		{"PushWith maxSize<0", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushWith(-1, noFill(t))(b) }},
		{"PushWith nil fill", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushWith(1, nil)(b) }},
		{"Push", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushCopy(1)(b) }},
		{"Push too large", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushCopy(11)(b) }},
		{"PushBatch", func(t *testing.T, b *netbuf.UnorderedBuffer) error {
			_, err := b.PushBatch(1, make([][]byte, 2), func([][]byte) (int, error) { t.Error("fill called"); return 0, nil })
			return err
		}},
		{"PushBatch no bufs", func(t *testing.T, b *netbuf.UnorderedBuffer) error {
			_, err := b.PushBatch(1, nil, nil)
			return err
		}},
		{"PopWith", func(t *testing.T, b *netbuf.UnorderedBuffer) error {
			return b.PopWith(func([]byte) error { t.Error("consume called"); return nil })
		}},
		{"PopWith nil consume", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return b.PopWith(nil) }},
		{"Pop", func(t *testing.T, b *netbuf.UnorderedBuffer) error { _, err := b.Pop(make([]byte, 10)); return err }},
		{"Pop short", func(t *testing.T, b *netbuf.UnorderedBuffer) error { _, err := b.Pop(nil); return err }},
		{"Reserve", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return reserveErr(b, 1) }},
		{"Reserve maxSize<0", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return reserveErr(b, -1) }},
		{"Reserve maxSize>Cap", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return reserveErr(b, 11) }},
		{"Peek", func(t *testing.T, b *netbuf.UnorderedBuffer) error {
			p, err := b.Peek()
			if p != nil {
				return fmt.Errorf("Peek returned a slice with %w", err)
			}
			return err
		}},
	}
	// Each opener leaves the C=10 buffer, which held a 4-byte packet at 0,
	// with an operation open, and returns the call that ends it and the
	// Used and Len after that.
	openers := []struct {
		name       string
		open       func(t *testing.T, b *netbuf.UnorderedBuffer) func() error
		used, held int
	}{
		{"reservation, then Commit", func(t *testing.T, b *netbuf.UnorderedBuffer) func() error {
			p, err := b.Reserve(3)
			if err != nil {
				t.Fatal(err)
			}
			copy(p, "xyz")
			return func() error { return b.Commit(3) }
		}, 7, 2},
		{"reservation, then Abort", func(t *testing.T, b *netbuf.UnorderedBuffer) func() error {
			if _, err := b.Reserve(6); err != nil {
				t.Fatal(err)
			}
			return b.Abort
		}, 4, 1},
		{"peek, then Release", func(t *testing.T, b *netbuf.UnorderedBuffer) func() error {
			if _, err := b.Peek(); err != nil {
				t.Fatal(err)
			}
			return b.Release
		}, 0, 0},
	}
	for _, o := range openers {
		for _, c := range busyCalls {
			t.Run(o.name+"/"+c.name, func(t *testing.T) {
				b, _ := newBusyPair(t)
				end := o.open(t, b)
				if err := c.call(t, b); !errors.Is(err, netbuf.ErrBusy) {
					t.Fatalf("%s while open: %v, want ErrBusy", c.name, err)
				}
				if b.Len() != 1 || b.Used() != 4 {
					t.Fatalf("%s while open changed Len %d Used %d, want 1 4", c.name, b.Len(), b.Used())
				}
				if err := end(); err != nil {
					t.Fatalf("ending call: %v", err)
				}
				expectState(t, b, o.used, o.held)
			})
		}
		t.Run(o.name+"/Reset does nothing, accessors and Check answer", func(t *testing.T) {
			b, other := newBusyPair(t)
			end := o.open(t, b)
			b.Reset()
			if b.Len() != 1 || b.Used() != 4 || b.Cap() != 10 || b.MaxPackets() != 4 {
				t.Fatalf("while open, after Reset: Len %d Used %d Cap %d MaxPackets %d, want 1 4 10 4", b.Len(), b.Used(), b.Cap(), b.MaxPackets())
			}
			if err := b.Check(); err != nil {
				t.Fatalf("Check while open: %v", err)
			}
			if err := other.Push([]byte("e")); err != nil { // another buffer is not busy
				t.Fatalf("Push on another buffer: %v", err)
			}
			if err := end(); err != nil {
				t.Fatalf("ending call: %v", err)
			}
			expectState(t, b, o.used, o.held)
		})
	}
}

// TestTwoPhaseCommitLengthSaysCommit: Commit(n) beyond the reservation
// answers ErrInvalidLength in words that fit it, naming Commit, n and the
// reservation's size, not a fill that was never given.
func TestTwoPhaseCommitLengthSaysCommit(t *testing.T) {
	b, err := netbuf.NewUnorderedBuffer(16, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{-1, 9} {
		if _, err := b.Reserve(8); err != nil {
			t.Fatal(err)
		}
		err := b.Commit(n)
		want := fmt.Sprintf("Commit(%d) outside the reservation's [0, 8]", n)
		if !errors.Is(err, netbuf.ErrInvalidLength) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "fill") {
			t.Errorf("Commit(%d) after Reserve(8) = %q, want ErrInvalidLength saying %q and no fill", n, err, want)
		}
	}
}
