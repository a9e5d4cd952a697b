package pion

// Each test here reproduces one finding of docs/peers.md and asserts what
// pion's jitterbuffer does today (observed), so that it passes now and
// fails, pointing here, the day pion changes. The comment of each says
// what a correct reorder buffer would do (expected) and classifies it.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"testing"

	"github.com/pion/interceptor/pkg/jitterbuffer"
	"github.com/pion/rtp"
)

// payload is CheckReorder's payload for packet #k: k on 8 bytes.
func payload(k uint64) []byte { return binary.BigEndian.AppendUint64(nil, k) }

// wantPop pops and requires sequence seq with payload p.
func wantPop(t *testing.T, a *Adapter, seq uint16, p []byte) {
	t.Helper()
	s, got, err := a.Pop()
	if err != nil || s != seq || !bytes.Equal(got, p) {
		t.Fatalf("pop -> %d %x, %v; observed until now: %d %x", s, got, err, seq, p)
	}
}

// wantPopErr pops and requires error want.
func wantPopErr(t *testing.T, a *Adapter, want error) {
	t.Helper()
	if s, p, err := a.Pop(); !errors.Is(err, want) {
		t.Fatalf("pop -> %d %x, %v; observed until now: error %v", s, p, err, want)
	}
}

// TestFindingPlayoutHeadIsFirstArrival (bug; property (e), found by
// CheckReorder). The playout head is the first packet pushed, not the
// earliest: a packet that arrives second but comes first is skipped and
// held for good, whatever the minimum packet count (the buffering phase is
// there to absorb jitter, but not this one).
//
//	push 65521 (#1), push 65520 (#0), pop
//	expected: pop -> 65520, then 65521
//	observed: pop -> 65521; 65520 is never delivered, yet stays held
func TestFindingPlayoutHeadIsFirstArrival(t *testing.T) {
	t.Run("shrunk", func(t *testing.T) {
		a := New(jitterbuffer.WithMinimumPacketCount(1))
		_ = a.Push(65521, payload(1))
		_ = a.Push(65520, payload(0))
		wantPop(t, a, 65521, payload(1))
		_ = a.Push(65522, payload(2))
		wantPop(t, a, 65522, payload(2))
		wantPopErr(t, a, jitterbuffer.ErrNotFound)
		if p, err := a.JB.PeekAtSequence(65520); err != nil || !bytes.Equal(p.Payload, payload(0)) {
			t.Fatalf("65520 is no longer held (%v): it is, as observed until now", err)
		}
	})
	t.Run("default minimum packet count", func(t *testing.T) {
		a := New() // 50 packets before playback
		_ = a.Push(1, payload(1))
		_ = a.Push(0, payload(0))
		for s := uint16(2); s < 50; s++ {
			_ = a.Push(s, payload(uint64(s)))
		}
		wantPop(t, a, 1, payload(1)) // expected 0
		if a.JB.PlayoutHead() != 2 {
			t.Fatalf("playout head %d, observed until now 2", a.JB.PlayoutHead())
		}
	})
}

