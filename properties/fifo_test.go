package properties_test

import (
	"io"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// TestFIFONetbuf: netbuf's UnorderedBuffer is a FIFO of datagrams too.
func TestFIFONetbuf(t *testing.T) {
	properties.CheckFIFO(t, func(c, n int) (properties.FIFO, error) { return newNetbuf(c, n) }, properties.DetectsReentry())
}

// lenRings builds lenRings with bug, as a plain adapter would: the
// factory's arguments as they are, the ring's own errors declared.
func lenRings(bug string) (properties.FIFOFactory, []properties.Option) {
	return func(c, n int) (properties.FIFO, error) { return newLenRing(c, n, bug) },
		[]properties.Option{
			properties.MaxPacket(1<<16 - 1),
			properties.ErrorMeans(errRingFull, netbuf.ErrWouldBlock),
			properties.ErrorMeans(errRingEmpty, netbuf.ErrEmpty),
		}
}

// TestFIFOOtherLayout: a correct buffer with another layout (a length
// before each packet, no padding, packets split at the end) passes, with
// its limit (a 16-bit length) declared.
func TestFIFOOtherLayout(t *testing.T) {
	f, opts := lenRings("")
	properties.CheckFIFO(t, f, opts...)
}

// TestFIFOCatchesBrokenBuffers: each bug of lenRing fails CheckFIFO with a
// short counterexample, which replays (Corpus) to the same failure and
// passes on the correct ring.
func TestFIFOCatchesBrokenBuffers(t *testing.T) {
	for bug, want := range map[string]string{
		"no-wrap":          "want the oldest packet",
		"refuse-exact-fit": "an empty buffer refused",
		"short-pop-drops":  "the oldest packet",
	} {
		t.Run(bug, func(t *testing.T) {
			f, opts := lenRings(bug)
			var got *properties.Failure
			properties.CheckFIFO(t, f, append(opts, properties.OnFailure(func(f *properties.Failure) { got = f }))...)
			if got == nil || !strings.Contains(got.Error(), want) || got.Calls > 10 {
				t.Fatalf("want a failure of at most 10 calls saying %q, got %v", want, got)
			}
			t.Logf("%v", got)
			fsys := fstest.MapFS{"found.scn": {Data: []byte(got.Scenario)}}
			var again *properties.Failure
			properties.CheckFIFO(t, f, append(opts, properties.Corpus(fsys), properties.OnFailure(func(f *properties.Failure) { again = f }))...)
			if again == nil || again.Engine != "corpus" {
				t.Errorf("the scenario does not replay to a failure: %v", again)
			}
			good, opts := lenRings("")
			properties.CheckFIFO(t, good, append(opts, properties.Corpus(fsys))...)
		})
	}
}

// TestFIFOPolicies: a documented policy is declared, not worked around in
// the adapter: the ring that drops a packet popped into a short dst passes
// once ShortPopDrops says so, and the ring whose size limit counts the
// 2-byte length of each packet once PacketOverhead says so (it fails
// without).
func TestFIFOPolicies(t *testing.T) {
	f, opts := lenRings("short-pop-drops")
	properties.CheckFIFO(t, f, append(opts, properties.ShortPopDrops())...)
	tight, opts := lenRings("tight")
	properties.CheckFIFO(t, tight, append(opts, properties.PacketOverhead(2))...)
	var got *properties.Failure
	properties.CheckFIFO(t, tight, append(opts, properties.OnFailure(func(f *properties.Failure) { got = f }))...)
	if got == nil || !strings.Contains(got.Error(), "an empty buffer refused") {
		t.Fatalf("a size limit that counts lengths passes undeclared: %v", got)
	}
}

// FuzzLenRing fuzzes the length-prefixed ring with CheckFIFO's rules; its
// seeds (netbuf's corpus) run in every `go test`.
func FuzzLenRing(f *testing.F) {
	bug := os.Getenv("NETBUF_LENRING_BUG") // a bug of lenRing, to see the target bite
	newRing, opts := lenRings(bug)
	properties.FuzzFIFO(f, newRing, opts...)
}

// FuzzNetbuf fuzzes netbuf's UnorderedBuffer with CheckUnordered's calls.
func FuzzNetbuf(f *testing.F) { properties.FuzzUnordered(f, newNetbuf, properties.WithNilFuncs()) }

// sliceQueue keeps the caller's slices, as a queue of references would.
type sliceQueue struct {
	pkts  [][]byte
	slots int
}

func (q *sliceQueue) Push(p []byte) error {
	if len(q.pkts) == q.slots {
		return netbuf.ErrWouldBlock
	}
	q.pkts = append(q.pkts, p)
	return nil
}

func (q *sliceQueue) Pop(dst []byte) (int, error) {
	if len(q.pkts) == 0 {
		return 0, netbuf.ErrEmpty
	}
	if len(dst) < len(q.pkts[0]) {
		return 0, io.ErrShortBuffer
	}
	n := copy(dst, q.pkts[0])
	q.pkts = q.pkts[1:]
	return n, nil
}

// TestFIFOKeepsSlice: a queue that keeps the caller's slice fails, and the
// failure says so; with KeepsSlice declared it passes.
func TestFIFOKeepsSlice(t *testing.T) {
	newQ := func(c, n int) (properties.FIFO, error) { return &sliceQueue{slots: n}, nil }
	var got *properties.Failure
	properties.CheckFIFO(t, newQ, properties.OnFailure(func(f *properties.Failure) { got = f }))
	if got == nil || !strings.Contains(got.Error(), "declare KeepsSlice") {
		t.Fatalf("want a failure naming KeepsSlice, got %v", got)
	}
	t.Log(got)
	properties.CheckFIFO(t, newQ, properties.KeepsSlice())
}

// pastLen writes into dst's spare capacity: Pop must look at len(dst) only.
type pastLen struct{ *sliceQueue }

func (q pastLen) Push(p []byte) error { return q.sliceQueue.Push(append([]byte{}, p...)) }
func (q pastLen) Pop(dst []byte) (int, error) {
	n, err := q.sliceQueue.Pop(dst)
	if err == nil && cap(dst) > len(dst) {
		dst[:cap(dst)][len(dst)] = 1
	}
	return n, err
}

// TestFIFOPopPastLen: a Pop that writes past len(dst) fails.
func TestFIFOPopPastLen(t *testing.T) {
	var got *properties.Failure
	properties.CheckFIFO(t, func(c, n int) (properties.FIFO, error) { return pastLen{&sliceQueue{slots: n}}, nil },
		properties.OnFailure(func(f *properties.Failure) { got = f }))
	if got == nil || !strings.Contains(got.Error(), "past len(dst)") {
		t.Fatalf("a Pop writing past len(dst) passes: %v", got)
	}
	t.Log(got)
}
