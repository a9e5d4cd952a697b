package netbuf

import (
	"io"
	"sync/atomic"
)

// NewSPSC returns the two halves of one empty single-producer
// single-consumer buffer: capacityBytes bytes of storage and room for
// maxPackets packets, both in [1, MaxCapacity], else ErrInvalidSize.
//
// The Producer and the Consumer may each be used by a different goroutine
// at the same time, with no lock: they share only two counters (packets
// committed, packets released), read and written with sync/atomic. Each
// half on its own is owned by one goroutine at a time, like any Go value.
// Packets are stored as in UnorderedBuffer (back to back in one byte
// array, padding before a wrap), with one difference in where a packet
// goes when the buffer is empty (docs/SPEC.md, section 7):
//
//   - UnorderedBuffer restarts at offset 0 whenever it empties. Here the
//     producer cannot know when the consumer empties the buffer, so an
//     empty buffer keeps its place: the next packet goes where the last
//     one ended if it fits there, and at offset 0 otherwise (an empty
//     buffer still accepts any maxSize up to Cap).
//   - The consumer may pop while a reservation is open. If it pops the
//     packet a wrapping reservation was to pad, no padding is added.
//
// The producer's view of the consumer may be stale: it then sees less
// room than there is, never room that a held packet still occupies, and it
// reads the consumer's count again before it answers anything but a
// placement at the tail.
//
// It makes a fixed number of allocations (storage, metadata, the halves,
// two 1-buffered channels for Wait) and none per packet.
func NewSPSC(capacityBytes, maxPackets int) (*Producer, *Consumer, error) {
	if capacityBytes < 1 || capacityBytes > MaxCapacity || maxPackets < 1 || maxPackets > MaxCapacity {
		return nil, nil, ErrInvalidSize
	}
	s := &spscShared{
		data:  make([]byte, capacityBytes),
		slots: make([]spscSlot, maxPackets),
	}
	s.ready.init()
	s.room.init()
	return &Producer{s: s, start: make([]uint64, maxPackets)}, &Consumer{s: s}, nil
}

// spscSlot is one packet's place in the storage. The producer writes it
// before it publishes the packet (spscShared.pushed) and does not write it
// again until the consumer has released the packet (spscShared.popped), so
// both halves read it with no atomic operation.
type spscSlot struct {
	off uint32 // first byte, in [0, C)
	len uint32 // packet length; 0 is a real (empty) packet
}

// cacheLinePad keeps fields written by different goroutines on different
// cache lines (64 bytes on amd64 and arm64; a second line guards against
// the adjacent-line prefetcher).
type cacheLinePad [128]byte

// spscShared is what both halves reach. Only the atomics change after
// NewSPSC; everything else in it is fixed.
type spscShared struct {
	data  []byte     // storage; len(data) is C
	slots []spscSlot // slot i%S holds packet i

	_      cacheLinePad
	pushed atomic.Uint64 // packets committed, ever: stored by the producer after the packet's bytes and slot (release)
	_      cacheLinePad
	popped atomic.Uint64 // packets released, ever: stored by the consumer after its last read of the packet (release)
	_      cacheLinePad
	closed atomic.Bool // stored by Producer.Close after its last commit
	ready  notifier    // the consumer waits here for a packet (Consumer.Wait)
	room   notifier    // the producer waits here for room (Producer.Wait)
}

// Producer is the writing half of an SPSC buffer (see NewSPSC): Reserve
// and Commit or Abort, PushWith, Push, Wait for room, Close. It is owned by
// one goroutine at a time, which may differ from the Consumer's.
//
// The producer keeps all byte accounting itself: it remembers where every
// held packet starts, so the consumer only ever publishes a count. The
// buffer is busy inside fill and between Reserve and Commit or Abort; a
// busy producer answers ErrBusy to every call of its own but the ending
// one. The Consumer is not affected: it may pop while the producer fills.
type Producer struct {
	s       *spscShared
	pushed  uint64   // packets committed, deferred ones included
	pub     uint64   // packets published: s.pushed, which only this half stores
	wi      int      // pushed % S: the slot of the next packet
	popped  uint64   // s.popped as last loaded: never more than the true count
	hOff    int      // while popped < pushed: where packet popped (the oldest held) starts
	hStart  uint64   // and start[popped%S]
	written uint64   // bytes committed, padding included, ever
	start   []uint64 // start[i%S]: written before packet i (after the padding of packet i-1)
	end     int      // where the newest packet committed ends, in [0, C]
	busy    bool     // in fill, or a reservation open
	open    bool     // a reservation open
	closed  bool
	res     spscRes
}

