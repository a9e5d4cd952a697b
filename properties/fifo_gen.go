package properties

import (
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// fifoGen draws FIFO calls from the model's state.
type fifoGen struct {
	p   *fifoPair
	mtu int // the typical packet size of the case
}

// size draws a packet size: mostly the typical one, else 0, 1, the most
// an empty buffer must take, or any up to it.
func (g fifoGen) size(s source) int {
	most := max(0, g.p.accepts())
	switch s.intn(0, 7, "size kind") {
	case 1:
		return 0
	case 2:
		return min(1, most)
	case 3:
		return most
	case 4:
		return s.intn(0, most, "size")
	}
	return g.mtu
}

func (g fifoGen) push(s source) unordered.Op {
	return unordered.Op{Kind: unordered.Push, MaxSize: g.size(s), Seed: byte(s.intn(0, 255, "seed"))}
}

// pop draws a dst: exactly the oldest packet's length, longer, shorter
// (io.ErrShortBuffer), with or without spare capacity.
func (g fifoGen) pop(s source) unordered.Op {
	l := len(g.p.m.Oldest())
	op := unordered.Op{Kind: unordered.Pop, DstLen: l}
	switch s.intn(0, 3, "dst kind") {
	case 1:
		op.DstLen = l + s.intn(1, 8, "dst extra")
	case 2:
		if l > 0 {
			op.DstLen = s.intn(0, l-1, "short dst")
		}
	}
	if s.intn(0, 3, "spare") == 3 {
		op.Spare = s.intn(1, 16, "spare capacity")
	}
	return op
}

// callbackKind draws what a fill or consume does: mostly succeed.
func (g fifoGen) callbackKind(s source) lockstep.Callback {
	return []lockstep.Callback{lockstep.CallOK, lockstep.CallErr, lockstep.CallPanic, lockstep.CallReenter}[pick(s, "callback", 12, 2, 2, 2*b2i(g.p.cfg.reentry))]
}

func (g fifoGen) pushWith(s source) unordered.Op {
	op := unordered.Op{Kind: unordered.PushWith, MaxSize: g.size(s), Fill: g.callbackKind(s), Seed: byte(s.intn(0, 255, "seed"))}
	op.N = drawN(s, op.MaxSize)
	if s.intn(0, 9, "bad n") == 9 {
		op.N = []int{-1, op.MaxSize + 1}[s.intn(0, 1, "which bad n")]
	}
	return op
}

func (g fifoGen) popWith(s source) unordered.Op {
	return unordered.Op{Kind: unordered.PopWith, Consume: g.callbackKind(s), Seed: byte(s.intn(0, 255, "seed"))}
}
