package udp

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
)

func TestRTPSeq(t *testing.T) {
	rtp := func(b0, b1 byte, seq uint16, n int) []byte {
		p := make([]byte, n)
		p[0], p[1], p[2], p[3] = b0, b1, byte(seq>>8), byte(seq)
		return p
	}
	for _, c := range []struct {
		p    []byte
		seq  uint32
		ok   bool
		name string
	}{
		{rtp(0x80, 96, 65535, 12), 65535, true, "fixed header only"},
		{rtp(0x80, 96|0x80, 7, 1400), 7, true, "marker bit"},
		{rtp(0x90, 0, 0x1234, 40), 0x1234, true, "extension bit"},
		{rtp(0x80, 96, 1, 11), 0, false, "short"},
		{rtp(0x40, 96, 1, 12), 0, false, "version 1"},
		{rtp(0x80, 200, 1, 28), 0, false, "RTCP sender report"},
		{rtp(0x81, 201, 1, 32), 0, false, "RTCP receiver report"},
		{nil, 0, false, "empty"},
	} {
		if seq, ok := RTPSeq(c.p); seq != c.seq || ok != c.ok {
			t.Errorf("%s: %d %v, want %d %v", c.name, seq, ok, c.seq, c.ok)
		}
	}
}

// rtpPacket is an RTP packet with sequence seq whose payload names it.
func rtpPacket(seq uint16, size int) []byte {
	p := make([]byte, max(size, 16))
	p[0], p[1], p[2], p[3] = 0x80, 96, byte(seq>>8), byte(seq)
	for i := 12; i < len(p); i++ {
		p[i] = byte(int(seq) * i)
	}
	return p
}

// shuffle returns the packets in an order where each is moved at most k
// places from its own, with about one in dup sent a second time (also at
// most k places later), and the number of such duplicates.
func shuffle(rng *rand.Rand, ps [][]byte, k, dup int) ([][]byte, int) {
	type held struct {
		p   []byte
		age int
	}
	var out [][]byte
	var hold []held
	dups := 0
	emit := func() {
		i := rng.IntN(len(hold))
		for j := range hold {
			if hold[j].age >= k { // waited long enough: goes now
				i = j
				break
			}
		}
		out = append(out, hold[i].p)
		hold = append(hold[:i], hold[i+1:]...)
		for j := range hold {
			hold[j].age++
		}
	}
	for _, p := range ps {
		hold = append(hold, held{p: p})
		if rng.IntN(dup) == 0 {
			hold = append(hold, held{p: p})
			dups++
		}
		for len(hold) > k {
			emit()
		}
	}
	for len(hold) > 0 {
		emit()
	}
	return out, dups
}

