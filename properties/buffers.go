package properties

import "context"

// Buffer is what CheckUnordered checks: the methods of an UnorderedBuffer
// (a byte ring of datagrams, docs/SPEC.md sections 1-4). Errors are
// netbuf's sentinels or wrap them (fmt.Errorf("mybuf: %w",
// netbuf.ErrWouldBlock)), and Pop answers io.ErrShortBuffer for a short
// dst.
//
// Beyond these, a buffer is checked for what its methods show:
// PushBatch(maxSize int, bufs [][]byte, fill func([][]byte) (int, error)) (int, error),
// the two-phase Reserve/Commit/Abort/Peek/Release, and Check() error (its
// own invariants, called after every step).
type Buffer interface {
	PushWith(maxSize int, fill func(p []byte) (n int, err error)) (int, error)
	Push(p []byte) error
	PopWith(consume func(p []byte) error) error
	Pop(dst []byte) (int, error)
	Len() int        // packets held
	Used() int       // storage bytes held, padding included
	Cap() int        // storage bytes, as given to the Factory
	MaxPackets() int // metadata slots, as given to the Factory
	Reset()
}

// Factory builds an empty Buffer with capacityBytes of storage and
// maxPackets slots; it refuses (with an error wrapping ErrInvalidSize)
// exactly the arguments netbuf.NewUnorderedBuffer refuses, up to
// MaxCapacity.
type Factory func(capacityBytes, maxPackets int) (Buffer, error)

// FIFO is what CheckFIFO checks: any first-in first-out datagram buffer,
// whatever its storage layout. Len, PushWith and PopWith (with Buffer's
// signatures) are checked when the buffer has them.
type FIFO interface {
	Push(p []byte) error
	Pop(dst []byte) (int, error)
}

// FIFOFactory builds an empty FIFO that, when empty, takes any packet of
// up to capacityBytes bytes (MaxPacket caps it; PacketOverhead lowers it
// for a size limit that counts a header per packet), and never holds more
// than maxPackets packets. How many bytes it holds beyond that, with what
// overhead, is its layout's business.
type FIFOFactory func(capacityBytes, maxPackets int) (FIFO, error)

// OrderedBuffer is what CheckOrdered checks: a buffer that stores
// sequenced datagrams in arrival order and hands them out in sequence
// order (docs/SPEC.md section 6, netbuf.OrderedBuffer's methods).
type OrderedBuffer interface {
	PushWith(maxSize int, fill func(p []byte) (seq uint32, n int, err error)) (uint32, int, error)
	Push(seq uint32, p []byte) error
	PopWith(consume func(seq uint32, p []byte) error) error
	Pop(dst []byte) (uint32, int, error)
	SkipTo(seq uint32) (int, error)
	AppendMissing(dst []uint32, max int) []uint32
	Next() uint32
	Len() int
	Used() int
	Cap() int
	MaxPackets() int
	Reset()
}

// OrderedConfig configures an OrderedBuffer; its fields mean what
// netbuf.OrderedConfig's mean, and it converts to it.
type OrderedConfig struct {
	Capacity, MaxPackets, Window, SeqBits int
	First                                 uint32
	Resync                                bool
}

// OrderedFactory builds an empty OrderedBuffer; it refuses exactly the
// configurations netbuf.NewOrderedBuffer refuses.
type OrderedFactory func(OrderedConfig) (OrderedBuffer, error)

// Producer is the writing half of a single-producer single-consumer
// buffer (docs/SPEC.md section 7, netbuf.Producer's methods).
type Producer interface {
	Reserve(maxSize int) ([]byte, error)
	Commit(n int) error
	Abort() error
	PushWith(maxSize int, fill func(p []byte) (int, error)) (int, error)
	Push(p []byte) error
	Close() error
	Wait(ctx context.Context, maxSize int) error
	Len() int
	Used() int
	Cap() int
	MaxPackets() int
}

// Consumer is the reading half of a single-producer single-consumer
// buffer (netbuf.Consumer's methods).
type Consumer interface {
	Peek() ([]byte, error)
	Release() error
	PopWith(consume func(p []byte) error) error
	Pop(dst []byte) (int, error)
	Wait(ctx context.Context) error
	Len() int
	Cap() int
	MaxPackets() int
}

// SPSCFactory builds both halves of an empty SPSC buffer; it refuses
// exactly the arguments netbuf.NewSPSC refuses.
type SPSCFactory func(capacityBytes, maxPackets int) (Producer, Consumer, error)

// Ring is what CheckRing checks: a bounded FIFO of values
// (netbuf.Ring[uint64]). Peek() (uint64, error), Reset() and Full() bool
// are checked when the ring has them.
type Ring interface {
	Push(v uint64) error
	Pop() (uint64, error)
	Len() int
	Cap() int
}

// RingFactory builds an empty Ring; it refuses capacities below 1 (and
// above MaxSlots, if declared) with an error wrapping ErrInvalidSize, as
// netbuf.NewRing does. For a ring whose constructor cannot fail, the
// factory refuses them itself.
type RingFactory func(capacity int) (Ring, error)

// Reorderer is what CheckReorder checks: a jitter or reorder buffer for
// 16-bit sequence numbers (RTP's), which takes packets in any order and
// hands them out in sequence order.
type Reorderer interface {
	Push(seq uint16, payload []byte) error
	Pop() (seq uint16, payload []byte, err error)
}

// ReorderFactory builds an empty Reorderer.
type ReorderFactory func() Reorderer
