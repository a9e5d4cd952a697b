package udp

import (
	"bytes"
	"context"
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

// hangGuard bounds every wait of these tests: far more than any run needs,
// so that only a hang reaches it.
const hangGuard = 30 * time.Second

func newSPSC(t testing.TB, ctx context.Context, conn *net.UDPConn, cfg Config) *SPSCReceiver {
	t.Helper()
	r, err := NewSPSCReceiver(ctx, conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// eventually polls cond until it holds, failing the test at the hang guard.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(hangGuard); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// popOne waits for a datagram and pops it into check.
func popOne(t testing.TB, r *SPSCReceiver, check func(p []byte, from netip.AddrPort) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	if err := r.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.PopWith(check); err != nil {
		t.Fatal(err)
	}
}

// TestSPSCReceiverIntactInOrder: 5000 datagrams of random sizes (0 to the
// MTU) cross from the reading goroutine to this one through a 32 KiB
// buffer that wraps and fills all the time; each arrives whole, in order,
// from the sender's address. The sender keeps at most 512 datagrams ahead
// of the consumer, so the kernel queue never overflows, and the consumer
// sometimes pauses, so the reader blocks on a full buffer.
func TestSPSCReceiverIntactInOrder(t *testing.T) {
	const n, window, mtu = 5000, 512, 1500
	for _, host := range families {
		t.Run(host, func(t *testing.T) {
			rc, sc := pair(t, host)
			r := newSPSC(t, context.Background(), rc, Config{MTU: mtu, Capacity: 32 << 10, MaxPackets: 64})
			want := payloads(uint64(len(host))+7, n, mtu)
			from := source(sc)
			acked := make(chan int, n)
			sendErr := make(chan error, 1)
			go func() { sendErr <- sendWindowed(sc, want, window, acked) }()
			rng := rand.New(rand.NewPCG(5, 6))
			for got := 0; got < n; got++ {
				if rng.IntN(500) == 0 { // a slow consumer: the reader fills the buffer and waits
					time.Sleep(2 * time.Millisecond)
				}
				popOne(t, r, func(p []byte, src netip.AddrPort) error {
					if !bytes.Equal(p, want[got]) {
						return fmt.Errorf("datagram %d: %d bytes %.8x, want %d bytes %.8x", got, len(p), p, len(want[got]), want[got])
					}
					if !sameSource(src, from) {
						return fmt.Errorf("datagram %d from %v, want %v", got, src, from)
					}
					return nil
				})
				acked <- got + 1
			}
			if err := <-sendErr; err != nil {
				t.Fatal(err)
			}
			if err := r.PopWith(func([]byte, netip.AddrPort) error { return nil }); !errors.Is(err, netbuf.ErrEmpty) {
				t.Fatalf("after every datagram: %v, want ErrEmpty", err)
			}
			st := r.Stats()
			if st.Packets != n || st.Reads != n || st.Drops != 0 || st.Truncated != 0 {
				t.Fatalf("stats %v, want %d packets and reads, no drop, no truncation", st, n)
			}
			t.Logf("stats %v", st)
		})
	}
}

// TestSPSCReceiverFullBufferBlocks: with room for 4 datagrams and nobody
// popping, the reader takes 4, counts the full buffer once and waits,
// reading nothing more (the rest stay in the kernel queue); as the
// consumer pops, all 10 come out in order.
func TestSPSCReceiverFullBufferBlocks(t *testing.T) {
	rc, sc := pair(t, "127.0.0.1")
	r := newSPSC(t, context.Background(), rc, Config{MTU: 100, Capacity: 4 * (100 + HeaderSize), MaxPackets: 16})
	for i := range 10 {
		p := make([]byte, 100) // 4 fill the storage
		p[0] = byte(i)
		if _, err := sc.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "a full buffer", func() bool { return r.Stats().WouldBlock > 0 })
	time.Sleep(10 * time.Millisecond) // a reader that went on would take more now
	if st := r.Stats(); r.Len() != 4 || st.Packets != 4 || st.WouldBlock != 1 {
		t.Fatalf("full: len %d, stats %v; want 4 held, 4 packets, 1 wouldblock", r.Len(), st)
	}
	for next := range 10 {
		popOne(t, r, func(p []byte, _ netip.AddrPort) error {
			if len(p) != 100 || int(p[0]) != next {
				return fmt.Errorf("got %d bytes from %d, want 100 from %d", len(p), p[0], next)
			}
			return nil
		})
	}
	if st := r.Stats(); st.Packets != 10 {
		t.Fatalf("stats %v, want 10 packets", st)
	}
}

// TestSPSCReceiverEnds: however the reader ends (Close, its ctx, conn
// closed, a read deadline the caller set), with the buffer holding
// datagrams or full with the reader waiting for room, its goroutine
// returns, the consumer pops every datagram it read, then PopWith and Wait
// answer an error wrapping netbuf.ErrClosed and the cause, which Err
// reports too. A datagram left in the kernel queue is not read after the
// end.
func TestSPSCReceiverEnds(t *testing.T) {
	ends := []struct {
		name  string
		cause error
		end   func(r *SPSCReceiver, cancel context.CancelFunc, rc *net.UDPConn)
	}{
		{"close", ErrStopped, func(r *SPSCReceiver, _ context.CancelFunc, _ *net.UDPConn) { _ = r.Close() }},
		{"cancel", context.Canceled, func(_ *SPSCReceiver, cancel context.CancelFunc, _ *net.UDPConn) { cancel() }},
		{"conn-close", net.ErrClosed, func(_ *SPSCReceiver, _ context.CancelFunc, rc *net.UDPConn) { _ = rc.Close() }},
		{"deadline", os.ErrDeadlineExceeded, func(_ *SPSCReceiver, _ context.CancelFunc, rc *net.UDPConn) {
			_ = rc.SetReadDeadline(time.Now())
		}},
	}
	for _, e := range ends {
		for _, full := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/full=%v", e.name, full), func(t *testing.T) {
				before := runtime.NumGoroutine()
				rc, sc := pair(t, "::1")
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				slots := 64
				if full {
					slots = 5
				}
				r := newSPSC(t, ctx, rc, Config{MTU: 1500, Capacity: 64 << 10, MaxPackets: slots})
				want := payloads(11, 5, 1500)
				for _, p := range want {
					if _, err := sc.Write(p); err != nil {
						t.Fatal(err)
					}
				}
				eventually(t, "5 datagrams", func() bool { return r.Len() == 5 })
				if full {
					if _, err := sc.Write([]byte("waits in the kernel")); err != nil {
						t.Fatal(err)
					}
					eventually(t, "the reader to wait for room", func() bool { return r.Stats().WouldBlock > 0 })
				}
				if r.Err() != nil {
					t.Fatalf("Err %v while reading", r.Err())
				}
				e.end(r, cancel, rc)
				ended := func() {
					select {
					case <-r.Done():
					case <-time.After(hangGuard):
						t.Fatal("the reader did not end")
					}
					if err := r.Err(); !errors.Is(err, e.cause) {
						t.Fatalf("Err %v, want %v", err, e.cause)
					}
				}
				// Close and ctx end a reader waiting for room; a closed conn
				// or a deadline is seen by its next read, once room is freed.
				seenByRead := full && (e.name == "conn-close" || e.name == "deadline")
				if !seenByRead {
					ended()
				}
				for i := range want {
					popOne(t, r, func(p []byte, _ netip.AddrPort) error {
						if !bytes.Equal(p, want[i]) {
							return fmt.Errorf("datagram %d differs after the end", i)
						}
						return nil
					})
				}
				ended()
				err := r.PopWith(func([]byte, netip.AddrPort) error { return errors.New("called") })
				if !errors.Is(err, netbuf.ErrClosed) || !errors.Is(err, e.cause) {
					t.Fatalf("PopWith drained: %v, want netbuf.ErrClosed and %v", err, e.cause)
				}
				if werr := r.Wait(context.Background()); werr != err {
					t.Fatalf("Wait drained: %v, want %v", werr, err)
				}
				if err := r.Close(); err != nil {
					t.Fatalf("Close after the end: %v", err)
				}
				if !errors.Is(r.Err(), e.cause) {
					t.Fatalf("Close after the end changed Err to %v", r.Err())
				}
				if e.name == "close" || e.name == "cancel" { // the deadline used to wake the read is cleared
					if _, err := sc.Write([]byte("after")); err != nil {
						t.Fatal(err)
					}
					_ = rc.SetReadDeadline(time.Now().Add(hangGuard))
					_ = rc.SetReadDeadline(time.Time{})
					buf := make([]byte, 64)
					if full {
						_, _, _ = rc.ReadFrom(buf) // the datagram that waited in the kernel
					}
					if n, _, err := rc.ReadFrom(buf); err != nil || string(buf[:n]) != "after" {
						t.Fatalf("conn after the receiver: %q, %v", buf[:n], err)
					}
				}
				rc.Close()
				eventually(t, "no goroutine left", func() bool { return runtime.NumGoroutine() <= before })
			})
		}
	}
}

