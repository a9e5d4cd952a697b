// Package model restates the specification (docs/SPEC.md) as naively as
// possible, so that the production buffer in package netbuf can be checked
// against it step by step.
//
// It shares no code with netbuf and favours obviousness over speed: packets
// are copies in a slice, and the head and used counts are recomputed from
// that slice every time they are needed rather than tracked.
package model

import (
	"errors"
	"io"
)

// Errors of the model. They mirror netbuf's sentinels by meaning, not by
// identity: the properties compare errors through Kind.
var (
	ErrWouldBlock    = errors.New("model: would block")
	ErrEmpty         = errors.New("model: empty")
	ErrTooLarge      = errors.New("model: too large")
	ErrInvalidSize   = errors.New("model: invalid size")
	ErrInvalidLength = errors.New("model: invalid length")
	ErrBusy          = errors.New("model: busy")
	ErrNilFunc       = errors.New("model: nil callback")
	ErrInvalidState  = errors.New("model: no reservation or peek open")
)

// MaxCapacity mirrors the library's documented limit on both constructor
// arguments.
const MaxCapacity = 1<<31 - 1

// Packet is one held datagram: a copy of its bytes, where it lies in the
// storage ring, and the padding after it.
type Packet struct {
	Data []byte
	Off  int
	Pad  int
}

// Unordered is the reference model of netbuf.UnorderedBuffer.
type Unordered struct {
	C       int      // storage bytes
	Slots   int      // metadata slots
	Packets []Packet // oldest first
	inCall  bool     // inside a fill or consume callback
	open    *open    // a Reserve or a Peek not yet ended
}

// open is a two-phase operation in progress.
type open struct {
	peek  bool   // a Peek (else a Reserve)
	p     []byte // the reserved window
	off   int
	wraps bool
}

// busy reports whether every method but the ending ones answers ErrBusy.
func (m *Unordered) busy() bool { return m.inCall || m.open != nil }

// NewUnordered mirrors netbuf.NewUnorderedBuffer.
func NewUnordered(capacityBytes, maxPackets int) (*Unordered, error) {
	if capacityBytes < 1 || maxPackets < 1 || capacityBytes > MaxCapacity || maxPackets > MaxCapacity {
		return nil, ErrInvalidSize
	}
	return &Unordered{C: capacityBytes, Slots: maxPackets}, nil
}

// Head is h: the oldest packet's offset, or 0 when empty (contract rule 2).
func (m *Unordered) Head() int {
	if len(m.Packets) == 0 {
		return 0
	}
	return m.Packets[0].Off
}

// Used is u: the sum of every held packet's length and padding.
func (m *Unordered) Used() int {
	u := 0
	for _, p := range m.Packets {
		u += len(p.Data) + p.Pad
	}
	return u
}

func (m *Unordered) Len() int        { return len(m.Packets) }
func (m *Unordered) Cap() int        { return m.C }
func (m *Unordered) MaxPackets() int { return m.Slots }

// Reset drops every packet, unless called from inside a callback.
func (m *Unordered) Reset() {
	if !m.busy() {
		m.Packets = nil
	}
}

// Place answers where a packet of up to maxSize bytes would go, following
// the contract's checks in their order: its offset, whether it wraps (the
// newest packet then gets the tail window as padding), or the error.
func (m *Unordered) Place(maxSize int) (off int, wraps bool, err error) {
	if m.busy() {
		return 0, false, ErrBusy
	}
	if maxSize < 0 {
		return 0, false, ErrInvalidSize
	}
	if maxSize > m.C {
		return 0, false, ErrTooLarge
	}
	if len(m.Packets) == m.Slots {
		return 0, false, ErrWouldBlock
	}
	tailWindow, headWindow := m.Windows()
	if tailWindow >= maxSize {
		return (m.Head() + m.Used()) % m.C, false, nil
	}
	if headWindow >= maxSize {
		return 0, true, nil
	}
	return 0, false, ErrWouldBlock
}

// Windows returns the tail and head windows (spec rule 3).
func (m *Unordered) Windows() (tail, head int) { return windows(m.C, m.Head(), m.Used()) }

// windows is spec rule 3 for a storage of c bytes with head h and used u:
// with tail t = h + u, not wrapped (t <= c) the windows are c-t and h;
// wrapped, c-u and 0.
func windows(c, h, u int) (tail, head int) {
	if t := h + u; t <= c {
		return c - t, h
	}
	return c - u, 0
}

// PushWith mirrors netbuf's PushWith. fill gets a fresh slice of maxSize
// bytes; a panic in fill propagates and nothing is committed.
func (m *Unordered) PushWith(maxSize int, fill func(p []byte) (int, error)) (int, error) {
	off, wraps, err := m.Place(maxSize)
	if err != nil {
		return 0, err
	}
	if fill == nil {
		return 0, ErrNilFunc
	}
	p := make([]byte, maxSize)
	n, err := callFill(m, fill, p)
	if err != nil {
		return 0, err
	}
	if n < 0 || n > maxSize {
		return 0, ErrInvalidLength
	}
	m.commit(off, wraps, p[:n])
	return n, nil
}

func (m *Unordered) commit(off int, wraps bool, data []byte) {
	if wraps {
		last := &m.Packets[len(m.Packets)-1]
		last.Pad += m.C - (m.Head() + m.Used())
	}
	m.Packets = append(m.Packets, Packet{Data: append([]byte{}, data...), Off: off})
}

// Push mirrors netbuf's Push.
func (m *Unordered) Push(p []byte) error {
	off, wraps, err := m.Place(len(p))
	if err != nil {
		return err
	}
	m.commit(off, wraps, p)
	return nil
}

// PopWith mirrors netbuf's PopWith. consume gets a copy of the packet.
func (m *Unordered) PopWith(consume func(p []byte) error) error {
	if m.busy() {
		return ErrBusy
	}
	if consume == nil {
		return ErrNilFunc
	}
	if len(m.Packets) == 0 {
		return ErrEmpty
	}
	p := make([]byte, len(m.Packets[0].Data)) // a copy: len == cap == the packet's length
	copy(p, m.Packets[0].Data)
	m.inCall = true
	err := func() error {
		defer func() { m.inCall = false }()
		return consume(p)
	}()
	if err != nil {
		return err
	}
	m.Packets = m.Packets[1:]
	return nil
}

// Pop mirrors netbuf's Pop.
func (m *Unordered) Pop(dst []byte) (int, error) {
	if m.busy() {
		return 0, ErrBusy
	}
	if len(m.Packets) == 0 {
		return 0, ErrEmpty
	}
	p := m.Packets[0].Data
	if len(dst) < len(p) {
		return 0, io.ErrShortBuffer
	}
	m.Packets = m.Packets[1:]
	return copy(dst, p), nil
}

// callFill runs fill inside the callback state, leaving it even on a panic.
func callFill[T any](m *Unordered, fill func(T) (int, error), p T) (int, error) {
	m.inCall = true
	defer func() { m.inCall = false }()
	return fill(p)
}
