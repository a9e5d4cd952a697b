package udp

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
)

// mode is one way of reading: one datagram per call, or a batch per call
// through the direct recvmmsg or through x/net, or GRO reads (which fall
// back to batches where there is no GRO).
type mode struct {
	name  string
	batch bool
	xnet  bool
	gro   bool
}

var modes = []mode{{"single", false, false, false}, {"batch", true, false, false}, {"xnet", true, true, false}, {"gro", true, false, true}}

// read reads once in mode m and returns the datagrams committed.
func (m mode) read(r *Receiver) (int, error) {
	if m.batch {
		return r.ReadBatch()
	}
	if _, err := r.ReadOne(); err != nil {
		return 0, err
	}
	return 1, nil
}

var families = []string{"127.0.0.1", "::1"}

// pair returns a receiving socket with a 4 MiB SO_RCVBUF request, and a
// sender connected to it.
func pair(t testing.TB, host string) (rc, sc *net.UDPConn) {
	t.Helper()
	rc, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(host), 0)))
	if err != nil {
		t.Skipf("no %s loopback: %v", host, err)
	}
	if err := rc.SetReadBuffer(4 << 20); err != nil {
		t.Fatal(err)
	}
	sc, err = net.DialUDP("udp", nil, rc.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rc.Close(); sc.Close() })
	return rc, sc
}

func newReceiver(t testing.TB, conn *net.UDPConn, m mode, cfg Config) *Receiver {
	t.Helper()
	cfg.XNet = m.xnet
	cfg.GRO = m.gro
	r, err := NewReceiver(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if on, err := r.GRO(); m.gro && runtime.GOOS == "linux" && !on {
		t.Fatalf("GRO asked for on Linux, off: %v", err)
	}
	return r
}

// source is the address the receiver should report for datagrams from sc.
func source(sc *net.UDPConn) netip.AddrPort {
	return sc.LocalAddr().(*net.UDPAddr).AddrPort()
}

func sameSource(got, want netip.AddrPort) bool {
	return got.Addr().Unmap() == want.Addr().Unmap() && got.Port() == want.Port()
}

// payloads returns n datagrams of random sizes in [0, mtu], zero-length
// and full-size ones included, each starting with its sequence number when
// it has room for it.
func payloads(seed uint64, n, mtu int) [][]byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	ps := make([][]byte, n)
	for i := range ps {
		size := rng.IntN(mtu + 1)
		switch i % 97 {
		case 0:
			size = 0
		case 1:
			size = mtu
		}
		p := make([]byte, size)
		for j := range p {
			p[j] = byte(rng.Uint32())
		}
		if size >= 4 {
			p[0], p[1], p[2], p[3] = byte(i>>24), byte(i>>16), byte(i>>8), byte(i)
		}
		ps[i] = p
	}
	return ps
}

// TestReceiveIntactInOrder sends 3000 datagrams of random sizes from a real
// socket, in windows of 256 so that the kernel queue never overflows, and
// checks each one arrives whole, in order, from the sender's address. The
// buffer (32 KiB, 64 slots) is much smaller than the traffic, so reads
// wrap, hit ErrWouldBlock and resume all the time; the consumer pops a
// random number of packets between reads.
func TestReceiveIntactInOrder(t *testing.T) {
	const n, window, mtu = 3000, 256, 1500
	for _, host := range families {
		for _, m := range modes {
			t.Run(host+"/"+m.name, func(t *testing.T) {
				rc, sc := pair(t, host)
				r := newReceiver(t, rc, m, Config{MTU: mtu, Capacity: 32 << 10, MaxPackets: 64, Batch: 16})
				want := payloads(uint64(len(host)), n, mtu)
				from := source(sc)
				acked := make(chan int, n)
				sendErr := make(chan error, 1)
				go func() { sendErr <- sendWindowed(sc, want, window, acked) }()
				rng := rand.New(rand.NewPCG(3, 4))
				got, blocked := 0, 0
				_ = rc.SetReadDeadline(time.Now().Add(20 * time.Second))
				for got < n {
					var err error
					if r.Stats().Packets < n {
						_, err = m.read(r)
					}
					switch {
					case errors.Is(err, netbuf.ErrWouldBlock):
						blocked++
					case err != nil:
						t.Fatalf("after %d datagrams: %v", got, err)
					}
					if err := r.buf.Check(); err != nil {
						t.Fatalf("after %d datagrams: %v", got, err)
					}
					pops := 0
					if rng.IntN(32) == 0 { // a slow consumer, so the buffer fills
						pops = rng.IntN(r.Len() + 1)
					}
					if err != nil {
						pops = r.Len() // full: drain before reading on
					}
					for range pops {
						if err := r.PopWith(func(p []byte, src netip.AddrPort) error {
							if !bytes.Equal(p, want[got]) {
								return fmt.Errorf("datagram %d: %d bytes %.8x, want %d bytes %.8x", got, len(p), p, len(want[got]), want[got])
							}
							if !sameSource(src, from) {
								return fmt.Errorf("datagram %d from %v, want %v", got, src, from)
							}
							return nil
						}); err != nil {
							t.Fatal(err)
						}
						got++
						acked <- got
					}
				}
				if err := <-sendErr; err != nil {
					t.Fatal(err)
				}
				if err := r.buf.Check(); err != nil {
					t.Fatal(err)
				}
				st := r.Stats()
				if st.Packets != n || st.Drops != 0 || st.Truncated != 0 {
					t.Fatalf("stats %+v, want %d packets, no drop, no truncation", st, n)
				}
				if blocked == 0 {
					t.Errorf("buffer never full: backpressure not exercised")
				}
				t.Logf("%d reads for %d datagrams, %d would-block", st.Reads, st.Packets, blocked)
			})
		}
	}
}

