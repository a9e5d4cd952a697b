package properties

import (
	"fmt"
	"slices"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/commands"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/model"
	"pgregory.net/rapid"
)

// CheckOrdered checks buffers from newBuffer against the contract of an
// OrderedBuffer (docs/SPEC.md section 6): every sequence delivered at most
// once, in serial order, byte for byte; nothing delivered that was not
// pushed; storage freed once every arrival before it is delivered or
// dropped; every answer, counter and AppendMissing list as the reference
// model (model.Ordered) gives them. Sequence numbers are 2 to 5 bits wide,
// so the sequence space wraps constantly. It replays the regression
// corpus, runs both engines, then checks that pushing, popping and
// AppendMissing with room in dst allocate nothing. WithNilFuncs also
// checks nil callbacks.
func CheckOrdered(t testing.TB, newBuffer OrderedFactory, opts ...Option) {
	t.Helper()
	r := newRun(t, "CheckOrdered", opts)
	f := func(c ordered.Config) (ordered.Buffer, error) { return newBuffer(OrderedConfig(c)) }
	var feat lockstep.Features
	for _, o := range r.cfg.stepOptions() {
		o(&feat)
	}
	r.engine("corpus", func() *Failure { return replayCorpus(r, corpusOrdered, f, feat) })
	r.engine("rapid", func() *Failure { return checkOrderedRapid(r, f, feat) })
	r.engine("gopter", func() *Failure { return checkOrderedGopter(r, f, feat) })
	r.engine("allocs", func() *Failure { return checkOrderedAllocs(f) })
}

// checkOrderedRapid is the rapid engine for ordered buffers.
func checkOrderedRapid(r *run, newBuffer ordered.Factory, feat lockstep.Features) *Failure {
	var last failure[ordered.Op]
	var stats orderedStats
	failed, replay := runRapid(r, 1000, shrinkTime, func(rt *rapid.T) {
		cfg, mtu := drawOrderedConfig(rapidSource{rt}, &r.cfg)
		rec := &recorder[ordered.Op]{of: orderedCase(newBuffer, cfg), last: &last}
		p := orderedPair(rt, rec, newBuffer, cfg)
		if p == nil {
			return
		}
		p.Observe = stats.observe
		g := &ogen{ref: p.Ref, mtu: mtu, feat: feat, limit: r.cfg.packetLimit()}
		apply := func(rt *rapid.T, op ordered.Op) {
			rec.apply(rt, op, func(op ordered.Op) error { _, err := p.Apply(op); return err })
		}
		rt.Repeat(map[string]func(*rapid.T){
			"": func(rt *rapid.T) {
				if err := orderedCounters(p); err != nil {
					rec.fail(rt, err)
				}
			},
			"Op":     func(rt *rapid.T) { apply(rt, g.drawOp(rapidSource{rt})) },
			"Op2":    func(rt *rapid.T) { apply(rt, g.drawOp(rapidSource{rt})) },
			"Stream": func(rt *rapid.T) { stream(rapidSource{rt}, g, func(op ordered.Op) { apply(rt, op) }) },
		})
		if err := drainOrdered(p, func(op ordered.Op) error { apply(rt, op); return nil }); err != nil {
			rec.fail(rt, err)
		}
	})
	if failed {
		return last.value("rapid", replay)
	}
	r.stats("rapid", stats)
	return nil
}

// stream sends a run of consecutive sequences from Next as a network
// would deliver them: shuffled within a few places, some duplicated, some
// lost; the consumer pops whenever it can, and skips a gap now and then.
func stream(s source, g *ogen, apply func(ordered.Op)) {
	m := uint32(1) << g.ref.Bits
	next := g.ref.Next()
	n := s.intn(1, 3*int(min(m, 32)), "stream length")
	var pending []uint32
	for i := range n {
		pending = append(pending, (next+uint32(i))%m)
	}
	for len(pending) > 0 {
		i := s.intn(0, min(len(pending)-1, g.ref.Window), "reorder")
		seq := pending[i]
		switch s.intn(0, 9, "fate") {
		case 0: // lost
			pending = slices.Delete(pending, i, i+1)
			continue
		case 1: // duplicated: sent again later
		default:
			pending = slices.Delete(pending, i, i+1)
		}
		apply(ordered.Op{Kind: ordered.Push, MaxSize: g.mtu, Seq: seq, Seed: byte(seq)})
		for g.ref.Len() > 0 {
			if _, ok := g.ref.Held[g.ref.Next()]; ok {
				apply(ordered.Op{Kind: ordered.Pop, DstLen: g.ref.C})
			} else if s.intn(0, 3, "skip gap") == 0 {
				apply(ordered.Op{Kind: ordered.SkipTo, Seq: (g.ref.Next() + 1) % m})
			} else {
				break
			}
		}
	}
}

// drainOrdered pops everything held, skipping gaps, then requires the
// buffer to hold no byte: delivered and dropped packets free their storage.
func drainOrdered(p *ordered.Pair, apply func(ordered.Op) error) error {
	m := uint32(1) << p.Ref.Bits
	for p.Ref.Len() > 0 {
		op := ordered.Op{Kind: ordered.Pop, DstLen: p.Ref.C}
		if _, ok := p.Ref.Held[p.Ref.Next()]; !ok {
			op = ordered.Op{Kind: ordered.SkipTo, Seq: (p.Ref.Next() + 1) % m}
		}
		if err := apply(op); err != nil {
			return err
		}
	}
	if n, u := p.Impl.Len(), p.Impl.Used(); n != 0 || u != 0 {
		return fmt.Errorf("after draining: Len %d, Used %d, want 0, 0 (a leak)", n, u)
	}
	return nil
}

