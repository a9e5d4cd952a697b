package scenario_test

import (
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// TestParseSPSCOpString checks that every kind of SPSC call prints, via
// SPSCOp.String, to a line the parser reads back to the same call.
func TestParseSPSCOpString(t *testing.T) {
	ops := []spsc.Op{
		{Kind: spsc.Reserve, MaxSize: -1, Seed: 3},
		{Kind: spsc.Commit, N: 7},
		{Kind: spsc.Abort},
		{Kind: spsc.PushWith, MaxSize: 5, N: -2, Callback: lockstep.CallPanic, Seed: 255},
		{Kind: spsc.PushWith, MaxSize: 5, N: 5, Callback: lockstep.CallOther, Reenter: spsc.Pop, ReSize: 4, Seed: 1},
		{Kind: spsc.PushWith, MaxSize: 5, N: 5, Callback: lockstep.CallReenter, Reenter: spsc.WaitRoom, ReSize: 2},
		{Kind: spsc.PushWith, MaxSize: 0, Callback: lockstep.CallNil},
		{Kind: spsc.Push, MaxSize: 3, Seed: 9},
		{Kind: spsc.Close},
		{Kind: spsc.WaitRoom, MaxSize: 2},
		{Kind: spsc.PLen},
		{Kind: spsc.Peek},
		{Kind: spsc.Release},
		{Kind: spsc.PopWith, Callback: lockstep.CallErr},
		{Kind: spsc.PopWith, Callback: lockstep.CallOther, Reenter: spsc.Reserve, ReSize: 3},
		{Kind: spsc.PopWith, Callback: lockstep.CallReenter, Reenter: spsc.CLen},
		{Kind: spsc.Pop, DstLen: 16},
		{Kind: spsc.WaitData},
		{Kind: spsc.CLen},
	}
	for _, op := range ops {
		ss, err := scenario.Parse("spsc 1 1\n" + op.String())
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if got := ss[0].Steps[0].Stmt; got != op {
			t.Errorf("Parse(%q) = %+v, want %+v", op.String(), ss[0].Steps[0], op)
		}
	}
}

func TestParseSPSCErrors(t *testing.T) {
	cases := map[string]string{
		"spsc 1":                              "want `spsc <capacityBytes> <maxPackets>`",
		"spsc 1 1\nreset":                     "unknown statement \"reset\" for an SPSC buffer",
		"spsc 1 1\nnext":                      "unknown statement \"next\"",
		"spsc 1 1\ncommit":                    "commit needs a size",
		"spsc 1 1\npop 1 spare=1":             "pop does not take",
		"spsc 1 1\npushwith 1 fill=invalid-m": "unknown fill",
		"spsc 1 1\npushwith 1 fill=reenter reenter=pop":               "reenter=pop is not a call of the same half",
		"spsc 1 1\npushwith 1 fill=other reenter=push":                "reenter=push is not a call of the other half",
		"spsc 1 1\npopwith consume=reenter reenter=push":              "reenter=push is not a call of the same half",
		"spsc 1 1\npopwith consume=ok reenter=pop":                    "need a callback that makes a nested call",
		"spsc 1 1\npush 16777217":                                     "beyond the replay's limit",
		"spsc 1 1\npopwith consume=other reenter=push rsize=16777217": "beyond the replay's limit",
	}
	for text, want := range cases {
		_, err := scenario.Parse(text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", text, err, want)
		}
	}
}

// TestRecordSPSC checks that RecordSPSC writes the model's answers, with
// the counter calls as queries, and that the replay accepts them from
// netbuf.
func TestRecordSPSC(t *testing.T) {
	ops := []spsc.Op{
		{Kind: spsc.Reserve, MaxSize: 3, Seed: 1},
		{Kind: spsc.Pop, DstLen: 8},
		{Kind: spsc.Commit, N: 2},
		{Kind: spsc.Used},
		{Kind: spsc.Close},
		{Kind: spsc.PopWith, Callback: lockstep.CallOther, Reenter: spsc.Push, ReSize: 1},
		{Kind: spsc.CLen},
		{Kind: spsc.WaitData},
	}
	s := scenario.RecordOf(spsc.Family{}, spsc.Config{Capacity: 8, MaxPackets: 2}, ops)
	want := "spsc 8 2\n" +
		"reserve 3 seed=1 -> 3 bytes used=0 len=0\n" +
		"pop 8 -> ErrEmpty used=0 len=0\n" +
		"commit 2 -> ok used=2 len=1\n" +
		"used -> 2\n" +
		"close -> ok used=2 len=1\n" +
		"popwith consume=other reenter=push rsize=1 -> 2 bytes used=0 len=0\n" +
		"len -> 0\n" +
		"waitdata -> ErrClosed used=0 len=0\n"
	if got := scenario.Format([]scenario.Scenario{s}); got != want {
		t.Fatalf("Format(RecordSPSC) =\n%s\nwant\n%s", got, want)
	}
	if err := scenario.ReplayOf(spsc.Family{New: newSPSC}, s); err != nil {
		t.Fatal(err)
	}
	if err := scenario.ReplayOf(unordered.Family{New: newBuffer}, s); err == nil {
		t.Fatal("Replay accepts an SPSC scenario")
	}
	if s := scenario.RecordOf(spsc.Family{}, spsc.Config{Capacity: 1, MaxPackets: 0}, ops); s.NewErr != "ErrInvalidSize" || len(s.Steps) != 0 {
		t.Fatalf("RecordSPSC(1, 0) = %+v, want a failing new and no steps", s)
	}
}
