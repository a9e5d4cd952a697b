package udp

import (
	"context"
	"fmt"
	"hash/crc32"
	"net"
	"net/netip"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/ipv4"
)

// The receive benchmarks time the receiver alone: before each chunk of
// datagrams the timer stops, a sender fills the socket's kernel queue with
// sendmmsg (x/net WriteBatch, 64 datagrams a call), or for the GRO lane
// with GSO sends (runs of up to 64 datagrams, 64 KiB, a call), and waits
// 1 ms for the kernel to deliver them to the socket, then the timer
// restarts and the receiver takes the whole chunk and consumes it. So the sender
// does not compete with the receiver for the 2 cores while it is timed; the
// figures are the receive path's own cost. One op is one datagram, so
// allocs/op is allocations per datagram.
const benchChunk = 2048

func BenchmarkReceive(b *testing.B) {
	for _, size := range []int{64, 1400} {
		for _, mode := range []string{"batch", "single", "xnet", "naive", "gro", "gro-plain"} {
			name := fmt.Sprintf("size=%d/mode=%s", size, mode)
			b.Run(name, func(b *testing.B) { benchReceive(b, mode, size) })
		}
	}
}

func benchReceive(b *testing.B, mode string, size int) {
	rc, sc := pair(b, "127.0.0.1")
	_ = rc.SetReadDeadline(time.Now().Add(time.Minute)) // a lost datagram fails the run instead of hanging it
	send := senderFor(sc, mode, size)
	if send == nil {
		b.Skip("no GSO here")
	}
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
// with sendmmsg, then giving the kernel a millisecond to queue them all.
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
		// Let the kernel finish delivering before the timer restarts: under
		// load, loopback delivery moves to the ksoftirqd thread and lags
		// the send, and a receiver timed meanwhile would measure that wait
		// (and read small batches of what has trickled in).
		time.Sleep(time.Millisecond)
	}
}

// senderFor returns the sender of a lane: GSO runs for the GRO lane,
// sendmmsg for the others (nil if GSO is not available).
func senderFor(sc *net.UDPConn, lane string, size int) func(testing.TB, int) {
	if lane == "gro" {
		return newGSOBatchSender(sc, size)
	}
	return newBatchSender(sc, size)
}

