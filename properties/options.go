package properties

import (
	"io/fs"
	"math"
)

// Option adjusts a check: what the buffer is declared to do beyond the
// contract, the limits it is declared to have, its documented policies,
// and where a failure goes. Options a check has no use for are ignored.
type Option func(*config)

// config is every option's effect; the zero value checks the contract.
type config struct {
	nilFuncs      bool
	maxPacket     int // largest packet the checks send; 0: no limit but Cap
	maxCapacity   int // the constructor's documented limit; 0: netbuf's
	maxSlots      int // the same for the slot count; 0: netbuf's
	errs          []errMeaning
	shortPopDrops bool
	popBlocks     bool
	reentry       bool
	keepsSlice    bool
	firstInOrder  bool
	noCycle       bool
	onFailure     func(*Failure)
	roundsUp      bool
	overhead      int // bytes a FIFO's size limit counts per packet
	allocates     bool
	corpora       []fs.FS
	noCorpus      bool   // the suite's own tests: the engines alone
	only          string // the suite's own tests: this engine alone
}

type errMeaning struct{ own, contract error }

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithNilFuncs checks that nil callbacks answer ErrNilFunc where netbuf's
// do (after every check that comes before the callback's call), a rule of
// netbuf's own that the contract leaves open.
func WithNilFuncs() Option { return func(c *config) { c.nilFuncs = true } }

// MaxPacket declares the largest packet the buffer takes (a 16-bit length
// field takes 65535 bytes): no check pushes, reserves or nests a larger
// one, and CheckFIFO requires an empty buffer to take any packet of up to
// min(n, capacityBytes) bytes.
func MaxPacket(n int) Option { return func(c *config) { c.maxPacket = n } }

// MaxCapacity declares the largest capacityBytes the buffer's constructor
// accepts (netbuf's: 2^31-1): the checks build buffers of up to n bytes
// and require n+1 to be refused with an error wrapping ErrInvalidSize.
func MaxCapacity(n int) Option { return func(c *config) { c.maxCapacity = n } }

// MaxSlots declares the largest maxPackets (MaxPackets, Capacity of a
// Ring) the constructor accepts, as MaxCapacity does for bytes.
func MaxSlots(n int) Option { return func(c *config) { c.maxSlots = n } }

// ErrorMeans declares that the buffer answers own where the contract
// answers contract, for example
// ErrorMeans(packetio.ErrFull, netbuf.ErrWouldBlock): an answer that
// errors.Is own counts as contract. CheckFIFO, FuzzFIFO and CheckRing
// only; for the other checks, a buffer's errors wrap netbuf's sentinels.
func ErrorMeans(own, contract error) Option {
	return func(c *config) { c.errs = append(c.errs, errMeaning{own, contract}) }
}

// ShortPopDrops declares the policy that a Pop into a too-short dst drops
// the packet (answering io.ErrShortBuffer) instead of keeping it, as
// pion/transport's packetio.Buffer does. CheckFIFO only.
func ShortPopDrops() Option { return func(c *config) { c.shortPopDrops = true } }

// PopBlocksWhenEmpty declares that Pop waits for a packet instead of
// answering ErrEmpty (an io.Reader over a stream of packets): the check
// never pops an empty buffer. Without it, CheckFIFO on such a buffer
// waits forever at its first empty pop. CheckFIFO only.
func PopBlocksWhenEmpty() Option { return func(c *config) { c.popBlocks = true } }

// PacketOverhead declares that the buffer's size limit counts n bytes per
// packet beyond its payload (a length before each packet): an empty buffer
// built with capacityBytes then takes packets of up to capacityBytes-n
// bytes. CheckFIFO only.
func PacketOverhead(n int) Option { return func(c *config) { c.overhead = n } }

// DetectsReentry declares that the buffer answers ErrBusy to a call made
// from inside its own PushWith or PopWith callback, as the contract
// requires of a Buffer. CheckFIFO only: CheckUnordered always checks it.
func DetectsReentry() Option { return func(c *config) { c.reentry = true } }

// KeepsSlice declares that Push keeps the caller's slice instead of
// copying it (so the caller must not reuse it): the checks then leave a
// pushed slice alone instead of overwriting it after Push. CheckFIFO and
// CheckReorder.
func KeepsSlice() Option { return func(c *config) { c.keepsSlice = true } }

// CapacityRoundsUp declares that a ring's constructor may give more room
// than asked, Cap() at least the capacity (rounded up to a power of two,
// say): CheckRing then holds the ring to its Cap(). CheckRing only.
func CapacityRoundsUp() Option { return func(c *config) { c.roundsUp = true } }

// Allocates declares that pushes and pops may allocate (a container of
// interface values boxes what it holds), against the contract's promise:
// the allocation check is skipped.
func Allocates() Option { return func(c *config) { c.allocates = true } }

// ReorderFirstInOrder declares that the Reorderer takes its first packet
// as the start of the stream: CheckReorder sends the first packet of a
// case first (later copies of it may still arrive out of order).
func ReorderFirstInOrder() Option { return func(c *config) { c.firstInOrder = true } }

// ReorderNoCycle keeps CheckReorder's cases shorter than the sequence
// space (65536 packets), for a buffer that documents no wrap-around.
func ReorderNoCycle() Option { return func(c *config) { c.noCycle = true } }

// OnFailure sends a failure to fn instead of failing the test: the
// caller can assert it, keep its Scenario, or fail the test itself. The
// check stops at its first failure either way.
func OnFailure(fn func(*Failure)) Option { return func(c *config) { c.onFailure = fn } }

// packetLimit is the largest packet size the checks draw.
func (c *config) packetLimit() int {
	if c.maxPacket > 0 {
		return c.maxPacket
	}
	return math.MaxInt
}
