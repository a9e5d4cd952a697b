package netbuf_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/netbuf-go/netbuf/netbuf"
)

// The unit tests below restate docs/SPEC.md rule by rule, with every expected
// offset and Used() worked out by hand in the case table, so that they share
// nothing with the model or the code under test.
//
// Placement is observed from outside: the storage is private, but the slice
// PushWith hands to fill (and PopWith to consume) points into it, so its
// address minus the storage's first byte is the packet's offset. The first
// byte's address is learned once per buffer from a fill on the empty buffer
// (offset 0 by rule 2) that fails, which by the spec commits nothing.

// errProbe is returned by fills that must not commit.
var errProbe = errors.New("probe: fill fails on purpose")

// addr returns the address of p's first element.
func addr(p []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(p))) }

// harness drives one buffer, tracks the packets it should hold and checks
// the buffer after every step.
type harness struct {
	t    *testing.T
	b    *netbuf.UnorderedBuffer
	base uintptr  // address of storage offset 0
	want [][]byte // packets held, oldest first, as committed
	seed byte     // payload generator: every packet has distinct bytes
}

func newHarness(t *testing.T, capacityBytes, maxPackets int) *harness {
	t.Helper()
	b, err := netbuf.NewUnorderedBuffer(capacityBytes, maxPackets)
	if err != nil {
		t.Fatalf("NewUnorderedBuffer(%d, %d): %v", capacityBytes, maxPackets, err)
	}
	h := &harness{t: t, b: b}
	if _, err := b.PushWith(capacityBytes, func(p []byte) (int, error) {
		h.base = addr(p)
		return len(p), errProbe
	}); !errors.Is(err, errProbe) {
		t.Fatalf("probe push on an empty buffer: got %v, want errProbe", err)
	}
	h.check("after the probe push")
	return h
}

// offset returns the storage offset p starts at. p must not be empty.
func (h *harness) offset(p []byte) int { return int(addr(p) - h.base) }

// payload returns n fresh bytes.
func (h *harness) payload(n int) []byte {
	p := make([]byte, n)
	for i := range p {
		h.seed++
		p[i] = h.seed
	}
	return p
}

// check asserts Check() == nil and Len() == the packets the test committed.
func (h *harness) check(where string) {
	h.t.Helper()
	if err := h.b.Check(); err != nil {
		h.t.Fatalf("%s: Check: %v", where, err)
	}
	if got := h.b.Len(); got != len(h.want) {
		h.t.Fatalf("%s: Len() = %d, want %d", where, got, len(h.want))
	}
}

// kind is what a step does.
type kind int

const (
	kPush    kind = iota // PushWith (or Push) that must succeed
	kPushErr             // PushWith that must fail before calling fill, changing nothing
	kPop                 // PopWith (or Pop) of the oldest packet, which must succeed
	kPopErr              // PopWith that must fail, changing nothing
)

// step is one operation of a table case with the answer the spec gives.
type step struct {
	kind kind
	max  int   // push: maxSize
	n    int   // push: bytes fill writes and reports
	off  int   // expected offset of the push's room or the popped packet; < 0: not observable (zero-length)
	used int   // expected Used() after the step
	err  error // kPushErr, kPopErr: expected error
}

func push(maxSize, n, off, used int) step {
	return step{kind: kPush, max: maxSize, n: n, off: off, used: used}
}
func pushErr(maxSize int, err error) step { return step{kind: kPushErr, max: maxSize, err: err} }
func pop(off, used int) step              { return step{kind: kPop, off: off, used: used} }
func popErr(err error) step               { return step{kind: kPopErr, err: err} }

func (s step) String() string {
	switch s.kind {
	case kPush:
		return fmt.Sprintf("push(max=%d n=%d) at %d -> used %d", s.max, s.n, s.off, s.used)
	case kPushErr:
		return fmt.Sprintf("push(max=%d) -> %v", s.max, s.err)
	case kPop:
		return fmt.Sprintf("pop at %d -> used %d", s.off, s.used)
	default:
		return fmt.Sprintf("pop -> %v", s.err)
	}
}

// api selects the methods a table runs through: the callback pair, the
// copying pair (Push is only usable where fill would write maxSize bytes) or
// the two-phase calls.
type api int

const (
	apiWith     api = iota // PushWith / PopWith
	apiCopy                // Push where n == maxSize, else PushWith; Pop
	apiTwoPhase            // Reserve + Commit / Peek + Release
)

var apiNames = map[api]string{apiWith: "PushWith+PopWith", apiCopy: "Push+Pop", apiTwoPhase: "Reserve+Commit+Peek+Release"}

// run applies s and checks its answer and the buffer.
func (h *harness) run(i int, s step, via api) {
	h.t.Helper()
	where := fmt.Sprintf("step %d %v", i, s)
	used, held := h.b.Used(), h.b.Len()
	switch s.kind {
	case kPush:
		h.push(where, s, via)
	case kPushErr:
		if via == apiTwoPhase {
			if p, err := h.b.Reserve(s.max); p != nil || !errors.Is(err, s.err) {
				h.t.Fatalf("%s: Reserve = (%v, %v), want (nil, %v)", where, p, err, s.err)
			}
			break
		}
		n, err := h.b.PushWith(s.max, func(p []byte) (int, error) {
			h.t.Errorf("%s: fill called", where)
			return 0, nil
		})
		if n != 0 || !errors.Is(err, s.err) {
			h.t.Fatalf("%s: got (%d, %v), want (0, %v)", where, n, err, s.err)
		}
	case kPop:
		h.pop(where, s, via)
	case kPopErr:
		if via == apiTwoPhase {
			if p, err := h.b.Peek(); p != nil || !errors.Is(err, s.err) {
				h.t.Fatalf("%s: Peek = (%v, %v), want (nil, %v)", where, p, err, s.err)
			}
			break
		}
		if err := h.b.PopWith(func([]byte) error { h.t.Errorf("%s: consume called", where); return nil }); !errors.Is(err, s.err) {
			h.t.Fatalf("%s: got %v, want %v", where, err, s.err)
		}
	}
	if s.kind == kPushErr || s.kind == kPopErr {
		if h.b.Used() != used || h.b.Len() != held {
			h.t.Fatalf("%s: failure changed the buffer: Used %d -> %d, Len %d -> %d", where, used, h.b.Used(), held, h.b.Len())
		}
	} else if got := h.b.Used(); got != s.used {
		h.t.Fatalf("%s: Used() = %d, want %d", where, got, s.used)
	}
	h.check(where)
}

