package netbuf_test

import (
	"context"
	"errors"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
)

// BenchmarkSPSC moves packets from a producer goroutine to a consumer
// goroutine (the benchmark's), one op per packet: copy size bytes in on
// one side, copy them out into a sink on the other. Every impl blocks the
// way a user of it would when the queue is full or empty:
//
//	impl=spsc      netbuf.NewSPSC: Reserve, copy, Commit; Peek, copy,
//	               Release; Wait (context, no busy loop) when blocked.
//	impl=spscbatch the same with CommitDeferred and ReleaseDeferred, each
//	               side flushing every spscBatch packets (batched
//	               publication, docs/SPEC.md section 7.5).
//	impl=spscwith  the same as spsc with PushWith and PopWith.
//	impl=diodes    go-diodes' OneToOne carrying pointers to pooled
//	               buffers, with a second diode as the free list; its
//	               Waiter blocks (newDiodesBench).
//	impl=chanpool  chan []byte of MTU buffers from a sync.Pool: the
//	               idiomatic Go hand-off; the channel blocks.
//	impl=mutex     a sync.Mutex around one UnorderedBuffer, PushWith and
//	               PopWith under the lock; runtime.Gosched when blocked
//	               (the buffer has no wait of its own).
//	impl=floor     the protocol alone, publishing every spscBatch
//	               packets on each side, and impl=floor1 every packet:
//	               what the machine allows (newFloorBench).
//
// Both sides hold up to spscBenchSlots packets in flight, in 256 KiB of
// storage. ns/op is wall time per packet across both goroutines; pkts/s is
// its inverse, as a throughput. empty/op and full/op count, per packet,
// how often the consumer found nothing to take and the producer no room
// (each followed by a Wait, or a Gosched for mutex; the channel blocks
// inside, uncounted): they show which side waits for the other.
func BenchmarkSPSC(b *testing.B) {
	for _, im := range spscImpls {
		for _, size := range []int{64, 1500} {
			b.Run("impl="+im.name+"/size="+strconv.Itoa(size), func(b *testing.B) {
				payload := make([]byte, size)
				for i := range payload {
					payload[i] = byte(i)
				}
				var st spscStats
				produce, consume := im.make(b, size, &st)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				done := make(chan error, 1)
				b.ResetTimer()
				start := time.Now()
				go func() { done <- produce(b.N, payload) }()
				total := consume(b.N)
				b.StopTimer()
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pkts/s")
				if im.counts {
					b.ReportMetric(float64(st.empty)/float64(b.N), "empty/op")
					b.ReportMetric(float64(st.full)/float64(b.N), "full/op")
				}
				if total != b.N*size {
					b.Fatalf("consumed %d bytes, want %d", total, b.N*size)
				}
			})
		}
	}
}

const (
	spscBenchStorage = 256 << 10
	spscBenchSlots   = 1024
)

// spscStats counts the times each side of a BenchmarkSPSC run found the
// queue empty (the consumer) or full (the producer). Each count is written
// by one goroutine only, on a cache line of its own, and read after both
// have ended.
type spscStats struct {
	empty int
	_     [128]byte
	full  int
}

type spscImpl struct {
	name   string
	make   func(tb testing.TB, size int, st *spscStats) (produce func(n int, payload []byte) error, consume func(n int) int)
	counts bool // whether make fills st
}

var spscImpls = []spscImpl{
	{"spsc", newSPSCBench, true},
	{"spscbatch", newSPSCBatchBench, true},
	{"spscwith", newSPSCWithBench, true},
	{"diodes", newDiodesBench, true},
	{"chanpool", newChanBench, false},
	{"mutex", newMutexBench, true},
	{"floor", newFloorBench(spscBatch), true},
	{"floor1", newFloorBench(1), true},
}

func newSPSCBench(tb testing.TB, size int, st *spscStats) (func(int, []byte) error, func(int) int) {
	p, q, err := netbuf.NewSPSC(spscBenchStorage, spscBenchSlots)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	sink := make([]byte, size)
	produce := func(n int, payload []byte) error {
		for range n {
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
			if err := p.Commit(copy(w, payload)); err != nil {
				return err
			}
		}
		return p.Close()
	}
	consume := func(n int) (total int) {
		for {
			r, err := q.Peek()
			if err != nil && errors.Is(err, netbuf.ErrEmpty) {
				st.empty++
				if err = q.Wait(ctx); err == nil {
					continue
				}
			}
			if err != nil {
				return total // ErrClosed: drained
			}
			total += copy(sink, r)
			_ = q.Release()
		}
	}
	return produce, consume
}

