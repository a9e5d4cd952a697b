package properties

import (
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/leanovate/gopter/gen"
	"github.com/netbuf-go/netbuf/model"
)

// GopterSeedEnv names the environment variable that fixes the gopter
// engine's seed (an int64), so that a failure replays exactly. A run must
// also use the same NETBUF_PROPERTY_SCALE, which sets how many sequences
// are drawn and how their length grows.
const GopterSeedEnv = "NETBUF_GOPTER_SEED"

// gopterProfile is one family of configurations and how many command
// sequences of which length the gopter engine draws for it.
type gopterProfile struct {
	name        string
	capacity    gopter.Gen // capacityBytes
	slots       gopter.Gen // maxPackets
	tests       int        // sequences at scale 1
	minSteps    int        // gopter grows the sequence length from minSteps...
	maxSteps    int        // ...to maxSteps over the run
	resetWeight int        // of Reset among ~1000: low where filling up takes long
	drainWeight int        // of a full drain among ~1000
	maxShrinks  int        // successful shrinks: each re-runs the sequence many times
}

// gopterProfiles: mostly tiny buffers, which wrap every few pushes, and
// realistic ones (1500-byte datagrams in 64 KiB), which need long sequences
// to fill up and wrap.
var gopterProfiles = []gopterProfile{
	{
		name:     "tiny",
		capacity: gen.IntRange(1, 64), slots: gen.IntRange(1, 8),
		tests: 600, minSteps: 10, maxSteps: 80, resetWeight: 10, drainWeight: 10, maxShrinks: 1000,
	},
	{
		name: "realistic",
		capacity: gen.Weighted([]gen.WeightedGen{
			{Weight: 3, Gen: gen.Const(64 << 10)},
			{Weight: 1, Gen: gen.IntRange(1500, 64<<10)},
		}),
		slots: gen.IntRange(16, 128),
		tests: 40, minSteps: 100, maxSteps: 400, resetWeight: 2, drainWeight: 2, maxShrinks: 100,
	},
}

// checkGopter is the second, independent engine: a gopter commands suite
// whose state is the model and whose system under test is a Pair (the
// buffer from newBuffer with its own model), so each step is compared by
// Pair.Apply exactly as in the rapid engine, while the sequences, their
// generators and their shrinking are gopter's.
func checkGopter(t *testing.T, newBuffer Factory) {
	seed := gopterSeed()
	t.Logf("gopter seed %d (replay: %s=%d %s=%d)", seed, GopterSeedEnv, seed, ScaleEnv, scale())
	var stats Stats
	failed := ""
	for _, p := range gopterProfiles {
		t.Run(p.name, func(t *testing.T) {
			if failed != "" {
				// Its counterexample is the one to read first; shrinking
				// long realistic sequences too would only add minutes.
				t.Skipf("skipped: profile %s already failed", failed)
			}
			var ps Stats
			ok, out := runGopter(newBuffer, p, seed, p.tests*scale(), &ps)
			stats.Add(ps)
			t.Logf("%s: %s", p.name, ps)
			if !ok {
				t.Errorf("gopter found a counterexample (shrunk sequence first); replay with %s=%d %s=%d\n%s",
					GopterSeedEnv, seed, ScaleEnv, scale(), out)
				failed = p.name
				return
			}
			t.Log(out)
		})
	}
	report(t, "gopter", stats)
}

// runGopter checks one profile with tests sequences and returns whether it
// passed and gopter's report (on failure: the shrunk sequence, the failing
// step's difference, and the original sequence).
func runGopter(newBuffer Factory, p gopterProfile, seed int64, tests int, stats *Stats) (bool, string) {
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = tests
	params.MinSize, params.MaxSize = p.minSteps, p.maxSteps
	params.MaxShrinkCount = p.maxShrinks
	props := gopter.NewProperties(params)
	props.Property(p.name, commands.Prop(gopterCommands(newBuffer, p, stats)))
	var out strings.Builder
	ok := props.Run(gopter.NewFormatedReporter(true, 160, &out))
	return ok, strings.TrimSpace(out.String())
}

// gopterSeed reads GopterSeedEnv, or picks a fresh seed.
func gopterSeed() int64 {
	if s, err := strconv.ParseInt(os.Getenv(GopterSeedEnv), 10, 64); err == nil {
		return s
	}
	return time.Now().UnixNano()
}

