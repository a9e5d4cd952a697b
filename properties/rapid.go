package properties

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/model"
	"pgregory.net/rapid"
)

// checkRapid is the pgregory.net/rapid engine: a state machine (T.Repeat
// with named actions) that drives a buffer from newBuffer and the model in
// lockstep, one Op at a time, then drains both. rapid shrinks any failure
// to a short op list, printed in the failure message.
//
// It runs two profiles in turn, each its own rapid.Check: "tiny" buffers
// first, where a failure shrinks to a few ops, then "realistic" ones, only
// if tiny passed (a realistic failure cannot shrink into a tiny buffer).
// Each runs its cases per unit of scale() (see rapidProfiles), unless
// -rapid.checks is given, which then wins. One STATS line reports what
// every case exercised together.
func checkRapid(t *testing.T, newBuffer Factory) {
	t.Helper()
	var total Stats
	for _, p := range rapidProfiles {
		ok := t.Run(p.name, func(t *testing.T) {
			defer setRapidChecks(p.checks * scale())()
			var ps Stats
			rapid.Check(t, func(rt *rapid.T) {
				var stats Stats
				defer func() { ps.Add(stats) }()
				m := p.newMachine(rt, newBuffer, &stats)
				if m == nil {
					return // both sides refused the constructor arguments, as they should
				}
				rt.Repeat(m.actions())
				m.drain(rt)
			})
			t.Logf("%s: %s", p.name, ps)
			total.Add(ps)
		})
		if !ok {
			return // its counterexample is the one to read
		}
	}
	report(t, "rapid", total)
}

// rapidProfile is a family of configurations and how many cases of it one
// unit of scale() runs.
type rapidProfile struct {
	name       string
	checks     int
	newMachine func(t *rapid.T, newBuffer Factory, stats *Stats) *rapidMachine
}

// rapidProfiles: tiny buffers (1..64 bytes, 1..8 slots, and invalid
// constructor arguments) wrap every few pushes; realistic ones (1500-byte
// datagrams in 64 KiB) take longer cases, so fewer of them. 1000 + 200
// cases take a few seconds under -race.
var rapidProfiles = []rapidProfile{
	{"tiny", 1000, newTinyMachine},
	{"realistic", 200, newRealisticMachine},
}

// setRapidChecks sets rapid's -rapid.checks to n, unless the flag was given
// on the command line (an explicit count wins), and returns a function that
// restores it. rapid reads its flags only through package variables, so this
// is the one way to size it from inside a test. Not for parallel tests that
// use rapid at the same time.
func setRapidChecks(n int) (restore func()) {
	f := flag.Lookup("rapid.checks")
	if f == nil || flagGiven("rapid.checks") {
		return func() {}
	}
	old := f.Value.String()
	_ = f.Value.Set(strconv.Itoa(n)) // Value.Set, not flag.Set: the flag stays "not given"
	return func() { _ = f.Value.Set(old) }
}

// flagGiven reports whether the named flag was set on the command line.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// realisticMTU is the maxSize a realistic configuration mostly asks for: an
// Ethernet payload.
const realisticMTU = 1500

// rapidMachine is one rapid case: a Pair, the typical packet size of its
// configuration, and the ops applied so far (the counterexample if one
// fails).
type rapidMachine struct {
	pair *Pair
	mtu  int      // typical maxSize: drawn for tiny configurations, realisticMTU otherwise
	ops  []string // every op applied, rendered
}

