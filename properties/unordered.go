package properties

import (
	"fmt"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// CheckUnordered checks buffers from newBuffer against the contract of an
// UnorderedBuffer as docs/SPEC.md states it, its storage geometry
// included: where every packet goes and when a push is refused. It
// replays the regression corpus, then runs two stateful property engines
// (rapid and gopter) that drive a buffer and the reference model
// (package model) in lockstep and compare every answer, byte and counter
// after every step, then checks that pushing and popping allocate
// nothing. PushBatch, the two-phase API and Check() error are checked
// when the buffer has them; nil callbacks with WithNilFuncs. For a buffer
// with another layout, use CheckFIFO.
func CheckUnordered(t testing.TB, newBuffer Factory, opts ...Option) {
	t.Helper()
	r := newRun(t, "CheckUnordered", opts)
	f := func(c, n int) (unordered.Buffer, error) { return newBuffer(c, n) }
	probe, err := newBuffer(1, 1)
	if err != nil || probe == nil {
		r.fail(&Failure{Engine: "constructor", Err: fmt.Errorf("New(1, 1) = %v, %v: want a buffer", probe, err)})
		return
	}
	feat := unordered.Detect(probe, r.cfg.stepOptions()...)
	r.logf("checking the contract with its geometry; nil callbacks %v, PushBatch %v, two-phase %v", feat.NilFuncs, feat.Batch, feat.TwoPhase)
	r.engine("constructor", func() *Failure {
		return checkLimits(r, true, func(c, n int) error { _, err := newBuffer(c, n); return err })
	})
	r.engine("corpus", func() *Failure { return replayCorpus(r, corpusUnordered, f, feat) })
	r.engine("rapid", func() *Failure { return checkRapid(r, f, feat) })
	r.engine("gopter", func() *Failure { return checkGopter(r, f, feat) })
	r.engine("allocs", func() *Failure { return checkUnorderedAllocs(f, feat) })
}

// stepOptions are the features that only options show.
func (c *config) stepOptions() []lockstep.Option {
	if c.nilFuncs {
		return []lockstep.Option{lockstep.WithNilFuncs()}
	}
	return nil
}