// sendWindowed sends ps, never more than window ahead of the count the
// receiver has consumed (read from acked).
func sendWindowed(sc *net.UDPConn, ps [][]byte, window int, acked <-chan int) error {
	done := 0
	for i, p := range ps {
		for i-done >= window {
			done = <-acked
		}
		if _, err := sc.Write(p); err != nil {
			return fmt.Errorf("send %d: %w", i, err)
		}
	}
	return nil
}

// TestFullBufferStopsReading: with room for 4 datagrams, the receiver
// takes 4, answers ErrWouldBlock without reading more, and after the
// consumer pops, the rest come out of the kernel queue in order.
func TestFullBufferStopsReading(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rc, sc := pair(t, "127.0.0.1")
			r := newReceiver(t, rc, m, Config{MTU: 100, Capacity: 4 * (100 + HeaderSize), MaxPackets: 16, Batch: 8})
			for i := range 10 {
				p := make([]byte, 100) // 4 fill the storage
				p[0] = byte(i)
				if _, err := sc.Write(p); err != nil {
					t.Fatal(err)
				}
			}
			_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
			for r.Len() < 4 {
				if _, err := m.read(r); err != nil {
					t.Fatalf("with %d held: %v", r.Len(), err)
				}
			}
			if _, err := m.read(r); !errors.Is(err, netbuf.ErrWouldBlock) {
				t.Fatalf("full buffer: err %v, want ErrWouldBlock", err)
			}
			if r.Len() != 4 || r.Stats().WouldBlock != 1 {
				t.Fatalf("len %d stats %+v after a refused read", r.Len(), r.Stats())
			}
			next := 0
			for next < 10 {
				for r.Len() > 0 {
					if err := r.PopWith(func(p []byte, _ netip.AddrPort) error {
						if len(p) != 100 || int(p[0]) != next {
							return fmt.Errorf("got %d bytes from %d, want 100 from %d", len(p), p[0], next)
						}
						next++
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				}
				if next < 10 {
					if _, err := m.read(r); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}
}

// TestDeadlineAndCloseLoseNothing: a read deadline and a Close from
// another goroutine, while the receiver waits in a read, come back as
// os.ErrDeadlineExceeded and net.ErrClosed; the datagrams read before stay
// held and pop out intact.
func TestDeadlineAndCloseLoseNothing(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rc, sc := pair(t, "::1")
			r := newReceiver(t, rc, m, Config{MTU: 1500, Capacity: 64 << 10})
			want := payloads(9, 50, 1500)
			for _, p := range want {
				if _, err := sc.Write(p); err != nil {
					t.Fatal(err)
				}
			}
			_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
			for r.Len() < 30 {
				if _, err := m.read(r); err != nil {
					t.Fatal(err)
				}
			}
			for r.Len() < 50 {
				if _, err := m.read(r); err != nil {
					t.Fatal(err)
				}
			}
			_ = rc.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
			if _, err := m.read(r); !errors.Is(err, os.ErrDeadlineExceeded) {
				t.Fatalf("deadline: err %v, want os.ErrDeadlineExceeded", err)
			}
			_ = rc.SetReadDeadline(time.Time{})
			go func() {
				time.Sleep(30 * time.Millisecond) // let the read block first
				rc.Close()
			}()
			if _, err := m.read(r); !errors.Is(err, net.ErrClosed) {
				t.Fatalf("close mid-read: err %v, want net.ErrClosed", err)
			}
			if _, err := m.read(r); !errors.Is(err, net.ErrClosed) {
				t.Fatalf("read after close: err %v, want net.ErrClosed", err)
			}
			for i := range want {
				if err := r.PopWith(func(p []byte, _ netip.AddrPort) error {
					if !bytes.Equal(p, want[i]) {
						return fmt.Errorf("datagram %d differs after the errors", i)
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			if r.Len() != 0 {
				t.Fatalf("%d extra packets", r.Len())
			}
		})
	}
}

// TestKernelDropsCounted overflows a small kernel queue while the buffer
// is full, then reads everything: the datagrams received plus the drops
// the kernel reported must add up to the datagrams sent.
func TestKernelDropsCounted(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("drop counter (SO_RXQ_OVFL) is Linux only")
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rc, sc := pair(t, "127.0.0.1")
			if err := rc.SetReadBuffer(16 << 10); err != nil {
				t.Fatal(err)
			}
			r := newReceiver(t, rc, m, Config{MTU: 200, Capacity: 200 * 8, MaxPackets: 8})
			const sent = 2000
			p := make([]byte, 100)
			for i := range sent {
				if _, err := sc.Write(p); err != nil {
					t.Fatalf("send %d: %v", i, err)
				}
			}
			received, marker := 0, false
			// drain reads until the marker has come and then 100 ms pass
			// with nothing more (or 10 s in all): under load the kernel may
			// deliver loopback datagrams late, from its softirq thread.
			drain := func(wantMarker bool) {
				end := time.Now().Add(10 * time.Second)
				for {
					_ = rc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
					_, err := m.read(r)
					if errors.Is(err, os.ErrDeadlineExceeded) {
						if marker == wantMarker || time.Now().After(end) {
							return
						}
						continue
					}
					if err != nil && !errors.Is(err, netbuf.ErrWouldBlock) {
						t.Fatal(err)
					}
					for r.PopWith(func(q []byte, _ netip.AddrPort) error { marker = marker || len(q) == 7; return nil }) == nil {
						received++
					}
				}
			}
			drain(false)
			if _, err := sc.Write(p[:7]); err != nil { // the counter rides on the next datagram queued
				t.Fatal(err)
			}
			drain(true)
			st := r.Stats()
			t.Logf("sent %d+1, received %d (marker %v), drops %d, reads %d", sent, received, marker, st.Drops, st.Reads)
			if st.Drops == 0 || uint64(received)+st.Drops != sent+1 {
				t.Fatalf("received %d + drops %d != sent %d", received, st.Drops, sent+1)
			}
		})
	}
}

// TestTruncatedCounted: a datagram longer than the MTU is committed cut to
// MTU bytes and counted.
func TestTruncatedCounted(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("truncation flag read on Linux only")
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rc, sc := pair(t, "127.0.0.1")
			r := newReceiver(t, rc, m, Config{MTU: 10})
			_, _ = sc.Write([]byte("0123456789abcdef"))
			_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := m.read(r); err != nil {
				t.Fatal(err)
			}
			if st := r.Stats(); st.Truncated != 1 || st.Bytes != 10 {
				t.Fatalf("stats %+v, want 1 truncated, 10 bytes", st)
			}
			_ = r.PopWith(func(p []byte, _ netip.AddrPort) error {
				if string(p) != "0123456789" {
					t.Fatalf("got %q", p)
				}
				return nil
			})
		})
	}
}