// TestSPSCReceiverConsumerErrors: a nil consume, consume's own error (the
// datagram stays), a PopWith (nil consume too) or Wait from inside consume
// (ErrBusy, first), and
// Close from inside consume (the reader ends; the datagram in hand and
// the rest still pop).
func TestSPSCReceiverConsumerErrors(t *testing.T) {
	rc, sc := pair(t, "127.0.0.1")
	r := newSPSC(t, context.Background(), rc, Config{})
	for _, s := range []string{"a", "b", "c"} {
		if _, err := sc.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, "3 datagrams", func() bool { return r.Len() == 3 })
	if err := r.PopWith(nil); !errors.Is(err, netbuf.ErrNilFunc) {
		t.Fatalf("nil consume: %v", err)
	}
	mine := errors.New("not now")
	if err := r.PopWith(func([]byte, netip.AddrPort) error { return mine }); err != mine {
		t.Fatalf("consume's error: %v, want it unchanged", err)
	}
	var inner, innerNil, innerWait error
	popOne(t, r, func(p []byte, _ netip.AddrPort) error {
		inner = r.PopWith(func([]byte, netip.AddrPort) error { return nil })
		innerNil = r.PopWith(nil)
		innerWait = r.Wait(context.Background())
		if string(p) != "a" {
			return fmt.Errorf("got %q, want a", p)
		}
		return r.Close()
	})
	if !errors.Is(inner, netbuf.ErrBusy) || !errors.Is(innerNil, netbuf.ErrBusy) || !errors.Is(innerWait, netbuf.ErrBusy) {
		t.Fatalf("from inside consume: PopWith %v, PopWith(nil) %v, Wait %v; want ErrBusy", inner, innerNil, innerWait)
	}
	for _, want := range []string{"b", "c"} {
		popOne(t, r, func(p []byte, _ netip.AddrPort) error {
			if string(p) != want {
				return fmt.Errorf("got %q, want %s", p, want)
			}
			return nil
		})
	}
	if err := r.PopWith(func([]byte, netip.AddrPort) error { return nil }); !errors.Is(err, ErrStopped) || !errors.Is(err, netbuf.ErrClosed) {
		t.Fatalf("after Close and drain: %v", err)
	}
}

