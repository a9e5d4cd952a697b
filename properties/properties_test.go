package properties_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// newNetbuf is netbuf's constructor as a properties.Factory.
func newNetbuf(capacityBytes, maxPackets int) (properties.Buffer, error) {
	b, err := netbuf.NewUnorderedBuffer(capacityBytes, maxPackets)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func TestUnordered(t *testing.T) {
	properties.CheckUnordered(t, newNetbuf)
}

func TestRing(t *testing.T) {
	properties.CheckRing(t, func(c int) (properties.Ring, error) {
		r, err := netbuf.NewRing[uint64](c)
		if err != nil {
			return nil, err
		}
		return r, nil
	})
}

// dropsEmpty is a deliberately broken buffer: it reports success for a
// zero-length packet but stores nothing, a plausible "optimisation" the
// contract forbids (zero-length packets are real packets).
type dropsEmpty struct{ *netbuf.UnorderedBuffer }

func (b dropsEmpty) Push(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	return b.UnorderedBuffer.Push(p)
}

func (b dropsEmpty) PushWith(maxSize int, fill func([]byte) (int, error)) (int, error) {
	if maxSize == 0 {
		return 0, nil
	}
	return b.UnorderedBuffer.PushWith(maxSize, fill)
}

// brokenEnv switches a child test process into checking dropsEmpty.
const brokenEnv = "NETBUF_PROPERTIES_BROKEN_CHILD"

// TestCheckUnorderedCatchesBrokenBuffer shows that the suite, used as a
// library, rejects a second implementation that is wrong: it re-runs this
// test binary as a child that runs CheckUnordered on dropsEmpty, and requires
// the child to fail with rapid's shrunk counterexample.
func TestCheckUnorderedCatchesBrokenBuffer(t *testing.T) {
	if os.Getenv(brokenEnv) == "1" {
		properties.CheckUnordered(t, func(c, n int) (properties.Buffer, error) {
			b, err := netbuf.NewUnorderedBuffer(c, n)
			if err != nil {
				return nil, err
			}
			return dropsEmpty{b}, nil
		})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCheckUnorderedCatchesBrokenBuffer$", "-test.v",
		"-rapid.nofailfile", "-rapid.checks=100")
	cmd.Env = append(os.Environ(), brokenEnv+"=1", properties.ScaleEnv+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("child checking a broken buffer: err %v, want a non-zero exit; output:\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{"[rapid] failed after", "buffer differs from model", "counterexample: New("} {
		if !strings.Contains(text, want) {
			t.Fatalf("child output lacks %q:\n%s", want, text)
		}
	}
	// The last counterexample printed is the shrunk one: a few ops, one of
	// which pushes a zero-length packet.
	ce := excerpt(text, "counterexample: New(")
	var c, slots, ops int
	if _, err := fmt.Sscanf(ce, "counterexample: New(%d, %d), then %d ops:", &c, &slots, &ops); err != nil || ops > 8 {
		t.Fatalf("counterexample not shrunk to at most 8 ops (%v):\n%s", err, ce)
	}
	if !strings.Contains(ce, "pushwith 0 ") && !strings.Contains(ce, "push 0 ") {
		t.Fatalf("counterexample pushes no zero-length packet:\n%s", ce)
	}
	t.Logf("child failed as it should; its shrunk counterexample:\n%s", ce)
}

// excerpt returns the block of s that starts at the last marker: up to the
// first line that is not an op ("  N. ...").
func excerpt(s, marker string) string {
	i := strings.LastIndex(s, marker)
	if i < 0 {
		return ""
	}
	lines := strings.Split(s[i:], "\n")
	n := 1
	for n < len(lines) && strings.Contains(lines[n], ". ") && strings.TrimSpace(lines[n]) != "" && lines[n][0] == ' ' {
		n++
	}
	return strings.Join(lines[:n], "\n")
}