// newTinyMachine draws a tiny configuration (1..64 bytes, 1..8 slots, a
// typical packet size up to Cap), so a run of a few dozen steps wraps many
// times; or, one time in ten, invalid constructor arguments, which both
// sides must refuse (it then returns nil).
func newTinyMachine(t *rapid.T, newBuffer Factory, stats *Stats) *rapidMachine {
	// Every draw is made whatever the kind, so that when rapid shrinks an
	// invalid configuration to a valid one, the draws after it keep their
	// meaning.
	kind := rapid.IntRange(0, 9).Draw(t, "config")
	c := rapid.IntRange(1, 64).Draw(t, "capacity")
	slots := rapid.IntRange(1, 8).Draw(t, "slots")
	mtu := rapid.IntRange(1, c).Draw(t, "mtu")
	bad := []int{0, -1, 1, beyondLimit}
	badC, badSlots := rapid.SampledFrom(bad).Draw(t, "bad capacity"), rapid.SampledFrom(bad).Draw(t, "bad slots")
	if kind == 9 {
		c, slots = badC, badSlots
	}
	return newMachine(t, newBuffer, stats, c, slots, mtu)
}

// newRealisticMachine draws a realistic configuration: 64 KiB (or, one time
// in four, between 1500 bytes and 64 KiB) of 1500-byte datagrams, with 44
// slots (about as many as fit), 64 or 1024.
func newRealisticMachine(t *rapid.T, newBuffer Factory, stats *Stats) *rapidMachine {
	c := 64 << 10
	if rapid.IntRange(0, 3).Draw(t, "any capacity") == 3 {
		c = rapid.IntRange(realisticMTU, 64<<10).Draw(t, "capacity")
	}
	slots := rapid.SampledFrom([]int{44, 64, 1024}).Draw(t, "slots")
	return newMachine(t, newBuffer, stats, c, slots, realisticMTU)
}

// newMachine builds the pair for a configuration; nil if both sides refuse
// it, a failed case if only one does.
func newMachine(t *rapid.T, newBuffer Factory, stats *Stats, c, slots, mtu int) *rapidMachine {
	p, err := NewPair(newBuffer, c, slots)
	if err != nil {
		t.Fatalf("%v", err)
	}
	if p == nil {
		return nil
	}
	p.Stats = stats
	t.Logf("config: New(%d, %d)", c, slots)
	return &rapidMachine{pair: p, mtu: mtu}
}

// beyondLimit is one more than the documented limit on both constructor
// arguments, which must be refused; 0 where int cannot hold it (32 bits).
var beyondLimit = func() int {
	n := int64(model.MaxCapacity) + 1
	if int64(int(n)) != n {
		return 0
	}
	return int(n)
}()

// apply runs op on both sides and fails the case, with the whole op list,
// on any difference or broken invariant.
func (m *rapidMachine) apply(t *rapid.T, op Op) {
	t.Helper()
	m.ops = append(m.ops, op.String())
	if err := m.pair.Apply(op); err != nil {
		t.Fatalf("%v\n%s", err, m.counterexample())
	}
}

// counterexample renders the configuration and every op applied so far.
func (m *rapidMachine) counterexample() string {
	var b strings.Builder
	fmt.Fprintf(&b, "counterexample: New(%d, %d), then %d ops:\n", m.pair.Ref.Cap(), m.pair.Ref.MaxPackets(), len(m.ops))
	for i, op := range m.ops {
		fmt.Fprintf(&b, "  %2d. %s\n", i+1, op)
	}
	return b.String()
}

// actions are the state machine's named actions; "" is the invariant check
// rapid runs before the first action and after every one.
func (m *rapidMachine) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"":          m.check,
		"Push":      func(t *rapid.T) { m.apply(t, m.drawPush(t)) },
		"PushWith":  func(t *rapid.T) { m.apply(t, m.drawPushWith(t)) },
		"PushMTU":   func(t *rapid.T) { m.apply(t, m.drawTypical(t)) },
		"PushBurst": m.pushBurst,
		"PopWith":   func(t *rapid.T) { m.apply(t, m.drawPopWith(t)) },
		"Pop":       func(t *rapid.T) { m.apply(t, m.drawPop(t)) },
		"PopBurst":  m.popBurst,
		"Reset":     m.reset,
		"Stream":    m.stream,
		"NilFunc":   m.nilFunc,
		"PushBatch": m.pushBatch,
	}
}

