package netbuf

import "fmt"

// Check verifies the buffer's internal invariants and returns a description
// of the first one broken, or nil. It walks every held packet, so it costs
// O(Len()); it is a debugging aid for tests and fuzzing, not for the hot
// path. A correct buffer always returns nil when called outside its
// callbacks, including between the two halves of a two-phase operation.
func (b *UnorderedBuffer) Check() error {
	c, n := len(b.data), b.meta.Len()
	if c < 1 || b.meta.Cap() < 1 {
		return fmt.Errorf("netbuf: check: zero capacity (%d bytes, %d slots): not made by NewUnorderedBuffer", c, b.meta.Cap())
	}
	if err := b.meta.check(); err != nil {
		return err
	}
	switch {
	case b.used < 0 || b.used > c:
		return fmt.Errorf("netbuf: check: used %d outside [0, %d]", b.used, c)
	case b.state == phaseCallback:
		return fmt.Errorf("netbuf: check: busy outside a callback")
	case b.state > phasePeeked:
		return fmt.Errorf("netbuf: check: unknown phase %d", b.state)
	case n == 0 && (b.head != 0 || b.used != 0):
		return fmt.Errorf("netbuf: check: empty but head %d used %d (want 0, 0)", b.head, b.used)
	}
	if err := b.checkPackets(); err != nil {
		return err
	}
	switch b.state {
	case phaseReserved:
		// Nothing can change while the reservation is open, so it is still
		// exactly the room a reservation of the same size would get now.
		w := b.res
		off, win := b.tailRoom()
		off, pad, err := b.place(w.max, b.meta.Full(), off, win)
		if err != nil || off != w.off || pad != w.pad {
			return fmt.Errorf("netbuf: check: reservation of %d bytes at %d padding %d, but the room is at %d padding %d (%v)",
				w.max, w.off, w.pad, off, pad, err)
		}
	case phasePeeked:
		if n == 0 {
			return fmt.Errorf("netbuf: check: peek open on an empty buffer")
		}
		if s := b.meta.front(); b.res.max != int(s.len)+int(s.pad) {
			return fmt.Errorf("netbuf: check: peek frees %d bytes, but the oldest packet has %d and padding %d", b.res.max, s.len, s.pad)
		}
	}
	return nil
}

// checkPackets walks the held packets from head: each lies inside the
// storage right after the one before it, only a packet followed by a wrap
// carries padding, and used is the sum of lengths and padding.
func (b *UnorderedBuffer) checkPackets() error {
	c, n := len(b.data), b.meta.Len()
	pos, sum := b.head, 0 // where the next packet must start; bytes walked
	for i := range n {
		s := *b.meta.at(i)
		off, ln, pad := int(s.off), int(s.len), int(s.pad)
		switch {
		case off != pos:
			return fmt.Errorf("netbuf: check: packet %d of %d at offset %d, want %d", i, n, off, pos)
		case off >= c || off+ln > c:
			return fmt.Errorf("netbuf: check: packet %d [%d, %d) outside [0, %d)", i, off, off+ln, c)
		case pad > 0 && off+ln+pad != c:
			return fmt.Errorf("netbuf: check: packet %d [%d, %d) padding %d does not end at %d", i, off, off+ln, pad, c)
		case pad > 0 && i == n-1:
			return fmt.Errorf("netbuf: check: newest packet %d carries padding %d with no wrap after it", i, pad)
		}
		sum += ln + pad
		pos = off + ln + pad
		if pos == c {
			pos = 0
		}
	}
	if sum != b.used {
		return fmt.Errorf("netbuf: check: used %d but packets and padding sum to %d", b.used, sum)
	}
	return nil
}