func (h *harness) push(where string, s step, via api) {
	h.t.Helper()
	p := h.payload(s.n)
	if via == apiCopy && s.n == s.max {
		if err := h.b.Push(p); err != nil {
			h.t.Fatalf("%s: Push: %v", where, err)
		}
		h.want = append(h.want, p)
		return
	}
	off := -1
	if via == apiTwoPhase {
		room, err := h.b.Reserve(s.max)
		if err != nil || len(room) != s.max || cap(room) != s.max {
			h.t.Fatalf("%s: Reserve = (len %d cap %d, %v), want (len == cap == %d, nil)", where, len(room), cap(room), err, s.max)
		}
		if len(room) > 0 {
			off = h.offset(room)
		}
		if err := h.b.Commit(copy(room, p)); err != nil {
			h.t.Fatalf("%s: Commit: %v", where, err)
		}
	} else if n, err := h.b.PushWith(s.max, func(room []byte) (int, error) {
		if len(room) > 0 {
			off = h.offset(room)
		}
		return copy(room, p), nil
	}); n != s.n || err != nil {
		h.t.Fatalf("%s: PushWith = (%d, %v), want (%d, nil)", where, n, err, s.n)
	}
	if s.max > 0 && off != s.off {
		h.t.Fatalf("%s: room at offset %d, want %d", where, off, s.off)
	}
	h.want = append(h.want, p)
}

func (h *harness) pop(where string, s step, via api) {
	h.t.Helper()
	if len(h.want) == 0 {
		h.t.Fatalf("%s: bad table: nothing to pop", where)
	}
	want := h.want[0]
	var got []byte
	off := -1
	if via == apiCopy {
		dst := make([]byte, len(want)+3)
		n, err := h.b.Pop(dst)
		if err != nil {
			h.t.Fatalf("%s: Pop: %v", where, err)
		}
		got = dst[:n]
	} else if via == apiTwoPhase {
		p, err := h.b.Peek()
		if err != nil || len(p) != cap(p) {
			h.t.Fatalf("%s: Peek = (len %d cap %d, %v), want (len == cap, nil)", where, len(p), cap(p), err)
		}
		if len(p) > 0 {
			off = h.offset(p)
		}
		got = append([]byte{}, p...)
		if err := h.b.Release(); err != nil {
			h.t.Fatalf("%s: Release: %v", where, err)
		}
	} else if err := h.b.PopWith(func(p []byte) error {
		if len(p) > 0 {
			off = h.offset(p)
		}
		got = append([]byte{}, p...)
		return nil
	}); err != nil {
		h.t.Fatalf("%s: PopWith: %v", where, err)
	}
	if !bytes.Equal(got, want) {
		h.t.Fatalf("%s: popped %v, want %v", where, got, want)
	}
	if via != apiCopy && len(want) > 0 && off != s.off {
		h.t.Fatalf("%s: packet at offset %d, want %d", where, off, s.off)
	}
	h.want = h.want[1:]
}

// geometryCase is one spec rule shown by a sequence of steps.
type geometryCase struct {
	rule      string
	capacity  int
	maxPacket int
	steps     []step
}