// TestFindingStalePacketAfterWrap (bug; property (d), found by
// CheckReorder). A late packet, or the extra copy of a duplicated one, is
// never dropped: it stays in the queue (and counts in its length), and a
// round of the sequence space (65,536 packets) later, when its sequence is
// at the playout head again before the new packet with that sequence has
// arrived, Pop delivers the old one in its place. The new one, when it
// comes, is then late and held for good in turn.
//
//	push 65520 (#0), pop -> 65520, push 65520 (#0, copy),
//	push then pop each of 65521 (#1) .. 65519 (#65535), pop
//	expected: pop -> error (65520 of this round, #65536, was not pushed)
//	observed: pop -> 65520 with the payload of #0, pushed 65,536 packets earlier
func TestFindingStalePacketAfterWrap(t *testing.T) {
	run := func(t *testing.T, a *Adapter, from uint64) {
		for k := from; k < 1<<16; k++ {
			_ = a.Push(65520+uint16(k), payload(k))
			wantPop(t, a, 65520+uint16(k), payload(k))
		}
	}
	t.Run("copy", func(t *testing.T) {
		a := New(jitterbuffer.WithMinimumPacketCount(1))
		_ = a.Push(65520, payload(0))
		wantPop(t, a, 65520, payload(0))
		_ = a.Push(65520, payload(0)) // the network's copy, after delivery
		run(t, a, 1)
		wantPop(t, a, 65520, payload(0)) // the stale copy, in place of #65536
		_ = a.Push(65520, payload(1<<16))
		wantPopErr(t, a, jitterbuffer.ErrNotFound) // #65536 is now late: held for good
	})
	t.Run("late", func(t *testing.T) {
		a := New(jitterbuffer.WithMinimumPacketCount(1))
		_ = a.Push(65521, payload(1))
		wantPop(t, a, 65521, payload(1))
		_ = a.Push(65520, payload(0)) // late: never delivered now, rightly
		wantPopErr(t, a, jitterbuffer.ErrNotFound)
		run(t, a, 2)
		wantPop(t, a, 65520, payload(0)) // the stale packet, in place of #65536
	})
	t.Run("late packets count as held", func(t *testing.T) {
		a := New(jitterbuffer.WithMinimumPacketCount(1))
		overflows := 0
		a.JB.Listen(jitterbuffer.BufferOverflow, func(jitterbuffer.Event, *jitterbuffer.JitterBuffer) { overflows++ })
		_ = a.Push(65520, payload(0))
		wantPop(t, a, 65520, payload(0))
		for range 102 { // nothing deliverable is held, yet the 102nd push overflows
			_ = a.Push(65520, payload(0))
		}
		if overflows != 1 {
			t.Fatalf("%d overflow events; observed until now 1", overflows)
		}
	})
	t.Run("copy held with its original", func(t *testing.T) {
		a := New(jitterbuffer.WithMinimumPacketCount(1))
		_ = a.Push(65520, payload(0))
		_ = a.Push(65520, payload(0)) // both held: Pop takes one, the other stays
		wantPop(t, a, 65520, payload(0))
		run(t, a, 1)
		wantPop(t, a, 65520, payload(0))
	})
}

// TestPolicyMinimumPacketCount (documented policy; property (e), found by
// CheckReorder). Pop fails with ErrPopWhileBuffering until the buffer has
// held the minimum packet count, 50 by default; pion documents it:
// WithMinimumPacketCount "will set the required number of packets to be
// received before any attempt to pop a packet can succeed", and
// ReceiverInterceptor buffers "for a short period (currently defaulting to
// 50 packets) before emitting packets".
//
//	push 65520 (#0), pop
//	expected (of a buffer without that policy): pop -> 65520
//	observed: pop -> error "attempt to pop while buffering", until 50 are held
func TestPolicyMinimumPacketCount(t *testing.T) {
	a := New()
	for k := range uint64(49) {
		_ = a.Push(65520+uint16(k), payload(k))
		wantPopErr(t, a, jitterbuffer.ErrPopWhileBuffering)
	}
	_ = a.Push(33, payload(49)) // 65520+49, past the wrap
	wantPop(t, a, 65520, payload(0))

	// The count is of packets held, copies included.
	a = New()
	for range 50 {
		_ = a.Push(7, payload(7))
	}
	wantPop(t, a, 7, payload(7))
}

// TestPolicyPushDoesNotClone (documented policy; property (c), found by
// CheckReorder). The buffer keeps the caller's payload slice: a caller that
// reads its next datagram into the same slice changes the packets held.
// pion documents it on Push: "this does not clone the data so if the
// memory is expected to be reused, the caller should take this in to
// account and pass a copy of the packet they wish to buffer".
//
//	push 65520 (#0), the caller reuses the slice, pop
//	expected (of a buffer that copies): pop -> 65520 with #0's payload
//	observed: pop -> 65520 with what the caller wrote since
func TestPolicyPushDoesNotClone(t *testing.T) {
	a := New(jitterbuffer.WithMinimumPacketCount(1))
	p := payload(0)
	_ = a.Push(65520, p)
	copy(p, "reused!!")
	wantPop(t, a, 65520, []byte("reused!!"))
}

// The findings below were made reading pion's source for the adapter:
// CheckReorder cannot reach them, as Reorderer has neither Clear, nor
// PopAtSequence, nor PopAtTimestamp.

// TestFindingClearResetsMinimumPacketCount (bug). Clear(true) sets the
// minimum packet count back to 50, whatever WithMinimumPacketCount set
// (Clear's code: "jb.minStartCount = 50").
//
//	New(WithMinimumPacketCount(1)), Clear(true), push 5000, pop
//	expected: pop -> 5000
//	observed: pop -> ErrPopWhileBuffering, until 50 packets are held
func TestFindingClearResetsMinimumPacketCount(t *testing.T) {
	a := New(jitterbuffer.WithMinimumPacketCount(1))
	a.JB.Clear(true)
	_ = a.Push(5000, payload(0))
	wantPopErr(t, a, jitterbuffer.ErrPopWhileBuffering)
}

