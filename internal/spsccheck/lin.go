package spsccheck

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/model"
)

// Client ids of a history: the producer's goroutine and the consumer's.
const (
	ProducerClient = 0
	ConsumerClient = 1
)

// History is one concurrent run: the buffer's configuration and every
// call of both goroutines, with logical call and return times (a shared
// counter read before the call and after its return, so that the order of
// times respects real time).
type History struct {
	Cap, Slots int
	Ops        []porcupine.Operation // Input spsc.Op, Output spsc.Result
}

// Config says what Record draws.
type Config struct {
	Cap, Slots int // the buffer
	Ops        int // calls per goroutine
	MaxSize    int // pushes reserve 0..MaxSize bytes (mostly MaxSize)
	Yield      int // one time in Yield, a goroutine yields inside a call (0: never)
}

// Record runs one concurrent history: a producer goroutine and a consumer
// goroutine, each drawing cfg.Ops calls of its own half from rng seed
// (two-phase and callback forms, waits, spsc.Close now and then, counters),
// started together on a buffer from f.
func Record(f spsc.Factory, cfg Config, seed int64) (History, error) {
	p, c, err := f(cfg.Cap, cfg.Slots)
	if err != nil {
		return History{}, err
	}
	h := History{Cap: cfg.Cap, Slots: cfg.Slots}
	var clock atomic.Int64
	var mu sync.Mutex
	start := make(chan struct{})
	pctx, pcancel := context.WithCancel(context.Background())
	cctx, ccancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	client := func(id int, x *spsc.Runner, draw func(*rand.Rand, *spsc.Runner, spsc.Result) spsc.Op, rng *rand.Rand, other context.CancelFunc) {
		defer wg.Done()
		defer other() // a wait of the other goroutine would otherwise wait for calls that never come
		var local []porcupine.Operation
		var r spsc.Result
		<-start
		for range cfg.Ops {
			op := draw(rng, x, r)
			call := clock.Add(1)
			r = x.Run(op)
			ret := clock.Add(1)
			local = append(local, porcupine.Operation{ClientId: id, Input: op, Call: call, Output: r, Return: ret})
		}
		mu.Lock()
		h.Ops = append(h.Ops, local...)
		mu.Unlock()
	}
	yield := func(rng *rand.Rand) func() {
		return func() {
			if cfg.Yield > 0 && rng.Intn(cfg.Yield) == 0 {
				runtime.Gosched()
			}
		}
	}
	prng, crng := rand.New(rand.NewSource(seed)), rand.New(rand.NewSource(^seed))
	px := &spsc.Runner{H: spsc.Halves{P: p}, Ctx: pctx, Yield: yield(rand.New(rand.NewSource(seed + 1)))}
	cx := &spsc.Runner{H: spsc.Halves{C: c}, Ctx: cctx, Yield: yield(rand.New(rand.NewSource(seed + 2)))}
	g := &drawer{cfg: cfg}
	wg.Add(2)
	go client(ProducerClient, px, g.producer, prng, ccancel)
	go client(ConsumerClient, cx, g.consumer, crng, pcancel)
	close(start)
	wg.Wait()
	pcancel()
	ccancel()
	slices.SortFunc(h.Ops, func(a, b porcupine.Operation) int { return int(a.Call - b.Call) })
	return h, nil
}

// drawer draws each goroutine's next call from what its own half knows:
// whether its reservation or peek is open, which the spsc.Runner tracks.
type drawer struct {
	cfg       Config
	reserving bool // the producer drew a spsc.Reserve last (producer's goroutine only)
	pseed     byte // the producer's payload seeds: every packet differs from its neighbours
	closed    bool // the producer drew spsc.Close
	calls     int  // the producer's calls drawn so far
	ppending  bool // the producer drew a deferred commit since its last flush (producer's goroutine only)
	closeNext bool // the producer drew a flush in place of a Close, which comes next
	open      bool // the producer's reservation is open (producer's goroutine only)
	lastKind  spsc.Kind
	cpending  bool // the consumer drew a deferred release since its last flush (consumer's goroutine only)
}

// A Wait publishes its half's deferred calls when it starts, and may
// return much later; Close publishes the deferred commits, then closes:
// two instants each, which no single step of the model explains
// (docs/SPEC.md section 7.5). So the drawers flush before a wait or a
// Close that would publish; the sequential checks cover what these
// publish.

// flushFirst returns the flush to draw before op (a wait, or Close) if
// its half may have deferred calls; else op. busy: the half answers op
// with ErrBusy at once (and would answer the flush so too).
func flushFirst(op spsc.Op, pending *bool, busy bool) spsc.Op {
	if !*pending || busy {
		return op
	}
	*pending = false
	if op.Kind.Producer() {
		return spsc.Op{Kind: spsc.PFlush}
	}
	return spsc.Op{Kind: spsc.CFlush}
}