// TestZeroAllocsPerPacket: a steady state of send, read and pop allocates
// nothing per datagram in the single and direct batch modes. (The x/net
// mode is measured and logged: x/net allocates the source address.)
func TestZeroAllocsPerPacket(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rc, sc := pair(t, "127.0.0.1")
			r := newReceiver(t, rc, m, Config{MTU: 1500, Capacity: 1 << 20, Batch: 16})
			p := make([]byte, 64)
			drop := func([]byte, netip.AddrPort) error { return nil }
			_ = rc.SetReadDeadline(time.Now().Add(10 * time.Second))
			allocs := testing.AllocsPerRun(200, func() {
				for range 16 {
					_, _ = sc.Write(p)
				}
				for got := 0; got < 16; {
					k, err := m.read(r)
					if err != nil {
						panic(err)
					}
					got += k
				}
				for r.PopWith(drop) == nil {
				}
			}) / 16
			t.Logf("%s: %.2f allocs per datagram", m.name, allocs)
			if !m.xnet && allocs != 0 {
				t.Fatalf("%.2f allocs per datagram, want 0", allocs)
			}
		})
	}
}

// TestSourcesFollowPackets: three senders take turns, so a source ring out
// of step with the packets (or a port read in the wrong byte order) shows:
// each datagram names its sender, and PopWith must report that sender.
func TestSourcesFollowPackets(t *testing.T) {
	for _, host := range families {
		for _, m := range modes {
			t.Run(host+"/"+m.name, func(t *testing.T) {
				rc, sc0 := pair(t, host)
				senders := []*net.UDPConn{sc0}
				for range 2 {
					sc, err := net.DialUDP("udp", nil, rc.LocalAddr().(*net.UDPAddr))
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { sc.Close() })
					senders = append(senders, sc)
				}
				r := newReceiver(t, rc, m, Config{MTU: 64, Capacity: 4096, MaxPackets: 32, Batch: 8})
				rng := rand.New(rand.NewPCG(5, 6))
				const n = 600
				order := make([]int, n)
				_ = rc.SetReadDeadline(time.Now().Add(10 * time.Second))
				got := 0
				for sent := 0; got < n; {
					for ; sent < n && sent-got < 100; sent++ {
						i := rng.IntN(len(senders))
						order[sent] = i
						if _, err := senders[i].Write([]byte{byte(i), byte(sent), byte(sent >> 8)}); err != nil {
							t.Fatal(err)
						}
					}
					if _, err := m.read(r); err != nil && !errors.Is(err, netbuf.ErrWouldBlock) {
						t.Fatal(err)
					}
					for {
						err := r.PopWith(func(p []byte, src netip.AddrPort) error {
							i := order[got]
							if len(p) != 3 || int(p[0]) != i || int(p[1])|int(p[2])<<8 != got {
								return fmt.Errorf("datagram %d: %v, want sender %d", got, p, i)
							}
							if want := source(senders[i]); !sameSource(src, want) {
								return fmt.Errorf("datagram %d from %v, want sender %d at %v", got, src, i, want)
							}
							got++
							return nil
						})
						if errors.Is(err, netbuf.ErrEmpty) {
							break
						}
						if err != nil {
							t.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// TestResetInsideConsume: Reset called from inside PopWith's consume does
// nothing (the buffer is busy there), so the packets that follow must still
// pop out, each with its own source, and so must the ones read afterwards.
func TestResetInsideConsume(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rc, a := pair(t, "127.0.0.1")
			b, err := net.DialUDP("udp", nil, rc.LocalAddr().(*net.UDPAddr))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			r := newReceiver(t, rc, m, Config{MTU: 64, Capacity: 4096, MaxPackets: 16, Batch: 8})
			senders := []*net.UDPConn{a, b, a, b, b, a}
			_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
			send := func(from, to int) {
				for i := from; i < to; i++ {
					if _, err := senders[i].Write([]byte{byte(i)}); err != nil {
						t.Fatal(err)
					}
				}
				for r.Len() < to-from {
					if _, err := m.read(r); err != nil {
						t.Fatal(err)
					}
				}
			}
			next := 0
			pop := func() error {
				return r.PopWith(func(p []byte, src netip.AddrPort) error {
					if len(p) != 1 || int(p[0]) != next {
						return fmt.Errorf("got %v, want datagram %d", p, next)
					}
					if want := source(senders[next]); !sameSource(src, want) {
						return fmt.Errorf("datagram %d from %v, want %v", next, src, want)
					}
					next++
					return nil
				})
			}
			send(0, 3)
			if err := r.PopWith(func([]byte, netip.AddrPort) error { r.Reset(); return nil }); err != nil {
				t.Fatal(err)
			}
			next = 1
			if r.Len() != 2 {
				t.Fatalf("Len %d after a Reset inside consume, want 2", r.Len())
			}
			for range 2 {
				if err := pop(); err != nil {
					t.Fatalf("after a Reset inside consume: %v", err)
				}
			}
			send(3, 6)
			for range 3 {
				if err := pop(); err != nil {
					t.Fatalf("after a Reset inside consume: %v", err)
				}
			}
			if err := pop(); !errors.Is(err, netbuf.ErrEmpty) {
				t.Fatalf("drained: %v, want ErrEmpty", err)
			}
		})
	}
}

// TestReset: Reset drops every held datagram; the receiver then reads and
// pops as a new one would, each datagram with its own source.
func TestReset(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rc, a := pair(t, "::1")
			b, err := net.DialUDP("udp", nil, rc.LocalAddr().(*net.UDPAddr))
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			r := newReceiver(t, rc, m, Config{MTU: 200, Capacity: 2000, MaxPackets: 8, Batch: 4})
			_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
			for i := range 5 {
				if _, err := a.Write(make([]byte, 100+i)); err != nil {
					t.Fatal(err)
				}
			}
			for r.Len() < 5 {
				if _, err := m.read(r); err != nil {
					t.Fatal(err)
				}
			}
			r.Reset()
			if r.Len() != 0 || r.Used() != 0 {
				t.Fatalf("after Reset: Len %d Used %d", r.Len(), r.Used())
			}
			if err := r.PopWith(func([]byte, netip.AddrPort) error { return nil }); !errors.Is(err, netbuf.ErrEmpty) {
				t.Fatalf("PopWith after Reset: %v, want ErrEmpty", err)
			}
			if err := r.buf.Check(); err != nil {
				t.Fatal(err)
			}
			senders := []*net.UDPConn{b, a, b}
			for i, s := range senders {
				if _, err := s.Write([]byte{byte(i)}); err != nil {
					t.Fatal(err)
				}
			}
			for r.Len() < len(senders) {
				if _, err := m.read(r); err != nil {
					t.Fatal(err)
				}
			}
			for i, s := range senders {
				if err := r.PopWith(func(p []byte, from netip.AddrPort) error {
					if len(p) != 1 || int(p[0]) != i || !sameSource(from, source(s)) {
						return fmt.Errorf("datagram %d: %v from %v, want [%d] from %v", i, p, from, i, source(s))
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			if st := r.Stats(); st.Packets != 8 {
				t.Errorf("stats %+v: Reset must not clear the counters", st)
			}
		})
	}
}

// TestMTU: MTU reports the configured size (1500 by default); a datagram
// of exactly MTU bytes is kept whole, one byte more is cut to MTU and
// counted; each held datagram takes its length plus HeaderSize.
func TestMTU(t *testing.T) {
	rc, _ := pair(t, "127.0.0.1")
	if r := newReceiver(t, rc, modes[0], Config{}); r.MTU() != 1500 || r.Cap() != 1<<20 || r.MaxPackets() != 4096 {
		t.Fatalf("defaults: MTU %d Cap %d MaxPackets %d", r.MTU(), r.Cap(), r.MaxPackets())
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			rc, sc := pair(t, "127.0.0.1")
			const mtu = 300
			r := newReceiver(t, rc, m, Config{MTU: mtu, Capacity: 4096})
			if r.MTU() != mtu {
				t.Fatalf("MTU %d, want %d", r.MTU(), mtu)
			}
			_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
			for _, size := range []int{mtu, mtu + 1} {
				if _, err := sc.Write(bytes.Repeat([]byte{byte(size)}, size)); err != nil {
					t.Fatal(err)
				}
				if _, err := m.read(r); err != nil {
					t.Fatal(err)
				}
			}
			if r.Used() != 2*(mtu+HeaderSize) {
				t.Errorf("Used %d, want %d", r.Used(), 2*(mtu+HeaderSize))
			}
			for _, size := range []int{mtu, mtu + 1} {
				if err := r.PopWith(func(p []byte, _ netip.AddrPort) error {
					if len(p) != mtu || cap(p) != mtu || p[0] != byte(size) {
						return fmt.Errorf("%d-byte datagram: got len %d cap %d", size, len(p), cap(p))
					}
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			if st := r.Stats(); runtime.GOOS == "linux" && st.Truncated != 1 {
				t.Errorf("stats %+v, want 1 truncated", st)
			}
		})
	}
}

// TestConfigErrors: each field out of range is refused with ErrConfig, in
// an error that names the field and its limit.
func TestConfigErrors(t *testing.T) {
	rc, _ := pair(t, "127.0.0.1")
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{MTU: -1}, "MTU -1 outside [1, 65535]"},
		{Config{MTU: 65536}, "MTU 65536 outside [1, 65535]"},
		{Config{MTU: 1000, Capacity: 1023}, "Capacity 1023 outside [MTU+HeaderSize = 1024,"},
		{Config{Capacity: -5}, "Capacity -5 outside"},
		{Config{Capacity: 240, MTU: 100, MaxPackets: 11}, "MaxPackets 11 outside [1, Capacity/HeaderSize = 10]"},
		{Config{MaxPackets: -1}, "MaxPackets -1 outside"},
		{Config{Batch: -1}, "Batch -1 outside [1, 1024]"},
		{Config{Batch: MaxBatch + 1}, "Batch 1025 outside [1, 1024]"},
	} {
		_, err := NewReceiver(rc, c.cfg)
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want ErrConfig with %q", c.cfg, err, c.want)
		}
	}
	if r, err := NewReceiver(rc, Config{MTU: 100, Capacity: 240}); err != nil || r.MaxPackets() != 10 {
		t.Errorf("default slots for a small buffer: %v, %v", r, err)
	}
}
