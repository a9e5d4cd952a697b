package netbuf

import "testing"

// The property suite calls Check after every step, so Check is part of the
// verification: a check that misses a broken invariant lets a broken buffer
// pass. A correct buffer never trips it, so these tests build broken states
// by hand, one per invariant, and compare the exact message (its numbers
// included). The valid cases sit on each boundary that a broken state
// crosses by one: a full storage, a full metadata ring whose head is its
// last slot, a packet ending exactly at C, padding before a wrap.

// checkState is a buffer state written field by field: storage size,
// metadata slots, the held packets oldest first from metadata index
// metaHead, and the header fields.
type checkState struct {
	c, slots   int
	metaHead   int
	pkts       []slot
	head, used int
	state      phase
	res        window
}

func (s checkState) build() *UnorderedBuffer {
	b := &UnorderedBuffer{store: store{data: make([]byte, s.c), head: s.head, used: s.used}, state: s.state, res: s.res}
	b.meta = Ring[slot]{buf: make([]slot, s.slots), head: s.metaHead, n: len(s.pkts)}
	for i, p := range s.pkts {
		b.meta.buf[(s.metaHead+i)%s.slots] = p
	}
	return b
}

func TestCheckAcceptsValidEdges(t *testing.T) {
	cases := []struct {
		name string
		s    checkState
	}{
		{"C=1, 1 slot, empty", checkState{c: 1, slots: 1}},
		{"C=1 full: used == C, packet ends at C", checkState{c: 1, slots: 1, pkts: []slot{{0, 1, 0}}, used: 1}},
		{"metadata full, head in its last slot", checkState{c: 8, slots: 3, metaHead: 2,
			pkts: []slot{{2, 2, 0}, {4, 1, 0}, {5, 3, 0}}, head: 2, used: 6}},
		{"wrapped, padding ends at C", checkState{c: 8, slots: 4,
			pkts: []slot{{4, 2, 2}, {0, 3, 0}}, head: 4, used: 7}},
		{"zero-length packets, one at the wrap", checkState{c: 4, slots: 4,
			pkts: []slot{{2, 2, 0}, {0, 0, 0}, {0, 1, 0}}, head: 2, used: 3}},
		{"reservation open on an empty buffer: all of it", checkState{c: 8, slots: 1,
			state: phaseReserved, res: window{off: 0, max: 8}}},
		{"reservation open at the tail, filling it to C", checkState{c: 8, slots: 2,
			pkts: []slot{{0, 3, 0}}, used: 3, state: phaseReserved, res: window{off: 3, max: 5}}},
		{"reservation open at 0, padding the tail window", checkState{c: 8, slots: 3,
			pkts: []slot{{4, 2, 0}}, head: 4, used: 2, state: phaseReserved, res: window{off: 0, max: 3, pad: 2}}},
		{"reservation open in the wrapped gap", checkState{c: 8, slots: 3,
			pkts: []slot{{4, 2, 2}, {0, 1, 0}}, head: 4, used: 5, state: phaseReserved, res: window{off: 1, max: 3}}},
		{"peek open on the last slot's packet", checkState{c: 8, slots: 2, metaHead: 1,
			pkts: []slot{{0, 8, 0}}, used: 8, state: phasePeeked, res: window{max: 8}}},
	}
	for _, tc := range cases {
		if err := tc.s.build().Check(); err != nil {
			t.Errorf("%s: Check() = %v, want nil", tc.name, err)
		}
	}
	b, err := NewUnorderedBuffer(5, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{2, 3} {
		if err := b.Push(make([]byte, n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Check(); err != nil {
		t.Errorf("full buffer made by the API: Check() = %v, want nil", err)
	}
}

func TestCheckReportsEachBrokenInvariant(t *testing.T) {
	cases := []struct {
		name string
		b    *UnorderedBuffer
		want string
	}{
		{"zero value", &UnorderedBuffer{},
			"netbuf: check: zero capacity (0 bytes, 0 slots): not made by NewUnorderedBuffer"},
		{"storage but no slots", &UnorderedBuffer{store: store{data: make([]byte, 4)}},
			"netbuf: check: zero capacity (4 bytes, 0 slots): not made by NewUnorderedBuffer"},
		{"slots but no storage", checkState{c: 0, slots: 2}.build(),
			"netbuf: check: zero capacity (0 bytes, 2 slots): not made by NewUnorderedBuffer"},
		{"negative packet count", func() *UnorderedBuffer {
			b := checkState{c: 4, slots: 2}.build()
			b.meta.n = -1
			return b
		}(), "netbuf: check: metadata ring head 0 len -1 outside capacity 2"},
		{"more packets than slots", func() *UnorderedBuffer {
			b := checkState{c: 4, slots: 2}.build()
			b.meta.n = 3
			return b
		}(), "netbuf: check: metadata ring head 0 len 3 outside capacity 2"},
		{"negative metadata head", checkState{c: 4, slots: 2, metaHead: -1}.build(),
			"netbuf: check: metadata ring head -1 len 0 outside capacity 2"},
		{"metadata head past the last slot", checkState{c: 4, slots: 2, metaHead: 2}.build(),
			"netbuf: check: metadata ring head 2 len 0 outside capacity 2"},
		{"negative used", checkState{c: 4, slots: 2, used: -1}.build(),
			"netbuf: check: used -1 outside [0, 4]"},
		{"used past C", checkState{c: 4, slots: 2, pkts: []slot{{0, 4, 0}}, used: 5}.build(),
			"netbuf: check: used 5 outside [0, 4]"},
		{"busy outside a callback", checkState{c: 4, slots: 2, state: phaseCallback}.build(),
			"netbuf: check: busy outside a callback"},
		{"unknown phase", checkState{c: 4, slots: 2, state: phasePeeked + 1}.build(),
			"netbuf: check: unknown phase 4"},
		{"peek open on an empty buffer", checkState{c: 4, slots: 2, state: phasePeeked}.build(),
			"netbuf: check: peek open on an empty buffer"},
		{"peek that frees the wrong size", checkState{c: 8, slots: 2, pkts: []slot{{4, 2, 2}, {0, 1, 0}}, head: 4, used: 5,
			state: phasePeeked, res: window{max: 2}}.build(),
			"netbuf: check: peek frees 2 bytes, but the oldest packet has 2 and padding 2"},
		{"reservation not where the room is", checkState{c: 8, slots: 2, pkts: []slot{{0, 3, 0}}, used: 3,
			state: phaseReserved, res: window{off: 4, max: 2}}.build(),
			"netbuf: check: reservation of 2 bytes at 4 padding 0, but the room is at 3 padding 0 (<nil>)"},
		{"reservation past the room", checkState{c: 8, slots: 2, pkts: []slot{{0, 3, 0}}, used: 3,
			state: phaseReserved, res: window{off: 3, max: 6}}.build(),
			"netbuf: check: reservation of 6 bytes at 3 padding 0, but the room is at 0 padding 0 (netbuf: no room for the packet now)"},
		{"reservation with the metadata ring full", checkState{c: 8, slots: 1, pkts: []slot{{0, 3, 0}}, used: 3,
			state: phaseReserved, res: window{off: 3, max: 2}}.build(),
			"netbuf: check: reservation of 2 bytes at 3 padding 0, but the room is at 0 padding 0 (netbuf: no room for the packet now)"},
		{"reservation at 0 with the wrong padding", checkState{c: 8, slots: 3, pkts: []slot{{4, 2, 0}}, head: 4, used: 2,
			state: phaseReserved, res: window{off: 0, max: 3, pad: 1}}.build(),
			"netbuf: check: reservation of 3 bytes at 0 padding 1, but the room is at 0 padding 2 (<nil>)"},
		{"reservation of a negative size", checkState{c: 8, slots: 3,
			state: phaseReserved, res: window{off: 0, max: -1}}.build(),
			"netbuf: check: reservation of -1 bytes at 0 padding 0, but the room is at 0 padding 0 (netbuf: invalid size)"},
		{"empty with a head", checkState{c: 4, slots: 2, head: 3}.build(),
			"netbuf: check: empty but head 3 used 0 (want 0, 0)"},
		{"empty with bytes used", checkState{c: 4, slots: 2, used: 2}.build(),
			"netbuf: check: empty but head 0 used 2 (want 0, 0)"},
		{"packet not at head", checkState{c: 8, slots: 2, pkts: []slot{{1, 2, 0}}, used: 2}.build(),
			"netbuf: check: packet 0 of 1 at offset 1, want 0"},
		{"gap between packets", checkState{c: 8, slots: 2, pkts: []slot{{0, 2, 0}, {3, 1, 0}}, used: 3}.build(),
			"netbuf: check: packet 1 of 2 at offset 3, want 2"},
		{"packet starting at C", checkState{c: 4, slots: 2, pkts: []slot{{4, 0, 0}}, head: 4}.build(),
			"netbuf: check: packet 0 [4, 4) outside [0, 4)"},
		{"packet crossing C", checkState{c: 4, slots: 2, pkts: []slot{{2, 3, 0}}, head: 2, used: 3}.build(),
			"netbuf: check: packet 0 [2, 5) outside [0, 4)"},
		{"padding short of C", checkState{c: 8, slots: 2, pkts: []slot{{0, 2, 3}, {5, 1, 0}}, used: 6}.build(),
			"netbuf: check: packet 0 [0, 2) padding 3 does not end at 8"},
		{"padding on the newest packet", checkState{c: 8, slots: 2, pkts: []slot{{4, 2, 2}}, head: 4, used: 4}.build(),
			"netbuf: check: newest packet 0 carries padding 2 with no wrap after it"},
		{"used short of the packets", checkState{c: 8, slots: 2, pkts: []slot{{0, 2, 0}, {2, 3, 0}}, used: 4}.build(),
			"netbuf: check: used 4 but packets and padding sum to 5"},
		{"used counting padding twice", checkState{c: 8, slots: 4,
			pkts: []slot{{4, 2, 2}, {0, 3, 0}}, head: 4, used: 6}.build(),
			"netbuf: check: used 6 but packets and padding sum to 7"},
	}
	for _, tc := range cases {
		err := tc.b.Check()
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: Check() = %v, want %q", tc.name, err, tc.want)
		}
	}
}
