package snippet

// The names the documentation's snippets use without declaring them. Each
// snippet is type-checked together with this file; nothing here runs.

import (
	"context"
	"net"
	"net/netip"

	"github.com/netbuf-go/netbuf/netbuf"
)

var (
	conn *net.UDPConn    // a bound UDP socket
	ctx  context.Context // the caller's context
	dst  []byte          // the caller's room for a copy

	p *netbuf.Producer // the two halves of netbuf.NewSPSC
	c *netbuf.Consumer

	handle     func(p []byte) error                      // the caller's processing of one packet
	handleFrom func(p []byte, from netip.AddrPort) error // the same, with the source address
)

// mybuf stands for the reader's own package: New builds the buffer under
// test, ErrFull is its own error for no room.
var mybuf struct {
	New     func(capacityBytes, maxPackets int) (*netbuf.UnorderedBuffer, error)
	ErrFull error
}
