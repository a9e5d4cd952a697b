package netbuf_test

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

// The OrderedBuffer tests restate docs/SPEC.md section 6 case by case, with
// the expected answers worked out by hand; ordered_model_test.go then runs
// random operations against model.Ordered, the reference model.

// errOrdProbe is returned by fills and consumes that must not commit.
var errOrdProbe = errors.New("probe: callback fails on purpose")

// ordPanic is the value the tests' callbacks panic with.
type ordPanic struct{ where string }

// ordCatch runs f and returns what it panicked with, or nil.
func ordCatch(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

func newOrdered(tb testing.TB, cfg netbuf.OrderedConfig) *netbuf.OrderedBuffer {
	tb.Helper()
	b, err := netbuf.NewOrderedBuffer(cfg)
	if err != nil {
		tb.Fatalf("NewOrderedBuffer(%+v): %v", cfg, err)
	}
	return b
}

// ordData returns the payload the tests give sequence seq: n bytes that
// depend on seq, so that a packet delivered under the wrong number shows.
func ordData(seq uint32, n int) []byte {
	p := make([]byte, n)
	for i := range p {
		p[i] = byte(seq*31 + uint32(i)*7 + 1)
	}
	return p
}

// ordFill returns a fill that writes data and reports seq.
func ordFill(seq uint32, data []byte) func([]byte) (uint32, int, error) {
	return func(p []byte) (uint32, int, error) { return seq, copy(p, data), nil }
}

// ordPush pushes ordData(seq, n) with Push, which must succeed.
func ordPush(t *testing.T, b *netbuf.OrderedBuffer, seq uint32, n int) {
	t.Helper()
	if err := b.Push(seq, ordData(seq, n)); err != nil {
		t.Fatalf("Push(%d, %d bytes): %v", seq, n, err)
	}
	ordCheck(t, b)
}

// ordPop pops with Pop, which must deliver seq with ordData(seq, n).
func ordPop(t *testing.T, b *netbuf.OrderedBuffer, seq uint32, n int) {
	t.Helper()
	dst := make([]byte, 64)
	got, m, err := b.Pop(dst)
	if err != nil || got != seq || string(dst[:m]) != string(ordData(seq, n)) {
		t.Fatalf("Pop = (%d, %q, %v), want (%d, %q, nil)", got, dst[:m], err, seq, ordData(seq, n))
	}
	ordCheck(t, b)
}

func ordCheck(t *testing.T, b *netbuf.OrderedBuffer) {
	t.Helper()
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
}

// ordState is what a buffer shows from outside, to compare two buffers or
// one before and after a call that must change nothing.
type ordState struct {
	len, used int
	next      uint32
	missing   string
}

func ordStateOf(b *netbuf.OrderedBuffer) ordState {
	return ordState{b.Len(), b.Used(), b.Next(), fmt.Sprint(b.AppendMissing(nil, 1<<10))}
}

// ordExpect checks Len, Used and Next.
func ordExpect(t *testing.T, b *netbuf.OrderedBuffer, length, used int, next uint32) {
	t.Helper()
	if b.Len() != length || b.Used() != used || b.Next() != next {
		t.Fatalf("Len %d Used %d Next %d, want %d %d %d", b.Len(), b.Used(), b.Next(), length, used, next)
	}
	ordCheck(t, b)
}

func TestOrderedNewLimits(t *testing.T) {
	ok := []netbuf.OrderedConfig{
		{Capacity: 1, MaxPackets: 1, Window: 1, SeqBits: 2},
		{Capacity: 1, MaxPackets: 1, Window: 2, SeqBits: 2, First: 3},
		{Capacity: 10, MaxPackets: 3, Window: 1 << 15, SeqBits: 16, First: 65535, Resync: true},
		{Capacity: 10, MaxPackets: 3, Window: 1 << 31, SeqBits: 32, First: math.MaxUint32},
		{Capacity: 10, MaxPackets: 1 << 10, Window: 7, SeqBits: 5},
	}
	for bits := 2; bits <= 32; bits++ {
		ok = append(ok, netbuf.OrderedConfig{Capacity: 1, MaxPackets: 1, Window: 1 << (bits - 1), SeqBits: bits, First: uint32(1<<bits - 1)})
	}
	for _, cfg := range ok {
		b, err := netbuf.NewOrderedBuffer(cfg)
		if err != nil {
			t.Fatalf("NewOrderedBuffer(%+v): %v", cfg, err)
		}
		if b.Cap() != cfg.Capacity || b.MaxPackets() != cfg.MaxPackets || b.Window() != cfg.Window ||
			b.SeqBits() != cfg.SeqBits || b.Next() != cfg.First || b.Len() != 0 || b.Used() != 0 {
			t.Fatalf("%+v: Cap %d MaxPackets %d Window %d SeqBits %d Next %d Len %d Used %d", cfg,
				b.Cap(), b.MaxPackets(), b.Window(), b.SeqBits(), b.Next(), b.Len(), b.Used())
		}
		ordCheck(t, b)
	}
	good := netbuf.OrderedConfig{Capacity: 10, MaxPackets: 4, Window: 4, SeqBits: 4}
	bad := []struct {
		set   func(c *netbuf.OrderedConfig)
		names string // what the error says: the field, its value and its range
	}{
		{func(c *netbuf.OrderedConfig) { c.Capacity = 0 }, "Capacity 0 outside [1, 2147483647]"},
		{func(c *netbuf.OrderedConfig) { c.Capacity = -1 }, "Capacity -1 outside [1, 2147483647]"},
		{func(c *netbuf.OrderedConfig) { c.Capacity = netbuf.MaxCapacity + 1 }, "Capacity 2147483648 outside [1, 2147483647]"},
		{func(c *netbuf.OrderedConfig) { c.MaxPackets = 0 }, "MaxPackets 0 outside [1, 2147483647]"},
		{func(c *netbuf.OrderedConfig) { c.MaxPackets = -5 }, "MaxPackets -5 outside [1, 2147483647]"},
		{func(c *netbuf.OrderedConfig) { c.MaxPackets = netbuf.MaxCapacity + 1 }, "MaxPackets 2147483648 outside [1, 2147483647]"},
		{func(c *netbuf.OrderedConfig) { c.SeqBits = 1; c.Window = 1 }, "SeqBits 1 outside [2, 32]"},
		{func(c *netbuf.OrderedConfig) { c.SeqBits = 0; c.Window = 1 }, "SeqBits 0 outside [2, 32]"},
		{func(c *netbuf.OrderedConfig) { c.SeqBits = -1; c.Window = 1 }, "SeqBits -1 outside [2, 32]"},
		{func(c *netbuf.OrderedConfig) { c.SeqBits = 33 }, "SeqBits 33 outside [2, 32]"},
		{func(c *netbuf.OrderedConfig) { c.SeqBits = 64 }, "SeqBits 64 outside [2, 32]"},
		{func(c *netbuf.OrderedConfig) { c.Window = 0 }, "Window 0 outside [1, 8]"},
		{func(c *netbuf.OrderedConfig) { c.Window = -1 }, "Window -1 outside [1, 8]"},
		{func(c *netbuf.OrderedConfig) { c.Window = 9 }, "Window 9 outside [1, 8]"}, // 2^(4-1) + 1
		{func(c *netbuf.OrderedConfig) { c.SeqBits = 32; c.Window = 1<<31 + 1 }, "Window 2147483649 outside [1, 2147483648]"},
		{func(c *netbuf.OrderedConfig) { c.First = 16 }, "First 16 outside [0, 15]"},
		{func(c *netbuf.OrderedConfig) { c.SeqBits = 2; c.Window = 2; c.First = 4 }, "First 4 outside [0, 3]"},
		{func(c *netbuf.OrderedConfig) { c.SeqBits = 31; c.First = 1 << 31 }, "First 2147483648 outside [0, 2147483647]"},
	}
	for i, tc := range bad {
		cfg := good
		tc.set(&cfg)
		b, err := netbuf.NewOrderedBuffer(cfg)
		if b != nil || !errors.Is(err, netbuf.ErrInvalidSize) {
			t.Errorf("case %d: NewOrderedBuffer(%+v) = (%v, %v), want (nil, ErrInvalidSize)", i, cfg, b, err)
		} else if want := "NewOrderedBuffer: " + tc.names; !strings.Contains(err.Error(), want) {
			t.Errorf("case %d: NewOrderedBuffer(%+v): %q, want it to say %q", i, cfg, err, want)
		}
	}
}

// TestOrderedAcceptsMaxCapacityOnFreshPages: NewOrderedBuffer accepts
// Capacity == MaxCapacity (a `> MaxCapacity` check written `>=` refuses
// it), on fresh pages, as TestUnorderedAcceptsMaxCapacityOnFreshPages
// explains.
func TestOrderedAcceptsMaxCapacityOnFreshPages(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("2 GiB of storage does not fit a 32-bit address space")
	}
	debug.FreeOSMemory()
	b, err := netbuf.NewOrderedBuffer(netbuf.OrderedConfig{Capacity: netbuf.MaxCapacity, MaxPackets: 1, Window: 1, SeqBits: 2})
	if err != nil || b.Cap() != netbuf.MaxCapacity {
		t.Fatalf("NewOrderedBuffer(Capacity MaxCapacity) = (%v, %v), want a buffer of Cap() == MaxCapacity", b != nil, err)
	}
	if err := b.Push(0, []byte("x")); err != nil {
		t.Fatalf("Push into the largest buffer: %v", err)
	}
	dst := make([]byte, 1)
	if seq, n, err := b.Pop(dst); err != nil || seq != 0 || n != 1 || dst[0] != 'x' {
		t.Fatalf("Pop = %d %d %v %q, want 0 1 nil \"x\"", seq, n, err, dst)
	}
}

