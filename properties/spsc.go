package properties

import (
	"fmt"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/model"
	"pgregory.net/rapid"
)

// CheckSPSC checks single-producer single-consumer buffers from newSPSC
// against the contract of docs/SPEC.md section 7, in two ways. First, one
// goroutine holding both halves: every sequential history, mixing the
// producer's and the consumer's calls (a pop between Reserve and Commit,
// a push inside consume, pops inside fill), must answer exactly as
// model.SPSC does, with the same bytes, counters (both halves' Len, Used)
// and, if the producer has `Check() error`, its invariants after every
// step; both engines, after the regression corpus. Second, concurrent:
// two goroutines, one per half, record histories of calls that must be
// linearizable against the same model (checked with porcupine, each
// history within a time bound). Then it checks that pushing and popping
// allocate nothing.
func CheckSPSC(t testing.TB, newSPSC SPSCFactory, opts ...Option) {
	t.Helper()
	r := newRun(t, "CheckSPSC", opts)
	f := func(c, n int) (spsc.Producer, spsc.Consumer, error) { return newSPSC(c, n) }
	var feat lockstep.Features
	for _, o := range r.cfg.stepOptions() {
		o(&feat)
	}
	r.engine("constructor", func() *Failure {
		return checkLimits(r, true, func(c, n int) error { _, _, err := newSPSC(c, n); return err })
	})
	r.engine("corpus", func() *Failure { return replayCorpus(r, corpusSPSC, f, feat) })
	r.engine("rapid", func() *Failure { return checkSPSCRapid(r, f) })
	r.engine("gopter", func() *Failure { return checkSPSCGopter(r, f) })
	r.engine("concurrent", func() *Failure { return checkSPSCConcurrent(r, f) })
	r.engine("allocs", func() *Failure { return checkSPSCAllocs(f) })
}

// spscGen draws the calls of both halves from the model's state.
type spscGen struct {
	m     *model.SPSC
	mtu   int
	limit int  // the largest maxSize to draw (MaxPacket)
	batch bool // the halves have batched publication (spsc.BatchProducer, spsc.BatchConsumer)
}

// hasBatch reports whether the halves newSPSC builds have batched
// publication (docs/SPEC.md section 7.5); only then are its calls drawn.
func hasBatch(newSPSC spsc.Factory) bool {
	p, c, err := newSPSC(1, 1)
	_, bp := p.(spsc.BatchProducer)
	_, bc := c.(spsc.BatchConsumer)
	return err == nil && bp && bc
}

// drawOp draws the next call. With a reservation or a peek open it mostly
// ends it, but often lets the other half work first: that is where an
// SPSC buffer differs from one owned by one goroutine.
func (g *spscGen) drawOp(s source) spsc.Op {
	m := g.m
	if n, ok := m.Reserving(); ok && pick(s, "end reservation", 5, 3, 1) != 1 {
		return g.drawCommit(s, n)
	}
	if m.Peeking() && pick(s, "end peek", 5, 3, 1) != 1 {
		if g.batch && s.intn(0, 2, "deferred") == 0 {
			return spsc.Op{Kind: spsc.ReleaseDeferred}
		}
		return spsc.Op{Kind: spsc.Release}
	}
	if g.batch && s.intn(0, 9, "flush") == 0 {
		return spsc.Op{Kind: []spsc.Kind{spsc.PFlush, spsc.CFlush}[s.intn(0, 1, "flush half")]}
	}
	full := 10 + 80*max(m.Len()*m.C, m.Used()*m.Slots)/(m.C*m.Slots)
	switch pick(s, "kind", 12, 20, 8, full/2, full, full/2, 3, 3, 1, 1, 1, 1, 2) {
	case 0:
		return spsc.Op{Kind: spsc.Reserve, MaxSize: g.drawMaxSize(s), Seed: g.seed(s)}
	case 1:
		return g.drawPushWith(s)
	case 2:
		return spsc.Op{Kind: spsc.Push, MaxSize: max(g.drawMaxSize(s), 0), Seed: g.seed(s)}
	case 3:
		return spsc.Op{Kind: spsc.Peek}
	case 4:
		op := spsc.Op{Kind: spsc.PopWith, Seed: g.seed(s)}
		g.drawCallback(s, &op)
		return op
	case 5:
		return spsc.Op{Kind: spsc.Pop, DstLen: g.drawDst(s)}
	case 6:
		return spsc.Op{Kind: spsc.WaitRoom, MaxSize: g.drawMaxSize(s)}
	case 7:
		return spsc.Op{Kind: spsc.WaitData}
	case 8:
		return spsc.Op{Kind: []spsc.Kind{spsc.Used, spsc.PLen, spsc.CLen}[s.intn(0, 2, "counter")]}
	case 9:
		if s.intn(0, 3, "close") == 0 {
			return spsc.Op{Kind: spsc.Close}
		}
	case 10, 11: // an ending call with nothing of its kind open: ErrInvalidState
		return spsc.Op{Kind: []spsc.Kind{spsc.Commit, spsc.Abort, spsc.Release}[s.intn(0, 2, "stray end")]}
	}
	return g.drawTypical(s)
}