// receiverFor returns a function that receives and consumes exactly n
// datagrams in the given mode ("gro" and "gro-plain" are both GRO reads;
// they differ in their sender).
func receiverFor(b *testing.B, rc *net.UDPConn, name string) func(*testing.B, int) {
	if name == "naive" {
		return naiveReceiver(rc)
	}
	gro := name == "gro" || name == "gro-plain"
	m := mode{name: name, batch: name != "single", xnet: name == "xnet", gro: gro}
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

// BenchmarkReceiveRatio measures the receivers in one run, chunk by
// chunk in turn (the first lane rotates), so that a load shift on a shared
// machine hits them alike, and reports each one's packets/s and allocations
// per datagram and the ratios between them. b.N datagrams go through each
// receiver; the timed part of each chunk is the receive alone (the sender
// fills the kernel queue before, as in BenchmarkReceive), and allocations
// are counted with runtime.ReadMemStats outside the timed part. Rates are
// given twice: by wall clock (pkts/s), and by the receiving thread's CPU
// time (pkts/cpu-s, Linux), which a loaded machine disturbs much less.
func BenchmarkReceiveRatio(b *testing.B) {
	for _, size := range []int{64, 1400} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			type lane struct {
				name   string
				send   func(testing.TB, int)
				recv   func(*testing.B, int)
				took   time.Duration // wall clock
				cpu    time.Duration // this thread's CPU time
				allocs uint64
			}
			var lanes []*lane
			for _, name := range []string{"batch", "single", "xnet", "naive", "gro", "gro-plain"} {
				rc, sc := pair(b, "127.0.0.1")
				_ = rc.SetReadDeadline(time.Now().Add(5 * time.Minute))
				if send := senderFor(sc, name, size); send != nil {
					lanes = append(lanes, &lane{name: name, send: send, recv: receiverFor(b, rc, name)})
				}
			}
			var ms runtime.MemStats
			runtime.LockOSThread() // for threadCPU
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			for round, done := 0, 0; done < b.N; round++ {
				c := min(benchChunk, b.N-done)
				for j := range lanes {
					l := lanes[(round+j)%len(lanes)]
					b.StopTimer()
					l.send(b, c)
					runtime.ReadMemStats(&ms)
					before := ms.Mallocs
					b.StartTimer()
					start, cpu := time.Now(), threadCPU()
					l.recv(b, c)
					l.cpu += threadCPU() - cpu
					l.took += time.Since(start)
					b.StopTimer()
					runtime.ReadMemStats(&ms)
					l.allocs += ms.Mallocs - before
					b.StartTimer()
				}
				done += c
			}
			b.StopTimer()
			rate, cpuRate := map[string]float64{}, map[string]float64{}
			for _, l := range lanes {
				rate[l.name] = float64(b.N) / l.took.Seconds()
				cpuRate[l.name] = float64(b.N) / l.cpu.Seconds()
				b.ReportMetric(rate[l.name], l.name+"-pkts/s")
				b.ReportMetric(cpuRate[l.name], l.name+"-pkts/cpu-s")
				b.ReportMetric(float64(l.allocs)/float64(b.N), l.name+"-allocs/pkt")
			}
			for _, r := range [][2]string{{"batch", "single"}, {"batch", "naive"}, {"single", "naive"}, {"batch", "xnet"},
				{"gro", "single"}, {"gro", "batch"}, {"gro-plain", "single"}, {"gro-plain", "batch"}} {
				if rate[r[0]] == 0 || rate[r[1]] == 0 {
					continue
				}
				b.ReportMetric(rate[r[0]]/rate[r[1]], r[0]+"/"+r[1])
				b.ReportMetric(cpuRate[r[0]]/cpuRate[r[1]], r[0]+"/"+r[1]+"-cpu")
			}
		})
	}
}

// BenchmarkSPSCReceiveRatio measures the SPSCReceiver (reading on its own
// goroutine, consuming on the benchmark's) against the Receiver on one
// goroutine (ReadOne or ReadBatch, then PopWith), on the same traffic:
// chunk by chunk in turn, the first lane rotating, b.N datagrams through
// each. Unlike BenchmarkReceiveRatio the sender runs during the timed
// part, as it must (the SPSC reader takes datagrams as soon as they come):
// a sender goroutine of its own sends with sendmmsg, never more than
// spscBenchWindow datagrams ahead of the consumer (the kernel queue never
// overflows), sleeping while it may not send. Per lane it reports
// datagrams per second of wall clock (send of the chunk's first datagram
// to consumption of its last) and per CPU-second of the receive side: the
// process's CPU time less the sender thread's (which includes the
// kernel's loopback delivery). consume is the work done per datagram:
// none (its length summed) or crc (CRC-32 of its bytes).
func BenchmarkSPSCReceiveRatio(b *testing.B) {
	for _, work := range []string{"none", "crc"} {
		for _, size := range []int{64, 1400} {
			b.Run(fmt.Sprintf("work=%s/size=%d", work, size), func(b *testing.B) { benchSPSCRatio(b, work, size) })
		}
	}
}

const spscBenchWindow = 1024

type spscLane struct {
	name     string
	send     func(testing.TB, int) // n datagrams, sendmmsg
	recv     func(b *testing.B, n int, consumed *atomic.Int64)
	took     time.Duration
	cpu      time.Duration
	consumed atomic.Int64
}

