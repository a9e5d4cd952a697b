package fuzzcodec_test

import (
	"testing"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"github.com/netbuf-go/netbuf/netbuf"
)

// forgetfulBuffer is netbuf with a bug: a zero-length Push is dropped.
type forgetfulBuffer struct{ *netbuf.UnorderedBuffer }

func (b forgetfulBuffer) Push(p []byte) error {
	if len(p) == 0 {
		return nil
	}
	return b.UnorderedBuffer.Push(p)
}

func newForgetful(c, n int) (unordered.Buffer, error) {
	b, err := netbuf.NewUnorderedBuffer(c, n)
	return forgetfulBuffer{b}, err
}

// TestCheckAndShrink checks that CheckUnordered catches a broken buffer and
// that Shrink cuts the program down to the one operation that shows it.
func TestCheckAndShrink(t *testing.T) {
	push := func(n int) unordered.Op { return unordered.Op{Kind: unordered.Push, MaxSize: n} }
	pop := unordered.Op{Kind: unordered.Pop, DstLen: 8}
	p := fuzzcodec.Program{Cap: 8, Slots: 4, Ops: []unordered.Op{push(3), pop, push(2), push(0), pop, push(5), pop, pop}}
	if err := fuzzcodec.CheckUnordered(newBuffer, p); err != nil {
		t.Fatalf("netbuf fails: %v", err)
	}
	if err := fuzzcodec.CheckUnordered(newForgetful, p); err == nil {
		t.Fatal("CheckUnordered missed a dropped zero-length packet")
	}
	got := fuzzcodec.Shrink(newForgetful, p)
	if len(got.Ops) != 1 || got.Ops[0] != push(0) {
		t.Fatalf("Shrink = %v, want [push 0]", got.Ops)
	}
	if got := fuzzcodec.Shrink(newBuffer, p); len(got.Ops) != len(p.Ops) {
		t.Fatalf("Shrink changed a passing program: %v", got.Ops)
	}
}

// newBuffer is netbuf's constructor as a unordered.Factory.
func newBuffer(c, n int) (unordered.Buffer, error) { return netbuf.NewUnorderedBuffer(c, n) }
