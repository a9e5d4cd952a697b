package netbuf_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"unsafe"

	diodes "code.cloudfoundry.org/go-diodes"
	"github.com/netbuf-go/netbuf/netbuf"
)

// spscBatch is how many packets the batched impls (spscbatch, floor) end
// between two publications on each side.
const spscBatch = 16

// newSPSCBatchBench is impl=spscbatch: Reserve, copy, CommitDeferred and
// a Flush every spscBatch packets; Peek, copy, ReleaseDeferred and a Flush
// every spscBatch packets; Wait when blocked (it publishes first).
func newSPSCBatchBench(tb testing.TB, size int, st *spscStats) (func(int, []byte) error, func(int) int) {
	p, q, err := netbuf.NewSPSC(spscBenchStorage, spscBenchSlots)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	sink := make([]byte, size)
	produce := func(n int, payload []byte) error {
		for i := range n {
			w, err := p.Reserve(size)
			for err != nil && errors.Is(err, netbuf.ErrWouldBlock) {
				st.full++
				if err = p.Wait(ctx, size); err == nil {
					w, err = p.Reserve(size)
				}
			}
			if err != nil {
				return err
			}
			if err := p.CommitDeferred(copy(w, payload)); err != nil {
				return err
			}
			if i%spscBatch == spscBatch-1 {
				if err := p.Flush(); err != nil {
					return err
				}
			}
		}
		return p.Close() // publishes the last ones
	}
	consume := func(n int) (total int) {
		for i := 1; ; i++ {
			r, err := q.Peek()
			if err != nil && errors.Is(err, netbuf.ErrEmpty) {
				st.empty++
				if err = q.Wait(ctx); err == nil {
					r, err = q.Peek()
				}
			}
			if err != nil {
				return total // ErrClosed: drained
			}
			total += copy(sink, r)
			_ = q.ReleaseDeferred()
			if i%spscBatch == 0 {
				_ = q.Flush()
			}
		}
	}
	return produce, consume
}

// diodeBuf is one pooled buffer of impl=diodes: an MTU's bytes and the
// packet's length.
type diodeBuf struct {
	n int
	b [spscMTU]byte
}

const spscMTU = 1500

// newDiodesBench is impl=diodes: go-diodes' OneToOne ring, the SPSC ring
// Go services use, moving pointers to pooled buffers that hold the
// packet's bytes: the producer takes a free buffer, copies the packet in
// and sets it on the forward diode; the consumer copies it out and sets
// the buffer on a return diode, which is the producer's free list. Each
// diode is wrapped in its Waiter (a 1-buffered channel signalled on every
// Set), which both sides block in when there is no buffer or no packet. A
// diode overwrites when full, so the buffers in circulation bound what is
// in flight: as many as the SPSC buffer holds of this size (its slots, or
// its storage over the size), so neither diode ever laps its reader.
func newDiodesBench(tb testing.TB, size int, st *spscStats) (func(int, []byte) error, func(int) int) {
	nbuf := min(spscBenchSlots, spscBenchStorage/size)
	bufs := make([]diodeBuf, nbuf)
	fwd := diodes.NewWaiter(diodes.NewOneToOne(nbuf, nil))
	back := diodes.NewWaiter(diodes.NewOneToOne(nbuf, nil))
	for i := range bufs {
		back.Set(diodes.GenericDataType(unsafe.Pointer(&bufs[i])))
	}
	sink := make([]byte, size)
	next := func(w *diodes.Waiter, miss *int) *diodeBuf {
		d, ok := w.TryNext()
		if !ok {
			*miss++
			d = w.Next()
		}
		return (*diodeBuf)(unsafe.Pointer(d))
	}
	produce := func(n int, payload []byte) error {
		for range n {
			b := next(back, &st.full)
			b.n = copy(b.b[:], payload)
			fwd.Set(diodes.GenericDataType(unsafe.Pointer(b)))
		}
		return nil
	}
	consume := func(n int) (total int) {
		for range n {
			b := next(fwd, &st.empty)
			total += copy(sink, b.b[:b.n])
			back.Set(diodes.GenericDataType(unsafe.Pointer(b)))
		}
		runtime.KeepAlive(bufs)
		return total
	}
	return produce, consume
}

// newFloorBench is impl=floor (every = spscBatch) and impl=floor1 (every
// = 1): the hand-off of impl=spsc stripped to its protocol, to show what
// the protocol itself costs on a machine. The producer copies the packet
// into a byte array, writes its offset and length into a slot and stores
// the count of packets with sync/atomic after every packet (floor1, as
// Commit does) or every spscBatch-th and the last (floor, as
// CommitDeferred and Flush do); the consumer loads the count, reads the
// slot, copies the bytes into a sink and stores its own count after every
// packet (floor1) or every spscBatch-th and the last (floor). No API, no
// checks, no Wait: each side polls, and yields after spscPolls looks (at
// once with GOMAXPROCS 1, where the other side cannot run meanwhile). The
// producer keeps as many packets in flight as the buffer would hold.
func newFloorBench(every int) func(testing.TB, int, *spscStats) (func(int, []byte) error, func(int) int) {
	return func(tb testing.TB, size int, st *spscStats) (func(int, []byte) error, func(int) int) {
		type shared struct {
			_      [128]byte
			pushed atomic.Uint64
			_      [128]byte
			popped atomic.Uint64
			_      [128]byte
		}
		s := new(shared)
		limit := spscPolls()
		data := make([]byte, spscBenchStorage)
		slots := make([]uint64, spscBenchSlots)
		S, e := uint64(spscBenchSlots), uint64(every)
		// At most as many packets in flight as the SPSC buffer holds of
		// this size: then a packet never lands on one not yet consumed.
		flight := uint64(min(spscBenchSlots, spscBenchStorage/size))
		sink := make([]byte, size)
		produce := func(count int, payload []byte) error {
			n := uint64(count)
			var popped uint64
			off := 0
			for i := range n {
				for polls := 0; i-popped >= flight; polls++ {
					if popped = s.popped.Load(); polls%limit == limit-1 {
						st.full++
						runtime.Gosched()
					}
				}
				if off+size > len(data) {
					off = 0
				}
				copy(data[off:off+size], payload)
				slots[i%S] = uint64(off)<<32 | uint64(size)
				off += size
				if (i+1)%e == 0 || i+1 == n {
					s.pushed.Store(i + 1)
				}
			}
			return nil
		}
		consume := func(count int) int {
			n := uint64(count)
			var pushed, total uint64
			for popped := uint64(0); popped < n; {
				for polls := 0; popped == pushed; polls++ {
					if pushed = s.pushed.Load(); polls%limit == limit-1 {
						st.empty++
						runtime.Gosched()
					}
				}
				sl := slots[popped%S]
				off := int(sl >> 32)
				total += uint64(copy(sink, data[off:off+int(uint32(sl))]))
				popped++
				if popped%e == 0 || popped == n {
					s.popped.Store(popped)
				}
			}
			return int(total)
		}
		return produce, consume
	}
}