func benchSPSCRatio(b *testing.B, work string, size int) {
	var sum uint64
	consume := func(p []byte, _ netip.AddrPort) error { sum += uint64(len(p)); return nil }
	if work == "crc" {
		consume = func(p []byte, _ netip.AddrPort) error { sum += uint64(crc32.ChecksumIEEE(p)); return nil }
	}
	var lanes []*spscLane
	for _, name := range []string{"spsc", "single", "batch"} {
		rc, sc := pair(b, "127.0.0.1")
		l := &spscLane{name: name, send: newWindowSender(sc, size)}
		if name == "spsc" {
			r := newSPSC(b, context.Background(), rc, Config{MTU: 1500, Capacity: 4 << 20, MaxPackets: 4096})
			l.recv = func(b *testing.B, n int, consumed *atomic.Int64) {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				for got := 0; got < n; {
					if err := r.Wait(ctx); err != nil {
						b.Fatalf("after %d of %d: %v (stats %v)", got, n, err, r.Stats())
					}
					for r.PopWith(consume) == nil {
						got++
					}
					consumed.Store(int64(got))
				}
			}
		} else {
			m := mode{name: name, batch: name == "batch"}
			r := newReceiver(b, rc, m, Config{MTU: 1500, Capacity: 4 << 20, MaxPackets: 4096, Batch: 64})
			l.recv = func(b *testing.B, n int, consumed *atomic.Int64) {
				_ = rc.SetReadDeadline(time.Now().Add(time.Minute))
				for got := 0; got < n; {
					if _, err := m.read(r); err != nil {
						b.Fatalf("after %d of %d: %v (stats %v)", got, n, err, r.Stats())
					}
					for r.PopWith(consume) == nil {
						got++
					}
					consumed.Store(int64(got))
				}
			}
		}
		lanes = append(lanes, l)
	}

	// The sender goroutine, on a thread of its own so that its CPU time
	// can be taken out.
	type job struct {
		l *spscLane
		n int
	}
	jobs, sent := make(chan job), make(chan time.Duration)
	go func() {
		runtime.LockOSThread()
		for j := range jobs {
			cpu := threadCPU()
			for done := 0; done < j.n; {
				if done-int(j.l.consumed.Load()) > spscBenchWindow-64 {
					time.Sleep(20 * time.Microsecond)
					continue
				}
				k := min(64, j.n-done)
				j.l.send(b, k)
				done += k
			}
			sent <- threadCPU() - cpu
		}
	}()
	defer close(jobs)

	b.SetBytes(int64(size))
	b.ResetTimer()
	for round, done := 0, 0; done < b.N; round++ {
		c := min(benchChunk, b.N-done)
		for j := range lanes {
			l := lanes[(round+j)%len(lanes)]
			l.consumed.Store(0)
			start, cpu := time.Now(), processCPU()
			jobs <- job{l, c}
			l.recv(b, c, &l.consumed)
			senderCPU := <-sent
			l.cpu += processCPU() - cpu - senderCPU
			l.took += time.Since(start)
		}
		done += c
	}
	b.StopTimer()
	rate, cpuRate := map[string]float64{}, map[string]float64{}
	for _, l := range lanes {
		rate[l.name] = float64(b.N) / l.took.Seconds()
		cpuRate[l.name] = float64(b.N) / l.cpu.Seconds()
		b.ReportMetric(rate[l.name], l.name+"-pkts/s")
		b.ReportMetric(cpuRate[l.name], l.name+"-pkts/cpu-s")
	}
	for _, other := range []string{"single", "batch"} {
		b.ReportMetric(rate["spsc"]/rate[other], "spsc/"+other)
		b.ReportMetric(cpuRate["spsc"]/cpuRate[other], "spsc/"+other+"-cpu")
	}
}

// newWindowSender returns a function sending n datagrams of size bytes
// with sendmmsg (n at most 64: one call), without waiting.
func newWindowSender(sc *net.UDPConn, size int) func(testing.TB, int) {
	pc := ipv4.NewPacketConn(sc)
	payload := make([]byte, size)
	for i := range payload {
		payload[i] = byte(i)
	}
	msgs := make([]ipv4.Message, 64)
	for i := range msgs {
		msgs[i].Buffers = [][]byte{payload}
	}
	return func(tb testing.TB, n int) {
		for n > 0 {
			k, err := pc.WriteBatch(msgs[:n], 0)
			if err != nil {
				tb.Error(err)
				return
			}
			n -= k
		}
	}
}
