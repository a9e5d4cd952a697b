package lockstep_test

import (
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/netbuf"
)

// forgetfulRing is netbuf's Ring that drops the value pushed into a ring
// holding two already.
type forgetfulRing struct{ *netbuf.Ring[uint64] }

func (r forgetfulRing) Push(v uint64) error {
	if r.Len() == 2 {
		return nil
	}
	return r.Ring.Push(v)
}

func newForgetful(c int) (ring.Buffer, error) {
	q, err := netbuf.NewRing[uint64](c)
	return forgetfulRing{q}, err
}

// TestCheckAndShrink checks the generic machinery on one family: Check
// passes netbuf, fails a broken ring with the difference, and Shrink cuts
// the failing sequence to the calls that show it, leaving a passing one
// alone; a constructor that disagrees with the model fails Check.
func TestCheckAndShrink(t *testing.T) {
	push := func(v uint64) ring.Op { return ring.Op{Kind: ring.Push, V: v} }
	pop, peek := ring.Op{Kind: ring.Pop}, ring.Op{Kind: ring.Peek}
	ops := []ring.Op{push(1), peek, push(2), pop, push(3), push(4), pop, pop, pop}
	c := ring.Config{Capacity: 4}
	good, bad := ring.Family{New: ring.Netbuf}, ring.Family{New: newForgetful}
	if err := lockstep.Check(good, c, ops); err != nil {
		t.Fatalf("netbuf fails: %v", err)
	}
	err := lockstep.Check(bad, c, ops)
	if err == nil || !strings.Contains(err.Error(), "push 4: ring") {
		t.Fatalf("Check(forgetful) = %v, want a difference at push 4", err)
	}
	got := lockstep.Shrink(bad, c, ops)
	if want := []ring.Op{push(1), push(3), push(4)}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("Shrink = %v, want %v", got, want)
	}
	if got := lockstep.Shrink(good, c, ops); len(got) != len(ops) {
		t.Fatalf("Shrink changed a passing sequence: %v", got)
	}
	refuses := ring.Family{New: func(int) (ring.Buffer, error) { return nil, netbuf.ErrInvalidSize }}
	if err := lockstep.Check(refuses, c, nil); err == nil || !strings.Contains(err.Error(), `ring 4: buffer says "ErrInvalidSize", model says ""`) {
		t.Fatalf("Check(a ring that refuses 4) = %v", err)
	}
	if err := lockstep.Check(good, ring.Config{Capacity: 0}, ops); err != nil {
		t.Fatalf("Check(ring 0), which both refuse = %v, want nil", err)
	}
}

// flippingProducer is netbuf's producer that stores a pushed packet with
// its first byte flipped.
type flippingProducer struct{ *netbuf.Producer }

func (p flippingProducer) Push(b []byte) error {
	q := append([]byte(nil), b...)
	if len(q) > 0 {
		q[0] ^= 1
	}
	return p.Producer.Push(q)
}

// TestCheckFinishes checks that Check ends a case with the family's
// Finish: a corrupted packet that no call pops shows only when the SPSC
// family drains the buffer.
func TestCheckFinishes(t *testing.T) {
	flipping := func(c, n int) (spsc.Producer, spsc.Consumer, error) {
		p, q, err := netbuf.NewSPSC(c, n)
		if err != nil {
			return nil, nil, err
		}
		return flippingProducer{p}, q, nil
	}
	ops := []spsc.Op{{Kind: spsc.Push, MaxSize: 3, Seed: 1}}
	c := spsc.Config{Capacity: 16, MaxPackets: 4}
	if err := lockstep.Check(spsc.Family{New: spsc.Netbuf}, c, ops); err != nil {
		t.Fatalf("netbuf fails: %v", err)
	}
	if err := lockstep.Check(spsc.Family{New: flipping}, c, ops); err == nil || !strings.Contains(err.Error(), "pop 16") {
		t.Fatalf("Check(flipping) = %v, want a difference in the drain's pop", err)
	}
}
