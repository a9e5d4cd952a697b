package udp

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"testing"
	"time"

	"golang.org/x/net/ipv4"
)

// The receive benchmarks time the receiver alone: before each chunk of
// datagrams the timer stops, a sender fills the socket's kernel queue with
// sendmmsg (x/net WriteBatch, 64 datagrams a call), then the timer restarts
// and the receiver takes the whole chunk and consumes it. So the sender
// does not compete with the receiver for the 2 cores while it is timed; the
// figures are the receive path's own cost. One op is one datagram, so
// allocs/op is allocations per datagram.
const benchChunk = 2048

// benchRates holds each sub-benchmark's packets/s from its last (largest)
// run, for the ratios TestMain prints.
var benchRates = map[string]float64{}

func BenchmarkReceive(b *testing.B) {
	for _, size := range []int{64, 1400} {
		for _, mode := range []string{"batch", "single", "xnet", "naive"} {
			name := fmt.Sprintf("size=%d/mode=%s", size, mode)
			b.Run(name, func(b *testing.B) {
				benchReceive(b, mode, size)
				benchRates[name] = float64(b.N) / b.Elapsed().Seconds()
			})
		}
	}
}

func benchReceive(b *testing.B, mode string, size int) {
	rc, sc := pair(b, "127.0.0.1")
	_ = rc.SetReadDeadline(time.Now().Add(time.Minute)) // a lost datagram fails the run instead of hanging it
	send := newBatchSender(sc, size)
	recv := receiverFor(b, rc, mode)
	b.ReportAllocs()
	b.SetBytes(int64(size))
	b.ResetTimer()
	for done := 0; done < b.N; {
		c := min(benchChunk, b.N-done)
		b.StopTimer()
		send(b, c)
		b.StartTimer()
		recv(b, c)
		done += c
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// newBatchSender returns a function sending n datagrams of size bytes
// with sendmmsg.
func newBatchSender(sc *net.UDPConn, size int) func(testing.TB, int) {
	pc := ipv4.NewPacketConn(sc)
	payload := make([]byte, size)
	msgs := make([]ipv4.Message, 64)
	for i := range msgs {
		msgs[i].Buffers = [][]byte{payload}
	}
	return func(tb testing.TB, n int) {
		for n > 0 {
			k, err := pc.WriteBatch(msgs[:min(n, len(msgs))], 0)
			if err != nil {
				tb.Fatal(err)
			}
			n -= k
		}
	}
}

// receiverFor returns a function that receives and consumes exactly n
// datagrams in the given mode.
func receiverFor(b *testing.B, rc *net.UDPConn, name string) func(*testing.B, int) {
	if name == "naive" {
		return naiveReceiver(rc)
	}
	m := mode{name: name, batch: name != "single", xnet: name == "xnet"}
	r := newReceiver(b, rc, m, Config{MTU: 1500, Capacity: 4 << 20, MaxPackets: 4096, Batch: 64})
	var sum int
	consume := func(p []byte, _ netip.AddrPort) error { sum += len(p); return nil }
	return func(b *testing.B, n int) {
		for got := 0; got < n; {
			k, err := m.read(r)
			if err != nil {
				b.Fatalf("after %d of %d: %v (stats %+v)", got, n, err, r.Stats())
			}
			got += k
			for r.PopWith(consume) == nil {
			}
		}
	}
}

// naiveReceiver is the baseline: a fresh slice per datagram, read with
// ReadFromUDPAddrPort and queued, as simple Go code does.
func naiveReceiver(rc *net.UDPConn) func(*testing.B, int) {
	type packet struct {
		data []byte
		from netip.AddrPort
	}
	queue := make([]packet, 0, benchChunk)
	var sum int
	return func(b *testing.B, n int) {
		for range n {
			p := make([]byte, 1500)
			k, from, err := rc.ReadFromUDPAddrPort(p)
			if err != nil {
				b.Fatal(err)
			}
			queue = append(queue, packet{p[:k], from})
		}
		for _, p := range queue {
			sum += len(p.data)
		}
		queue = queue[:0]
	}
}

// TestMain prints the receive benchmarks' ratios, measured in this one run,
// after they ran.
func TestMain(m *testing.M) {
	code := m.Run()
	if len(benchRates) > 0 {
		names := make([]string, 0, len(benchRates))
		for k := range benchRates {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, size := range []int{64, 1400} {
			rate := func(mode string) float64 { return benchRates[fmt.Sprintf("size=%d/mode=%s", size, mode)] }
			if rate("batch") == 0 || rate("single") == 0 || rate("naive") == 0 {
				continue
			}
			fmt.Printf("RATIO size=%d batch/single %.2f (target >= 2 at 64 B)  batch/naive %.2f  single/naive %.2f  xnet/single %.2f  batch/xnet %.2f\n",
				size, rate("batch")/rate("single"), rate("batch")/rate("naive"), rate("single")/rate("naive"),
				rate("xnet")/rate("single"), rate("batch")/rate("xnet"))
		}
	}
	os.Exit(code)
}
