package netbuf

import "fmt"

// Check verifies the invariants of an SPSC buffer as its producer sees it,
// and returns a description of the first one broken, or nil: counts
// within the slots, each held packet inside the storage right after the
// one before it, padding only before a wrap and ending exactly at Cap,
// Used the sum of lengths and padding, and an open reservation clear of
// every held packet's bytes. It walks every held packet (O(Len())), and it
// may run while the consumer works, but only on the producer's goroutine:
// it is a debugging aid for tests, not for the hot path.
func (w *Producer) Check() error {
	s := w.s
	c, slots := len(s.data), uint64(len(s.slots))
	p := w.loadPopped()
	n := w.pushed - p
	switch {
	case s.pushed.Load() != w.pub || w.pub > w.pushed:
		return fmt.Errorf("netbuf: check: published count %d, producer's %d of %d", s.pushed.Load(), w.pub, w.pushed)
	case p > w.pushed || n > slots:
		return fmt.Errorf("netbuf: check: %d released of %d committed with %d slots", p, w.pushed, slots)
	case w.end < 0 || w.end > c:
		return fmt.Errorf("netbuf: check: newest packet ends at %d, outside [0, %d]", w.end, c)
	case w.open && !w.busy:
		return fmt.Errorf("netbuf: check: reservation open but not busy")
	case w.wi != int(w.pushed%slots):
		return fmt.Errorf("netbuf: check: next slot %d, want %d", w.wi, w.pushed%slots)
	case n > 0 && (w.hOff != int(s.slots[p%slots].off) || w.hStart != w.start[p%slots]):
		return fmt.Errorf("netbuf: check: cached head at %d start %d, packet %d is at %d start %d",
			w.hOff, w.hStart, p, s.slots[p%slots].off, w.start[p%slots])
	}
	sum := 0
	pos := -1 // where the next packet must start
	for i := p; i < w.pushed; i++ {
		sl := s.slots[i%slots]
		off, ln := int(sl.off), int(sl.len)
		next := w.written
		if i+1 < w.pushed {
			next = w.start[(i+1)%slots]
		}
		pad := int(next-w.start[i%slots]) - ln
		switch {
		case pos >= 0 && off != pos:
			return fmt.Errorf("netbuf: check: packet %d of %d at offset %d, want %d", i-p, n, off, pos)
		case off >= c || off+ln > c:
			return fmt.Errorf("netbuf: check: packet %d [%d, %d) outside [0, %d)", i-p, off, off+ln, c)
		case pad < 0 || pad > 0 && off+ln+pad != c:
			return fmt.Errorf("netbuf: check: packet %d [%d, %d) padding %d does not end at %d", i-p, off, off+ln, pad, c)
		case i+1 == w.pushed && off+ln != w.end:
			return fmt.Errorf("netbuf: check: newest packet ends at %d, producer says %d", off+ln, w.end)
		case w.open && ln > 0 && w.res.max > 0 && off < w.res.off+w.res.max && w.res.off < off+ln:
			return fmt.Errorf("netbuf: check: reservation [%d, %d) overlaps held packet %d [%d, %d)",
				w.res.off, w.res.off+w.res.max, i-p, off, off+ln)
		}
		sum += ln + pad
		if pos = off + ln + pad; pos == c {
			pos = 0
		}
	}
	if u := w.used(); sum != u || u > c {
		return fmt.Errorf("netbuf: check: used %d but packets and padding sum to %d (cap %d)", u, sum, c)
	}
	if w.open && (w.res.off < 0 || w.res.off+w.res.max > c || w.res.pad > 0 && w.res.off != 0) {
		return fmt.Errorf("netbuf: check: reservation at %d of %d bytes padding %d", w.res.off, w.res.max, w.res.pad)
	}
	return nil
}