// orderedPair builds the pair of one case; nil if both sides refuse the
// configuration, a failed case if only one does.
func orderedPair(t fataler, r *recorder[ordered.Op], newBuffer ordered.Factory, cfg ordered.Config) *ordered.Pair {
	p, err := ordered.NewPair(newBuffer, cfg)
	if err != nil {
		r.fail(t, err)
	}
	return p
}

// orderedCounters compares the counters of both sides between steps.
func orderedCounters(p *ordered.Pair) error {
	got := [4]int{p.Impl.Len(), p.Impl.Used(), int(p.Impl.Next()), p.Impl.MaxPackets()}
	want := [4]int{p.Ref.Len(), p.Ref.Used(), int(p.Ref.Next()), p.Ref.MaxPackets()}
	if got != want {
		return fmt.Errorf("counters (Len, Used, Next, MaxPackets): buffer %v, model %v", got, want)
	}
	return nil
}

// orderedStats counts what a run of the ordered properties exercised.
type orderedStats struct {
	Steps, Delivered, Late, Duplicate, Ahead, Gap, Skips, Dropped, SeqWraps, Missing, Resyncs int
}

func (s *orderedStats) observe(op ordered.Op, r ordered.Result) {
	s.Steps++
	switch r.Err {
	case "ErrLate":
		s.Late++
	case "ErrDuplicate":
		s.Duplicate++
	case "ErrAhead":
		s.Ahead++
	case "ErrGap":
		s.Gap++
	}
	ok := r.Err == "" && r.Panic == ""
	switch {
	case ok && (op.Kind == ordered.Pop || op.Kind == ordered.PopWith):
		s.Delivered++
		s.SeqWraps += b2i(r.Next == 0)
	case ok && op.Kind == ordered.SkipTo:
		s.Skips++
		s.Dropped += r.N
	case ok && op.Kind == ordered.Missing:
		s.Missing += len(r.Missing)
	}
}

func (s orderedStats) String() string {
	return fmt.Sprintf("steps=%d delivered=%d seq-wraps=%d ErrLate=%d ErrDuplicate=%d ErrAhead=%d ErrGap=%d skips=%d dropped=%d missing-listed=%d",
		s.Steps, s.Delivered, s.SeqWraps, s.Late, s.Duplicate, s.Ahead, s.Gap, s.Skips, s.Dropped, s.Missing)
}

// checkOrderedGopter is the gopter engine for ordered buffers: the same
// generator, gopter's sequences and shrinking.
func checkOrderedGopter(r *run, newBuffer ordered.Factory, feat lockstep.Features) *Failure {
	seed := gopterSeed()
	var last failure[ordered.Op]
	var stats orderedStats
	params := gopter.DefaultTestParametersWithSeed(seed)
	params.MinSuccessfulTests = 400 * scale()
	params.MinSize, params.MaxSize = 10, 100
	params.MaxShrinkCount = 1000
	props := gopter.NewProperties(params)
	props.Property("ordered", commands.Prop(&commands.ProtoCommands{
		NewSystemUnderTestFunc: func(initial commands.State) commands.SystemUnderTest {
			st := initial.(oState)
			s := &sut[ordered.Op]{rec: &recorder[ordered.Op]{of: orderedCase(newBuffer, st.cfg), last: &last}}
			pair, err := ordered.NewPair(newBuffer, st.cfg)
			if err == nil && pair == nil {
				err = fmt.Errorf("%s: both sides refuse a generated configuration", st.cfg)
			}
			if err != nil {
				s.fail(err)
				return s
			}
			pair.Observe = stats.observe
			s.apply = func(op ordered.Op) error { _, err := pair.Apply(op); return err }
			return s
		},
		InitialStateGen: func(params *gopter.GenParameters) *gopter.GenResult {
			for {
				cfg, mtu := drawOrderedConfig(rngSource{params.Rng}, &r.cfg)
				if ref, err := ordered.NewModel(cfg); err == nil {
					return gopter.NewGenResult(oState{cfg: cfg, mtu: mtu, ops: nil, ref: ref}, gopter.NoShrinker)
				}
			}
		},
		GenCommandFunc: func(s commands.State) gopter.Gen {
			st := s.(oState)
			return func(params *gopter.GenParameters) *gopter.GenResult {
				g := &ogen{ref: st.ref, mtu: st.mtu, feat: feat, limit: r.cfg.packetLimit()}
				return gopter.NewGenResult(commands.Command(command[ordered.Op, oState]{g.drawOp(rngSource{params.Rng})}), gopter.NoShrinker)
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

// oState is the gopter state: the configuration and the model after the
// commands so far (rebuilt from ops, so that a state is never changed).
type oState struct {
	cfg ordered.Config
	mtu int
	ops []ordered.Op
	ref *model.Ordered
}

// next returns the state after op.
func (st oState) next(op ordered.Op) oState {
	ops := append(slices.Clip(st.ops), op)
	ref, _ := ordered.NewModel(st.cfg)
	other, _ := ordered.NewModel(st.cfg)
	for _, op := range ops {
		ordered.Run(ref, other, op)
	}
	return oState{cfg: st.cfg, mtu: st.mtu, ops: ops, ref: ref}
}