// TestOrderedPushErrors: each refusal of PushWith and Push, where two apply
// the earlier one in the documented order, with the documented results, and
// nothing changed.
func TestOrderedPushErrors(t *testing.T) {
	// C = 10, 2 slots, window 4 of M = 16, Next = 0. "full" holds seq 1 (8
	// bytes) and seq 2 (0 bytes): no slot left. "one" holds seq 1 (8
	// bytes): a slot, but only 2 bytes of room.
	cfg := netbuf.OrderedConfig{Capacity: 10, MaxPackets: 2, Window: 4, SeqBits: 4}
	setups := map[string]func(t *testing.T, b *netbuf.OrderedBuffer){
		"empty": func(*testing.T, *netbuf.OrderedBuffer) {},
		"one":   func(t *testing.T, b *netbuf.OrderedBuffer) { ordPush(t, b, 1, 8) },
		"full":  func(t *testing.T, b *netbuf.OrderedBuffer) { ordPush(t, b, 1, 8); ordPush(t, b, 2, 0) },
	}
	type fillAnswer struct {
		seq uint32
		n   int
		err error
	}
	cases := []struct {
		name    string
		setup   string
		maxSize int
		nilFill bool
		fill    *fillAnswer // nil: fill must not be called
		seq     uint32      // expected results
		err     error
	}{
		{"negative maxSize", "full", -1, false, nil, 0, netbuf.ErrInvalidSize},
		{"too large before would block", "full", 11, false, nil, 0, netbuf.ErrTooLarge},
		{"no slot", "full", 0, false, nil, 0, netbuf.ErrWouldBlock},
		{"no slot before nil fill", "full", 0, true, nil, 0, netbuf.ErrWouldBlock},
		{"no room", "one", 3, false, nil, 0, netbuf.ErrWouldBlock},
		{"no room before nil fill", "one", 3, true, nil, 0, netbuf.ErrWouldBlock},
		{"nil fill", "one", 2, true, nil, 0, netbuf.ErrNilFunc},
		{"fill error before invalid n and seq", "one", 2, false, &fillAnswer{99, -1, errOrdProbe}, 0, errOrdProbe},
		{"fill error with a valid packet", "empty", 4, false, &fillAnswer{0, 4, errOrdProbe}, 0, errOrdProbe},
		{"n < 0 before invalid seq", "empty", 4, false, &fillAnswer{99, -1, nil}, 0, netbuf.ErrInvalidLength},
		{"n > maxSize", "empty", 4, false, &fillAnswer{0, 5, nil}, 0, netbuf.ErrInvalidLength},
		{"seq = M", "empty", 4, false, &fillAnswer{16, 4, nil}, 0, netbuf.ErrInvalidSeq},
		{"seq = MaxUint32", "empty", 4, false, &fillAnswer{math.MaxUint32, 4, nil}, 0, netbuf.ErrInvalidSeq},
		{"late: d = M/2", "empty", 4, false, &fillAnswer{8, 4, nil}, 8, netbuf.ErrLate},
		{"late: d = M-1", "one", 2, false, &fillAnswer{15, 2, nil}, 15, netbuf.ErrLate},
		{"duplicate", "one", 2, false, &fillAnswer{1, 2, nil}, 1, netbuf.ErrDuplicate},
		{"ahead: d = Window", "one", 2, false, &fillAnswer{4, 1, nil}, 4, netbuf.ErrAhead},
		{"ahead: d = M/2-1", "empty", 4, false, &fillAnswer{7, 0, nil}, 7, netbuf.ErrAhead},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newOrdered(t, cfg)
			setups[c.setup](t, b)
			before := ordStateOf(b)
			var fill func([]byte) (uint32, int, error)
			called := false
			if !c.nilFill {
				fill = func(p []byte) (uint32, int, error) {
					called = true
					if c.fill == nil {
						t.Error("fill called")
						return 0, 0, nil
					}
					copy(p, "abcdefghij")
					return c.fill.seq, c.fill.n, c.fill.err
				}
			}
			seq, n, err := b.PushWith(c.maxSize, fill)
			if seq != c.seq || n != 0 || !errors.Is(err, c.err) {
				t.Fatalf("PushWith = (%d, %d, %v), want (%d, 0, %v)", seq, n, err, c.seq, c.err)
			}
			if c.fill != nil && !called {
				t.Fatal("fill not called")
			}
			if after := ordStateOf(b); after != before {
				t.Fatalf("refused push changed the buffer: %+v -> %+v", before, after)
			}
			ordCheck(t, b)
			// Push answers the same, but for the fill's own errors and
			// lengths, which it cannot have.
			if c.nilFill || (c.fill != nil && (c.fill.err != nil || c.fill.n < 0 || c.fill.n > c.maxSize)) || c.maxSize < 0 {
				return
			}
			pseq := c.seq
			if c.fill != nil {
				pseq = c.fill.seq
			}
			if err := b.Push(pseq, make([]byte, c.maxSize)); !errors.Is(err, c.err) {
				t.Fatalf("Push(%d, %d bytes) = %v, want %v", pseq, c.maxSize, err, c.err)
			}
			if after := ordStateOf(b); after != before {
				t.Fatalf("refused Push changed the buffer: %+v -> %+v", before, after)
			}
		})
	}
}

