package udp

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"testing"
	"unsafe"

	"pgregory.net/rapid"

	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

// fakeGRO stands for the kernel in GRO reads: it scatters the message it
// was given over the iovecs in order, as recvmsg does, cuts it where they
// end (MSG_TRUNC), and reports the segment size and the source.
type fakeGRO struct {
	msg   []byte
	seg   int
	hdr   [HeaderSize]byte
	ready bool // a message waits
	reads int
}

var errNoMessage = errors.New("fake GRO: read with no message waiting")

func (f *fakeGRO) readGRO(iovs [][]byte, hdr []byte) (groMsg, error) {
	if !f.ready {
		return groMsg{}, errNoMessage
	}
	f.ready = false
	f.reads++
	n, rest := 0, f.msg
	for _, v := range iovs {
		k := copy(v, rest)
		n += k
		rest = rest[k:]
	}
	flags := 0
	if len(rest) > 0 {
		flags = msgTrunc
	}
	copy(hdr, f.hdr[:])
	return groMsg{n: n, seg: f.seg, flags: flags}, nil
}

// newFakeGROReceiver returns a receiver with no socket whose GRO reads come
// from f, and the address of its storage's first byte.
func newFakeGROReceiver(t interface{ Fatal(...any) }, f *fakeGRO, mtu, capacity, slots, window int) (*Receiver, uintptr) {
	buf, err := netbuf.NewUnorderedBuffer(capacity, slots)
	if err != nil {
		t.Fatal(err)
	}
	r := &Receiver{buf: buf, mtu: mtu, room: mtu + HeaderSize, gro: newGROState(f, mtu)}
	r.gro.window = window
	r.gro.staging = make([]byte, window)
	all, err := buf.Reserve(capacity) // the whole storage, while empty
	if err != nil {
		t.Fatal(err)
	}
	_ = buf.Abort()
	return r, uintptr(unsafe.Pointer(&all[0]))
}

// wantDatagram is a datagram as a single read would commit it.
type wantDatagram struct {
	pkt   []byte // header + bytes, cut to the MTU
	trunc bool
}

// splitMessage is the reference split of a message as the fake kernel
// delivers it through a window of the given size: the bytes that fit,
// cut into segments of seg bytes, each then cut to the MTU.
func splitMessage(hdr []byte, msg []byte, seg, window, mtu int) []wantDatagram {
	cut := len(msg) > window && msgTrunc != 0
	msg = msg[:min(len(msg), window)]
	var out []wantDatagram
	for start := 0; ; start += seg {
		end := len(msg)
		if seg > 0 {
			end = min(start+seg, len(msg))
		}
		d := msg[start:end]
		pkt := append(append([]byte{}, hdr...), d[:min(len(d), mtu)]...)
		out = append(out, wantDatagram{pkt: pkt, trunc: len(d) > mtu})
		if seg <= 0 || end >= len(msg) {
			break
		}
	}
	if cut {
		out[len(out)-1].trunc = true
	}
	return out
}

var groSources = []netip.AddrPort{
	netip.MustParseAddrPort("127.0.0.1:5004"),
	netip.MustParseAddrPort("[::1]:443"),
	netip.MustParseAddrPort("[fe80::1%eth0]:9"),
	netip.MustParseAddrPort("10.1.2.3:65535"),
}

// groHarness drives a receiver fed by a fakeGRO and the model side by
// side, and checks them against each other after every step.
type groHarness struct {
	t      interface{ Fatalf(string, ...any) }
	f      *fakeGRO
	r      *Receiver
	base   uintptr
	ref    *model.Unordered
	mtu    int
	window int
	room   int
	queue  []wantDatagram // read, not yet committed
	want   Stats
}

func newGROHarness(t interface {
	Fatal(...any)
	Fatalf(string, ...any)
}, mtu, capacity, slots, window int) *groHarness {
	f := &fakeGRO{}
	r, base := newFakeGROReceiver(t, f, mtu, capacity, slots, window)
	ref, err := model.NewUnordered(capacity, slots)
	if err != nil {
		t.Fatal(err)
	}
	return &groHarness{t: t, f: f, r: r, base: base, ref: ref, mtu: mtu, window: window, room: mtu + HeaderSize}
}

func (h *groHarness) offset(p []byte) int { return int(uintptr(unsafe.Pointer(&p[0])) - h.base) }

func (h *groHarness) refuses() bool { _, _, err := h.ref.Place(h.room); return err != nil }

