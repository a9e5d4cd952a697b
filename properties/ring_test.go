package properties_test

import (
	"errors"
	"math/bits"
	"testing"
	"testing/fstest"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// pow2Ring is a ring as many libraries build them: its capacity rounded up
// to a power of two, its own errors, no Peek or Reset. lose breaks it on
// purpose: a Pop after the indices wrap loses the value.
type pow2Ring struct {
	vals       []uint64
	head, used int
	lose       bool
}

var errPow2Full, errPow2Empty = errors.New("pow2: full"), errors.New("pow2: empty")

func newPow2Ring(capacity int, lose bool) (properties.Ring, error) {
	if capacity < 1 || capacity > 1<<20 {
		return nil, netbuf.ErrInvalidSize
	}
	return &pow2Ring{vals: make([]uint64, 1<<bits.Len(uint(capacity-1))), lose: lose}, nil
}

func (r *pow2Ring) Push(v uint64) error {
	if r.used == len(r.vals) {
		return errPow2Full
	}
	r.vals[(r.head+r.used)%len(r.vals)] = v
	r.used++
	return nil
}

func (r *pow2Ring) Pop() (uint64, error) {
	if r.used == 0 {
		return 0, errPow2Empty
	}
	v := r.vals[r.head]
	if r.lose && r.head == len(r.vals)-1 {
		v = 0
	}
	r.head, r.used = (r.head+1)%len(r.vals), r.used-1
	return v, nil
}

func (r *pow2Ring) Len() int { return r.used }
func (r *pow2Ring) Cap() int { return len(r.vals) }

func pow2Options() []properties.Option {
	return []properties.Option{properties.CapacityRoundsUp(), properties.MaxSlots(1 << 20),
		properties.ErrorMeans(errPow2Full, netbuf.ErrWouldBlock), properties.ErrorMeans(errPow2Empty, netbuf.ErrEmpty)}
}

// TestCheckRingPolicies: a ring that rounds its capacity up and has its
// own errors passes with both declared, without Peek or Reset; without
// CapacityRoundsUp it fails, as Cap() is not what was asked for.
func TestCheckRingPolicies(t *testing.T) {
	newRing := func(c int) (properties.Ring, error) { return newPow2Ring(c, false) }
	properties.CheckRing(t, newRing, pow2Options()...)
	var got *properties.Failure
	properties.CheckRing(t, newRing, properties.ErrorMeans(errPow2Full, netbuf.ErrWouldBlock),
		properties.ErrorMeans(errPow2Empty, netbuf.ErrEmpty), properties.OnFailure(func(f *properties.Failure) { got = f }))
	if got == nil {
		t.Fatal("a ring whose Cap() is not the capacity asked for passes without CapacityRoundsUp")
	}
	t.Log(got)
}

// TestCheckRingCorpus: a ring's failure is a `ring C` scenario that Corpus
// replays, failing on the broken ring and passing on the correct one.
func TestCheckRingCorpus(t *testing.T) {
	broken := func(c int) (properties.Ring, error) { return newPow2Ring(c, true) }
	var got *properties.Failure
	properties.CheckRing(t, broken, append(pow2Options(), properties.OnFailure(func(f *properties.Failure) { got = f }))...)
	if got == nil {
		t.Fatal("a ring that loses a value passes")
	}
	t.Log(got)
	saved := fstest.MapFS{"lost.scn": {Data: []byte(got.Scenario)}}
	var again *properties.Failure
	properties.CheckRing(t, broken, append(pow2Options(), properties.Corpus(saved), properties.OnFailure(func(f *properties.Failure) { again = f }))...)
	if again == nil || again.Engine != "corpus" {
		t.Fatalf("the saved scenario does not replay to a failure: %v", again)
	}
	properties.CheckRing(t, func(c int) (properties.Ring, error) { return newPow2Ring(c, false) }, append(pow2Options(), properties.Corpus(saved))...)
}

// TestCorpusMissing: a Corpus with no scenario (a wrong directory) is an
// error, not a silent pass.
func TestCorpusMissing(t *testing.T) {
	var got *properties.Failure
	properties.CheckRing(t, func(c int) (properties.Ring, error) { return newPow2Ring(c, false) },
		append(pow2Options(), properties.Corpus(fstest.MapFS{}), properties.OnFailure(func(f *properties.Failure) { got = f }))...)
	if got == nil || got.Engine != "corpus" {
		t.Fatalf("an empty corpus passes: %v", got)
	}
}