// geometryCases: C is the capacity; h, u and t are the spec's head, used
// and tail. Comments give the state after the step they follow.
var geometryCases = []geometryCase{
	{"exact fit: an empty buffer takes maxSize == Cap", 8, 2, []step{
		push(8, 8, 0, 8), pushErr(1, netbuf.ErrWouldBlock), pop(0, 0), push(8, 8, 0, 8),
	}},
	{"exact fit: a packet fills the tail window to Cap", 10, 4, []step{
		push(6, 6, 0, 6), push(4, 4, 6, 10), pushErr(1, netbuf.ErrWouldBlock),
	}},
	{"tail first: tail window == maxSize goes at the tail, not at 0", 10, 4, []step{
		push(3, 3, 0, 3), push(3, 3, 3, 6), pop(0, 3), // h=3 t=6: tail window 4, head window 3
		push(4, 4, 6, 7),
	}},
	{"tail first: both windows fit, the tail wins", 10, 4, []step{
		push(5, 5, 0, 5), push(2, 2, 5, 7), pop(0, 2), // h=5 t=7: tail 3, head 5
		push(3, 3, 7, 5),
	}},
	{"empty reset: h=u=0 when the last packet leaves", 10, 4, []step{
		push(4, 4, 0, 4), pop(0, 0), // h=u=0, not h=4
		push(10, 10, 0, 10), // with h=4 both windows would be too small
	}},
	{"empty reset: after a wrap, draining returns to h=u=0", 10, 4, []step{
		push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4), push(3, 3, 0, 9), // pad 2 on the packet at 4
		pop(4, 3), pop(0, 0), push(10, 10, 0, 10),
	}},
	{"pop: the head wraps from C to 0", 10, 4, []step{
		push(9, 9, 0, 9), push(1, 1, 9, 10), pop(0, 1), pop(9, 0),
		push(10, 10, 0, 10),
	}},
	{"pop: the head wraps from C to 0 with packets still held", 10, 4, []step{
		push(6, 6, 0, 6), push(4, 4, 6, 10), pop(0, 4), // h=6 t=10
		push(5, 5, 0, 9),             // tail window 0, head window 6: pad C-t = 0
		pop(6, 5),                    // h = 10 -> 0
		push(5, 5, 5, 10), pop(0, 5), // h=5 t=10
		push(3, 3, 0, 8), pop(5, 3), pop(0, 0),
	}},
	{"wrap: room at 0, tail window becomes padding of the newest packet", 10, 4, []step{
		push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4), // h=4 t=8: tail 2, head 4
		push(3, 1, 0, 7), // u = 4 + pad 2 + 1
		pop(4, 1),        // frees 4 + pad 2: h=0 u=1
		pop(0, 0),
	}},
	{"wrap: padding goes on the newest packet, not the oldest", 10, 4, []step{
		push(3, 3, 0, 3), push(3, 3, 3, 6), push(2, 2, 6, 8), pop(0, 5), // h=3 t=8
		push(3, 3, 0, 10), // pad 2 on the packet at 6
		pop(3, 7),         // frees 3 only
		pop(6, 3),         // frees 2 + pad 2, h wraps to 0
		pop(0, 0),
	}},
	{"wrap: head window == maxSize fits", 10, 4, []step{
		push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4),
		push(4, 4, 0, 10), pushErr(1, netbuf.ErrWouldBlock), // pad 2: full
	}},
	{"head window too small: ErrWouldBlock, fill not called", 10, 4, []step{
		push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4), // tail 2, head 4
		pushErr(5, netbuf.ErrWouldBlock),
		push(2, 2, 8, 6), // the tail window still takes what fits
	}},
	{"wrapped-tail gap: tail window is C-u when wrapped, head window 0", 10, 4, []step{
		push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4),
		push(3, 2, 0, 8),                 // pad 2; t=12 > C: gap [2, 4)
		pushErr(3, netbuf.ErrWouldBlock), // h=4 >= 3, but the head window is 0 when wrapped
		push(2, 2, 2, 10),                // exactly the gap
		pushErr(1, netbuf.ErrWouldBlock), // full
		push(0, 0, -1, 10),               // C-u = 0 >= 0
		pop(4, 4), pop(0, 2), pop(2, 0),  // (the zero-length one is left)
		pop(-1, 0), push(10, 10, 0, 10),
	}},
	{"metadata full: ErrWouldBlock with bytes to spare, then a pop frees a slot", 100, 2, []step{
		push(1, 1, 0, 1), push(1, 1, 1, 2),
		pushErr(1, netbuf.ErrWouldBlock), pushErr(0, netbuf.ErrWouldBlock),
		pop(0, 1), push(1, 1, 2, 2),
	}},
	{"short fill: only the n bytes fill wrote are committed", 10, 4, []step{
		push(8, 3, 0, 3), push(7, 7, 3, 10),
	}},
	{"zero-length packets: take a slot and no bytes, pop in order", 4, 3, []step{
		push(0, 0, -1, 0), push(4, 0, 0, 0), push(2, 2, 0, 2),
		pushErr(0, netbuf.ErrWouldBlock), // three slots used
		pop(-1, 2), pop(-1, 2), pop(0, 0),
	}},
	{"zero-length packets: at the wrap point t == C, offset 0, no padding", 8, 4, []step{
		push(4, 4, 0, 4), push(4, 4, 4, 8), // t == C
		push(0, 0, -1, 8),
		pop(0, 4), pop(4, 0), // the zero-length packet is left, h=u=0
		push(8, 8, 0, 8), pop(-1, 8), pop(0, 0),
	}},
	{"zero-length packets: at t == C with h > 0, a later wrap pads by C-t = 0", 8, 4, []step{
		push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4), // h=4 t=8
		push(0, 0, -1, 4),
		push(4, 4, 0, 8), // tail window 0, head window 4
		pop(4, 4), pop(-1, 4), pop(0, 0),
	}},
	{"pop on empty: ErrEmpty", 4, 1, []step{
		popErr(netbuf.ErrEmpty), push(1, 1, 0, 1), pop(0, 0), popErr(netbuf.ErrEmpty),
	}},
}

func TestUnorderedGeometry(t *testing.T) {
	for _, via := range []api{apiWith, apiCopy, apiTwoPhase} {
		t.Run(apiNames[via], func(t *testing.T) {
			for _, tc := range geometryCases {
				t.Run(tc.rule, func(t *testing.T) {
					h := newHarness(t, tc.capacity, tc.maxPacket)
					for i, s := range tc.steps {
						h.run(i, s, via)
					}
				})
			}
		})
	}
}

func TestUnorderedReset(t *testing.T) {
	h := newHarness(t, 10, 4)
	for i, s := range []step{push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4), push(3, 3, 0, 9)} {
		h.run(i, s, apiWith)
	}
	h.b.Reset()
	h.want = nil
	h.check("after Reset")
	if h.b.Used() != 0 {
		t.Fatalf("after Reset: Used() = %d, want 0", h.b.Used())
	}
	h.run(0, push(10, 10, 0, 10), apiWith) // storage starts at 0 again
	h.run(1, pop(0, 0), apiWith)
}