// TestSPSCReceiverWaitCtx: Wait on an empty buffer returns ctx's error
// when its ctx ends, and the receiver reads on.
func TestSPSCReceiverWaitCtx(t *testing.T) {
	rc, sc := pair(t, "127.0.0.1")
	r := newSPSC(t, context.Background(), rc, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := r.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait on nothing: %v, want context.DeadlineExceeded", err)
	}
	if _, err := sc.Write([]byte("late")); err != nil {
		t.Fatal(err)
	}
	popOne(t, r, func(p []byte, _ netip.AddrPort) error {
		if string(p) != "late" {
			return fmt.Errorf("got %q", p)
		}
		return nil
	})
}

// TestSPSCReceiverConfig: every field out of range, and the fields the
// SPSC receiver does not use, are refused with ErrConfig naming them, and
// no reading goroutine is started.
func TestSPSCReceiverConfig(t *testing.T) {
	rc, _ := pair(t, "127.0.0.1")
	before := runtime.NumGoroutine()
	for _, c := range []struct {
		cfg  Config
		name string
	}{
		{Config{MTU: -1}, "MTU -1 outside [1, 65535]"},
		{Config{MTU: MaxMTU + 1}, "MTU 65536"},
		{Config{MTU: 1000, Capacity: 1000}, "Capacity 1000 outside [MTU+HeaderSize = 1024"},
		{Config{Capacity: 1 << 20, MaxPackets: 1<<20/HeaderSize + 1}, "MaxPackets 43691 outside [1, Capacity/HeaderSize = 43690]"},
		{Config{Batch: 64}, "Batch 64: must be 0"},
		{Config{XNet: true}, "XNet"},
		{Config{GRO: true}, "GRO"},
	} {
		r, err := NewSPSCReceiver(context.Background(), rc, c.cfg)
		if r != nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.name) {
			t.Errorf("%+v: %v, want ErrConfig naming %q", c.cfg, err, c.name)
		}
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines after refused configs, %d before", n, before)
	}
}

