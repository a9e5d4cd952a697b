package fuzzcodec_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/netbuf-go/netbuf/internal/fuzzcodec"
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ring"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// TestCodecRoundTrip checks that Encode is Decode's inverse on programs
// decoded from random bytes (so every shape the fuzzer can reach), and on
// values that need each escape.
func TestCodecRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var programs []fuzzcodec.Program
	for range 2000 {
		data := make([]byte, rng.IntN(64))
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		if p, err := fuzzcodec.Decode(data); err == nil {
			programs = append(programs, p)
		}
	}
	programs = append(programs, fuzzcodec.Program{Cap: 1000, Slots: 0, Ops: nil},
		fuzzcodec.Program{Cap: 300, Slots: 9, Ops: []unordered.Op{
			{Kind: unordered.PushWith, MaxSize: 250, N: 251, Fill: lockstep.CallReenter, Reenter: unordered.Pop, Seed: 3},
			{Kind: unordered.PushWith, MaxSize: -7, N: -1, Fill: lockstep.CallReenter, Reenter: unordered.Reset},
			{Kind: unordered.Push, MaxSize: 314, Seed: 255},
			{Kind: unordered.Pop, DstLen: -2},
			{Kind: unordered.PopWith, Consume: lockstep.CallPanic},
			{Kind: unordered.PushBatch, MaxSize: 7, Bufs: 9, M: 3, Lens: [unordered.MaxBatch]int{7, 0, 8}, Fill: lockstep.CallForeign, Seed: 1},
			{Kind: unordered.PushBatch, MaxSize: 0, Bufs: -1, Fill: lockstep.CallOther, Reenter: unordered.Reserve, ReSize: 301},
			{Kind: unordered.PopWith, Consume: lockstep.CallNil},
			{Kind: unordered.Reserve, MaxSize: 299, Seed: 9},
			{Kind: unordered.Commit, N: -1},
			{Kind: unordered.Abort}, {Kind: unordered.Peek}, {Kind: unordered.Release},
			{Kind: unordered.PopWith, Consume: lockstep.CallOther, Reenter: unordered.Commit, ReSize: -2},
		}})
	// Every value around the edges of the number encoding, for a small and a
	// large bound: in range, just over (B+1 to B+14), past that, -1, -2.
	for _, c := range []int{7, 300} {
		p := fuzzcodec.Program{Cap: c, Slots: 1}
		for _, v := range []int{0, c - 1, c, c + 1, c + 14, c + 15, 0xEF, 0xF0, 0xFE, 0xFF, -1, -2} {
			p.Ops = append(p.Ops, unordered.Op{Kind: unordered.Pop, DstLen: v},
				unordered.Op{Kind: unordered.PushWith, MaxSize: 5, N: v})
		}
		programs = append(programs, p)
	}
	for _, p := range programs {
		data, err := fuzzcodec.Encode(p)
		if err != nil {
			t.Fatalf("Encode(%+v): %v", p, err)
		}
		q, err := fuzzcodec.Decode(data)
		if err != nil {
			t.Fatalf("Decode(Encode(%+v)): %v", p, err)
		}
		if d := cmp.Diff(p, q, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("Decode(Encode(p)) != p (-p +decoded):\n%s", d)
		}
	}
}

// TestDecodeLimits checks that inputs too big to run are refused rather than
// allocated.
func TestDecodeLimits(t *testing.T) {
	big := []byte{0xFF, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0} // Cap MaxInt32
	if _, err := fuzzcodec.Decode(big); err == nil {
		t.Error("Decode accepted Cap = MaxInt32")
	}
	hugePush := []byte{0, 0, 1, 0xFF, 0, 0, 0, 0, 0x7F, 0, 0, 0, 0}
	if _, err := fuzzcodec.Decode(hugePush); err == nil {
		t.Error("Decode accepted a 2 GB Push")
	}
	if err := fuzzcodec.CheckRing([]byte{0xFF, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF}); err != nil {
		t.Error(err)
	}
}

// TestRingCodecRoundTrip checks that EncodeRing is DecodeRing's inverse on
// programs decoded from random bytes, and refuses what no input decodes to.
func TestRingCodecRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		data := make([]byte, rng.IntN(32))
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		p, err := fuzzcodec.DecodeRing(data)
		if err != nil {
			continue
		}
		enc, err := fuzzcodec.EncodeRing(p)
		if err != nil {
			t.Fatalf("EncodeRing(%+v): %v", p, err)
		}
		q, err := fuzzcodec.DecodeRing(enc)
		if d := cmp.Diff(p, q, cmpopts.EquateEmpty()); err != nil || d != "" {
			t.Fatalf("DecodeRing(EncodeRing(p)) != p (%v):\n%s", err, d)
		}
	}
	if _, err := fuzzcodec.EncodeRing(fuzzcodec.RingProgram{Config: ring.Config{Capacity: 2}, Ops: []ring.Op{{Kind: ring.Push, V: 256}}}); err == nil {
		t.Error("EncodeRing accepted a pushed value of 256")
	}
}
