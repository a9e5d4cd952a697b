package netbuf

import "io"

// OrderedConfig configures an OrderedBuffer. NewOrderedBuffer returns
// ErrInvalidSize if a field is outside the range given with it.
type OrderedConfig struct {
	Capacity   int    // storage bytes, in [1, MaxCapacity]
	MaxPackets int    // arrival slots (packets whose storage is held), in [1, MaxCapacity]
	Window     int    // sequences accepted ahead of Next: 1 <= Window <= 2^(SeqBits-1)
	SeqBits    int    // sequence numbers are SeqBits wide and wrap: 2 <= SeqBits <= 32
	First      uint32 // the first Next, < 2^SeqBits
	Resync     bool   // a packet ahead of the window moves the window (see PushWith) instead of ErrAhead
}

// OrderedBuffer is a receive buffer for sequenced datagrams that arrive out
// of order (RTP, QUIC, SRT, KCP-style protocols). It stores them as
// UnorderedBuffer does, back to back in one byte array in arrival order, and
// hands them out in sequence order: Pop delivers the packet numbered Next,
// then Next advances.
//
// Sequence numbers are SeqBits wide and compared with serial arithmetic:
// with M = 2^SeqBits and d(seq) = (seq - Next) mod M,
//
//	 late: d >= M/2    window: d < Window   ahead: Window <= d < M/2   late
//	------------------|====================|-------------------------|------
//	                Next              Next+Window                Next+M/2
//
// A push in the window is held until delivered; a late one (already
// delivered, skipped or too old) is refused with ErrLate; one ahead with
// ErrAhead, or, with Resync, it moves the window up to itself. Storage
// follows UnorderedBuffer's geometry over the arrivals: a delivered or
// dropped packet's bytes and arrival slot are freed only once every older
// arrival is delivered or dropped too, so a packet that waits for a gap
// holds back the storage of everything that arrived after it. When storage
// or slots run out behind a gap, SkipTo gives up on it.
//
// Push and pop are O(1) amortized and allocate nothing. Every failure is
// atomic, and the buffer is busy inside its callbacks (ErrBusy), as for
// UnorderedBuffer. The exact rules are in docs/SPEC.md, section 6.
//
// A buffer is owned by one goroutine at a time; it has no lock.
type OrderedBuffer struct {
	store                // the storage ring over the arrivals: u counts delivered-but-not-freed bytes too
	arr    Ring[arrival] // one entry per arrival whose storage is held, oldest first
	idx    seqIndex      // held sequence -> its arrival's place in arr's backing array
	held   int           // Len(): arrivals neither delivered nor dropped
	next   uint32        // Next()
	hi     uint32        // the held sequence farthest from next, while held > 0
	mask   uint32        // M - 1
	window uint32        // Window()
	bits   uint8         // SeqBits()
	resync bool          // OrderedConfig.Resync
	busy   bool          // inside fill or consume: every change is refused
}

// arrival is one arrival slot: where the packet lies (as UnorderedBuffer's
// slot), its sequence, and whether it has left (delivered or dropped) while
// its storage is still held behind an older arrival.
type arrival struct {
	off, len, pad uint32
	seq           uint32
	done          bool
}

// NewOrderedBuffer returns an empty buffer configured by cfg, or
// ErrInvalidSize, wrapped with the first field out of range, its value and
// its range (see OrderedConfig). It makes
// four allocations: the buffer, its storage, its arrival slots and its
// sequence index (8 bytes per bucket, 2 to 4 buckets per packet that can be
// held at once, min(MaxPackets, Window)).
func NewOrderedBuffer(cfg OrderedConfig) (*OrderedBuffer, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	return &OrderedBuffer{
		store:  store{data: make([]byte, cfg.Capacity)},
		arr:    makeRing[arrival](cfg.MaxPackets),
		idx:    makeSeqIndex(min(cfg.MaxPackets, cfg.Window)), // held <= both
		next:   cfg.First,
		mask:   uint32(uint64(1)<<cfg.SeqBits - 1),
		window: uint32(cfg.Window),
		bits:   uint8(cfg.SeqBits),
		resync: cfg.Resync,
	}, nil
}