func (g *spscGen) seed(s source) byte { return byte(s.intn(0, 255, "seed")) }

func (g *spscGen) drawCommit(s source, n int) spsc.Op {
	switch pick(s, "end", 8, 2, 1) {
	case 1:
		return spsc.Op{Kind: spsc.Abort}
	case 2:
		return g.deferred(s, spsc.Op{Kind: spsc.Commit, N: []int{-1, n + 1}[s.intn(0, 1, "bad n")]})
	}
	return g.deferred(s, spsc.Op{Kind: spsc.Commit, N: drawN(s, n)})
}

// deferred makes a commit a CommitDeferred half the time, if the buffer
// has batched publication.
func (g *spscGen) deferred(s source, op spsc.Op) spsc.Op {
	if g.batch && s.intn(0, 1, "deferred") == 0 {
		op.Kind = spsc.CommitDeferred
	}
	return op
}

// drawTypical draws a PushWith of the typical size whose fill succeeds.
func (g *spscGen) drawTypical(s source) spsc.Op {
	return spsc.Op{Kind: spsc.PushWith, MaxSize: g.mtu, N: drawN(s, g.mtu), Seed: g.seed(s)}
}

// drawMaxSize draws from the cases the geometry distinguishes, the empty
// buffer's restart at 0 among them (tail window + 1 on an empty buffer).
func (g *spscGen) drawMaxSize(s source) int {
	return min(g.drawAnySize(s), g.limit)
}

func (g *spscGen) drawAnySize(s source) int {
	c := g.m.C
	tail, head := g.m.Windows()
	switch s.intn(0, 13, "size kind") {
	case 0, 1:
		if tail < head {
			return s.intn(tail+1, head, "wrapping size")
		}
	case 2:
		return tail
	case 3:
		return head
	case 4, 5:
		return min(tail+1, c) // wraps, restarts an empty buffer at 0, or blocks
	case 6:
		return s.intn(0, c, "size")
	case 7:
		return 0
	case 8:
		return c
	case 9:
		return c + 1
	case 10:
		return -1
	}
	return g.mtu
}

func (g *spscGen) drawDst(s source) int {
	l := 0
	if v := g.m.Visible(); len(v) > 0 {
		l = len(v[0].Data)
	}
	switch s.intn(0, 3, "dst kind") {
	case 1:
		return l + 1
	case 2:
		if l > 0 {
			return l - 1
		}
	case 3:
		return g.m.C
	}
	return l
}

func (g *spscGen) drawPushWith(s source) spsc.Op {
	op := spsc.Op{Kind: spsc.PushWith, MaxSize: g.drawMaxSize(s), Seed: g.seed(s)}
	op.N = drawN(s, op.MaxSize)
	if s.intn(0, 9, "bad n") == 9 {
		op.N = []int{-1, max(op.MaxSize, 0) + 1}[s.intn(0, 1, "which bad n")]
	}
	g.drawCallback(s, &op)
	return op
}

// drawCallback draws what fill or consume does; a nested call goes to the
// same half (ErrBusy) or to the other one (it must work).
func (g *spscGen) drawCallback(s source, op *spsc.Op) {
	op.Callback = []lockstep.Callback{lockstep.CallOK, lockstep.CallErr, lockstep.CallPanic,
		lockstep.CallReenter, lockstep.CallOther, lockstep.CallNil}[pick(s, "callback", 20, 3, 2, 4, 6, 1)]
	if op.Callback != lockstep.CallReenter && op.Callback != lockstep.CallOther {
		return
	}
	producer := op.Kind.Producer() == (op.Callback == lockstep.CallReenter)
	lo, hi := spsc.Reserve, spsc.PLen
	if !producer {
		lo, hi = spsc.Peek, spsc.CLen
	}
	op.Reenter = lo + spsc.Kind(s.intn(0, int(hi-lo), "nested kind"))
	op.ReSize = min([]int{1, 0, -1, g.mtu, g.m.C, g.m.C + 1}[s.intn(0, 5, "nested size")], g.limit)
}

