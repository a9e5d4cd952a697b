package netbuf_test

import (
	"runtime"
	"strconv"
	"sync"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

// The benchmarks move packets through a FIFO and back out, one op per
// packet, for netbuf and for what a Go user would pick instead:
//
//	impl=floor     the same copies into a plain byte array of the same size
//	               as netbuf's storage (consecutive offsets, wrapping to 0
//	               when maxSize no longer fits) and back out: no bookkeeping.
//	               The ratio netbuf/floor is the cost of netbuf's bookkeeping.
//	impl=netbuf    PushWith (fill copies the payload in) + PopWith (consume
//	               copies the packet out).
//	impl=twophase  the same through the two-phase API: Reserve, copy in,
//	               Commit; Peek, copy out, Release.
//	impl=chanpool  chan []byte of MTU-sized buffers from a sync.Pool.
//	impl=naive     a slice of slices, make + copy per packet (like the model).
//
// Every impl does the same work per packet: copy size bytes in, copy them
// out into sink, add the length to a total. One packet is always in flight
// (pushed before the timer starts), so netbuf's head walks the whole
// storage as the floor's cursor does, wrapping with padding where the sizes
// do not divide the capacity; without it an emptied netbuf restarts at
// offset 0 and would only ever touch its first bytes.
//
// BenchmarkPushPop pushes one packet and pops one; BenchmarkBatch pushes k
// then pops k. ns/op and MB/s are per packet in both.

const (
	benchStorage = 256 << 10 // storage bytes: fits this machine's 1 MiB L2 per core with the rest
	benchSlots   = 1024      // metadata slots: more than the 1+k packets ever held
	mtuBuf       = 9000      // chanpool buffer size: the largest packet benchmarked
)

// shape is a packet size pattern: the sizes pushed in turn and the maxSize
// reserved for each (the largest of them, as a socket read reserves the MTU).
type shape struct {
	name  string
	sizes []int
	max   int
}

// bytes is the mean packet size, rounded to an int for b.SetBytes (the mix
// averages 354.33 bytes, so its MB/s is 0.1% low).
func (s shape) bytes() int64 {
	sum := 0
	for _, n := range s.sizes {
		sum += n
	}
	return int64((sum + len(s.sizes)/2) / len(s.sizes))
}

var shapes = []shape{
	{"64", []int{64}, 64},
	{"512", []int{512}, 512},
	{"1500", []int{1500}, 1500},
	{"9000", []int{9000}, 9000},
	// 7:4:1 of 64/576/1500, interleaved as they might arrive.
	{"mix", []int{64, 576, 64, 1500, 64, 576, 64, 64, 576, 64, 576, 64}, 1500},
}

// runner moves n packets through its queue, in batches of its k, and returns
// the total length popped.
//
// Each impl writes its own push-k/pop-k loop rather than sharing one that
// takes a pop callback: the pop stays inline, so no impl (the floor least of
// all) pays an extra indirect call per packet that would skew the ratios.
type runner func(n int) (total int)

type impl struct {
	name string
	make func(tb testing.TB, sh shape, k int) runner
}

// impls lists the floor first: benchstat -col /impl compares with it.
var impls = []impl{
	{"floor", newFloor},
	{"netbuf", newNetbuf},
	{"twophase", newTwoPhase},
	{"chanpool", newChanPool},
	{"naive", newNaive},
}

var (
	payload = func() []byte {
		p := make([]byte, mtuBuf)
		for i := range p {
			p[i] = byte(i*7 + 1)
		}
		return p
	}()
	sink = make([]byte, mtuBuf) // every consume copies the packet out here
)

// storageFor is the storage size for a run: benchStorage, or room for the
// 1+k packets held plus two more, so that no push ever finds the buffer
// full (tail and head windows together are then at least 2*max, so one of
// them fits max).
func storageFor(sh shape, k int) int { return max(benchStorage, (k+3)*sh.max) }

// nextSize returns sizes[*i] and advances *i cyclically.
func nextSize(sizes []int, i *int) int {
	s := sizes[*i]
	if *i++; *i == len(sizes) {
		*i = 0
	}
	return s
}

func newNetbuf(tb testing.TB, sh shape, k int) runner {
	buf, err := netbuf.NewUnorderedBuffer(storageFor(sh, k), benchSlots)
	if err != nil {
		tb.Fatal(err)
	}
	var size, got, pi int
	fill := func(p []byte) (int, error) { return copy(p, payload[:size]), nil }
	consume := func(p []byte) error { got = copy(sink, p); return nil }
	push := func() {
		size = nextSize(sh.sizes, &pi)
		if _, err := buf.PushWith(sh.max, fill); err != nil {
			tb.Fatal(err)
		}
	}
	push() // the packet in flight
	return func(n int) (total int) {
		for n > 0 {
			m := min(k, n)
			n -= m
			for range m {
				push()
			}
			for range m {
				if err := buf.PopWith(consume); err != nil {
					tb.Fatal(err)
				}
				total += got
			}
		}
		return total
	}
}

func newTwoPhase(tb testing.TB, sh shape, k int) runner {
	buf, err := netbuf.NewUnorderedBuffer(storageFor(sh, k), benchSlots)
	if err != nil {
		tb.Fatal(err)
	}
	var pi int
	push := func() {
		size := nextSize(sh.sizes, &pi)
		p, err := buf.Reserve(sh.max)
		if err != nil {
			tb.Fatal(err)
		}
		if err := buf.Commit(copy(p, payload[:size])); err != nil {
			tb.Fatal(err)
		}
	}
	push() // the packet in flight
	return func(n int) (total int) {
		for n > 0 {
			m := min(k, n)
			n -= m
			for range m {
				push()
			}
			for range m {
				p, err := buf.Peek()
				if err != nil {
					tb.Fatal(err)
				}
				total += copy(sink, p)
				if err := buf.Release(); err != nil {
					tb.Fatal(err)
				}
			}
		}
		return total
	}
}

func newFloor(tb testing.TB, sh shape, k int) runner {
	data := make([]byte, storageFor(sh, k))
	var w, r, pi, qi int // write and read offsets, push and pop size indexes
	push := func() {
		s := nextSize(sh.sizes, &pi)
		if len(data)-w < sh.max {
			w = 0
		}
		copy(data[w:w+s], payload[:s])
		w += s
	}
	push()
	return func(n int) (total int) {
		for n > 0 {
			m := min(k, n)
			n -= m
			for range m {
				push()
			}
			for range m {
				s := nextSize(sh.sizes, &qi)
				if len(data)-r < sh.max {
					r = 0
				}
				total += copy(sink, data[r:r+s])
				r += s
			}
		}
		return total
	}
}

func newChanPool(tb testing.TB, sh shape, k int) runner {
	pool := sync.Pool{New: func() any { return new([mtuBuf]byte) }}
	ch := make(chan []byte, 1+k)
	var pi int
	push := func() {
		s := nextSize(sh.sizes, &pi)
		p := pool.Get().(*[mtuBuf]byte)[:s]
		copy(p, payload[:s])
		ch <- p
	}
	push()
	return func(n int) (total int) {
		for n > 0 {
			m := min(k, n)
			n -= m
			for range m {
				push()
			}
			for range m {
				p := <-ch
				total += copy(sink, p)
				pool.Put((*[mtuBuf]byte)(p[:mtuBuf])) // a pointer: Put does not allocate
			}
		}
		return total
	}
}

func newNaive(tb testing.TB, sh shape, k int) runner {
	var q [][]byte
	var pi int
	push := func() {
		s := nextSize(sh.sizes, &pi)
		p := make([]byte, s)
		copy(p, payload[:s])
		q = append(q, p)
	}
	push()
	return func(n int) (total int) {
		for n > 0 {
			m := min(k, n)
			n -= m
			for range m {
				push()
			}
			for range m {
				total += copy(sink, q[0])
				q[0] = nil
				q = q[1:]
			}
		}
		return total
	}
}

// wantTotal is the total length of the first n packets of sh.
func wantTotal(sh shape, n int) int {
	cycle, t := 0, 0
	for i, s := range sh.sizes {
		cycle += s
		if i < n%len(sh.sizes) {
			t += s
		}
	}
	return n/len(sh.sizes)*cycle + t
}

// benchRun times run over b.N packets. Besides ns/op (wall time) it reports
// cpu-ns/op, the CPU time of the benchmark's own thread per packet, where
// the platform tells it: on a machine shared with other work, time spent
// descheduled inflates ns/op but not cpu-ns/op. (Work the runtime does on
// other threads, such as background GC marking for the naive queue, is not
// in cpu-ns/op.)
func benchRun(b *testing.B, im impl, sh shape, k int) {
	run := im.make(b, sh, k)
	b.SetBytes(sh.bytes())
	b.ReportAllocs()
	runtime.LockOSThread() // so the thread's CPU clock is the benchmark's
	defer runtime.UnlockOSThread()
	cpu0, cpuOK := threadCPU()
	b.ResetTimer()
	total := run(b.N)
	b.StopTimer()
	if cpu1, ok := threadCPU(); cpuOK && ok {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
	if want := wantTotal(sh, b.N); total != want {
		b.Fatalf("popped %d bytes, want %d", total, want)
	}
}

func BenchmarkPushPop(b *testing.B) {
	for _, im := range impls {
		for _, sh := range shapes {
			b.Run("impl="+im.name+"/size="+sh.name, func(b *testing.B) { benchRun(b, im, sh, 1) })
		}
	}
}

func BenchmarkBatch(b *testing.B) {
	for _, im := range impls {
		for _, k := range []int{1, 32, 256} {
			for _, sh := range shapes {
				name := "impl=" + im.name + "/k=" + strconv.Itoa(k) + "/size=" + sh.name
				b.Run(name, func(b *testing.B) { benchRun(b, im, sh, k) })
			}
		}
	}
}

// TestBenchImpls checks that every benchmarked queue delivers every packet
// with its length, in order, across wraps, so the figures compare equal work.
func TestBenchImpls(t *testing.T) {
	for _, im := range impls {
		for _, k := range []int{1, 32, 256} {
			for _, sh := range shapes {
				// Enough packets to wrap the storage several times.
				n := 4 * storageFor(sh, k) / int(sh.bytes())
				if got, want := im.make(t, sh, k)(n), wantTotal(sh, n); got != want {
					t.Errorf("impl=%s k=%d size=%s: popped %d bytes, want %d", im.name, k, sh.name, got, want)
				}
			}
		}
	}
}