func TestNewUnorderedBufferBadArgs(t *testing.T) {
	over := netbuf.MaxCapacity
	over++ // overflows to a negative number where int is 32 bits: still invalid
	limit := fmt.Sprintf("outside [1, %d]", netbuf.MaxCapacity)
	for _, tc := range []struct {
		rule         string
		bytes, slots int
		names        string // the argument the error names, with its value
	}{
		{"capacityBytes 0", 0, 1, "capacityBytes 0 "},
		{"capacityBytes negative", -1, 1, "capacityBytes -1 "},
		{"capacityBytes > MaxCapacity", over, 1, fmt.Sprintf("capacityBytes %d ", over)},
		{"maxPackets 0", 1, 0, "maxPackets 0 "},
		{"maxPackets negative", 1, -5, "maxPackets -5 "},
		{"maxPackets > MaxCapacity", 1, over, fmt.Sprintf("maxPackets %d ", over)},
		{"both 0", 0, 0, "capacityBytes 0 "},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			b, err := netbuf.NewUnorderedBuffer(tc.bytes, tc.slots)
			if b != nil || !errors.Is(err, netbuf.ErrInvalidSize) {
				// (b is not printed: it may hold a huge array.)
				t.Fatalf("NewUnorderedBuffer(%d, %d) = (non-nil %v, %v), want (nil, ErrInvalidSize)", tc.bytes, tc.slots, b != nil, err)
			}
			if msg := err.Error(); !strings.Contains(msg, "NewUnorderedBuffer: "+tc.names+limit) {
				t.Fatalf("NewUnorderedBuffer(%d, %d): %q does not name %q and its limit (%s)", tc.bytes, tc.slots, msg, tc.names, limit)
			}
		})
	}
}

// TestUnorderedAcceptsMaxCapacityOnFreshPages: NewUnorderedBuffer accepts
// MaxCapacity bytes (a `> MaxCapacity` check written `>=` refuses it). The
// heap's free pages go back to the system first, so that the 2 GiB come as
// fresh pages, which the runtime does not clear: after other tests, it otherwise
// sometimes clears them page by page, seconds of page faults on a loaded
// machine. Only a few pages of the storage are ever touched.
func TestUnorderedAcceptsMaxCapacityOnFreshPages(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("2 GiB of storage does not fit a 32-bit address space")
	}
	debug.FreeOSMemory()
	b, err := netbuf.NewUnorderedBuffer(netbuf.MaxCapacity, 1)
	if err != nil || b.Cap() != netbuf.MaxCapacity {
		t.Fatalf("NewUnorderedBuffer(MaxCapacity, 1) = (%v, %v), want a buffer of Cap() == MaxCapacity", b != nil, err)
	}
	if err := b.Push([]byte("x")); err != nil {
		t.Fatalf("Push into the largest buffer: %v", err)
	}
	dst := make([]byte, 1)
	if n, err := b.Pop(dst); err != nil || n != 1 || dst[0] != 'x' {
		t.Fatalf("Pop = %d %v %q, want 1 nil \"x\"", n, err, dst)
	}
}

func TestUnorderedCapAndMaxPacketsExact(t *testing.T) {
	for _, tc := range []struct{ bytes, slots int }{{1, 1}, {3, 5}, {1000, 7}, {1500, 1000}, {4097, 3}} {
		t.Run(fmt.Sprintf("%dx%d", tc.bytes, tc.slots), func(t *testing.T) {
			b, err := netbuf.NewUnorderedBuffer(tc.bytes, tc.slots)
			if err != nil {
				t.Fatal(err)
			}
			if b.Cap() != tc.bytes || b.MaxPackets() != tc.slots || b.Len() != 0 || b.Used() != 0 {
				t.Fatalf("Cap %d MaxPackets %d Len %d Used %d, want %d %d 0 0", b.Cap(), b.MaxPackets(), b.Len(), b.Used(), tc.bytes, tc.slots)
			}
			// Exactly MaxPackets packets fit, and exactly Cap bytes.
			for i := range tc.slots {
				if err := b.Push(nil); err != nil {
					t.Fatalf("zero-length push %d of %d: %v", i+1, tc.slots, err)
				}
			}
			if err := b.Push(nil); !errors.Is(err, netbuf.ErrWouldBlock) {
				t.Fatalf("push %d into %d slots: %v, want ErrWouldBlock", tc.slots+1, tc.slots, err)
			}
			b.Reset()
			if err := b.Push(make([]byte, tc.bytes)); err != nil {
				t.Fatalf("push of Cap bytes: %v", err)
			}
		})
	}
}

