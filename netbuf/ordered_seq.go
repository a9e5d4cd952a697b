package netbuf

import "slices"

// Sequence arithmetic of OrderedBuffer (docs/SPEC.md 6.2): M = 2^SeqBits,
// mask = M-1, and every distance is taken mod M, which uint32 arithmetic
// followed by "& mask" computes for every SeqBits up to 32.

// dist returns d(seq) = (seq - Next) mod M.
func (b *OrderedBuffer) dist(seq uint32) uint32 { return (seq - b.next) & b.mask }

// late reports whether a distance is late: d >= M/2, that is d > (M-1)/2.
func (b *OrderedBuffer) late(d uint32) bool { return d > b.mask>>1 }

// admit checks the sequence fill reported, in the documented order:
// ErrInvalidSeq, ErrLate, ErrDuplicate, then ErrAhead unless Resync is set.
// On success it returns the index bucket where seq goes, and whether seq is
// ahead of the window (to be resynchronised on commit). It changes nothing.
func (b *OrderedBuffer) admit(seq uint32) (at uint32, ahead bool, err error) {
	if seq > b.mask {
		return 0, false, ErrInvalidSeq
	}
	d := b.dist(seq)
	if b.late(d) {
		return 0, false, ErrLate
	}
	at, _, held := b.idx.find(seq)
	switch {
	case held: // only possible in the window
		return 0, false, ErrDuplicate
	case d < b.window:
		return at, false, nil
	case !b.resync:
		return 0, false, ErrAhead
	}
	return at, true, nil
}

// SkipTo gives up waiting for the sequences [Next, seq): it drops every held
// packet in that range, returns how many, and makes seq the new Next. seq
// may lie beyond the window, to resynchronise after a long loss; the packets
// held from seq on stay. It fails, changing nothing, with ErrBusy;
// ErrInvalidSize if seq >= 2^SeqBits; ErrLate if seq is late (d(seq) >=
// 2^SeqBits/2). SkipTo(Next()) changes nothing.
//
// It costs O(min(d(seq), MaxPackets())): it looks up each sequence given up
// or walks the arrival slots, whichever is shorter.
func (b *OrderedBuffer) SkipTo(seq uint32) (dropped int, err error) {
	switch {
	case b.busy:
		return 0, ErrBusy
	case seq > b.mask:
		return 0, ErrInvalidSize
	case b.late(b.dist(seq)):
		return 0, ErrLate
	}
	return b.skip(seq), nil
}

// skip is SkipTo once its checks have passed.
func (b *OrderedBuffer) skip(seq uint32) (dropped int) {
	d := b.dist(seq)
	switch {
	case b.held == 0 || d == 0:
		// Nothing to drop.
	case uint64(d) <= uint64(b.arr.Len()):
		// Fewer sequences to give up than arrivals: look each one up.
		for s := b.next; s != seq; s = (s + 1) & b.mask {
			if at, k, ok := b.idx.find(s); ok {
				b.drop(at, k)
				dropped++
			}
		}
	default:
		// More: walk the arrivals instead (every held packet is one).
		for i := range b.arr.Len() {
			if a := b.arr.at(i); !a.done && b.dist(a.seq) < d {
				at, k, _ := b.idx.find(a.seq)
				b.drop(at, k)
				dropped++
			}
		}
	}
	// The highest held sequence is still held, unless everything was
	// dropped (then hi is unused).
	b.next = seq
	b.free()
	return dropped
}

// deliver marks the packet with sequence Next, in bucket at and arrival
// slot k, delivered, advances Next and frees what storage it can.
func (b *OrderedBuffer) deliver(at, k uint32) {
	b.drop(at, k)
	b.next = (b.next + 1) & b.mask
	if b.arr.isFront(int(k)) {
		b.free()
	}
}

// noNext is why there is nothing to pop: ErrGap if packets are held, else
// ErrEmpty.
func (b *OrderedBuffer) noNext() error {
	if b.held > 0 {
		return ErrGap
	}
	return ErrEmpty
}

// drop marks the held packet in bucket at and arrival slot k as gone
// (delivered or dropped). The caller frees the storage.
func (b *OrderedBuffer) drop(at, k uint32) {
	b.idx.remove(at)
	b.arr.slot(int(k)).done = true
	b.held--
}

// AppendMissing appends to dst, in sequence order from Next, up to max of
// the sequences in [Next, highest held) that are not held: the gaps a
// receiver may ask the sender to repeat (a NACK). It returns dst unchanged
// if max <= 0 or nothing is held, and allocates only if dst has no room
// for what it appends (then once). It changes nothing, and answers from
// inside a callback too.
//
// It costs O(min(max, missing) + Len()) index lookups: it walks the
// sequences from Next, and each one it passes is either appended or held.
func (b *OrderedBuffer) AppendMissing(dst []uint32, max int) []uint32 {
	if max <= 0 || b.held == 0 {
		return dst
	}
	// Every held packet lies in [Next, hi], so hi's distance plus one,
	// minus Len, sequences below hi are missing.
	want := int(b.dist(b.hi)) + 1 - b.held
	if want > max {
		want = max
	}
	dst = slices.Grow(dst, want)
	for s := b.next; want > 0; s = (s + 1) & b.mask {
		if _, _, held := b.idx.find(s); !held {
			dst = append(dst, s)
			want--
		}
	}
	return dst
}
