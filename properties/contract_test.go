package properties_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// orderedPort hides netbuf.OrderedBuffer's additions behind the contract's
// methods, as a port would have them.
type orderedPort struct{ properties.OrderedBuffer }

func newOrderedPort(wrap func(properties.OrderedBuffer) properties.OrderedBuffer) properties.OrderedFactory {
	return func(c properties.OrderedConfig) (properties.OrderedBuffer, error) {
		b, err := netbuf.NewOrderedBuffer(netbuf.OrderedConfig(c))
		if err != nil {
			return nil, err
		}
		return wrap(orderedPort{b}), nil
	}
}

// anySeq answers a sequence of its own with every error whose sequence the
// contract leaves open (netbuf answers 0, or Next with ErrGap).
type anySeq struct{ properties.OrderedBuffer }

func (b anySeq) PushWith(maxSize int, fill func([]byte) (uint32, int, error)) (uint32, int, error) {
	seq, n, err := b.OrderedBuffer.PushWith(maxSize, fill)
	if err != nil && !errors.Is(err, netbuf.ErrLate) && !errors.Is(err, netbuf.ErrDuplicate) && !errors.Is(err, netbuf.ErrAhead) {
		seq = 0xdead
	}
	return seq, n, err
}

func (b anySeq) Pop(dst []byte) (uint32, int, error) {
	seq, n, err := b.OrderedBuffer.Pop(dst)
	if err != nil {
		seq = 0xbeef
	}
	return seq, n, err
}

// TestCheckOrderedAcceptsContractOnlySeq: a port that answers any sequence
// with ErrInvalidSeq (or another error whose sequence the contract leaves
// open) passes the corpus and the rapid engine (gopter compares the same
// results).
func TestCheckOrderedAcceptsContractOnlySeq(t *testing.T) {
	port := newOrderedPort(func(b properties.OrderedBuffer) properties.OrderedBuffer { return anySeq{b} })
	properties.CheckOrdered(t, port, properties.Only("corpus"))
	properties.CheckOrdered(t, port, properties.Only("rapid"))
}

// allocating copies every payload on the heap, or its AppendMissing
// answer: the contract promises neither.
type (
	allocPush    struct{ properties.OrderedBuffer }
	allocMissing struct{ properties.OrderedBuffer }
	allocPop     struct{ properties.Buffer }
)

func (b allocPush) Push(seq uint32, p []byte) error { return b.OrderedBuffer.Push(seq, bytes.Clone(p)) }
func (b allocMissing) AppendMissing(dst []uint32, max int) []uint32 {
	return slices.Clone(b.OrderedBuffer.AppendMissing(dst, max))
}
func (b allocPop) Pop(dst []byte) (int, error) {
	tmp := make([]byte, len(dst))
	n, err := b.Buffer.Pop(tmp)
	copy(dst, tmp)
	return n, err
}

// TestChecksCatchAllocations: a port that allocates per packet, or in
// AppendMissing with room in dst, fails the importable suite.
func TestChecksCatchAllocations(t *testing.T) {
	only := properties.Only("allocs")
	for name, check := range map[string]func(...properties.Option){
		"ordered push": func(opts ...properties.Option) {
			properties.CheckOrdered(t, newOrderedPort(func(b properties.OrderedBuffer) properties.OrderedBuffer { return allocPush{b} }), opts...)
		},
		"ordered missing": func(opts ...properties.Option) {
			properties.CheckOrdered(t, newOrderedPort(func(b properties.OrderedBuffer) properties.OrderedBuffer { return allocMissing{b} }), opts...)
		},
		"unordered pop": func(opts ...properties.Option) {
			properties.CheckUnordered(t, func(c, n int) (properties.Buffer, error) {
				b, err := newNetbuf(c, n)
				if err != nil {
					return nil, err
				}
				return allocPop{b}, nil
			}, opts...)
		},
	} {
		t.Run(name, func(t *testing.T) {
			var got *properties.Failure
			check(only, properties.OnFailure(func(f *properties.Failure) { got = f }))
			if got == nil || got.Engine != "allocs" || !strings.Contains(got.Error(), "allocates") {
				t.Fatalf("want an allocation failure, got %v", got)
			}
			t.Log(got)
		})
	}
	// netbuf itself passes the same checks.
	properties.CheckUnordered(t, newNetbuf, only)
}
