package step

// transitional: properties/ moves to the family packages, then this file goes.
//
// The names below are the vocabulary as it was before each buffer family
// got its own package (internal/step/unordered, ordered, spsc, ring) and
// the machinery they share moved to internal/step/lockstep; each is an
// alias of, or a thin wrapper around, its new name.

import (
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"github.com/netbuf-go/netbuf/model"
)

// Shared: lockstep.
type (
	Callback = lockstep.Callback
)

const (
	CallOK       = lockstep.CallOK
	CallErr      = lockstep.CallErr
	CallPanic    = lockstep.CallPanic
	CallReenter  = lockstep.CallReenter
	CallNil      = lockstep.CallNil
	CallOther    = lockstep.CallOther
	CallInvalidM = lockstep.CallInvalidM
	CallForeign  = lockstep.CallForeign
)

func ErrName(err error) string { return lockstep.ErrName(err) }
func WithNilFuncs() Option     { return func(f *Features) { f.NilFuncs = true } }
func Detect(b Buffer, opts ...Option) Features {
	f := Features(unordered.Detect(b))
	for _, o := range opts {
		o(&f)
	}
	return f
}

// Features is lockstep.Features with the methods it had here.
type Features lockstep.Features

// Option is an option of Features.
type Option = func(*Features)

func (f Features) Covers(need lockstep.Features) bool { return lockstep.Features(f).Covers(need) }
func (f Features) Kinds() []Kind                      { return unordered.Kinds(lockstep.Features(f)) }

// The UnorderedBuffer family: unordered.
type (
	Buffer   = unordered.Buffer
	Factory  = unordered.Factory
	TwoPhase = unordered.TwoPhase
	Kind     = unordered.Kind
	Op       = unordered.Op
	Result   = unordered.Result
	Pair     = unordered.Pair
)

const (
	OpPushWith  = unordered.PushWith
	OpPush      = unordered.Push
	OpPopWith   = unordered.PopWith
	OpPop       = unordered.Pop
	OpReset     = unordered.Reset
	OpPushBatch = unordered.PushBatch
	OpReserve   = unordered.Reserve
	OpCommit    = unordered.Commit
	OpAbort     = unordered.Abort
	OpPeek      = unordered.Peek
	OpRelease   = unordered.Release
	MaxBatch    = unordered.MaxBatch
)

func Run(b, other Buffer, op Op) Result  { return unordered.Run(b, other, op) }
func ParseOp(words []string) (Op, error) { return unordered.Parse(words) }
func NewPair(f Factory, c, n int) (*Pair, error) {
	return unordered.NewPair(f, unordered.Config{Capacity: c, MaxPackets: n})
}
func CheckOps(f Factory, c, n int, ops []Op) error {
	return unordered.Check(f, unordered.Config{Capacity: c, MaxPackets: n}, ops)
}
func Shrink(f Factory, c, n int, ops []Op) []Op {
	return unordered.Shrink(f, unordered.Config{Capacity: c, MaxPackets: n}, ops)
}

// The OrderedBuffer family: ordered.
type (
	OrderedBuffer  = ordered.Buffer
	OrderedConfig  = ordered.Config
	OrderedFactory = ordered.Factory
	OKind          = ordered.Kind
	OrderedOp      = ordered.Op
	OrderedResult  = ordered.Result
	OrderedPair    = ordered.Pair
)

const (
	OPushWith = ordered.PushWith
	OPush     = ordered.Push
	OPopWith  = ordered.PopWith
	OPop      = ordered.Pop
	OSkipTo   = ordered.SkipTo
	OMissing  = ordered.Missing
	OReset    = ordered.Reset
	NumOKinds = ordered.NumKinds
)

func RunOrdered(b, other OrderedBuffer, op OrderedOp) OrderedResult { return ordered.Run(b, other, op) }
func NewOrderedPair(f OrderedFactory, c OrderedConfig) (*OrderedPair, error) {
	return ordered.NewPair(f, c)
}
func NewModelOrdered(c OrderedConfig) (*model.Ordered, error) { return ordered.NewModel(c) }
func CheckOrderedOps(f OrderedFactory, c OrderedConfig, ops []OrderedOp) error {
	return ordered.Check(f, c, ops)
}
func ShrinkOrdered(f OrderedFactory, c OrderedConfig, ops []OrderedOp) []OrderedOp {
	return ordered.Shrink(f, c, ops)
}

// The Ring family: ring.
type (
	Ring   = ring.Buffer
	RingOp = ring.Op
)

const (
	RingPush  = ring.Push
	RingPop   = ring.Pop
	RingPeek  = ring.Peek
	RingReset = ring.Reset
)

// RingPair is ring.Pair whose Apply answers only the difference.
type RingPair struct{ *ring.Pair }

func (p RingPair) Apply(op RingOp) error { _, err := p.Pair.Apply(op); return err }

func NewRingPair(f ring.Factory, c int) (*RingPair, error) {
	p, err := ring.NewPair(f, ring.Config{Capacity: c})
	if p == nil {
		return nil, err
	}
	return &RingPair{p}, nil
}

// The SPSC family: spsc.
type (
	Producer    = spsc.Producer
	Consumer    = spsc.Consumer
	SPSCFactory = spsc.Factory
	Halves      = spsc.Halves
	SKind       = spsc.Kind
	SPSCOp      = spsc.Op
	SPSCResult  = spsc.Result

	BatchProducer = spsc.BatchProducer
	BatchConsumer = spsc.BatchConsumer
)

const (
	SReserve  = spsc.Reserve
	SCommit   = spsc.Commit
	SAbort    = spsc.Abort
	SPushWith = spsc.PushWith
	SPush     = spsc.Push
	SClose    = spsc.Close
	SWaitRoom = spsc.WaitRoom
	SUsed     = spsc.Used
	SPLen     = spsc.PLen
	SPeek     = spsc.Peek
	SRelease  = spsc.Release
	SPopWith  = spsc.PopWith
	SPop      = spsc.Pop
	SWaitData = spsc.WaitData
	SCLen     = spsc.CLen

	SCommitDeferred  = spsc.CommitDeferred
	SPFlush          = spsc.PFlush
	SReleaseDeferred = spsc.ReleaseDeferred
	SCFlush          = spsc.CFlush
)

func NewSPSCRunner(h Halves) *spsc.Runner { return spsc.NewRunner(h) }
func NewSPSCPair(f SPSCFactory, c, n int) (*spsc.Pair, error) {
	return spsc.NewPair(f, spsc.Config{Capacity: c, MaxPackets: n})
}
func CheckSPSCOps(f SPSCFactory, c, n int, ops []SPSCOp) error {
	return spsc.Check(f, spsc.Config{Capacity: c, MaxPackets: n}, ops)
}
func ShrinkSPSC(f SPSCFactory, c, n int, ops []SPSCOp) []SPSCOp {
	return spsc.Shrink(f, spsc.Config{Capacity: c, MaxPackets: n}, ops)
}
func WithDrain(c, n int, ops []SPSCOp) []SPSCOp {
	return spsc.WithDrain(spsc.Config{Capacity: c, MaxPackets: n}, ops)
}
