package netbuf

import "fmt"

// The two-phase API splits PushWith and PopWith at the call of their
// callback: Reserve and Commit (or Abort) push, Peek and Release pop, with
// the same placement, checks, slices and answers, and neither a callback
// nor a deferred call per packet. Between the two halves the buffer is
// busy, as it is inside a callback.

// phase is what a buffer is busy with: nothing, one of its callbacks, or
// one of the two-phase operations, open.
type phase uint8

const (
	phaseNone     phase = iota // not busy
	phaseCallback              // inside fill or consume
	phaseReserved              // Reserve succeeded; Commit or Abort ends it
	phasePeeked                // Peek succeeded; Release ends it
)

// window is an open reservation: the room handed out and the padding that
// the newest held packet gets on commit. While a peek is open, max is the
// size the peeked packet frees on Release, its length plus its padding.
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
	b.state = phaseReserved
	b.res = window{off: off, max: maxSize, pad: pad}
	return p, nil
}

// Commit ends the open reservation by committing its first n bytes as one
// packet, as PushWith does when fill returns (n, nil). If n is outside
// [0, maxSize] it returns ErrInvalidLength and ends the reservation with
// nothing committed (the error names n and maxSize, and wraps
// ErrInvalidLength). With no reservation open it returns ErrInvalidState
// (ErrBusy inside a callback) and changes nothing.
func (b *UnorderedBuffer) Commit(n int) error {
	w := b.res
	if b.state != phaseReserved || uint(n) > uint(w.max) || w.pad != 0 {
		return b.commitSlow(n)
	}
	b.state = phaseNone
	b.record(w.off, n)
	return nil
}

// commitSlow is Commit when it fails or pads the newest packet (a wrap).
//
//go:noinline
func (b *UnorderedBuffer) commitSlow(n int) error {
	if b.state != phaseReserved {
		return b.notOpen()
	}
	w := b.res
	b.state = phaseNone
	if uint(n) > uint(w.max) { // catches n < 0 too
		return commitLengthError{n, w.max}
	}
	b.commit(w.off, n, w.pad)
	return nil
}

// commitLengthError is Commit's answer to an n outside [0, maxSize]: it is
// ErrInvalidLength (errors.Is), in words that name Commit, n and maxSize,
// as there is no fill to blame.
type commitLengthError struct{ n, max int }

func (e commitLengthError) Error() string {
	return fmt.Sprintf("netbuf: Commit(%d) outside the reservation's [0, %d]", e.n, e.max)
}

func (commitLengthError) Unwrap() error { return ErrInvalidLength }

// Abort ends the open reservation with nothing committed, as PushWith does
// when fill returns an error: the buffer is as it was before Reserve. With
// no reservation open it returns ErrInvalidState (ErrBusy inside a
// callback) and changes nothing.
func (b *UnorderedBuffer) Abort() error {
	if b.state != phaseReserved {
		return b.notOpen()
	}
	b.state = phaseNone
	return nil
}

// Peek and Release are small enough to inline (Peek notes the size the
// packet frees, so that Release need not look it up again); Reserve and
// Commit have their slow paths out of line.

// Peek is the first half of PopWith: it returns the oldest packet (len ==
// cap == its length) without removing it, or ErrBusy if the buffer is busy,
// or ErrEmpty. Release, the only way to end the peek, removes the packet;
// until then the buffer is busy (every other method returns ErrBusy and
// Reset does nothing). The slice aliases the storage and is valid until
// Release.
func (b *UnorderedBuffer) Peek() ([]byte, error) {
	switch {
	case b.state != phaseNone:
		return nil, ErrBusy
	case b.meta.Len() == 0:
		return nil, ErrEmpty
	}
	s := b.meta.front()
	off, end := int(s.off), int(s.off+s.len)
	b.state = phasePeeked
	b.res.max = int(s.len + s.pad)
	return b.data[off:end:end], nil
}

// Release ends the open peek and removes the peeked packet, as PopWith does
// when consume returns nil. With no peek open it returns ErrInvalidState
// (ErrBusy inside a callback) and changes nothing.
func (b *UnorderedBuffer) Release() error {
	if b.state != phasePeeked {
		return b.notOpen()
	}
	b.state = phaseNone
	b.freeFront(b.res.max, b.meta.dropFront())
	return nil
}

// notOpen is the answer of Commit, Abort or Release when what they end is
// not open: ErrBusy inside a callback, else ErrInvalidState.
func (b *UnorderedBuffer) notOpen() error {
	if b.state == phaseCallback {
		return ErrBusy
	}
	return ErrInvalidState
}
