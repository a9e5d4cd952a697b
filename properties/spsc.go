package properties

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/netbuf-go/netbuf/internal/spsccheck"
	"github.com/netbuf-go/netbuf/model"
	"pgregory.net/rapid"
)

// SPSCProducer and SPSCConsumer are the halves under test of a
// single-producer single-consumer buffer (netbuf.Producer's and
// netbuf.Consumer's methods).
type (
	SPSCProducer = spsccheck.Producer
	SPSCConsumer = spsccheck.Consumer
)

// SPSCFactory builds both halves of an empty buffer; it returns an error
// exactly where netbuf.NewSPSC does.
type SPSCFactory = spsccheck.Factory

// CheckSPSC runs the stateful properties of an SPSC buffer (docs/SPEC.md,
// section 7), with both engines, against buffers from newSPSC, one
// goroutine holding both halves: every sequential history, mixing the
// producer's and the consumer's calls (a pop between Reserve and Commit, a
// push inside consume, pops inside fill), must answer exactly as
// model.SPSC does, with the same bytes, counters (both halves' Len, Used)
// and, if the producer has `Check() error`, its invariants after every
// step. Tiny buffers (1 to 64 bytes, 1 to 8 slots) wrap, pad and restart
// an empty buffer at 0 every few pushes. Concurrent histories are checked
// elsewhere (internal/spsccheck's porcupine check, netbuf's race stress).
func CheckSPSC(t *testing.T, newSPSC SPSCFactory) {
	t.Helper()
	t.Run("rapid", func(t *testing.T) { checkSPSCRapid(t, newSPSC) })
	t.Run("gopter", func(t *testing.T) { checkSPSCGopter(t, newSPSC) })
}

// spscGen draws the calls of both halves from the model's state.
type spscGen struct {
	m   *model.SPSC
	mtu int
}

// drawOp draws the next call. With a reservation or a peek open it mostly
// ends it, but often lets the other half work first: that is where an
// SPSC buffer differs from one owned by one goroutine.
func (g *spscGen) drawOp(s source) spsccheck.Op {
	m := g.m
	if n, ok := m.Reserving(); ok && pick(s, "end reservation", 5, 3, 1) != 1 {
		return g.drawCommit(s, n)
	}
	if m.Peeking() && pick(s, "end peek", 5, 3, 1) != 1 {
		return spsccheck.Op{Kind: spsccheck.Release}
	}
	full := 10 + 80*max(m.Len()*m.C, m.Used()*m.Slots)/(m.C*m.Slots)
	switch pick(s, "kind", 12, 20, 8, full/2, full, full/2, 3, 3, 1, 1, 1, 1, 2) {
	case 0:
		return spsccheck.Op{Kind: spsccheck.Reserve, MaxSize: g.drawMaxSize(s), Seed: g.seed(s)}
	case 1:
		return g.drawPushWith(s)
	case 2:
		return spsccheck.Op{Kind: spsccheck.Push, MaxSize: max(g.drawMaxSize(s), 0), Seed: g.seed(s)}
	case 3:
		return spsccheck.Op{Kind: spsccheck.Peek}
	case 4:
		op := spsccheck.Op{Kind: spsccheck.PopWith, Seed: g.seed(s)}
		g.drawCallback(s, &op)
		return op
	case 5:
		return spsccheck.Op{Kind: spsccheck.Pop, DstLen: g.drawDst(s)}
	case 6:
		return spsccheck.Op{Kind: spsccheck.WaitRoom, MaxSize: g.drawMaxSize(s)}
	case 7:
		return spsccheck.Op{Kind: spsccheck.WaitData}
	case 8:
		return spsccheck.Op{Kind: []spsccheck.Kind{spsccheck.Used, spsccheck.PLen, spsccheck.CLen}[s.intn(0, 2, "counter")]}
	case 9:
		if s.intn(0, 3, "close") == 0 {
			return spsccheck.Op{Kind: spsccheck.Close}
		}
	case 10, 11: // an ending call with nothing of its kind open: ErrInvalidState
		return spsccheck.Op{Kind: []spsccheck.Kind{spsccheck.Commit, spsccheck.Abort, spsccheck.Release}[s.intn(0, 2, "stray end")]}
	}
	return g.drawTypical(s)
}

