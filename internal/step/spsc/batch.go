package spsc

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrNoBatch is what a batch kind answers on a half that does not have
// batched publication (BatchProducer, BatchConsumer).
var ErrNoBatch = errors.New("step: the half has no batched publication")

// runBatch applies a batch kind: CommitDeferred, the two Flushes, and
// ReleaseDeferred, which checks the peeked bytes as Release does.
func (x *Runner) runBatch(op Op, r *Result) error {
	bp, pok := x.H.P.(BatchProducer)
	bc, cok := x.H.C.(BatchConsumer)
	switch {
	case op.Kind.Producer() && !pok, !op.Kind.Producer() && !cok:
		return ErrNoBatch
	}
	switch op.Kind {
	case CommitDeferred:
		return bp.CommitDeferred(op.N)
	case PFlush:
		return bp.Flush()
	case ReleaseDeferred:
		peek, seen := x.peek, x.seen
		x.yield()
		intact := bytes.Equal(peek, seen)
		err := bc.ReleaseDeferred()
		if err == nil {
			r.Intact = intact
			x.peek, x.seen = nil, nil
		}
		return err
	case CFlush:
		return bc.Flush()
	}
	return fmt.Errorf("unknown operation %s", op.Kind)
}