func newOrdered(t testing.TB, conn *net.UDPConn, cfg OrderedConfig) *OrderedReceiver {
	t.Helper()
	if cfg.Parse == nil {
		cfg.Parse = RTPSeq
	}
	r, err := NewOrderedReceiver(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestOrderedStreamAcrossTheWrap: an RTP stream that starts at 65300 and
// crosses the 16-bit wrap, reordered by up to 6 places and with duplicates,
// comes out of an OrderedReceiver in sequence order, every packet once,
// whole, with its source; the duplicates are counted late or duplicate and
// nothing is missing. The receiver starts at the first packet it gets
// (SyncFirst), and the packets overtaken by it are still delivered.
func TestOrderedStreamAcrossTheWrap(t *testing.T) {
	for _, host := range families {
		t.Run(host, func(t *testing.T) {
			rc, sc := pair(t, host)
			const n, first, k = 1000, 65300, 6
			r := newOrdered(t, rc, OrderedConfig{MTU: 1500, Capacity: 256 << 10, Window: 256, SyncFirst: true, SyncBack: 32, Resync: true})
			rng := rand.New(rand.NewPCG(uint64(len(host)), 3))
			ps := make([][]byte, n)
			for i := range ps {
				ps[i] = rtpPacket(uint16(first+i), 12+rng.IntN(1400))
			}
			order, dups := shuffle(rng, ps, k, 20)
			from := source(sc)
			_ = rc.SetReadDeadline(time.Now().Add(20 * time.Second))
			next, read := 0, 0
			for next < n {
				for sent := read; sent < len(order) && sent < read+64; sent++ {
					if _, err := sc.Write(order[sent]); err != nil {
						t.Fatal(err)
					}
				}
				for end := min(len(order), read+64); read < end; read++ {
					_, _, err := r.ReadOne()
					if err != nil && !errors.Is(err, netbuf.ErrLate) && !errors.Is(err, netbuf.ErrDuplicate) {
						t.Fatalf("read %d: %v (stats %v)", read, err, r.Stats())
					}
				}
				for {
					err := r.PopWith(func(seq uint32, p []byte, src netip.AddrPort) error {
						if want := uint32(uint16(first + next)); seq != want || !bytes.Equal(p, ps[next]) {
							return fmt.Errorf("delivered %d (%d bytes), want %d", seq, len(p), want)
						}
						if !sameSource(src, from) {
							return fmt.Errorf("from %v, want %v", src, from)
						}
						next++
						return nil
					})
					if errors.Is(err, netbuf.ErrGap) && (r.Len() > 2*k || read == len(order)) {
						// Waited longer than any reordering: only the
						// sequences before the stream's start are skipped.
						if _, err := r.SkipGap(); err != nil {
							t.Fatal(err)
						}
						continue
					}
					if errors.Is(err, netbuf.ErrGap) || errors.Is(err, netbuf.ErrEmpty) {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
				}
			}
			st := r.Stats()
			t.Logf("%v; %d duplicates sent", st, dups)
			if st.Delivered != n || st.Late+st.Duplicate != uint64(dups) || st.Missing != 0 || st.Skipped != 0 || st.Packets != n || r.Len() != 0 {
				t.Fatalf("stats %v, want %d delivered, %d late or duplicate, none missing", st, n, dups)
			}
		})
	}
}

// TestOrderedGivingUp: SkipTo and SkipGap count what they give up (held
// datagrams dropped as skipped, sequences that never came as missing), and
// so does a datagram far ahead with Resync; without Resync it is refused.
func TestOrderedGivingUp(t *testing.T) {
	rc, sc := pair(t, "127.0.0.1")
	r := newOrdered(t, rc, OrderedConfig{MTU: 200, Capacity: 64 << 10, Window: 64, First: 10, Resync: true})
	_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
	send := func(seqs ...uint16) {
		for _, s := range seqs {
			if _, err := sc.Write(rtpPacket(s, 20)); err != nil {
				t.Fatal(err)
			}
			if _, _, err := r.ReadOne(); err != nil {
				t.Fatalf("seq %d: %v", s, err)
			}
		}
	}
	pop := func() uint32 {
		var got uint32
		if err := r.PopWith(func(seq uint32, _ []byte, _ netip.AddrPort) error { got = seq; return nil }); err != nil {
			t.Fatal(err)
		}
		return got
	}
	send(10, 13, 14)
	if pop() != 10 {
		t.Fatal("10 first")
	}
	if n, err := r.SkipGap(); n != 2 || err != nil { // 11 and 12 never came
		t.Fatalf("SkipGap: %d, %v", n, err)
	}
	if pop() != 13 || r.Stats().Missing != 2 {
		t.Fatalf("after SkipGap: %v", r.Stats())
	}
	if n, err := r.SkipTo(20); n != 1 || err != nil { // drops the held 14; 15 to 19 missing
		t.Fatalf("SkipTo: %d, %v", n, err)
	}
	if st := r.Stats(); st.Skipped != 1 || st.Missing != 2+5 {
		t.Fatalf("after SkipTo: %v", st)
	}
	send(21, 22, 200) // 200 is ahead of 20+64: the window moves to 137..200, dropping 21 and 22
	st := r.Stats()
	if st.Ahead != 1 || st.Skipped != 3 || st.Missing != 7+(200-63-20)-2 || r.Next() != 137 {
		t.Fatalf("after a resync: next %d, %v", r.Next(), st)
	}

	rc2, sc2 := pair(t, "127.0.0.1")
	strict := newOrdered(t, rc2, OrderedConfig{Window: 8, First: 100})
	_ = rc2.SetReadDeadline(time.Now().Add(5 * time.Second))
	for _, c := range []struct {
		p    []byte
		want error
	}{
		{rtpPacket(100, 30), nil},
		{rtpPacket(100, 30), netbuf.ErrDuplicate},
		{rtpPacket(120, 30), netbuf.ErrAhead},
		{rtpPacket(90, 30), netbuf.ErrLate},
		{[]byte("not rtp"), ErrUnsequenced},
	} {
		_, _ = sc2.Write(c.p)
		if _, _, err := strict.ReadOne(); !errors.Is(err, c.want) {
			t.Fatalf("%x: %v, want %v", c.p[:4], err, c.want)
		}
	}
	if st := strict.Stats(); st.Packets != 1 || st.Duplicate != 1 || st.Ahead != 1 || st.Late != 1 || st.Unsequenced != 1 || st.Reads != 5 {
		t.Fatalf("stats %v", st)
	}
}

func TestOrderedConfigErrors(t *testing.T) {
	rc, _ := pair(t, "127.0.0.1")
	for _, c := range []struct {
		cfg  OrderedConfig
		want string
	}{
		{OrderedConfig{Parse: RTPSeq, MTU: -1}, "MTU -1"},
		{OrderedConfig{Parse: RTPSeq, SeqBits: 33}, "SeqBits 33 outside [2, 32]"},
		{OrderedConfig{Parse: RTPSeq, Window: 40000}, "Window 40000 outside [1, 2^(SeqBits-1) = 32768]"},
		{OrderedConfig{Parse: RTPSeq, Window: 16, SyncFirst: true, SyncBack: 16}, "SyncBack 16 outside [0, Window-1 = 15]"},
		{OrderedConfig{}, "no Parse"},
	} {
		if _, err := NewOrderedReceiver(rc, c.cfg); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.cfg, err, c.want)
		}
	}
}

// TestOrderedZeroAllocs: reading in order and popping allocate nothing.
func TestOrderedZeroAllocs(t *testing.T) {
	rc, sc := pair(t, "127.0.0.1")
	r := newOrdered(t, rc, OrderedConfig{Window: 1024, First: 0})
	p := rtpPacket(0, 200)
	seq := uint16(0)
	drop := func(uint32, []byte, netip.AddrPort) error { return nil }
	_ = rc.SetReadDeadline(time.Now().Add(10 * time.Second))
	allocs := testing.AllocsPerRun(500, func() {
		p[2], p[3] = byte(seq>>8), byte(seq)
		seq++
		_, _ = sc.Write(p)
		if _, _, err := r.ReadOne(); err != nil {
			panic(err)
		}
		if err := r.PopWith(drop); err != nil {
			panic(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("%.2f allocs per datagram", allocs)
	}
}
