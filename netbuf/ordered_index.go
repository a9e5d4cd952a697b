package netbuf

import "math/bits"

// seqIndex maps each sequence number an OrderedBuffer holds to its arrival
// slot (the slot's place in the arrival ring's backing array, which does not
// move while the packet is held). It is an open-addressing hash table with
// linear probing and backward-shift deletion, made once by NewOrderedBuffer:
// memory O(min(MaxPackets, Window)), whatever the width of the window.
//
// A buffer holds at most min(MaxPackets, Window) packets (held sequences
// are distinct and all lie in the window), and the table has at least twice
// as many buckets, a power of two, so the load factor stays <= 1/2 and
// every probe sequence ends at an empty bucket.
//
// The hash is Fibonacci hashing (the top bits of seq times 2^32/phi).
// Identity hashing (seq mod size) would never collide within a window that
// fits the table, but sequences held are mostly consecutive and would form
// one long run of full buckets; then every backward-shift deletion, that is
// every Pop, walks the whole run. Fibonacci hashing scatters consecutive
// sequences evenly, so runs stay short: O(1) expected per operation.
//
// The alternative, an array of Window entries indexed by sequence (the
// classic reorder ring), has no probing at all but costs memory O(Window),
// up to 2^31 entries for a full 32-bit window.
type seqIndex struct {
	tab   []bucket
	mask  uint32 // len(tab) - 1
	shift uint8  // 32 - log2(len(tab))
}

// bucket is one entry of the table: a held sequence and its arrival slot
// plus one; slot 0 marks an empty bucket.
type bucket struct {
	seq, slot uint32
}

// makeSeqIndex returns an empty index for up to n sequences (n >= 1): the
// next power of two >= n, doubled.
func makeSeqIndex(n int) seqIndex {
	lg := bits.Len64(uint64(n-1)) + 1 // 2^lg >= 2n
	size := uint64(1) << lg
	return seqIndex{tab: make([]bucket, size), mask: uint32(size - 1), shift: uint8(32 - lg)}
}

// home returns the bucket where a probe for seq starts.
func (x *seqIndex) home(seq uint32) uint32 {
	return (seq * 0x9E3779B9) >> (x.shift & 31)
}

// find returns the bucket holding seq and its arrival slot, with ok; or,
// if seq is not held, the empty bucket where insert would put it.
func (x *seqIndex) find(seq uint32) (at, slot uint32, ok bool) {
	at = x.home(seq)
	for {
		e := x.tab[at]
		if e.slot == 0 {
			return at, 0, false
		}
		if e.seq == seq {
			return at, e.slot - 1, true
		}
		at = (at + 1) & x.mask
	}
}

// insert puts seq with its arrival slot in bucket at, the empty bucket find
// returned for seq, with no change to the table in between.
func (x *seqIndex) insert(at, seq, slot uint32) {
	x.tab[at] = bucket{seq: seq, slot: slot + 1}
}

// remove empties bucket at, which holds a sequence, and shifts back the
// entries after it in its run that may move, so that every entry stays
// reachable from its home without crossing an empty bucket.
func (x *seqIndex) remove(at uint32) {
	j := at
	for {
		j = (j + 1) & x.mask
		e := x.tab[j]
		if e.slot == 0 {
			break
		}
		// e may move back to at if at lies on its probe path, [home, j):
		// the distance from its home to j is at least that from at to j.
		if h := x.home(e.seq); (j-h)&x.mask >= (j-at)&x.mask {
			x.tab[at] = e
			at = j
		}
	}
	x.tab[at] = bucket{}
}

// reset empties the table: O(len(tab)), a memory clear.
func (x *seqIndex) reset() { clear(x.tab) }
