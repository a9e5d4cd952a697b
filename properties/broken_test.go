package properties_test

import (
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// contract hides netbuf's additions (PushBatch, the two-phase API, Check)
// behind the contract's methods, so that a broken wrapper is checked as a
// port would be.
type contract interface {
	properties.Buffer
}

// dropsEmpty reports success for a zero-length packet but stores nothing,
// a plausible "optimisation" the contract forbids.
type dropsEmpty struct{ contract }

func (b dropsEmpty) Push(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	return b.contract.Push(p)
}

func (b dropsEmpty) PushWith(maxSize int, fill func([]byte) (int, error)) (int, error) {
	if maxSize == 0 {
		return 0, nil
	}
	return b.contract.PushWith(maxSize, fill)
}

// keepsSlice keeps a reference to the slice given to Push and serves it on
// pop, instead of the bytes it copied: a caller that reuses its slice gets
// corrupted packets.
type keepsSlice struct {
	contract
	refs *[][]byte // one per held packet, oldest first; nil where PushWith wrote it
}

func (b keepsSlice) Push(p []byte) error {
	err := b.contract.Push(p)
	if err == nil {
		*b.refs = append(*b.refs, p)
	}
	return err
}

func (b keepsSlice) PushWith(maxSize int, fill func([]byte) (int, error)) (int, error) {
	n, err := b.contract.PushWith(maxSize, fill)
	if err == nil {
		*b.refs = append(*b.refs, nil)
	}
	return n, err
}

func (b keepsSlice) PopWith(consume func([]byte) error) error {
	return b.contract.PopWith(func(p []byte) error {
		if r := (*b.refs)[0]; r != nil {
			p = r[:len(r):len(r)]
		}
		if err := consume(p); err != nil {
			return err
		}
		*b.refs = (*b.refs)[1:]
		return nil
	})
}

func (b keepsSlice) Pop(dst []byte) (int, error) {
	n, err := b.contract.Pop(dst)
	if err == nil {
		if r := (*b.refs)[0]; r != nil {
			copy(dst, r)
		}
		*b.refs = (*b.refs)[1:]
	}
	return n, err
}

func (b keepsSlice) Reset() {
	if b.Len() > 0 {
		b.contract.Reset()
		if b.Len() == 0 {
			*b.refs = nil
		}
	}
}

// sizeBeforeBusy checks the sizes before ErrBusy: inside a callback, a
// negative or too large size answers ErrInvalidSize or ErrTooLarge.
type sizeBeforeBusy struct{ contract }

func (b sizeBeforeBusy) PushWith(maxSize int, fill func([]byte) (int, error)) (int, error) {
	switch {
	case maxSize < 0:
		return 0, netbuf.ErrInvalidSize
	case maxSize > b.Cap():
		return 0, netbuf.ErrTooLarge
	}
	return b.contract.PushWith(maxSize, fill)
}

func (b sizeBeforeBusy) Push(p []byte) error {
	if len(p) > b.Cap() {
		return netbuf.ErrTooLarge
	}
	return b.contract.Push(p)
}

// inCallback is the busy state of sharedBusy: one for every buffer.
var inCallback bool

// sharedBusy keeps its busy state in a package variable, so a call on one
// buffer from inside another's callback answers ErrBusy.
type sharedBusy struct{ contract }

func (b sharedBusy) PushWith(maxSize int, fill func([]byte) (int, error)) (int, error) {
	if inCallback {
		return 0, netbuf.ErrBusy
	}
	return b.contract.PushWith(maxSize, func(p []byte) (int, error) {
		inCallback = true
		defer func() { inCallback = false }()
		return fill(p)
	})
}

func (b sharedBusy) PopWith(consume func([]byte) error) error {
	if inCallback {
		return netbuf.ErrBusy
	}
	return b.contract.PopWith(func(p []byte) error {
		inCallback = true
		defer func() { inCallback = false }()
		return consume(p)
	})
}

func (b sharedBusy) Push(p []byte) error {
	if inCallback {
		return netbuf.ErrBusy
	}
	return b.contract.Push(p)
}

// broken are the deliberately broken buffers the suite must reject, by name.
var broken = map[string]properties.Factory{
	"drops-empty":      wrap(func(b contract) properties.Buffer { return dropsEmpty{b} }),
	"keeps-slice":      wrap(func(b contract) properties.Buffer { return keepsSlice{b, new([][]byte)} }),
	"size-before-busy": wrap(func(b contract) properties.Buffer { return sizeBeforeBusy{b} }),
	"shared-busy":      wrap(func(b contract) properties.Buffer { return sharedBusy{b} }),
}

func wrap(f func(contract) properties.Buffer) properties.Factory {
	return func(c, n int) (properties.Buffer, error) {
		b, err := netbuf.NewUnorderedBuffer(c, n)
		if err != nil {
			return nil, err
		}
		return f(b), nil
	}
}

// brokenEnv names the broken buffer a child test process checks.
const brokenEnv = "NETBUF_PROPERTIES_BROKEN_CHILD"

// scenarioBlock matches a failure's scenario: from "new" to the end of the
// indented block.
var scenarioBlock = regexp.MustCompile(`(?m)^\s*new \d+ \d+\n(?:\s+[a-z]+ ?[^\n]*-> [^\n]*\n?)*`)

// TestCheckUnorderedCatchesBrokenBuffers shows that the suite, used as a
// library, rejects each broken buffer above: it re-runs this test binary as
// a child that runs CheckUnordered on one of them, and requires the child
// to fail with one report per engine, each shrunk to at most 10 operations
// and ending in a scenario that parses and replays on netbuf as is.
func TestCheckUnorderedCatchesBrokenBuffers(t *testing.T) {
	if name := os.Getenv(brokenEnv); name != "" {
		properties.CheckUnordered(t, broken[name])
		return
	}
	for name := range broken {
		t.Run(name, func(t *testing.T) {
			for _, s := range childRejects(t, "TestCheckUnorderedCatchesBrokenBuffers", name, scenarioBlock, 1) {
				if err := scenario.Replay(s, newNetbuf); err != nil {
					t.Errorf("the scenario does not replay on netbuf: %v\n%s", err, scenario.Format([]scenario.Scenario{s}))
				}
				if err := scenario.Replay(s, broken[name]); err == nil {
					t.Errorf("the scenario passes on the broken buffer:\n%s", scenario.Format([]scenario.Scenario{s}))
				}
			}
		})
	}
}

// childRejects re-runs this test binary as a child that runs test on the
// broken buffer name, requires it to fail with at least minReports and at
// most two failure reports (one per engine), and returns the scenarios of
// the reports (those block matches), each parsed and of at most 10 steps.
func childRejects(t *testing.T, test, name string, block *regexp.Regexp, minReports int) []scenario.Scenario {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+test+"$", "-rapid.nofailfile")
	cmd.Env = append(os.Environ(), brokenEnv+"="+name, properties.ScaleEnv+"=1")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 {
		t.Fatalf("child checking %s: err %v, want a non-zero exit; output:\n%s", name, err, out)
	}
	text := string(out)
	if n := strings.Count(text, "as a scenario"); n < minReports || n > 2 {
		t.Errorf("%d failure reports, want %d to 2, one per failing engine:\n%s", n, minReports, text)
	}
	blocks := block.FindAllString(text, -1)
	if len(blocks) == 0 {
		t.Fatalf("no scenario in the child's output:\n%s", text)
	}
	var out2 []scenario.Scenario
	for _, b := range blocks {
		ss, err := scenario.Parse(dedent(b))
		if err != nil || len(ss) != 1 {
			t.Fatalf("scenario does not parse (%v):\n%s", err, b)
		}
		if n := len(ss[0].Steps); n > 10 {
			t.Errorf("counterexample of %d steps, want at most 10:\n%s", n, b)
		}
		out2 = append(out2, ss[0])
	}
	t.Logf("rejected; counterexamples:\n%s", strings.Join(blocks, "\n"))
	return out2
}

// dedent removes the test log's indentation.
func dedent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}