// check compares the counters of both sides and runs the buffer's own
// invariant check, so that even a fresh buffer is checked before any op.
func (m *rapidMachine) check(t *rapid.T) {
	impl, ref := m.pair.Impl, m.pair.Ref
	got := [4]int{impl.Len(), impl.Used(), impl.Cap(), impl.MaxPackets()}
	want := [4]int{ref.Len(), ref.Used(), ref.Cap(), ref.MaxPackets()}
	if got != want {
		t.Fatalf("Len, Used, Cap, MaxPackets: buffer %v, model %v\n%s", got, want, m.counterexample())
	}
	if c, ok := impl.(checker); ok {
		if err := c.Check(); err != nil {
			t.Fatalf("invariant broken: %v\n%s", err, m.counterexample())
		}
	}
}

// nilFunc calls PushWith, PopWith (or PushBatch, if the buffer has it) with
// a nil callback: both sides must give the same answer (the checks of the
// contract first, then ErrNilFunc) and change nothing. The model stands for
// PushBatch with PushWith: their answers to a nil fill are the same.
func (m *rapidMachine) nilFunc(t *rapid.T) {
	var op string
	var run func(b Buffer, batch bool) error
	switch kind := rapid.IntRange(0, 2).Draw(t, "nil kind"); kind {
	case 0:
		op, run = "popwith nil", func(b Buffer, _ bool) error { return b.PopWith(nil) }
	default:
		maxSize := m.drawMaxSize(t)
		batcher, isBatcher := m.pair.Impl.(Batcher)
		batch := kind == 2 && isBatcher
		op = fmt.Sprintf("pushwith %d nil", maxSize)
		if batch {
			op = fmt.Sprintf("pushbatch %d bufs=1 nil", maxSize)
		}
		run = func(b Buffer, impl bool) error {
			var n int
			var err error
			if impl && batch {
				n, err = batcher.PushBatch(maxSize, make([][]byte, 1), nil)
			} else {
				n, err = b.PushWith(maxSize, nil)
			}
			if n != 0 {
				return fmt.Errorf("n = %d", n)
			}
			return err
		}
	}
	m.ops = append(m.ops, op)
	want, got := errKind(run(m.pair.Ref, false)), errKind(run(m.pair.Impl, true))
	if want != got {
		t.Fatalf("%s: buffer says %q, model says %q\n%s", op, got, want, m.counterexample())
	}
}

// pushBurst pushes up to one packet per free slot (64 at most) in a row, of the typical
// size or any, with fills that succeed, so that realistic configurations
// (44 slots of 1500 bytes fill 64 KiB) reach the end of the storage.
// It stops at the first push that finds no room.
func (m *rapidMachine) pushBurst(t *rapid.T) {
	free := m.pair.Ref.MaxPackets() - m.pair.Ref.Len()
	k := rapid.IntRange(1, min(max(1, free), 64)).Draw(t, "burst")
	for range k {
		op := m.drawTypical(t)
		_, _, err := m.pair.Ref.Place(op.MaxSize)
		m.apply(t, op)
		if err != nil {
			return
		}
	}
}

// drawTypical draws a PushWith of the typical size (or, one time in two,
// any drawMaxSize), whose fill succeeds, mostly writing all of it.
func (m *rapidMachine) drawTypical(t *rapid.T) Op {
	op := Op{Kind: OpPushWith, MaxSize: m.mtu}
	if rapid.Bool().Draw(t, "any size") {
		op.MaxSize = m.drawMaxSize(t)
	}
	op.N = drawN(t, op.MaxSize)
	op.Seed = rapid.Byte().Draw(t, "seed")
	return op
}