// TestOrderedPopErrors: ErrNilFunc before ErrEmpty, ErrGap versus ErrEmpty,
// io.ErrShortBuffer and consume's error keeping the packet.
func TestOrderedPopErrors(t *testing.T) {
	b := newOrdered(t, netbuf.OrderedConfig{Capacity: 10, MaxPackets: 4, Window: 4, SeqBits: 4})
	noConsume := func(uint32, []byte) error { t.Error("consume called"); return nil }
	expectPop := func(want error) {
		t.Helper()
		if err := b.PopWith(noConsume); !errors.Is(err, want) {
			t.Fatalf("PopWith = %v, want %v", err, want)
		}
		wantSeq := uint32(0)
		if want == netbuf.ErrGap {
			wantSeq = b.Next() // the missing sequence
		}
		if seq, n, err := b.Pop(make([]byte, 10)); seq != wantSeq || n != 0 || !errors.Is(err, want) {
			t.Fatalf("Pop = (%d, %d, %v), want (%d, 0, %v)", seq, n, err, wantSeq, want)
		}
	}
	expectPop(netbuf.ErrEmpty)
	if err := b.PopWith(nil); !errors.Is(err, netbuf.ErrNilFunc) {
		t.Fatalf("PopWith(nil) on an empty buffer = %v, want ErrNilFunc", err)
	}
	ordPush(t, b, 2, 3)
	expectPop(netbuf.ErrGap)
	if err := b.PopWith(nil); !errors.Is(err, netbuf.ErrNilFunc) {
		t.Fatalf("PopWith(nil) with a gap = %v, want ErrNilFunc", err)
	}
	ordPush(t, b, 0, 3)
	before := ordStateOf(b)
	if seq, n, err := b.Pop(make([]byte, 2, 10)); seq != 0 || n != 0 || !errors.Is(err, io.ErrShortBuffer) {
		t.Fatalf("Pop(len 2 cap 10) = (%d, %d, %v), want (0, 0, io.ErrShortBuffer)", seq, n, err)
	}
	errWrapped := fmt.Errorf("handler: %w", errOrdProbe)
	if err := b.PopWith(func(seq uint32, p []byte) error { return errWrapped }); err != errWrapped {
		t.Fatalf("PopWith with a failing consume = %v, want its error unchanged", err)
	}
	if v := ordCatch(func() { _ = b.PopWith(func(uint32, []byte) error { panic(ordPanic{"consume"}) }) }); v != (ordPanic{"consume"}) {
		t.Fatalf("consume's panic came out as %v", v)
	}
	if after := ordStateOf(b); after != before {
		t.Fatalf("failed pops changed the buffer: %+v -> %+v", before, after)
	}
	if err := b.PopWith(func(seq uint32, p []byte) error {
		if seq != 0 || string(p) != string(ordData(0, 3)) || cap(p) != 3 {
			t.Errorf("consume got (%d, %q, cap %d), want (0, %q, cap 3)", seq, p, cap(p), ordData(0, 3))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	expectPop(netbuf.ErrGap) // 1 is missing; 2 is held
	ordExpect(t, b, 1, 6, 1)
}

// TestOrderedPopGapNamesTheMissingSequence: on ErrGap, Pop returns Next,
// the sequence that is missing, so that the loop a receiver writes first,
// giving up each missing sequence it is told of, drains the buffer in
// order, from a Next that is not 0 and across the wrap of the sequence
// space.
func TestOrderedPopGapNamesTheMissingSequence(t *testing.T) {
	b := newOrdered(t, netbuf.OrderedConfig{Capacity: 64, MaxPackets: 8, Window: 8, SeqBits: 4, First: 13})
	for _, seq := range []uint32{15, 2, 14, 0} { // 13 and 1 are lost
		ordPush(t, b, seq, 2)
	}
	var got []uint32
	dst := make([]byte, 2)
	for range 20 { // a loop that spins would not end by itself
		seq, n, err := b.Pop(dst)
		if errors.Is(err, netbuf.ErrEmpty) {
			break
		}
		if errors.Is(err, netbuf.ErrGap) {
			if seq != b.Next() || n != 0 {
				t.Fatalf("Pop = (%d, %d, ErrGap), want (%d, 0): the missing sequence", seq, n, b.Next())
			}
			if _, err := b.SkipTo((seq + 1) & 15); err != nil {
				t.Fatalf("SkipTo(%d) after ErrGap: %v", (seq+1)&15, err)
			}
			continue
		}
		if err != nil || n != 2 {
			t.Fatalf("Pop = (%d, %d, %v)", seq, n, err)
		}
		got = append(got, seq)
	}
	if want := []uint32{14, 15, 0, 2}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	ordExpect(t, b, 0, 0, 3)
}

// TestOrderedSequenceWrap: sequences wrap from M-1 to 0 for every small
// width, with packets reordered within the window, and serial arithmetic
// keeps telling late from ahead across the wrap.
func TestOrderedSequenceWrap(t *testing.T) {
	for bits := 2; bits <= 4; bits++ {
		for _, window := range []int{1, 1 << (bits - 1)} {
			t.Run(fmt.Sprintf("bits=%d/window=%d", bits, window), func(t *testing.T) {
				m := uint32(1) << bits
				b := newOrdered(t, netbuf.OrderedConfig{Capacity: 64, MaxPackets: window, Window: window, SeqBits: bits, First: m - 1})
				next := m - 1
				for round := range 3 * int(m) {
					// Push the window in reverse order, then pop it.
					for i := window - 1; i >= 0; i-- {
						ordPush(t, b, (next+uint32(i))%m, 1+(round+i)%5)
					}
					for i := range window {
						ordPop(t, b, (next+uint32(i))%m, 1+(round+i)%5)
					}
					next = (next + uint32(window)) % m
					ordExpect(t, b, 0, 0, next)
					// Just delivered: late. Half the space away: late too.
					for _, seq := range []uint32{(next + m - 1) % m, (next + m/2) % m} {
						if _, _, err := b.PushWith(1, ordFill(seq, []byte{1})); !errors.Is(err, netbuf.ErrLate) {
							t.Fatalf("Next %d: push of %d = %v, want ErrLate", next, seq, err)
						}
					}
				}
			})
		}
	}
	t.Run("bits=32", func(t *testing.T) {
		b := newOrdered(t, netbuf.OrderedConfig{Capacity: 64, MaxPackets: 5, Window: 4, SeqBits: 32, First: math.MaxUint32 - 1})
		for _, seq := range []uint32{1, 0, math.MaxUint32, math.MaxUint32 - 1} {
			ordPush(t, b, seq, 2)
		}
		if err := b.Push(2, nil); !errors.Is(err, netbuf.ErrAhead) {
			t.Fatalf("Push(2) with Next MaxUint32-1 = %v, want ErrAhead", err)
		}
		if got := b.AppendMissing(nil, 10); len(got) != 0 {
			t.Fatalf("AppendMissing = %v, want none", got)
		}
		for _, seq := range []uint32{math.MaxUint32 - 1, math.MaxUint32, 0, 1} {
			ordPop(t, b, seq, 2)
		}
		if err := b.Push(math.MaxUint32, nil); !errors.Is(err, netbuf.ErrLate) {
			t.Fatalf("Push(MaxUint32) with Next 2 = %v, want ErrLate", err)
		}
		if err := b.Push(2+1<<31, nil); !errors.Is(err, netbuf.ErrLate) {
			t.Fatalf("Push(2+2^31) with Next 2 = %v, want ErrLate", err)
		}
		if err := b.Push(1+1<<31, nil); !errors.Is(err, netbuf.ErrAhead) {
			t.Fatalf("Push(1+2^31) with Next 2 = %v, want ErrAhead", err)
		}
	})
}

// TestOrderedDuplicate: a second packet with a held sequence is a
// duplicate; with a delivered or skipped sequence, it is late.
func TestOrderedDuplicate(t *testing.T) {
	b := newOrdered(t, netbuf.OrderedConfig{Capacity: 32, MaxPackets: 8, Window: 8, SeqBits: 16})
	ordPush(t, b, 1, 3)
	for _, n := range []int{3, 0, 5} {
		if seq, m, err := b.PushWith(5, ordFill(1, make([]byte, n))); seq != 1 || m != 0 || !errors.Is(err, netbuf.ErrDuplicate) {
			t.Fatalf("held 1, push 1 (%d bytes) = (%d, %d, %v), want (1, 0, ErrDuplicate)", n, seq, m, err)
		}
	}
	ordPush(t, b, 0, 2)
	ordPop(t, b, 0, 2)
	if seq, _, err := b.PushWith(2, ordFill(0, nil)); seq != 0 || !errors.Is(err, netbuf.ErrLate) {
		t.Fatalf("delivered 0, push 0 = (%d, %v), want (0, ErrLate)", seq, err)
	}
	ordPop(t, b, 1, 3)
	if err := b.Push(1, nil); !errors.Is(err, netbuf.ErrLate) {
		t.Fatalf("delivered 1, push 1 = %v, want ErrLate", err)
	}
	ordPush(t, b, 3, 1)
	if dropped, err := b.SkipTo(3); dropped != 0 || err != nil {
		t.Fatalf("SkipTo(3) = (%d, %v)", dropped, err)
	}
	if err := b.Push(2, nil); !errors.Is(err, netbuf.ErrLate) {
		t.Fatalf("skipped 2, push 2 = %v, want ErrLate", err)
	}
	if err := b.Push(3, nil); !errors.Is(err, netbuf.ErrDuplicate) {
		t.Fatalf("held 3 after SkipTo(3), push 3 = %v, want ErrDuplicate", err)
	}
}

// TestOrderedWindowEdge: d = Window-1 is accepted, d = Window is ahead,
// d = M/2-1 is ahead, d = M/2 is late; with Window = M/2 nothing is ahead.
func TestOrderedWindowEdge(t *testing.T) {
	b := newOrdered(t, netbuf.OrderedConfig{Capacity: 32, MaxPackets: 8, Window: 5, SeqBits: 4, First: 13})
	for _, c := range []struct {
		seq uint32
		err error
	}{
		{(13 + 5) % 16, netbuf.ErrAhead},
		{(13 + 7) % 16, netbuf.ErrAhead},
		{(13 + 8) % 16, netbuf.ErrLate},
		{12, netbuf.ErrLate},
		{(13 + 4) % 16, nil},
		{13, nil},
	} {
		if seq, _, err := b.PushWith(1, ordFill(c.seq, []byte{7})); seq != c.seq || !errors.Is(err, c.err) {
			t.Fatalf("Next 13 window 5, push %d = (%d, %v), want (%d, %v)", c.seq, seq, err, c.seq, c.err)
		}
	}
	if got := b.AppendMissing(nil, 10); !slices.Equal(got, []uint32{14, 15, 0}) {
		t.Fatalf("AppendMissing = %v, want [14 15 0]", got)
	}
	full := newOrdered(t, netbuf.OrderedConfig{Capacity: 32, MaxPackets: 8, Window: 8, SeqBits: 4, First: 3})
	ordPush(t, full, 3+7, 1)
	if err := full.Push(3+8, nil); !errors.Is(err, netbuf.ErrLate) {
		t.Fatalf("window M/2: push at d = M/2 = %v, want ErrLate", err)
	}
}

// TestOrderedResync: with Resync, a packet ahead is committed, then the
// window moves as SkipTo(seq-Window+1) would, dropping what that drops.
func TestOrderedResync(t *testing.T) {
	cfg := netbuf.OrderedConfig{Capacity: 64, MaxPackets: 8, Window: 4, SeqBits: 4, Resync: true}
	t.Run("keeps the held packets left in the window", func(t *testing.T) {
		b := newOrdered(t, cfg)
		ordPush(t, b, 2, 5)
		ordPush(t, b, 3, 6)
		seq, n, err := b.PushWith(8, ordFill(6, ordData(6, 7)))
		if seq != 6 || n != 7 || err != nil {
			t.Fatalf("PushWith(6) ahead with Resync = (%d, %d, %v), want (6, 7, nil)", seq, n, err)
		}
		// SkipTo(3): 2 dropped (and freed: the oldest arrival), 3 and 6 stay.
		ordExpect(t, b, 2, 13, 3)
		if got := b.AppendMissing(nil, 10); !slices.Equal(got, []uint32{4, 5}) {
			t.Fatalf("AppendMissing = %v, want [4 5]", got)
		}
		ordPop(t, b, 3, 6)
		if err := b.PopWith(func(uint32, []byte) error { return nil }); !errors.Is(err, netbuf.ErrGap) {
			t.Fatalf("PopWith = %v, want ErrGap", err)
		}
	})
	t.Run("drops Next itself", func(t *testing.T) {
		b := newOrdered(t, cfg)
		ordPush(t, b, 0, 5)
		ordPush(t, b, 4, 2) // d = Window: SkipTo(1)
		ordExpect(t, b, 1, 2, 1)
		if dropped, err := b.SkipTo(4); dropped != 0 || err != nil {
			t.Fatalf("SkipTo(4) = (%d, %v), want (0, nil)", dropped, err)
		}
		ordPop(t, b, 4, 2)
		ordExpect(t, b, 0, 0, 5)
	})
	t.Run("across the wrap, storage freed behind", func(t *testing.T) {
		b := newOrdered(t, netbuf.OrderedConfig{Capacity: 64, MaxPackets: 8, Window: 4, SeqBits: 4, First: 14, Resync: true})
		ordPush(t, b, 15, 3)
		ordPush(t, b, 14, 4)
		ordPop(t, b, 14, 4) // the newest arrival: not freed
		ordExpect(t, b, 1, 7, 15)
		ordPush(t, b, (15+7)%16, 1) // d = 7 = M/2-1: SkipTo(15+4 = 3)
		ordExpect(t, b, 1, 1, 3)
	})
	t.Run("late and duplicate are still refused", func(t *testing.T) {
		b := newOrdered(t, cfg)
		ordPush(t, b, 1, 1)
		for _, c := range []struct {
			seq uint32
			err error
		}{{8, netbuf.ErrLate}, {15, netbuf.ErrLate}, {1, netbuf.ErrDuplicate}} {
			if seq, n, err := b.PushWith(1, ordFill(c.seq, nil)); seq != c.seq || n != 0 || !errors.Is(err, c.err) {
				t.Fatalf("push %d = (%d, %d, %v), want (%d, 0, %v)", c.seq, seq, n, err, c.seq, c.err)
			}
		}
		ordExpect(t, b, 1, 1, 0)
	})
}

// TestOrderedSkipTo: its errors, its drops and counts, a skip beyond the
// window, and both ways it finds what to drop (by sequence, by arrival).
func TestOrderedSkipTo(t *testing.T) {
	b := newOrdered(t, netbuf.OrderedConfig{Capacity: 64, MaxPackets: 8, Window: 8, SeqBits: 5})
	for _, c := range []struct {
		seq uint32
		err error
	}{{32, netbuf.ErrInvalidSize}, {math.MaxUint32, netbuf.ErrInvalidSize}, {16, netbuf.ErrLate}, {31, netbuf.ErrLate}} {
		if dropped, err := b.SkipTo(c.seq); dropped != 0 || !errors.Is(err, c.err) {
			t.Fatalf("SkipTo(%d) = (%d, %v), want (0, %v)", c.seq, dropped, err, c.err)
		}
	}
	for _, seq := range []uint32{1, 3, 4, 6, 7} {
		ordPush(t, b, seq, 2)
	}
	for _, c := range []struct {
		seq     uint32
		dropped int
		len     int
	}{
		{0, 0, 5}, // SkipTo(Next): nothing
		{2, 1, 4}, // 1 dropped: d = 2 <= 5 arrivals, found by sequence
		{4, 1, 3}, // 3
		{4, 0, 3},
		{15, 3, 0}, // d = 11 > 3 arrivals, found by arrival; beyond the window
	} {
		if dropped, err := b.SkipTo(c.seq); dropped != c.dropped || err != nil || b.Len() != c.len || b.Next() != c.seq {
			t.Fatalf("SkipTo(%d) = (%d, %v) Len %d Next %d, want (%d, nil) Len %d", c.seq, dropped, err, b.Len(), b.Next(), c.dropped, c.len)
		}
		ordCheck(t, b)
	}
	ordExpect(t, b, 0, 0, 15)
	// The held packets from seq on stay, and are delivered.
	for _, seq := range []uint32{16, 17, 20} {
		ordPush(t, b, seq, 3)
	}
	if dropped, err := b.SkipTo(17); dropped != 1 || err != nil {
		t.Fatalf("SkipTo(17) = (%d, %v), want (1, nil)", dropped, err)
	}
	ordPop(t, b, 17, 3)
	// 16's storage went with the skip, 17's with the pop: 20's is left.
	ordExpect(t, b, 1, 3, 18)
	if dropped, err := b.SkipTo(20); dropped != 0 || err != nil {
		t.Fatalf("SkipTo(20) = (%d, %v), want (0, nil)", dropped, err)
	}
	ordPop(t, b, 20, 3)
	ordExpect(t, b, 0, 0, 21)
}

// TestOrderedStorageArrivalOrder: storage is freed in arrival order only,
// and an arrival slot is held until then (MaxPackets counts arrivals);
// wraps pad the newest arrival, delivered or not.
func TestOrderedStorageArrivalOrder(t *testing.T) {
	t.Run("later arrivals delivered first", func(t *testing.T) {
		b := newOrdered(t, netbuf.OrderedConfig{Capacity: 100, MaxPackets: 3, Window: 8, SeqBits: 8})
		ordPush(t, b, 2, 10)
		ordPush(t, b, 1, 20)
		ordPush(t, b, 0, 30)
		ordExpect(t, b, 3, 60, 0)
		ordPop(t, b, 0, 30)
		ordExpect(t, b, 2, 60, 1) // 0 arrived last: its bytes stay
		ordPop(t, b, 1, 20)
		ordExpect(t, b, 1, 60, 2)
		// One packet held, but its arrival holds back the other two slots.
		if err := b.Push(3, nil); !errors.Is(err, netbuf.ErrWouldBlock) {
			t.Fatalf("push with 3 arrival slots taken = %v, want ErrWouldBlock", err)
		}
		ordPop(t, b, 2, 10)
		ordExpect(t, b, 0, 0, 3)
	})
	t.Run("wrap pads the newest arrival", func(t *testing.T) {
		b := newOrdered(t, netbuf.OrderedConfig{Capacity: 10, MaxPackets: 4, Window: 8, SeqBits: 8})
		var base uintptr
		if _, _, err := b.PushWith(10, func(p []byte) (uint32, int, error) {
			base = addr(p) // offset 0: the buffer is empty
			return 0, 0, errOrdProbe
		}); !errors.Is(err, errOrdProbe) {
			t.Fatal(err)
		}
		ordPush(t, b, 0, 4) // [0, 4)
		ordPush(t, b, 2, 4) // [4, 8)
		ordPop(t, b, 0, 4)  // freed: h = 4, u = 4
		ordExpect(t, b, 1, 4, 1)
		// 3 bytes: tail window 2, head window 4: at 0, and 2's arrival
		// gets the 2 tail bytes as padding.
		var off int
		if _, _, err := b.PushWith(3, func(p []byte) (uint32, int, error) {
			off = int(addr(p) - base)
			return 1, copy(p, ordData(1, 3)), nil
		}); err != nil || off != 0 {
			t.Fatalf("PushWith(3) at %d: %v, want at 0", off, err)
		}
		ordExpect(t, b, 2, 9, 1)
		ordPop(t, b, 1, 3) // the newest arrival: nothing freed
		ordExpect(t, b, 1, 9, 2)
		// Wrapped: the only room is the gap [3, 4).
		if err := b.Push(3, []byte{1, 2}); !errors.Is(err, netbuf.ErrWouldBlock) {
			t.Fatalf("2 bytes into the 1-byte gap of a wrapped buffer: %v, want ErrWouldBlock", err)
		}
		ordPop(t, b, 2, 4) // frees 2 with its padding, then 1: empty
		ordExpect(t, b, 0, 0, 3)
	})
}

// TestOrderedAppendMissing: its edges (max 0, nothing held, Next held, the
// highest held at the window's edge, the wrap) and no allocation when dst
// has room.
func TestOrderedAppendMissing(t *testing.T) {
	b := newOrdered(t, netbuf.OrderedConfig{Capacity: 64, MaxPackets: 8, Window: 8, SeqBits: 5, First: 29})
	if got := b.AppendMissing(nil, 5); got != nil {
		t.Fatalf("nothing held: %v, want nil", got)
	}
	ordPush(t, b, 29, 1)
	if got := b.AppendMissing([]uint32{7}, 5); !slices.Equal(got, []uint32{7}) {
		t.Fatalf("only Next held: %v, want [7]", got)
	}
	ordPush(t, b, 31, 1)
	ordPush(t, b, 4, 1) // d = 7 = Window-1
	for _, c := range []struct {
		max  int
		want []uint32
	}{
		{-1, nil},
		{0, nil},
		{1, []uint32{30}},
		{3, []uint32{30, 0, 1}},
		{4, []uint32{30, 0, 1, 2}},
		{5, []uint32{30, 0, 1, 2, 3}},
		{100, []uint32{30, 0, 1, 2, 3}},
	} {
		dst := []uint32{99}
		got := b.AppendMissing(dst, c.max)
		if !slices.Equal(got, append([]uint32{99}, c.want...)) {
			t.Fatalf("AppendMissing(max %d) = %v, want [99 %v]", c.max, got, c.want)
		}
	}
	dst := make([]uint32, 0, 8)
	var got []uint32
	if allocs := testing.AllocsPerRun(100, func() { got = b.AppendMissing(dst[:1], 100) }); allocs != 0 {
		t.Fatalf("AppendMissing into a dst with room: %v allocations", allocs)
	}
	if &got[0] != &dst[:1][0] || len(got) != 6 {
		t.Fatalf("AppendMissing into a dst with room returned a new array, or %d elements", len(got))
	}
	ordCheck(t, b)
}

// TestOrderedReset: Reset drops every packet, frees the storage and keeps
// Next.
func TestOrderedReset(t *testing.T) {
	b := newOrdered(t, netbuf.OrderedConfig{Capacity: 16, MaxPackets: 3, Window: 4, SeqBits: 4, First: 14})
	ordPush(t, b, 15, 5)
	ordPush(t, b, 14, 5)
	ordPop(t, b, 14, 5)
	ordPush(t, b, 1, 5)
	b.Reset()
	ordExpect(t, b, 0, 0, 15)
	if err := b.Push(14, nil); !errors.Is(err, netbuf.ErrLate) {
		t.Fatalf("after Reset, push 14 = %v, want ErrLate", err)
	}
	for _, seq := range []uint32{1, 15, 0} {
		ordPush(t, b, seq, 5)
	}
	for _, seq := range []uint32{15, 0, 1} {
		ordPop(t, b, seq, 5)
	}
	ordExpect(t, b, 0, 0, 2)
}

// TestOrderedReentrancy: inside fill and consume every changing call
// answers ErrBusy and changes nothing, Reset does nothing, the queries
// answer, and another buffer is not busy.
func TestOrderedReentrancy(t *testing.T) {
	cfg := netbuf.OrderedConfig{Capacity: 16, MaxPackets: 4, Window: 4, SeqBits: 4}
	calls := []struct {
		name string
		call func(t *testing.T, b *netbuf.OrderedBuffer) error
	}{
		{"PushWith", func(t *testing.T, b *netbuf.OrderedBuffer) error {
			seq, n, err := b.PushWith(1, func([]byte) (uint32, int, error) { t.Error("nested fill called"); return 2, 0, nil })
			if seq != 0 || n != 0 {
				return fmt.Errorf("PushWith returned (%d, %d) with %w", seq, n, err)
			}
			return err
		}},
		{"PushWith invalid (ErrBusy first)", func(t *testing.T, b *netbuf.OrderedBuffer) error { _, _, err := b.PushWith(-1, nil); return err }},
		{"Push", func(t *testing.T, b *netbuf.OrderedBuffer) error { return b.Push(2, []byte{1}) }},
		{"Push late (ErrBusy first)", func(t *testing.T, b *netbuf.OrderedBuffer) error { return b.Push(9, nil) }},
		{"PopWith", func(t *testing.T, b *netbuf.OrderedBuffer) error {
			return b.PopWith(func(uint32, []byte) error { t.Error("nested consume called"); return nil })
		}},
		{"PopWith nil (ErrBusy first)", func(t *testing.T, b *netbuf.OrderedBuffer) error { return b.PopWith(nil) }},
		{"Pop", func(t *testing.T, b *netbuf.OrderedBuffer) error {
			seq, n, err := b.Pop(make([]byte, 16))
			if seq != 0 || n != 0 {
				return fmt.Errorf("Pop returned (%d, %d) with %w", seq, n, err)
			}
			return err
		}},
		{"SkipTo", func(t *testing.T, b *netbuf.OrderedBuffer) error { _, err := b.SkipTo(3); return err }},
		{"SkipTo invalid (ErrBusy first)", func(t *testing.T, b *netbuf.OrderedBuffer) error { _, err := b.SkipTo(99); return err }},
	}
	// When the outer call starts, the buffer holds 0 and 1 (3 bytes each).
	outers := []struct {
		name string
		run  func(b *netbuf.OrderedBuffer, inside func()) error
		want ordState // after the outer call
	}{
		{"inside fill", func(b *netbuf.OrderedBuffer, inside func()) error {
			_, _, err := b.PushWith(3, func(p []byte) (uint32, int, error) { inside(); return 3, copy(p, "xyz"), nil })
			return err
		}, ordState{3, 9, 0, "[2]"}},
		{"inside consume", func(b *netbuf.OrderedBuffer, inside func()) error {
			return b.PopWith(func(uint32, []byte) error { inside(); return nil })
		}, ordState{1, 3, 1, "[]"}},
	}
	setup := func(t *testing.T) (*netbuf.OrderedBuffer, ordState) {
		b := newOrdered(t, cfg)
		ordPush(t, b, 0, 3)
		ordPush(t, b, 1, 3)
		return b, ordStateOf(b)
	}
	for _, o := range outers {
		for _, c := range calls {
			t.Run(o.name+"/"+c.name, func(t *testing.T) {
				b, _ := setup(t)
				var inner error
				if err := o.run(b, func() { inner = c.call(t, b) }); err != nil {
					t.Fatalf("outer call: %v", err)
				}
				if !errors.Is(inner, netbuf.ErrBusy) {
					t.Fatalf("nested %s: %v, want ErrBusy", c.name, inner)
				}
				if got := ordStateOf(b); got != o.want {
					t.Fatalf("after the outer call: %+v, want %+v", got, o.want)
				}
				ordCheck(t, b)
			})
		}
		t.Run(o.name+"/Reset does nothing, queries answer", func(t *testing.T) {
			b, before := setup(t)
			if err := o.run(b, func() {
				b.Reset()
				if got := ordStateOf(b); got != before {
					t.Errorf("inside: %+v, want %+v", got, before)
				}
				if err := b.Check(); err != nil {
					t.Errorf("inside: Check: %v", err)
				}
			}); err != nil {
				t.Fatalf("outer call: %v", err)
			}
			if got := ordStateOf(b); got != o.want {
				t.Fatalf("after the outer call: %+v, want %+v", got, o.want)
			}
		})
		t.Run(o.name+"/another buffer is not busy", func(t *testing.T) {
			b, _ := setup(t)
			other := newOrdered(t, cfg)
			if err := o.run(b, func() {
				if err := other.Push(0, []byte("ab")); err != nil {
					t.Errorf("other.Push: %v", err)
				}
				if _, _, err := other.Pop(make([]byte, 2)); err != nil {
					t.Errorf("other.Pop: %v", err)
				}
			}); err != nil {
				t.Fatalf("outer call: %v", err)
			}
			ordExpect(t, other, 0, 0, 1)
		})
	}
}

// TestOrderedFailureIsAtomic: a buffer that meets every kind of failure
// between its successful calls (errors and panics of fill and consume,
// refused sequences, refused sizes, a short dst, bad SkipTo) answers
// everything afterwards exactly as its twin that met none: the same state,
// the same room for the next push (its offset in storage), the same
// packets out.
func TestOrderedFailureIsAtomic(t *testing.T) {
	for _, resync := range []bool{false, true} {
		t.Run(fmt.Sprintf("resync=%v", resync), func(t *testing.T) {
			cfg := netbuf.OrderedConfig{Capacity: 40, MaxPackets: 6, Window: 8, SeqBits: 5, First: 27, Resync: resync}
			a, twin := newOrdered(t, cfg), newOrdered(t, cfg)
			baseA, baseT := ordBase(t, a), ordBase(t, twin)
			rng := rand.New(rand.NewPCG(1, uint64(len(fmt.Sprint(resync)))))
			for step := range 3000 {
				failures := ordFailures(a, resync, rng)
				for _, f := range failures {
					before := ordStateOf(a)
					f(t)
					if after := ordStateOf(a); after != before {
						t.Fatalf("step %d: a failing call changed the buffer: %+v -> %+v", step, before, after)
					}
				}
				// Then the same successful (or not) call on both.
				op := rng.IntN(10)
				seq := (a.Next() + uint32(rng.IntN(10))) % 32
				size := 1 + rng.IntN(11) // not 0: Pop(nil) must fail below
				for i, b := range []*netbuf.OrderedBuffer{a, twin} {
					switch {
					case op < 5:
						_ = b.Push(seq, ordData(seq, size))
					case op < 9:
						_, _, _ = b.Pop(make([]byte, 16))
					default:
						_, _ = b.SkipTo(seq)
					}
					if err := b.Check(); err != nil {
						t.Fatalf("step %d, buffer %d: %v", step, i, err)
					}
				}
				if sa, st := ordStateOf(a), ordStateOf(twin); sa != st {
					t.Fatalf("step %d: %+v, twin %+v", step, sa, st)
				}
				for _, max := range []int{0, 1, 5, 12} {
					ra, rt := ordRoom(a, baseA, max), ordRoom(twin, baseT, max)
					if ra != rt {
						t.Fatalf("step %d: room for %d bytes %s, twin %s", step, max, ra, rt)
					}
				}
			}
		})
	}
}

// ordBase returns the address of b's storage offset 0, from a failing fill
// on the empty buffer (offset 0 by rule 2; nothing committed).
func ordBase(t *testing.T, b *netbuf.OrderedBuffer) uintptr {
	var base uintptr
	if _, _, err := b.PushWith(b.Cap(), func(p []byte) (uint32, int, error) { base = addr(p); return 0, 0, errOrdProbe }); !errors.Is(err, errOrdProbe) {
		t.Fatalf("probe push on an empty buffer: %v", err)
	}
	return base
}

// ordRoom describes where a push of maxSize bytes would go, with a fill
// that fails (so nothing is committed): the offset, or the refusal.
func ordRoom(b *netbuf.OrderedBuffer, base uintptr, maxSize int) string {
	where := "?"
	_, _, err := b.PushWith(maxSize, func(p []byte) (uint32, int, error) {
		if maxSize > 0 {
			where = fmt.Sprint(addr(p) - base)
		}
		return 0, 0, errOrdProbe
	})
	if errors.Is(err, errOrdProbe) {
		return "at " + where
	}
	return err.Error()
}

// ordFailures returns calls that must fail on b and change nothing, each
// checking its own answer.
func ordFailures(b *netbuf.OrderedBuffer, resync bool, rng *rand.Rand) []func(t *testing.T) {
	m := uint32(1) << b.SeqBits()
	seq := (b.Next() + uint32(rng.IntN(b.Window()))) % m
	late := (b.Next() + m - 1 - uint32(rng.IntN(int(m/2)))) % m
	// A push may find no room before fill: a failure too, and the same.
	expect := func(t *testing.T, what string, err, want error) {
		t.Helper()
		if !errors.Is(err, want) && !errors.Is(err, netbuf.ErrWouldBlock) {
			t.Fatalf("%s: %v, want %v", what, err, want)
		}
	}
	fs := []func(t *testing.T){
		func(t *testing.T) {
			_, _, err := b.PushWith(4, func(p []byte) (uint32, int, error) { copy(p, "junk"); return seq, 4, errOrdProbe })
			expect(t, "fill error", err, errOrdProbe)
		},
		func(t *testing.T) {
			_, _, err := b.PushWith(4, func(p []byte) (uint32, int, error) { return seq, 5, nil })
			expect(t, "n > maxSize", err, netbuf.ErrInvalidLength)
		},
		func(t *testing.T) {
			_, _, err := b.PushWith(4, func(p []byte) (uint32, int, error) { return m + seq, 1, nil })
			expect(t, "seq >= M", err, netbuf.ErrInvalidSeq)
		},
		func(t *testing.T) {
			_, _, err := b.PushWith(4, func(p []byte) (uint32, int, error) { return late, 1, nil })
			expect(t, "late", err, netbuf.ErrLate)
		},
		func(t *testing.T) {
			v := ordCatch(func() {
				_, _, _ = b.PushWith(4, func(p []byte) (uint32, int, error) { copy(p, "junk"); panic(ordPanic{"fill"}) })
			})
			if _, _, err := b.PushWith(4, nil); v != (ordPanic{"fill"}) && (v != nil || !errors.Is(err, netbuf.ErrWouldBlock)) {
				t.Fatalf("fill's panic came out as %v, with room for 4 bytes: %v", v, err)
			}
		},
		func(t *testing.T) {
			_, _, err := b.PushWith(b.Cap()+1, nil)
			expect(t, "too large", err, netbuf.ErrTooLarge)
		},
		func(t *testing.T) { _, err := b.SkipTo(late); expect(t, "SkipTo late", err, netbuf.ErrLate) },
		func(t *testing.T) { _, err := b.SkipTo(m); expect(t, "SkipTo M", err, netbuf.ErrInvalidSize) },
	}
	if w := b.Window(); !resync && w < int(m/2) {
		ahead := (b.Next() + uint32(w+rng.IntN(int(m/2)-w))) % m
		fs = append(fs, func(t *testing.T) {
			_, _, err := b.PushWith(0, ordFill(ahead, nil))
			expect(t, "ahead", err, netbuf.ErrAhead)
		})
	}
	if missing := b.AppendMissing(nil, 1<<10); b.Len() > 0 {
		// A held sequence: the highest is held, and so is every sequence
		// from Next up to it that is not missing.
		held := b.Next()
		for _, s := range missing {
			if s != held {
				break
			}
			held = (held + 1) % m
		}
		fs = append(fs, func(t *testing.T) { expect(t, "duplicate", b.Push(held, nil), netbuf.ErrDuplicate) })
	}
	fs = append(fs,
		func(t *testing.T) {
			err := b.PopWith(func(uint32, []byte) error { return errOrdProbe })
			if !errors.Is(err, errOrdProbe) && !errors.Is(err, netbuf.ErrGap) && !errors.Is(err, netbuf.ErrEmpty) {
				t.Fatalf("consume error: %v", err)
			}
		},
		func(t *testing.T) {
			_ = ordCatch(func() { _ = b.PopWith(func(uint32, []byte) error { panic(ordPanic{"consume"}) }) })
		},
		func(t *testing.T) {
			if _, _, err := b.Pop(nil); err == nil { // every packet here has a byte or more
				t.Fatal("Pop(nil) delivered a packet")
			}
		},
	)
	rng.Shuffle(len(fs), func(i, j int) { fs[i], fs[j] = fs[j], fs[i] })
	return fs[:1+rng.IntN(len(fs))]
}

// TestOrderedZeroAllocs: in steady state, packets pushed out of order
// within the window and popped in order allocate nothing, through either
// API, wraps and padding included; nor do SkipTo and AppendMissing into a
// dst with room.
func TestOrderedZeroAllocs(t *testing.T) {
	const mtu, window = 1500, 16
	b := newOrdered(t, netbuf.OrderedConfig{Capacity: 8*mtu + 123, MaxPackets: 2 * window, Window: window, SeqBits: 16, First: 65500})
	src := make([]byte, mtu)
	var size, sink int
	var seq uint32
	fill := func(p []byte) (uint32, int, error) {
		size = (size + 397) % (len(p) + 1)
		return seq, copy(p, src[:size]), nil
	}
	consume := func(s uint32, p []byte) error { sink += len(p); return nil }
	dst := make([]byte, mtu)
	missing := make([]uint32, 0, window)
	next := b.Next()
	// Each run pushes a block of 4 in the order 2, 0, 3, 1 and pops it.
	order := [4]uint32{2, 0, 3, 1}
	for _, tc := range []struct {
		name  string
		block func()
	}{
		{"PushWith+PopWith", func() {
			for _, k := range order {
				seq = (next + k) & 0xFFFF
				if _, _, err := b.PushWith(mtu, fill); err != nil {
					t.Fatal(err)
				}
				missing = b.AppendMissing(missing[:0], window)
			}
			for range order {
				if err := b.PopWith(consume); err != nil {
					t.Fatal(err)
				}
			}
			next = (next + 4) & 0xFFFF
		}},
		{"Push+Pop+SkipTo", func() {
			for _, k := range order[:3] { // 1 is lost: skipped
				size = (size + 397) % (mtu + 1)
				if err := b.Push((next+k)&0xFFFF, src[:size]); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := b.Pop(dst); err != nil {
				t.Fatal(err)
			}
			if _, err := b.SkipTo((next + 2) & 0xFFFF); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if _, _, err := b.Pop(dst); err != nil {
					t.Fatal(err)
				}
			}
			next = (next + 4) & 0xFFFF
		}},
	} {
		if allocs := testing.AllocsPerRun(500, tc.block); allocs != 0 {
			t.Errorf("%s: %v allocations per block of 4 packets, want 0", tc.name, allocs)
		}
		ordExpect(t, b, 0, 0, next)
	}
	if sink == 0 {
		t.Fatal("nothing consumed")
	}
}
