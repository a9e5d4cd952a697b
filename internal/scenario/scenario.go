// Package scenario reads, writes and replays netbuf's regression corpus:
// small text files (*.scn, in testdata/ at the module's root) that script an
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
// operations carry sequence numbers (ordered.Op's String form):
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
// calls of both halves, made by one goroutine, as spsc.Op's String
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
// An operation is written as its family's Op prints it (unordered.Op,
// ordered.Op, spsc.Op, ring.Op), with the keys optional (see each
// family's Parse for their defaults). Its answer is one of: ok;
// N bytes (PushWith's n, Pop's n, the packet PopWith or Peek saw, Push's
// size, Reserve's window); N packets (PushBatch's m); panic (the callback's own panic came out); or the
// error's name (ErrWouldBlock, io.ErrShortBuffer, ErrCallback, ...),
// optionally followed by used=N and len=N, the counters after it. An
// operation without "->" is only run. Each `new` starts a new scenario.
//
// A Ring[T]'s scenario starts with `ring C`; its statements are push V,
// pop, peek and reset, and the queries len and cap.
//
// Each header starts a new scenario of its family (internal/step/X's
// Family says how its words read). Sizes are capped at MaxBytes, so that a replay never allocates more.
package scenario

import (
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// MaxBytes is the largest capacity, slot count, or size of an operation
// (maxSize, dst length, bufs, nested size) that a scenario may use, unless
// the constructor refuses the configuration anyway: 16 MiB.
const MaxBytes = 16 << 20

// families are the buffer families whose scenarios the format reads, each
// started by its header word.
var families = []lockstep.Syntax{unordered.Family{}, ordered.Family{}, spsc.Family{}, ring.Family{}}

// Scenario is one buffer's script: its configuration (the header line)
// and the constructor's answer, then its steps.
type Scenario struct {
	Line   int             // line of the header (1-based; 0 if not parsed from text)
	Config lockstep.Config // unordered.Config, ordered.Config, spsc.Config or ring.Config: the family
	NewErr string          // the constructor's expected error ("" for success)
	Steps  []Step
}

// newScenario is a scenario of configuration c.
func newScenario(line int, c lockstep.Config) Scenario {
	return Scenario{Line: line, Config: c}
}

// Step is one statement with its expected answer.
type Step struct {
	Line int                // 1-based line number (0 if not parsed from text)
	Stmt lockstep.Statement // an operation of the scenario's family (its Op), or a lockstep.Query
	Want Want
}

// Want is an expected answer. For a query only Value is used.
type Want = lockstep.Want

// OpsOf returns the operations of s that are O, in order, without its
// queries: all of them for a scenario of O's family, none for another's.
func OpsOf[O lockstep.Statement](s Scenario) []O {
	var ops []O
	for _, st := range s.Steps {
		if op, ok := st.Stmt.(O); ok {
			ops = append(ops, op)
		}
	}
	return ops
}

// Needs returns the features beyond the contract that s uses.
func (s Scenario) Needs() lockstep.Features {
	var f lockstep.Features
	for _, st := range s.Steps {
		if op, ok := st.Stmt.(interface{ Needs() lockstep.Features }); ok {
			f = f.Union(op.Needs())
		}
	}
	return f
}

// Is reports whether s is a scenario of the family whose configuration is
// C (unordered.Config, ordered.Config, spsc.Config, ring.Config).
func Is[C lockstep.Config](s Scenario) bool {
	_, ok := s.Config.(C)
	return ok
}