// stream runs a producer and a consumer in step: rounds of one push of the
// typical size (or, one time in four, any PushWith), then pops while lag
// packets or more are held (or once, if the push found no room). The head
// follows the tail around the storage without the buffer emptying, so the
// pushes wrap every Cap()/mtu rounds: the steady state of a receive buffer.
func (m *rapidMachine) stream(t *rapid.T) {
	lag := rapid.IntRange(2, max(2, m.pair.Ref.MaxPackets())).Draw(t, "lag")
	laps := 3 * m.pair.Ref.Cap() / max(m.mtu, 1) // rounds to go round the storage 3 times
	k := rapid.IntRange(1, min(max(laps, 16), 160)).Draw(t, "rounds")
	for range k {
		op := m.drawTypical(t)
		if rapid.IntRange(0, 3).Draw(t, "any push") == 0 {
			op = m.drawPushWith(t) // failures in the steady state too: at a wrap, they must leave no padding
		}
		_, _, err := m.pair.Ref.Place(op.MaxSize)
		m.apply(t, op)
		for m.pair.Ref.Len() >= lag || (err != nil && m.pair.Ref.Len() > 0) {
			m.apply(t, m.drawStreamPop(t))
			err = nil // one pop per refused push: the consumer catches up
		}
	}
}

// drawStreamPop draws a pop that succeeds: Pop with room, or PopWith ok.
func (m *rapidMachine) drawStreamPop(t *rapid.T) Op {
	if rapid.Bool().Draw(t, "pop") {
		return Op{Kind: OpPop, DstLen: m.pair.Ref.Cap()}
	}
	return Op{Kind: OpPopWith, Seed: rapid.Byte().Draw(t, "seed")}
}

// popBurst pops some packets in a row with a long enough dst, but leaves
// one at least: the head moves forward without the buffer emptying (which
// would reset it to 0), the steady state in which pushes wrap.
func (m *rapidMachine) popBurst(t *rapid.T) {
	if m.pair.Ref.Len() < 2 {
		t.Skip("fewer than 2 packets") // no draw yet: rapid picks another action
	}
	k := rapid.IntRange(1, m.pair.Ref.Len()-1).Draw(t, "burst")
	for range k {
		m.apply(t, Op{Kind: OpPop, DstLen: m.pair.Ref.Cap()})
	}
}

// reset runs Reset, only on a buffer holding 2 packets or more: on an
// emptier one it shows little, and skipping keeps resets rarer than other
// actions, so that runs reach the wrap.
func (m *rapidMachine) reset(t *rapid.T) {
	if m.pair.Ref.Len() < 2 {
		t.Skip("fewer than 2 packets")
	}
	m.apply(t, Op{Kind: OpReset})
}

// drain pops every packet left, then requires both sides to be empty with
// Used() == 0: no byte is ever leaked.
func (m *rapidMachine) drain(t *rapid.T) {
	for m.pair.Ref.Len() > 0 {
		m.apply(t, Op{Kind: OpPop, DstLen: m.pair.Ref.Cap()})
	}
	if n, u := m.pair.Impl.Len(), m.pair.Impl.Used(); n != 0 || u != 0 {
		t.Fatalf("after draining: Len %d, Used %d, want 0, 0 (leak)\n%s", n, u, m.counterexample())
	}
}

// windows returns the model's tail and head windows (contract rule 3).
func (m *rapidMachine) windows() (tail, head int) {
	c, h, u := m.pair.Ref.Cap(), m.pair.Ref.Head(), m.pair.Ref.Used()
	if t := h + u; t <= c {
		return c - t, h
	}
	return c - u, 0
}

