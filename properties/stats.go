package properties

import (
	"fmt"
	"strings"
)

// Stats counts what a run exercised, so that a report can show the suite
// reached the corners it claims to (wraps, padding, failures, reentrancy).
type Stats struct {
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
	Batches    int // PushBatch calls (buffers that have it; their packets count as pushes)
}

func (s *Stats) record(op Op, r Result, wrapped, padded bool) {
	s.Steps++
	committed := r.Err == "" && r.Panic == "" && (op.Kind == OpPush || op.Kind == OpPushWith)
	if committed {
		s.Pushes++
		if wrapped {
			s.Wraps++
		}
		if padded {
			s.Paddings++
		}
		if (op.Kind == OpPush && op.MaxSize == 0) || (op.Kind == OpPushWith && r.N == 0) {
			s.ZeroLength++
		}
	}
	if r.Err == "" && r.Panic == "" && (op.Kind == OpPop || op.Kind == OpPopWith) {
		s.Pops++
	}
	if r.Panic != "" {
		s.Panics++
	}
	if r.Nested == "ErrBusy" {
		s.Busy++
	}
	switch r.Err {
	case "ErrCallback":
		if op.Kind == OpPushWith {
			s.FillErrors++
		}
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
	}
	if op.Kind == OpReset {
		s.Resets++
	}
}

// Add adds o's counts to s.
func (s *Stats) Add(o Stats) {
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
}

// String renders the counts as one line of name=value pairs.
func (s Stats) String() string {
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
	} {
		fmt.Fprintf(&b, "%s=%d ", f.name, f.v)
	}
	return strings.TrimSpace(b.String())
}