func (g *drawer) size(rng *rand.Rand) int {
	if rng.Intn(3) == 0 {
		return rng.Intn(g.cfg.MaxSize + 1)
	}
	return g.cfg.MaxSize
}

func (g *drawer) producer(rng *rand.Rand, x *spsc.Runner, last spsc.Result) spsc.Op {
	if g.closeNext {
		g.closeNext = false
		return spsc.Op{Kind: spsc.Close}
	}
	switch g.lastKind { // whether a reservation is open: a flush would answer ErrBusy
	case spsc.Reserve:
		g.open = last.Err == ""
	case spsc.Commit, spsc.CommitDeferred, spsc.Abort:
		g.open = false
	}
	op := g.pick(rng, last)
	g.lastKind = op.Kind
	return op
}

func (g *drawer) pick(rng *rand.Rand, last spsc.Result) spsc.Op {
	busy := g.open
	op := g.producerOp(rng, last)
	switch op.Kind {
	case spsc.WaitRoom:
		return flushFirst(op, &g.ppending, busy)
	case spsc.Close:
		if f := flushFirst(op, &g.ppending, busy); f.Kind != spsc.Close {
			g.closeNext = true
			return f
		}
	case spsc.CommitDeferred:
		g.ppending = true
	}
	return op
}

func (g *drawer) consumer(rng *rand.Rand, x *spsc.Runner, last spsc.Result) spsc.Op {
	op := g.consumerOp(rng, x, last)
	switch op.Kind {
	case spsc.WaitData:
		if x.Peeked() == nil { // else it answers ErrBusy at once
			return flushFirst(op, &g.cpending, false)
		}
	case spsc.ReleaseDeferred:
		g.cpending = true
	}
	return op
}

func (g *drawer) producerOp(rng *rand.Rand, last spsc.Result) spsc.Op {
	// A spsc.Reserve is always followed by its end, spsc.Commit or spsc.Abort (if the
	// spsc.Reserve failed, that end answers ErrInvalidState, which is checked
	// too).
	g.pseed++
	g.calls++
	if g.calls >= g.cfg.Ops-1 && !g.closed && rng.Intn(2) == 0 {
		g.closed = true // near the end, half the time: the consumer drains, then gets ErrClosed
		return spsc.Op{Kind: spsc.Close}
	}
	if last.Err == "ErrWouldBlock" && rng.Intn(2) == 0 {
		return spsc.Op{Kind: spsc.WaitRoom, MaxSize: g.size(rng)} // a blocked producer waits, mostly
	}
	if g.reserving {
		g.reserving = false
		if rng.Intn(5) == 0 {
			return spsc.Op{Kind: spsc.Abort}
		}
		n := g.cfg.MaxSize
		if rng.Intn(3) == 0 {
			n = rng.Intn(g.cfg.MaxSize + 2) // one more than any window: ErrInvalidLength sometimes
		}
		if rng.Intn(2) == 0 {
			return spsc.Op{Kind: spsc.CommitDeferred, N: n} // published by a later call
		}
		return spsc.Op{Kind: spsc.Commit, N: n}
	}
	if rng.Intn(8) == 0 {
		return spsc.Op{Kind: spsc.PFlush}
	}
	switch v := rng.Intn(100); {
	case v < 35:
		g.reserving = true
		return spsc.Op{Kind: spsc.Reserve, MaxSize: g.size(rng), Seed: g.pseed}
	case v < 60:
		s := g.size(rng)
		op := spsc.Op{Kind: spsc.PushWith, MaxSize: s, N: s, Seed: g.pseed}
		if rng.Intn(4) == 0 {
			op.N = rng.Intn(s + 1)
		}
		switch w := rng.Intn(20); {
		case w == 0:
			op.Callback = lockstep.CallErr
		case w == 1:
			op.Callback = lockstep.CallPanic
		case w == 2:
			op.Callback, op.Reenter, op.ReSize = lockstep.CallReenter, spsc.Kind(rng.Intn(int(spsc.PLen)+1)), rng.Intn(g.cfg.MaxSize+1)
		}
		return op
	case v < 75:
		return spsc.Op{Kind: spsc.Push, MaxSize: g.size(rng), Seed: g.pseed}
	case v < 85:
		return spsc.Op{Kind: spsc.WaitRoom, MaxSize: g.size(rng)}
	case v < 90:
		return spsc.Op{Kind: spsc.Used}
	case v < 95:
		return spsc.Op{Kind: spsc.PLen}
	case v < 96 && g.closed:
		return spsc.Op{Kind: spsc.Close} // again: ErrClosed
	}
	return spsc.Op{Kind: spsc.Commit, N: 0} // nothing open: ErrInvalidState
}