func newSPSCWithBench(tb testing.TB, size int, st *spscStats) (func(int, []byte) error, func(int) int) {
	p, q, err := netbuf.NewSPSC(spscBenchStorage, spscBenchSlots)
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	sink := make([]byte, size)
	var payload []byte
	fill := func(w []byte) (int, error) { return copy(w, payload), nil }
	produce := func(n int, pl []byte) error {
		payload = pl
		for range n {
			_, err := p.PushWith(size, fill)
			for err != nil && errors.Is(err, netbuf.ErrWouldBlock) {
				st.full++
				if err = p.Wait(ctx, size); err == nil {
					_, err = p.PushWith(size, fill)
				}
			}
			if err != nil {
				return err
			}
		}
		return p.Close()
	}
	var total int
	take := func(r []byte) error { total += copy(sink, r); return nil }
	consume := func(n int) int {
		for {
			err := q.PopWith(take)
			if err != nil && errors.Is(err, netbuf.ErrEmpty) {
				st.empty++
				if err = q.Wait(ctx); err == nil {
					continue
				}
			}
			if err != nil {
				return total
			}
		}
	}
	return produce, consume
}

func newChanBench(tb testing.TB, size int, _ *spscStats) (func(int, []byte) error, func(int) int) {
	pool := sync.Pool{New: func() any { return new([mtuBuf]byte) }}
	ch := make(chan []byte, spscBenchSlots)
	sink := make([]byte, size)
	produce := func(n int, payload []byte) error {
		for range n {
			p := pool.Get().(*[mtuBuf]byte)[:size]
			copy(p, payload)
			ch <- p
		}
		close(ch)
		return nil
	}
	consume := func(n int) (total int) {
		for p := range ch {
			total += copy(sink, p)
			pool.Put((*[mtuBuf]byte)(p[:mtuBuf]))
		}
		return total
	}
	return produce, consume
}

func newMutexBench(tb testing.TB, size int, st *spscStats) (func(int, []byte) error, func(int) int) {
	buf, err := netbuf.NewUnorderedBuffer(spscBenchStorage, spscBenchSlots)
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	sink := make([]byte, size)
	var payload []byte
	var total int
	fill := func(w []byte) (int, error) { return copy(w, payload), nil }
	take := func(r []byte) error { total += copy(sink, r); return nil }
	produce := func(n int, pl []byte) error {
		payload = pl
		for i := 0; i < n; {
			mu.Lock()
			_, err := buf.PushWith(size, fill)
			mu.Unlock()
			switch {
			case err == nil:
				i++
			case errors.Is(err, netbuf.ErrWouldBlock):
				st.full++
				runtime.Gosched()
			default:
				return err
			}
		}
		return nil
	}
	consume := func(n int) int {
		for i := 0; i < n; {
			mu.Lock()
			err := buf.PopWith(take)
			mu.Unlock()
			if err == nil {
				i++
			} else {
				st.empty++
				runtime.Gosched()
			}
		}
		return total
	}
	return produce, consume
}

// BenchmarkSPSCRoundTrip is the machine's cost of moving one cache line
// from one goroutine's CPU to the other's and back: two goroutines take
// turns storing a counter that the other polls, one op per round trip. On a
// virtual machine it may change while the host moves the virtual CPUs;
// run it beside BenchmarkSPSC to see which case a round ran in. With
// GOMAXPROCS 1 it measures two trips through the scheduler instead.
func BenchmarkSPSCRoundTrip(b *testing.B) {
	limit := spscPolls()
	var ping, pong struct {
		_ [128]byte
		n atomic.Uint64
		_ [128]byte
	}
	wait := func(v *atomic.Uint64, want uint64) {
		for polls := 0; v.Load() != want; polls++ {
			if polls%limit == limit-1 {
				runtime.Gosched()
			}
		}
	}
	n := uint64(b.N)
	done := make(chan struct{})
	b.ResetTimer()
	go func() {
		defer close(done)
		for i := uint64(1); i <= n; i++ {
			wait(&ping.n, i)
			pong.n.Store(i)
		}
	}()
	for i := uint64(1); i <= n; i++ {
		ping.n.Store(i)
		wait(&pong.n, i)
	}
	b.StopTimer()
	<-done
}

// spscPolls is how many times a polling side of impl=floor, impl=floor1
// or BenchmarkSPSCRoundTrip looks before it yields: a few microseconds, far
// more than a hand-off takes while both run, and 1 with GOMAXPROCS 1.
func spscPolls() int {
	if runtime.GOMAXPROCS(0) < 2 {
		return 1
	}
	return 4096
}
