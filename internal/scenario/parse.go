package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
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
	var fam lockstep.Syntax // the family of the last header
	for i, raw := range strings.Split(text, "\n") {
		line := i + 1
		stmt, answer, arrow, err := splitLine(raw)
		if err != nil {
			return nil, &SyntaxError{line, err}
		}
		if len(stmt) == 0 {
			continue
		}
		if f := familyOf(stmt[0]); f != nil {
			s, err := parseHeader(f, stmt, answer, arrow)
			if err != nil {
				return nil, &SyntaxError{line, err}
			}
			s.Line, fam = line, f
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
		st, err := parseStep(fam, stmt, answer, arrow)
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

// familyOf is the family whose header word is word, nil if none.
func familyOf(word string) lockstep.Syntax {
	for _, f := range families {
		if f.Header() == word {
			return f
		}
	}
	return nil
}

// parseHeader reads a header of f, e.g. "new C S [-> ok | -> ErrX]",
// "spsc C S [-> ...]", or "ordered C S window=W bits=B [first=F] [resync]
// [-> ...]".
func parseHeader(f lockstep.Syntax, stmt, answer []string, arrow bool) (Scenario, error) {
	c, err := f.ParseConfig(stmt[1:])
	if err != nil {
		return Scenario{}, err
	}
	s := newScenario(0, c)
	if capacity, slots, valid := c.Size(); valid && (capacity > MaxBytes || slots > MaxBytes) {
		return Scenario{}, fmt.Errorf("%s: beyond the replay's limit of %d (scenario.MaxBytes)", c, MaxBytes)
	}
	if !arrow {
		return s, nil
	}
	switch {
	case len(answer) != 1:
		return Scenario{}, fmt.Errorf("`%s` answers ok or one error name", stmt[0])
	case answer[0] == lockstep.AnswerOK:
	case lockstep.IsErrName(answer[0]):
		s.NewErr = answer[0]
	default:
		return Scenario{}, fmt.Errorf("unknown answer %q", answer[0])
	}
	return s, nil
}

// parseStep reads a query or an operation of f with its answer.
func parseStep(f lockstep.Syntax, stmt, answer []string, arrow bool) (Step, error) {
	if slices.Contains(f.Queries(), stmt[0]) {
		if len(stmt) != 1 || len(answer) != 1 {
			return Step{}, fmt.Errorf("want `%s -> <number>`", stmt[0])
		}
		v, err := lockstep.ParseInt(answer[0])
		return Step{Stmt: lockstep.Query(stmt[0]), Want: Want{Value: v, Used: lockstep.None, Len: lockstep.None, Next: lockstep.None}}, err
	}
	want := lockstep.NoWant
	var err error
	if arrow {
		if want, err = lockstep.ParseWant(answer); err != nil {
			return Step{}, err
		}
	}
	op, err := f.ParseOp(stmt)
	if err != nil {
		return Step{}, err
	}
	if o, ok := op.(interface{ Sizes() []int }); ok {
		for _, v := range o.Sizes() {
			if v > MaxBytes {
				return Step{}, fmt.Errorf("%s: %d is beyond the replay's limit of %d (scenario.MaxBytes)", stmt[0], v, MaxBytes)
			}
		}
	}
	return Step{Stmt: op, Want: want}, nil
}
