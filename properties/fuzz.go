package properties

import (
	"testing"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// FuzzUnordered is CheckUnordered as a fuzz target.
func FuzzUnordered(f *testing.F, newBuffer Factory, opts ...Option) {
	f.Helper()
	r := newRun(f, "FuzzUnordered", opts)
	sf := func(c, n int) (unordered.Buffer, error) { return newBuffer(c, n) }
	probe, err := newBuffer(1, 1)
	if err != nil || probe == nil {
		f.Fatalf("New(1, 1) = %v, %v: want a buffer", probe, err)
	}
	feat := unordered.Detect(probe, r.cfg.stepOptions()...)
	seed(f, r, func(ss []scenario.Scenario) {
		for _, p := range fuzzcodec.Programs(ss) {
			addEncoded(f, fuzzcodec.Encode, p)
		}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.Decode(data)
		if err != nil {
			return
		}
		ops := keep(p.Ops, func(op unordered.Op) bool { return feat.Covers(op.Needs()) })
		c := unorderedCase(sf, p.Cap, p.Slots)
		if err := c.check(ops); err != nil {
			fuzzFail(t, r, failure[unordered.Op]{of: c, ops: ops, err: err})
		}
	})
}

// FuzzFIFO is CheckFIFO as a fuzz target: the pushes and pops of
// FuzzUnordered's inputs, checked by CheckFIFO's rules.
func FuzzFIFO(f *testing.F, newFIFO FIFOFactory, opts ...Option) {
	f.Helper()
	r := newRun(f, "FuzzFIFO", opts)
	seed(f, r, func(ss []scenario.Scenario) {
		for _, p := range fuzzcodec.Programs(ss) {
			addEncoded(f, fuzzcodec.Encode, p)
		}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.Decode(data)
		if err != nil || p.Cap < 1 || p.Slots < 1 || p.Cap > r.cfg.capLimit() || p.Slots > r.cfg.slotLimit() {
			return
		}
		ops := keep(p.Ops, func(op unordered.Op) bool { return fifoCall(&r.cfg, op, p.Cap) })
		c := fifoCase(&r.cfg, newFIFO, p.Cap, p.Slots)
		if err := c.check(ops); err != nil {
			fuzzFail(t, r, failure[unordered.Op]{of: c, ops: ops, err: err})
		}
	})
}

// fifoCall reports whether op is a call CheckFIFO makes: a push of a size
// an empty buffer must take, a pop, or a callback form whose callback
// succeeds, fails or panics (or calls back in, with DetectsReentry).
func fifoCall(cfg *config, op unordered.Op, c int) bool {
	size := op.MaxSize >= 0 && op.MaxSize <= cfg.fifoAccepts(c)
	switch op.Kind {
	case unordered.Push:
		return size
	case unordered.Pop:
		return op.DstLen >= 0 && op.Spare >= 0
	case unordered.PushWith:
		return size && fifoCallback(cfg, op.Fill)
	case unordered.PopWith:
		return fifoCallback(cfg, op.Consume)
	}
	return false
}

func fifoCallback(cfg *config, cb lockstep.Callback) bool {
	return cb == lockstep.CallOK || cb == lockstep.CallErr || cb == lockstep.CallPanic || (cb == lockstep.CallReenter && cfg.reentry)
}

// FuzzOrdered is CheckOrdered as a fuzz target.
func FuzzOrdered(f *testing.F, newBuffer OrderedFactory, opts ...Option) {
	f.Helper()
	r := newRun(f, "FuzzOrdered", opts)
	sf := func(c ordered.Config) (ordered.Buffer, error) { return newBuffer(OrderedConfig(c)) }
	seed(f, r, func(ss []scenario.Scenario) {
		for _, p := range fuzzcodec.OrderedPrograms(ss) {
			addEncoded(f, fuzzcodec.EncodeOrdered, p)
		}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.DecodeOrdered(data)
		if err != nil {
			return
		}
		ops := keep(p.Ops, func(op ordered.Op) bool {
			return r.cfg.nilFuncs || (op.Fill != lockstep.CallNil && op.Consume != lockstep.CallNil)
		})
		c := orderedCase(sf, p.Config)
		if err := c.check(ops); err != nil {
			fuzzFail(t, r, failure[ordered.Op]{of: c, ops: ops, err: err})
		}
	})
}

// FuzzSPSC is CheckSPSC's sequential check as a fuzz target: both halves
// on one goroutine.
func FuzzSPSC(f *testing.F, newSPSC SPSCFactory, opts ...Option) {
	f.Helper()
	r := newRun(f, "FuzzSPSC", opts)
	sf := func(c, n int) (spsc.Producer, spsc.Consumer, error) { return newSPSC(c, n) }
	seed(f, r, func(ss []scenario.Scenario) {
		for _, p := range fuzzcodec.SPSCPrograms(ss) {
			addEncoded(f, fuzzcodec.EncodeSPSC, p)
		}
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := fuzzcodec.DecodeSPSC(data)
		if err != nil {
			return
		}
		ops := keep(p.Ops, func(op spsc.Op) bool { return r.cfg.nilFuncs || op.Callback != lockstep.CallNil })
		c := spscCase(sf, p.Cap, p.Slots)
		if err := c.check(ops); err != nil {
			fuzzFail(t, r, failure[spsc.Op]{of: c, ops: ops, err: err})
		}
	})
}

// seed adds the corpus's scenarios, through add, as seeds of f.
func seed(f *testing.F, r *run, add func([]scenario.Scenario)) {
	files, err := corpusFiles(r)
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		add(file.scenarios)
	}
}

func addEncoded[P any](f *testing.F, encode func(P) ([]byte, error), p P) {
	if data, err := encode(p); err == nil {
		f.Add(data)
	}
}

// keep returns the ops that ok keeps.
func keep[Op any](ops []Op, ok func(Op) bool) []Op {
	var out []Op
	for _, op := range ops {
		if ok(op) {
			out = append(out, op)
		}
	}
	return out
}

// fuzzFail reports a failing input as its check would, shrunk.
func fuzzFail[Op any](t *testing.T, r *run, f failure[Op]) {
	t.Helper()
	v := f.value("fuzz", "go test -run with the failing input")
	v.Check = r.check
	if r.cfg.onFailure != nil {
		r.cfg.onFailure(v)
		return
	}
	t.Error(v.Error())
}
