// Package properties is netbuf's verification suite as a library: stateful
// property tests that drive any implementation of the UnorderedBuffer
// contract side by side with the naive reference model (package model),
// with two independent engines (pgregory.net/rapid and
// github.com/leanovate/gopter), and compare them after every step.
//
// A fork, a port or a variant is checked with one line of test code:
//
//	func TestMyBuffer(t *testing.T) {
//		properties.CheckUnordered(t, func(c, n int) (properties.Buffer, error) {
//			return mybuf.New(c, n)
//		})
//	}
//
// By default only the contract is checked (docs/SPEC.md). netbuf's own
// additions are checked when the implementation has them: PushBatch and the
// two-phase API when its methods are there, Check() after every step when
// it has one, and nil callbacks answering ErrNilFunc with WithNilFuncs.
// Implementations return netbuf's sentinel errors (or errors wrapping them),
// and io.ErrShortBuffer from Pop.
package properties

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step"
)

// Buffer is the behaviour under test: the UnorderedBuffer methods of the
// contract.
type Buffer = step.Buffer

// Factory builds an empty buffer; it returns an error exactly where
// netbuf.NewUnorderedBuffer does.
type Factory = step.Factory

// Option turns on a check of one of netbuf's additions that no method
// shows.
type Option = step.Option

// WithNilFuncs checks that PushWith, PopWith (and PushBatch) answer
// ErrNilFunc to a nil callback, after the checks that come before it.
func WithNilFuncs() Option { return step.WithNilFuncs() }

// CheckUnordered runs every stateful property, with both engines, against
// buffers from newBuffer, comparing each step with the model: a buffer's
// answers, the bytes it hands out, its counters, and (if it has
// `Check() error`) its own invariants. A failure is reported once, shrunk,
// as a scenario ready to save in the regression corpus.
func CheckUnordered(t *testing.T, newBuffer Factory, opts ...Option) {
	t.Helper()
	probe, err := newBuffer(1, 1)
	if err != nil {
		t.Fatalf("the factory refuses New(1, 1): %v", err)
	}
	feat := step.Detect(probe, opts...)
	t.Logf("checking: the contract; nil callbacks %v, PushBatch %v, two-phase %v", feat.NilFuncs, feat.Batch, feat.TwoPhase)
	t.Run("rapid", func(t *testing.T) { checkRapid(t, newBuffer, feat) })
	t.Run("gopter", func(t *testing.T) { checkGopter(t, newBuffer, feat) })
}

// ScaleEnv names the environment variable that multiplies how many cases
// each engine runs: unset or 1 for `make test`, 10 or more for `make verify`.
const ScaleEnv = "NETBUF_PROPERTY_SCALE"

// scale returns the multiplier from ScaleEnv (at least 1).
func scale() int {
	if n, err := strconv.Atoi(os.Getenv(ScaleEnv)); err == nil && n > 1 {
		return n
	}
	return 1
}

// logStats logs what an engine exercised in one line that `make verify`
// collects: "STATS test=<top-level test> engine=<name> steps=... wraps=...".
func logStats(t *testing.T, engine string, s Stats) {
	t.Helper()
	t.Logf("STATS test=%s engine=%s %s", testName(t), engine, s)
}

// testName is the top-level test's name, which says which buffer a STATS
// line is about.
func testName(t *testing.T) string {
	name, _, _ := strings.Cut(t.Name(), "/")
	return name
}
