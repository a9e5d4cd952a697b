// Package slicebuf is a second, independent implementation of netbuf's
// UnorderedBuffer, written from the specification alone (docs/SPEC.md: the
// API, the geometry, the answers, atomic failure and the invariants)
// with a different internal design: one []byte of Cap() bytes,
// plus a plain Go slice of packet records appended at the back and resliced
// at the front (no metadata ring).
//
// It exists to show that properties.CheckUnordered checks the contract and
// nothing more: a port that follows only the contract passes the suite with
// default options. It deliberately has none of netbuf's own additions: a nil
// fill or consume panics like any call of a nil func (the buffer stays
// usable), and there is no PushBatch, no Check, no two-phase API. It returns
// netbuf's sentinel errors, and io.ErrShortBuffer from Pop.
package slicebuf

import (
	"io"

	"github.com/netbuf-go/netbuf/netbuf"
)

// maxArg is the largest capacityBytes or maxPackets New accepts.
const maxArg = 1<<31 - 1

// record is one held packet: its bytes are storage[off:off+n], and pad bytes
// after them (up to the end of storage) are skipped because the next packet
// wrapped to offset 0.
type record struct{ off, n, pad int }

// Buffer is a receive buffer for datagrams, as in the contract. It is owned
// by one goroutine at a time.
type Buffer struct {
	storage []byte
	maxPkts int
	used    int      // bytes held, padding included
	recs    []record // held packets, oldest first; a window of base
	base    []record // the whole backing array of recs, from index 0
	busy    bool     // inside fill or consume
}

// New returns an empty buffer of capacityBytes storage bytes and maxPackets
// metadata slots. Both must be in [1, 1<<31-1], else netbuf.ErrInvalidSize.
func New(capacityBytes, maxPackets int) (*Buffer, error) {
	if capacityBytes < 1 || capacityBytes > maxArg || maxPackets < 1 || maxPackets > maxArg {
		return nil, netbuf.ErrInvalidSize
	}
	return &Buffer{storage: make([]byte, capacityBytes), maxPkts: maxPackets}, nil
}

// head is the offset of the oldest packet's first byte; 0 when empty.
func (b *Buffer) head() int {
	if len(b.recs) == 0 {
		return 0
	}
	return b.recs[0].off
}

// place applies the contract's geometry to a reservation of maxSize bytes
// (0 <= maxSize <= Cap()). It returns the packet's offset and the padding the
// newest held packet gets on commit, or ok == false for ErrWouldBlock.
func (b *Buffer) place(maxSize int) (off, pad int, ok bool) {
	c, h, u := len(b.storage), b.head(), b.used
	if u > c-h { // wrapped: t = h+u > C (compared this way so it cannot overflow)
		if c-u >= maxSize {
			return u - (c - h), 0, true // t mod C
		}
		return 0, 0, false
	}
	tailWin := c - h - u
	if tailWin >= maxSize {
		return (h + u) % c, 0, true
	}
	if h >= maxSize { // head window; maxSize > tailWin >= 0, so a packet is held
		return 0, tailWin, true
	}
	return 0, 0, false
}

// PushWith reserves maxSize contiguous bytes, passes exactly those bytes to
// fill and commits p[:n] as one packet. It returns n and nil, or 0 and the
// error; on any failure, a panic in fill included, nothing is committed.
func (b *Buffer) PushWith(maxSize int, fill func(p []byte) (int, error)) (int, error) {
	switch {
	case b.busy:
		return 0, netbuf.ErrBusy
	case maxSize < 0:
		return 0, netbuf.ErrInvalidSize
	case maxSize > len(b.storage):
		return 0, netbuf.ErrTooLarge
	case len(b.recs) >= b.maxPkts:
		return 0, netbuf.ErrWouldBlock
	}
	off, pad, ok := b.place(maxSize)
	if !ok {
		return 0, netbuf.ErrWouldBlock
	}
	b.busy = true
	defer func() { b.busy = false }() // also when fill panics
	n, err := fill(b.storage[off : off+maxSize : off+maxSize])
	if err != nil {
		return 0, err
	}
	if n < 0 || n > maxSize {
		return 0, netbuf.ErrInvalidLength
	}
	if pad > 0 {
		b.recs[len(b.recs)-1].pad += pad
	}
	b.appendRecord(record{off: off, n: n})
	b.used += pad + n
	return n, nil
}

// appendRecord appends r at the back of recs. When recs has reached the end
// of base, the live records slide back to the front of base if they fill at
// most half of it, else base grows; so base stays within about twice the
// packets held and a steady push/pop loop does not allocate.
func (b *Buffer) appendRecord(r record) {
	if len(b.recs) == cap(b.recs) {
		if live := len(b.recs); live > 0 && live <= cap(b.base)/2 {
			b.recs = b.base[:copy(b.base[:live], b.recs)]
		} else {
			b.base = make([]record, live, 2*live+4)
			copy(b.base, b.recs)
			b.recs = b.base
		}
	}
	b.recs = append(b.recs, r)
}

// Push copies p in as one packet (maxSize = len(p)).
func (b *Buffer) Push(p []byte) error {
	_, err := b.PushWith(len(p), func(dst []byte) (int, error) {
		return copy(dst, p), nil
	})
	return err
}

// PopWith passes the oldest packet to consume (the slice aliases the buffer
// and is valid only during the call) and removes it only if consume returns
// nil; otherwise consume's error is returned unchanged.
func (b *Buffer) PopWith(consume func(p []byte) error) error {
	if b.busy {
		return netbuf.ErrBusy
	}
	if len(b.recs) == 0 {
		return netbuf.ErrEmpty
	}
	r := b.recs[0]
	b.busy = true
	defer func() { b.busy = false }() // also when consume panics
	if err := consume(b.storage[r.off : r.off+r.n : r.off+r.n]); err != nil {
		return err
	}
	b.recs = b.recs[1:]
	b.used -= r.n + r.pad
	if len(b.recs) == 0 {
		b.recs, b.used = b.base[:0], 0
	}
	return nil
}

// Pop copies the oldest packet into dst and removes it. If the packet is
// longer than len(dst), it returns io.ErrShortBuffer and keeps the packet.
func (b *Buffer) Pop(dst []byte) (int, error) {
	var n int
	err := b.PopWith(func(p []byte) error {
		if len(p) > len(dst) {
			return io.ErrShortBuffer
		}
		n = copy(dst, p)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Len returns the number of packets held.
func (b *Buffer) Len() int { return len(b.recs) }

// Used returns the storage bytes held, padding included.
func (b *Buffer) Used() int { return b.used }

// Cap returns the storage size in bytes.
func (b *Buffer) Cap() int { return len(b.storage) }

// MaxPackets returns the number of metadata slots.
func (b *Buffer) MaxPackets() int { return b.maxPkts }

// Reset drops every packet. Called from inside fill or consume it does nothing.
func (b *Buffer) Reset() {
	if b.busy {
		return
	}
	b.recs, b.used = b.base[:0], 0
}
