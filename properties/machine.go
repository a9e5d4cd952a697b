package properties

import (
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"pgregory.net/rapid"
)

// rapidSource draws through rapid, which records and shrinks each draw.
type rapidSource struct{ t *rapid.T }

func (s rapidSource) intn(lo, hi int, label string) int {
	return rapid.IntRange(lo, hi).Draw(s.t, label)
}

// rapidMachine is one rapid case: a Pair, its generator, and the ops
// applied so far (the counterexample if one fails).
type rapidMachine struct {
	pair *unordered.Pair
	gen  gen
	rec  *recorder[unordered.Op]
}

// newRapidMachine draws a configuration of profile p and builds the pair
// for it; nil if both sides refuse it, a failed case if only one does.
func newRapidMachine(t *rapid.T, p rapidProfile, o *config, newBuffer unordered.Factory, feat lockstep.Features, stats *unorderedStats, last *failure[unordered.Op]) *rapidMachine {
	c, slots, mtu := p.config(t, o)
	rec := &recorder[unordered.Op]{of: unorderedCase(newBuffer, c, slots), last: last}
	pair, err := unordered.NewPair(newBuffer, unordered.Config{Capacity: c, MaxPackets: slots})
	if err != nil {
		rec.fail(t, err)
	}
	if pair == nil {
		return nil
	}
	pair.Observe = stats.observe
	return &rapidMachine{pair: pair, gen: gen{ref: pair.Ref, mtu: mtu, feat: feat, limit: o.packetLimit()}, rec: rec}
}

// apply runs op on both sides and fails the case on any difference.
func (m *rapidMachine) apply(t *rapid.T, op unordered.Op) {
	t.Helper()
	m.rec.apply(t, op, func(op unordered.Op) error { _, err := m.pair.Apply(op); return err })
}

// actions are the state machine's named actions; "" is the invariant check
// rapid runs before the first action and after every one.
func (m *rapidMachine) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"": func(t *rapid.T) {
			if err := m.pair.Counters(); err != nil {
				m.rec.fail(t, err)
			}
		},
		"Op":        func(t *rapid.T) { m.apply(t, m.gen.drawOp(rapidSource{t})) },
		"Op2":       func(t *rapid.T) { m.apply(t, m.gen.drawOp(rapidSource{t})) },
		"PushBurst": m.pushBurst,
		"PopBurst":  m.popBurst,
		"Stream":    m.stream,
	}
}

// pushBurst pushes up to one packet per free slot (64 at most) in a row,
// of the typical size or any, with fills that succeed, so that realistic
// configurations (44 slots of 1500 bytes fill 64 KiB) reach the end of the
// storage. It stops at the first push that finds no room.
func (m *rapidMachine) pushBurst(t *rapid.T) {
	ref := m.pair.Ref
	k := rapid.IntRange(1, min(max(1, ref.MaxPackets()-ref.Len()), 64)).Draw(t, "burst")
	for range k {
		op := m.gen.drawTypical(rapidSource{t})
		_, _, err := ref.Place(op.MaxSize)
		m.apply(t, op)
		if err != nil {
			return
		}
	}
}

// stream runs a producer and a consumer in step: rounds of one push of the
// typical size (or, one time in four, any drawn op), then pops while lag
// packets or more are held (or once, if the push found no room). The head
// follows the tail around the storage without the buffer emptying: the
// steady state of a receive buffer, where pushes wrap.
func (m *rapidMachine) stream(t *rapid.T) {
	ref := m.pair.Ref
	lag := rapid.IntRange(2, max(2, ref.MaxPackets())).Draw(t, "lag")
	laps := 3 * ref.Cap() / max(m.gen.mtu, 1) // rounds to go round the storage 3 times
	for range rapid.IntRange(1, min(max(laps, 16), 160)).Draw(t, "rounds") {
		op := m.gen.drawTypical(rapidSource{t})
		if rapid.IntRange(0, 3).Draw(t, "any op") == 0 {
			op = m.gen.drawOp(rapidSource{t}) // failures in the steady state too
		}
		_, _, err := ref.Place(op.MaxSize)
		m.apply(t, op)
		for ref.Len() >= lag || (err != nil && ref.Len() > 0) {
			if _, open := ref.Reserving(); open || ref.Peeking() {
				break
			}
			m.apply(t, m.drawStreamPop(t))
			err = nil // one pop per refused push: the consumer catches up
		}
	}
}

// drawStreamPop draws a pop that succeeds: Pop with room, or PopWith ok.
func (m *rapidMachine) drawStreamPop(t *rapid.T) unordered.Op {
	if rapid.Bool().Draw(t, "pop") {
		return unordered.Op{Kind: unordered.Pop, DstLen: m.pair.Ref.Cap()}
	}
	return unordered.Op{Kind: unordered.PopWith, Seed: byte(rapid.IntRange(0, 255).Draw(t, "seed"))}
}

// popBurst pops some packets in a row but leaves one at least: the head
// moves forward without the buffer emptying (which would reset it to 0).
func (m *rapidMachine) popBurst(t *rapid.T) {
	if m.pair.Ref.Len() < 2 {
		t.Skip("fewer than 2 packets") // no draw yet: rapid picks another action
	}
	for range rapid.IntRange(1, m.pair.Ref.Len()-1).Draw(t, "burst") {
		m.apply(t, unordered.Op{Kind: unordered.Pop, DstLen: m.pair.Ref.Cap()})
	}
}

// drain ends what is open, pops every packet left, then requires both
// sides to be empty with Used() == 0: no byte is ever leaked.
func (m *rapidMachine) drain(t *rapid.T) {
	if err := drain(m.pair, func(op unordered.Op) error { m.apply(t, op); return nil }); err != nil {
		m.rec.fail(t, err)
	}
}