// TestFindingClearKeepsPlayoutHead (bug). Clear(true) "resets the state"
// (back to Buffering) but keeps the playout head, and the flag that stops
// the next first packet from setting it: a stream pushed after the clear
// never plays. ReceiverInterceptor calls Clear(true) from
// UnbindRemoteStream.
//
//	New(WithMinimumPacketCount(1)), push 100, pop -> 100, Clear(true),
//	push 5000..5049, pop
//	expected: pop -> 5000
//	observed: pop -> ErrNotFound (the head is still 101), for good
func TestFindingClearKeepsPlayoutHead(t *testing.T) {
	a := New(jitterbuffer.WithMinimumPacketCount(1))
	_ = a.Push(100, payload(0))
	wantPop(t, a, 100, payload(0))
	a.JB.Clear(true)
	for s := uint16(5000); s < 5050; s++ {
		_ = a.Push(s, payload(uint64(s)))
	}
	wantPopErr(t, a, jitterbuffer.ErrNotFound)
	if h := a.JB.PlayoutHead(); h != 101 {
		t.Fatalf("playout head %d; observed until now 101", h)
	}
}

// TestFindingUnderflowDoesNotRebuffer (bug: the doc and the code disagree).
// The doc of Buffering says it is the state when the buffer "has hit an
// underflow and needs to re-buffer packets", but nothing ever goes back to
// Buffering: after an underflow, the next packet pops at once.
//
//	New(WithMinimumPacketCount(3)), push 0 1 2, pop x3, pop (underflow),
//	push 3, pop
//	expected (as documented): pop -> ErrPopWhileBuffering until 3 are held
//	observed: pop -> 3
func TestFindingUnderflowDoesNotRebuffer(t *testing.T) {
	a := New(jitterbuffer.WithMinimumPacketCount(3))
	for s := range uint16(3) {
		_ = a.Push(s, payload(uint64(s)))
	}
	for s := range uint16(3) {
		wantPop(t, a, s, payload(uint64(s)))
	}
	wantPopErr(t, a, jitterbuffer.ErrInvalidOperation) // empty: underflow
	_ = a.Push(3, payload(3))
	wantPop(t, a, 3, payload(3))
}

// TestFindingPopAtSequenceAdvancesHead (bug). PopAtSequence(s) advances the
// playout head by one whatever s is, so popping a packet ahead of the head
// makes Pop skip the packet at the head, which stays held for good.
//
//	New(WithMinimumPacketCount(1)), push 5 6 7, PopAtSequence(7), pop
//	expected: pop -> 5
//	observed: pop -> 6; 5 is never delivered
func TestFindingPopAtSequenceAdvancesHead(t *testing.T) {
	a := New(jitterbuffer.WithMinimumPacketCount(1))
	for s := uint16(5); s < 8; s++ {
		_ = a.Push(s, payload(uint64(s)))
	}
	if p, err := a.JB.PopAtSequence(7); err != nil || p.SequenceNumber != 7 {
		t.Fatalf("PopAtSequence(7) -> %v, %v", p, err)
	}
	wantPop(t, a, 6, payload(6))
	wantPopErr(t, a, jitterbuffer.ErrNotFound)
	if _, err := a.JB.PeekAtSequence(5); err != nil {
		t.Fatalf("5 is no longer held (%v); observed until now: held", err)
	}
}

// TestFindingPopAtTimestampPlainOrderAtWrap (bug). The queue is sorted by
// plain uint16 order, as NewQueue's comment says ("a packet with sequence
// number MaxUint16 - 1 will be after 0"); PopAtTimestamp, which the package
// offers to "drain the buffer at the timestamp" (the packets of one video
// frame share a timestamp), takes them in that order, so a frame that
// straddles the wrap is drained out of sequence order. Pop is not
// affected: it looks the playout head up by its exact sequence.
//
//	push 65535 0 1, all with timestamp 9; PopAtTimestamp(9) x3
//	expected: 65535, 0, 1
//	observed: 0, 1, 65535
func TestFindingPopAtTimestampPlainOrderAtWrap(t *testing.T) {
	jb := jitterbuffer.New(jitterbuffer.WithMinimumPacketCount(1))
	for _, s := range []uint16{65535, 0, 1} {
		jb.Push(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: s, Timestamp: 9}})
	}
	var got []uint16
	for range 3 {
		p, err := jb.PopAtTimestamp(9)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.SequenceNumber)
	}
	if want := []uint16{0, 1, 65535}; !slices.Equal(got, want) {
		t.Fatalf("PopAtTimestamp order %v; observed until now %v", got, want)
	}
}