func (g *spscGen) seed(s source) byte { return byte(s.intn(0, 255, "seed")) }

func (g *spscGen) drawCommit(s source, n int) spsccheck.Op {
	switch pick(s, "end", 8, 2, 1) {
	case 1:
		return spsccheck.Op{Kind: spsccheck.Abort}
	case 2:
		return spsccheck.Op{Kind: spsccheck.Commit, N: []int{-1, n + 1}[s.intn(0, 1, "bad n")]}
	}
	return spsccheck.Op{Kind: spsccheck.Commit, N: drawN(s, n)}
}

// drawTypical draws a PushWith of the typical size whose fill succeeds.
func (g *spscGen) drawTypical(s source) spsccheck.Op {
	return spsccheck.Op{Kind: spsccheck.PushWith, MaxSize: g.mtu, N: drawN(s, g.mtu), Seed: g.seed(s)}
}

// drawMaxSize draws from the cases the geometry distinguishes, the empty
// buffer's restart at 0 among them (tail window + 1 on an empty buffer).
func (g *spscGen) drawMaxSize(s source) int {
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
	if g.m.Len() > 0 {
		l = len(g.m.Packets[0].Data)
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

func (g *spscGen) drawPushWith(s source) spsccheck.Op {
	op := spsccheck.Op{Kind: spsccheck.PushWith, MaxSize: g.drawMaxSize(s), Seed: g.seed(s)}
	op.N = drawN(s, op.MaxSize)
	if s.intn(0, 9, "bad n") == 9 {
		op.N = []int{-1, max(op.MaxSize, 0) + 1}[s.intn(0, 1, "which bad n")]
	}
	g.drawCallback(s, &op)
	return op
}

// drawCallback draws what fill or consume does; a nested call goes to the
// same half (ErrBusy) or to the other one (it must work).
func (g *spscGen) drawCallback(s source, op *spsccheck.Op) {
	op.Callback = []spsccheck.Callback{spsccheck.CallOK, spsccheck.CallErr, spsccheck.CallPanic,
		spsccheck.CallReenter, spsccheck.CallCross, spsccheck.CallNil}[pick(s, "callback", 20, 3, 2, 4, 6, 1)]
	if op.Callback != spsccheck.CallReenter && op.Callback != spsccheck.CallCross {
		return
	}
	producer := op.Kind.Producer() == (op.Callback == spsccheck.CallReenter)
	lo, hi := spsccheck.Reserve, spsccheck.PLen
	if !producer {
		lo, hi = spsccheck.Peek, spsccheck.CLen
	}
	op.Nested = lo + spsccheck.Kind(s.intn(0, int(hi-lo), "nested kind"))
	op.ReSize = []int{1, 0, -1, g.mtu, g.m.C, g.m.C + 1}[s.intn(0, 5, "nested size")]
}

// spscStream runs the producer ahead of the consumer by lag packets for
// a few laps of the storage, then lets it drain and pushes on from where
// the buffer emptied: the steady state, and the restart at 0.
func (g *spscGen) stream(s source, apply func(spsccheck.Op)) {
	lag := s.intn(1, max(1, g.m.Slots), "lag")
	laps := 3 * g.m.C / max(g.mtu, 1)
	for range s.intn(1, min(max(laps, 8), 100), "rounds") {
		op := g.drawTypical(s)
		if s.intn(0, 3, "any op") == 0 {
			op = g.drawOp(s)
		}
		apply(op)
		for g.m.Len() >= lag && !g.m.Peeking() {
			if _, ok := g.m.Reserving(); ok && s.intn(0, 1, "pop while reserved") == 0 {
				break
			}
			apply(spsccheck.Op{Kind: spsccheck.Pop, DstLen: g.m.C})
		}
	}
}

// spscFailure is one failing case.
type spscFailure struct {
	c, slots int
	ops      []spsccheck.Op
	err      error
}

// report renders the case as the calls in order, each with the model's
// answer, then what differed.
func (f spscFailure) report() string {
	if f.err == nil {
		return "(no failing case was recorded)"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%v\nshrunk to %d calls; with the model's answers:\nnew %d %d\n", f.err, len(f.ops), f.c, f.slots)
	m, err := model.NewSPSC(f.c, f.slots)
	if err != nil {
		return b.String() + "(the model refuses the configuration)"
	}
	x := spsccheck.NewRunner(spsccheck.Halves{P: m.Producer(), C: m.Consumer()})
	for _, op := range f.ops {
		half := "C"
		if op.Kind.Producer() {
			half = "P"
		}
		r := x.Run(op)
		fmt.Fprintf(&b, "%s %s -> %s\n    %s\n", half, op, r, spsccheck.Describe(m))
	}
	return b.String()
}

type spscRecorder struct {
	c, slots int
	ops      []spsccheck.Op
	last     *spscFailure
}

func (r *spscRecorder) fail(t interface{ Fatalf(string, ...any) }, err error) {
	*r.last = spscFailure{c: r.c, slots: r.slots, ops: slices.Clone(r.ops), err: err}
	t.Fatalf("%s", firstLine(err.Error()))
}

// SPSCStats counts what a run exercised.
type SPSCStats struct {
	Steps, Pushes, Pops, Wraps, Restarts, Interleaved, Cross, Busy, WouldBlock, Empty, Closed, Panics int
}

func (st *SPSCStats) observe(m *model.SPSC) func(op spsccheck.Op, r spsccheck.Result, restarted, wrapped bool) {
	return func(op spsccheck.Op, r spsccheck.Result, restarted, wrapped bool) {
		st.Steps++
		ok := r.Err == "" && r.Panic == ""
		switch op.Kind {
		case spsccheck.Commit, spsccheck.PushWith, spsccheck.Push:
			st.Pushes += b2i(ok)
		case spsccheck.Release, spsccheck.PopWith, spsccheck.Pop:
			st.Pops += b2i(ok)
			_, reserving := m.Reserving()
			st.Interleaved += b2i(ok && reserving)
		}
		st.Wraps += b2i(wrapped)
		st.Restarts += b2i(restarted)
		st.Cross += b2i(op.Callback == spsccheck.CallCross && r.Called)
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

func (st *SPSCStats) add(o SPSCStats) {
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

func (st SPSCStats) String() string {
	return fmt.Sprintf("steps=%d pushes=%d pops=%d wraps=%d empty-restarts=%d pops-while-reserved=%d cross-half-callbacks=%d ErrBusy=%d ErrWouldBlock=%d ErrEmpty=%d ErrClosed=%d panics=%d",
		st.Steps, st.Pushes, st.Pops, st.Wraps, st.Restarts, st.Interleaved, st.Cross, st.Busy, st.WouldBlock, st.Empty, st.Closed, st.Panics)
}

// spscTinyConfig draws a tiny configuration, or (one time in ten)
// invalid constructor arguments, which both sides must refuse.
func spscTinyConfig(s source) (c, slots, mtu int) {
	kind := s.intn(0, 9, "config")
	c, slots = s.intn(1, 64, "capacity"), s.intn(1, 8, "slots")
	mtu = s.intn(1, c, "mtu")
	bad := []int{0, -1, beyondLimit}
	if kind == 9 {
		c, slots = bad[s.intn(0, 2, "bad capacity")], bad[s.intn(0, 2, "bad slots")]
	}
	return c, slots, mtu
}

func checkSPSCRapid(t *testing.T, newSPSC SPSCFactory) {
	defer setRapidFlag("rapid.checks", strconv.Itoa(1000*scale()))()
	defer setRapidFlag("rapid.shrinktime", shrinkTime.String())()
	var last spscFailure
	var total SPSCStats
	q := &quietTB{TB: t}
	rapid.Check(q, func(rt *rapid.T) {
		src := rapidSource{rt}
		c, slots, mtu := spscTinyConfig(src)
		rec := &spscRecorder{c: c, slots: slots, last: &last}
		pair, err := spsccheck.NewPair(newSPSC, c, slots)
		if err != nil {
			rec.fail(rt, err)
		}
		if pair == nil {
			return
		}
		var stats SPSCStats
		defer func() { total.add(stats) }()
		pair.Observe = stats.observe(pair.Model)
		g := &spscGen{m: pair.Model, mtu: mtu}
		apply := func(op spsccheck.Op) {
			rec.ops = append(rec.ops, op)
			if _, err := pair.Apply(op); err != nil {
				rec.fail(rt, err)
			}
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
		if err := pair.Drain(func(op spsccheck.Op) error { apply(op); return nil }); err != nil {
			rec.fail(rt, err)
		}
	})
	t.Logf("STATS test=%s engine=rapid %s", testName(t), total)
	if q.failed {
		t.Errorf("rapid: %s\n%s", q.replay(), last.report())
	}
}

// spscState is the gopter state: the configuration and the model after
// the commands so far (a fresh copy per step: states are never changed).
type spscState struct {
	c, slots, mtu int
	m             *model.SPSC
}

func (s spscState) next(op spsccheck.Op) spscState {
	m := s.m.Clone()
	spsccheck.NewRunner(spsccheck.Halves{P: m.Producer(), C: m.Consumer()}).Run(op)
	s.m = m
	return s
}

type spscSUT struct {
	pair *spsccheck.Pair
	rec  *spscRecorder
	err  error
}

type spscCommand struct{ op spsccheck.Op }

func (c spscCommand) Run(sut commands.SystemUnderTest) commands.Result {
	s := sut.(*spscSUT)
	if s.err != nil {
		return gopterOutcome{}
	}
	s.rec.ops = append(s.rec.ops, c.op)
	if _, err := s.pair.Apply(c.op); err != nil {
		s.err = err
		*s.rec.last = spscFailure{c: s.rec.c, slots: s.rec.slots, ops: slices.Clone(s.rec.ops), err: err}
		return gopterOutcome{err}
	}
	return gopterOutcome{}
}

func (c spscCommand) NextState(s commands.State) commands.State { return s.(spscState).next(c.op) }
func (spscCommand) PreCondition(commands.State) bool            { return true }
func (spscCommand) PostCondition(_ commands.State, r commands.Result) *gopter.PropResult {
	return verdict(r)
}
func (c spscCommand) String() string { return "(" + c.op.String() + ")" }

func checkSPSCGopter(t *testing.T, newSPSC SPSCFactory) {
	seed := gopterSeed()
	var last spscFailure
	var stats SPSCStats
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = 600 * scale()
	params.MinSize, params.MaxSize = 10, 120
	params.MaxShrinkCount = 1000
	props := gopter.NewProperties(params)
	props.Property("spsc", commands.Prop(&commands.ProtoCommands{
		NewSystemUnderTestFunc: func(initial commands.State) commands.SystemUnderTest {
			st := initial.(spscState)
			sut := &spscSUT{rec: &spscRecorder{c: st.c, slots: st.slots, last: &last}}
			sut.pair, sut.err = spsccheck.NewPair(newSPSC, st.c, st.slots)
			if sut.err == nil && sut.pair == nil {
				sut.err = fmt.Errorf("new %d %d: both sides refuse a generated configuration", st.c, st.slots)
			}
			if sut.err != nil {
				last = spscFailure{c: st.c, slots: st.slots, err: sut.err}
			} else {
				sut.pair.Observe = stats.observe(sut.pair.Model)
			}
			return sut
		},
		InitialStateGen: func(params *gopter.GenParameters) *gopter.GenResult {
			r := params.Rng
			c := 1 + r.Intn(64)
			st := spscState{c: c, slots: 1 + r.Intn(8), mtu: 1 + r.Intn(c)}
			st.m, _ = model.NewSPSC(st.c, st.slots)
			return gopter.NewGenResult(st, gopter.NoShrinker)
		},
		GenCommandFunc: func(s commands.State) gopter.Gen {
			st := s.(spscState)
			return func(params *gopter.GenParameters) *gopter.GenResult {
				g := &spscGen{m: st.m, mtu: st.mtu}
				return gopter.NewGenResult(commands.Command(spscCommand{g.drawOp(rngSource{params.Rng})}), gopter.NoShrinker)
			}
		},
	}))
	ok := props.Run(reporterFunc(func(string, *gopter.TestResult) {}))
	t.Logf("STATS test=%s engine=gopter %s", testName(t), stats)
	if !ok {
		t.Errorf("gopter (replay with %s=%d %s=%d): %s", GopterSeedEnv, seed, ScaleEnv, scale(), last.report())
	}
}
