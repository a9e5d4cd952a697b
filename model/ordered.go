package model

import (
	"errors"
	"io"
	"slices"
)

// Errors of the ordered model, mirroring netbuf's by meaning.
var (
	ErrLate       = errors.New("model: late")
	ErrDuplicate  = errors.New("model: duplicate")
	ErrAhead      = errors.New("model: ahead of the window")
	ErrGap        = errors.New("model: gap")
	ErrInvalidSeq = errors.New("model: invalid sequence number")
)

// Ordered is the reference model of netbuf.OrderedBuffer: a map from
// sequence number to bytes for the packets held, and, for the storage
// geometry, an Unordered model holding one packet per arrival (delivered
// and dropped ones included until they are the oldest arrival).
type Ordered struct {
	C, Slots, Window, Bits int
	Resync                 bool
	NextSeq                uint32            // the sequence Pop waits for
	Held                   map[uint32][]byte // held, neither delivered nor dropped
	store                  Unordered         // one packet per arrival, oldest first
	arrivals               []uint32          // the sequence of each arrival in store
	inCall                 bool
}

// NewOrdered mirrors netbuf.NewOrderedBuffer.
func NewOrdered(capacity, maxPackets, window, seqBits int, first uint32, resync bool) (*Ordered, error) {
	switch {
	case capacity < 1 || maxPackets < 1 || capacity > MaxCapacity || maxPackets > MaxCapacity,
		seqBits < 2 || seqBits > 32, window < 1 || uint64(window) > uint64(1)<<(seqBits-1),
		uint64(first) >= uint64(1)<<seqBits:
		return nil, ErrInvalidSize
	}
	return &Ordered{C: capacity, Slots: maxPackets, Window: window, Bits: seqBits, Resync: resync, NextSeq: first,
		Held: map[uint32][]byte{}, store: Unordered{C: capacity, Slots: maxPackets}}, nil
}

// m is the size of the sequence space.
func (o *Ordered) m() uint64 { return uint64(1) << o.Bits }

// D is the distance of seq from Next: (seq - Next) mod 2^Bits.
func (o *Ordered) D(seq uint32) uint64 { return (uint64(seq) + o.m() - uint64(o.NextSeq)) % o.m() }

func (o *Ordered) Next() uint32    { return o.NextSeq }
func (o *Ordered) Len() int        { return len(o.Held) }
func (o *Ordered) Used() int       { return o.store.Used() }
func (o *Ordered) Cap() int        { return o.C }
func (o *Ordered) MaxPackets() int { return o.Slots }

// PushWith mirrors netbuf's OrderedBuffer.PushWith.
func (o *Ordered) PushWith(maxSize int, fill func(p []byte) (uint32, int, error)) (uint32, int, error) {
	if o.inCall {
		return 0, 0, ErrBusy
	}
	if _, _, err := o.store.Place(maxSize); err != nil {
		return 0, 0, err
	}
	if fill == nil {
		return 0, 0, ErrNilFunc
	}
	p := make([]byte, maxSize)
	o.inCall = true
	seq, n, err := func() (uint32, int, error) {
		defer func() { o.inCall = false }()
		return fill(p)
	}()
	switch {
	case err != nil:
		return 0, 0, err
	case n < 0 || n > maxSize:
		return 0, 0, ErrInvalidLength
	case uint64(seq) >= o.m():
		return 0, 0, ErrInvalidSeq
	case o.D(seq) >= o.m()/2:
		return seq, 0, ErrLate
	case o.Held[seq] != nil:
		return seq, 0, ErrDuplicate
	case o.D(seq) >= uint64(o.Window) && !o.Resync:
		return seq, 0, ErrAhead
	}
	if _, err := o.store.PushWith(maxSize, func(q []byte) (int, error) { return copy(q, p[:n]), nil }); err != nil {
		panic("model: the place found before fill is gone: " + err.Error())
	}
	o.arrivals = append(o.arrivals, seq)
	o.Held[seq] = append([]byte{}, p[:n]...)
	if d := o.D(seq); d >= uint64(o.Window) {
		o.skip(uint32((uint64(seq) + o.m() - uint64(o.Window) + 1) % o.m()))
	}
	return seq, n, nil
}

// Place answers where PushWith(maxSize) would put its packet, before fill:
// the offset in storage, whether it wraps (the newest arrival then gets
// the tail window as padding), or the error PushWith answers first.
func (o *Ordered) Place(maxSize int) (off int, wraps bool, err error) {
	if o.inCall {
		return 0, false, ErrBusy
	}
	return o.store.Place(maxSize)
}

