package netbuf

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error the package returns is one of these, or
// wraps one of them with the details (a constructor names the argument out
// of range), or is an error returned by a caller's fill or consume
// function, passed through unchanged; so callers test with errors.Is.
var (
	// ErrWouldBlock means there is no room now, in bytes or in metadata
	// slots. Retry after a Pop.
	ErrWouldBlock = errors.New("netbuf: no room for the packet now")

	// ErrEmpty means Pop or PopWith was called on a buffer holding no packet.
	ErrEmpty = errors.New("netbuf: buffer is empty")

	// ErrTooLarge means maxSize exceeds Cap(): the packet can never fit,
	// so retrying is pointless.
	ErrTooLarge = errors.New("netbuf: packet larger than the buffer's capacity")

	// ErrInvalidSize means a negative maxSize, or a constructor argument
	// out of range: constructors wrap it with the argument's name, its
	// value and its range.
	ErrInvalidSize = errors.New("netbuf: invalid size")

	// ErrInvalidLength means a fill function reported n < 0 or n > len(p),
	// or Commit was given n outside [0, maxSize] of its reservation (that
	// answer wraps it with n and maxSize).
	ErrInvalidLength = errors.New("netbuf: fill reported an invalid length")

	// ErrBusy means a method of a buffer was called from inside one of that
	// same buffer's fill or consume callbacks, or between the two halves of
	// a two-phase operation (Reserve and Commit or Abort, Peek and Release)
	// by any method but the one ending it. The call changed nothing.
	ErrBusy = errors.New("netbuf: buffer is busy")

	// ErrNilFunc means PushWith, PopWith or PushBatch was given a nil
	// callback: answered instead of a panic, so that bad input never
	// panics inside the library.
	ErrNilFunc = errors.New("netbuf: nil callback")

	// ErrInvalidState means Commit or Abort was called with no reservation
	// open, or Release with no peek open. The call changed nothing.
	ErrInvalidState = errors.New("netbuf: no reservation or peek open")

	// ErrLate means an OrderedBuffer got a sequence number behind its
	// window: already delivered, skipped, or too old.
	ErrLate = errors.New("netbuf: sequence number is late")

	// ErrDuplicate means an OrderedBuffer already holds, undelivered, a
	// packet with that sequence number.
	ErrDuplicate = errors.New("netbuf: duplicate sequence number")

	// ErrAhead means an OrderedBuffer got a sequence number beyond its
	// window (and does not resynchronise).
	ErrAhead = errors.New("netbuf: sequence number ahead of the window")

	// ErrGap means an OrderedBuffer holds packets, but not the next one in
	// sequence: wait for it, or SkipTo past it.
	ErrGap = errors.New("netbuf: the next packet in sequence is missing")

	// ErrInvalidSeq means a fill reported a sequence number that does not
	// fit in the buffer's SeqBits.
	ErrInvalidSeq = errors.New("netbuf: sequence number out of range")

	// ErrClosed means an SPSC producer was closed: its own methods answer
	// it from then on, and the consumer answers it once every packet
	// committed before the Close has been popped.
	ErrClosed = errors.New("netbuf: producer closed")
)

// sizeError is ErrInvalidSize from constructor fn: argument arg is v,
// outside [lo, hi].
func sizeError(fn, arg string, v, lo, hi int64) error {
	return fmt.Errorf("%w: %s: %s %d outside [%d, %d]", ErrInvalidSize, fn, arg, v, lo, hi)
}
