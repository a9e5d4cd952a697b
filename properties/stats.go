package properties

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// unorderedStats counts what a run exercised, so that a report can show the suite
// reached the corners it claims to (wraps, padding, failures, reentrancy).
type unorderedStats struct {
	Steps      int // operations applied
	Pushes     int // packets committed
	Wraps      int // committed packets that wrapped to offset 0 through the head window
	Paddings   int // of those, wraps that added padding (> 0 bytes) to the previous packet
	ZeroLength int // zero-length packets committed
	Pops       int // packets removed
	FillErrors int // fills that returned an error
	InvalidN   int // fills that reported an invalid n
	Panics     int // callbacks that panicked
	Busy       int // reentrant calls answered ErrBusy
	WouldBlock int // ErrWouldBlock answers
	TooLarge   int // ErrTooLarge answers
	Invalid    int // ErrInvalidSize answers
	Empty      int // ErrEmpty answers
	Short      int // io.ErrShortBuffer answers
	Resets     int // Reset calls
	Batches    int // PushBatch calls that committed packets (they count as pushes too)
	TwoPhase   int // Reserve, Commit, Abort, Peek and Release calls
	State      int // ErrInvalidState answers
	NilFuncs   int // ErrNilFunc answers
	Other      int // nested calls on a second buffer
}

// observe counts one operation; wrapped and padded say how the model
// placed a push (see unordered.Pair.Observe).
func (s *unorderedStats) observe(op unordered.Op, r unordered.Result, wrapped, padded bool) {
	s.Steps++
	ok := r.Err == "" && r.Panic == ""
	switch op.Kind {
	case unordered.Push, unordered.PushWith, unordered.Commit, unordered.PushBatch:
		if !ok || op.Kind == unordered.PushBatch && r.N == 0 {
			break
		}
		n := 1
		if op.Kind == unordered.PushBatch {
			n = r.N
			s.Batches++
		}
		s.Pushes += n
		s.Wraps += b2i(wrapped && op.Kind != unordered.Commit)
		s.Paddings += b2i(padded && op.Kind != unordered.Commit)
		zero := op.Kind == unordered.Push && op.MaxSize == 0 || op.Kind == unordered.PushWith && r.N == 0 ||
			op.Kind == unordered.Commit && op.N == 0
		s.ZeroLength += b2i(zero)
	case unordered.Pop, unordered.PopWith, unordered.Release:
		s.Pops += b2i(ok)
	case unordered.Reset:
		s.Resets++
	}
	if op.Kind >= unordered.Reserve {
		s.TwoPhase++
	}
	if r.Panic != "" {
		s.Panics++
	}
	if r.Nested == "ErrBusy" {
		s.Busy++
	}
	if (op.Fill == lockstep.CallOther || op.Consume == lockstep.CallOther) && r.Called {
		s.Other++
	}
	switch r.Err {
	case "ErrCallback":
		s.FillErrors += b2i(op.Kind == unordered.PushWith || op.Kind == unordered.PushBatch)
	case "ErrInvalidLength":
		s.InvalidN++
	case "ErrWouldBlock":
		s.WouldBlock++
	case "ErrTooLarge":
		s.TooLarge++
	case "ErrInvalidSize":
		s.Invalid++
	case "ErrEmpty":
		s.Empty++
	case "io.ErrShortBuffer":
		s.Short++
	case "ErrInvalidState":
		s.State++
	case "ErrNilFunc":
		s.NilFuncs++
	}
}

// Add adds o's counts to s.
func (s *unorderedStats) Add(o unorderedStats) {
	s.Steps += o.Steps
	s.Pushes += o.Pushes
	s.Wraps += o.Wraps
	s.Paddings += o.Paddings
	s.ZeroLength += o.ZeroLength
	s.Pops += o.Pops
	s.FillErrors += o.FillErrors
	s.InvalidN += o.InvalidN
	s.Panics += o.Panics
	s.Busy += o.Busy
	s.WouldBlock += o.WouldBlock
	s.TooLarge += o.TooLarge
	s.Invalid += o.Invalid
	s.Empty += o.Empty
	s.Short += o.Short
	s.Resets += o.Resets
	s.Batches += o.Batches
	s.TwoPhase += o.TwoPhase
	s.State += o.State
	s.NilFuncs += o.NilFuncs
	s.Other += o.Other
}

// String renders the counts as one line of name=value pairs.
func (s unorderedStats) String() string {
	var b strings.Builder
	for _, f := range []struct {
		name string
		v    int
	}{
		{"steps", s.Steps}, {"pushes", s.Pushes}, {"wraps", s.Wraps}, {"paddings", s.Paddings},
		{"zero-length", s.ZeroLength}, {"pops", s.Pops}, {"failed-fills", s.FillErrors},
		{"invalid-n", s.InvalidN}, {"panics", s.Panics}, {"ErrBusy", s.Busy},
		{"ErrWouldBlock", s.WouldBlock}, {"ErrTooLarge", s.TooLarge}, {"ErrInvalidSize", s.Invalid},
		{"ErrEmpty", s.Empty}, {"ErrShortBuffer", s.Short}, {"resets", s.Resets}, {"batches", s.Batches},
		{"two-phase", s.TwoPhase}, {"ErrInvalidState", s.State}, {"ErrNilFunc", s.NilFuncs}, {"second-buffer", s.Other},
	} {
		fmt.Fprintf(&b, "%s=%d ", f.name, f.v)
	}
	return strings.TrimSpace(b.String())
}
