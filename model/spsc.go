package model

import (
	"context"
	"errors"
	"io"
	"slices"
)

// ErrClosed mirrors netbuf.ErrClosed: the producer was closed (its own
// calls), or closed and drained (the consumer's).
var ErrClosed = errors.New("model: closed")

// SPSC is the reference model of netbuf's single-producer single-consumer
// buffer (docs/SPEC.md, section 7), restated as naively as Unordered: the
// packets are copies in a slice, and the head and used counts are
// recomputed from that slice when needed.
//
// It differs from Unordered in three places only:
//
//   - When no packet is held, the head is not reset to 0: it stays where
//     the newest packet ended (End mod C), so the tail window of an empty
//     buffer is C - End mod C. A packet that does not fit there restarts
//     at offset 0 (the whole storage is free), with no padding, since no
//     packet is held to carry it.
//   - The two halves are busy separately: a reservation or a fill keeps
//     the producer busy, a peek or a consume the consumer, and each half
//     works while the other is busy (one goroutine may hold both).
//   - A wrapping reservation pads, on commit, the newest packet held then
//     by the tail window it skipped when it was made (C - t then: the
//     newest packet has not changed, only the producer adds packets; t
//     itself may have dropped by C since, if the head crossed the wrap);
//     if the consumer popped everything meanwhile, nothing is padded.
//
// Plus Close (ErrClosed), the waits, which cannot block here: they answer
// at once (see Producer.Wait), and batched publication (SPEC 7.5): the
// newest Unpublished packets are committed but not yet visible to the
// consumer, the oldest Taken ones released but not yet given back to the
// producer. The producer's view is all of Packets; the consumer's is
// Visible().
type SPSC struct {
	C           int      // storage bytes
	Slots       int      // metadata slots
	Packets     []Packet // oldest first, as the producer sees them: every commit, every release not published
	End         int      // where the newest packet ever committed ends (Off + its length), 0 at first
	Closed      bool
	Unpublished int // the newest packets committed with CommitDeferred and not yet published
	Taken       int // the oldest packets released with ReleaseDeferred and not yet published

	inFill, inConsume bool
	res               *spscRes // an open reservation
	peeking           bool     // an open peek
}

// spscRes is an open reservation: its window, where it goes, and the
// padding it adds to the newest packet held on commit (the tail window it
// skips, C - t when it was made).
type spscRes struct {
	p        []byte
	off, pad int
	wraps    bool
}

// NewSPSC mirrors netbuf.NewSPSC.
func NewSPSC(capacityBytes, maxPackets int) (*SPSC, error) {
	if capacityBytes < 1 || maxPackets < 1 || capacityBytes > MaxCapacity || maxPackets > MaxCapacity {
		return nil, ErrInvalidSize
	}
	return &SPSC{C: capacityBytes, Slots: maxPackets}, nil
}

// Clone returns a deep copy, so that a checker can try one step on it and
// keep the original.
func (m *SPSC) Clone() *SPSC {
	c := *m
	c.Packets = slices.Clone(m.Packets) // commit edits a padding in place; Data is never written
	if m.res != nil {
		r := *m.res
		r.p = slices.Clone(m.res.p)
		c.res = &r
	}
	return &c
}

// Head is h: the oldest packet's offset; with none held, where the newest
// packet ended (mod C).
func (m *SPSC) Head() int {
	if len(m.Packets) == 0 {
		return m.End % m.C
	}
	return m.Packets[0].Off
}

// Used is u: the sum of every held packet's length and padding.
func (m *SPSC) Used() int {
	u := 0
	for _, p := range m.Packets {
		u += len(p.Data) + p.Pad
	}
	return u
}

// Len is the producer's Len: every packet committed (published or not)
// and not released by a published release.
func (m *SPSC) Len() int { return len(m.Packets) }

// Visible is what the consumer holds: the packets published and not
// released by it (published or not), oldest first.
func (m *SPSC) Visible() []Packet { return m.Packets[m.Taken : len(m.Packets)-m.Unpublished] }

// publishCommits publishes the deferred commits.
func (m *SPSC) publishCommits() { m.Unpublished = 0 }

// publishReleases publishes the deferred releases: the producer gets
// their room back.
func (m *SPSC) publishReleases() {
	m.Packets = m.Packets[m.Taken:]
	m.Taken = 0
}

// release removes the consumer's oldest packet, deferred or not.
func (m *SPSC) release(deferred bool) {
	m.Taken++
	if !deferred {
		m.publishReleases()
	}
}

func (m *SPSC) Cap() int        { return m.C }
func (m *SPSC) MaxPackets() int { return m.Slots }

// Windows returns the tail and head windows: Unordered's rule 3 with the
// head above.
func (m *SPSC) Windows() (tail, head int) { return windows(m.C, m.Head(), m.Used()) }

func (m *SPSC) producerBusy() bool { return m.inFill || m.res != nil }
func (m *SPSC) consumerBusy() bool { return m.inConsume || m.peeking }

