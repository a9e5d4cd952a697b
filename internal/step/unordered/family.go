package unordered

import (
	"fmt"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/model"
	"github.com/netbuf-go/netbuf/netbuf"
)

// Config is an UnorderedBuffer's constructor arguments.
type Config struct{ Capacity, MaxPackets int }

// String is the header line of the family's scenarios, "new C S".
func (c Config) String() string { return fmt.Sprintf("new %d %d", c.Capacity, c.MaxPackets) }

// Size is what the buffer allocates, and whether the constructor takes it.
func (c Config) Size() (capacity, slots int, valid bool) {
	return c.Capacity, c.MaxPackets, validSize(c.Capacity, c.MaxPackets)
}

func validSize(c, n int) bool {
	return c >= 1 && n >= 1 && c <= model.MaxCapacity && n <= model.MaxCapacity
}

// Family is the UnorderedBuffer family, its buffers under test from New.
type Family struct{ New Factory }

// Header is the word that starts an UnorderedBuffer scenario.
func (Family) Header() string { return "new" }

// ParseConfig reads the words after `new`: capacityBytes and maxPackets.
func (Family) ParseConfig(words []string) (lockstep.Config, error) {
	if len(words) != 2 {
		return nil, fmt.Errorf("want `new <capacityBytes> <maxPackets>`")
	}
	c, err := lockstep.ParseInt(words[0])
	if err != nil {
		return nil, err
	}
	n, err := lockstep.ParseInt(words[1])
	return Config{c, n}, err
}

// ParseOp is Parse.
func (Family) ParseOp(words []string) (lockstep.Statement, error) { return Parse(words) }

// Queries are the counters an UnorderedBuffer scenario reads.
func (Family) Queries() []string { return []string{"used", "len", "cap", "maxpackets"} }

// NewPair is NewPair with f's factory.
func (f Family) NewPair(c Config) (lockstep.Pair[Op, Result], error) {
	p, err := NewPair(f.New, c)
	if p == nil {
		return nil, err
	}
	return p, nil
}

// Model is the family whose buffer under test is the model.
func (Family) Model() lockstep.Family[Config, Op, Result] {
	return Family{New: func(c, n int) (Buffer, error) { return model.NewUnordered(c, n) }}
}

// Check runs ops on fresh buffers from f and on the model in lockstep and
// returns the first difference (lockstep.Check).
func Check(f Factory, c Config, ops []Op) error { return lockstep.Check(Family{f}, c, ops) }

// Shrink is lockstep.Shrink for buffers from f.
func Shrink(f Factory, c Config, ops []Op) []Op { return lockstep.Shrink(Family{f}, c, ops) }

// Netbuf is netbuf.NewUnorderedBuffer as a Factory.
func Netbuf(capacityBytes, maxPackets int) (Buffer, error) {
	return netbuf.NewUnorderedBuffer(capacityBytes, maxPackets)
}
