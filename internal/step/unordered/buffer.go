package unordered

import "github.com/netbuf-go/netbuf/internal/step/lockstep"

// Buffer is the behaviour under test: the methods every implementation of
// the UnorderedBuffer contract has (docs/SPEC.md).
type Buffer interface {
	PushWith(maxSize int, fill func(p []byte) (int, error)) (int, error)
	Push(p []byte) error
	PopWith(consume func(p []byte) error) error
	Pop(dst []byte) (int, error)
	Len() int
	Used() int
	Cap() int
	MaxPackets() int
	Reset()
}

// Factory builds an empty buffer; it returns an error exactly where
// netbuf.NewUnorderedBuffer does.
type Factory func(capacityBytes, maxPackets int) (Buffer, error)

// Batcher is netbuf's batched push, checked for a buffer that has it.
type Batcher interface {
	PushBatch(maxSize int, bufs [][]byte, fill func(bufs [][]byte) (int, error)) (int, error)
}

// TwoPhase is netbuf's two-phase API, checked for a buffer that has it.
type TwoPhase interface {
	Reserve(maxSize int) ([]byte, error)
	Commit(n int) error
	Abort() error
	Peek() ([]byte, error)
	Release() error
}

// Detect returns the features of b: those its methods show, plus opts.
func Detect(b Buffer, opts ...lockstep.Option) lockstep.Features {
	var f lockstep.Features
	_, f.Batch = b.(Batcher)
	_, f.TwoPhase = b.(TwoPhase)
	return f.Apply(opts...)
}

// Kinds returns the operations a buffer with f supports, in Kind order.
func Kinds(f lockstep.Features) []Kind {
	var ks []Kind
	for k := range NumKinds {
		if f.Covers(kindNeeds(k)) {
			ks = append(ks, k)
		}
	}
	return ks
}

// kindNeeds is the feature an operation kind needs.
func kindNeeds(k Kind) lockstep.Features {
	switch k {
	case PushBatch:
		return lockstep.Features{Batch: true}
	case Reserve, Commit, Abort, Peek, Release:
		return lockstep.Features{TwoPhase: true}
	}
	return lockstep.Features{}
}

// Needs returns the features o uses, its nested call's included.
func (o Op) Needs() lockstep.Features {
	f := kindNeeds(o.Kind)
	if cb := o.callback(); cb != nil {
		f.NilFuncs = *cb == lockstep.CallNil
		if cb.Nests() {
			f = f.Union(kindNeeds(o.Reenter))
		}
	}
	return f
}