// drawMaxSize draws a maxSize from the cases the contract distinguishes:
// a size that only fits by wrapping, the exact tail or head window (and one
// more), the typical size, small, 0, Cap, more than Cap, negative. rapid
// favours low draws, so wraps and windows come first: exact fits, wraps and
// paddings are where geometry bugs live.
func (m *rapidMachine) drawMaxSize(t *rapid.T) int {
	c := m.pair.Ref.Cap()
	tail, head := m.windows()
	switch rapid.IntRange(0, 15).Draw(t, "size kind") {
	case 0, 1:
		if tail < head {
			return rapid.IntRange(tail+1, head).Draw(t, "wrapping size") // fits only at 0
		}
		return m.mtu
	case 2:
		if tail == 0 {
			return m.mtu
		}
		return tail
	case 3:
		if head == 0 {
			return m.mtu
		}
		return head
	case 4, 5:
		return m.mtu
	case 6:
		return tail + 1 // just too long for the tail: wraps or blocks
	case 7:
		return head + 1
	case 8, 9:
		return rapid.IntRange(1, c).Draw(t, "size")
	case 10:
		return rapid.IntRange(0, min(c, 8)).Draw(t, "small size")
	case 11:
		return 0
	case 12:
		return c
	case 13:
		return c + rapid.IntRange(1, 3).Draw(t, "over cap")
	default:
		return -rapid.IntRange(1, 3).Draw(t, "negative")
	}
}

// drawN draws a valid n for a fill of maxSize bytes, mostly all of it.
func drawN(t *rapid.T, maxSize int) int {
	if maxSize <= 0 {
		return 0
	}
	switch rapid.IntRange(0, 7).Draw(t, "n kind") {
	case 0:
		return 0
	case 1, 2:
		return rapid.IntRange(0, maxSize).Draw(t, "n")
	default:
		return maxSize
	}
}

// drawReenter draws the method a reentrant callback calls.
func drawReenter(t *rapid.T) Kind {
	return Kind(rapid.IntRange(0, int(numKinds)-1).Draw(t, "reenter"))
}

func (m *rapidMachine) drawPush(t *rapid.T) Op {
	return Op{Kind: OpPush, MaxSize: m.drawMaxSize(t), Seed: rapid.Byte().Draw(t, "seed")}
}

// drawPushWith draws a PushWith whose fill may report a valid n, an invalid
// n, fail, panic or call back into the buffer.
func (m *rapidMachine) drawPushWith(t *rapid.T) Op {
	op := Op{Kind: OpPushWith, MaxSize: m.drawMaxSize(t)}
	op.N = drawN(t, op.MaxSize)
	switch rapid.IntRange(0, 9).Draw(t, "fill") {
	case 6:
		op.N = -rapid.IntRange(1, 3).Draw(t, "negative n")
		if rapid.Bool().Draw(t, "n too long") {
			op.N = max(op.MaxSize, 0) + rapid.IntRange(1, 3).Draw(t, "extra n")
		}
	case 7:
		op.Fill = CallErr
	case 8:
		op.Fill = CallPanic
	case 9:
		op.Fill = CallReenter
		op.Reenter = drawReenter(t)
	}
	op.Seed = rapid.Byte().Draw(t, "seed")
	return op
}

func (m *rapidMachine) drawPopWith(t *rapid.T) Op {
	op := Op{Kind: OpPopWith}
	switch rapid.IntRange(0, 5).Draw(t, "consume") {
	case 3:
		op.Consume = CallErr
	case 4:
		op.Consume = CallPanic
	case 5:
		op.Consume = CallReenter
		op.Reenter = drawReenter(t)
	}
	op.Seed = rapid.Byte().Draw(t, "seed")
	return op
}

// drawPop draws a Pop whose dst is exactly long enough, longer, or short
// (io.ErrShortBuffer keeps the packet) for the oldest packet.
func (m *rapidMachine) drawPop(t *rapid.T) Op {
	l := 0
	if m.pair.Ref.Len() > 0 {
		l = len(m.pair.Ref.Packets[0].Data)
	}
	op := Op{Kind: OpPop, DstLen: l}
	switch rapid.IntRange(0, 2).Draw(t, "dst kind") {
	case 1:
		op.DstLen = l + rapid.IntRange(1, 8).Draw(t, "dst extra")
	case 2:
		if l > 0 {
			op.DstLen = rapid.IntRange(0, l-1).Draw(t, "short dst")
		}
	}
	return op
}
