// Package scenario reads, writes and replays netbuf's regression corpus:
// small text files (*.scn, embedded in package corpus) that script an
// UnorderedBuffer one operation per line, each with the answer the
// specification (docs/SPEC.md) requires. Every bug the properties or the
// fuzzers ever find is kept there as a scenario, and checked forever.
//
// The format, one statement per line ('#' starts a comment):
//
//	new 10 4                           # a fresh buffer: Cap 10, MaxPackets 4
//	push 6 -> ok                       # Push of a 6-byte payload
//	pushwith 8 n=3 fill=err -> ErrCallback
//	pushwith 4 n=4 fill=ok seed=7 -> 4 bytes used=10 len=2
//	popwith consume=reenter reenter=pop rsize=-1 -> ok
//	pushbatch 4 bufs=3 lens=4,0,2 -> 3 packets
//	reserve 4 -> ok                    # the two-phase API
//	commit 3 -> ok used=3 len=1
//	pop 16 -> 6 bytes                  # Pop into a 16-byte dst
//	used -> 6                          # queries: used, len, cap, maxpackets
//	new 0 4 -> ErrInvalidSize          # a constructor that must fail
//
// An OrderedBuffer scenario starts with its configuration, and its
// operations carry sequence numbers (step.OrderedOp's String form):
//
//	ordered 64 8 window=4 bits=3 first=6 # Cap 64, 8 arrival slots, SeqBits 3
//	push 4 seq=7 -> ok                   # arrives first
//	pop 16 -> ErrGap                     # 6 is missing
//	push 2 seq=6 -> ok
//	popwith -> 2 bytes next=7
//	skipto 1 -> 1 dropped next=1         # the sequence space wraps at 8
//	missing 8 -> 0 missing
//	next -> 1
//
// An SPSC buffer's scenario starts with `spsc C S`; its operations are the
// calls of both halves, made by one goroutine, as step.SPSCOp's String
// prints them (fill=other and consume=other call the other half):
//
//	spsc 16 4
//	reserve 8 seed=3 -> 8 bytes
//	pop 16 -> ErrEmpty                   # the consumer works while the producer is busy
//	commit 5 -> ok used=5 len=1
//	popwith consume=other reenter=push rsize=3 -> 5 bytes
//	close -> ok
//	waitdata -> ok                       # the packet pushed inside consume
//
// An operation is written as step.Op's String prints it, with the keys
// optional (see step.ParseOp for their defaults). Its answer is one of: ok;
// N bytes (PushWith's n, Pop's n, the packet PopWith or Peek saw, Push's
// size, Reserve's window); N packets (PushBatch's m); panic (the callback's own panic came out); or the
// error's name (ErrWouldBlock, io.ErrShortBuffer, ErrCallback, ...),
// optionally followed by used=N and len=N, the counters after it. An
// operation without "->" is only run. Each `new` starts a new scenario.
//
// Sizes are capped at MaxBytes, so that a replay never allocates more.
package scenario

