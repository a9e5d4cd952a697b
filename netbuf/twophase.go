package netbuf

import "fmt"

// The two-phase API splits PushWith and PopWith at the call of their
// callback: Reserve and Commit (or Abort) push, Peek and Release pop, with
// the same placement, checks, slices and answers, and neither a callback
// nor a deferred call per packet. Between the two halves the buffer is
// busy, as it is inside a callback.

// phase is the two-phase operation a buffer has open.
type phase uint8

const (
	phaseNone     phase = iota // none open (the buffer may be busy in a callback)
	phaseReserved              // Reserve succeeded; Commit or Abort ends it
	phasePeeked                // Peek succeeded; Release ends it
)

// window is an open reservation: the room handed out and the padding that
// the newest held packet gets on commit.
type window struct {
	off, max, pad int
}

// Reserve is the first half of PushWith: it finds room for maxSize bytes
// exactly where PushWith would and returns it (len == cap == maxSize) to be
// written into. Commit or Abort ends the reservation; until then the buffer
// is busy (every other method returns ErrBusy and Reset does nothing).
//
// It fails, changing nothing, as PushWith does before calling fill: ErrBusy,
// ErrInvalidSize, ErrTooLarge or ErrWouldBlock, the first that applies.
// Code between the halves that may panic should defer Abort, which after a
// Commit only answers ErrInvalidState.
func (b *UnorderedBuffer) Reserve(maxSize int) ([]byte, error) {
	off, win := b.tailRoom()
	pad := 0
	if !b.fitsTail(maxSize, win) {
		var err error
		if off, pad, err = b.reserveSlow(maxSize, off, win); err != nil {
			return nil, err
		}
	}
	end := off + maxSize
	p := b.data[off:end:end]
	b.busy, b.open = true, phaseReserved
	b.res = window{off: off, max: maxSize, pad: pad}
	return p, nil
}

// Commit ends the open reservation by committing its first n bytes as one
// packet, as PushWith does when fill returns (n, nil). If n is outside
// [0, maxSize] it returns ErrInvalidLength and ends the reservation with
// nothing committed (the error wraps ErrInvalidLength with n and maxSize).
// With no reservation open it returns ErrInvalidState
// (ErrBusy inside a callback) and changes nothing.
func (b *UnorderedBuffer) Commit(n int) error {
	w := b.res
	if b.open != phaseReserved || uint(n) > uint(w.max) || w.pad != 0 {
		return b.commitSlow(n)
	}
	b.busy, b.open = false, phaseNone
	b.record(w.off, n)
	return nil
}

// commitSlow is Commit when it fails or pads the newest packet (a wrap).
//
//go:noinline
func (b *UnorderedBuffer) commitSlow(n int) error {
	if b.open != phaseReserved {
		return b.notOpen()
	}
	w := b.res
	b.busy, b.open = false, phaseNone
	if uint(n) > uint(w.max) { // catches n < 0 too
		return commitLengthError{n, w.max}
	}
	b.commit(w.off, n, w.pad)
	return nil
}

// commitLengthError is Commit's answer to an n outside [0, maxSize]: it is
// ErrInvalidLength (errors.Is), in words that name Commit, as there is no
// fill to blame.
type commitLengthError struct{ n, max int }

func (e commitLengthError) Error() string {
	return fmt.Sprintf("netbuf: Commit(%d) outside the reservation's [0, %d]", e.n, e.max)
}

func (e commitLengthError) Unwrap() error { return ErrInvalidLength }

// Abort ends the open reservation with nothing committed, as PushWith does
// when fill returns an error: the buffer is as it was before Reserve. With
// no reservation open it returns ErrInvalidState (ErrBusy inside a
// callback) and changes nothing.
func (b *UnorderedBuffer) Abort() error {
	if b.open != phaseReserved {
		return b.notOpen()
	}
	b.busy, b.open = false, phaseNone
	return nil
}

// Peek is the first half of PopWith: it returns the oldest packet (len ==
// cap == its length) without removing it, or ErrBusy if the buffer is busy,
// or ErrEmpty. Release, the only way to end the peek, removes the packet;
// until then the buffer is busy (every other method returns ErrBusy and
// Reset does nothing). The slice aliases the storage and is valid until
// Release.
func (b *UnorderedBuffer) Peek() ([]byte, error) {
	switch {
	case b.busy:
		return nil, ErrBusy
	case b.meta.Len() == 0:
		return nil, ErrEmpty
	}
	s := b.meta.front()
	off, end := int(s.off), int(s.off)+int(s.len)
	p := b.data[off:end:end]
	b.busy, b.open = true, phasePeeked
	return p, nil
}

// Release ends the open peek and removes the peeked packet, as PopWith does
// when consume returns nil. With no peek open it returns ErrInvalidState
// (ErrBusy inside a callback) and changes nothing.
func (b *UnorderedBuffer) Release() error {
	if b.open != phasePeeked {
		return b.notOpen()
	}
	b.busy, b.open = false, phaseNone
	b.drop(*b.meta.front())
	return nil
}

// notOpen is the answer of Commit, Abort or Release when what they end is
// not open: ErrBusy inside a callback, else ErrInvalidState.
func (b *UnorderedBuffer) notOpen() error {
	if b.busy && b.open == phaseNone {
		return ErrBusy
	}
	return ErrInvalidState
}
