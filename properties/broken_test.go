package properties_test

import (
	"strings"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
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

// TestCheckUnorderedCatchesBrokenBuffers shows that the suite, used as a
// library, rejects each broken buffer above, and that the failure comes
// back as a value (OnFailure): one failure, shrunk to at most 10 calls,
// whose scenario replays on netbuf as is and fails on the broken buffer;
// once as a user runs it, once with the engines alone (no corpus).
func TestCheckUnorderedCatchesBrokenBuffers(t *testing.T) {
	for name, f := range broken {
		t.Run(name, func(t *testing.T) {
			for _, engines := range [][]properties.Option{nil, {properties.EnginesOnly()}} {
				s := rejects(t, func(opts ...properties.Option) { properties.CheckUnordered(t, f, append(opts, engines...)...) })
				if err := scenario.ReplayOf(unordered.Family{New: stepFactory(newNetbuf)}, s); err != nil {
					t.Errorf("the scenario does not replay on netbuf: %v", err)
				}
				if err := scenario.ReplayOf(unordered.Family{New: stepFactory(f)}, s); err == nil {
					t.Errorf("the scenario passes on the broken buffer")
				}
			}
		})
	}
}

// rejects runs check with OnFailure, requires exactly one failure with a
// scenario of at most 10 calls, and returns the scenario, parsed.
func rejects(t *testing.T, check func(...properties.Option)) scenario.Scenario {
	t.Helper()
	var got []*properties.Failure
	start := time.Now()
	check(properties.OnFailure(func(f *properties.Failure) { got = append(got, f) }))
	if len(got) != 1 {
		t.Fatalf("%d failures, want exactly 1: %v", len(got), got)
	}
	f := got[0]
	t.Logf("rejected in %v by %s, %d calls:\n%s", time.Since(start).Round(time.Millisecond), f.Engine, f.Calls, f.Scenario)
	ss, err := scenario.Parse(f.Scenario)
	if err != nil || len(ss) != 1 {
		t.Fatalf("the failure's scenario does not parse (%v):\n%s", err, f)
	}
	if n := len(ss[0].Steps); n > 10 || n != f.Calls {
		t.Errorf("counterexample of %d steps (Calls %d), want at most 10:\n%s", n, f.Calls, f.Scenario)
	}
	if f.Check == "" || f.Err == nil || !strings.Contains(f.Error(), f.Scenario) {
		t.Errorf("incomplete failure: %+v", f)
	}
	return ss[0]
}

// stepFactory is f as the plumbing's factory, to replay a scenario.
func stepFactory(f properties.Factory) unordered.Factory {
	return func(c, n int) (unordered.Buffer, error) { return f(c, n) }
}
