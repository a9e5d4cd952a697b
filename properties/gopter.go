package properties

import (
	"fmt"
	"math/rand"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"github.com/netbuf-go/netbuf/model"
)

// gopterSeedEnv names the environment variable that fixes the gopter
// engine's seed (an int64), so that a failure replays exactly. A run must
// also use the same scale (scaleEnv), which sets how many sequences are
// drawn and how their length grows.
const gopterSeedEnv = "NETBUF_GOPTER_SEED"

// gopterProfile is one family of configurations and how many command
// sequences of which length the gopter engine draws for it.
type gopterProfile struct {
	name        string
	config      func(r *rand.Rand, o *config) (c, slots, mtu int)
	tests       int // sequences at scale 1
	minSteps    int // gopter grows the sequence length from minSteps...
	maxSteps    int // ...to maxSteps over the run
	drainWeight int // of a full drain among ~1000 commands
	maxShrinks  int // successful shrinks: each re-runs the sequence many times
}

// gopterProfiles mirror rapid's: tiny buffers that wrap every few pushes,
// and realistic ones that need long sequences to fill up and wrap.
var gopterProfiles = []gopterProfile{
	{name: "tiny", config: func(r *rand.Rand, o *config) (int, int, int) {
		c := 1 + r.Intn(min(64, o.capLimit()))
		return c, 1 + r.Intn(min(8, o.slotLimit())), 1 + r.Intn(min(c, o.packetLimit()))
	}, tests: 600, minSteps: 10, maxSteps: 80, drainWeight: 10, maxShrinks: 1000},
	{name: "realistic", config: func(r *rand.Rand, o *config) (int, int, int) {
		c := 64 << 10
		if r.Intn(4) == 3 {
			c = realisticMTU + r.Intn(64<<10-realisticMTU+1)
		}
		c = min(c, o.capLimit())
		return c, min(16+r.Intn(113), o.slotLimit()), min(realisticMTU, c, o.packetLimit())
	}, tests: 40, minSteps: 100, maxSteps: 400, drainWeight: 2, maxShrinks: 100},
}

// rngSource draws from gopter's random numbers.
type rngSource struct{ r *rand.Rand }

func (s rngSource) intn(lo, hi int, _ string) int { return lo + s.r.Intn(hi-lo+1) }

// checkGopter is the second, independent engine: a gopter commands suite
// whose state is the model and whose system under test is a Pair, so each
// step is compared by Pair.Apply as in the rapid engine, with the same
// operation generator (gen.go), while the sequences and their shrinking
// are gopter's. It stops at the first profile that fails: its
// counterexample is the one to read.
func checkGopter(r *run, newBuffer unordered.Factory, feat lockstep.Features) *Failure {
	seed := gopterSeed()
	var stats unorderedStats
	for _, p := range gopterProfiles {
		var last failure[unordered.Op]
		var ps unorderedStats
		passed, detail := runGopter(&r.cfg, newBuffer, feat, p, seed, p.tests*scale(), &ps, &last)
		stats.Add(ps)
		r.logf("gopter, %s buffers: %s", p.name, ps)
		if !passed {
			return last.value("gopter", fmt.Sprintf("%s=%d %s=%d (%s buffers, %s)", gopterSeedEnv, seed, scaleEnv, scale(), p.name, detail))
		}
	}
	r.stats("gopter", stats)
	return nil
}

// runGopter checks one profile and returns whether it passed and, if not,
// gopter's one-line verdict (the shrunk case is in last).
func runGopter(o *config, newBuffer unordered.Factory, feat lockstep.Features, p gopterProfile, seed int64, tests int, stats *unorderedStats, last *failure[unordered.Op]) (bool, string) {
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = tests
	params.MinSize, params.MaxSize = p.minSteps, p.maxSteps
	params.MaxShrinkCount = p.maxShrinks
	props := gopter.NewProperties(params)
	props.Property(p.name, commands.Prop(gopterCommands(o, newBuffer, feat, p, stats, last)))
	var verdict string
	ok := props.Run(reporterFunc(func(name string, r *gopter.TestResult) {
		verdict = fmt.Sprintf("%s after %d passed sequences", r.Status, r.Succeeded)
	}))
	return ok, verdict
}

// reporterFunc is a gopter.Reporter that keeps only the verdict.
type reporterFunc func(name string, r *gopter.TestResult)

func (f reporterFunc) ReportTestResult(name string, r *gopter.TestResult) { f(name, r) }

// gopterSeed reads GopterSeedEnv, or picks a fresh seed.
func gopterSeed() int64 {
	if s, err := strconv.ParseInt(os.Getenv(gopterSeedEnv), 10, 64); err == nil {
		return s
	}
	return time.Now().UnixNano()
}

// gopterState is the commands state: the model after the commands so far,
// which steers generation. gopter replays states, so a state is never
// changed: NextState works on a copy.
type gopterState struct {
	m   *model.Unordered
	mtu int
}

func (s gopterState) String() string { return fmt.Sprintf("new %d %d", s.m.C, s.m.Slots) }

// next returns the state after op, on a copy of the model.
func (s gopterState) next(op unordered.Op) gopterState {
	m, other := *s.m, model.Unordered{C: s.m.C, Slots: s.m.Slots}
	m.Packets = slices.Clone(m.Packets) // commit edits the newest packet's padding in place
	unordered.Run(&m, &other, op)
	return gopterState{m: &m, mtu: s.mtu}
}