func (g *drawer) consumerOp(rng *rand.Rand, x *spsc.Runner, last spsc.Result) spsc.Op {
	if last.Err == "ErrEmpty" && rng.Intn(3) != 0 {
		return spsc.Op{Kind: spsc.WaitData} // an idle consumer waits, mostly
	}
	if x.Peeked() != nil && rng.Intn(6) != 0 {
		if rng.Intn(2) == 0 {
			return spsc.Op{Kind: spsc.ReleaseDeferred} // published by a later call
		}
		return spsc.Op{Kind: spsc.Release}
	}
	if rng.Intn(8) == 0 {
		return spsc.Op{Kind: spsc.CFlush}
	}
	switch v := rng.Intn(100); {
	case v < 30:
		return spsc.Op{Kind: spsc.Peek}
	case v < 55:
		op := spsc.Op{Kind: spsc.PopWith}
		switch w := rng.Intn(20); {
		case w == 0:
			op.Callback = lockstep.CallErr
		case w == 1:
			op.Callback = lockstep.CallPanic
		case w == 2:
			op.Callback, op.Reenter, op.ReSize = lockstep.CallReenter, spsc.Peek+spsc.Kind(rng.Intn(int(spsc.CLen-spsc.Peek)+1)), rng.Intn(g.cfg.MaxSize+1)
		}
		return op
	case v < 75:
		return spsc.Op{Kind: spsc.Pop, DstLen: g.cfg.MaxSize + rng.Intn(2) - rng.Intn(2)}
	case v < 90:
		return spsc.Op{Kind: spsc.WaitData}
	case v < 95:
		return spsc.Op{Kind: spsc.CLen}
	}
	return spsc.Op{Kind: spsc.Release} // usually nothing open: ErrInvalidState
}

// linState is the porcupine model's state: the model and what an open
// peek returned (the model always returns its packets intact).
type linState struct {
	m    *model.SPSC
	peek []byte
	key  string
}

func newLinState(m *model.SPSC, peek []byte) *linState {
	return &linState{m: m, peek: peek, key: Describe(m)}
}

// Describe renders the model's state in one line: closed, the open
// reservation or peek, the tail when empty, then every held packet as
// offset:length+padding and its first bytes.
func Describe(m *model.SPSC) string {
	var b strings.Builder
	fmt.Fprintf(&b, "h=%d u=%d end=%d", m.Head(), m.Used(), m.End)
	if m.Closed {
		b.WriteString(" closed")
	}
	if n, ok := m.Reserving(); ok {
		fmt.Fprintf(&b, " reserving=%d", n)
	}
	if m.Peeking() {
		b.WriteString(" peeking")
	}
	if m.Unpublished > 0 || m.Taken > 0 {
		fmt.Fprintf(&b, " unpublished=%d taken=%d", m.Unpublished, m.Taken)
	}
	b.WriteString(" [")
	for i, p := range m.Packets {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "%d:%d+%d %x", p.Off, len(p.Data), p.Pad, p.Data[:min(len(p.Data), 6)])
	}
	b.WriteString("]")
	return b.String()
}

// PorcupineModel is model.SPSC as a porcupine model: each step runs the spsc.Op
// on a copy of the model and requires the spsc.Result observed.
func PorcupineModel(capacityBytes, maxPackets int) porcupine.Model {
	return porcupine.Model{
		Init: func() any {
			m, err := model.NewSPSC(capacityBytes, maxPackets)
			if err != nil {
				panic(err)
			}
			return newLinState(m, nil)
		},
		Step: func(state, input, output any) (bool, any) {
			s := state.(*linState)
			m := s.m.Clone()
			x := spsc.NewRunner(spsc.Halves{P: m.Producer(), C: m.Consumer()})
			x.Resume(s.peek)
			want := x.Run(input.(spsc.Op))
			got := output.(spsc.Result)
			if !reflect.DeepEqual(want, got) {
				return false, state
			}
			return true, newLinState(m, x.Peeked())
		},
		Equal: func(a, b any) bool { return a.(*linState).key == b.(*linState).key },
		DescribeOperation: func(input, output any) string {
			return fmt.Sprintf("%s -> %s", input.(spsc.Op), output.(spsc.Result))
		},
		DescribeState: func(state any) string { return state.(*linState).key },
	}
}

// Check checks h for linearizability against model.SPSC, and returns
// porcupine's verdict and, unless the history is linearizable, a readable
// account of it (see Report).
func Check(h History, timeout time.Duration) (porcupine.CheckResult, string) {
	m := PorcupineModel(h.Cap, h.Slots)
	res, info := porcupine.CheckOperationsVerbose(m, h.Ops, timeout)
	if res == porcupine.Ok {
		return res, ""
	}
	return res, Report(h, m, info)
}