// spscStream runs the producer ahead of the consumer by lag packets for
// a few laps of the storage, then lets it drain and pushes on from where
// the buffer emptied: the steady state, and the restart at 0.
func (g *spscGen) stream(s source, apply func(spsc.Op)) {
	lag := s.intn(1, max(1, g.m.Slots), "lag")
	laps := 3 * g.m.C / max(g.mtu, 1)
	for range s.intn(1, min(max(laps, 8), 100), "rounds") {
		op := g.drawTypical(s)
		if s.intn(0, 3, "any op") == 0 {
			op = g.drawOp(s)
		}
		apply(op)
		for len(g.m.Visible()) >= lag && !g.m.Peeking() {
			if _, ok := g.m.Reserving(); ok && s.intn(0, 1, "pop while reserved") == 0 {
				break
			}
			apply(spsc.Op{Kind: spsc.Pop, DstLen: g.m.C})
		}
	}
}

// spscStats counts what a run exercised.
type spscStats struct {
	Steps, Pushes, Pops, Wraps, Restarts, Interleaved, Cross, Busy, WouldBlock, Empty, Closed, Panics int
}

func (st *spscStats) observe(m *model.SPSC) func(op spsc.Op, r spsc.Result, restarted, wrapped bool) {
	return func(op spsc.Op, r spsc.Result, restarted, wrapped bool) {
		st.Steps++
		ok := r.Err == "" && r.Panic == ""
		switch op.Kind {
		case spsc.Commit, spsc.PushWith, spsc.Push:
			st.Pushes += b2i(ok)
		case spsc.Release, spsc.PopWith, spsc.Pop:
			st.Pops += b2i(ok)
			_, reserving := m.Reserving()
			st.Interleaved += b2i(ok && reserving)
		}
		st.Wraps += b2i(wrapped)
		st.Restarts += b2i(restarted)
		st.Cross += b2i(op.Callback == lockstep.CallOther && r.Called)
		st.Busy += b2i(r.Nested == "ErrBusy")
		st.Panics += b2i(r.Panic != "")
		switch r.Err {
		case "ErrWouldBlock":
			st.WouldBlock++
		case "ErrEmpty":
			st.Empty++
		case "ErrClosed":
			st.Closed++
		}
	}
}

func (st *spscStats) add(o spscStats) {
	st.Steps += o.Steps
	st.Pushes += o.Pushes
	st.Pops += o.Pops
	st.Wraps += o.Wraps
	st.Restarts += o.Restarts
	st.Interleaved += o.Interleaved
	st.Cross += o.Cross
	st.Busy += o.Busy
	st.WouldBlock += o.WouldBlock
	st.Empty += o.Empty
	st.Closed += o.Closed
	st.Panics += o.Panics
}

func (st spscStats) String() string {
	return fmt.Sprintf("steps=%d pushes=%d pops=%d wraps=%d empty-restarts=%d pops-while-reserved=%d cross-half-callbacks=%d ErrBusy=%d ErrWouldBlock=%d ErrEmpty=%d ErrClosed=%d panics=%d",
		st.Steps, st.Pushes, st.Pops, st.Wraps, st.Restarts, st.Interleaved, st.Cross, st.Busy, st.WouldBlock, st.Empty, st.Closed, st.Panics)
}

// spscTinyConfig draws a tiny configuration, or (one time in ten)
// invalid constructor arguments, which both sides must refuse.
func spscTinyConfig(s source, o *config) (c, slots, mtu int) {
	kind := s.intn(0, 9, "config")
	c, slots = s.intn(1, min(64, o.capLimit()), "capacity"), s.intn(1, min(8, o.slotLimit()), "slots")
	mtu = s.intn(1, min(c, o.packetLimit()), "mtu")
	bad := []int{0, -1, o.beyondModel()}
	if kind == 9 {
		c, slots = bad[s.intn(0, 2, "bad capacity")], bad[s.intn(0, 2, "bad slots")]
	}
	return c, slots, mtu
}

// spscShrinkTime bounds rapid's shrinking of an SPSC case, shorter than
// shrinkTime: a failure that needs a rare call (Close, a nested call of
// the other half) can keep rapid's shrinker busy for its whole budget
// with little progress, and the report re-shrinks the case anyway
// (spsc.Shrink, no clock).
const spscShrinkTime = 2 * time.Second

