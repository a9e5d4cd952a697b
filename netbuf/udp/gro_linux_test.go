package udp

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
)

// sent is a datagram as the test sent it, and from which socket.
type sent struct {
	data []byte
	from *net.UDPConn
}

// groFlow sends random traffic: GSO runs (segment sizes from 1 to over the
// MTU, 1 to 64 segments, the last shorter at random) from gso's socket,
// mixed with plain datagrams from that socket and from plain. The segment
// size changes every eighth run or so, as when a sender's path MTU does. Every
// datagram starts with its number, so that the receiver can check order.
type groFlow struct {
	gso   *gsoSender
	plain *net.UDPConn
	rng   *rand.Rand
	mtu   int
	seg   int // the flow's segment size: it changes now and then
	all   []sent
}

func (f *groFlow) datagram(size int) []byte {
	p := make([]byte, size)
	for i := range p {
		p[i] = byte(f.rng.Uint32())
	}
	if size >= 4 {
		n := len(f.all)
		p[0], p[1], p[2], p[3] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	}
	return p
}

// send sends one run or one plain datagram and records what it sent.
func (f *groFlow) send(t testing.TB, segs []int) {
	t.Helper()
	switch f.rng.IntN(4) {
	case 0:
		p := f.datagram(f.rng.IntN(f.mtu + 1))
		if _, err := f.plain.Write(p); err != nil {
			t.Fatal(err)
		}
		f.all = append(f.all, sent{p, f.plain})
	case 1:
		p := f.datagram(f.rng.IntN(f.mtu + 1))
		if _, err := f.gso.conn.Write(p); err != nil {
			t.Fatal(err)
		}
		f.all = append(f.all, sent{p, f.gso.conn})
	default:
		if f.seg == 0 || f.rng.IntN(8) == 0 {
			f.seg = segs[f.rng.IntN(len(segs))]
		}
		seg := f.seg
		count := 1 + f.rng.IntN(min(gsoMaxSegments, 65000/seg))
		var run []byte
		for i := range count {
			size := seg
			if i == count-1 {
				size = 1 + f.rng.IntN(seg) // the last one uneven
			}
			p := f.datagram(size)
			run = append(run, p...)
			f.all = append(f.all, sent{p, f.gso.conn})
		}
		if err := f.gso.send(run, seg); err != nil {
			t.Fatal(err)
		}
	}
}

