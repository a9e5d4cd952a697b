package properties

import (
	"maps"
	"slices"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/model"
)

// ogen draws operations on an ordered buffer from the model's state, for
// both engines, like gen for the unordered one.
type ogen struct {
	ref   *model.Ordered
	mtu   int
	feat  lockstep.Features
	limit int // the largest maxSize to draw (MaxPacket)
}

// drawConfig draws a tiny configuration: SeqBits 2 to 5, so that the
// sequence space wraps every few packets, a window anywhere in its range,
// 1 to 64 bytes, 1 to 8 arrival slots; or, one time in ten, an invalid one.
func drawOrderedConfig(s source, o *config) (ordered.Config, int) {
	bits := s.intn(2, 5, "seq bits")
	m := 1 << bits
	c := ordered.Config{
		Capacity: s.intn(1, min(64, o.capLimit()), "capacity"), MaxPackets: s.intn(1, min(8, o.slotLimit()), "slots"),
		Window: s.intn(1, m/2, "window"), SeqBits: bits,
		First: uint32(s.intn(0, m-1, "first")), Resync: s.intn(0, 3, "resync") == 3,
	}
	mtu := s.intn(1, min(c.Capacity, o.packetLimit()), "mtu")
	switch s.intn(0, 19, "invalid config") {
	case 1:
		c.Window = m/2 + 1
	case 2:
		c.SeqBits = []int{1, 33}[s.intn(0, 1, "bad bits")]
	case 3:
		c.First = uint32(m)
	case 4:
		c.Window = 0
	}
	return c, mtu
}

// drawSeq draws a sequence number by its distance from Next: in the
// window (mostly), held (a duplicate), at the window's edges, ahead, late,
// or out of range.
func (g *ogen) drawSeq(s source) uint32 {
	m, w, next := uint64(1)<<g.ref.Bits, uint64(g.ref.Window), uint64(g.ref.Next())
	at := func(d uint64) uint32 { return uint32((next + d) % m) }
	switch s.intn(0, 11, "seq kind") {
	case 0, 1, 2, 3:
		return at(uint64(s.intn(0, int(w)-1, "in window")))
	case 4:
		return at(0)
	case 5:
		if held := slices.Sorted(maps.Keys(g.ref.Held)); len(held) > 0 {
			return held[s.intn(0, len(held)-1, "duplicate")]
		}
		return at(0)
	case 6:
		return at(w - 1)
	case 7:
		return at(w) // just ahead
	case 8:
		if w < m/2 {
			return at(uint64(s.intn(int(w), int(m/2)-1, "ahead")))
		}
		return at(w)
	case 9:
		return at(m - uint64(s.intn(1, int(m/2), "late")))
	case 10:
		if m <= 1<<31 {
			return uint32(m) + uint32(s.intn(0, 2, "beyond"))
		}
	}
	return at(1)
}

// drawOp draws the next operation; pushes outweigh pops so that arrival
// slots and storage run full.
func (g *ogen) drawOp(s source) ordered.Op {
	switch pick(s, "kind", 30, 14, 10, 8, 3, 3, 1) {
	case 0:
		op := ordered.Op{Kind: ordered.PushWith, MaxSize: g.drawSize(s), Seq: g.drawSeq(s)}
		op.N = max(op.MaxSize, 0)
		if s.intn(0, 3, "short n") == 0 {
			op.N = s.intn(0, max(op.MaxSize, 0), "n")
		}
		if s.intn(0, 15, "bad n") == 0 {
			op.N = []int{-1, max(op.MaxSize, 0) + 1}[s.intn(0, 1, "which bad n")]
		}
		op.Fill = g.drawCallback(s)
		g.drawNested(s, &op, op.Fill)
		op.Seed = byte(s.intn(0, 255, "seed"))
		return op
	case 1:
		return ordered.Op{Kind: ordered.Push, MaxSize: max(g.drawSize(s), 0), Seq: g.drawSeq(s), Seed: byte(s.intn(0, 255, "seed"))}
	case 2:
		op := ordered.Op{Kind: ordered.PopWith, Consume: g.drawCallback(s), Seed: byte(s.intn(0, 255, "seed"))}
		g.drawNested(s, &op, op.Consume)
		return op
	case 3:
		dst := g.ref.C
		if s.intn(0, 3, "short dst") == 0 {
			dst = s.intn(0, g.mtu, "dst")
		}
		spare := 0
		if s.intn(0, 3, "spare capacity") == 3 {
			spare = s.intn(1, g.ref.C, "spare")
		}
		return ordered.Op{Kind: ordered.Pop, DstLen: dst, Spare: spare}
	case 4:
		m := 1 << g.ref.Bits
		seq := uint32((int(g.ref.Next()) + s.intn(0, m-1, "skip")) % m)
		if s.intn(0, 9, "bad skip") == 0 {
			seq = uint32(m)
		}
		return ordered.Op{Kind: ordered.SkipTo, Seq: seq}
	case 5:
		return ordered.Op{Kind: ordered.Missing, Max: s.intn(0, 1<<g.ref.Bits, "max")}
	}
	return ordered.Op{Kind: ordered.Reset}
}

// drawSize draws a maxSize: mostly the typical size, sometimes any, 0,
// Cap, beyond Cap or negative.
func (g *ogen) drawSize(s source) int {
	return min(g.drawAnySize(s), g.limit)
}

func (g *ogen) drawAnySize(s source) int {
	switch s.intn(0, 9, "size kind") {
	case 1, 2:
		return s.intn(0, g.ref.C, "size")
	case 3:
		return 0
	case 4:
		return g.ref.C
	case 5:
		return g.ref.C + 1
	case 6:
		return -1
	}
	return g.mtu
}

func (g *ogen) drawCallback(s source) lockstep.Callback {
	return []lockstep.Callback{lockstep.CallOK, lockstep.CallErr, lockstep.CallPanic, lockstep.CallReenter, lockstep.CallOther, lockstep.CallNil}[pick(s, "callback", 24, 3, 2, 3, 2, b2i(g.feat.NilFuncs))]
}

func (g *ogen) drawNested(s source, op *ordered.Op, cb lockstep.Callback) {
	if cb == lockstep.CallReenter || cb == lockstep.CallOther {
		op.Reenter = ordered.Kind(s.intn(0, int(ordered.NumKinds)-1, "nested kind"))
		op.ReSize = min([]int{1, 0, -1, g.mtu, g.ref.C + 1}[s.intn(0, 4, "nested size")], g.limit)
	}
}