// spscRes is an open reservation.
type spscRes struct {
	off, max, pad int
}

// Consumer is the reading half of an SPSC buffer (see NewSPSC): Peek and
// Release, PopWith, Pop, Wait for a packet. It is owned by one goroutine
// at a time, which may differ from the Producer's. The buffer is busy
// inside consume and between Peek and Release, for the Consumer's own
// calls only.
type Consumer struct {
	s      *spscShared
	popped uint64 // packets released, deferred ones included
	pub    uint64 // releases published: s.popped, which only this half stores
	ri     int    // popped % S: the slot of the oldest packet
	pushed uint64 // s.pushed as last loaded: never more than the true count
	busy   bool   // in consume, or a peek open
	open   bool   // a peek open
}

// Cap returns the storage size in bytes, as given to NewSPSC.
func (w *Producer) Cap() int { return len(w.s.data) }

// MaxPackets returns the number of metadata slots, as given to NewSPSC.
func (w *Producer) MaxPackets() int { return len(w.s.slots) }

// Len returns the number of packets held (committed and not yet
// released), as of now: the consumer may release more at any time.
func (w *Producer) Len() int { return int(w.pushed - w.loadPopped()) }

// Used returns the storage bytes held, padding included, as of now.
func (w *Producer) Used() int {
	w.loadPopped()
	return w.used()
}

// loadPopped loads the consumer's count and caches it, with where the
// oldest held packet starts (one division, on this slow path only).
func (w *Producer) loadPopped() uint64 {
	p := w.s.popped.Load()
	if p != w.popped {
		w.popped = p
		if p != w.pushed {
			i := p % uint64(len(w.s.slots))
			w.hOff, w.hStart = int(w.s.slots[i].off), w.start[i]
		}
	}
	return p
}

// used is the bytes held with the cached count of released packets.
func (w *Producer) used() int {
	if w.popped == w.pushed {
		return 0
	}
	return int(w.written - w.hStart)
}

// room returns where a packet goes at the tail and the tail window, with
// the cached count of released packets (SPEC 7, rule 3): the end of the
// held bytes, or where the last packet ended when none is held.
func (w *Producer) room() (off, win int) {
	c := len(w.s.data)
	if w.popped == w.pushed {
		if off = w.end; off == c {
			off = 0
		}
		return off, c - off
	}
	u := int(w.written - w.hStart)
	if t := w.hOff + u; t < c {
		return t, c - t
	} else {
		// Wrapped, or t == C, which behaves the same (as in
		// UnorderedBuffer.tailRoom): the gap from the wrapped tail to h.
		return t - c, c - u
	}
}

// fits reports, from the cached count alone, whether a packet of up to
// maxSize bytes goes at the tail now, and where. The consumer only ever
// releases, and a release never shrinks the tail window nor moves the
// tail, so a yes from a stale count is the answer the true count gives.
func (w *Producer) fits(maxSize int) (off int, ok bool) {
	if w.busy || w.closed || w.pushed-w.popped == uint64(len(w.s.slots)) {
		return 0, false
	}
	off, win := w.room()
	return off, uint(maxSize) <= uint(win)
}

// place is the whole placement decision (SPEC 7, rules 1 to 4) on a fresh
// load of the consumer's count: the offset, and the padding the newest
// held packet gets on commit.
//
//go:noinline
func (w *Producer) place(maxSize int) (off, pad int, err error) {
	c := len(w.s.data)
	switch {
	case w.busy:
		return 0, 0, ErrBusy
	case w.closed:
		return 0, 0, ErrClosed
	case maxSize < 0:
		return 0, 0, ErrInvalidSize
	case maxSize > c:
		return 0, 0, ErrTooLarge
	}
	p := w.loadPopped()
	if w.pushed-p == uint64(len(w.s.slots)) {
		return 0, 0, ErrWouldBlock
	}
	off, win := w.room()
	if maxSize <= win {
		return off, 0, nil
	}
	if p == w.pushed {
		return 0, 0, nil // empty: restart at 0, nothing to pad
	}
	if t := w.hOff + w.used(); t < c && w.hOff >= maxSize {
		return 0, c - t, nil
	}
	return 0, 0, ErrWouldBlock
}

// reserve is place with the fast path first.
func (w *Producer) reserve(maxSize int) (off, pad int, err error) {
	if off, ok := w.fits(maxSize); ok {
		return off, 0, nil
	}
	return w.place(maxSize)
}

