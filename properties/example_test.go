package properties_test

import (
	"fmt"
	"testing/fstest"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// In a test, CheckUnordered takes the test's *testing.T and a factory
// that maps the contract's constructor onto the buffer's.
func ExampleCheckUnordered() {
	t := newT() // a test's *testing.T
	properties.CheckUnordered(t, func(capacityBytes, maxPackets int) (properties.Buffer, error) {
		b, err := netbuf.NewUnorderedBuffer(capacityBytes, maxPackets)
		if err != nil {
			return nil, err // a nil interface, not a typed nil pointer
		}
		return b, nil
	}, properties.WithNilFuncs()) // netbuf answers ErrNilFunc to nil callbacks
	fmt.Println("failed:", t.Failed())
}

// A buffer with another layout, its own errors and a 16-bit length
// field: the layout-free check, with what the contract leaves open
// declared.
func ExampleCheckFIFO() {
	t := newT() // a test's *testing.T
	properties.CheckFIFO(t, func(capacityBytes, maxPackets int) (properties.FIFO, error) {
		return newQueue(capacityBytes, maxPackets), nil
	},
		properties.MaxPacket(1<<16-1),                             // a 16-bit length field
		properties.ErrorMeans(errQueueFull, netbuf.ErrWouldBlock), // its own errors
		properties.ErrorMeans(errQueueEmpty, netbuf.ErrEmpty),
	)
	fmt.Println("failed:", t.Failed())
	// Output: failed: false
}

func ExampleCheckOrdered() {
	t := newT() // a test's *testing.T
	properties.CheckOrdered(t, func(c properties.OrderedConfig) (properties.OrderedBuffer, error) {
		b, err := netbuf.NewOrderedBuffer(netbuf.OrderedConfig(c))
		if err != nil {
			return nil, err
		}
		return b, nil
	})
	fmt.Println("failed:", t.Failed())
}

func ExampleCheckSPSC() {
	t := newT() // a test's *testing.T
	properties.CheckSPSC(t, func(capacityBytes, maxPackets int) (properties.Producer, properties.Consumer, error) {
		p, c, err := netbuf.NewSPSC(capacityBytes, maxPackets)
		if err != nil {
			return nil, nil, err
		}
		return p, c, nil
	})
	fmt.Println("failed:", t.Failed())
}

func ExampleCheckRing() {
	t := newT() // a test's *testing.T
	properties.CheckRing(t, func(capacity int) (properties.Ring, error) {
		r, err := netbuf.NewRing[uint64](capacity)
		if err != nil {
			return nil, err
		}
		return r, nil
	})
	fmt.Println("failed:", t.Failed())
	// Output: failed: false
}

func ExampleCheckReorder() {
	t := newT() // a test's *testing.T
	properties.CheckReorder(t, newMapReorder)
	fmt.Println("failed:", t.Failed())
}

// OnFailure hands the failure over instead of failing the test: here, a
// queue that loses packets when its storage wraps is caught, and the
// failure's scenario is what a test would save under testdata/.
func ExampleOnFailure() {
	t := newT() // a test's *testing.T
	var got *properties.Failure
	properties.CheckFIFO(t, func(capacityBytes, maxPackets int) (properties.FIFO, error) {
		return losesAtWrap(capacityBytes, maxPackets), nil
	},
		properties.MaxPacket(1<<16-1),
		properties.ErrorMeans(errQueueFull, netbuf.ErrWouldBlock),
		properties.ErrorMeans(errQueueEmpty, netbuf.ErrEmpty),
		properties.OnFailure(func(f *properties.Failure) { got = f }))
	fmt.Println("test failed:", t.Failed())
	fmt.Println("caught:", got != nil, got.Check, got.Calls <= 10)
	// Output:
	// test failed: false
	// caught: true CheckFIFO true
}

// Corpus replays saved scenarios before the engines, after netbuf's own:
// a failure found once is checked on every run.
func ExampleCorpus() {
	t := newT() // a test's *testing.T
	saved := fstest.MapFS{"lost-at-wrap.scn": {Data: []byte(`# found by CheckFIFO
fifo 3 1
push 0 seed=0 -> ok
pop 0 -> 0 bytes
push 3 seed=0 -> ok
pop 3 -> 3 bytes
`)}}
	properties.CheckFIFO(t, func(capacityBytes, maxPackets int) (properties.FIFO, error) {
		return newQueue(capacityBytes, maxPackets), nil
	},
		properties.Corpus(saved), // in a test: properties.Corpus(os.DirFS("testdata"))
		properties.MaxPacket(1<<16-1),
		properties.ErrorMeans(errQueueFull, netbuf.ErrWouldBlock),
		properties.ErrorMeans(errQueueEmpty, netbuf.ErrEmpty))
	fmt.Println("failed:", t.Failed())
	// Output: failed: false
}

// newQueue stands for a third-party buffer: lenRing (lenring_test.go), a
// byte ring with a 2-byte length before each packet and errors of its own.
func newQueue(capacityBytes, maxPackets int) *lenRing {
	q, _ := newLenRing(capacityBytes, maxPackets, "")
	return q
}

// losesAtWrap is the same ring with a bug: the part of a packet that
// passes the end of the storage is lost.
func losesAtWrap(capacityBytes, maxPackets int) *lenRing {
	q, _ := newLenRing(capacityBytes, maxPackets, "no-wrap")
	return q
}

var errQueueFull, errQueueEmpty = errRingFull, errRingEmpty

// A Failure says which check and engine found what, and the calls that
// show it, as a scenario with the answers the buffer gave. Here a queue
// that loses the part of a packet passing the end of its storage is
// caught by the calls of one of netbuf's regression scenarios, which every
// check replays first.
func ExampleFailure() {
	t := newT() // a test's *testing.T
	var got *properties.Failure
	properties.CheckFIFO(t, func(capacityBytes, maxPackets int) (properties.FIFO, error) {
		return losesAtWrap(capacityBytes, maxPackets), nil
	},
		properties.MaxPacket(1<<16-1),
		properties.ErrorMeans(errQueueFull, netbuf.ErrWouldBlock),
		properties.ErrorMeans(errQueueEmpty, netbuf.ErrEmpty),
		properties.OnFailure(func(f *properties.Failure) { got = f }))
	fmt.Println(got.Check, got.Engine, got.Calls)
	fmt.Println(got.Scenario)
	// Output:
	// CheckFIFO corpus 6
	// fifo 10 3
	// push 4 seed=0 -> ok
	// push 4 seed=0 -> ok
	// pop 4 -> 4 bytes
	// push 4 seed=0 -> ok
	// pop 4 -> 4 bytes
	// pop 4 -> 4 bytes
}

// A documented policy is declared, not worked around in the adapter: this
// ring drops a packet popped into a too-short dst, as pion's
// packetio.Buffer does.
func ExampleShortPopDrops() {
	t := newT() // a test's *testing.T
	properties.CheckFIFO(t, func(capacityBytes, maxPackets int) (properties.FIFO, error) {
		return newLenRing(capacityBytes, maxPackets, "short-pop-drops")
	},
		properties.ShortPopDrops(),
		properties.MaxPacket(1<<16-1),
		properties.ErrorMeans(errQueueFull, netbuf.ErrWouldBlock),
		properties.ErrorMeans(errQueueEmpty, netbuf.ErrEmpty))
	fmt.Println("failed:", t.Failed())
	// Output: failed: false
}