// TestUnorderedErrorOrder: ErrBusy, then maxSize < 0 (ErrInvalidSize), then
// maxSize > Cap (ErrTooLarge), then a full metadata ring or no room
// (ErrWouldBlock); a nil callback is documented after those for PushWith and
// before ErrEmpty for PopWith. ErrBusy first is in TestUnorderedReentrancy.
func TestUnorderedErrorOrder(t *testing.T) {
	fill := func(p []byte) (int, error) { return len(p), nil }
	states := map[string]func(b *netbuf.UnorderedBuffer) error{
		"empty":                   func(*netbuf.UnorderedBuffer) error { return nil },
		"metadata full (1 of 10)": func(b *netbuf.UnorderedBuffer) error { return b.Push([]byte{1}) },
		"bytes full":              func(b *netbuf.UnorderedBuffer) error { return b.Push(make([]byte, 10)) },
	}
	slots := map[string]int{"empty": 2, "metadata full (1 of 10)": 1, "bytes full": 4}
	for _, tc := range []struct {
		rule  string
		state string
		call  func(b *netbuf.UnorderedBuffer) error
		want  error
	}{
		{"maxSize < 0 before metadata full", "metadata full (1 of 10)", pushWith(-1, fill), netbuf.ErrInvalidSize},
		{"maxSize > Cap before metadata full", "metadata full (1 of 10)", pushWith(11, fill), netbuf.ErrTooLarge},
		{"Push too large before metadata full", "metadata full (1 of 10)", pushCopy(11), netbuf.ErrTooLarge},
		{"metadata full before nil fill", "metadata full (1 of 10)", pushWith(1, nil), netbuf.ErrWouldBlock},
		{"maxSize < 0 before no room", "bytes full", pushWith(-1, fill), netbuf.ErrInvalidSize},
		{"maxSize > Cap before no room", "bytes full", pushWith(11, fill), netbuf.ErrTooLarge},
		{"no room", "bytes full", pushWith(1, fill), netbuf.ErrWouldBlock},
		{"no room before nil fill", "bytes full", pushWith(1, nil), netbuf.ErrWouldBlock},
		{"maxSize MinInt", "empty", pushWith(-1<<(strconvIntSize-1), fill), netbuf.ErrInvalidSize},
		{"maxSize MaxInt", "empty", pushWith(1<<(strconvIntSize-1)-1, fill), netbuf.ErrTooLarge},
		{"maxSize < 0 before nil fill", "empty", pushWith(-1, nil), netbuf.ErrInvalidSize},
		{"maxSize > Cap before nil fill", "empty", pushWith(11, nil), netbuf.ErrTooLarge},
		{"nil fill", "empty", pushWith(1, nil), netbuf.ErrNilFunc},
		{"nil consume before empty", "empty", func(b *netbuf.UnorderedBuffer) error { return b.PopWith(nil) }, netbuf.ErrNilFunc},
		{"nil consume on a packet", "bytes full", func(b *netbuf.UnorderedBuffer) error { return b.PopWith(nil) }, netbuf.ErrNilFunc},
		{"Pop on empty", "empty", func(b *netbuf.UnorderedBuffer) error { _, err := b.Pop(nil); return err }, netbuf.ErrEmpty},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			b, err := netbuf.NewUnorderedBuffer(10, slots[tc.state])
			if err != nil {
				t.Fatal(err)
			}
			if err := states[tc.state](b); err != nil {
				t.Fatal(err)
			}
			used, held := b.Used(), b.Len()
			if err := tc.call(b); !errors.Is(err, tc.want) {
				t.Fatalf("in state %q: got %v, want %v", tc.state, err, tc.want)
			}
			if b.Used() != used || b.Len() != held {
				t.Fatalf("the failed call changed Used %d -> %d, Len %d -> %d", used, b.Used(), held, b.Len())
			}
			if err := b.Check(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// strconvIntSize is the size of int in bits.
const strconvIntSize = 32 << (^uint(0) >> 63)

func pushWith(maxSize int, fill func([]byte) (int, error)) func(*netbuf.UnorderedBuffer) error {
	return func(b *netbuf.UnorderedBuffer) error {
		n, err := b.PushWith(maxSize, fill)
		if err != nil && n != 0 {
			return fmt.Errorf("PushWith returned n=%d with %w", n, err)
		}
		return err
	}
}

func pushCopy(size int) func(*netbuf.UnorderedBuffer) error {
	return func(b *netbuf.UnorderedBuffer) error { return b.Push(make([]byte, size)) }
}

// pushStates are buffers (C=10, 4 slots) in which a push of max bytes lands
// in each geometric situation; failure tests run in all of them.
var pushStates = []struct {
	name  string
	steps []step
	max   int
}{
	{"empty", nil, 10},
	{"room at the tail", []step{push(4, 4, 0, 4)}, 6},
	{"room at 0 only (a commit would pad the newest packet)", []step{push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4)}, 3},
	{"wrapped (room in the gap)", []step{push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4), push(3, 2, 0, 8)}, 2},
}

// panicValue is what failing callbacks panic with; the tests check that the
// very same value comes out.
type panicValue struct{ where string }

var errDeadline = fmt.Errorf("read udp 127.0.0.1:9: %w", os.ErrDeadlineExceeded)

// TestUnorderedFillFailureIsAtomic: a push whose fill returns an error
// (whatever n), reports n < 0 or n > maxSize, or panics commits nothing (no
// packet, no padding), and every later answer is the one a buffer that never
// saw the failed push gives.
func TestUnorderedFillFailureIsAtomic(t *testing.T) {
	for _, st := range pushStates {
		for _, f := range []struct {
			rule  string
			n     func(max int) int
			err   error // returned by fill
			want  error // returned by PushWith (errors.Is)
			panic bool
		}{
			{"fill error with n=0", func(int) int { return 0 }, errProbe, errProbe, false},
			{"fill error with n=maxSize", func(m int) int { return m }, errProbe, errProbe, false},
			{"fill error with n=1", func(int) int { return 1 }, errProbe, errProbe, false},
			{"fill error with n<0", func(int) int { return -1 }, errProbe, errProbe, false},
			{"fill error with n>maxSize", func(m int) int { return m + 1 }, errProbe, errProbe, false},
			{"fill io.EOF with n=maxSize", func(m int) int { return m }, io.EOF, io.EOF, false},
			{"fill deadline error is returned unchanged", func(m int) int { return m }, errDeadline, os.ErrDeadlineExceeded, false},
			{"invalid n < 0", func(int) int { return -1 }, nil, netbuf.ErrInvalidLength, false},
			{"invalid n = MinInt", func(int) int { return -1 << (strconvIntSize - 1) }, nil, netbuf.ErrInvalidLength, false},
			{"invalid n > maxSize", func(m int) int { return m + 1 }, nil, netbuf.ErrInvalidLength, false},
			{"invalid n = MaxInt", func(int) int { return 1<<(strconvIntSize-1) - 1 }, nil, netbuf.ErrInvalidLength, false},
			{"fill panic propagates with its own value", nil, nil, nil, true},
		} {
			t.Run(st.name+"/"+f.rule, func(t *testing.T) {
				h, twin := newHarness(t, 10, 4), newHarness(t, 10, 4)
				for i, s := range st.steps {
					h.run(i, s, apiWith)
					twin.run(i, s, apiWith)
				}
				used, held := h.b.Used(), h.b.Len()
				pv := &panicValue{f.rule}
				var n int
				var err error
				got := catch(func() {
					n, err = h.b.PushWith(st.max, func(p []byte) (int, error) {
						for i := range p {
							p[i] = 0xEE
						}
						if f.panic {
							panic(pv)
						}
						return f.n(len(p)), f.err
					})
				})
				switch {
				case f.panic && got != pv:
					t.Fatalf("recovered %v, want the fill's own panic value %v", got, pv)
				case !f.panic && got != nil:
					t.Fatalf("PushWith panicked: %v", got)
				case !f.panic && (n != 0 || !errors.Is(err, f.want)):
					t.Fatalf("PushWith = (%d, %v), want (0, %v)", n, err, f.want)
				case f.err != nil && err != f.err && !errors.Is(err, f.err):
					t.Fatalf("PushWith returned %v, not fill's error %v", err, f.err)
				}
				h.check("after the failed push")
				if h.b.Used() != used || h.b.Len() != held {
					t.Fatalf("failed push changed Used %d -> %d, Len %d -> %d", used, h.b.Used(), held, h.b.Len())
				}
				sameFuture(t, h, twin, st.max)
			})
		}
	}
}

// sameFuture checks that h answers as twin does from here on: a push of max
// bytes lands at the same offset with the same Used, and both drain to the
// same packets and to Used() == 0.
func sameFuture(t *testing.T, h, twin *harness, max int) {
	t.Helper()
	for _, size := range []int{max, 1, 0} {
		wantOff, wantErr := twin.tryPush(size)
		gotOff, gotErr := h.tryPush(size)
		if gotOff != wantOff || !errors.Is(gotErr, wantErr) || h.b.Used() != twin.b.Used() || h.b.Len() != twin.b.Len() {
			t.Fatalf("next push of %d: at %d (%v), Used %d, Len %d; a buffer that never saw the failure: at %d (%v), Used %d, Len %d",
				size, gotOff, gotErr, h.b.Used(), h.b.Len(), wantOff, wantErr, twin.b.Used(), twin.b.Len())
		}
		h.check("after the next push")
	}
	for len(twin.want) > 0 {
		wantOff, wantUsed := twin.popAny()
		gotOff, gotUsed := h.popAny()
		if gotOff != wantOff || gotUsed != wantUsed {
			t.Fatalf("drain: packet at %d, Used %d after; a buffer that never saw the failure: at %d, Used %d", gotOff, gotUsed, wantOff, wantUsed)
		}
		h.check("drain")
	}
	if h.b.Len() != 0 || h.b.Used() != 0 {
		t.Fatalf("drained: Len %d Used %d, want 0 0", h.b.Len(), h.b.Used())
	}
}

// tryPush pushes a fresh packet of size bytes with PushWith and returns the
// room's offset (-1 for size 0) and the error.
func (h *harness) tryPush(size int) (int, error) {
	h.t.Helper()
	p := h.payload(size)
	off := -1
	_, err := h.b.PushWith(size, func(room []byte) (int, error) {
		if len(room) > 0 {
			off = h.offset(room)
		}
		return copy(room, p), nil
	})
	if err == nil {
		h.want = append(h.want, p)
	}
	return off, err
}

// popAny pops the oldest packet, checks its bytes and returns its offset
// (-1 if empty) and Used() after.
func (h *harness) popAny() (int, int) {
	h.t.Helper()
	off := -1
	if err := h.b.PopWith(func(p []byte) error {
		if len(p) > 0 {
			off = h.offset(p)
		}
		if !bytes.Equal(p, h.want[0]) {
			h.t.Fatalf("popped %v, want %v", p, h.want[0])
		}
		return nil
	}); err != nil {
		h.t.Fatalf("PopWith: %v", err)
	}
	h.want = h.want[1:]
	return off, h.b.Used()
}

// catch runs f and returns what it panicked with, or nil.
func catch(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// wrappedTwo leaves a C=10 buffer holding a 4-byte packet at 4 padded by 2
// and a 3-byte packet at 0: u = 9.
var wrappedTwo = []step{push(4, 4, 0, 4), push(4, 4, 4, 8), pop(0, 4), push(3, 3, 0, 9)}

// TestUnorderedConsumeFailureKeepsPacket: a pop whose consume returns an
// error or panics removes nothing; the error comes back unchanged.
func TestUnorderedConsumeFailureKeepsPacket(t *testing.T) {
	for _, tc := range []struct {
		rule  string
		err   error
		want  error
		panic bool
	}{
		{"consume error keeps the packet", errProbe, errProbe, false},
		{"consume deadline error is returned unchanged", errDeadline, os.ErrDeadlineExceeded, false},
		{"consume io.EOF keeps the packet", io.EOF, io.EOF, false},
		{"consume panic propagates with its own value, packet stays", nil, nil, true},
	} {
		t.Run(tc.rule, func(t *testing.T) {
			h := newHarness(t, 10, 4)
			for i, s := range wrappedTwo {
				h.run(i, s, apiWith)
			}
			pv := &panicValue{tc.rule}
			var err error
			got := catch(func() {
				err = h.b.PopWith(func(p []byte) error {
					p[0] ^= 0 // touch it
					if tc.panic {
						panic(pv)
					}
					return tc.err
				})
			})
			switch {
			case tc.panic && got != pv:
				t.Fatalf("recovered %v, want consume's own panic value %v", got, pv)
			case !tc.panic && got != nil:
				t.Fatalf("PopWith panicked: %v", got)
			case !tc.panic && (err != tc.err || !errors.Is(err, tc.want)):
				t.Fatalf("PopWith = %v, want consume's error %v unchanged", err, tc.err)
			}
			h.check("after the failed pop")
			if h.b.Used() != 9 {
				t.Fatalf("Used() = %d, want 9", h.b.Used())
			}
			// Usable, not busy, the same packets in the same places.
			for i, s := range []step{pop(4, 3), push(5, 5, 3, 8), pop(0, 5), pop(3, 0)} {
				h.run(i, s, apiWith)
			}
		})
	}
}

// TestUnorderedPopShortBuffer: Pop into a dst shorter than the packet returns
// io.ErrShortBuffer and keeps the packet; exactly long enough is fine.
func TestUnorderedPopShortBuffer(t *testing.T) {
	b, err := netbuf.NewUnorderedBuffer(10, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Push([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	if err := b.Push(nil); err != nil {
		t.Fatal(err)
	}
	for _, dst := range [][]byte{nil, make([]byte, 0, 10), make([]byte, 2, 10)} {
		n, err := b.Pop(dst)
		if n != 0 || !errors.Is(err, io.ErrShortBuffer) {
			t.Fatalf("Pop(len %d cap %d) = (%d, %v), want (0, io.ErrShortBuffer)", len(dst), cap(dst), n, err)
		}
		if b.Len() != 2 || b.Used() != 3 {
			t.Fatalf("short Pop changed the buffer: Len %d Used %d, want 2 3", b.Len(), b.Used())
		}
		if err := b.Check(); err != nil {
			t.Fatal(err)
		}
	}
	dst := make([]byte, 3)
	if n, err := b.Pop(dst); n != 3 || err != nil || string(dst) != "abc" {
		t.Fatalf("Pop(len 3) = (%d, %v) %q, want (3, nil) \"abc\"", n, err, dst)
	}
	if n, err := b.Pop(nil); n != 0 || err != nil {
		t.Fatalf("Pop(nil) of a zero-length packet = (%d, %v), want (0, nil)", n, err)
	}
	if b.Len() != 0 || b.Used() != 0 {
		t.Fatalf("Len %d Used %d, want 0 0", b.Len(), b.Used())
	}
}

// TestUnorderedSliceShapes: fill gets len == cap == maxSize and consume gets
// len == cap == the packet's length, so an append cannot reach a neighbour.
func TestUnorderedSliceShapes(t *testing.T) {
	b, err := netbuf.NewUnorderedBuffer(16, 8)
	if err != nil {
		t.Fatal(err)
	}
	// Pushes at 0 (room after it), at the tail, zero-size, at the tail
	// again, then a pop and a wrap to 0 with room before the head.
	for i, tc := range []struct{ max, n int }{{5, 5}, {4, 2}, {0, 0}, {3, 3}, {4, 1}} {
		if i == 4 {
			if err := b.PopWith(func([]byte) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
		_, err := b.PushWith(tc.max, func(p []byte) (int, error) {
			if len(p) != tc.max || cap(p) != tc.max {
				t.Errorf("push %d: fill got len %d cap %d, want %d %d", i, len(p), cap(p), tc.max, tc.max)
			}
			return tc.n, nil
		})
		if err != nil {
			t.Fatalf("push %d: %v", i, err)
		}
	}
	for i, want := range []int{2, 0, 3, 1} {
		if err := b.PopWith(func(p []byte) error {
			if len(p) != want || cap(p) != want {
				t.Errorf("pop %d: consume got len %d cap %d, want %d %d", i, len(p), cap(p), want, want)
			}
			return nil
		}); err != nil {
			t.Fatalf("pop %d: %v", i, err)
		}
	}
}

// TestUnorderedReentrancy: from inside fill or consume, every method of the
// same buffer returns ErrBusy (before any other error) and changes nothing;
// Reset does nothing. Another buffer is not affected.
func TestUnorderedReentrancy(t *testing.T) {
	noFill := func(t *testing.T) func([]byte) (int, error) {
		return func([]byte) (int, error) { t.Error("nested fill called"); return 0, nil }
	}
	noConsume := func(t *testing.T) func([]byte) error {
		return func([]byte) error { t.Error("nested consume called"); return nil }
	}
	calls := []struct {
		name string
		call func(t *testing.T, b *netbuf.UnorderedBuffer) error
	}{
		{"PushWith", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushWith(1, noFill(t))(b) }},
		{"PushWith maxSize<0 (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushWith(-1, noFill(t))(b) }},
		{"PushWith maxSize>Cap (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushWith(11, noFill(t))(b) }},
		{"PushWith no room (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushWith(10, noFill(t))(b) }},
		{"PushWith nil fill (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushWith(1, nil)(b) }},
		{"Push", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushCopy(1)(b) }},
		{"Push zero-length", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushCopy(0)(b) }},
		{"Push too large (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return pushCopy(11)(b) }},
		{"PopWith", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return b.PopWith(noConsume(t)) }},
		{"PopWith nil consume (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return b.PopWith(nil) }},
		{"Pop", func(t *testing.T, b *netbuf.UnorderedBuffer) error {
			n, err := b.Pop(make([]byte, 10))
			if n != 0 {
				return fmt.Errorf("Pop returned n=%d with %w", n, err)
			}
			return err
		}},
		{"PushBatch", func(t *testing.T, b *netbuf.UnorderedBuffer) error {
			_, err := b.PushBatch(1, make([][]byte, 2), func([][]byte) (int, error) { t.Error("nested fill called"); return 0, nil })
			return err
		}},
		{"Reserve", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return reserveErr(b, 1) }},
		{"Reserve maxSize<0 (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return reserveErr(b, -1) }},
		{"Reserve maxSize>Cap (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return reserveErr(b, 11) }},
		{"Commit (ErrBusy, not ErrInvalidState)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return b.Commit(0) }},
		{"Commit invalid n (ErrBusy first)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return b.Commit(-1) }},
		{"Abort (ErrBusy, not ErrInvalidState)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return b.Abort() }},
		{"Peek", func(t *testing.T, b *netbuf.UnorderedBuffer) error {
			p, err := b.Peek()
			if p != nil {
				return fmt.Errorf("Peek returned a slice with %w", err)
			}
			return err
		}},
		{"Release (ErrBusy, not ErrInvalidState)", func(t *testing.T, b *netbuf.UnorderedBuffer) error { return b.Release() }},
	}
	type outer struct {
		name string
		run  func(b *netbuf.UnorderedBuffer, inside func()) error
		used int // Used() after the outer call
		len  int
	}
	// The buffer (C=10, 4 slots) holds a 4-byte packet at 0 when the outer
	// call starts, so every nested call would succeed if it were allowed.
	outers := []outer{
		{"inside fill", func(b *netbuf.UnorderedBuffer, inside func()) error {
			_, err := b.PushWith(3, func(p []byte) (int, error) { inside(); return copy(p, "xyz"), nil })
			return err
		}, 7, 2},
		{"inside consume", func(b *netbuf.UnorderedBuffer, inside func()) error {
			return b.PopWith(func([]byte) error { inside(); return nil })
		}, 0, 0},
	}
	for _, o := range outers {
		for _, c := range calls {
			t.Run(o.name+"/"+c.name, func(t *testing.T) {
				b, _ := newBusyPair(t)
				var inner error
				if err := o.run(b, func() { inner = c.call(t, b) }); err != nil {
					t.Fatalf("outer call: %v", err)
				}
				if !errors.Is(inner, netbuf.ErrBusy) {
					t.Fatalf("nested %s: got %v, want ErrBusy", c.name, inner)
				}
				expectState(t, b, o.used, o.len)
			})
		}
		t.Run(o.name+"/Reset does nothing", func(t *testing.T) {
			b, _ := newBusyPair(t)
			if err := o.run(b, func() {
				b.Reset()
				if b.Len() != 1 || b.Used() != 4 {
					t.Errorf("inside: after Reset Len %d Used %d, want 1 4", b.Len(), b.Used())
				}
			}); err != nil {
				t.Fatalf("outer call: %v", err)
			}
			expectState(t, b, o.used, o.len)
		})
		t.Run(o.name+"/another buffer is not busy", func(t *testing.T) {
			b, other := newBusyPair(t)
			if err := o.run(b, func() {
				if err := other.Push([]byte("e")); err != nil {
					t.Errorf("Push on another buffer: %v", err)
				}
				if n, err := other.Pop(make([]byte, 4)); n != 4 || err != nil {
					t.Errorf("Pop on another buffer: (%d, %v), want (4, nil)", n, err)
				}
			}); err != nil {
				t.Fatalf("outer call: %v", err)
			}
			expectState(t, b, o.used, o.len)
			expectState(t, other, 1, 1)
		})
	}
}

// reserveErr calls Reserve and returns its error, or an error of its own if
// a failing Reserve returned a slice.
func reserveErr(b *netbuf.UnorderedBuffer, maxSize int) error {
	p, err := b.Reserve(maxSize)
	if p != nil {
		return fmt.Errorf("Reserve returned a slice with %w", err)
	}
	return err
}

// newBusyPair returns two C=10, 4-slot buffers each holding a 4-byte packet.
func newBusyPair(t *testing.T) (*netbuf.UnorderedBuffer, *netbuf.UnorderedBuffer) {
	t.Helper()
	var bs [2]*netbuf.UnorderedBuffer
	for i := range bs {
		b, err := netbuf.NewUnorderedBuffer(10, 4)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Push([]byte("abcd")); err != nil {
			t.Fatal(err)
		}
		bs[i] = b
	}
	return bs[0], bs[1]
}

// expectState checks Used, Len and Check, then that the buffer is not stuck
// busy: a push and a full drain succeed.
func expectState(t *testing.T, b *netbuf.UnorderedBuffer, used, held int) {
	t.Helper()
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	if b.Used() != used || b.Len() != held {
		t.Fatalf("after the outer call: Used %d Len %d, want %d %d", b.Used(), b.Len(), used, held)
	}
	if err := b.Push([]byte{1}); err != nil {
		t.Fatalf("push after the outer call: %v", err)
	}
	for b.Len() > 0 {
		if _, err := b.Pop(make([]byte, 10)); err != nil {
			t.Fatalf("drain: %v", err)
		}
	}
	if b.Used() != 0 {
		t.Fatalf("drained: Used %d, want 0", b.Used())
	}
}