// record commits a packet of n bytes at off, padding the newest held
// packet by pad bytes, without publishing it (publish does).
func (w *Producer) record(off, n, pad int) {
	i, j := w.pushed, w.wi
	// The padding belongs to packet i-1. If the consumer has released it
	// already (here or at any time before it next looks), used() starts
	// from packet i, after the padding, so the padding is never counted.
	w.written += uint64(pad)
	w.start[j] = w.written
	w.s.slots[j] = spscSlot{off: uint32(off), len: uint32(n)}
	if w.popped == i { // the cached view was empty: this packet is its oldest
		w.hOff, w.hStart = off, w.written
	}
	w.written += uint64(n)
	w.end = off + n
	if w.wi++; w.wi == len(w.s.slots) {
		w.wi = 0
	}
	w.pushed = i + 1
}

// publish makes every commit so far visible to the consumer: one store,
// after the bytes and slots of all of them (release).
func (w *Producer) publish() {
	w.pub = w.pushed
	w.s.pushed.Store(w.pushed)
	w.s.ready.wake()
}

// Reserve finds room for maxSize bytes and returns it (len == cap ==
// maxSize) to be written into; Commit or Abort ends the reservation, and
// until then the producer is busy. It fails, changing nothing, with the
// first that applies: ErrBusy, ErrClosed, ErrInvalidSize (maxSize < 0),
// ErrTooLarge (maxSize > Cap), ErrWouldBlock (no free slot, or no room for
// maxSize bytes now).
func (w *Producer) Reserve(maxSize int) ([]byte, error) {
	off, pad, err := w.reserve(maxSize)
	if err != nil {
		return nil, err
	}
	end := off + maxSize
	p := w.s.data[off:end:end]
	w.busy, w.open = true, true
	w.res = spscRes{off: off, max: maxSize, pad: pad}
	return p, nil
}

// Commit ends the open reservation by committing its first n bytes as one
// packet, which the consumer may pop from then on. If n is outside [0,
// maxSize] it returns ErrInvalidLength and ends the reservation with
// nothing committed. With no reservation open it returns ErrInvalidState
// (ErrBusy inside fill) and changes nothing.
func (w *Producer) Commit(n int) error {
	if !w.open {
		return w.notOpen()
	}
	r := w.res
	w.busy, w.open = false, false
	if uint(n) > uint(r.max) {
		return ErrInvalidLength
	}
	w.record(r.off, n, r.pad)
	w.publish()
	return nil
}

// Abort ends the open reservation with nothing committed. With no
// reservation open it returns ErrInvalidState (ErrBusy inside fill).
func (w *Producer) Abort() error {
	if !w.open {
		return w.notOpen()
	}
	w.busy, w.open = false, false
	return nil
}

func (w *Producer) notOpen() error {
	if w.busy {
		return ErrBusy
	}
	return ErrInvalidState
}

func (w *Producer) leave() { w.busy = false }

// PushWith reserves maxSize bytes, passes them to fill (len == cap ==
// maxSize) and commits p[:n] as one packet, as UnorderedBuffer.PushWith
// does: it answers Reserve's errors (then ErrNilFunc for a nil fill)
// without calling fill, and after fill, fill's error unchanged or
// ErrInvalidLength, committing nothing. A panic in fill propagates and
// commits nothing. The consumer may pop while fill runs.
func (w *Producer) PushWith(maxSize int, fill func(p []byte) (n int, err error)) (int, error) {
	off, pad, err := w.reserve(maxSize)
	if err != nil {
		return 0, err
	}
	if fill == nil {
		return 0, ErrNilFunc
	}
	end := off + maxSize
	w.busy = true
	defer w.leave()
	n, err := fill(w.s.data[off:end:end])
	if err != nil {
		return 0, err
	}
	if uint(n) > uint(maxSize) {
		return 0, ErrInvalidLength
	}
	w.record(off, n, pad)
	w.publish()
	return n, nil
}

// Push copies p in as one packet; it fails, changing nothing, as Reserve
// does with maxSize = len(p).
func (w *Producer) Push(p []byte) error {
	off, pad, err := w.reserve(len(p))
	if err != nil {
		return err
	}
	copy(w.s.data[off:], p)
	w.record(off, len(p), pad)
	w.publish()
	return nil
}

