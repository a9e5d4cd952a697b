package properties_test

import (
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// short16 is netbuf behind a 16-bit length field: it cannot take a packet
// of more than 65535 bytes (it panics, as a port that never checked would).
type short16 struct{ properties.Buffer }

func (b short16) PushWith(maxSize int, fill func([]byte) (int, error)) (int, error) {
	if maxSize > 1<<16-1 {
		panic("short16: packet too long for its length field")
	}
	return b.Buffer.PushWith(maxSize, fill)
}

func (b short16) Push(p []byte) error {
	if len(p) > 1<<16-1 {
		panic("short16: packet too long for its length field")
	}
	return b.Buffer.Push(p)
}

func newShort16(c, n int) (properties.Buffer, error) {
	b, err := newNetbuf(c, n)
	if err != nil {
		return nil, err
	}
	return short16{b}, nil
}

// TestMaxPacket: a buffer whose packets are limited to 16 bits fails the
// realistic profiles (64 KiB buffers, a 65536-byte packet among their
// sizes) unless it declares the limit, and passes with it.
func TestMaxPacket(t *testing.T) {
	rapidOnly := properties.Only("rapid")
	var got *properties.Failure
	properties.CheckUnordered(t, newShort16, rapidOnly, properties.OnFailure(func(f *properties.Failure) { got = f }))
	if got == nil || !strings.Contains(got.Error(), "too long") {
		t.Fatalf("an undeclared 16-bit limit passes: %v", got)
	}
	t.Logf("without MaxPacket: %v", got)
	properties.CheckUnordered(t, newShort16, rapidOnly, properties.MaxPacket(1<<16-1))
}

// TestMaxCapacity: a declared constructor limit must be enforced.
func TestMaxCapacity(t *testing.T) {
	limited := func(limit int) properties.Factory {
		return func(c, n int) (properties.Buffer, error) {
			if c > limit {
				return nil, netbuf.ErrInvalidSize
			}
			return newNetbuf(c, n)
		}
	}
	only := properties.Only("constructor")
	properties.CheckUnordered(t, limited(1<<20), only, properties.MaxCapacity(1<<20))
	var got *properties.Failure
	properties.CheckUnordered(t, limited(1<<21), only, properties.MaxCapacity(1<<20), properties.OnFailure(func(f *properties.Failure) { got = f }))
	if got == nil || got.Engine != "constructor" {
		t.Fatalf("a constructor that takes more than its declared limit passes: %v", got)
	}
	t.Log(got)
}
