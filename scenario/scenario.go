// Package scenario reads, writes and replays netbuf's regression corpus: small
// text files (testdata/*.scn at the module root) that script an
// UnorderedBuffer one operation per line, each with the answer the contract
// requires. Every bug the properties or the fuzzers ever find is kept there
// as a scenario, so it is checked by `go test ./...` forever.
//
// The format, one statement per line ('#' starts a comment):
//
//	new 10 4                           # a fresh buffer: Cap 10, MaxPackets 4
//	push 6 -> ok                       # Push of a 6-byte payload
//	pushwith 8 n=3 fill=err -> ErrCallback
//	pushwith 4 n=4 fill=ok seed=7 -> 4 bytes used=10 len=2
//	popwith consume=reenter reenter=pop -> ok
//	pop 16 -> 6 bytes                  # Pop into a 16-byte dst
//	used -> 6                          # queries: used, len, cap, maxpackets
//	new 0 4 -> ErrInvalidSize          # a constructor that must fail
//
// An operation is written exactly as properties.Op.String prints it, with
// the keys optional (n defaults to the size, fill and consume to ok, seed to
// 0). Its answer is one of: ok; N bytes (PushWith's n, Pop's n, the packet
// PopWith saw, Push's size); panic (the callback's own panic came out); or
// the error's name as properties.Run reports it (ErrWouldBlock,
// io.ErrShortBuffer, ErrCallback, ...), optionally followed by used=N and
// len=N, the counters after the operation. An operation without "->" is
// only run. Each `new` starts a new scenario in the same file.
package scenario

import (
	"github.com/netbuf-go/netbuf/properties"
)

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
	Op    properties.Op
	Want  Want
}

// Want is an expected answer. For a query only Value is used.
type Want struct {
	Answer string // AnswerOK, AnswerBytes, AnswerPanic, an error name, or "" for none
	Bytes  int    // for AnswerBytes
	Used   int    // Used() after the operation, if >= 0
	Len    int    // Len() after the operation, if >= 0
	Value  int    // the answer of a query
}

// Answers that are not error names.
const (
	AnswerOK    = "ok"
	AnswerBytes = "bytes"
	AnswerPanic = "panic"
)

// none is the Used or Len of a Want that does not check it.
const none = -1

// errorNames are the error answers properties.Run can report, and the
// constructor's one.
var errorNames = map[string]bool{
	"ErrWouldBlock": true, "ErrEmpty": true, "ErrTooLarge": true, "ErrInvalidSize": true,
	"ErrInvalidLength": true, "ErrBusy": true, "ErrNilFunc": true, "io.ErrShortBuffer": true,
	"ErrCallback": true,
}

// queries are the statements that read a counter.
var queries = map[string]func(properties.Buffer) int{
	"used":       properties.Buffer.Used,
	"len":        properties.Buffer.Len,
	"cap":        properties.Buffer.Cap,
	"maxpackets": properties.Buffer.MaxPackets,
}

// Ops returns the scenario's operations in order, without its queries.
func (s Scenario) Ops() []properties.Op {
	var ops []properties.Op
	for _, st := range s.Steps {
		if st.Query == "" {
			ops = append(ops, st.Op)
		}
	}
	return ops
}