// gopterCommands builds the commands suite for one profile. Every Pair it
// creates adds to stats.
func gopterCommands(newBuffer Factory, p gopterProfile, stats *Stats) *commands.ProtoCommands {
	return &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(initial commands.State) commands.SystemUnderTest {
			m := initial.(gopterState).m
			pair, err := NewPair(newBuffer, m.C, m.Slots)
			if err == nil && pair == nil {
				err = fmt.Errorf("New(%d, %d): both sides refuse a generated configuration", m.C, m.Slots)
			}
			if pair != nil {
				pair.Stats = stats
			}
			return &gopterSUT{pair: pair, err: err}
		},
		InitialStateGen: gopter.CombineGens(p.capacity, p.slots).Map(func(v []interface{}) gopterState {
			m, err := model.NewUnordered(v[0].(int), v[1].(int))
			if err != nil {
				panic(fmt.Sprintf("gopter profile %s drew an invalid configuration: %v", p.name, err))
			}
			return gopterState{m: m}
		}),
		GenCommandFunc: func(s commands.State) gopter.Gen {
			return gen.Weighted([]gen.WeightedGen{
				{Weight: 1000, Gen: gopterGenOp(s.(gopterState), p.resetWeight).
					Map(func(op Op) commands.Command { return gopterCommand{op} })},
				{Weight: p.drainWeight, Gen: gen.Const(true).
					Map(func(bool) commands.Command { return gopterDrain{} })},
			}).WithShrinker(gopterShrink)
		},
	}
}

// gopterState is the commands state: the model after the commands so far.
// It steers generation (pushes aimed at the window edges, pops with a dst
// just short of the oldest packet). gopter replays states, so a state is
// never changed: NextState works on a copy.
type gopterState struct{ m *model.Unordered }

// String names the configuration; the initial state is always empty.
func (s gopterState) String() string { return fmt.Sprintf("New(%d, %d)", s.m.C, s.m.Slots) }

// gopterSUT is the system under test. After the first step that fails, the
// later ones are skipped so that the report names that step's difference.
type gopterSUT struct {
	pair *Pair
	err  error
}

// gopterOutcome is what Run hands to PostCondition.
type gopterOutcome struct {
	skipped   bool
	err       error // Pair.Apply's verdict: a cmp.Diff or a broken invariant
	len, used int   // the pair's model afterwards, to cross-check the state
}

// gopterCommand applies one Op. Any Op may follow any state (errors are
// part of the contract), so it has no precondition.
type gopterCommand struct{ op Op }

func (c gopterCommand) Run(sut commands.SystemUnderTest) commands.Result {
	s := sut.(*gopterSUT)
	if s.err != nil {
		return gopterOutcome{skipped: true}
	}
	s.err = s.pair.Apply(c.op)
	return gopterOutcome{err: s.err, len: s.pair.Ref.Len(), used: s.pair.Ref.Used()}
}

func (c gopterCommand) NextState(state commands.State) commands.State {
	m := *state.(gopterState).m
	m.Packets = slices.Clone(m.Packets) // commit edits the newest packet's padding in place
	Run(&m, c.op)
	return gopterState{m: &m}
}

func (c gopterCommand) PreCondition(commands.State) bool { return true }

func (c gopterCommand) PostCondition(state commands.State, result commands.Result) *gopter.PropResult {
	return gopterVerdict(c, state, result)
}

// String brackets the Op so that a printed sequence reads one step at a time.
func (c gopterCommand) String() string { return "(" + c.op.String() + ")" }

// gopterDrain pops every packet, each pop compared with the model, then
// requires the buffer to hold no byte: nothing leaks (a contract invariant).
type gopterDrain struct{}

// drainOp pops any packet of a buffer of c bytes.
func drainOp(c int) Op { return Op{Kind: OpPop, DstLen: c} }

func (gopterDrain) Run(sut commands.SystemUnderTest) commands.Result {
	s := sut.(*gopterSUT)
	if s.err != nil {
		return gopterOutcome{skipped: true}
	}
	for s.err == nil && s.pair.Ref.Len() > 0 {
		s.err = s.pair.Apply(drainOp(s.pair.Ref.Cap()))
	}
	if s.err == nil && (s.pair.Impl.Len() != 0 || s.pair.Impl.Used() != 0) {
		s.err = fmt.Errorf("drain: buffer still holds Len() = %d, Used() = %d", s.pair.Impl.Len(), s.pair.Impl.Used())
	}
	return gopterOutcome{err: s.err, len: s.pair.Ref.Len(), used: s.pair.Ref.Used()}
}

func (gopterDrain) NextState(state commands.State) commands.State {
	st := state
	for st.(gopterState).m.Len() > 0 {
		st = gopterCommand{drainOp(st.(gopterState).m.C)}.NextState(st)
	}
	return st
}

