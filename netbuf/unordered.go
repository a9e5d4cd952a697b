package netbuf

import (
	"io"
	"math"
)

// MaxCapacity is the largest capacityBytes and the largest maxPackets that
// NewUnorderedBuffer accepts. Offsets, lengths and padding are stored as
// uint32 in a 12-byte metadata entry; the limit is MaxInt32 rather than
// MaxUint32 so that every size is also an int on 32-bit platforms.
const MaxCapacity = math.MaxInt32

// slot is one metadata entry: where a packet lies in the storage ring and
// how many unused bytes follow it before the wrap to offset 0.
type slot struct {
	off uint32 // first byte, in [0, C)
	len uint32 // packet length; 0 is a real (empty) packet
	pad uint32 // bytes skipped after the packet; > 0 only before a wrap, and then off+len+pad == C
}

// UnorderedBuffer stores variable-length datagrams back to back in one byte
// ring, indexed by a ring of metadata entries, and hands them out in arrival
// order. A producer reserves room for the largest datagram it may receive
// and commits only what was written into it; a packet that does not fit at
// the tail goes to offset 0, and the bytes it skipped become padding of the
// packet before it. Push and pop are O(1) and allocate nothing.
//
// The exact placement rules are in docs/SPEC.md; in short, with C = Cap(),
// head h (offset of the oldest packet) and used u (bytes held, padding
// included):
//
//	not wrapped (h+u <= C):  [....h#####t......]  tail window C-t, head window h
//	wrapped     (h+u >  C):  [###t......h####pp]  tail window C-u, head window 0
//
// Every failure is atomic: an error or a panic from fill or consume, or
// bad input, leaves the buffer exactly as it was.
//
// The buffer is busy inside its own fill and consume callbacks, and between
// the two halves of a two-phase operation (Reserve and Commit or Abort, Peek
// and Release). A busy buffer answers ErrBusy to every call but the one that
// ends the open operation, and Reset does nothing.
//
// A buffer is owned by one goroutine at a time; it has no lock.
type UnorderedBuffer struct {
	store            // the storage ring: data, head h and used u
	meta  Ring[slot] // one entry per held packet, oldest first
	state phase      // what the buffer is busy with, if anything: the one field every refusal tests
	res   window     // the open reservation, while state == phaseReserved
}

// NewUnorderedBuffer returns an empty buffer with capacityBytes bytes of
// storage and room for maxPackets packets. Both must be in [1, MaxCapacity],
// else ErrInvalidSize, wrapped with the first argument out of range. It
// makes exactly two allocations: storage and metadata.
func NewUnorderedBuffer(capacityBytes, maxPackets int) (*UnorderedBuffer, error) {
	if capacityBytes < 1 || capacityBytes > MaxCapacity {
		return nil, sizeError("NewUnorderedBuffer", "capacityBytes", int64(capacityBytes), 1, MaxCapacity)
	}
	if maxPackets < 1 || maxPackets > MaxCapacity {
		return nil, sizeError("NewUnorderedBuffer", "maxPackets", int64(maxPackets), 1, MaxCapacity)
	}
	return &UnorderedBuffer{
		store: store{data: make([]byte, capacityBytes)},
		meta:  makeRing[slot](maxPackets),
	}, nil
}

// Len returns the number of packets held.
func (b *UnorderedBuffer) Len() int { return b.meta.Len() }

// Used returns the storage bytes held, padding included.
func (b *UnorderedBuffer) Used() int { return b.used }

// Cap returns the storage size in bytes, as given to NewUnorderedBuffer.
func (b *UnorderedBuffer) Cap() int { return len(b.data) }

// MaxPackets returns the number of metadata slots, as given to
// NewUnorderedBuffer.
func (b *UnorderedBuffer) MaxPackets() int { return b.meta.Cap() }

// Reset drops every packet. While the buffer is busy (inside one of its
// callbacks, or between the halves of a two-phase operation) it does
// nothing.
func (b *UnorderedBuffer) Reset() {
	if b.busy() {
		return
	}
	b.meta.reset()
	b.head, b.used = 0, 0
}

// Callbacks run between b.enter() and a deferred b.leave(): the deferred
// call ends the busy state even if the callback panics, so the buffer stays
// usable, and unchanged since nothing is committed before the callback
// returns.

func (b *UnorderedBuffer) enter() { b.state = phaseCallback }
func (b *UnorderedBuffer) leave() { b.state = phaseNone }

// busy reports whether the buffer refuses every call but the one that ends
// what it is busy with.
func (b *UnorderedBuffer) busy() bool { return b.state != phaseNone }

