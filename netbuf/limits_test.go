package netbuf_test

import (
	"strconv"
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

func TestNewUnorderedBufferAcceptsMaxCapacityBytes(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("2 GiB of storage does not fit a 32-bit address space")
	}
	// 2 GiB of address space, not of memory: the storage is fresh zeroed
	// pages that nothing touches but one packet. (maxPackets ==
	// MaxCapacity would need 24 GiB of metadata and is not tested.)
	b, err := netbuf.NewUnorderedBuffer(netbuf.MaxCapacity, 1)
	if err != nil || b.Cap() != netbuf.MaxCapacity {
		t.Fatalf("NewUnorderedBuffer(MaxCapacity, 1) = (%v, %v), want a buffer of Cap() == MaxCapacity", b != nil, err)
	}
	if err := b.Push([]byte("x")); err != nil {
		t.Fatalf("Push into the largest buffer: %v", err)
	}
	dst := make([]byte, 1)
	if n, err := b.Pop(dst); err != nil || n != 1 || dst[0] != 'x' {
		t.Fatalf("Pop = %d %v %q, want 1 nil \"x\"", n, err, dst)
	}
}
