package properties

import (
	"fmt"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// The contract promises no heap allocation per datagram once a buffer is
// built, and none in AppendMissing when dst has room. These checks count
// the allocations of steady-state calls (testing.AllocsPerRun) on a buffer
// warmed up by the same calls.

const allocRuns = 100

// allocFailure reports calls that allocated.
func allocFailure(what string, n float64) *Failure {
	if n == 0 {
		return nil
	}
	return &Failure{Engine: "allocs", Err: fmt.Errorf("%s allocates %.1f times per call (the contract promises none; declare Allocates if the buffer documents it)", what, n)}
}

func checkUnorderedAllocs(newBuffer unordered.Factory, feat lockstep.Features) *Failure {
	b, err := newBuffer(4096, 16)
	if err != nil {
		return &Failure{Engine: "allocs", Err: fmt.Errorf("New(4096, 16): %w", err)}
	}
	src, dst := make([]byte, 100), make([]byte, 200)
	fill := func(p []byte) (int, error) { return copy(p, src), nil }
	consume := func(p []byte) error { return nil }
	cases := []struct {
		what string
		f    func()
	}{
		{"Push then Pop", func() { _ = b.Push(src); _, _ = b.Pop(dst) }},
		{"PushWith then PopWith", func() { _, _ = b.PushWith(len(src), fill); _ = b.PopWith(consume) }},
	}
	if tp, ok := b.(unordered.TwoPhase); ok && feat.TwoPhase {
		cases = append(cases, struct {
			what string
			f    func()
		}{"Reserve, Commit, Peek, Release", func() {
			if p, err := tp.Reserve(len(src)); err == nil {
				_ = tp.Commit(copy(p, src))
			}
			if _, err := tp.Peek(); err == nil {
				_ = tp.Release()
			}
		}})
	}
	for _, c := range cases {
		c.f() // warm up: a lazily grown buffer may allocate once
		if f := allocFailure(c.what, testing.AllocsPerRun(allocRuns, c.f)); f != nil {
			return f
		}
	}
	return nil
}

func checkOrderedAllocs(newBuffer ordered.Factory) *Failure {
	b, err := newBuffer(ordered.Config{Capacity: 4096, MaxPackets: 16, Window: 8, SeqBits: 16})
	if err != nil {
		return &Failure{Engine: "allocs", Err: fmt.Errorf("New(Capacity 4096, MaxPackets 16, Window 8, SeqBits 16): %w", err)}
	}
	src, dst := make([]byte, 100), make([]byte, 200)
	seq := b.Next()
	push := func() {
		_ = b.Push(seq, src)
		_, _, _ = b.Pop(dst)
		seq = (seq + 1) & 0xffff
	}
	push()
	if f := allocFailure("Push then Pop", testing.AllocsPerRun(allocRuns, push)); f != nil {
		return f
	}
	// A gap: the next sequence is missing while a later one is held.
	_ = b.Push((b.Next()+2)&0xffff, src)
	missing := make([]uint32, 0, 8)
	list := func() { missing = b.AppendMissing(missing[:0], 8) }
	list()
	if len(missing) == 0 {
		return &Failure{Engine: "allocs", Err: fmt.Errorf("AppendMissing lists nothing with Next %d missing and Next+2 held", b.Next())}
	}
	return allocFailure("AppendMissing with room in dst", testing.AllocsPerRun(allocRuns, list))
}

func checkSPSCAllocs(newSPSC spsc.Factory) *Failure {
	p, c, err := newSPSC(4096, 16)
	if err != nil {
		return &Failure{Engine: "allocs", Err: fmt.Errorf("New(4096, 16): %w", err)}
	}
	defer func() { _ = p.Close() }()
	src, dst := make([]byte, 100), make([]byte, 200)
	f := func() { _ = p.Push(src); _, _ = c.Pop(dst) }
	f()
	return allocFailure("Push then Pop", testing.AllocsPerRun(allocRuns, f))
}

func checkRingAllocs(rs rings) *Failure {
	q, err := rs.newRing(16)
	if err != nil || q == nil {
		return &Failure{Engine: "allocs", Err: fmt.Errorf("New(16) = %v, %v", q, err)}
	}
	v := uint64(1) << 40 // not a small value, which Go boxes without allocating
	f := func() { _ = q.Push(v); _, _ = q.Pop(); v++ }
	f()
	return allocFailure("Push then Pop", testing.AllocsPerRun(allocRuns, f))
}