// Push mirrors netbuf's OrderedBuffer.Push.
func (o *Ordered) Push(seq uint32, p []byte) error {
	_, _, err := o.PushWith(len(p), func(q []byte) (uint32, int, error) { return seq, copy(q, p), nil })
	return err
}

// PopWith mirrors netbuf's OrderedBuffer.PopWith; consume gets a copy.
func (o *Ordered) PopWith(consume func(seq uint32, p []byte) error) error {
	if o.inCall {
		return ErrBusy
	}
	if consume == nil {
		return ErrNilFunc
	}
	p, err := o.next()
	if err != nil {
		return err
	}
	o.inCall = true
	err = func() error {
		defer func() { o.inCall = false }()
		return consume(o.NextSeq, slices.Clip(slices.Clone(p)))
	}()
	if err != nil {
		return err
	}
	o.deliver()
	return nil
}

// Pop mirrors netbuf's OrderedBuffer.Pop.
func (o *Ordered) Pop(dst []byte) (uint32, int, error) {
	if o.inCall {
		return 0, 0, ErrBusy
	}
	p, err := o.next()
	if err == ErrGap {
		return o.NextSeq, 0, err // the missing sequence
	}
	if err != nil {
		return 0, 0, err
	}
	if len(dst) < len(p) {
		return 0, 0, io.ErrShortBuffer
	}
	seq := o.NextSeq
	o.deliver()
	return seq, copy(dst, p), nil
}

// next returns the packet Pop would deliver, or why there is none.
func (o *Ordered) next() ([]byte, error) {
	if p, ok := o.Held[o.NextSeq]; ok {
		return p, nil
	}
	if len(o.Held) > 0 {
		return nil, ErrGap
	}
	return nil, ErrEmpty
}

// deliver hands out Next and frees what storage it can.
func (o *Ordered) deliver() {
	delete(o.Held, o.NextSeq)
	o.NextSeq = uint32((uint64(o.NextSeq) + 1) % o.m())
	o.free()
}

// free releases the storage of the oldest arrivals while they are
// delivered or dropped (no longer held under their sequence by the same
// arrival: a later arrival of the same sequence is a different packet).
func (o *Ordered) free() {
	for len(o.arrivals) > 0 && !o.holds(0) {
		o.store.Packets, o.arrivals = o.store.Packets[1:], o.arrivals[1:]
	}
}

// holds reports whether arrival i is still held.
func (o *Ordered) holds(i int) bool {
	seq := o.arrivals[i]
	if _, ok := o.Held[seq]; !ok {
		return false
	}
	// The newest arrival of that sequence is the held one.
	return !slices.Contains(o.arrivals[i+1:], seq)
}

// SkipTo mirrors netbuf's OrderedBuffer.SkipTo.
func (o *Ordered) SkipTo(seq uint32) (int, error) {
	switch {
	case o.inCall:
		return 0, ErrBusy
	case uint64(seq) >= o.m():
		return 0, ErrInvalidSize
	case o.D(seq) >= o.m()/2:
		return 0, ErrLate
	}
	return o.skip(seq), nil
}

// skip drops every held packet before seq and makes seq the next.
func (o *Ordered) skip(seq uint32) int {
	dropped, d := 0, o.D(seq)
	for s := range o.Held {
		if o.D(s) < d {
			delete(o.Held, s)
			dropped++
		}
	}
	o.NextSeq = seq
	o.free()
	return dropped
}

// AppendMissing mirrors netbuf's OrderedBuffer.AppendMissing.
func (o *Ordered) AppendMissing(dst []uint32, max int) []uint32 {
	highest := uint64(0)
	for s := range o.Held {
		highest = max64(highest, o.D(s))
	}
	for d := uint64(0); d < highest && max > 0; d++ {
		s := uint32((uint64(o.NextSeq) + d) % o.m())
		if _, ok := o.Held[s]; !ok {
			dst, max = append(dst, s), max-1
		}
	}
	return dst
}

func max64(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// Reset mirrors netbuf's OrderedBuffer.Reset: everything dropped, Next kept.
func (o *Ordered) Reset() {
	if !o.inCall {
		o.Held, o.arrivals, o.store.Packets = map[uint32][]byte{}, nil, nil
	}
}
