// Package pion checks the jitterbuffer package of github.com/pion/interceptor
// (pkg/jitterbuffer) with netbuf's reorder properties (properties.CheckReorder).
// It is a module of its own, so that netbuf's module does not depend on pion.
package pion

import (
	"github.com/netbuf-go/netbuf/properties"
	"github.com/pion/interceptor/pkg/jitterbuffer"
	"github.com/pion/rtp"
)

// Adapter is a jitterbuffer.JitterBuffer as a properties.Reorderer. Push
// wraps the payload in an RTP packet as is, without a copy (pion's Push
// documents that it does not clone the packet); Pop is JitterBuffer.Pop,
// which pops the packet at the playout head.
type Adapter struct {
	JB *jitterbuffer.JitterBuffer
}

// New returns an Adapter of jitterbuffer.New(opts...).
func New(opts ...jitterbuffer.Option) *Adapter {
	return &Adapter{JB: jitterbuffer.New(opts...)}
}

// Factory returns a properties.ReorderFactory of Adapters with opts.
func Factory(opts ...jitterbuffer.Option) properties.ReorderFactory {
	return func() properties.Reorderer { return New(opts...) }
}

// Push pushes an RTP packet with sequence number seq and payload payload.
// pion's Push has no error.
func (a *Adapter) Push(seq uint16, payload []byte) error {
	a.JB.Push(&rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: uint32(seq)}, Payload: payload})
	return nil
}

// Pop pops the packet at the playout head: ErrPopWhileBuffering until the
// minimum packet count was held, ErrNotFound while the head is missing.
func (a *Adapter) Pop() (uint16, []byte, error) {
	p, err := a.JB.Pop()
	if err != nil {
		return 0, nil, err
	}
	return p.SequenceNumber, p.Payload, nil
}
