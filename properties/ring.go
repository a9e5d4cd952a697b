package properties

import (
	"strconv"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step"
	"pgregory.net/rapid"
)

// Ring is the behaviour of netbuf.Ring[T] under test, with T = uint64.
type Ring = step.Ring

// RingFactory builds an empty ring; it returns an error exactly where
// netbuf.NewRing does.
type RingFactory = step.RingFactory

// CheckRing runs a rapid state machine for rings from newRing against
// model.Ring (through step.RingPair): every Push, Pop, Peek and Reset gives
// the same answer and value, and Len, Cap (and Full, if the ring has it)
// agree after every step. Capacities are mostly 1 to 8, so the ring's
// indices wrap many times.
func CheckRing(t *testing.T, newRing RingFactory) {
	t.Helper()
	defer setRapidFlag("rapid.checks", strconv.Itoa(1000*scale()))()
	rapid.Check(t, func(rt *rapid.T) {
		var c int
		switch kind := rapid.IntRange(0, 9).Draw(rt, "config"); {
		case kind <= 7:
			c = rapid.IntRange(1, 8).Draw(rt, "capacity")
		case kind == 8:
			c = rapid.IntRange(9, 1024).Draw(rt, "capacity")
		default:
			c = rapid.SampledFrom([]int{0, -1, beyondLimit}).Draw(rt, "capacity")
		}
		p, err := step.NewRingPair(newRing, c)
		if err != nil {
			rt.Fatal(err)
		}
		if p == nil {
			return
		}
		apply := func(op step.RingOp) {
			if err := p.Apply(op); err != nil {
				rt.Fatal(err)
			}
		}
		push := func(rt *rapid.T) { apply(step.RingOp{Kind: step.RingPush, V: rapid.Uint64().Draw(rt, "v")}) }
		rt.Repeat(map[string]func(*rapid.T){
			"Push": push,
			"PushMany": func(rt *rapid.T) { // fills the ring: pushes outnumber pops
				for range rapid.IntRange(1, 2*p.Ref.Cap()).Draw(rt, "n") {
					push(rt)
				}
			},
			"Pop":  func(*rapid.T) { apply(step.RingOp{Kind: step.RingPop}) },
			"Peek": func(*rapid.T) { apply(step.RingOp{Kind: step.RingPeek}) },
			"Reset": func(rt *rapid.T) {
				if p.Ref.Len() == 0 {
					rt.Skip("empty") // keeps resets rarer than the other actions
				}
				apply(step.RingOp{Kind: step.RingReset})
			},
		})
	})
}