// TestSPSCReceiverKernelDrops: with the buffer full and the reader waiting,
// a small kernel queue overflows; the datagrams popped plus the drops the
// kernel reported add up to those sent.
func TestSPSCReceiverKernelDrops(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("drop counter (SO_RXQ_OVFL) is Linux only")
	}
	rc, sc := pair(t, "127.0.0.1")
	if err := rc.SetReadBuffer(16 << 10); err != nil {
		t.Fatal(err)
	}
	r := newSPSC(t, context.Background(), rc, Config{MTU: 200, Capacity: 200 * 8, MaxPackets: 8})
	const sent = 2000
	p := make([]byte, 100)
	for i := range sent {
		if _, err := sc.Write(p); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	received, marker := 0, false
	drain := func(wantMarker bool) { // until the marker came and 100 ms pass with nothing (hang guard: 10 s)
		end := time.Now().Add(10 * time.Second)
		for {
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			err := r.Wait(ctx)
			cancel()
			if err != nil {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatal(err)
				}
				if marker == wantMarker || time.Now().After(end) {
					return
				}
				continue
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
	t.Logf("sent %d+1, received %d, stats %v", sent, received, st)
	if st.Drops == 0 || uint64(received)+st.Drops != sent+1 || st.WouldBlock == 0 {
		t.Fatalf("received %d + drops %d != sent %d, or never full (stats %v)", received, st.Drops, sent+1, st)
	}
}

// TestSPSCReceiverZeroAllocs: a steady state of send, read on the
// reader's goroutine, wait and pop on this one allocates nothing per
// datagram, on either goroutine (AllocsPerRun counts the whole process).
func TestSPSCReceiverZeroAllocs(t *testing.T) {
	rc, sc := pair(t, "127.0.0.1")
	r := newSPSC(t, context.Background(), rc, Config{MTU: 1500, Capacity: 256 << 10})
	p := make([]byte, 64)
	ctx := context.Background()
	var sum int
	consume := func(q []byte, _ netip.AddrPort) error { sum += len(q); return nil }
	allocs := testing.AllocsPerRun(200, func() {
		for range 16 {
			_, _ = sc.Write(p)
		}
		for got := 0; got < 16; {
			if err := r.Wait(ctx); err != nil {
				panic(err)
			}
			for r.PopWith(consume) == nil {
				got++
			}
		}
	}) / 16
	t.Logf("%.3f allocs per datagram", allocs)
	if allocs != 0 {
		t.Fatalf("%.3f allocs per datagram, want 0", allocs)
	}
}

// TestZoneTableConcurrent: one goroutine names new zones and writes
// headers while another decodes headers written before, as the reading
// goroutine and the consumer of an SPSCReceiver do (run with -race).
func TestZoneTableConcurrent(t *testing.T) {
	var z zoneTable
	const n = 200
	hs := make([][]byte, n)
	ready := make(chan int, n)
	go func() {
		for i := range n {
			hs[i] = make([]byte, HeaderSize)
			z.putAddrPort(hs[i], netip.AddrPortFrom(netip.MustParseAddr("fe80::1").WithZone(fmt.Sprint("if", i%50)), uint16(i)))
			ready <- i
		}
	}()
	for range n {
		i := <-ready
		if got := z.addrPort(hs[i]); got.Addr().Zone() != fmt.Sprint("if", i%50) || got.Port() != uint16(i) {
			t.Fatalf("header %d decoded as %v", i, got)
		}
	}
}
