package step

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

// Checker is an internal invariant check (netbuf's Check), called after
// every step for a buffer that has it.
type Checker interface{ Check() error }

// Features are the parts beyond the contract that a check covers.
type Features struct {
	NilFuncs bool // nil callbacks answer ErrNilFunc (shown only by behaviour: an option)
	Batch    bool // PushBatch (shown by the Batcher interface)
	TwoPhase bool // Reserve, Commit, Abort, Peek, Release (the TwoPhase interface)
}

// Option turns on a feature that no method shows.
type Option func(*Features)

// WithNilFuncs checks that nil callbacks answer ErrNilFunc, as netbuf's do.
func WithNilFuncs() Option { return func(f *Features) { f.NilFuncs = true } }

// Detect returns the features of b: those its methods show, plus opts.
func Detect(b Buffer, opts ...Option) Features {
	var f Features
	_, f.Batch = b.(Batcher)
	_, f.TwoPhase = b.(TwoPhase)
	for _, o := range opts {
		o(&f)
	}
	return f
}

// Covers reports whether f has every feature that need has.
func (f Features) Covers(need Features) bool {
	return (f.NilFuncs || !need.NilFuncs) && (f.Batch || !need.Batch) && (f.TwoPhase || !need.TwoPhase)
}

// Kinds returns the operations a buffer with f supports, in Kind order.
func (f Features) Kinds() []Kind {
	var ks []Kind
	for k := range NumKinds {
		if f.Covers(kindNeeds(k)) {
			ks = append(ks, k)
		}
	}
	return ks
}

// kindNeeds is the feature an operation kind needs.
func kindNeeds(k Kind) Features {
	switch k {
	case OpPushBatch:
		return Features{Batch: true}
	case OpReserve, OpCommit, OpAbort, OpPeek, OpRelease:
		return Features{TwoPhase: true}
	}
	return Features{}
}

// Needs returns the features o uses, its nested call's included.
func (o Op) Needs() Features {
	f := kindNeeds(o.Kind)
	if cb := o.callback(); cb != nil {
		f.NilFuncs = *cb == CallNil
		if cb.nests() {
			n := kindNeeds(o.Reenter)
			f.Batch, f.TwoPhase = f.Batch || n.Batch, f.TwoPhase || n.TwoPhase
		}
	}
	return f
}
