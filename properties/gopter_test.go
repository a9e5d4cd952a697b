package properties

import (
	"errors"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
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

func newPopsOnError(c, n int) (unordered.Buffer, error) {
	b, err := netbuf.NewUnorderedBuffer(c, n)
	if err != nil {
		return nil, err
	}
	return popsOnError{b}, nil
}

// TestGopterShrinksAndReplays checks the gopter engine itself: on a broken
// buffer it fails, its counterexample is shrunk (short, ending in the
// failing consume) with the step's cmp.Diff, and the same seed replays the
// same counterexample.
func TestGopterShrinksAndReplays(t *testing.T) {
	const seed = 1
	p := gopterProfiles[0]
	run := func() failure[unordered.Op] {
		var last failure[unordered.Op]
		if ok, verdict := runGopter(&config{}, newPopsOnError, lockstep.Features{}, p, seed, 200, &unorderedStats{}, &last); ok {
			t.Fatalf("gopter passed a buffer that drops a packet whose consume failed: %s", verdict)
		}
		return last
	}
	first := run()
	if n := len(first.ops); n == 0 || n > 4 {
		t.Fatalf("shrunk to %d ops, want 1 to 4:\n%s", n, first.value("gopter", "").Error())
	}
	report := first.value("gopter", "").Error()
	for _, want := range []string{"consume=err", "buffer differs from model (-model +buffer)", "as a scenario", "\nnew "} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if again := run(); again.value("gopter", "").Error() != report {
		t.Errorf("same seed, different counterexample:\n first: %s\nreplay: %s", report, again.value("gopter", "").Error())
	}
	t.Logf("shrunk counterexample:\n%s", report)
}

// TestGopterFailsWhenNoPairBuilds checks that a buffer whose constructor
// refuses a configuration the model accepts fails the gopter engine (the
// pair cannot be built; no command may then pass).
func TestGopterFailsWhenNoPairBuilds(t *testing.T) {
	refuses := func(c, n int) (unordered.Buffer, error) { return nil, netbuf.ErrInvalidSize }
	var last failure[unordered.Op]
	ok, verdict := runGopter(&config{}, refuses, lockstep.Features{}, gopterProfiles[0], 1, 20, &unorderedStats{}, &last)
	if ok {
		t.Fatalf("gopter passed a buffer that refuses every configuration: %s", verdict)
	}
	if r := last.value("gopter", "").Error(); !strings.Contains(r, "buffer says \"ErrInvalidSize\", model says \"\"") {
		t.Errorf("report lacks the disagreement:\n%s", r)
	}
}