// Place answers where a packet of up to maxSize bytes would go: its
// offset, whether it wraps (padding the newest packet held), or the error,
// checked in this order: busy, closed, maxSize < 0, maxSize > C, no free
// slot, then the tail window, an empty buffer (restart at 0), the head
// window.
func (m *SPSC) Place(maxSize int) (off int, wraps bool, err error) {
	switch {
	case m.producerBusy():
		return 0, false, ErrBusy
	case m.Closed:
		return 0, false, ErrClosed
	case maxSize < 0:
		return 0, false, ErrInvalidSize
	case maxSize > m.C:
		return 0, false, ErrTooLarge
	case len(m.Packets) == m.Slots:
		return 0, false, ErrWouldBlock
	}
	tail, head := m.Windows()
	switch {
	case tail >= maxSize:
		return (m.Head() + m.Used()) % m.C, false, nil
	case len(m.Packets) == 0:
		return 0, false, nil
	case head >= maxSize:
		return 0, true, nil
	}
	return 0, false, ErrWouldBlock
}

// skipped is the tail window a wrap to 0 skips now: C - t.
func (m *SPSC) skipped() int { return m.C - (m.Head() + m.Used()) }

// commit appends a packet at off; a wrapping one pads the newest packet
// held now, if any, by pad, the tail window it skipped when placed.
func (m *SPSC) commit(off int, wraps bool, pad int, data []byte) {
	if wraps && len(m.Packets) > 0 {
		m.Packets[len(m.Packets)-1].Pad += pad
	}
	m.Packets = append(m.Packets, Packet{Data: slices.Clone(data), Off: off})
	m.End = off + len(data)
}

// Producer is the model's producer half.
func (m *SPSC) Producer() *SPSCProducer { return &SPSCProducer{m} }

// Consumer is the model's consumer half.
func (m *SPSC) Consumer() *SPSCConsumer { return &SPSCConsumer{m} }

// Reserving reports the size of the open reservation, if one is open.
func (m *SPSC) Reserving() (maxSize int, ok bool) {
	if m.res == nil {
		return 0, false
	}
	return len(m.res.p), true
}

// Peeking reports whether a peek is open.
func (m *SPSC) Peeking() bool { return m.peeking }

// SPSCProducer mirrors netbuf.Producer.
type SPSCProducer struct{ m *SPSC }

func (p *SPSCProducer) Len() int        { return p.m.Len() }
func (p *SPSCProducer) Used() int       { return p.m.Used() }
func (p *SPSCProducer) Cap() int        { return p.m.C }
func (p *SPSCProducer) MaxPackets() int { return p.m.Slots }

// Reserve mirrors netbuf's Producer.Reserve; the window is a fresh slice.
func (p *SPSCProducer) Reserve(maxSize int) ([]byte, error) {
	off, wraps, err := p.m.Place(maxSize)
	if err != nil {
		return nil, err
	}
	p.m.res = &spscRes{p: make([]byte, maxSize), off: off, wraps: wraps, pad: p.m.skipped()}
	return p.m.res.p, nil
}

// Commit mirrors netbuf's Producer.Commit.
func (p *SPSCProducer) Commit(n int) error { return p.commitRes(n, false) }

// CommitDeferred mirrors netbuf's Producer.CommitDeferred.
func (p *SPSCProducer) CommitDeferred(n int) error { return p.commitRes(n, true) }

func (p *SPSCProducer) commitRes(n int, deferred bool) error {
	r, err := p.end()
	if err != nil {
		return err
	}
	if n < 0 || n > len(r.p) {
		return ErrInvalidLength
	}
	p.m.commit(r.off, r.wraps, r.pad, r.p[:n])
	if deferred {
		p.m.Unpublished++
	} else {
		p.m.publishCommits()
	}
	return nil
}

// Flush mirrors netbuf's Producer.Flush.
func (p *SPSCProducer) Flush() error {
	switch {
	case p.m.producerBusy():
		return ErrBusy
	case p.m.Closed:
		return ErrClosed
	}
	p.m.publishCommits()
	return nil
}

// Abort mirrors netbuf's Producer.Abort.
func (p *SPSCProducer) Abort() error {
	_, err := p.end()
	return err
}

func (p *SPSCProducer) end() (*spscRes, error) {
	switch r := p.m.res; {
	case p.m.inFill:
		return nil, ErrBusy
	case r == nil:
		return nil, ErrInvalidState
	default:
		p.m.res = nil
		return r, nil
	}
}

// PushWith mirrors netbuf's Producer.PushWith.
func (p *SPSCProducer) PushWith(maxSize int, fill func(b []byte) (int, error)) (int, error) {
	off, wraps, err := p.m.Place(maxSize)
	if err != nil {
		return 0, err
	}
	if fill == nil {
		return 0, ErrNilFunc
	}
	pad := p.m.skipped() // before fill: the consumer may pop meanwhile
	b := make([]byte, maxSize)
	n, err := func() (int, error) {
		p.m.inFill = true
		defer func() { p.m.inFill = false }()
		return fill(b)
	}()
	if err != nil {
		return 0, err
	}
	if n < 0 || n > maxSize {
		return 0, ErrInvalidLength
	}
	p.m.commit(off, wraps, pad, b[:n])
	p.m.publishCommits()
	return n, nil
}

