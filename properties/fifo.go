package properties

import (
	"fmt"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"pgregory.net/rapid"
)

// CheckFIFO checks buffers from newFIFO as first-in first-out datagram
// buffers, without knowing how they store packets:
//
//   - accepted packets come out in order, byte for byte, exactly once;
//   - a push refused with ErrWouldBlock (or what ErrorMeans maps to it)
//     changes nothing, and an empty buffer refuses no packet of up to
//     min(capacityBytes, MaxPacket) bytes;
//   - the buffer never holds more than maxPackets packets;
//   - Pop answers ErrEmpty on an empty buffer (unless PopBlocksWhenEmpty),
//     io.ErrShortBuffer into a short dst, keeping the packet (unless
//     ShortPopDrops), and writes nothing past len(dst);
//   - the caller's slice may be reused after Push (unless KeepsSlice);
//   - with PushWith and PopWith: fill gets maxSize bytes; a fill or
//     consume that fails or panics, or a fill that reports an invalid n,
//     commits or removes nothing, its error or panic coming out unchanged;
//     with DetectsReentry, a call from inside a callback answers ErrBusy;
//   - Len, if the buffer has it, counts the packets held.
//
// Scenarios of the form `fifo C S` given with Corpus are replayed first.
// netbuf's own buffers pass it; CheckUnordered checks them further.
func CheckFIFO(t testing.TB, newFIFO FIFOFactory, opts ...Option) {
	t.Helper()
	r := newRun(t, "CheckFIFO", opts)
	probe, err := newFIFO(1, 1)
	if err != nil || probe == nil {
		r.fail(&Failure{Engine: "constructor", Err: fmt.Errorf("New(1, 1) = %v, %v: want a buffer", probe, err)})
		return
	}
	b := newFIFOBuffer(probe)
	r.logf("checking a FIFO of datagrams; Len %v, PushWith %v, PopWith %v", b.len != nil, b.pushWith != nil, b.popWith != nil)
	r.engine("corpus", func() *Failure { return replayFIFOCorpus(r, newFIFO) })
	r.engine("rapid", func() *Failure { return checkFIFORapid(r, newFIFO) })
}

// fifoCase re-checks, shrinks and prints the calls of one FIFO case.
func fifoCase(cfg *config, newFIFO FIFOFactory, c, slots int) caseOf[unordered.Op] {
	check := func(ops []unordered.Op) error {
		_, err := runFIFO(cfg, newFIFO, c, slots, ops)
		return err
	}
	return caseOf[unordered.Op]{
		check:  check,
		shrink: func(ops []unordered.Op) []unordered.Op { return shrinkOps(ops, check) },
		record: func(ops []unordered.Op) string {
			answers, _ := runFIFO(cfg, newFIFO, c, slots, ops)
			lines := []string{fmt.Sprintf("fifo %d %d", c, slots)}
			for i, op := range ops {
				lines = append(lines, op.String()+" -> "+answers[i])
			}
			return strings.Join(lines, "\n")
		},
	}
}

// runFIFO runs ops on a fresh buffer and returns its answers, up to the
// first that breaks a rule, and that rule.
func runFIFO(cfg *config, newFIFO FIFOFactory, c, slots int, ops []unordered.Op) ([]string, error) {
	b, err := newFIFO(c, slots)
	if err != nil {
		return nil, fmt.Errorf("fifo %d %d: %w", c, slots, err)
	}
	p := &fifoPair{b: newFIFOBuffer(b), cap: c, slots: slots, cfg: cfg}
	var answers []string
	for _, op := range ops {
		if !p.drawable(op) {
			answers = append(answers, "(skipped)")
			continue
		}
		a, err := p.apply(op)
		answers = append(answers, a)
		if err != nil {
			return answers, err
		}
	}
	return answers, nil
}

// drawable reports whether op is one the buffer takes now: a callback
// form it has, and no Pop of an empty buffer whose Pop blocks.
func (p *fifoPair) drawable(op unordered.Op) bool {
	switch op.Kind {
	case unordered.PushWith:
		return p.b.pushWith != nil
	case unordered.PopWith:
		return p.b.popWith != nil && (p.m.Len() > 0 || !p.cfg.popBlocks)
	case unordered.Pop:
		return p.m.Len() > 0 || !p.cfg.popBlocks
	}
	return true
}

func checkFIFORapid(r *run, newFIFO FIFOFactory) *Failure {
	var last failure[unordered.Op]
	var steps, accepted, refused int
	failed, replay := runRapid(r, 1000, shrinkTime, func(rt *rapid.T) {
		c := min(rapid.IntRange(1, 64).Draw(rt, "capacity")+r.cfg.overhead, r.cfg.capLimit())
		if rapid.IntRange(0, 9).Draw(rt, "realistic") == 9 {
			c = min(64<<10+r.cfg.overhead, r.cfg.capLimit())
		}
		slots := rapid.IntRange(1, min(8, r.cfg.slotLimit())).Draw(rt, "slots")
		rec := &recorder[unordered.Op]{of: fifoCase(&r.cfg, newFIFO, c, slots), last: &last}
		b, err := newFIFO(c, slots)
		if err != nil {
			rec.fail(rt, fmt.Errorf("fifo %d %d: %w", c, slots, err))
		}
		p := &fifoPair{b: newFIFOBuffer(b), cap: c, slots: slots, cfg: &r.cfg}
		g := fifoGen{p: p, mtu: rapid.IntRange(0, max(0, p.accepts())).Draw(rt, "mtu")}
		apply := func(rt *rapid.T, op unordered.Op) {
			if !p.drawable(op) {
				return
			}
			steps++
			n := p.m.Len()
			rec.apply(rt, op, func(op unordered.Op) error { _, err := p.apply(op); return err })
			if op.Kind == unordered.Push || op.Kind == unordered.PushWith {
				accepted += b2i(p.m.Len() > n)
				refused += b2i(p.m.Len() == n)
			}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"Push": func(rt *rapid.T) { apply(rt, g.push(rapidSource{rt})) },
			"Pop":  func(rt *rapid.T) { apply(rt, g.pop(rapidSource{rt})) },
			"Fill": func(rt *rapid.T) { // pushes until one is refused: fills the buffer
				for range rapid.IntRange(1, 2*slots).Draw(rt, "burst") {
					n := p.m.Len()
					apply(rt, g.push(rapidSource{rt}))
					if p.m.Len() == n {
						return
					}
				}
			},
			"PushWith": func(rt *rapid.T) { apply(rt, g.pushWith(rapidSource{rt})) },
			"PopWith":  func(rt *rapid.T) { apply(rt, g.popWith(rapidSource{rt})) },
		})
		for p.m.Len() > 0 { // drain: every packet comes out, in order
			apply(rt, unordered.Op{Kind: unordered.Pop, DstLen: len(p.m.Oldest())})
		}
	})
	if failed {
		return last.value("rapid", replay)
	}
	r.stats("rapid", fifoStats{steps, accepted, refused})
	return nil
}

type fifoStats struct{ steps, accepted, refused int }

func (s fifoStats) String() string {
	return fmt.Sprintf("steps=%d pushes-accepted=%d pushes-refused=%d", s.steps, s.accepted, s.refused)
}
