package scenario

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/netbuf-go/netbuf/properties"
)

// Parse reads the scenarios of one file. It never panics, whatever the
// text: errors name the 1-based line ("line 3: ...").
func Parse(text string) ([]Scenario, error) {
	var out []Scenario
	for i, raw := range strings.Split(text, "\n") {
		line := i + 1
		stmt, answer, arrow, err := splitLine(raw)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if len(stmt) == 0 {
			continue
		}
		if stmt[0] == "new" {
			s, err := parseNew(stmt, answer, arrow)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			s.Line = line
			out = append(out, s)
			continue
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("line %d: %q before the first `new`", line, stmt[0])
		}
		cur := &out[len(out)-1]
		if cur.NewErr != "" {
			return nil, fmt.Errorf("line %d: %q after a `new` that fails", line, stmt[0])
		}
		st, err := parseStep(stmt, answer, arrow)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
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

// parseNew reads "new C S [-> ok | -> ErrX]".
func parseNew(stmt, answer []string, arrow bool) (Scenario, error) {
	if len(stmt) != 3 {
		return Scenario{}, fmt.Errorf("want `new <capacityBytes> <maxPackets>`")
	}
	c, err := parseInt(stmt[1])
	if err != nil {
		return Scenario{}, err
	}
	n, err := parseInt(stmt[2])
	if err != nil {
		return Scenario{}, err
	}
	s := Scenario{Cap: c, Slots: n}
	if !arrow {
		return s, nil
	}
	switch {
	case len(answer) != 1:
		return Scenario{}, fmt.Errorf("`new` answers ok or one error name")
	case answer[0] == AnswerOK:
	case errorNames[answer[0]]:
		s.NewErr = answer[0]
	default:
		return Scenario{}, fmt.Errorf("unknown answer %q", answer[0])
	}
	return s, nil
}

// parseStep reads a query or an operation with its answer.
func parseStep(stmt, answer []string, arrow bool) (Step, error) {
	if _, ok := queries[stmt[0]]; ok {
		if len(stmt) != 1 || len(answer) != 1 {
			return Step{}, fmt.Errorf("want `%s -> <number>`", stmt[0])
		}
		v, err := parseInt(answer[0])
		return Step{Query: stmt[0], Want: Want{Value: v, Used: none, Len: none}}, err
	}
	op, err := parseOp(stmt)
	if err != nil {
		return Step{}, err
	}
	want := Want{Used: none, Len: none}
	if arrow {
		if want, err = parseWant(answer); err != nil {
			return Step{}, err
		}
	}
	return Step{Op: op, Want: want}, nil
}

// parseWant reads "ok | panic | ErrX | N bytes", then "used=N" and "len=N".
func parseWant(words []string) (Want, error) {
	w := Want{Used: none, Len: none}
	switch first := words[0]; {
	case first == AnswerOK || first == AnswerPanic || errorNames[first]:
		w.Answer, words = first, words[1:]
	case len(words) >= 2 && words[1] == "bytes":
		n, err := parseInt(first)
		if err != nil {
			return Want{}, err
		}
		w.Answer, w.Bytes, words = AnswerBytes, n, words[2:]
	default:
		return Want{}, fmt.Errorf("unknown answer %q (want ok, panic, an error name or `N bytes`)", first)
	}
	seen := map[string]bool{}
	for _, kv := range words {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || (k != "used" && k != "len") || seen[k] {
			return Want{}, fmt.Errorf("unexpected %q in the answer (want used=N, len=N)", kv)
		}
		seen[k] = true
		n, err := parseInt(v)
		if err != nil {
			return Want{}, err
		}
		if n < 0 {
			return Want{}, fmt.Errorf("%s=%d: a counter is never negative", k, n)
		}
		if k == "used" {
			w.Used = n
		} else {
			w.Len = n
		}
	}
	return w, nil
}

// opKeys are the keys each operation accepts, as properties.Op.String
// prints them.
var opKeys = map[properties.Kind][]string{
	properties.OpPushWith: {"n", "fill", "reenter", "seed"},
	properties.OpPush:     {"seed"},
	properties.OpPopWith:  {"consume", "reenter"},
}

// sized reports whether an operation takes a positional number.
func sized(k properties.Kind) bool {
	return k == properties.OpPushWith || k == properties.OpPush || k == properties.OpPop
}

// parseOp reads an operation in properties.Op.String's syntax.
func parseOp(words []string) (properties.Op, error) {
	k, ok := lookup(words[0], properties.Kind.String)
	if !ok {
		return properties.Op{}, fmt.Errorf("unknown statement %q", words[0])
	}
	op := properties.Op{Kind: k}
	args := words[1:]
	if sized(k) {
		if len(args) == 0 || strings.Contains(args[0], "=") {
			return op, fmt.Errorf("%s needs a size", k)
		}
		n, err := parseInt(args[0])
		if err != nil {
			return op, err
		}
		if k == properties.OpPop {
			op.DstLen = n
		} else {
			op.MaxSize = n
		}
		args = args[1:]
	}
	kv, err := parseKeys(k, args)
	if err != nil {
		return op, err
	}
	return op, applyKeys(&op, kv)
}

// parseKeys reads key=value words, each key at most once and accepted by k.
func parseKeys(k properties.Kind, args []string) (map[string]string, error) {
	kv := map[string]string{}
	for _, a := range args {
		key, v, ok := strings.Cut(a, "=")
		if !ok || !allowed(k, key) {
			return nil, fmt.Errorf("%s does not take %q", k, a)
		}
		if _, dup := kv[key]; dup {
			return nil, fmt.Errorf("%s given twice", key)
		}
		kv[key] = v
	}
	return kv, nil
}

func allowed(k properties.Kind, key string) bool {
	for _, a := range opKeys[k] {
		if a == key {
			return true
		}
	}
	return false
}

// applyKeys sets op's fields from kv, with the defaults: n = the size,
// fill and consume ok, seed 0. reenter is accepted only with a callback
// that reenters, as Op.String prints it only then.
func applyKeys(op *properties.Op, kv map[string]string) error {
	var err error
	if op.Kind == properties.OpPushWith {
		op.N = op.MaxSize
		if v, ok := kv["n"]; ok {
			if op.N, err = parseInt(v); err != nil {
				return err
			}
		}
	}
	cb := &op.Fill
	if op.Kind == properties.OpPopWith {
		cb = &op.Consume
	}
	for _, key := range []string{"fill", "consume"} {
		if v, ok := kv[key]; ok {
			if *cb, ok = lookup(v, properties.Callback.String); !ok {
				return fmt.Errorf("unknown %s %q", key, v)
			}
		}
	}
	if v, ok := kv["reenter"]; ok {
		if *cb != properties.CallReenter {
			return fmt.Errorf("reenter= without a callback that reenters")
		}
		if op.Reenter, ok = lookup(v, properties.Kind.String); !ok {
			return fmt.Errorf("unknown reenter %q", v)
		}
	}
	if v, ok := kv["seed"]; ok {
		s, err := strconv.ParseUint(v, 10, 8)
		if err != nil {
			return fmt.Errorf("seed %q: want 0 to 255", v)
		}
		op.Seed = byte(s)
	}
	return nil
}

// lookup finds the value of a small enumeration (Kind, Callback) whose
// String is name, so that the parser always reads what Op.String prints.
// Out-of-range values print as "kind(7)": those are not names.
func lookup[T ~uint8](name string, str func(T) string) (T, bool) {
	if strings.Contains(name, "(") {
		return 0, false
	}
	for v := range 256 {
		if str(T(v)) == name {
			return T(v), true
		}
	}
	return 0, false
}

func parseInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return n, nil
}
