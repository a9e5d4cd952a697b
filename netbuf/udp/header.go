package udp

import (
	"encoding/binary"
	"net/netip"
	"sync/atomic"
)

// HeaderSize is the storage each held datagram takes beside its bytes: its
// source address, kept in the buffer at the front of the packet. A
// datagram of n bytes takes n+HeaderSize bytes of Config.Capacity, and the
// room reserved per read is MTU+HeaderSize.
//
// Keeping the source inside the packet means a packet and its source are
// one entry of the buffer: they are committed, popped and dropped (Reset)
// together, and can never pair up wrongly.
const HeaderSize = 24

// The header's layout:
//
//	[0]      family: 0 (no address), 4 or 6
//	[1]      0
//	[2:4]    port, big endian
//	[4:8]    IPv6 zone, as an index into the receiver's zone table (0: none)
//	[8:24]   address: 4 bytes for family 4, 16 for family 6
const (
	hdrFamily = 0
	hdrPort   = 2
	hdrZone   = 4
	hdrAddr   = 8
)

// putAddrPort writes ap into the header h.
func (z *zoneTable) putAddrPort(h []byte, ap netip.AddrPort) {
	h = h[:HeaderSize]
	a := ap.Addr()
	h[1] = 0
	binary.BigEndian.PutUint16(h[hdrPort:], ap.Port())
	switch {
	case a.Is4():
		h[hdrFamily] = 4
		binary.LittleEndian.PutUint32(h[hdrZone:], 0)
		b := a.As4()
		copy(h[hdrAddr:], b[:])
		clear(h[hdrAddr+4:])
	case a.Is6():
		h[hdrFamily] = 6
		binary.LittleEndian.PutUint32(h[hdrZone:], z.fromName(a.Zone()))
		b := a.As16()
		copy(h[hdrAddr:], b[:])
	default:
		clear(h)
	}
}

// addrPort reads the source address from the header h.
func (z *zoneTable) addrPort(h []byte) netip.AddrPort {
	h = h[:HeaderSize]
	port := binary.BigEndian.Uint16(h[hdrPort:])
	switch h[hdrFamily] {
	case 4:
		return netip.AddrPortFrom(netip.AddrFrom4([4]byte(h[hdrAddr:])), port)
	case 6:
		a := netip.AddrFrom16([16]byte(h[hdrAddr:]))
		if id := binary.LittleEndian.Uint32(h[hdrZone:]); id != 0 {
			a = a.WithZone((*z.view.Load())[id-1])
		}
		return netip.AddrPortFrom(a, port)
	}
	return netip.AddrPort{}
}

// zoneTable names the IPv6 zones (scopes) seen in source addresses: a
// header holds a zone as a small number, so that it fits in fixed room
// and costs no allocation after the first datagram from its interface.
// Entries are never removed (there is one per interface at most).
//
// The reads that write headers (fromName, fromScope) are made by one
// goroutine; addrPort may run on another at the same time (SPSCReceiver's
// consumer). It reads the names through view, a snapshot published after
// each new name: a header names a zone only after the snapshot holding
// it, and a snapshot's entries never change.
type zoneTable struct {
	names  []string                 // zone id i+1 is names[i]; the writer's
	view   atomic.Pointer[[]string] // names as published to addrPort
	ids    map[string]uint32        // the reverse
	scopes map[uint32]uint32        // kernel scope id (interface index) to zone id
}

// fromName returns the zone id of name, adding it if new; 0 for "".
func (z *zoneTable) fromName(name string) uint32 {
	if name == "" {
		return 0
	}
	if id, ok := z.ids[name]; ok {
		return id
	}
	if z.ids == nil {
		z.ids = make(map[string]uint32)
	}
	z.names = append(z.names, name)
	names := z.names
	z.view.Store(&names)
	id := uint32(len(z.names))
	z.ids[name] = id
	return id
}
