package netbuf_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

// TestOrderedAgainstModel runs random operations of every kind, on random
// configurations, against model.Ordered: every answer (errors compared by
// the sentinel they are), every packet's bytes and sequence, the offset of
// every push's room in storage, and Len, Used, Next and Check() after every
// step.
func TestOrderedAgainstModel(t *testing.T) {
	steps := 4000
	if testing.Short() {
		steps = 400
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for run := range 60 {
		bits := []int{2, 3, 4, 5, 8, 16, 32}[run%7]
		half := uint64(1) << (bits - 1)
		cfg := netbuf.OrderedConfig{
			Capacity:   1 + rng.IntN(48),
			MaxPackets: 1 + rng.IntN(12),
			Window:     int(1 + rng.Uint64N(min(half, 24))),
			SeqBits:    bits,
			Resync:     rng.IntN(2) == 0,
		}
		if run%5 == 0 {
			cfg.Window = int(half)
			if bits > 8 {
				cfg.Window = int(min(half, 1<<14)) // wide windows: AppendMissing's answers stay short
			}
		}
		cfg.First = uint32(rng.Uint64N(half * 2))
		t.Run(fmt.Sprintf("%d/%+v", run, cfg), func(t *testing.T) {
			ordRunAgainstModel(t, cfg, rng, steps)
		})
	}
}

// ordSame reports whether got and want are the same answer: both nil, or
// the same sentinel (netbuf's and the model's mirror of it), or the same
// callback error.
func ordSame(got, want error) bool { return lockstep.ErrName(got) == lockstep.ErrName(want) }

// ordModel is the model of a buffer configured by cfg.
func ordModel(t *testing.T, cfg netbuf.OrderedConfig) *model.Ordered {
	m, err := model.NewOrdered(cfg.Capacity, cfg.MaxPackets, cfg.Window, cfg.SeqBits, cfg.First, cfg.Resync)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func ordRunAgainstModel(t *testing.T, cfg netbuf.OrderedConfig, rng *rand.Rand, steps int) {
	b, m := newOrdered(t, cfg), ordModel(t, cfg)
	base := ordBase(t, b)
	space := uint64(1) << cfg.SeqBits
	var counter byte
	// seqNear picks a sequence around the window, now and then anywhere,
	// held, or out of range.
	seqNear := func() uint32 {
		switch k := rng.IntN(20); {
		case k == 0:
			return uint32(rng.Uint64N(space))
		case k == 1 && space < 1<<32:
			return uint32(space) + uint32(rng.IntN(3))
		case k == 2 && len(m.Held) > 0:
			held := slices.Sorted(func(yield func(uint32) bool) {
				for s := range m.Held {
					if !yield(s) {
						return
					}
				}
			})
			return held[rng.IntN(len(held))]
		default:
			return uint32((uint64(m.Next()) + space - 2 + uint64(rng.IntN(cfg.Window+6))) % space)
		}
	}
	for i := range steps {
		var what string
		switch op := rng.IntN(100); {
		case op < 45: // push
			maxSize := rng.IntN(cfg.Capacity/2 + 2)
			switch rng.IntN(40) {
			case 0:
				maxSize = -1
			case 1:
				maxSize = cfg.Capacity + 1
			}
			seq, n := seqNear(), max(0, maxSize-rng.IntN(3))
			var fillErr error
			switch rng.IntN(30) {
			case 0:
				fillErr = errOrdProbe
			case 1:
				n = -1
			case 2:
				n = maxSize + 1
			}
			data := make([]byte, max(0, maxSize+1))
			for i := range data {
				counter++
				data[i] = counter
			}
			wantOff, _, perr := m.Place(maxSize)
			if perr != nil {
				wantOff = -1 // fill is not called
			}
			if rng.IntN(3) == 0 && fillErr == nil && n == maxSize && maxSize >= 0 {
				what = fmt.Sprintf("Push(%d, %d bytes)", seq, maxSize)
				want := m.Push(seq, data[:maxSize])
				if err := b.Push(seq, data[:maxSize]); !ordSame(err, want) {
					t.Fatalf("step %d: %s = %v, want %v", i, what, err, want)
				}
				break
			}
			what = fmt.Sprintf("PushWith(%d) fill (%d, %d, %v)", maxSize, seq, n, fillErr)
			fill := func(p []byte) (uint32, int, error) { copy(p, data); return seq, n, fillErr }
			wantSeq, wantN, want := m.PushWith(maxSize, fill)
			gotOff := -1
			gotSeq, gotN, err := b.PushWith(maxSize, func(p []byte) (uint32, int, error) {
				if len(p) != maxSize || cap(p) != maxSize {
					t.Errorf("step %d: fill got len %d cap %d, want %d", i, len(p), cap(p), maxSize)
				}
				gotOff = wantOff // not observable for an empty slice
				if maxSize > 0 {
					gotOff = int(addr(p) - base)
				}
				return fill(p)
			})
			if gotSeq != wantSeq || gotN != wantN || !ordSame(err, want) || gotOff != wantOff {
				t.Fatalf("step %d: %s = (%d, %d, %v) room at %d, want (%d, %d, %v) at %d",
					i, what, gotSeq, gotN, err, gotOff, wantSeq, wantN, want, wantOff)
			}
		case op < 80: // pop
			if rng.IntN(2) == 0 {
				wantDst := make([]byte, rng.IntN(cfg.Capacity+1))
				dst := make([]byte, len(wantDst))
				what = fmt.Sprintf("Pop(len %d)", len(dst))
				wantSeq, wantN, want := m.Pop(wantDst)
				seq, n, err := b.Pop(dst)
				if seq != wantSeq || n != wantN || !ordSame(err, want) || string(dst[:n]) != string(wantDst[:wantN]) {
					t.Fatalf("step %d: %s = (%d, %x, %v), want (%d, %x, %v)", i, what, seq, dst[:n], err, wantSeq, wantDst[:wantN], want)
				}
				break
			}
			fail := rng.IntN(5) == 0
			what = fmt.Sprintf("PopWith(fail %v)", fail)
			type seen struct {
				called bool
				seq    uint32
				data   string
				capOK  bool
			}
			consume := func(s *seen) func(uint32, []byte) error {
				return func(seq uint32, p []byte) error {
					*s = seen{true, seq, string(p), cap(p) == len(p)}
					if fail {
						return errOrdProbe
					}
					return nil
				}
			}
			var got, wantSeen seen
			want := m.PopWith(consume(&wantSeen))
			err := b.PopWith(consume(&got))
			if !ordSame(err, want) || got != wantSeen {
				t.Fatalf("step %d: %s = %v, consume saw %+v; want %v, %+v", i, what, err, got, want, wantSeen)
			}
		case op < 88:
			seq := seqNear()
			if rng.IntN(4) == 0 {
				seq = uint32((uint64(m.Next()) + rng.Uint64N(space/2+2)) % space)
			}
			what = fmt.Sprintf("SkipTo(%d)", seq)
			want, wantErr := m.SkipTo(seq)
			if got, err := b.SkipTo(seq); got != want || !ordSame(err, wantErr) {
				t.Fatalf("step %d: %s = (%d, %v), want (%d, %v)", i, what, got, err, want, wantErr)
			}
		case op < 98:
			max := rng.IntN(8) - 1
			what = fmt.Sprintf("AppendMissing(max %d)", max)
			if got, want := b.AppendMissing([]uint32{1}, max), m.AppendMissing([]uint32{1}, max); !slices.Equal(got, want) {
				t.Fatalf("step %d: %s = %v, want %v", i, what, got, want)
			}
		default:
			what = "Reset"
			b.Reset()
			m.Reset()
		}
		if b.Len() != m.Len() || b.Used() != m.Used() || b.Next() != m.Next() {
			t.Fatalf("step %d: after %s: Len %d Used %d Next %d, want %d %d %d", i, what, b.Len(), b.Used(), b.Next(), m.Len(), m.Used(), m.Next())
		}
		if err := b.Check(); err != nil {
			t.Fatalf("step %d: after %s: %v", i, what, err)
		}
	}
}