// gopterSUT is the unordered engine's system under test: a sut with the
// pair, which a drain needs.
type gopterSUT struct {
	sut[unordered.Op]
	pair *unordered.Pair
}

// gopterCommand applies one Op.
type gopterCommand = command[unordered.Op, gopterState]

func gopterCommands(o *config, newBuffer unordered.Factory, feat lockstep.Features, p gopterProfile, stats *unorderedStats, last *failure[unordered.Op]) *commands.ProtoCommands {
	return &commands.ProtoCommands{
		NewSystemUnderTestFunc: func(initial commands.State) commands.SystemUnderTest {
			m := initial.(gopterState).m
			pair, err := unordered.NewPair(newBuffer, unordered.Config{Capacity: m.C, MaxPackets: m.Slots})
			if err == nil && pair == nil {
				err = fmt.Errorf("new %d %d: both sides refuse a generated configuration", m.C, m.Slots)
			}
			s := &gopterSUT{sut: sut[unordered.Op]{rec: &recorder[unordered.Op]{of: unorderedCase(newBuffer, m.C, m.Slots), last: last}}, pair: pair}
			if err != nil {
				s.fail(err)
				return s
			}
			pair.Observe = stats.observe
			s.apply = func(op unordered.Op) error { _, err := pair.Apply(op); return err }
			s.end = pair.End
			return s
		},
		DestroySystemUnderTestFunc: endSUT[unordered.Op],
		InitialStateGen: func(params *gopter.GenParameters) *gopter.GenResult {
			c, slots, mtu := p.config(params.Rng, o)
			m, err := model.NewUnordered(c, slots)
			if err != nil {
				panic(fmt.Sprintf("gopter profile %s drew an invalid configuration: %v", p.name, err))
			}
			return gopter.NewGenResult(gopterState{m: m, mtu: mtu}, gopter.NoShrinker)
		},
		GenCommandFunc: func(s commands.State) gopter.Gen {
			st := s.(gopterState)
			return func(params *gopter.GenParameters) *gopter.GenResult {
				src := rngSource{params.Rng}
				var cmd commands.Command = gopterDrain{}
				if src.intn(0, 999, "") >= p.drainWeight {
					g := gen{ref: st.m, mtu: st.mtu, feat: feat, limit: o.packetLimit()}
					cmd = gopterCommand{g.drawOp(src)}
				}
				return gopter.NewGenResult(cmd, gopterShrink)
			}
		},
	}
}

// gopterDrain ends what is open and pops every packet, each step compared
// with the model, then requires the buffer to hold no byte.
type gopterDrain struct{}

func (gopterDrain) Run(sut commands.SystemUnderTest) commands.Result {
	s := sut.(*gopterSUT)
	if s.err == nil {
		if err := drain(s.pair, s.run); err != nil && s.err == nil {
			s.fail(err) // a leak after a drain that answered right
		}
	}
	return gopterOutcome{s.untold()}
}

func (gopterDrain) NextState(s commands.State) commands.State {
	st := s.(gopterState)
	if _, ok := st.m.Reserving(); ok {
		st = st.next(unordered.Op{Kind: unordered.Abort})
	}
	if st.m.Peeking() {
		st = st.next(unordered.Op{Kind: unordered.Release})
	}
	for st.m.Len() > 0 {
		st = st.next(unordered.Op{Kind: unordered.Pop, DstLen: st.m.C})
	}
	return st
}

func (gopterDrain) PreCondition(commands.State) bool { return true }
func (gopterDrain) PostCondition(_ commands.State, r commands.Result) *gopter.PropResult {
	return verdict(r)
}
func (gopterDrain) String() string { return "(drain)" }

// gopterShrink proposes simpler versions of a command: well-behaved
// callbacks, then smaller numbers. Every candidate is strictly smaller in
// some field, so shrinking ends. The list is short on purpose: gopter
// re-runs the whole sequence for each candidate. Seeds are not shrunk.
func gopterShrink(v interface{}) gopter.Shrink {
	c, ok := v.(gopterCommand)
	if !ok {
		return gopter.NoShrinker(v) // a drain
	}
	op := c.op
	var cands []unordered.Op
	try := func(f func(o *unordered.Op)) {
		o := op
		f(&o)
		if o != op && !slices.Contains(cands, o) {
			cands = append(cands, o)
		}
	}
	try(func(o *unordered.Op) { o.Fill, o.Consume = lockstep.CallOK, lockstep.CallOK })
	for _, m := range shrinkInt(op.MaxSize) {
		try(func(o *unordered.Op) {
			o.MaxSize = m
			switch {
			case op.N > op.MaxSize: // an invalid n stays invalid
				o.N = max(m, 0) + 1
			case op.N >= 0:
				o.N = min(op.N, max(m, 0))
			}
		})
	}
	if op.N >= 0 && op.N <= max(op.MaxSize, 0) {
		for _, n := range shrinkInt(op.N) {
			try(func(o *unordered.Op) { o.N = n })
		}
	}
	for _, n := range shrinkInt(op.DstLen) {
		try(func(o *unordered.Op) { o.DstLen = n })
	}
	try(func(o *unordered.Op) { o.Spare = 0 })
	for _, n := range shrinkInt(op.M) {
		try(func(o *unordered.Op) { o.M = n })
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

// shrinkInt proposes values closer to 0 than v: 0, v/2, 3v/4 and v∓1.
func shrinkInt(v int) []int {
	switch {
	case v > 0:
		return []int{0, v / 2, v - v/4, v - 1}
	case v < -1:
		return []int{-1, v + 1}
	}
	return nil
}
