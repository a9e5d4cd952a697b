// Package packetio checks the packet buffer of github.com/pion/transport
// (packetio.Buffer, the datagram queue of pion's WebRTC stack) with netbuf's
// layout-free FIFO properties (properties.CheckFIFO). It is a module of its
// own, so that netbuf's module does not depend on pion.
package packetio

import (
	"github.com/netbuf-go/netbuf/properties"
	"github.com/pion/transport/v3/packetio"
)

// Adapter is a packetio.Buffer as a properties.FIFO, method for method:
// Push is Write, Pop is Read, Len is Count.
type Adapter struct {
	B *packetio.Buffer
}

// Factory is a properties.FIFOFactory of Adapters: a new Buffer with
// SetLimitSize(capacityBytes) and SetLimitCount(maxPackets), the limits as
// packetio documents them ("the maximum number of bytes that can be
// buffered", "the maximum number of packets").
func Factory(capacityBytes, maxPackets int) (properties.FIFO, error) {
	b := packetio.NewBuffer()
	b.SetLimitSize(capacityBytes)
	b.SetLimitCount(maxPackets)
	return &Adapter{B: b}, nil
}

// Push is Write: it copies p, or answers packetio.ErrFull.
func (a *Adapter) Push(p []byte) error {
	_, err := a.B.Write(p)
	return err
}

// Pop is Read: it blocks while the buffer is empty.
func (a *Adapter) Pop(dst []byte) (int, error) { return a.B.Read(dst) }

// Len is Count.
func (a *Adapter) Len() int { return a.B.Count() }
