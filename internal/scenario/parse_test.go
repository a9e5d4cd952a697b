package scenario_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// ignoreLines compares scenarios without their line numbers.
var ignoreLines = cmpopts.IgnoreFields(scenario.Scenario{}, "Line")
var ignoreStepLines = cmpopts.IgnoreFields(scenario.Step{}, "Line")

func TestParse(t *testing.T) {
	text := `# a comment
new 10 4   # trailing comment
push 6 -> ok
pushwith 8 n=3 fill=err -> ErrCallback
pushwith 4 fill=reenter reenter=reset seed=9 -> 4 bytes used=10 len=2
popwith consume=panic -> panic
pop 16 -> 6 bytes
used -> 6
reset
new 0 4 -> ErrInvalidSize
`
	got, err := scenario.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	at := func(line int, op unordered.Op, w scenario.Want) scenario.Step {
		return scenario.Step{Line: line, Stmt: op, Want: w}
	}
	want := []scenario.Scenario{
		{Line: 2, Config: unordered.Config{Capacity: 10, MaxPackets: 4}, Steps: []scenario.Step{
			at(3, unordered.Op{Kind: unordered.Push, MaxSize: 6}, scenario.Want{Answer: "ok", Used: -1, Len: -1, Next: -1}),
			at(4, unordered.Op{Kind: unordered.PushWith, MaxSize: 8, N: 3, Fill: lockstep.CallErr},
				scenario.Want{Answer: "ErrCallback", Used: -1, Len: -1, Next: -1}),
			at(5, unordered.Op{Kind: unordered.PushWith, MaxSize: 4, N: 4, Fill: lockstep.CallReenter, Reenter: unordered.Reset, Seed: 9},
				scenario.Want{Answer: "bytes", Bytes: 4, Used: 10, Len: 2, Next: -1}),
			at(6, unordered.Op{Kind: unordered.PopWith, Consume: lockstep.CallPanic}, scenario.Want{Answer: "panic", Used: -1, Len: -1, Next: -1}),
			at(7, unordered.Op{Kind: unordered.Pop, DstLen: 16}, scenario.Want{Answer: "bytes", Bytes: 6, Used: -1, Len: -1, Next: -1}),
			{Line: 8, Stmt: lockstep.Query("used"), Want: scenario.Want{Value: 6, Used: -1, Len: -1, Next: -1}},
			at(9, unordered.Op{Kind: unordered.Reset}, scenario.Want{Used: -1, Len: -1, Next: -1}),
		}},
		{Line: 10, Config: unordered.Config{Capacity: 0, MaxPackets: 4}, NewErr: "ErrInvalidSize"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("Parse (-want +got):\n%s", d)
	}
	again, err := scenario.Parse(scenario.Format(got))
	if err != nil {
		t.Fatalf("Parse(Format): %v", err)
	}
	if d := cmp.Diff(got, again, ignoreLines, ignoreStepLines); d != "" {
		t.Fatalf("Parse(Format(s)) != s (-s +again):\n%s", d)
	}
}

// TestParseOpString checks that every Op prints, via Op.String, to a line
// the parser reads back to the same Op.
func TestParseOpString(t *testing.T) {
	ops := []unordered.Op{
		{Kind: unordered.PushWith, MaxSize: 1500, N: -1, Fill: lockstep.CallPanic, Seed: 255},
		{Kind: unordered.PushWith, MaxSize: -3, N: 7, Fill: lockstep.CallReenter, Reenter: unordered.Pop},
		{Kind: unordered.Push, MaxSize: 0, Seed: 1},
		{Kind: unordered.PopWith, Consume: lockstep.CallReenter, Reenter: unordered.PushWith},
		{Kind: unordered.PopWith, Consume: lockstep.CallErr},
		{Kind: unordered.Pop, DstLen: -1},
		{Kind: unordered.Reset},
	}
	for _, op := range ops {
		ss, err := scenario.Parse("new 1 1\n" + op.String())
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if got := ss[0].Steps[0].Stmt; got != op {
			t.Errorf("Parse(%q) = %+v, want %+v", op.String(), got, op)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"push 1 -> ok":                        "line 1: \"push\" before the first `new`",
		"new 1":                               "want `new",
		"new 1 x":                             "not a number",
		"new 1 1 -> ErrNope":                  "unknown answer",
		"new 0 1 -> ErrInvalidSize\npush 1":   "line 2: \"push\" after a `new` that fails",
		"new 1 1\nfrobnicate":                 "unknown statement",
		"new 1 1\nkind(7)":                    "unknown statement",
		"new 1 1\npush":                       "push needs a size",
		"new 1 1\npush seed=1":                "push needs a size",
		"new 1 1\npush 1 n=1":                 "push does not take",
		"new 1 1\npushwith 1 n=1 n=2":         "n given twice",
		"new 1 1\npushwith 1 fill=maybe":      "unknown fill",
		"new 1 1\npushwith 1 reenter=pop":     "need a callback that makes a nested call",
		"new 1 1\npushwith 1 seed=256":        "want 0 to 255",
		"new 1 1\npush 1 ->":                  "without an answer",
		"new 1 1\n-> ok":                      "without a statement",
		"new 1 1\npush 1 -> ok -> ok":         "more than one ->",
		"new 1 1\npush 1 -> 1":                "unknown answer",
		"new 1 1\npush 1 -> ok used=1 used=1": "unexpected \"used=1\"",
		"new 1 1\npush 1 -> ok used=-1":       "never negative",
		"new 1 1\nused":                       "want `used -> <number>`",
		"new 1 1\npush 99999999999999999999":  "not a number",
	}
	for text, want := range cases {
		_, err := scenario.Parse(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", text, err, want)
		}
	}
}

// TestRecord checks that Record writes the model's answers, which the
// replay then accepts from netbuf.
func TestRecord(t *testing.T) {
	ops := []unordered.Op{
		{Kind: unordered.Push, MaxSize: 3},
		{Kind: unordered.PushWith, MaxSize: 1, N: 1, Fill: lockstep.CallErr},
		{Kind: unordered.Pop, DstLen: 1},
		{Kind: unordered.PopWith},
	}
	s := scenario.RecordOf(unordered.Family{}, unordered.Config{Capacity: 4, MaxPackets: 2}, ops)
	want := "new 4 2\n" +
		"push 3 seed=0 -> 3 bytes used=3 len=1\n" +
		"pushwith 1 n=1 fill=err seed=0 -> ErrCallback used=3 len=1\n" +
		"pop 1 -> io.ErrShortBuffer used=3 len=1\n" +
		"popwith consume=ok -> 3 bytes used=0 len=0\n"
	if got := scenario.Format([]scenario.Scenario{s}); got != want {
		t.Fatalf("Format(Record) =\n%s\nwant\n%s", got, want)
	}
	if err := scenario.ReplayOf(unordered.Family{New: newBuffer}, s); err != nil {
		t.Fatal(err)
	}
	if s := scenario.RecordOf(unordered.Family{}, unordered.Config{Capacity: 0, MaxPackets: 1}, ops); s.NewErr != "ErrInvalidSize" || len(s.Steps) != 0 {
		t.Fatalf("Record(0, 1) = %+v, want a failing new and no steps", s)
	}
}
