package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step"
	"github.com/netbuf-go/netbuf/model"
)

// SyntaxError is a line that Parse refuses.
type SyntaxError struct {
	Line int // 1-based
	Err  error
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *SyntaxError) Unwrap() error { return e.Err }

// Parse reads the scenarios of one text. It never panics, whatever the
// text; its errors are *SyntaxError, naming the line.
func Parse(text string) ([]Scenario, error) {
	var out []Scenario
	for i, raw := range strings.Split(text, "\n") {
		line := i + 1
		stmt, answer, arrow, err := splitLine(raw)
		if err != nil {
			return nil, &SyntaxError{line, err}
		}
		if len(stmt) == 0 {
			continue
		}
		if stmt[0] == "new" || stmt[0] == "ordered" || stmt[0] == "spsc" {
			s, err := parseNew(stmt, answer, arrow)
			if err != nil {
				return nil, &SyntaxError{line, err}
			}
			s.Line = line
			out = append(out, s)
			continue
		}
		if len(out) == 0 {
			return nil, &SyntaxError{line, fmt.Errorf("%q before the first `new`", stmt[0])}
		}
		cur := &out[len(out)-1]
		if cur.NewErr != "" {
			return nil, &SyntaxError{line, fmt.Errorf("%q after a `new` that fails", stmt[0])}
		}
		st, err := parseStep(stmt, answer, arrow, cur)
		if err != nil {
			return nil, &SyntaxError{line, err}
		}
		st.Line = line
		cur.Steps = append(cur.Steps, st)
	}
	return out, nil
}

// splitLine drops the comment and splits a line into its statement's words
// and its answer's words (after "->").
func splitLine(raw string) (stmt, answer []string, arrow bool, err error) {
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	left, right, arrow := strings.Cut(raw, "->")
	stmt, answer = strings.Fields(left), strings.Fields(right)
	switch {
	case strings.Contains(right, "->"):
		return nil, nil, false, fmt.Errorf("more than one ->")
	case arrow && len(stmt) == 0:
		return nil, nil, false, fmt.Errorf("-> without a statement")
	case arrow && len(answer) == 0:
		return nil, nil, false, fmt.Errorf("-> without an answer")
	}
	return stmt, answer, arrow, nil
}

// parseNew reads "new C S [-> ok | -> ErrX]", an SPSC buffer's "spsc C S
// [-> ...]", or an ordered buffer's "ordered C S window=W bits=B [first=F]
// [resync] [-> ...]".
func parseNew(stmt, answer []string, arrow bool) (Scenario, error) {
	var s Scenario
	if stmt[0] == "ordered" {
		cfg, err := step.ParseOrderedConfig(stmt[1:])
		if err != nil {
			return Scenario{}, err
		}
		s = Scenario{Cap: cfg.Capacity, Slots: cfg.MaxPackets, Ordered: &cfg}
	} else {
		if len(stmt) != 3 {
			return Scenario{}, fmt.Errorf("want `%s <capacityBytes> <maxPackets>`", stmt[0])
		}
		c, err := parseInt(stmt[1])
		if err != nil {
			return Scenario{}, err
		}
		n, err := parseInt(stmt[2])
		if err != nil {
			return Scenario{}, err
		}
		s = Scenario{Cap: c, Slots: n, SPSC: stmt[0] == "spsc"}
	}
	c, n := s.Cap, s.Slots
	valid := c >= 1 && n >= 1 && c <= model.MaxCapacity && n <= model.MaxCapacity
	if valid && (c > MaxBytes || n > MaxBytes) {
		return Scenario{}, fmt.Errorf("%s %d %d: beyond the replay's limit of %d (scenario.MaxBytes)", stmt[0], c, n, MaxBytes)
	}
	if !arrow {
		return s, nil
	}
	switch {
	case len(answer) != 1:
		return Scenario{}, fmt.Errorf("`%s` answers ok or one error name", stmt[0])
	case answer[0] == AnswerOK:
	case step.IsErrName(answer[0]):
		s.NewErr = answer[0]
	default:
		return Scenario{}, fmt.Errorf("unknown answer %q", answer[0])
	}
	return s, nil
}

// parseStep reads a query or an operation of s's buffer with its answer.
func parseStep(stmt, answer []string, arrow bool, s *Scenario) (Step, error) {
	ordered := s.Ordered != nil
	if isQuery(stmt[0]) && (ordered || stmt[0] != "next") {
		if len(stmt) != 1 || len(answer) != 1 {
			return Step{}, fmt.Errorf("want `%s -> <number>`", stmt[0])
		}
		v, err := parseInt(answer[0])
		return Step{Query: stmt[0], Want: Want{Value: v, Used: none, Len: none, Next: none}, Ordered: ordered, SPSC: s.SPSC}, err
	}
	want := Want{Used: none, Len: none, Next: none}
	var err error
	if arrow {
		if want, err = parseWant(answer); err != nil {
			return Step{}, err
		}
	}
	if ordered {
		op, err := step.ParseOrderedOp(stmt)
		if err == nil && max(op.MaxSize, op.DstLen, op.Spare, op.ReSize) > MaxBytes {
			err = fmt.Errorf("%s: beyond the replay's limit of %d (scenario.MaxBytes)", op.Kind, MaxBytes)
		}
		return Step{OOp: op, Want: want, Ordered: true}, err
	}
	if s.SPSC {
		op, err := step.ParseSPSCOp(stmt)
		if err == nil && max(op.MaxSize, op.DstLen, op.ReSize) > MaxBytes {
			err = fmt.Errorf("%s: beyond the replay's limit of %d (scenario.MaxBytes)", op.Kind, MaxBytes)
		}
		return Step{SOp: op, Want: want, SPSC: true}, err
	}
	op, err := step.ParseOp(stmt)
	if err != nil {
		return Step{}, err
	}
	for _, v := range []int{op.MaxSize, op.DstLen, op.Spare, op.Bufs, op.ReSize} {
		if v > MaxBytes {
			return Step{}, fmt.Errorf("%s: %d is beyond the replay's limit of %d (scenario.MaxBytes)", op.Kind, v, MaxBytes)
		}
	}
	return Step{Op: op, Want: want}, nil
}

// parseWant reads "ok | panic | ErrX | N bytes | N packets | N dropped |
// N missing", then the counters "used=N", "len=N" and "next=N".
func parseWant(words []string) (Want, error) {
	w := Want{Used: none, Len: none, Next: none}
	switch first := words[0]; {
	case first == AnswerOK || first == AnswerPanic || step.IsErrName(first):
		w.Answer, words = first, words[1:]
	case len(words) >= 2 && (words[1] == AnswerBytes || words[1] == AnswerPackets || words[1] == AnswerDropped || words[1] == AnswerMissing):
		n, err := parseInt(first)
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
		n, err := parseInt(v)
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

func parseInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return n, nil
}
