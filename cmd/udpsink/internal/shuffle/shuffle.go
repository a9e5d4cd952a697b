// Package shuffle disorders a stream of packets by a bounded amount, and
// repeats some of them, as a path with several routes would: the
// conditions in-order delivery is tested under.
package shuffle

import "math/rand/v2"

// Shuffler holds up to K packets and lets them out in random order: a
// packet is let out before the K+1-th packet after it, so that it arrives
// at most K+1 packets behind the newest one before it. About one packet
// in Dup is let out twice (the copy as late at most). Dup 0 repeats none.
type Shuffler struct {
	K, Dup int
	rng    *rand.Rand
	hold   []held
	Dups   int // packets repeated so far
}

type held struct {
	p     []byte
	after int // packets pushed after this one while it was held
}

// New returns a Shuffler with the given bounds, its choices drawn from seed.
func New(seed uint64, k, dup int) *Shuffler {
	return &Shuffler{K: k, Dup: dup, rng: rand.New(rand.NewPCG(seed, 0x5eed))}
}

// Push takes p in (it is kept, not copied) and lets packets out through
// emit while more than K are held.
func (s *Shuffler) Push(p []byte, emit func([]byte)) {
	for j := range s.hold {
		s.hold[j].after++
	}
	s.hold = append(s.hold, held{p: p})
	if s.Dup > 0 && s.rng.IntN(s.Dup) == 0 {
		s.hold = append(s.hold, held{p: p})
		s.Dups++
	}
	for len(s.hold) > s.K {
		s.out(emit)
	}
}

// Flush lets every held packet out, still in a random order.
func (s *Shuffler) Flush(emit func([]byte)) {
	for len(s.hold) > 0 {
		s.out(emit)
	}
}

// Held returns the number of packets held.
func (s *Shuffler) Held() int { return len(s.hold) }

// out lets one packet out: the oldest held if K packets have come after
// it, else one at random.
func (s *Shuffler) out(emit func([]byte)) {
	i := s.rng.IntN(len(s.hold))
	if s.hold[0].after >= s.K {
		i = 0
	}
	p := s.hold[i].p
	s.hold = append(s.hold[:i], s.hold[i+1:]...)
	emit(p)
}
