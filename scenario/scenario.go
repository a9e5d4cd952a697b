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

import "github.com/netbuf-go/netbuf/step"

// MaxBytes is the largest capacity, slot count, or size of an operation
// (maxSize, dst length, bufs, nested size) that a scenario may use, unless
// the constructor refuses the configuration anyway: 16 MiB.
const MaxBytes = 16 << 20

// Scenario is one buffer's script: its constructor arguments and answer,
// then its steps.
type Scenario struct {
	Line   int    // line of the `new` statement (1-based; 0 if not parsed from text)
	Cap    int    // capacityBytes
	Slots  int    // maxPackets
	NewErr string // the constructor's expected error ("" for success)
	Steps  []Step
}

// Step is an operation or a query, with its expected answer.
type Step struct {
	Line  int    // 1-based line number (0 if not parsed from text)
	Query string // "used", "len", "cap" or "maxpackets"; "" for an operation
	Op    step.Op
	Want  Want
}

// Want is an expected answer. For a query only Value is used.
type Want struct {
	Answer string // AnswerOK, AnswerBytes, AnswerPanic, an error name, or "" for none
	Bytes  int    // for AnswerBytes and AnswerPackets
	Used   int    // Used() after the operation, if >= 0
	Len    int    // Len() after the operation, if >= 0
	Value  int    // the answer of a query
}

// Answers that are not error names.
const (
	AnswerOK      = "ok"
	AnswerBytes   = "bytes"
	AnswerPackets = "packets" // PushBatch's m
	AnswerPanic   = "panic"
)

// none is the Used or Len of a Want that does not check it.
const none = -1

// queries are the statements that read a counter.
var queries = map[string]func(step.Buffer) int{
	"used":       step.Buffer.Used,
	"len":        step.Buffer.Len,
	"cap":        step.Buffer.Cap,
	"maxpackets": step.Buffer.MaxPackets,
}

// Ops returns the scenario's operations in order, without its queries.
func (s Scenario) Ops() []step.Op {
	var ops []step.Op
	for _, st := range s.Steps {
		if st.Query == "" {
			ops = append(ops, st.Op)
		}
	}
	return ops
}

// Needs returns the features beyond the contract that s uses.
func (s Scenario) Needs() step.Features {
	var f step.Features
	for _, op := range s.Ops() {
		n := op.Needs()
		f.NilFuncs, f.Batch, f.TwoPhase = f.NilFuncs || n.NilFuncs, f.Batch || n.Batch, f.TwoPhase || n.TwoPhase
	}
	return f
}
