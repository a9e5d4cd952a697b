// Package properties is netbuf's verification suite as a library: stateful
// property tests that drive any implementation of the UnorderedBuffer
// contract side by side with the naive reference model (package model) and
// compare them after every step.
//
// A fork, a port or a variant is checked with one line of test code:
//
//	func TestMyBuffer(t *testing.T) {
//		properties.CheckUnordered(t, func(c, n int) (properties.Buffer, error) {
//			return mybuf.New(c, n)
//		})
//	}
//
// Implementations return netbuf's sentinel errors (or errors wrapping them),
// and io.ErrShortBuffer from Pop, as the contract says.
package properties

// Buffer is the behaviour under test: the UnorderedBuffer methods of the
// contract.
type Buffer interface {
	PushWith(maxSize int, fill func(p []byte) (int, error)) (int, error)
	Push(p []byte) error
	PopWith(consume func(p []byte) error) error
	Pop(dst []byte) (int, error)
	Len() int
	Used() int
	Cap() int
	MaxPackets() int
	Reset()
}

// Factory builds an empty buffer; it returns an error exactly where
// netbuf.NewUnorderedBuffer does.
type Factory func(capacityBytes, maxPackets int) (Buffer, error)

// checker is the optional internal invariant check (netbuf's Check).
type checker interface{ Check() error }