// read offers the message msg (a run of seg-byte segments if seg > 0) from
// src, if the receiver has nothing pending, and makes one ReadBatch.
func (h *groHarness) read(msg []byte, seg int, src netip.AddrPort) {
	t, f, r := h.t, h.f, h.r
	if r.Pending() == 0 {
		r.zones.putAddrPort(f.hdr[:], src)
		f.msg, f.seg, f.ready = msg, seg, true
	}
	reads := f.reads
	m, err := r.ReadBatch()
	if f.ready {
		f.ready = false
		if !errors.Is(err, netbuf.ErrWouldBlock) || !h.refuses() {
			t.Fatalf("did not read: %v, model refuses: %v", err, h.refuses())
		}
	}
	if f.reads > reads {
		h.queue = append(h.queue, splitMessage(f.hdr[:], f.msg, f.seg, h.window, h.mtu)...)
		h.want.Reads++
	}
	switch {
	case errors.Is(err, netbuf.ErrWouldBlock):
		if m != 0 || !h.refuses() {
			t.Fatalf("ErrWouldBlock with %d committed, model refuses: %v", m, h.refuses())
		}
		h.want.WouldBlock++
	case err != nil:
		t.Fatalf("read: %v", err)
	case m < 1 || m > len(h.queue):
		t.Fatalf("committed %d of %d", m, len(h.queue))
	}
	for _, d := range h.queue[:m] {
		if _, err := h.ref.PushWith(h.room, func(p []byte) (int, error) { return copy(p, d.pkt), nil }); err != nil {
			t.Fatalf("committed a datagram the model refuses: %v", err)
		}
		h.want.Packets++
		h.want.Bytes += uint64(len(d.pkt) - HeaderSize)
		if d.trunc {
			h.want.Truncated++
		}
	}
	h.queue = h.queue[m:]
	if len(h.queue) > 0 && !h.refuses() {
		t.Fatalf("%d datagrams left pending with room for one more", len(h.queue))
	}
	if r.Pending() != len(h.queue) {
		t.Fatalf("Pending %d, want %d", r.Pending(), len(h.queue))
	}
	if r.Stats() != h.want {
		t.Fatalf("stats %+v, want %+v", r.Stats(), h.want)
	}
	h.check()
}

// pop pops the oldest datagram, checking its place, bytes and source, and
// (inside consume) calls Reset if reset is set, which must do nothing.
func (h *groHarness) pop(reset bool) {
	t, r := h.t, h.r
	if h.ref.Len() == 0 {
		if err := r.PopWith(func([]byte, netip.AddrPort) error { return nil }); !errors.Is(err, netbuf.ErrEmpty) {
			t.Fatalf("empty: %v", err)
		}
		return
	}
	oldest := h.ref.Packets[0]
	errPeek := errors.New("peek")
	if err := r.buf.PopWith(func(p []byte) error {
		if h.offset(p) != oldest.Off {
			t.Fatalf("oldest packet at %d, model %d", h.offset(p), oldest.Off)
		}
		return errPeek
	}); err != errPeek {
		t.Fatalf("peek: %v", err)
	}
	if err := r.PopWith(func(p []byte, from netip.AddrPort) error {
		if !bytes.Equal(p, oldest.Data[HeaderSize:]) || cap(p) != len(p) {
			return fmt.Errorf("popped %d bytes %x, want %x", len(p), p, oldest.Data[HeaderSize:])
		}
		if want := r.zones.addrPort(oldest.Data); from != want {
			return fmt.Errorf("from %v, want %v", from, want)
		}
		if reset {
			r.Reset()
		}
		return nil
	}); err != nil {
		t.Fatalf("pop: %v", err)
	}
	if _, err := h.ref.Pop(make([]byte, h.room)); err != nil {
		t.Fatalf("model pop: %v", err)
	}
	h.check()
}

func (h *groHarness) reset() {
	h.r.Reset()
	h.ref.Reset()
	h.check()
}

// check compares what can be seen without popping: Len, Used, the
// buffer's invariants, and where the next datagram would go.
func (h *groHarness) check() {
	t, r, ref := h.t, h.r, h.ref
	if r.Len() != ref.Len() || r.Used() != ref.Used() {
		t.Fatalf("len/used %d/%d, model %d/%d", r.Len(), r.Used(), ref.Len(), ref.Used())
	}
	if err := r.buf.Check(); err != nil {
		t.Fatalf("%v", err)
	}
	p, err := r.buf.Reserve(h.room)
	off, _, merr := ref.Place(h.room)
	if (err == nil) != (merr == nil) {
		t.Fatalf("next place: %v, model %v", err, merr)
	}
	if err == nil {
		if h.offset(p) != off {
			t.Fatalf("next place %d, model %d", h.offset(p), off)
		}
		_ = r.buf.Abort()
	}
}

// message returns n bytes that differ from message to message.
func message(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(i*7 + n)
	}
	return p
}