// receive reads and pops until want datagrams have come, checking each
// against what was sent; pop is called with the number popped so far and
// decides how many to pop after each read (all when it returns < 0).
func receive(t testing.TB, r *Receiver, f *groFlow, got *int, want int, pops func() int) {
	t.Helper()
	for *got < want {
		var err error
		if r.Stats().Packets < uint64(want) { // else all came: only pop
			_, err = r.ReadBatch()
		}
		switch {
		case errors.Is(err, netbuf.ErrWouldBlock):
		case err != nil:
			t.Fatalf("after %d datagrams: %v (stats %+v)", *got, err, r.Stats())
		}
		k := pops()
		switch {
		case k < 0:
			k = r.Len()
		case err != nil:
			k = max(k, 1) // full: make room for at least one
		}
		for range min(k, r.Len()) {
			if err := r.PopWith(func(p []byte, from netip.AddrPort) error {
				w := f.all[*got]
				if !bytes.Equal(p, w.data) {
					return fmt.Errorf("datagram %d: %d bytes %.8x, want %d bytes %.8x", *got, len(p), p, len(w.data), w.data)
				}
				if !sameSource(from, source(w.from)) {
					return fmt.Errorf("datagram %d from %v, want %v", *got, from, source(w.from))
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			*got++
		}
		if err := r.buf.Check(); err != nil {
			t.Fatal(err)
		}
	}
}

func newGROFlow(t testing.TB, rc, sc *net.UDPConn, seed uint64, mtu int) *groFlow {
	plain, err := net.DialUDP("udp", nil, rc.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plain.Close() })
	return &groFlow{gso: newGSOSender(sc), plain: plain, rng: rand.New(rand.NewPCG(seed, 7)), mtu: mtu}
}

// TestGROLoopback: GSO runs of every shape mixed with plain datagrams, on
// 127.0.0.1 and [::1], through a GRO receiver: every datagram arrives
// whole, in order, with its sender's address, and the runs are read whole
// (far fewer reads than datagrams).
func TestGROLoopback(t *testing.T) {
	for _, host := range families {
		t.Run(host, func(t *testing.T) {
			rc, sc := pair(t, host)
			const mtu = 1500
			r := newReceiver(t, rc, mode{name: "gro", batch: true, gro: true}, Config{MTU: mtu, Capacity: 1 << 20, MaxPackets: 4096})
			f := newGROFlow(t, rc, sc, uint64(len(host)), mtu)
			_ = rc.SetReadDeadline(time.Now().Add(20 * time.Second))
			got := 0
			for range 300 {
				f.send(t, []int{1400, 1000, 64, mtu, 1})
				receive(t, r, f, &got, len(f.all), func() int { return -1 })
			}
			st := r.Stats()
			t.Logf("%d datagrams in %d reads", st.Packets, st.Reads)
			if st.Packets != uint64(len(f.all)) || st.Truncated != 0 || st.Drops != 0 {
				t.Fatalf("stats %+v for %d datagrams", st, len(f.all))
			}
			if st.Reads >= st.Packets/4 {
				t.Errorf("%d reads for %d datagrams: runs not read whole", st.Reads, st.Packets)
			}
		})
	}
}

// TestGRONearlyFull: a buffer with room for about one and a half runs, and
// fewer slots than a run has datagrams, with a consumer that pops a few at
// a time: runs are committed in part, the rest waits pending (reads
// answer ErrWouldBlock while the buffer is full, and read nothing new
// while datagrams are pending), and everything comes out intact and in
// order.
func TestGRONearlyFull(t *testing.T) {
	for _, host := range families {
		t.Run(host, func(t *testing.T) {
			rc, sc := pair(t, host)
			const mtu = 1400
			r := newReceiver(t, rc, mode{name: "gro", batch: true, gro: true}, Config{MTU: mtu, Capacity: 96 << 10, MaxPackets: 48})
			f := newGROFlow(t, rc, sc, 11, mtu)
			rng := rand.New(rand.NewPCG(1, 2))
			_ = rc.SetReadDeadline(time.Now().Add(20 * time.Second))
			got, maxPending := 0, 0
			for range 40 {
				for range 5 {
					f.send(t, []int{1400, 1200, 100})
				}
				receive(t, r, f, &got, len(f.all), func() int {
					maxPending = max(maxPending, r.Pending())
					return rng.IntN(4)
				})
			}
			st := r.Stats()
			t.Logf("%d datagrams in %d reads, %d would-block, most pending %d", st.Packets, st.Reads, st.WouldBlock, maxPending)
			if st.Packets != uint64(len(f.all)) || st.WouldBlock == 0 || maxPending == 0 {
				t.Fatalf("stats %+v, most pending %d: the buffer never filled", st, maxPending)
			}
		})
	}
}

// TestGROTruncated: segments and plain datagrams longer than the MTU are
// committed cut to the MTU, and counted, as single reads would.
func TestGROTruncated(t *testing.T) {
	rc, sc := pair(t, "127.0.0.1")
	const mtu = 1000
	r := newReceiver(t, rc, mode{name: "gro", batch: true, gro: true}, Config{MTU: mtu})
	g := newGSOSender(sc)
	run := bytes.Repeat([]byte{1}, 5*1200+300) // 5 segments over the MTU, then 300 bytes
	if err := g.send(run, 1200); err != nil {
		t.Fatal(err)
	}
	if _, err := sc.Write(bytes.Repeat([]byte{2}, 1400)); err != nil {
		t.Fatal(err)
	}
	_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
	for r.Len() < 7 {
		if _, err := r.ReadBatch(); err != nil {
			t.Fatal(err)
		}
	}
	if st := r.Stats(); st.Packets != 7 || st.Truncated != 6 || st.Bytes != 6*mtu+300 {
		t.Fatalf("stats %+v, want 7 packets, 6 truncated, %d bytes", st, 6*mtu+300)
	}
	for i, want := range []int{mtu, mtu, mtu, mtu, mtu, 300, mtu} {
		_ = r.PopWith(func(p []byte, _ netip.AddrPort) error {
			if len(p) != want {
				t.Errorf("datagram %d: %d bytes, want %d", i, len(p), want)
			}
			return nil
		})
	}
}

// TestGROZeroAllocs: GSO runs read, committed and popped allocate nothing.
func TestGROZeroAllocs(t *testing.T) {
	rc, sc := pair(t, "127.0.0.1")
	r := newReceiver(t, rc, mode{name: "gro", batch: true, gro: true}, Config{MTU: 1500, Capacity: 1 << 20})
	g := newGSOSender(sc)
	run := make([]byte, 40*1400)
	drop := func([]byte, netip.AddrPort) error { return nil }
	_ = rc.SetReadDeadline(time.Now().Add(10 * time.Second))
	allocs := testing.AllocsPerRun(100, func() {
		if err := g.send(run, 1400); err != nil {
			panic(err)
		}
		for got := 0; got < 40; {
			k, err := r.ReadBatch()
			if err != nil {
				panic(err)
			}
			got += k
		}
		for r.PopWith(drop) == nil {
		}
	}) / 40
	if allocs != 0 {
		t.Fatalf("%.2f allocs per datagram, want 0", allocs)
	}
}

// TestGROReport: GRO says whether it is on, and ReadOne refuses to cut a
// run.
func TestGROReport(t *testing.T) {
	rc, _ := pair(t, "127.0.0.1")
	r := newReceiver(t, rc, mode{name: "gro", batch: true, gro: true}, Config{})
	if on, err := r.GRO(); !on || err != nil {
		t.Fatalf("GRO() = %v, %v", on, err)
	}
	if _, err := r.ReadOne(); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("ReadOne with GRO on: %v", err)
	}
	rc2, _ := pair(t, "127.0.0.1")
	if on, err := newReceiver(t, rc2, modes[1], Config{}).GRO(); on || err != nil {
		t.Fatalf("GRO() without Config.GRO = %v, %v", on, err)
	}
	if _, err := NewReceiver(rc2, Config{GRO: true, XNet: true}); !errors.Is(err, ErrConfig) {
		t.Fatalf("GRO with XNet: %v", err)
	}
}