func (gopterDrain) PreCondition(commands.State) bool { return true }

func (d gopterDrain) PostCondition(state commands.State, result commands.Result) *gopter.PropResult {
	return gopterVerdict(d, state, result)
}

func (gopterDrain) String() string { return "(drain)" }

// gopterVerdict turns a step's outcome into gopter's verdict.
func gopterVerdict(step fmt.Stringer, state commands.State, result commands.Result) *gopter.PropResult {
	o := result.(gopterOutcome)
	m := state.(gopterState).m
	switch {
	case o.skipped:
		return &gopter.PropResult{Status: gopter.PropTrue}
	case o.err != nil:
		return gopter.NewPropResult(false, o.err.Error())
	case o.len != m.Len() || o.used != m.Used():
		// A bug of this engine (the state and the pair's model went apart), not of the buffer.
		return gopter.NewPropResult(false, fmt.Sprintf("%s: gopter state (len %d used %d) and pair model (len %d used %d) diverged",
			step, m.Len(), m.Used(), o.len, o.used))
	}
	return &gopter.PropResult{Status: gopter.PropTrue}
}

// gopterWindows restates contract rule 3 for the generator only: the tail
// and head windows, so that pushes can aim exactly at their edges. A
// mistake here would only make the generator less pointed, never hide a bug.
func gopterWindows(m *model.Unordered) (tail, head int) {
	h, u := m.Head(), m.Used()
	if t := h + u; t <= m.C {
		return m.C - t, h
	}
	return m.C - u, 0
}

// gopterGenOp draws the next Op for state s, pushes outweighing pops so
// that buffers run full, where wraps and padding happen: pops are drawn
// in proportion to how full the buffer is (in slots or bytes), so that an
// emptying buffer, which restarts at offset 0, is rare.
func gopterGenOp(s gopterState, resetWeight int) gopter.Gen {
	pops := 10 + 80*max(len(s.m.Packets)*s.m.C, s.m.Used()*s.m.Slots)/(s.m.C*s.m.Slots)
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 450, Gen: gopterGenPushWith(s)},
		{Weight: 120, Gen: gopterGenMaxSize(s).Map(func(n int, p *gopter.GenParameters) Op {
			return Op{Kind: OpPush, MaxSize: max(n, 0), Seed: uint8(p.NextUint64())}
		})},
		{Weight: 3 * pops, Gen: gopterGenPopWith()},
		{Weight: 2 * pops, Gen: gopterGenPop(s)},
		{Weight: resetWeight, Gen: gen.Const(Op{Kind: OpReset})},
	})
}

// gopterGenMaxSize draws a reservation size from every class the contract
// distinguishes: negative, 0, small, the exact tail and head windows and one
// past them, between the windows (a wrap, with padding unless the tail
// window is 0), Cap, beyond Cap, anywhere, and the MTU. Most sizes are
// about a slot's share of the storage (Cap/MaxPackets), so that bytes and
// slots run out together and the tail reaches the end of the storage.
func gopterGenMaxSize(s gopterState) gopter.Gen {
	c, share := s.m.C, max(s.m.C/s.m.Slots, 1)
	tail, head := gopterWindows(s.m)
	gens := []gen.WeightedGen{
		{Weight: 2, Gen: gen.IntRange(-3, -1)},
		{Weight: 1, Gen: gen.Const(0)},
		{Weight: 5, Gen: gen.IntRange(1, min(c, 8))},
		{Weight: 20, Gen: gen.IntRange(max(share/2, 1), min(2*share, c))},
		{Weight: 10, Gen: gen.OneConstOf(tail, head, tail+1, head+1)},
		{Weight: 2, Gen: gen.Const(c)},
		{Weight: 2, Gen: gen.IntRange(c+1, c+3)},
		{Weight: 5, Gen: gen.IntRange(0, c)},
	}
	if head > tail {
		gens = append(gens, gen.WeightedGen{Weight: 30, Gen: gen.IntRange(tail+1, head)})
	}
	if c >= 1500 {
		gens = append(gens, gen.WeightedGen{Weight: 25, Gen: gen.Const(1500)})
	}
	return gen.Weighted(gens)
}