// Push mirrors netbuf's Producer.Push.
func (p *SPSCProducer) Push(b []byte) error {
	off, wraps, err := p.m.Place(len(b))
	if err != nil {
		return err
	}
	p.m.commit(off, wraps, p.m.skipped(), b)
	p.m.publishCommits()
	return nil
}

// Close mirrors netbuf's Producer.Close.
func (p *SPSCProducer) Close() error {
	switch {
	case p.m.producerBusy():
		return ErrBusy
	case p.m.Closed:
		return ErrClosed
	}
	p.m.publishCommits()
	p.m.Closed = true
	return nil
}

// Wait mirrors netbuf's Producer.Wait, without blocking: nil if a Reserve
// of maxSize would succeed now, Reserve's error if waiting cannot cure it,
// else ctx's error if ctx is done, else ErrWouldBlock (where the buffer
// would block: a sequential check passes a done context). Unless busy, it
// first publishes the deferred commits.
func (p *SPSCProducer) Wait(ctx context.Context, maxSize int) error {
	if !p.m.producerBusy() {
		p.m.publishCommits()
	}
	_, _, err := p.m.Place(maxSize)
	if err != ErrWouldBlock {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return ErrWouldBlock
}

// SPSCConsumer mirrors netbuf.Consumer.
type SPSCConsumer struct{ m *SPSC }

func (c *SPSCConsumer) Len() int        { return len(c.m.Visible()) }
func (c *SPSCConsumer) Cap() int        { return c.m.C }
func (c *SPSCConsumer) MaxPackets() int { return c.m.Slots }

// none is the answer when no packet is held: ErrClosed once closed.
func (c *SPSCConsumer) none() error {
	if c.m.Closed {
		return ErrClosed
	}
	return ErrEmpty
}

// Peek mirrors netbuf's Consumer.Peek; it returns a copy.
func (c *SPSCConsumer) Peek() ([]byte, error) {
	if c.m.consumerBusy() {
		return nil, ErrBusy
	}
	v := c.m.Visible()
	if len(v) == 0 {
		return nil, c.none()
	}
	c.m.peeking = true
	return slices.Clip(slices.Clone(v[0].Data)), nil
}

// Release mirrors netbuf's Consumer.Release.
func (c *SPSCConsumer) Release() error { return c.releasePeek(false) }

// ReleaseDeferred mirrors netbuf's Consumer.ReleaseDeferred.
func (c *SPSCConsumer) ReleaseDeferred() error { return c.releasePeek(true) }

func (c *SPSCConsumer) releasePeek(deferred bool) error {
	switch {
	case c.m.inConsume:
		return ErrBusy
	case !c.m.peeking:
		return ErrInvalidState
	}
	c.m.peeking = false
	c.m.release(deferred)
	return nil
}

// Flush mirrors netbuf's Consumer.Flush.
func (c *SPSCConsumer) Flush() error {
	if c.m.consumerBusy() {
		return ErrBusy
	}
	c.m.publishReleases()
	return nil
}

// PopWith mirrors netbuf's Consumer.PopWith; consume gets a copy.
func (c *SPSCConsumer) PopWith(consume func(b []byte) error) error {
	switch {
	case c.m.consumerBusy():
		return ErrBusy
	case consume == nil:
		return ErrNilFunc
	case len(c.m.Visible()) == 0:
		return c.none()
	}
	b := slices.Clip(slices.Clone(c.m.Visible()[0].Data))
	err := func() error {
		c.m.inConsume = true
		defer func() { c.m.inConsume = false }()
		return consume(b)
	}()
	if err != nil {
		return err
	}
	c.m.release(false)
	return nil
}

// Pop mirrors netbuf's Consumer.Pop.
func (c *SPSCConsumer) Pop(dst []byte) (int, error) {
	switch {
	case c.m.consumerBusy():
		return 0, ErrBusy
	case len(c.m.Visible()) == 0:
		return 0, c.none()
	}
	p := c.m.Visible()[0].Data
	if len(dst) < len(p) {
		return 0, io.ErrShortBuffer
	}
	c.m.release(false)
	return copy(dst, p), nil
}

// Wait mirrors netbuf's Consumer.Wait, without blocking: ErrBusy; nil if a
// packet is held; ErrClosed if closed; else ctx's error if ctx is done,
// else ErrEmpty (where the buffer would block). Unless busy, it first
// publishes the deferred releases.
func (c *SPSCConsumer) Wait(ctx context.Context) error {
	if c.m.consumerBusy() {
		return ErrBusy
	}
	c.m.publishReleases()
	switch {
	case len(c.m.Visible()) > 0:
		return nil
	case c.m.Closed:
		return ErrClosed
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return ErrEmpty
}
