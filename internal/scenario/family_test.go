package scenario_test

import (
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"github.com/netbuf-go/netbuf/netbuf"
)

// TestHeaderPicksFamily checks that each header starts a scenario of its
// own family, whose statements are that family's and no other's, and that
// a replay refuses a scenario of another family.
func TestHeaderPicksFamily(t *testing.T) {
	text := "new 4 1\npush 1\nordered 8 2 window=2 bits=3\npush 1 seq=0\nspsc 4 1\nclose\nring 2\npush 5\n"
	ss, err := scenario.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 4 || !scenario.Is[unordered.Config](ss[0]) || !scenario.Is[ordered.Config](ss[1]) ||
		!scenario.Is[spsc.Config](ss[2]) || !scenario.Is[ring.Config](ss[3]) {
		t.Fatalf("Parse = %v, want new, ordered, spsc, ring", ss)
	}
	want := []lockstep.Statement{unordered.Op{Kind: unordered.Push, MaxSize: 1}, ordered.Op{Kind: ordered.Push, MaxSize: 1},
		spsc.Op{Kind: spsc.Close}, ring.Op{Kind: ring.Push, V: 5}}
	for i, s := range ss {
		if got := s.Steps[0].Stmt; got != want[i] {
			t.Errorf("scenario %d: statement %#v, want %#v", i, got, want[i])
		}
	}
	if got := scenario.Format(ss); got != "new 4 1\npush 1 seed=0\n\nordered 8 2 window=2 bits=3 first=0\npush 1 seq=0 seed=0\n\nspsc 4 1\nclose\n\nring 2\npush 5\n" {
		t.Errorf("Format =\n%s", got)
	}
	for text, msg := range map[string]string{
		"ring 2\npushwith 1":  `unknown statement "pushwith" for a ring`,
		"ring 2\nused":        `unknown statement "used" for a ring`,
		"ring 2\npush":        "want `push <value>`",
		"ring 2\npop 1":       "pop takes nothing",
		"ring":                "want `ring <capacity>`",
		"ring 99999999 -> ok": "beyond the replay's limit",
		"spsc 1 1\nskipto 1":  `unknown statement "skipto" for an SPSC buffer`,
		"new 1 1\nclose":      `unknown statement "close"`,
	} {
		if _, err := scenario.Parse(text); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", text, err, msg)
		}
	}
	if err := scenario.ReplayOf(ring.Family{New: ring.Netbuf}, ss[0]); err == nil || !strings.Contains(err.Error(), "not a `ring` scenario") {
		t.Errorf("ReplayOf(ring, a `new` scenario) = %v", err)
	}
}

// lyingRing is netbuf's Ring with Len off by one once it holds a value.
type lyingRing struct{ *netbuf.Ring[uint64] }

func (r lyingRing) Len() int { return r.Ring.Len() + min(r.Ring.Len(), 1) }

// TestReplayRingFails checks that a ring scenario's replay can fail: on an
// answer or a query the model does not give, and on a ring that differs
// from the model.
func TestReplayRingFails(t *testing.T) {
	lying := func(c int) (ring.Buffer, error) {
		r, err := netbuf.NewRing[uint64](c)
		return lyingRing{r}, err
	}
	cases := []struct {
		name, text, want string
		f                ring.Factory
	}{
		{"wrong answer", "ring 1\npush 1\npush 2 -> ok\n", `model answered "ErrWouldBlock len=1"`, ring.Netbuf},
		{"wrong counter", "ring 2\npush 1 -> ok len=2\n", `model answered "ok len=1"`, ring.Netbuf},
		{"wrong query", "ring 2\npush 1\ncap -> 3\n", "model answered 2", ring.Netbuf},
		{"wrong new", "ring 0 -> ok\n", `both sides answered "ErrInvalidSize", want ""`, ring.Netbuf},
		{"lying ring", "ring 2\npush 1\n", "ring {Err: V:0 Len:2", lying},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ss, err := scenario.Parse(c.text)
			if err != nil {
				t.Fatal(err)
			}
			if err := scenario.ReplayOf(ring.Family{New: c.f}, ss[0]); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err %v, want it to contain %q", err, c.want)
			}
		})
	}
}

// TestRecordRing checks that RecordOf writes the model's answers for a
// ring, through the family's Model, and that the replay accepts them.
func TestRecordRing(t *testing.T) {
	ops := []ring.Op{{Kind: ring.Push, V: 7}, {Kind: ring.Push, V: 8}, {Kind: ring.Peek}, {Kind: ring.Pop}, {Kind: ring.Reset}, {Kind: ring.Pop}}
	s := scenario.RecordOf(ring.Family{}, ring.Config{Capacity: 1}, ops)
	want := "ring 1\npush 7 -> ok len=1\npush 8 -> ErrWouldBlock len=1\npeek -> ok len=1\npop -> ok len=0\nreset -> ok len=0\npop -> ErrEmpty len=0\n"
	if got := scenario.Format([]scenario.Scenario{s}); got != want {
		t.Fatalf("Format(RecordOf) =\n%s\nwant\n%s", got, want)
	}
	if err := scenario.ReplayOf(ring.Family{New: ring.Netbuf}, s); err != nil {
		t.Fatal(err)
	}
}
