package netbuf

import "fmt"

// Check verifies the buffer's internal invariants and returns a description
// of the first one broken, or nil: the storage of the arrivals (as
// UnorderedBuffer.Check), the held packets (distinct sequences, all in the
// window), the sequence index (exactly the held packets, each reachable from
// its home bucket) and the counters. It costs O(MaxPackets); it is a
// debugging aid for tests and fuzzing, not for the hot path. A correct
// buffer always returns nil.
func (b *OrderedBuffer) Check() error {
	c, m := len(b.data), uint64(b.mask)+1
	switch {
	case c < 1 || b.arr.Cap() < 1 || len(b.idx.tab) < 2:
		return fmt.Errorf("netbuf: check: zero capacity (%d bytes, %d slots, %d buckets): not made by NewOrderedBuffer", c, b.arr.Cap(), len(b.idx.tab))
	case b.bits < 2 || b.bits > 32 || m != uint64(1)<<b.bits:
		return fmt.Errorf("netbuf: check: %d sequence bits, mask %#x", b.bits, b.mask)
	case b.window < 1 || uint64(b.window) > m/2:
		return fmt.Errorf("netbuf: check: window %d outside [1, %d]", b.window, m/2)
	case b.next > b.mask:
		return fmt.Errorf("netbuf: check: next %d outside the %d-bit sequence space", b.next, b.bits)
	case uint64(len(b.idx.tab)) != uint64(b.idx.mask)+1 || uint64(len(b.idx.tab)) != uint64(1)<<(32-b.idx.shift):
		return fmt.Errorf("netbuf: check: index of %d buckets, mask %#x, shift %d", len(b.idx.tab), b.idx.mask, b.idx.shift)
	case 2*uint64(min(b.arr.Cap(), int(b.window))) > uint64(len(b.idx.tab)):
		return fmt.Errorf("netbuf: check: index of %d buckets for up to %d packets: load above 1/2", len(b.idx.tab), min(b.arr.Cap(), int(b.window)))
	}
	if err := b.arr.check(); err != nil {
		return err
	}
	if err := b.checkArrivals(); err != nil {
		return err
	}
	return b.checkIndex()
}

// checkArrivals walks the arrivals from head: their storage as
// UnorderedBuffer.checkPackets checks it, the oldest not yet freed, and the
// held ones counted, in the window, distinct, and found in the index.
func (b *OrderedBuffer) checkArrivals() error {
	c, n := len(b.data), b.arr.Len()
	if n == 0 && (b.head != 0 || b.used != 0) {
		return fmt.Errorf("netbuf: check: no arrival but head %d used %d (want 0, 0)", b.head, b.used)
	}
	if n > 0 && b.arr.front().done {
		return fmt.Errorf("netbuf: check: oldest arrival (seq %d) delivered or dropped but not freed", b.arr.front().seq)
	}
	pos, sum, held := b.head, 0, 0
	var far uint32 // largest distance held
	for i := range n {
		a := *b.arr.at(i)
		off, ln, pad := int(a.off), int(a.len), int(a.pad)
		switch {
		case off != pos:
			return fmt.Errorf("netbuf: check: arrival %d of %d at offset %d, want %d", i, n, off, pos)
		case off >= c || off+ln > c:
			return fmt.Errorf("netbuf: check: arrival %d [%d, %d) outside [0, %d)", i, off, off+ln, c)
		case pad > 0 && off+ln+pad != c:
			return fmt.Errorf("netbuf: check: arrival %d [%d, %d) padding %d does not end at %d", i, off, off+ln, pad, c)
		case pad > 0 && i == n-1:
			return fmt.Errorf("netbuf: check: newest arrival %d carries padding %d with no wrap after it", i, pad)
		case a.seq > b.mask:
			return fmt.Errorf("netbuf: check: arrival %d has sequence %d outside the %d-bit space", i, a.seq, b.bits)
		}
		sum += ln + pad
		if pos = off + ln + pad; pos == c {
			pos = 0
		}
		if a.done {
			continue
		}
		held++
		d := b.dist(a.seq)
		if d >= b.window {
			return fmt.Errorf("netbuf: check: held sequence %d at distance %d from next %d, outside the window %d", a.seq, d, b.next, b.window)
		}
		far = max(far, d)
		k := b.arr.index(i)
		if _, slot, ok := b.idx.find(a.seq); !ok || int(slot) != k {
			return fmt.Errorf("netbuf: check: held sequence %d (arrival slot %d) indexed at slot %d, found %v", a.seq, k, slot, ok)
		}
	}
	switch {
	case sum != b.used:
		return fmt.Errorf("netbuf: check: used %d but arrivals and padding sum to %d", b.used, sum)
	case held != b.held:
		return fmt.Errorf("netbuf: check: Len %d but %d arrivals are held", b.held, held)
	case held > 0 && b.dist(b.hi) != far:
		return fmt.Errorf("netbuf: check: highest held %d at distance %d, but the farthest held is at %d", b.hi, b.dist(b.hi), far)
	}
	return nil
}

// checkIndex checks that the index holds exactly Len() entries, each
// pointing at a held arrival of its sequence and reachable from its home
// bucket without crossing an empty one. With the walk of checkArrivals
// (every held arrival is found), index and held packets are the same set,
// so no sequence is held twice.
func (b *OrderedBuffer) checkIndex() error {
	x := &b.idx
	entries := 0
	for i, e := range x.tab {
		if e.slot == 0 {
			continue
		}
		entries++
		k := int(e.slot - 1)
		if k >= b.arr.Cap() {
			return fmt.Errorf("netbuf: check: bucket %d points at slot %d of %d", i, k, b.arr.Cap())
		}
		if b.arr.position(k) >= b.arr.Len() {
			return fmt.Errorf("netbuf: check: bucket %d (sequence %d) points at free arrival slot %d", i, e.seq, k)
		}
		if a := *b.arr.slot(k); a.seq != e.seq || a.done {
			return fmt.Errorf("netbuf: check: bucket %d (sequence %d) points at arrival of sequence %d, done %v", i, e.seq, a.seq, a.done)
		}
		for h := x.home(e.seq); h != uint32(i); h = (h + 1) & x.mask {
			if x.tab[h].slot == 0 {
				return fmt.Errorf("netbuf: check: bucket %d (sequence %d) unreachable: empty bucket %d after its home", i, e.seq, h)
			}
		}
	}
	if entries != b.held {
		return fmt.Errorf("netbuf: check: index holds %d sequences, Len %d", entries, b.held)
	}
	return nil
}
