package netbuf_test

import (
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
)

// The documented limits are accepted, not only what lies beyond them
// rejected (TestNewRingBadCapacity, TestNewUnorderedBufferBadArgs): a
// constructor that checks `> limit` as `>= limit` is wrong by exactly one.
// (Found by mutation testing, see the README's "Mutation testing".)

func TestNewRingAcceptsMaxRingCapacity(t *testing.T) {
	// Zero-size elements: the largest ring allocates nothing.
	r, err := netbuf.NewRing[struct{}](netbuf.MaxRingCapacity)
	if err != nil || r.Cap() != netbuf.MaxRingCapacity {
		t.Fatalf("NewRing(MaxRingCapacity) = (%v, %v), want a ring of that capacity", r != nil, err)
	}
	if err := r.Push(struct{}{}); err != nil {
		t.Fatalf("Push into the largest ring: %v", err)
	}
}
