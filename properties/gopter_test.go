package properties

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

// popsOnError is a deliberately broken buffer: when consume fails, it
// removes the packet anyway (the contract says a failed pop removes nothing).
type popsOnError struct{ *netbuf.UnorderedBuffer }

func (b popsOnError) PopWith(consume func([]byte) error) error {
	err := b.UnorderedBuffer.PopWith(consume)
	if err != nil && !errors.Is(err, netbuf.ErrEmpty) && !errors.Is(err, netbuf.ErrBusy) {
		_, _ = b.Pop(make([]byte, b.Cap()))
	}
	return err
}

func newPopsOnError(c, n int) (Buffer, error) {
	b, err := netbuf.NewUnorderedBuffer(c, n)
	if err != nil {
		return nil, err
	}
	return popsOnError{b}, nil
}

// shrunkLine matches the shrunk sequence in gopter's report (the original,
// unshrunk one follows on the ARG_0_ORIGINAL line).
var shrunkLine = regexp.MustCompile(`(?m)^ARG_0: initialState=New\(\d+, \d+\) sequential=\[.*\]$`)

// TestGopterShrinksAndReplays checks the gopter engine itself: on a broken
// buffer it fails, its report carries the shrunk sequence (short, ending in
// the failing consume) with the step's cmp.Diff, and the same seed replays
// the same counterexample.
func TestGopterShrinksAndReplays(t *testing.T) {
	const seed = 1
	p := gopterProfiles[0]
	ok, out := runGopter(newPopsOnError, p, seed, 200, &Stats{})
	if ok {
		t.Fatalf("gopter passed a buffer that drops a packet whose consume failed:\n%s", out)
	}
	shrunk := shrunkLine.FindString(out)
	if shrunk == "" {
		t.Fatalf("no shrunk sequence in gopter's report:\n%s", out)
	}
	if steps := strings.Count(shrunk, "("); steps-1 > 3 { // "New(" is one of them
		t.Errorf("shrunk sequence has %d steps, want at most 3: %s", steps-1, shrunk)
	}
	for _, want := range []string{"popwith consume=err)]", "buffer differs from model (-model +buffer)", "Len:"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	_, again := runGopter(newPopsOnError, p, seed, 200, &Stats{})
	if replay := shrunkLine.FindString(again); replay != shrunk {
		t.Errorf("same seed, different counterexample:\n first: %s\nreplay: %s", shrunk, replay)
	}
	t.Logf("shrunk counterexample: %s", shrunk)
}