func checkSPSCRapid(r *run, newSPSC spsc.Factory) *Failure {
	var last failure[spsc.Op]
	var total spscStats
	batch := hasBatch(newSPSC)
	failed, replay := runRapid(r, 1000, spscShrinkTime, func(rt *rapid.T) {
		src := rapidSource{rt}
		c, slots, mtu := spscTinyConfig(src, &r.cfg)
		rec := &recorder[spsc.Op]{of: spscCase(newSPSC, c, slots), last: &last}
		pair, err := spsc.NewPair(newSPSC, spsc.Config{Capacity: c, MaxPackets: slots})
		if err != nil {
			rec.fail(rt, err)
		}
		if pair == nil {
			return
		}
		var stats spscStats
		defer func() { total.add(stats) }()
		pair.Observe = stats.observe(pair.Model)
		g := &spscGen{m: pair.Model, mtu: mtu, limit: r.cfg.packetLimit(), batch: batch}
		apply := func(op spsc.Op) {
			rec.apply(rt, op, func(op spsc.Op) error { _, err := pair.Apply(op); return err })
		}
		rt.Repeat(map[string]func(*rapid.T){
			"": func(rt *rapid.T) {
				if err := pair.Counters(); err != nil {
					rec.fail(rt, err)
				}
			},
			"Op":     func(rt *rapid.T) { apply(g.drawOp(rapidSource{rt})) },
			"Op2":    func(rt *rapid.T) { apply(g.drawOp(rapidSource{rt})) },
			"Stream": func(rt *rapid.T) { g.stream(rapidSource{rt}, apply) },
		})
		if err := pair.Drain(func(op spsc.Op) error { apply(op); return nil }); err != nil {
			rec.fail(rt, err)
		}
	})
	if failed {
		return last.value("rapid", replay)
	}
	r.stats("rapid", total)
	return nil
}

// spscState is the gopter state: the configuration and the model after
// the commands so far (a fresh copy per step: states are never changed).
type spscState struct {
	c, slots, mtu int
	m             *model.SPSC
}

func (s spscState) next(op spsc.Op) spscState {
	m := s.m.Clone()
	spsc.NewRunner(spsc.Halves{P: m.Producer(), C: m.Consumer()}).Run(op)
	s.m = m
	return s
}

func checkSPSCGopter(r *run, newSPSC spsc.Factory) *Failure {
	seed := gopterSeed()
	var last failure[spsc.Op]
	var stats spscStats
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = 600 * scale()
	params.MinSize, params.MaxSize = 10, 120
	params.MaxShrinkCount = 1000
	props := gopter.NewProperties(params)
	o := &r.cfg
	batch := hasBatch(newSPSC)
	props.Property("spsc", commands.Prop(&commands.ProtoCommands{
		DestroySystemUnderTestFunc: endSUT[spsc.Op],
		NewSystemUnderTestFunc: func(initial commands.State) commands.SystemUnderTest {
			st := initial.(spscState)
			s := &sut[spsc.Op]{rec: &recorder[spsc.Op]{of: spscCase(newSPSC, st.c, st.slots), last: &last}}
			pair, err := spsc.NewPair(newSPSC, spsc.Config{Capacity: st.c, MaxPackets: st.slots})
			if err == nil && pair == nil {
				err = fmt.Errorf("spsc %d %d: both sides refuse a generated configuration", st.c, st.slots)
			}
			if err != nil {
				s.fail(err)
				return s
			}
			pair.Observe = stats.observe(pair.Model)
			s.apply = func(op spsc.Op) error { _, err := pair.Apply(op); return err }
			s.end = pair.End
			return s
		},
		InitialStateGen: func(params *gopter.GenParameters) *gopter.GenResult {
			r := params.Rng
			c := 1 + r.Intn(min(64, o.capLimit()))
			st := spscState{c: c, slots: 1 + r.Intn(min(8, o.slotLimit())), mtu: 1 + r.Intn(min(c, o.packetLimit()))}
			st.m, _ = model.NewSPSC(st.c, st.slots)
			return gopter.NewGenResult(st, gopter.NoShrinker)
		},
		GenCommandFunc: func(s commands.State) gopter.Gen {
			st := s.(spscState)
			return func(params *gopter.GenParameters) *gopter.GenResult {
				g := &spscGen{m: st.m, mtu: st.mtu, limit: o.packetLimit(), batch: batch}
				return gopter.NewGenResult(commands.Command(command[spsc.Op, spscState]{g.drawOp(rngSource{params.Rng})}), gopter.NoShrinker)
			}
		},
	}))
	ok := props.Run(reporterFunc(func(string, *gopter.TestResult) {}))
	if !ok {
		return last.value("gopter", fmt.Sprintf("%s=%d %s=%d", gopterSeedEnv, seed, scaleEnv, scale()))
	}
	r.stats("gopter", stats)
	return nil
}