// TestGROSplitMatchesModel drives a receiver with random GRO reads (runs of
// any segment size, uneven last segments, single datagrams, zero-length
// ones, segments and datagrams longer than the MTU, messages cut by the
// window), pops, and Resets (inside PopWith's consume too), over buffers of
// every size and slot count. After every step the receiver must hold
// exactly what the model holds when each datagram read is pushed by
// itself with PushWith(MTU+HeaderSize), in the order read: same packets,
// same offsets, same padding (checked through Used and the next place),
// same bytes and sources. A read must commit as many datagrams as the
// buffer takes and keep the rest pending, never read the socket while some
// are pending, and count them as single reads would.
func TestGROSplitMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		mtu := rapid.IntRange(1, 200).Draw(t, "mtu")
		window := rapid.IntRange(1, 1500).Draw(t, "window")
		// Often a capacity near a run's span (its segments, a header each,
		// and one MTU), where the room ends just inside or outside a run.
		capacity := rapid.IntRange(mtu+HeaderSize, 6000).Draw(t, "capacity")
		if rapid.Bool().Draw(t, "near span") {
			capacity = max(mtu+HeaderSize, window+mtu+HeaderSize*rapid.IntRange(0, 60).Draw(t, "headers")+rapid.IntRange(-40, 40).Draw(t, "slack"))
		}
		slots := rapid.IntRange(1, capacity/HeaderSize).Draw(t, "slots")
		h := newGROHarness(t, mtu, capacity, slots, window)
		t.Repeat(map[string]func(*rapid.T){
			"read": func(t *rapid.T) {
				var msg []byte
				seg := 0
				if rapid.Bool().Draw(t, "run") {
					seg = rapid.IntRange(1, mtu+20).Draw(t, "seg")
					count := rapid.IntRange(1, 150).Draw(t, "count")
					size := count*seg - rapid.IntRange(0, seg-1).Draw(t, "short")
					msg = message(min(size, window+2*seg))
				} else {
					msg = message(rapid.IntRange(0, min(window+20, 2*mtu+20)).Draw(t, "size"))
				}
				h.read(msg, seg, groSources[rapid.IntRange(0, len(groSources)-1).Draw(t, "src")])
			},
			"small datagram": func(t *rapid.T) {
				// Moves the tail by a few bytes, so that runs meet the end
				// of the storage at every distance.
				h.read(message(rapid.IntRange(0, 8).Draw(t, "small")), 0, groSources[0])
			},
			"pop": func(t *rapid.T) { h.pop(false) },
			"pop many": func(t *rapid.T) {
				for range rapid.IntRange(0, h.ref.Len()).Draw(t, "pops") {
					h.pop(false)
				}
			},
			"reset":                func(t *rapid.T) { h.reset() },
			"reset inside consume": func(t *rapid.T) { h.pop(true) },
		})
	})
}

// TestGRORunEdges: runs placed where the room ends within one MTU of their
// last packet, or where the run fits only by wrapping to the start while a
// single datagram still fits at the tail. Each case is checked step by step
// against the model, as in TestGROSplitMatchesModel.
func TestGRORunEdges(t *testing.T) {
	src := groSources[1]
	t.Run("room ends inside the last packet's MTU", func(t *testing.T) {
		// 60-byte segments, MTU 100, window 1000: the 17th packet
		// starts at 16*84 = 1344 and needs 124 bytes from there.
		for capacity := 1400; capacity <= 1520; capacity++ {
			h := newGROHarness(t, 100, capacity, capacity/HeaderSize, 1000)
			h.read(message(120), 60, src) // learns the segment size
			h.pop(false)
			h.pop(false)
			h.read(message(17*60), 60, src) // 16 segments and a short one in the window
			for h.r.Pending() > 0 {
				h.pop(false)
				h.read(nil, 0, src)
			}
			for h.ref.Len() > 0 {
				h.pop(false)
			}
		}
	})
	t.Run("run wraps, datagram does not", func(t *testing.T) {
		// The tail has room for one datagram but not for a run, the head
		// has room for the run: the run must go where the datagram goes.
		for tail := 100; tail <= 400; tail += 7 {
			const mtu, window = 50, 300
			h := newGROHarness(t, mtu, 2000, 80, window)
			for h.r.Used() < 2000-tail-(mtu+HeaderSize) {
				h.read(message(mtu), 0, src)
			}
			for h.r.Used() < 2000-tail {
				h.read(nil, 0, src)
			}
			for h.r.Used() > 2000-tail-2*window {
				h.pop(false) // free the head
			}
			h.read(message(window), 10, src)
			h.read(message(window), 10, src)
			for h.ref.Len() > 0 {
				h.pop(false)
				if h.r.Pending() > 0 {
					h.read(nil, 0, src)
				}
			}
		}
	})
}
