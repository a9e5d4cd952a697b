package properties_test

import (
	"testing"

	"github.com/netbuf-go/netbuf/internal/slicebuf"
	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// newNetbuf is netbuf's constructor as a properties.Factory.
func newNetbuf(capacityBytes, maxPackets int) (properties.Buffer, error) {
	b, err := netbuf.NewUnorderedBuffer(capacityBytes, maxPackets)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// TestUnordered checks netbuf with every option: its own additions too.
func TestUnordered(t *testing.T) {
	properties.CheckUnordered(t, newNetbuf, properties.WithNilFuncs())
}

// TestContractOnly checks a second, independent implementation that
// follows only the contract (it panics on nil callbacks, and has neither
// PushBatch, the two-phase API nor Check) with the default options.
func TestContractOnly(t *testing.T) {
	properties.CheckUnordered(t, func(c, n int) (properties.Buffer, error) {
		b, err := slicebuf.New(c, n)
		if err != nil {
			return nil, err
		}
		return b, nil
	})
}

func TestRing(t *testing.T) {
	properties.CheckRing(t, func(c int) (properties.Ring, error) {
		r, err := netbuf.NewRing[uint64](c)
		if err != nil {
			return nil, err
		}
		return r, nil
	})
}

// TestOrdered checks netbuf's OrderedBuffer with every option.
func TestOrdered(t *testing.T) {
	properties.CheckOrdered(t, func(c properties.OrderedConfig) (properties.OrderedBuffer, error) {
		b, err := netbuf.NewOrderedBuffer(netbuf.OrderedConfig(c))
		if err != nil {
			return nil, err
		}
		return b, nil
	}, properties.WithNilFuncs())
}
