package netbuf

// store is the storage geometry that UnorderedBuffer and OrderedBuffer
// share (docs/SPEC.md 1.3): one byte ring holding packets back to back in
// the order they were committed, each followed by padding only before a
// wrap to offset 0. The buffers keep their packets' metadata themselves
// (a slot per packet, an arrival per packet) and ask store where the next
// packet goes and what a push or a free does to h and u.
//
// The common case, room at the tail, is decided by tailRoom, small enough
// to inline into every push; errors and the wrap to offset 0 are place's.
type store struct {
	data []byte // storage ring; len(data) is C
	head int    // h: offset of the oldest packet's first byte; 0 when empty
	used int    // u: bytes held, padding included
}

// tailRoom returns where a packet goes if it fits at the tail, and how many
// bytes fit there (always >= 0).
func (s *store) tailRoom() (off, win int) {
	c := len(s.data)
	off = s.head + s.used // t, in [0, 2C)
	win = c - off         // tail window when not wrapped
	if win <= 0 {
		// Wrapped (t > C), or t == C, which behaves the same: the room is
		// the gap from the wrapped tail up to head, C-u bytes. (At t == C
		// the newest packet would be padded by C-t = 0 bytes and the new
		// one start at 0: the same packet at the same place.)
		off -= c
		win = c - s.used
	}
	return off, win
}

// place finds room for a packet of up to maxSize bytes given tailRoom's
// answer (off, win) and whether every metadata slot is taken (full): the
// first error of rules 1 and 4 that applies, or the packet's offset and
// the padding the newest held packet gets if it is committed. It changes
// nothing.
func (s *store) place(maxSize int, full bool, off, win int) (int, int, error) {
	c := len(s.data)
	switch {
	case maxSize < 0:
		return 0, 0, ErrInvalidSize
	case maxSize > c:
		return 0, 0, ErrTooLarge
	case full:
		return 0, 0, ErrWouldBlock
	case maxSize <= win:
		return off, 0, nil
	}
	// Only a buffer that is not wrapped, t < C, has a head window.
	if tail := s.head + s.used; tail < c && s.head >= maxSize {
		// Wrap: the newest packet carries the tail window as padding.
		// head > 0 here, so the buffer is not empty and that packet exists.
		return 0, c - tail, nil
	}
	return 0, 0, ErrWouldBlock
}

// contiguous returns the free bytes in one piece from off, where place put
// the next packet: the gap up to head when wrapped, the tail window when
// the packet goes at the tail, else (a wrap to 0) the head window.
func (s *store) contiguous(off int) int {
	c, tail := len(s.data), s.head+s.used
	switch {
	case tail > c:
		return c - s.used
	case off == tail:
		return c - tail
	default:
		return s.head
	}
}

// freeFront frees the oldest packet's size bytes (its length plus its
// padding, rule 6); empty tells that no packet is held any more, which
// starts the storage again at 0, so that the whole of it is one window.
func (s *store) freeFront(size int, empty bool) {
	s.used -= size
	s.head += size // the packet plus its padding end at or before C
	if s.head == len(s.data) || empty {
		// Wrapped to 0; or empty: used is 0 then (it is the sum over
		// held packets).
		s.head = 0
	}
}

// fitsTail reports whether a packet of up to maxSize bytes can be pushed at
// the tail now, win being tailRoom's window. Since win >= 0, the unsigned
// compare also rejects maxSize < 0.
func (b *UnorderedBuffer) fitsTail(maxSize, win int) bool {
	return uint(maxSize) <= uint(win) && !b.busy() && !b.meta.Full()
}

// reserve finds room for a packet of up to maxSize bytes: its offset, and
// the padding the newest held packet gets if this one is committed. It
// changes nothing.
func (b *UnorderedBuffer) reserve(maxSize int) (off, pad int, err error) {
	off, win := b.tailRoom()
	if b.fitsTail(maxSize, win) {
		return off, 0, nil
	}
	return b.reserveSlow(maxSize, off, win)
}

// reserveSlow is reserve once fitsTail has said no, given tailRoom's answer:
// the first error that applies, in the documented order, or the room that
// is left (the tail window, or a wrap to offset 0).
//
//go:noinline
func (b *UnorderedBuffer) reserveSlow(maxSize, off, win int) (int, int, error) {
	if b.busy() {
		return 0, 0, ErrBusy
	}
	return b.place(maxSize, b.meta.Full(), off, win)
}

// commit records a packet of n bytes at off, and pads the newest packet
// held by pad bytes (a wrap). Only called after a successful reserve.
func (b *UnorderedBuffer) commit(off, n, pad int) {
	if pad > 0 {
		b.padNewest(pad)
	}
	b.record(off, n)
}

// padNewest adds pad bytes of padding to the newest packet held.
//
//go:noinline
func (b *UnorderedBuffer) padNewest(pad int) {
	b.meta.back().pad += uint32(pad)
	b.used += pad
}

// record appends a packet of n bytes at off.
func (b *UnorderedBuffer) record(off, n int) {
	b.meta.pushBack(slot{off: uint32(off), len: uint32(n)})
	b.used += n
}