// Close publishes the deferred commits, if any, and tells the consumer
// that no packet will follow: it pops what was committed, then gets
// ErrClosed. Every later call of the producer's but
// Len, Used, Cap and MaxPackets answers ErrClosed, Close included. A busy
// producer answers ErrBusy (end the reservation first).
func (w *Producer) Close() error {
	if err := w.Flush(); err != nil {
		return err
	}
	w.closed = true
	w.s.closed.Store(true) // after every commit's store of pushed
	w.s.ready.wake()
	return nil
}

// Cap returns the storage size in bytes, as given to NewSPSC.
func (r *Consumer) Cap() int { return len(r.s.data) }

// MaxPackets returns the number of metadata slots, as given to NewSPSC.
func (r *Consumer) MaxPackets() int { return len(r.s.slots) }

// Len returns the number of packets held, as of now: the producer may
// commit more at any time.
func (r *Consumer) Len() int {
	r.pushed = r.s.pushed.Load()
	return int(r.pushed - r.popped)
}

// front returns the oldest packet's slot, or ErrEmpty, or ErrClosed once
// the producer is closed and everything it committed has been popped.
func (r *Consumer) front() (spscSlot, error) {
	if r.popped == r.pushed {
		// closed first: if it was set, every commit before it is visible
		// to the load of pushed that follows.
		closed := r.s.closed.Load()
		if r.pushed = r.s.pushed.Load(); r.popped == r.pushed {
			if closed {
				return spscSlot{}, ErrClosed
			}
			return spscSlot{}, ErrEmpty
		}
	}
	return r.s.slots[r.ri], nil
}

// release frees the oldest packet for the producer, and every release
// deferred before it.
func (r *Consumer) release() {
	r.take()
	r.publish()
}

// take moves past the oldest packet without telling the producer.
func (r *Consumer) take() {
	if r.ri++; r.ri == len(r.s.slots) {
		r.ri = 0
	}
	r.popped++
}

// publish makes every release so far visible to the producer.
func (r *Consumer) publish() {
	r.pub = r.popped
	r.s.popped.Store(r.popped) // after every read of the packets (release)
	r.s.room.wake()
}

// Peek returns the oldest packet (len == cap == its length) without
// removing it: ErrBusy, ErrEmpty, or ErrClosed (closed and drained) if
// there is none to return. Release ends the peek and removes the packet;
// until then the consumer is busy. The slice aliases the storage and is
// valid until Release: the producer never writes a held packet's bytes.
func (r *Consumer) Peek() ([]byte, error) {
	if r.busy {
		return nil, ErrBusy
	}
	s, err := r.front()
	if err != nil {
		return nil, err
	}
	end := s.off + s.len
	r.busy, r.open = true, true
	return r.s.data[s.off:end:end], nil
}

// Release ends the open peek and removes the peeked packet, freeing its
// room for the producer. With no peek open it returns ErrInvalidState
// (ErrBusy inside consume).
func (r *Consumer) Release() error {
	if !r.open {
		if r.busy {
			return ErrBusy
		}
		return ErrInvalidState
	}
	r.busy, r.open = false, false
	r.release()
	return nil
}

func (r *Consumer) leave() { r.busy = false }

// PopWith passes the oldest packet to consume (len == cap == its length;
// valid only during the call) and removes it if consume returns nil. It
// returns ErrBusy, ErrNilFunc, ErrEmpty, ErrClosed (closed and drained),
// or consume's error unchanged, in which case the packet stays. A panic in
// consume propagates and the packet stays. The producer may push while
// consume runs.
func (r *Consumer) PopWith(consume func(p []byte) error) error {
	switch {
	case r.busy:
		return ErrBusy
	case consume == nil:
		return ErrNilFunc
	}
	s, err := r.front()
	if err != nil {
		return err
	}
	end := s.off + s.len
	r.busy = true
	defer r.leave()
	if err := consume(r.s.data[s.off:end:end]); err != nil {
		return err
	}
	r.release()
	return nil
}

// Pop copies the oldest packet into dst, removes it and returns its
// length. It returns ErrBusy, ErrEmpty, ErrClosed (closed and drained), or
// io.ErrShortBuffer if len(dst) is less than the packet's length, in which
// case the packet stays.
func (r *Consumer) Pop(dst []byte) (int, error) {
	if r.busy {
		return 0, ErrBusy
	}
	s, err := r.front()
	if err != nil {
		return 0, err
	}
	n := int(s.len)
	if len(dst) < n {
		return 0, io.ErrShortBuffer
	}
	copy(dst, r.s.data[s.off:s.off+s.len])
	r.release()
	return n, nil
}