// PushWith reserves maxSize contiguous bytes, passes exactly those bytes to
// fill (len(p) == cap(p) == maxSize) and commits p[:n] as one packet. fill
// has the shape of io.Reader.Read, so a socket's Read can be passed as is:
//
//	n, err := buf.PushWith(mtu, conn.Read)
//
// On success it returns n and nil. Otherwise it returns 0 and, the first that
// applies: ErrBusy if the buffer is busy; ErrInvalidSize if maxSize < 0;
// ErrTooLarge if maxSize > Cap(); ErrWouldBlock if no room is free for
// maxSize bytes or a metadata slot; ErrNilFunc if fill is nil (fill is not
// called in any of these cases); the error fill returned, unchanged,
// whatever n it gave; or ErrInvalidLength if fill reported n < 0 or
// n > maxSize. Nothing is committed on failure, and a panic in fill
// propagates with the buffer unchanged.
func (b *UnorderedBuffer) PushWith(maxSize int, fill func(p []byte) (n int, err error)) (int, error) {
	off, win := b.tailRoom()
	if !b.fitsTail(maxSize, win) || fill == nil {
		return b.pushSlow(maxSize, fill, off, win)
	}
	end := off + maxSize
	p := b.data[off:end:end]
	b.enter()
	defer b.leave()
	n, err := fill(p)
	if err != nil {
		return 0, err
	}
	if uint(n) > uint(maxSize) { // catches n < 0 too
		return 0, ErrInvalidLength
	}
	b.record(off, n)
	return n, nil
}

// pushSlow is PushWith when the packet does not go at the tail, given
// tailRoom's answer: an error, or a wrap to offset 0 that pads the newest
// packet.
//
//go:noinline
func (b *UnorderedBuffer) pushSlow(maxSize int, fill func(p []byte) (n int, err error), off, win int) (int, error) {
	off, pad, err := b.reserveSlow(maxSize, off, win)
	if err != nil {
		return 0, err
	}
	if fill == nil {
		return 0, ErrNilFunc
	}
	end := off + maxSize
	p := b.data[off:end:end]
	b.enter()
	defer b.leave()
	n, err := fill(p)
	if err != nil {
		return 0, err
	}
	if uint(n) > uint(maxSize) {
		return 0, ErrInvalidLength
	}
	b.commit(off, n, pad)
	return n, nil
}

// Push copies p in as one packet. It fails, changing nothing, as PushWith
// does with maxSize = len(p).
func (b *UnorderedBuffer) Push(p []byte) error {
	off, pad, err := b.reserve(len(p))
	if err != nil {
		return err
	}
	copy(b.data[off:], p)
	b.commit(off, len(p), pad)
	return nil
}

// PopWith passes the oldest packet to consume and removes it if consume
// returns nil. The slice aliases the buffer (len == cap == the packet's
// length) and is valid only during the call. It returns ErrBusy if the
// buffer is busy, ErrNilFunc if consume is nil, ErrEmpty if no packet is
// held, or consume's error unchanged, in which case the packet stays. A
// panic in consume propagates and the packet stays.
func (b *UnorderedBuffer) PopWith(consume func(p []byte) error) error {
	switch {
	case b.busy():
		return ErrBusy
	case consume == nil:
		return ErrNilFunc
	case b.meta.Len() == 0:
		return ErrEmpty
	}
	s := *b.meta.front()
	off, end := int(s.off), int(s.off)+int(s.len)
	p := b.data[off:end:end]
	b.enter()
	defer b.leave()
	if err := consume(p); err != nil {
		return err
	}
	// s is still the oldest packet: while busy, the buffer refused every
	// change.
	b.drop(s)
	return nil
}

// Pop copies the oldest packet into dst, removes it and returns its length.
// It returns ErrBusy if the buffer is busy, ErrEmpty if no packet is held,
// or io.ErrShortBuffer if len(dst) is less than the packet's length, in
// which case the packet stays.
func (b *UnorderedBuffer) Pop(dst []byte) (int, error) {
	switch {
	case b.busy():
		return 0, ErrBusy
	case b.meta.Len() == 0:
		return 0, ErrEmpty
	}
	s := *b.meta.front()
	n := int(s.len)
	if len(dst) < n {
		return 0, io.ErrShortBuffer
	}
	copy(dst, b.data[s.off:int(s.off)+n])
	b.drop(s)
	return n, nil
}

// drop removes the oldest packet, s (read by the caller), freeing its
// length and its padding.
func (b *UnorderedBuffer) drop(s slot) {
	b.freeFront(int(s.len)+int(s.pad), b.meta.dropFront())
}