// Report renders a history for a person: every call in time order, the
// producer's on the left and the consumer's on the right, each with its
// logical call and return times and its answer; then the longest prefix
// porcupine could linearize, step by step with the model's state after
// each, and the calls none of which can come next.
func Report(h History, m porcupine.Model, info porcupine.LinearizationInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "history (new %d %d; times are logical, [call, return]):\n", h.Cap, h.Slots)
	for i, o := range h.Ops {
		line := fmt.Sprintf("%3d [%3d,%3d] %s -> %s", i, o.Call, o.Return, o.Input.(spsc.Op), o.Output.(spsc.Result))
		if o.ClientId == ConsumerClient {
			fmt.Fprintf(&b, "%52s| C %s\n", "", line)
		} else {
			fmt.Fprintf(&b, "P %s\n", line)
		}
	}
	var best []porcupine.Operation
	for _, part := range info.PartialLinearizationsOperations() {
		for _, lin := range part {
			if len(lin) > len(best) {
				best = lin
			}
		}
	}
	state := m.Init()
	fmt.Fprintf(&b, "longest linearizable prefix (%d of %d calls), with the model's state after each:\n", len(best), len(h.Ops))
	fmt.Fprintf(&b, "    start: %s\n", m.DescribeState(state))
	in := map[int64]bool{}
	for _, o := range best {
		_, state = m.Step(state, o.Input, o.Output)
		in[o.Call] = true
		who := "P"
		if o.ClientId == ConsumerClient {
			who = "C"
		}
		fmt.Fprintf(&b, "  %s %s -> %s\n      %s\n", who, o.Input.(spsc.Op), o.Output.(spsc.Result), m.DescribeState(state))
	}
	b.WriteString("none of these can come next (what the model would answer instead):\n")
	seen := map[int]bool{}
	for _, o := range h.Ops {
		if in[o.Call] || seen[o.ClientId] {
			continue
		}
		seen[o.ClientId] = true // each goroutine's first call not linearized: the only candidates
		s := state.(*linState)
		mm := s.m.Clone()
		x := spsc.NewRunner(spsc.Halves{P: mm.Producer(), C: mm.Consumer()})
		x.Resume(s.peek)
		fmt.Fprintf(&b, "  %s -> %s; model: %s\n", o.Input.(spsc.Op), o.Output.(spsc.Result), x.Run(o.Input.(spsc.Op)))
	}
	return b.String()
}

// Stats counts what a set of histories exercised.
type Stats struct {
	Histories, Calls int
	Overlapping      int // calls whose [call, return] overlaps a call of the other goroutine
	Pushed, Popped   int // packets committed, packets removed
	WouldBlock       int
	Empty            int
	Closed           int // ErrClosed answers
	Waits            int // waits that returned nil
	Deferred         int // deferred commits and releases
}

// Add counts h.
func (s *Stats) Add(h History) {
	s.Histories++
	s.Calls += len(h.Ops)
	for i, o := range h.Ops {
		for j, q := range h.Ops {
			if i != j && q.ClientId != o.ClientId && q.Call <= o.Return && o.Call <= q.Return {
				s.Overlapping++
				break
			}
		}
		op, r := o.Input.(spsc.Op), o.Output.(spsc.Result)
		ok := r.Err == "" && r.Panic == ""
		switch op.Kind {
		case spsc.Commit, spsc.PushWith, spsc.Push:
			s.Pushed += b2i(ok)
		case spsc.CommitDeferred:
			s.Pushed += b2i(ok)
			s.Deferred += b2i(ok)
		case spsc.Release, spsc.PopWith, spsc.Pop:
			s.Popped += b2i(ok)
		case spsc.ReleaseDeferred:
			s.Popped += b2i(ok)
			s.Deferred += b2i(ok)
		case spsc.WaitRoom, spsc.WaitData:
			s.Waits += b2i(ok)
		}
		switch r.Err {
		case "ErrWouldBlock":
			s.WouldBlock++
		case "ErrEmpty":
			s.Empty++
		case "ErrClosed":
			s.Closed++
		}
	}
}

func (s Stats) String() string {
	return fmt.Sprintf("histories=%d calls=%d overlapping=%d pushed=%d popped=%d deferred=%d ErrWouldBlock=%d ErrEmpty=%d ErrClosed=%d waits=%d",
		s.Histories, s.Calls, s.Overlapping, s.Pushed, s.Popped, s.Deferred, s.WouldBlock, s.Empty, s.Closed, s.Waits)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
