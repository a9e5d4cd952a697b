package netbuf

// Placement: where the next packet goes (docs/SPEC.md, "Geometry"), and how
// a packet is recorded once written. The common case, room at the tail,
// is decided by helpers small enough to inline into every push; errors and
// the wrap to offset 0 are out of line.

// tailRoom returns where a packet goes if it fits at the tail, and how many
// bytes fit there (always >= 0).
func (b *UnorderedBuffer) tailRoom() (off, win int) {
	c := len(b.data)
	off = b.head + b.used // t, in [0, 2C)
	win = c - off         // tail window when not wrapped
	if win <= 0 {
		// Wrapped (t > C), or t == C, which behaves the same: the room is
		// the gap from the wrapped tail up to head, C-u bytes. (At t == C
		// the newest packet would be padded by C-t = 0 bytes and the new
		// one start at 0: the same packet at the same place.)
		off -= c
		win = c - b.used
	}
	return off, win
}

// fitsTail reports whether a packet of up to maxSize bytes can be pushed at
// the tail now, win being tailRoom's window. Since win >= 0, the unsigned
// compare also rejects maxSize < 0.
func (b *UnorderedBuffer) fitsTail(maxSize, win int) bool {
	return uint(maxSize) <= uint(win) && !b.busy && !b.meta.Full()
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
	if b.busy {
		return 0, 0, ErrBusy
	}
	return b.place(maxSize, off, win)
}

// place is reserveSlow without the busy check (Check uses it to verify an
// open reservation).
func (b *UnorderedBuffer) place(maxSize, off, win int) (int, int, error) {
	c := len(b.data)
	switch {
	case maxSize < 0:
		return 0, 0, ErrInvalidSize
	case maxSize > c:
		return 0, 0, ErrTooLarge
	case b.meta.Full():
		return 0, 0, ErrWouldBlock
	case maxSize <= win:
		return off, 0, nil
	}
	// Only a buffer that is not wrapped, t < C, has a head window.
	if tail := b.head + b.used; tail < c && b.head >= maxSize {
		// Wrap: the newest packet carries the tail window as padding.
		// head > 0 here, so the buffer is not empty and that packet exists.
		return 0, c - tail, nil
	}
	return 0, 0, ErrWouldBlock
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
