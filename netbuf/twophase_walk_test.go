package netbuf_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

// Two-phase pushes and pops against the callback form: failures that end a
// reservation, the wrap, zero-length packets, and a walk mixing both forms.

// TestTwoPhaseFailureIsAtomic: Commit with an invalid n returns
// ErrInvalidLength and ends the reservation with nothing committed; Abort
// commits nothing. In every push state, wrap included (no padding is left
// behind), the buffer then answers exactly as a twin that never reserved.
func TestTwoPhaseFailureIsAtomic(t *testing.T) {
	for _, st := range pushStates {
		for _, f := range []struct {
			rule string
			end  func(b *netbuf.UnorderedBuffer, max int) error
			want error
		}{
			{"Abort", func(b *netbuf.UnorderedBuffer, _ int) error { return b.Abort() }, nil},
			{"Commit n < 0", func(b *netbuf.UnorderedBuffer, _ int) error { return b.Commit(-1) }, netbuf.ErrInvalidLength},
			{"Commit n = MinInt", func(b *netbuf.UnorderedBuffer, _ int) error { return b.Commit(-1 << (strconvIntSize - 1)) }, netbuf.ErrInvalidLength},
			{"Commit n > maxSize", func(b *netbuf.UnorderedBuffer, m int) error { return b.Commit(m + 1) }, netbuf.ErrInvalidLength},
			{"Commit n = MaxInt", func(b *netbuf.UnorderedBuffer, _ int) error { return b.Commit(1<<(strconvIntSize-1) - 1) }, netbuf.ErrInvalidLength},
		} {
			t.Run(st.name+"/"+f.rule, func(t *testing.T) {
				h, twin := newHarness(t, 10, 4), newHarness(t, 10, 4)
				for i, s := range st.steps {
					h.run(i, s, apiTwoPhase)
					twin.run(i, s, apiWith)
				}
				used, held := h.b.Used(), h.b.Len()
				p, err := h.b.Reserve(st.max)
				if err != nil {
					t.Fatalf("Reserve(%d): %v", st.max, err)
				}
				for i := range p {
					p[i] = 0xEE
				}
				if err := f.end(h.b, st.max); !errors.Is(err, f.want) {
					t.Fatalf("got %v, want %v", err, f.want)
				}
				if err := h.b.Commit(0); !errors.Is(err, netbuf.ErrInvalidState) {
					t.Fatalf("Commit after the reservation ended: %v, want ErrInvalidState", err)
				}
				h.check("after the failed push")
				if h.b.Used() != used || h.b.Len() != held {
					t.Fatalf("failed push changed Used %d -> %d, Len %d -> %d", used, h.b.Used(), held, h.b.Len())
				}
				sameFuture(t, h, twin, st.max)
			})
		}
	}
}

// TestTwoPhaseWrapPads: a reservation at offset 0 pads the newest packet by
// the tail window on Commit, exactly as PushWith does, even with n < maxSize.
func TestTwoPhaseWrapPads(t *testing.T) {
	h := newHarness(t, 10, 4)
	for i, s := range []step{push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4)} { // h=4 t=8: tail 2, head 4
		h.run(i, s, apiTwoPhase)
	}
	p, err := h.b.Reserve(3)
	if err != nil || h.offset(p) != 0 || len(p) != 3 || cap(p) != 3 {
		t.Fatalf("Reserve(3) = (offset %d len %d cap %d, %v), want (offset 0 len 3 cap 3, nil)", h.offset(p), len(p), cap(p), err)
	}
	if h.b.Used() != 4 {
		t.Fatalf("Used() = %d while reserved, want 4 (nothing padded before Commit)", h.b.Used())
	}
	if err := h.b.Check(); err != nil {
		t.Fatalf("Check with the wrapping reservation open: %v", err)
	}
	h.want = append(h.want, []byte{7})
	p[0] = 7
	if err := h.b.Commit(1); err != nil {
		t.Fatal(err)
	}
	if h.b.Used() != 7 { // 4 + padding 2 + 1
		t.Fatalf("Used() = %d after Commit(1), want 7", h.b.Used())
	}
	h.check("after the wrapping commit")
	h.run(0, pop(4, 1), apiTwoPhase) // frees 4 + padding 2
	h.run(1, pop(0, 0), apiTwoPhase)
}

// TestTwoPhaseZeroLength: Reserve(0) and Commit(0) make a zero-length packet,
// which Peek returns as an empty slice and Release removes.
func TestTwoPhaseZeroLength(t *testing.T) {
	b := newBuffer(t, 4, 2)
	p, err := b.Reserve(0)
	if err != nil || len(p) != 0 || cap(p) != 0 {
		t.Fatalf("Reserve(0) = (len %d cap %d, %v), want (0 0 nil)", len(p), cap(p), err)
	}
	if err := b.Commit(0); err != nil {
		t.Fatal(err)
	}
	expectHeld(t, b, 0, 1)
	if err := b.Commit(0); !errors.Is(err, netbuf.ErrInvalidState) {
		t.Fatalf("second Commit: %v, want ErrInvalidState", err)
	}
	q, err := b.Peek()
	if err != nil || len(q) != 0 || cap(q) != 0 {
		t.Fatalf("Peek = (len %d cap %d, %v), want (0 0 nil)", len(q), cap(q), err)
	}
	if err := b.Release(); err != nil {
		t.Fatal(err)
	}
	expectHeld(t, b, 0, 0)
}