// check returns the first field of c out of range, as NewOrderedBuffer
// answers it.
func (c OrderedConfig) check() error {
	const fn = "NewOrderedBuffer"
	switch {
	case c.Capacity < 1 || c.Capacity > MaxCapacity:
		return sizeError(fn, "Capacity", int64(c.Capacity), 1, MaxCapacity)
	case c.MaxPackets < 1 || c.MaxPackets > MaxCapacity:
		return sizeError(fn, "MaxPackets", int64(c.MaxPackets), 1, MaxCapacity)
	case c.SeqBits < 2 || c.SeqBits > 32:
		return sizeError(fn, "SeqBits", int64(c.SeqBits), 2, 32)
	case c.Window < 1 || uint64(c.Window) > uint64(1)<<(c.SeqBits-1):
		return sizeError(fn, "Window", int64(c.Window), 1, 1<<(c.SeqBits-1))
	case uint64(c.First) >= uint64(1)<<c.SeqBits:
		return sizeError(fn, "First", int64(c.First), 0, 1<<c.SeqBits-1)
	}
	return nil
}

// Next returns the sequence number Pop waits for.
func (b *OrderedBuffer) Next() uint32 { return b.next }

// Len returns the number of packets held: pushed, and neither delivered nor
// dropped.
func (b *OrderedBuffer) Len() int { return b.held }

// Used returns the storage bytes held: packets held, packets delivered or
// dropped but not yet freed (an older arrival is still held), and padding.
func (b *OrderedBuffer) Used() int { return b.used }

// Cap returns the storage size in bytes, OrderedConfig.Capacity.
func (b *OrderedBuffer) Cap() int { return len(b.data) }

// MaxPackets returns the number of arrival slots, OrderedConfig.MaxPackets.
func (b *OrderedBuffer) MaxPackets() int { return b.arr.Cap() }

// Window returns how many sequences, from Next on, are accepted.
func (b *OrderedBuffer) Window() int { return int(b.window) }

// SeqBits returns the width of sequence numbers in bits.
func (b *OrderedBuffer) SeqBits() int { return int(b.bits) }

// Reset drops every packet and frees all storage; Next stays. Called from
// inside a fill or consume callback of the same buffer it does nothing. It
// costs O(MaxPackets): it clears the sequence index.
func (b *OrderedBuffer) Reset() {
	if b.busy {
		return
	}
	b.idx.reset()
	b.arr.reset()
	b.head, b.used, b.held = 0, 0, 0
}

func (b *OrderedBuffer) leave() { b.busy = false }

// PushWith reserves maxSize contiguous bytes, passes exactly those bytes to
// fill (len(p) == cap(p) == maxSize), which writes one datagram there and
// reports its sequence number and length, and commits p[:n] as the packet
// with that sequence.
//
// Before fill, it fails with the first that applies, and fill is not called:
// ErrBusy, ErrInvalidSize (maxSize < 0), ErrTooLarge (maxSize > Cap()),
// ErrWouldBlock (no arrival slot, or no room for maxSize bytes), ErrNilFunc.
// After fill, it commits nothing and returns the first that applies: fill's
// error unchanged, ErrInvalidLength (n outside [0, maxSize]), ErrInvalidSeq
// (seq >= 2^SeqBits), ErrLate, ErrDuplicate (seq is held and not delivered),
// ErrAhead. ErrLate, ErrDuplicate and ErrAhead come with fill's seq and
// n = 0, so the caller can count the drop; every other failure with 0, 0.
//
// With Resync, a packet ahead is committed instead, and the window then
// moves as SkipTo(seq-Window+1) would, dropping what that drops: the new
// packet becomes the last sequence of the window.
//
// On success it returns seq, n and nil. A panic in fill propagates, with
// nothing committed.
func (b *OrderedBuffer) PushWith(maxSize int, fill func(p []byte) (seq uint32, n int, err error)) (uint32, int, error) {
	if b.busy {
		return 0, 0, ErrBusy
	}
	off, pad, err := b.room(maxSize)
	if err != nil {
		return 0, 0, err
	}
	if fill == nil {
		return 0, 0, ErrNilFunc
	}
	end := off + maxSize
	p := b.data[off:end:end]
	b.busy = true
	defer b.leave()
	seq, n, err := fill(p)
	if err != nil {
		return 0, 0, err
	}
	if uint(n) > uint(maxSize) { // catches n < 0 too
		return 0, 0, ErrInvalidLength
	}
	at, ahead, err := b.admit(seq)
	if err != nil {
		if err == ErrInvalidSeq {
			return 0, 0, err
		}
		return seq, 0, err
	}
	b.commit(off, n, pad, seq, at, ahead)
	return seq, n, nil
}

