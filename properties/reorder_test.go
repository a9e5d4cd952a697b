package properties_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/properties"
)

var errNotReady = errors.New("nothing ready")

// mapReorder is a trivially correct reorder buffer: a map and the next
// sequence. It starts, at its first Pop, at the earliest packet it holds,
// drops late packets and copies, and copies payloads.
type mapReorder struct {
	held    map[uint16][]byte
	next    uint16
	started bool
}

func newMapReorder() properties.Reorderer { return &mapReorder{held: map[uint16][]byte{}} }

func (b *mapReorder) Push(s uint16, p []byte) error {
	if b.started && !serialLess(b.next-1, s) {
		return nil // late: its successor was delivered
	}
	if _, ok := b.held[s]; !ok {
		b.held[s] = bytes.Clone(p)
	}
	return nil
}

func (b *mapReorder) Pop() (uint16, []byte, error) {
	if !b.started {
		if len(b.held) == 0 {
			return 0, nil, errNotReady
		}
		for s := range b.held {
			b.next = s
			break
		}
		for s := range b.held {
			if serialLess(s, b.next) {
				b.next = s
			}
		}
		b.started = true
	}
	p, ok := b.held[b.next]
	if !ok {
		return 0, nil, errNotReady
	}
	delete(b.held, b.next)
	b.next++
	return b.next - 1, p, nil
}

func TestCheckReorderPassesMapReorder(t *testing.T) {
	properties.CheckReorder(t, newMapReorder)
}

// Deliberately broken reorder buffers, each breaking one property.

// dupReorder keeps every copy of a packet and delivers each: (a).
type dupReorder struct {
	mapReorder
	copies map[uint16]int
}

func (b *dupReorder) Push(s uint16, p []byte) error {
	if _, ok := b.held[s]; ok {
		b.copies[s]++
	}
	return b.mapReorder.Push(s, p)
}

func (b *dupReorder) Pop() (uint16, []byte, error) {
	if b.started && b.copies[b.next] > 0 {
		b.copies[b.next]--
		return b.next, b.held[b.next], nil
	}
	return b.mapReorder.Pop()
}

// plainReorder starts at the numerically smallest packet it holds, which
// is wrong across the wrap (65535 comes before 0): (e).
type plainReorder struct{ mapReorder }

func (b *plainReorder) Pop() (uint16, []byte, error) {
	if !b.started && len(b.held) > 0 {
		b.next = 65535
		for s := range b.held {
			b.next = min(b.next, s)
		}
		b.started = true
	}
	return b.mapReorder.Pop()
}

// aliasReorder keeps the caller's slice instead of a copy: (c).
type aliasReorder struct{ mapReorder }

func (b *aliasReorder) Push(s uint16, p []byte) error {
	if err := b.mapReorder.Push(s, p); err != nil || b.held[s] == nil {
		return err
	}
	b.held[s] = p
	return nil
}

// keepsLate holds late packets and copies instead of dropping them; they
// are delivered a round of the sequence space later, in place of the
// packet that has that sequence then: (c) or (d).
type keepsLate struct{ mapReorder }

func (b *keepsLate) Push(s uint16, p []byte) error {
	if b.held[s] == nil {
		b.held[s] = bytes.Clone(p)
	}
	return nil
}

// deliversLate delivers a late packet (pushed after a later one was
// delivered, and never delivered itself) before anything else: (b).
type deliversLate struct {
	mapReorder
	late [][]byte
	seen map[uint16]bool // delivered
}

func (b *deliversLate) Push(s uint16, p []byte) error {
	if b.started && !serialLess(b.next-1, s) && !b.seen[s] {
		b.late = append(b.late, append(binary.BigEndian.AppendUint16(nil, s), p...))
		b.seen[s] = true
	}
	return b.mapReorder.Push(s, p)
}

func (b *deliversLate) Pop() (uint16, []byte, error) {
	if len(b.late) > 0 {
		l := b.late[0]
		b.late = b.late[1:]
		return binary.BigEndian.Uint16(l), l[2:], nil
	}
	s, p, err := b.mapReorder.Pop()
	if err == nil {
		b.seen[s] = true
	}
	return s, p, err
}

// invents delivers an empty packet for a missing one when a later one is
// held, instead of waiting: (d).
type invents struct{ mapReorder }

func (b *invents) Pop() (uint16, []byte, error) {
	if _, ok := b.held[b.next]; b.started && !ok && len(b.held) > 0 {
		b.next++
		return b.next - 1, nil, nil
	}
	return b.mapReorder.Pop()
}

func TestCheckReorderRejectsBrokenBuffers(t *testing.T) {
	for _, tc := range []struct {
		name, property string
		f              properties.ReorderFactory
	}{
		{"delivers copies", "(a) at most once", func() properties.Reorderer {
			return &dupReorder{mapReorder{held: map[uint16][]byte{}}, map[uint16]int{}}
		}},
		{"plain order start", "(e) liveness", func() properties.Reorderer { return &plainReorder{mapReorder{held: map[uint16][]byte{}}} }},
		{"keeps slices", "(c) byte for byte", func() properties.Reorderer { return &aliasReorder{mapReorder{held: map[uint16][]byte{}}} }},
		{"keeps late packets", "(c) byte for byte|(d) only what was pushed", func() properties.Reorderer { return &keepsLate{mapReorder{held: map[uint16][]byte{}}} }},
		{"delivers late packets", "(b) serial order", func() properties.Reorderer {
			return &deliversLate{mapReorder: mapReorder{held: map[uint16][]byte{}}, seen: map[uint16]bool{}}
		}},
		{"invents packets", "(d) only what was pushed", func() properties.Reorderer { return &invents{mapReorder{held: map[uint16][]byte{}}} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got *properties.Failure
			properties.CheckReorder(t, tc.f, properties.OnFailure(func(f *properties.Failure) { got = f }))
			report := ""
			if got != nil {
				report = got.Error()
			}
			if got == nil || !slices.ContainsFunc(strings.Split(tc.property, "|"), func(p string) bool {
				return strings.Contains(report, "property "+p+" violated")
			}) {
				t.Fatalf("want a failure of %s, got:\n%s", tc.property, report)
			}
			if !strings.Contains(report, "expected: ") || !strings.Contains(report, "observed: ") || !strings.Contains(report, "push ") {
				t.Errorf("report lacks the ops or expected vs observed:\n%s", report)
			}
			t.Logf("rejected as expected:\n%s", report)
		})
	}
}

// serialLess: a is before b in RFC 1982 serial order on 16 bits.
func serialLess(a, b uint16) bool { return int16(b-a) > 0 }
