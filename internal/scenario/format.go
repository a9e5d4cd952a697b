package scenario

import (
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
)

// Format writes scenarios in the text format; Parse reads it back to the
// same scenarios (line numbers aside).
func Format(ss []Scenario) string {
	var b strings.Builder
	for i, s := range ss {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s.Config.String())
		if s.NewErr != "" {
			fmt.Fprintf(&b, " -> %s", s.NewErr)
		}
		b.WriteByte('\n')
		for _, st := range s.Steps {
			b.WriteString(st.String())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// String renders a step as one line of the format.
func (st Step) String() string {
	if q, ok := st.Stmt.(lockstep.Query); ok {
		return fmt.Sprintf("%s -> %d", q, st.Want.Value)
	}
	if st.Want.Answer == "" {
		return st.Stmt.String()
	}
	return st.Stmt.String() + " -> " + st.Want.String()
}

// RecordOf turns an operation sequence of f's family into a scenario
// whose answers are the model's (f.Model()): what the contract requires
// of every implementation. It is how a failing case that a fuzzer or an
// engine found becomes a readable regression case.
func RecordOf[C lockstep.Config, O lockstep.Op, R any](f lockstep.Family[C, O, R], c C, ops []O) Scenario {
	s := newScenario(0, c)
	p, err := f.Model().NewPair(c)
	if err != nil || p == nil {
		s.NewErr = newErrName(true)
		return s // no operation can follow a constructor that fails
	}
	defer p.End()
	for _, op := range ops {
		r, _ := p.Apply(op)
		st, w := p.Answer(op, r)
		if _, ok := st.(lockstep.Query); ok {
			w = Want{Value: w.Value, Used: lockstep.None, Len: lockstep.None, Next: lockstep.None}
		}
		s.Steps = append(s.Steps, Step{Stmt: st, Want: w})
	}
	return s
}