// Push copies p in as the packet with sequence seq. It fails, changing
// nothing, as PushWith does with maxSize = len(p) and a fill that copies p
// and reports seq.
func (b *OrderedBuffer) Push(seq uint32, p []byte) error {
	if b.busy {
		return ErrBusy
	}
	off, pad, err := b.room(len(p))
	if err != nil {
		return err
	}
	at, ahead, err := b.admit(seq)
	if err != nil {
		return err
	}
	copy(b.data[off:], p)
	b.commit(off, len(p), pad, seq, at, ahead)
	return nil
}

// PopWith passes the packet with sequence Next to consume, with its
// sequence, and delivers it (Next advances by one, mod 2^SeqBits) if consume
// returns nil. The slice aliases the buffer (len == cap == the packet's
// length) and is valid only during the call.
//
// It fails, changing nothing, with the first that applies: ErrBusy;
// ErrNilFunc if consume is nil; ErrGap if Next is not held but other packets
// are; ErrEmpty if none is held; consume's error, unchanged. A panic in
// consume propagates, and the packet stays.
func (b *OrderedBuffer) PopWith(consume func(seq uint32, p []byte) error) error {
	switch {
	case b.busy:
		return ErrBusy
	case consume == nil:
		return ErrNilFunc
	}
	at, k, ok := b.idx.find(b.next)
	if !ok {
		return b.noNext()
	}
	a := b.arr.slot(int(k))
	off, end := int(a.off), int(a.off)+int(a.len)
	p := b.data[off:end:end]
	b.busy = true
	defer b.leave()
	if err := consume(b.next, p); err != nil {
		return err
	}
	// at and k still hold Next: while busy, the buffer refused every change.
	b.deliver(at, k)
	return nil
}

// Pop copies the packet with sequence Next into dst, delivers it, and
// returns its sequence and length. It fails, changing nothing, with ErrBusy,
// ErrGap, ErrEmpty (as PopWith) or io.ErrShortBuffer if len(dst) is less
// than the packet's length. With ErrGap it returns the missing sequence,
// Next, and 0, so that a caller that gives up on it can SkipTo(seq+1);
// every other failure returns 0, 0.
func (b *OrderedBuffer) Pop(dst []byte) (uint32, int, error) {
	if b.busy {
		return 0, 0, ErrBusy
	}
	at, k, ok := b.idx.find(b.next)
	if !ok {
		if err := b.noNext(); err != ErrGap {
			return 0, 0, err
		}
		return b.next, 0, ErrGap
	}
	a := b.arr.slot(int(k))
	n := int(a.len)
	if len(dst) < n {
		return 0, 0, io.ErrShortBuffer
	}
	copy(dst, b.data[a.off:int(a.off)+n])
	seq := b.next
	b.deliver(at, k)
	return seq, n, nil
}

// room finds where a packet of up to maxSize bytes goes: its offset, and
// the padding the newest arrival gets if it is committed (docs/SPEC.md 1.3,
// with arrival slots for metadata slots). It changes nothing.
func (b *OrderedBuffer) room(maxSize int) (off, pad int, err error) {
	off, win := b.tailRoom()
	return b.place(maxSize, b.arr.Full(), off, win)
}

// commit records the packet fill (or Push) wrote at off, n bytes with
// sequence seq, padding the newest arrival by pad bytes; at is the index
// bucket admit found for seq. A packet ahead of the window (Resync) then
// moves the window up to it.
func (b *OrderedBuffer) commit(off, n, pad int, seq, at uint32, ahead bool) {
	if pad > 0 {
		b.arr.back().pad += uint32(pad)
		b.used += pad
	}
	k := b.arr.index(b.arr.Len())
	b.arr.pushBack(arrival{off: uint32(off), len: uint32(n), seq: seq})
	b.used += n
	if ahead {
		// Resync: move the window before indexing seq, so that the index
		// never holds more than Window sequences. The new arrival is not
		// counted yet, and not done, so skip neither drops nor frees it.
		b.skip((seq - b.window + 1) & b.mask)
		at, _, _ = b.idx.find(seq) // the drops may have shortened its probe path
	}
	b.idx.insert(at, seq, uint32(k))
	if b.held == 0 || b.dist(seq) > b.dist(b.hi) {
		b.hi = seq
	}
	b.held++
}

// free releases the storage of the oldest arrivals while they are delivered
// or dropped, as UnorderedBuffer's pop does (rule 6). Each arrival is freed
// once, so its cost is O(1) amortized per packet.
func (b *OrderedBuffer) free() {
	for b.arr.Len() > 0 {
		a := b.arr.front()
		if !a.done {
			return
		}
		size := int(a.len) + int(a.pad)
		b.freeFront(size, b.arr.dropFront())
	}
}
