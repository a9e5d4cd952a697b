package netbuf

// Tests that kill mutants of `make mutate` that the other tests let live,
// each named for the shard whose per-mutant suite runs it (cmd/mutate's
// shards select tests by name: TestUnordered..., TestOrdered..., TestSPSC...).

import (
	"runtime/debug"
	"strconv"
	"testing"
)

// TestUnorderedAcceptsMaxCapacityOnFreshPages: NewUnorderedBuffer accepts
// MaxCapacity bytes (a `> MaxCapacity` check written `>=` refuses it), as
// TestNewUnorderedBufferAcceptsMaxCapacityBytes checks too. Here the heap's
// free pages go back to the system first, so that the 2 GiB come as fresh
// pages, which the runtime does not clear: after other tests, it otherwise
// sometimes clears them page by page, seconds of page faults on a loaded
// machine. Only a few pages of the storage are ever touched.
func TestUnorderedAcceptsMaxCapacityOnFreshPages(t *testing.T) {
	if strconv.IntSize < 64 {
		t.Skip("2 GiB of storage does not fit a 32-bit address space")
	}
	debug.FreeOSMemory()
	b, err := NewUnorderedBuffer(MaxCapacity, 1)
	if err != nil || b.Cap() != MaxCapacity {
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