// gopterGenPushWith draws a PushWith whose fill reports a valid n (often
// all of maxSize), an invalid n, an error, a panic or a reentrant call.
func gopterGenPushWith(s gopterState) gopter.Gen {
	return gopterGenMaxSize(s).FlatMap(func(v interface{}) gopter.Gen {
		m := max(v.(int), 0)
		n := gen.Weighted([]gen.WeightedGen{
			{Weight: 6, Gen: gen.IntRange(0, m)},
			{Weight: 5, Gen: gen.Const(m)},
			{Weight: 1, Gen: gen.Const(0)},
			{Weight: 1, Gen: gen.OneConstOf(-1, m+1)},
		})
		return gopter.CombineGens(n, gopterGenCallback(), gopterGenKind(), gen.UInt8()).
			Map(func(w []interface{}) Op {
				return Op{Kind: OpPushWith, MaxSize: v.(int), N: w[0].(int), Fill: w[1].(Callback),
					Reenter: w[2].(Kind), Seed: w[3].(uint8)}
			})
	}, reflect.TypeOf(Op{}))
}

// gopterGenPopWith draws a PopWith whose consume succeeds, fails, panics
// or calls back into the buffer.
func gopterGenPopWith() gopter.Gen {
	return gopter.CombineGens(gopterGenCallback(), gopterGenKind(), gen.UInt8()).
		Map(func(w []interface{}) Op {
			return Op{Kind: OpPopWith, Consume: w[0].(Callback), Reenter: w[1].(Kind), Seed: w[2].(uint8)}
		})
}

// gopterGenPop draws a Pop whose dst is short by one, exactly long enough,
// or ample for the oldest packet (any length when the buffer is empty).
func gopterGenPop(s gopterState) gopter.Gen {
	oldest := 0
	if len(s.m.Packets) > 0 {
		oldest = len(s.m.Packets[0].Data)
	}
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 2, Gen: gen.IntRange(0, max(oldest-1, 0))},
		{Weight: 3, Gen: gen.OneConstOf(oldest, oldest+1, s.m.C)},
	}).Map(func(n int) Op { return Op{Kind: OpPop, DstLen: n} })
}

// gopterGenCallback draws what a fill or consume does; mostly it succeeds.
func gopterGenCallback() gopter.Gen {
	return gen.Weighted([]gen.WeightedGen{
		{Weight: 14, Gen: gen.Const(CallOK)},
		{Weight: 2, Gen: gen.Const(CallErr)},
		{Weight: 1, Gen: gen.Const(CallPanic)},
		{Weight: 2, Gen: gen.Const(CallReenter)},
	})
}

// gopterGenKind draws the method a reentrant callback calls: any of them.
func gopterGenKind() gopter.Gen {
	return gen.IntRange(0, int(numKinds)-1).Map(func(k int) Kind { return Kind(k) })
}

// gopterShrink proposes simpler versions of a command: a well-behaved
// callback, then smaller sizes. Every candidate is strictly smaller by some
// field, so shrinking ends. The list is short on purpose: gopter re-runs the
// whole sequence for each candidate, and after each success it starts over.
// Seeds are not shrunk, as payload bytes rarely matter and each seed would
// cost a restart.
func gopterShrink(v interface{}) gopter.Shrink {
	c, ok := v.(gopterCommand)
	if !ok {
		return gopter.NoShrinker(v) // a drain
	}
	op := c.op
	var cands []Op
	try := func(f func(o *Op)) {
		o := op
		f(&o)
		if o != op && !slices.Contains(cands, o) {
			cands = append(cands, o)
		}
	}
	try(func(o *Op) { o.Fill, o.Consume = CallOK, CallOK })
	for _, m := range shrinkInt(op.MaxSize) {
		try(func(o *Op) {
			o.MaxSize = m
			switch {
			case op.N > op.MaxSize: // invalid n stays invalid
				o.N = max(m, 0) + 1
			case op.N >= 0:
				o.N = min(op.N, max(m, 0))
			}
		})
	}
	if op.N >= 0 && op.N <= op.MaxSize {
		for _, n := range shrinkInt(op.N) {
			try(func(o *Op) { o.N = n })
		}
	}
	for _, n := range shrinkInt(op.DstLen) {
		try(func(o *Op) { o.DstLen = n })
	}
	i := 0
	return func() (interface{}, bool) {
		if i == len(cands) {
			return nil, false
		}
		i++
		return gopterCommand{cands[i-1]}, true
	}
}

// shrinkInt proposes values closer to 0 than v: 0, v/2, 3v/4 and v∓1, so
// that a size closes in on the smallest failing one in a few steps.
func shrinkInt(v int) []int {
	switch {
	case v > 0:
		return []int{0, v / 2, v - v/4, v - 1}
	case v < -1:
		return []int{-1, v + 1}
	}
	return nil
}
