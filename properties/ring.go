package properties

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/netbuf-go/netbuf/model"
	"pgregory.net/rapid"
)

// Ring is the behaviour of netbuf.Ring[T] under test, with T = uint64.
type Ring interface {
	Push(v uint64) error
	Pop() (uint64, error)
	Peek() (uint64, error)
	Len() int
	Cap() int
	Reset()
}

// RingFactory builds an empty ring; it returns an error exactly where
// netbuf.NewRing does.
type RingFactory func(capacity int) (Ring, error)

// CheckRing runs the rapid state machine for rings from newRing against
// model.Ring: every Push, Pop, Peek and Reset gives the same answer and
// value, and Len, Cap (and Full, if the ring has it) agree after every step.
// Capacities are mostly 1 to 8, so the ring's indices wrap many times.
func CheckRing(t *testing.T, newRing RingFactory) {
	t.Helper()
	defer setRapidChecks(1000 * scale())()
	rapid.Check(t, func(rt *rapid.T) {
		m := newRingMachine(rt, newRing)
		if m != nil {
			rt.Repeat(m.actions())
		}
	})
}

// ringMachine is one rapid case: a ring, its model and the ops so far.
type ringMachine struct {
	impl Ring
	ref  *model.Ring[uint64]
	ops  []string
}

// newRingMachine draws a capacity, mostly tiny, sometimes invalid (both
// sides must then refuse it, and it returns nil).
func newRingMachine(t *rapid.T, newRing RingFactory) *ringMachine {
	var c int
	switch kind := rapid.IntRange(0, 9).Draw(t, "config"); {
	case kind <= 7:
		c = rapid.IntRange(1, 8).Draw(t, "capacity")
	case kind == 8:
		c = rapid.IntRange(9, 1024).Draw(t, "capacity")
	default:
		c = rapid.SampledFrom([]int{0, -1, beyondLimit}).Draw(t, "capacity")
	}
	impl, err1 := newRing(c)
	ref, err2 := model.NewRing[uint64](c)
	if k1, k2 := errKind(err1), errKind(err2); k1 != k2 {
		t.Fatalf("NewRing(%d): ring says %q, model says %q", c, k1, k2)
	}
	if err2 != nil {
		return nil
	}
	return &ringMachine{impl: impl, ref: ref, ops: []string{fmt.Sprintf("NewRing(%d)", c)}}
}

// ringResult is what one ring op answered.
type ringResult struct {
	V   uint64
	Err string
}

func (m *ringMachine) actions() map[string]func(*rapid.T) {
	return map[string]func(*rapid.T){
		"": m.check,
		"Push": func(t *rapid.T) {
			v := rapid.Uint64().Draw(t, "v")
			m.step(t, fmt.Sprintf("push %d", v),
				ringResult{Err: errKind(m.ref.Push(v))}, ringResult{Err: errKind(m.impl.Push(v))})
		},
		"PushMany": func(t *rapid.T) { // fills the ring: pushes outnumber pops
			for range rapid.IntRange(1, 2*m.ref.Cap()).Draw(t, "n") {
				v := rapid.Uint64().Draw(t, "v")
				m.step(t, fmt.Sprintf("push %d", v),
					ringResult{Err: errKind(m.ref.Push(v))}, ringResult{Err: errKind(m.impl.Push(v))})
			}
		},
		"Pop": func(t *rapid.T) {
			v1, err1 := m.ref.Pop()
			v2, err2 := m.impl.Pop()
			m.step(t, "pop", ringResult{v1, errKind(err1)}, ringResult{v2, errKind(err2)})
		},
		"Peek": func(t *rapid.T) {
			v1, err1 := m.ref.Peek()
			v2, err2 := m.impl.Peek()
			m.step(t, "peek", ringResult{v1, errKind(err1)}, ringResult{v2, errKind(err2)})
		},
		"Reset": func(t *rapid.T) {
			if m.ref.Len() == 0 {
				t.Skip("empty") // keeps resets rarer than the other actions
			}
			m.ref.Reset()
			m.impl.Reset()
			m.step(t, "reset", ringResult{}, ringResult{})
		},
	}
}

// step records op and fails, with every op so far, if the answers differ.
func (m *ringMachine) step(t *rapid.T, op string, want, got ringResult) {
	t.Helper()
	m.ops = append(m.ops, op)
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("%s: ring differs from model (-model +ring):\n%s\n%s", op, d, m.counterexample())
	}
}

// check compares Len, Cap and, if the ring has it, Full.
func (m *ringMachine) check(t *rapid.T) {
	got := [2]int{m.impl.Len(), m.impl.Cap()}
	want := [2]int{m.ref.Len(), m.ref.Cap()}
	if got != want {
		t.Fatalf("Len, Cap: ring %v, model %v\n%s", got, want, m.counterexample())
	}
	if f, ok := m.impl.(interface{ Full() bool }); ok && f.Full() != (m.ref.Len() == m.ref.Cap()) {
		t.Fatalf("Full() = %v with Len %d of Cap %d\n%s", f.Full(), m.ref.Len(), m.ref.Cap(), m.counterexample())
	}
}

func (m *ringMachine) counterexample() string {
	return fmt.Sprintf("counterexample (%d ops): %s", len(m.ops)-1, strings.Join(m.ops, "; "))
}
