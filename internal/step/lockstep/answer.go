package lockstep

import (
	"fmt"
	"strings"
)

// Want is the answer of one scenario statement: what an operation
// answered (or must answer) and the counters after it, or the value of a
// query. A counter below zero is not checked.
type Want struct {
	Answer string // AnswerOK, AnswerBytes, AnswerPanic, an error name, ...; "" for none
	Bytes  int    // the count of AnswerBytes, AnswerPackets, AnswerDropped and AnswerMissing
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

// None is the counter of a Want that does not check it.
const None = -1

// NoWant is a Want that checks nothing.
var NoWant = Want{Used: None, Len: None, Next: None}

// Outcome sets w's answer to a panic or an error, if either came out, and
// reports whether one did; otherwise the answer is AnswerBytes, whose
// count the family fills in (or replaces the answer).
func Outcome(w Want, panicked, errName string) (Want, bool) {
	switch {
	case panicked != "":
		w.Answer = AnswerPanic
	case errName != "":
		w.Answer = errName
	default:
		w.Answer = AnswerBytes
		return w, false
	}
	return w, true
}

// String renders an operation's answer, e.g. "6 bytes used=6 len=1".
func (w Want) String() string {
	s := w.Answer
	switch w.Answer {
	case AnswerBytes, AnswerPackets, AnswerDropped, AnswerMissing:
		s = fmt.Sprintf("%d %s", w.Bytes, w.Answer)
	}
	if w.Used >= 0 {
		s += fmt.Sprintf(" used=%d", w.Used)
	}
	if w.Len >= 0 {
		s += fmt.Sprintf(" len=%d", w.Len)
	}
	if w.Next >= 0 {
		s += fmt.Sprintf(" next=%d", w.Next)
	}
	return s
}

// Matches reports whether an observed answer (with every counter)
// satisfies w. "ok" accepts any success.
func (w Want) Matches(got Want) bool {
	switch {
	case w.Used >= 0 && w.Used != got.Used, w.Len >= 0 && w.Len != got.Len, w.Next >= 0 && w.Next != got.Next:
		return false
	case w.Answer == "":
		return true
	case w.Answer == AnswerOK:
		return got.Answer == AnswerOK || got.Answer == AnswerBytes || got.Answer == AnswerPackets
	case w.Answer == AnswerBytes, w.Answer == AnswerPackets:
		return got.Answer == w.Answer && got.Bytes == w.Bytes
	}
	return got.Answer == w.Answer
}

// ParseWant reads "ok | panic | ErrX | N bytes | N packets | N dropped |
// N missing", then the counters "used=N", "len=N" and "next=N".
func ParseWant(words []string) (Want, error) {
	w := NoWant
	if len(words) == 0 {
		return Want{}, fmt.Errorf("no answer")
	}
	switch first := words[0]; {
	case first == AnswerOK || first == AnswerPanic || IsErrName(first):
		w.Answer, words = first, words[1:]
	case len(words) >= 2 && (words[1] == AnswerBytes || words[1] == AnswerPackets || words[1] == AnswerDropped || words[1] == AnswerMissing):
		n, err := ParseInt(first)
		if err != nil {
			return Want{}, err
		}
		w.Answer, w.Bytes, words = words[1], n, words[2:]
	default:
		return Want{}, fmt.Errorf("unknown answer %q (want ok, panic, an error name, or `N bytes|packets|dropped|missing`)", first)
	}
	seen := map[string]bool{}
	for _, kv := range words {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || (k != "used" && k != "len" && k != "next") || seen[k] {
			return Want{}, fmt.Errorf("unexpected %q in the answer (want used=N, len=N, next=N)", kv)
		}
		seen[k] = true
		n, err := ParseInt(v)
		if err != nil {
			return Want{}, err
		}
		if n < 0 {
			return Want{}, fmt.Errorf("%s=%d: a counter is never negative", k, n)
		}
		switch k {
		case "used":
			w.Used = n
		case "len":
			w.Len = n
		default:
			w.Next = int64(n)
		}
	}
	return w, nil
}