import (
	"github.com/netbuf-go/netbuf/internal/step"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// MaxBytes is the largest capacity, slot count, or size of an operation
// (maxSize, dst length, bufs, nested size) that a scenario may use, unless
// the constructor refuses the configuration anyway: 16 MiB.
const MaxBytes = 16 << 20

// Scenario is one buffer's script: its constructor arguments and answer,
// then its steps.
type Scenario struct {
	Line    int                 // line of the `new` or `ordered` statement (1-based; 0 if not parsed from text)
	Cap     int                 // capacityBytes
	Slots   int                 // maxPackets
	Ordered *step.OrderedConfig // an OrderedBuffer's configuration; nil for an UnorderedBuffer
	SPSC    bool                // an SPSC buffer's scenario (`spsc C S`): both halves, one goroutine
	NewErr  string              // the constructor's expected error ("" for success)
	Steps   []Step
}

// Step is an operation or a query, with its expected answer.
type Step struct {
	Line  int            // 1-based line number (0 if not parsed from text)
	Query string         // "used", "len", "cap", "maxpackets" or (ordered) "next"; "" for an operation
	Op    step.Op        // the operation of an UnorderedBuffer scenario
	OOp   step.OrderedOp // the operation of an OrderedBuffer scenario
	SOp   step.SPSCOp    // the operation of an SPSC scenario
	Want  Want

	Ordered bool // the step belongs to an OrderedBuffer scenario: OOp, not Op
	SPSC    bool // the step belongs to an SPSC scenario: SOp, not Op
}

// Want is an expected answer. For a query only Value is used.
type Want struct {
	Answer string // AnswerOK, AnswerBytes, AnswerPanic, an error name, or "" for none
	Bytes  int    // for AnswerBytes and AnswerPackets
	Used   int    // Used() after the operation, if >= 0
	Len    int    // Len() after the operation, if >= 0
	Next   int64  // Next() after the operation (ordered), if >= 0
	Value  int    // the answer of a query
}

// Answers that are not error names.
const (
	AnswerOK      = "ok"
	AnswerBytes   = "bytes"
	AnswerPackets = "packets" // PushBatch's m
	AnswerDropped = "dropped" // SkipTo's count
	AnswerMissing = "missing" // how many sequences AppendMissing appended
	AnswerPanic   = "panic"
)

// none is the Used or Len of a Want that does not check it.
const none = -1

// counters is what every buffer under test reports.
type counters interface {
	Used() int
	Len() int
	Cap() int
	MaxPackets() int
}

// query reads the counter a query statement names; next only for an
// ordered buffer.
func query(name string, b counters) (int, bool) {
	switch name {
	case "used":
		return b.Used(), true
	case "len":
		return b.Len(), true
	case "cap":
		return b.Cap(), true
	case "maxpackets":
		return b.MaxPackets(), true
	case "next":
		if o, ok := b.(interface{ Next() uint32 }); ok {
			return int(o.Next()), true
		}
	}
	return 0, false
}

// isQuery reports whether a statement is a query.
func isQuery(word string) bool {
	switch word {
	case "used", "len", "cap", "maxpackets", "next":
		return true
	}
	return false
}

// OrderedOps returns an OrderedBuffer scenario's operations in order; nil
// for another buffer's scenario.
func (s Scenario) OrderedOps() []step.OrderedOp {
	var ops []step.OrderedOp
	for _, st := range s.Steps {
		if st.Query == "" && s.Ordered != nil {
			ops = append(ops, st.OOp)
		}
	}
	return ops
}

// Unordered reports whether s scripts an UnorderedBuffer.
func (s Scenario) Unordered() bool { return s.Ordered == nil && !s.SPSC }

// Ops returns an UnorderedBuffer scenario's operations in order, without
// its queries; nil for another buffer's scenario.
func (s Scenario) Ops() []step.Op {
	var ops []step.Op
	for _, st := range s.Steps {
		if st.Query == "" && s.Unordered() {
			ops = append(ops, st.Op)
		}
	}
	return ops
}

// Needs returns the features beyond the contract that s uses.
func (s Scenario) Needs() lockstep.Features {
	var f lockstep.Features
	if s.Ordered != nil {
		for _, op := range s.OrderedOps() {
			f.NilFuncs = f.NilFuncs || op.Fill == step.CallNil || op.Consume == step.CallNil
		}
		return f
	}
	if s.SPSC {
		for _, op := range s.SPSCOps() {
			f.NilFuncs = f.NilFuncs || op.Callback == step.CallNil
		}
		return f
	}
	for _, op := range s.Ops() {
		n := op.Needs()
		f.NilFuncs, f.Batch, f.TwoPhase = f.NilFuncs || n.NilFuncs, f.Batch || n.Batch, f.TwoPhase || n.TwoPhase
	}
	return f
}
