package udp

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkReceiveC puts netbuf/udp's Receiver beside a C loop doing the
// same receive (testdata/crecv.c: the bytes, the source and the drop
// counter of each datagram, into one flat buffer) in the fewest system
// calls the kernel allows, per mode: batch (recvmmsg, 64 a call) and gro
// (recvmsg with UDP_GRO, a GSO sender), and c-gro-scatter, the GRO read
// with one iovec per segment, each where its packet would go in the
// buffer, which tells what that layout costs the kernel against one flat
// iovec. The C loop is built with the
// system's cc into a temporary directory; without cc the benchmark is
// skipped. Both sides get the same traffic from the same senders as
// BenchmarkReceive (the kernel queue filled before each chunk), chunk by
// chunk in turn, and both are measured the same way: the receiving
// thread's CPU time (CLOCK_THREAD_CPUTIME_ID) over the receive of a chunk.
// It reports each lane's datagrams per CPU-second and go/c per mode.
func BenchmarkReceiveC(b *testing.B) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		b.Skip("no C compiler (cc) on PATH: BenchmarkReceiveC builds testdata/crecv.c with it")
	}
	bin := filepath.Join(b.TempDir(), "crecv")
	if out, err := exec.Command(cc, "-O2", "-o", bin, "testdata/crecv.c").CombinedOutput(); err != nil {
		b.Fatalf("cc testdata/crecv.c: %v\n%s", err, out)
	}
	for _, size := range []int{64, 1400} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) { benchReceiveC(b, bin, size) })
	}
}

type cLane struct {
	name string // go-batch, c-batch, go-gro, c-gro, c-gro-scatter
	send func(testing.TB, int)
	recv func(*testing.B, int) time.Duration // the receiving thread's CPU time
	cpu  time.Duration
}

func benchReceiveC(b *testing.B, bin string, size int) {
	var lanes []*cLane
	for _, mode := range []string{"batch", "gro"} {
		rc, sc := pair(b, "127.0.0.1")
		_ = rc.SetReadDeadline(time.Now().Add(5 * time.Minute))
		recv := receiverFor(b, rc, mode)
		lanes = append(lanes, &cLane{name: "go-" + mode, send: senderFor(sc, mode, size),
			recv: func(b *testing.B, n int) time.Duration {
				cpu := threadCPU()
				recv(b, n)
				return threadCPU() - cpu
			}})
		for _, cmode := range []string{mode, mode + "-scatter"}[:1+b2i(mode == "gro")] {
			send, recvC := startC(b, bin, cmode, size)
			lanes = append(lanes, &cLane{name: "c-" + cmode, send: send, recv: recvC})
		}
	}
	runtime.LockOSThread() // for threadCPU
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for round, done := 0, 0; done < b.N; round++ {
		c := min(benchChunk, b.N-done)
		for j := range lanes {
			l := lanes[(round+j)%len(lanes)]
			b.StopTimer()
			l.send(b, c)
			b.StartTimer()
			l.cpu += l.recv(b, c)
		}
		done += c
	}
	b.StopTimer()
	rate := map[string]float64{}
	for _, l := range lanes {
		rate[l.name] = float64(b.N) / l.cpu.Seconds()
		b.ReportMetric(rate[l.name], l.name+"-pkts/cpu-s")
	}
	for _, mode := range []string{"batch", "gro"} {
		b.ReportMetric(rate["go-"+mode]/rate["c-"+mode], "go/c-"+mode)
	}
	b.ReportMetric(rate["c-gro-scatter"]/rate["c-gro"], "c-gro-scatter/c-gro")
}

func b2i(v bool) int {
	if v {
		return 1
	}
	return 0
}

// startC starts the C receiver in mode and returns a sender of size-byte
// datagrams to its socket and its receive: exactly n datagrams, returning
// the CPU time its receiving thread took.
func startC(b *testing.B, bin, mode string, size int) (func(testing.TB, int), func(*testing.B, int) time.Duration) {
	cmd := exec.Command(bin, mode)
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { in.Close(); _ = cmd.Wait() })
	out := bufio.NewReader(outPipe)
	line := func() string {
		s, err := out.ReadString('\n')
		if err != nil {
			b.Fatalf("crecv %s: %v", mode, err)
		}
		return s
	}
	var port int
	if _, err := fmt.Sscan(line(), &port); err != nil {
		b.Fatalf("crecv %s: no port: %v", mode, err)
	}
	sc, err := net.DialUDP("udp", nil, &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sc.Close() })
	recv := func(b *testing.B, n int) time.Duration {
		if _, err := io.WriteString(in, strconv.Itoa(n)+"\n"); err != nil {
			b.Fatal(err)
		}
		var cpu, wall int64
		if _, err := fmt.Sscan(line(), &cpu, &wall); err != nil {
			b.Fatalf("crecv %s: %v", mode, err)
		}
		return time.Duration(cpu)
	}
	return senderFor(sc, strings.TrimSuffix(mode, "-scatter"), size), recv
}