// TestTwoPhaseMixesWithCallbacks: any interleaving of the two forms places
// every packet where the callback form alone would, and pops the same
// bytes. A seeded walk over pushes, pops and failures of both forms is
// compared step by step with a twin driven by PushWith and PopWith only.
func TestTwoPhaseMixesWithCallbacks(t *testing.T) {
	h, twin := newHarness(t, 37, 5), newHarness(t, 37, 5)
	x := uint32(1)
	next := func(n int) int { x = x*1664525 + 1013904223; return int(x>>8) % n }
	wraps, aborted := 0, 0 // two-phase pushes that padded; failed reservations
	for i := range 4000 {
		size := next(20)
		switch next(5) {
		case 0, 1: // push, the two forms alike
			n, via := next(size+1), apiWith
			if next(2) == 0 {
				via = apiTwoPhase
			}
			used := h.b.Used()
			wantOff, wantErr := twin.pushN(size, n, apiWith)
			gotOff, gotErr := h.pushN(size, n, via)
			if gotOff != wantOff || !errors.Is(gotErr, wantErr) {
				t.Fatalf("step %d: push(%d, n=%d) at %d (%v), callback form at %d (%v)", i, size, n, gotOff, gotErr, wantOff, wantErr)
			}
			if via == apiTwoPhase && h.b.Used() > used+n {
				wraps++
			}
		case 2: // a reservation that is aborted or committed with a bad n
			p, err := h.b.Reserve(size)
			if err == nil {
				aborted++
				copy(p, "garbage")
				if next(2) == 0 {
					err = h.b.Abort()
				} else if err = h.b.Commit(size + 1); errors.Is(err, netbuf.ErrInvalidLength) {
					err = nil
				}
			}
			if err != nil && !errors.Is(err, netbuf.ErrWouldBlock) {
				t.Fatalf("step %d: failed reservation of %d: %v", i, size, err)
			}
		default: // pop, the two forms alike
			if len(twin.want) == 0 {
				continue
			}
			wantOff, wantUsed := twin.popAny()
			via := apiWith
			if next(2) == 0 {
				via = apiTwoPhase
			}
			off := h.popVia(via)
			if off != wantOff || h.b.Used() != wantUsed {
				t.Fatalf("step %d: pop at %d, Used %d; callback form at %d, Used %d", i, off, h.b.Used(), wantOff, wantUsed)
			}
		}
		h.check(fmt.Sprintf("step %d", i))
		if h.b.Used() != twin.b.Used() {
			t.Fatalf("step %d: Used %d, callback form %d", i, h.b.Used(), twin.b.Used())
		}
	}
	if wraps == 0 || aborted == 0 {
		t.Fatalf("the walk made %d padding two-phase pushes and %d failed reservations, want some of each", wraps, aborted)
	}
	t.Logf("%d padding two-phase pushes, %d failed reservations", wraps, aborted)
}

// pushN pushes a fresh packet of n bytes into a room of size bytes through
// via (apiWith or apiTwoPhase) and returns the room's offset (-1 if empty)
// and the error.
func (h *harness) pushN(size, n int, via api) (int, error) {
	h.t.Helper()
	p, off := h.payload(n), -1
	var err error
	if via == apiTwoPhase {
		var room []byte
		if room, err = h.b.Reserve(size); err == nil {
			if len(room) > 0 {
				off = h.offset(room)
			}
			err = h.b.Commit(copy(room, p))
		}
	} else {
		_, err = h.b.PushWith(size, func(room []byte) (int, error) {
			if len(room) > 0 {
				off = h.offset(room)
			}
			return copy(room, p), nil
		})
	}
	if err == nil {
		h.want = append(h.want, p)
	}
	return off, err
}

// popVia pops the oldest packet through via, checks its bytes and returns
// its offset (-1 if empty).
func (h *harness) popVia(via api) int {
	h.t.Helper()
	if via != apiTwoPhase {
		off, _ := h.popAny()
		return off
	}
	p, err := h.b.Peek()
	if err != nil {
		h.t.Fatalf("Peek: %v", err)
	}
	off := -1
	if len(p) > 0 {
		off = h.offset(p)
	}
	if string(p) != string(h.want[0]) || len(p) != cap(p) {
		h.t.Fatalf("Peek = %v (cap %d), want %v", p, cap(p), h.want[0])
	}
	if err := h.b.Release(); err != nil {
		h.t.Fatalf("Release: %v", err)
	}
	h.want = h.want[1:]
	return off
}
