package netbuf_test

import (
	"container/heap"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

// BenchmarkOrdered receives sequenced packets that arrive out of order and
// hands them out in order, one op per packet, for OrderedBuffer and for
// what a Go user would write instead:
//
//	impl=ordered    OrderedBuffer: PushWith (fill copies the payload in and
//	                reports the sequence), then PopWith (consume copies the
//	                packet out) until ErrGap.
//	impl=map        map[uint32][]byte of copies (make + copy per packet);
//	                pop looks up Next, copies out, deletes.
//	impl=heap       container/heap of copies, ordered by serial arithmetic;
//	                pop while the top is Next.
//	impl=unordered  UnorderedBuffer PushWith + PopWith of the same sizes, in
//	                arrival order: the cost of the storage alone, so
//	                ordered/unordered is the cost of the reordering.
//
// Packets arrive in blocks of ordBenchWindow sequences, each block in the
// same shuffled order; after every push the receiver pops everything that
// is ready, as a receive loop does. 16-bit sequence numbers wrap many times
// over a run.

const (
	ordBenchWindow = 32 // packets in flight, and the window
	ordBenchBits   = 16
	ordBenchMask   = 1<<ordBenchBits - 1
)

// ordBenchPerm is the arrival order within each block of ordBenchWindow.
var ordBenchPerm = rand.New(rand.NewPCG(3, 5)).Perm(ordBenchWindow)

var (
	ordBenchPayload = make([]byte, 1500)
	ordBenchSink    = make([]byte, 1500)
)

// ordBenchSeq returns the sequence of the i-th packet to arrive.
func ordBenchSeq(i int) uint32 {
	return uint32(i-i%ordBenchWindow+ordBenchPerm[i%ordBenchWindow]) & ordBenchMask
}

// ordRunner receives n packets and returns the bytes popped.
type ordRunner func(n int) (total int)

type ordBenchImpl struct {
	name string
	make func(tb testing.TB, size int) ordRunner
}

var ordBenchImpls = []ordBenchImpl{
	{"ordered", newOrdBenchOrdered},
	{"map", newOrdBenchMap},
	{"heap", newOrdBenchHeap},
	{"unordered", newOrdBenchUnordered},
}

func newOrdBenchOrdered(tb testing.TB, size int) ordRunner {
	b, err := netbuf.NewOrderedBuffer(netbuf.OrderedConfig{
		Capacity: 2 * ordBenchWindow * size, MaxPackets: 2 * ordBenchWindow,
		Window: ordBenchWindow, SeqBits: ordBenchBits,
	})
	if err != nil {
		tb.Fatal(err)
	}
	var seq uint32
	var got int
	fill := func(p []byte) (uint32, int, error) { return seq, copy(p, ordBenchPayload[:size]), nil }
	consume := func(_ uint32, p []byte) error { got = copy(ordBenchSink, p); return nil }
	return func(n int) (total int) {
		for i := range n {
			seq = ordBenchSeq(i)
			if _, _, err := b.PushWith(size, fill); err != nil {
				tb.Fatal(err)
			}
			for b.PopWith(consume) == nil {
				total += got
			}
		}
		return total
	}
}

func newOrdBenchMap(tb testing.TB, size int) ordRunner {
	m := make(map[uint32][]byte, 2*ordBenchWindow)
	var next uint32
	return func(n int) (total int) {
		for i := range n {
			p := make([]byte, size)
			copy(p, ordBenchPayload[:size])
			m[ordBenchSeq(i)] = p
			for {
				p, ok := m[next]
				if !ok {
					break
				}
				total += copy(ordBenchSink, p)
				delete(m, next)
				next = (next + 1) & ordBenchMask
			}
		}
		return total
	}
}

// ordHeap is a container/heap of packets, the nearest sequence on top
// (serial arithmetic over ordBenchBits).
type ordHeap []ordHeapItem

type ordHeapItem struct {
	seq uint32
	p   []byte
}

func (h ordHeap) Len() int { return len(h) }
func (h ordHeap) Less(i, j int) bool {
	return (h[i].seq-h[j].seq)&ordBenchMask >= 1<<(ordBenchBits-1) // h[i] before h[j]
}
func (h ordHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *ordHeap) Push(x any)   { *h = append(*h, x.(ordHeapItem)) }
func (h *ordHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	old[len(old)-1] = ordHeapItem{}
	*h = old[:len(old)-1]
	return x
}

func newOrdBenchHeap(tb testing.TB, size int) ordRunner {
	h := make(ordHeap, 0, 2*ordBenchWindow)
	var next uint32
	return func(n int) (total int) {
		for i := range n {
			p := make([]byte, size)
			copy(p, ordBenchPayload[:size])
			heap.Push(&h, ordHeapItem{ordBenchSeq(i), p})
			for len(h) > 0 && h[0].seq == next {
				total += copy(ordBenchSink, heap.Pop(&h).(ordHeapItem).p)
				next = (next + 1) & ordBenchMask
			}
		}
		return total
	}
}

func newOrdBenchUnordered(tb testing.TB, size int) ordRunner {
	b, err := netbuf.NewUnorderedBuffer(2*ordBenchWindow*size, 2*ordBenchWindow)
	if err != nil {
		tb.Fatal(err)
	}
	var got int
	fill := func(p []byte) (int, error) { return copy(p, ordBenchPayload[:size]), nil }
	consume := func(p []byte) error { got = copy(ordBenchSink, p); return nil }
	return func(n int) (total int) {
		for range n {
			if _, err := b.PushWith(size, fill); err != nil {
				tb.Fatal(err)
			}
			if err := b.PopWith(consume); err != nil {
				tb.Fatal(err)
			}
			total += got
		}
		return total
	}
}

// BenchmarkOrdered reports ns/op and, where the platform has a per-thread
// CPU clock, cpu-ns/op (time descheduled on a shared machine left out),
// both per packet.
func BenchmarkOrdered(b *testing.B) {
	for _, im := range ordBenchImpls {
		for _, size := range []int{64, 1200} {
			b.Run("impl="+im.name+"/size="+strconv.Itoa(size), func(b *testing.B) {
				run := im.make(b, size)
				b.SetBytes(int64(size))
				b.ReportAllocs()
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				cpu0, cpuOK := threadCPU()
				b.ResetTimer()
				total := run(b.N)
				b.StopTimer()
				if cpu1, ok := threadCPU(); cpuOK && ok {
					b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
				}
				// Every block completed is popped; the last may be partial.
				if done := b.N - b.N%ordBenchWindow; total < done*size || total > b.N*size {
					b.Fatalf("popped %d bytes of %d packets of %d", total, b.N, size)
				}
			})
		}
	}
}

// TestOrderedBenchImpls checks that every benchmarked receiver delivers
// every packet, across many wraps of the sequence numbers, so the figures
// compare equal work.
func TestOrderedBenchImpls(t *testing.T) {
	const n = 2 * (ordBenchMask + 1) // a multiple of ordBenchWindow
	for _, im := range ordBenchImpls {
		for _, size := range []int{64, 1200} {
			if got := im.make(t, size)(n); got != n*size {
				t.Errorf("impl=%s size=%d: popped %d bytes, want %d", im.name, size, got, n*size)
			}
		}
	}
}
