package properties

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"github.com/netbuf-go/netbuf/model"
)

// fifoBuffer is a FIFO under test with the optional methods it has.
type fifoBuffer struct {
	FIFO
	len      func() int // nil if the buffer has no Len
	pushWith func(int, func([]byte) (int, error)) (int, error)
	popWith  func(func([]byte) error) error
}

func newFIFOBuffer(b FIFO) fifoBuffer {
	f := fifoBuffer{FIFO: b}
	if l, ok := b.(interface{ Len() int }); ok {
		f.len = l.Len
	}
	if p, ok := b.(interface {
		PushWith(int, func([]byte) (int, error)) (int, error)
	}); ok {
		f.pushWith = p.PushWith
	}
	if p, ok := b.(interface {
		PopWith(func([]byte) error) error
	}); ok {
		f.popWith = p.PopWith
	}
	return f
}

// fifoPair is a FIFO under test and model.FIFO, with the limits that the
// factory's arguments and the options declare: the rules of CheckFIFO.
type fifoPair struct {
	b      fifoBuffer
	m      model.FIFO
	cap    int // capacityBytes: the largest packet an empty buffer takes
	slots  int // maxPackets
	cfg    *config
	nested string // the answer of the last callback's nested call
	short  bool   // the last call was a short Pop that kept its packet
}

// accepts is the largest packet an empty buffer must take.
func (p *fifoPair) accepts() int { return p.cfg.fifoAccepts(p.cap) }

// fifoAccepts is the largest packet an empty FIFO built with capacity c
// must take; below 0 if none.
func (c *config) fifoAccepts(capacity int) int {
	return min(capacity-c.overhead, c.packetLimit())
}

// name is err's name in the contract's terms, through ErrorMeans.
func (p *fifoPair) name(err error) string {
	for _, e := range p.cfg.errs {
		if err != nil && errors.Is(err, e.own) {
			return lockstep.ErrName(e.contract)
		}
	}
	return lockstep.ErrName(err)
}

// apply runs op on the buffer, checks the answer against the rules, and
// updates the model; it returns the answer as a scenario prints it.
func (p *fifoPair) apply(op unordered.Op) (string, error) {
	var answer string
	var err error
	switch op.Kind {
	case unordered.Push:
		answer, err = p.push(op)
	case unordered.Pop:
		answer, err = p.pop(op)
	case unordered.PushWith:
		answer, err = p.pushWithOp(op)
	case unordered.PopWith:
		answer, err = p.popWithOp(op)
	default:
		return "", fmt.Errorf("%s: not a FIFO call", op)
	}
	if err == nil && p.b.len != nil && p.b.len() != p.m.Len() {
		err = fmt.Errorf("Len() = %d, want %d (the packets accepted and not yet popped)", p.b.len(), p.m.Len())
	}
	if err != nil && p.short && !p.cfg.shortPopDrops {
		err = fmt.Errorf("%w; after a short Pop: if the buffer documents that a short Pop drops the packet, declare ShortPopDrops", err)
	}
	p.short = op.Kind == unordered.Pop && answer == "io.ErrShortBuffer"
	if err != nil {
		return answer, fmt.Errorf("%s -> %s: %w", op, answer, err)
	}
	return answer, nil
}

func payloadOf(n int, seed byte) []byte {
	b := make([]byte, max(n, 0))
	for i := range b {
		b[i] = seed + byte(i*31)
	}
	return b
}

// accepted checks that the buffer could take one more packet: it holds
// fewer than maxPackets. (How many bytes it holds is its layout's
// business.)
func (p *fifoPair) accepted() error {
	if p.m.Len() >= p.slots {
		return fmt.Errorf("accepted while holding %d packets, maxPackets %d", p.m.Len(), p.slots)
	}
	return nil
}

// refused checks that a push of n bytes may be refused: not by an empty
// buffer, which takes any packet up to accepts().
func (p *fifoPair) refused(n int) error {
	if p.m.Len() == 0 && n <= p.accepts() {
		return fmt.Errorf("an empty buffer refused a %d-byte packet (it must take up to %d)", n, p.accepts())
	}
	return nil
}

func (p *fifoPair) push(op unordered.Op) (string, error) {
	data := payloadOf(op.MaxSize, op.Seed)
	src := bytes.Clone(data)
	err := p.b.Push(src)
	if !p.cfg.keepsSlice {
		copy(src, inverted(src)) // the caller reuses its slice
	}
	switch name := p.name(err); name {
	case "":
		if err := p.accepted(); err != nil {
			return "ok", err
		}
		p.m.Push(data)
		return "ok", nil
	case "ErrWouldBlock":
		return name, p.refused(len(data))
	default:
		return name, fmt.Errorf("want ok, or ErrWouldBlock when full")
	}
}

func (p *fifoPair) pop(op unordered.Op) (string, error) {
	const guard = 0xee
	dst := make([]byte, op.DstLen, op.DstLen+op.Spare)
	for i := range dst[:cap(dst)] {
		dst[:cap(dst)][i] = guard
	}
	n, err := p.b.Pop(dst)
	name := p.name(err)
	answer := name
	if name == "" {
		answer = fmt.Sprintf("%d bytes", n)
	}
	for _, c := range dst[len(dst):cap(dst)] {
		if c != guard {
			return answer, errors.New("Pop wrote past len(dst)")
		}
	}
	want := p.m.Oldest()
	switch {
	case p.m.Len() == 0:
		if name != "ErrEmpty" {
			return answer, errors.New("want ErrEmpty: the buffer holds nothing")
		}
	case len(dst) < len(want):
		if name != "io.ErrShortBuffer" {
			return answer, fmt.Errorf("want io.ErrShortBuffer: the oldest packet has %d bytes", len(want))
		}
		if p.cfg.shortPopDrops {
			p.m.Pop()
		}
	case name != "" || n != len(want) || !bytes.Equal(dst[:n], want):
		got := dst[:max(0, min(n, len(dst)))]
		if len(got) == len(want) && len(want) > 0 && bytes.Equal(got, inverted(want)) {
			return answer, fmt.Errorf("want the oldest packet, %d bytes %x; got %x, what the caller wrote into its slice after Push: the buffer kept the slice instead of copying it (declare KeepsSlice if it documents that)", len(want), want, got)
		}
		return answer, fmt.Errorf("want the oldest packet, %d bytes %x; got %x", len(want), want, got)
	default:
		p.m.Pop()
	}
	return answer, nil
}

// inverted is p with every bit flipped: what a caller that reuses its
// slice writes there after Push.
func inverted(p []byte) []byte {
	q := make([]byte, len(p))
	for i, c := range p {
		q[i] = ^c
	}
	return q
}
