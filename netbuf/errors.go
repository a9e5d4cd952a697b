package netbuf

import "errors"

// Sentinel errors. Every error the package returns is one of these (or an
// error returned by a caller's fill or consume function, passed through
// unchanged), so callers test with errors.Is.
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
	// out of range.
	ErrInvalidSize = errors.New("netbuf: invalid size")

	// ErrInvalidLength means a fill function reported n < 0 or n > len(p).
	ErrInvalidLength = errors.New("netbuf: fill reported an invalid length")

	// ErrBusy means a method of a buffer was called from inside one of that
	// same buffer's fill or consume callbacks. The call changed nothing.
	ErrBusy = errors.New("netbuf: buffer is busy in a callback")

	// ErrNilFunc means PushWith or PopWith was given a nil callback.
	// (Not in the contract's list: the contract is silent on nil callbacks,
	// and a library that panics on them would break its own promise.)
	ErrNilFunc = errors.New("netbuf: nil callback")
)
