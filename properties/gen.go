package properties

import (
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"github.com/netbuf-go/netbuf/model"
)

// source is where a generator's choices come from: rapid's draws (which
// rapid shrinks towards lower values) or gopter's random numbers. Both
// engines draw their single steps with drawOp below, so they draw the same
// distributions; choice 0 is always the simplest, so rapid shrinks towards it.
type source interface {
	intn(lo, hi int, label string) int // a number in [lo, hi]
}

// pick draws an index with the given weights (a weight of 0 is never drawn).
func pick(s source, label string, weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	v := s.intn(0, total-1, label)
	for i, w := range weights {
		if v < w {
			return i
		}
		v -= w
	}
	return len(weights) - 1
}

// gen draws operations for one buffer configuration.
type gen struct {
	ref   *model.Unordered  // the model's state now
	mtu   int               // the typical maxSize of the configuration
	feat  lockstep.Features // what the buffer under test supports
	limit int               // the largest maxSize to draw (MaxPacket)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// drawOp draws the next operation. Pushes outweigh pops so that buffers
// run full, where wraps and padding happen; pops grow with fullness (in
// slots or bytes), so an emptying buffer (which restarts at 0) is rare.
// With a reservation or a peek open it mostly ends it.
func (g *gen) drawOp(s source) unordered.Op {
	m := g.ref
	if n, ok := m.Reserving(); ok && pick(s, "end reservation", 6, 1) == 0 {
		return g.drawCommit(s, n)
	}
	if m.Peeking() && pick(s, "end peek", 6, 1) == 0 {
		return unordered.Op{Kind: unordered.Release}
	}
	fill := 10 + 80*max(m.Len()*m.C, m.Used()*m.Slots)/(m.C*m.Slots)
	tp, batch := b2i(g.feat.TwoPhase), b2i(g.feat.Batch)
	switch pick(s, "kind", 40, 12, 3*fill/2, fill, 1, 10*batch, 12*tp, fill*tp/2, 2*tp, 20) {
	case 0:
		return g.drawPushWith(s)
	case 1:
		return unordered.Op{Kind: unordered.Push, MaxSize: max(g.drawMaxSize(s), 0), Seed: g.seed(s)}
	case 2:
		return g.drawPopWith(s)
	case 3:
		return unordered.Op{Kind: unordered.Pop, DstLen: g.drawDst(s), Spare: g.drawSpare(s)}
	case 4:
		return unordered.Op{Kind: unordered.Reset}
	case 5:
		return g.drawBatch(s)
	case 6:
		return unordered.Op{Kind: unordered.Reserve, MaxSize: g.drawMaxSize(s), Seed: g.seed(s)}
	case 7:
		return unordered.Op{Kind: unordered.Peek}
	case 8: // an ending call with nothing open: ErrInvalidState
		return unordered.Op{Kind: []unordered.Kind{unordered.Commit, unordered.Abort, unordered.Release}[s.intn(0, 2, "stray end")]}
	}
	return g.drawTypical(s) // stays last: an unsupported feature's weight falls through to here
}

func (g *gen) seed(s source) byte { return byte(s.intn(0, 255, "seed")) }

// drawCommit ends a reservation of n bytes: Commit with a valid n, mostly
// all of it, or an invalid one, or Abort.
func (g *gen) drawCommit(s source, n int) unordered.Op {
	switch pick(s, "end", 8, 2, 1) {
	case 1:
		return unordered.Op{Kind: unordered.Abort}
	case 2:
		return unordered.Op{Kind: unordered.Commit, N: g.drawBadN(s, n)}
	}
	return unordered.Op{Kind: unordered.Commit, N: drawN(s, n)}
}

// drawTypical draws a PushWith of the typical size (or, one time in two,
// any drawMaxSize) whose fill succeeds, mostly writing all of it.
func (g *gen) drawTypical(s source) unordered.Op {
	op := unordered.Op{Kind: unordered.PushWith, MaxSize: g.mtu}
	if s.intn(0, 1, "any size") == 1 {
		op.MaxSize = g.drawMaxSize(s)
	}
	op.N = drawN(s, op.MaxSize)
	op.Seed = g.seed(s)
	return op
}

// drawMaxSize draws a maxSize from the cases the geometry distinguishes: the
// typical size, one that fits only by wrapping, the exact tail or head
// window and one more, small, 0, Cap, beyond Cap, negative.
func (g *gen) drawMaxSize(s source) int {
	return min(g.drawAnySize(s), g.limit)
}

func (g *gen) drawAnySize(s source) int {
	c := g.ref.C
	tail, head := g.ref.Windows()
	switch s.intn(0, 15, "size kind") {
	case 0, 1:
		if tail < head {
			return s.intn(tail+1, head, "wrapping size") // fits only at 0
		}
	case 2:
		if tail > 0 {
			return tail
		}
	case 3:
		if head > 0 {
			return head
		}
	case 6:
		return tail + 1 // just too long for the tail: wraps or blocks
	case 7:
		return head + 1
	case 8, 9:
		return s.intn(1, c, "size")
	case 10:
		return s.intn(0, min(c, 8), "small size")
	case 11:
		return 0
	case 12:
		return c
	case 13:
		return c + s.intn(1, 3, "over cap")
	case 14:
		return -s.intn(1, 3, "negative")
	}
	return g.mtu
}

// drawN draws a valid n for a window of maxSize bytes, mostly all of it.
func drawN(s source, maxSize int) int {
	if maxSize <= 0 {
		return 0
	}
	switch s.intn(0, 7, "n kind") {
	case 0:
		return 0
	case 1, 2:
		return s.intn(0, maxSize, "n")
	}
	return maxSize
}

// drawBadN draws an n outside [0, maxSize].
func (g *gen) drawBadN(s source, maxSize int) int {
	if s.intn(0, 1, "n too long") == 1 {
		return max(maxSize, 0) + s.intn(1, 3, "extra n")
	}
	return -s.intn(1, 3, "negative n")
}

// drawCallback draws what a fill or consume does: mostly succeed.
func (g *gen) drawCallback(s source) lockstep.Callback {
	nilFuncs := b2i(g.feat.NilFuncs)
	return []lockstep.Callback{lockstep.CallOK, lockstep.CallErr, lockstep.CallPanic, lockstep.CallReenter, lockstep.CallOther, lockstep.CallNil}[pick(s, "callback", 24, 3, 2, 4, 2, nilFuncs)]
}

// drawNested draws the nested call of a CallReenter or CallOther callback:
// any method the buffer has, with a size of every class (negative, 0, 1,
// the typical size, Cap, beyond Cap), so that ErrBusy must come before
// every other check.
func (g *gen) drawNested(s source, op *unordered.Op) {
	kinds := unordered.Kinds(g.feat)
	op.Reenter = kinds[s.intn(0, len(kinds)-1, "nested kind")]
	op.ReSize = min([]int{1, 0, -1, g.mtu, g.ref.C, g.ref.C + 1}[s.intn(0, 5, "nested size")], g.limit)
}

// drawPushWith draws a PushWith whose fill reports a valid or invalid n,
// fails, panics, makes a nested call, or is nil.
func (g *gen) drawPushWith(s source) unordered.Op {
	op := unordered.Op{Kind: unordered.PushWith, MaxSize: g.drawMaxSize(s)}
	op.N = drawN(s, op.MaxSize)
	if s.intn(0, 9, "bad n") == 9 {
		op.N = g.drawBadN(s, op.MaxSize)
	}
	op.Fill = g.drawCallback(s)
	if op.Fill == lockstep.CallReenter || op.Fill == lockstep.CallOther {
		g.drawNested(s, &op)
	}
	op.Seed = g.seed(s)
	return op
}

func (g *gen) drawPopWith(s source) unordered.Op {
	op := unordered.Op{Kind: unordered.PopWith, Consume: g.drawCallback(s)}
	if op.Consume == lockstep.CallReenter || op.Consume == lockstep.CallOther {
		g.drawNested(s, &op)
	}
	op.Seed = g.seed(s)
	return op
}

// drawDst draws a Pop's dst length: exactly the oldest packet's, longer, or
// short (io.ErrShortBuffer keeps the packet).
func (g *gen) drawDst(s source) int {
	l := 0
	if g.ref.Len() > 0 {
		l = len(g.ref.Packets[0].Data)
	}
	switch s.intn(0, 3, "dst kind") {
	case 1:
		return l + s.intn(1, 8, "dst extra")
	case 2:
		if l > 0 {
			return s.intn(0, l-1, "short dst")
		}
	case 3:
		return g.ref.C
	}
	return l
}

// drawBatch draws a PushBatch: a size (mostly the typical one), 0 to 8
// bufs, and a fill that writes up to k packets of drawN lengths, or fails
// in one of the ways a batch fill can.
func (g *gen) drawBatch(s source) unordered.Op {
	op := unordered.Op{Kind: unordered.PushBatch, MaxSize: g.mtu}
	if s.intn(0, 1, "any size") == 1 {
		op.MaxSize = g.drawMaxSize(s)
	}
	op.Bufs = s.intn(1, unordered.MaxBatch, "bufs")
	if s.intn(0, 9, "no bufs") == 9 {
		op.Bufs = 0
	}
	k, err := g.ref.BatchSize(op.MaxSize, op.Bufs)
	if err == nil {
		op.M = s.intn(0, k, "m")
		for i := range op.M {
			op.Lens[i] = drawN(s, op.MaxSize)
		}
	}
	op.Fill = []lockstep.Callback{lockstep.CallOK, lockstep.CallErr, lockstep.CallPanic, lockstep.CallInvalidM, lockstep.CallForeign,
		lockstep.CallReenter, lockstep.CallOther, lockstep.CallNil}[pick(s, "batch fill", 20, 2, 1, 2, 2, 2, 1, b2i(g.feat.NilFuncs))]
	if op.Fill == lockstep.CallReenter || op.Fill == lockstep.CallOther {
		g.drawNested(s, &op)
	}
	op.Seed = g.seed(s)
	return op
}

// drawSpare draws the capacity of a Pop's dst beyond its length: mostly
// none, sometimes enough for any packet (Pop must compare with len(dst)).
func (g *gen) drawSpare(s source) int {
	if s.intn(0, 3, "spare capacity") == 3 {
		return s.intn(1, g.ref.C, "spare")
	}
	return 0
}
