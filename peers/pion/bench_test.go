package pion

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/pion/interceptor/pkg/jitterbuffer"
	"github.com/pion/rtp"
)

// The benchmark's traffic: packets arrive in blocks of benchWindow
// consecutive 16-bit sequence numbers, each block in the same shuffled
// order, and after every push the receiver pops everything that is ready,
// as a receive loop does. The sequence numbers wrap many times over a run.
const benchWindow = 32

var benchPerm = rand.New(rand.NewPCG(3, 5)).Perm(benchWindow)

func benchSeq(i int) uint16 { return uint16(i - i%benchWindow + benchPerm[i%benchWindow]) }

var (
	benchPayload = make([]byte, 1500)
	benchSink    = make([]byte, 1500)
)

// BenchmarkReorder compares netbuf's OrderedBuffer with pion's jitter
// buffer on the same traffic, per packet. A datagram read into a reused
// buffer must be copied before pion's Push keeps it, so the pion receiver
// copies each payload into a new slice and wraps it in a new rtp.Packet,
// as a caller of Push would; its playout head is set to the first
// sequence (pion starts at the first packet to arrive otherwise, see
// TestFindingPlayoutHeadIsFirstArrival) and its minimum packet count is 1.
func BenchmarkReorder(b *testing.B) {
	for _, size := range []int{64, 1200} {
		b.Run("impl=netbuf/size="+strconv.Itoa(size), func(b *testing.B) {
			buf, err := netbuf.NewOrderedBuffer(netbuf.OrderedConfig{
				Capacity: 2 * benchWindow * size, MaxPackets: 2 * benchWindow, Window: benchWindow, SeqBits: 16})
			if err != nil {
				b.Fatal(err)
			}
			total := 0
			consume := func(_ uint32, p []byte) error { total += copy(benchSink, p); return nil }
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if err := buf.Push(uint32(benchSeq(i)), benchPayload[:size]); err != nil {
					b.Fatal(err)
				}
				for buf.PopWith(consume) == nil {
				}
			}
			b.StopTimer()
			checkPopped(b, total, size)
		})
		b.Run("impl=pion/size="+strconv.Itoa(size), func(b *testing.B) {
			jb := jitterbuffer.New(jitterbuffer.WithMinimumPacketCount(1))
			jb.SetPlayoutHead(0)
			total := 0
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				seq := benchSeq(i)
				jb.Push(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: uint32(seq)},
					Payload: append([]byte(nil), benchPayload[:size]...)})
				for {
					p, err := jb.Pop()
					if err != nil {
						break
					}
					total += copy(benchSink, p.Payload)
				}
			}
			b.StopTimer()
			// pion does not deliver every packet of this traffic (see
			// docs/peers.md): report the share it delivered instead of failing.
			b.ReportMetric(float64(total)/float64(b.N*size), "delivered/op")
		})
	}
}

// checkPopped fails a run that did not deliver every completed block.
func checkPopped(b *testing.B, total, size int) {
	if done := b.N - b.N%benchWindow; total < done*size || total > b.N*size {
		b.Fatalf("popped %d bytes of %d packets of %d", total, b.N, size)
	}
}
