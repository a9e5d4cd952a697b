package udp

import (
	"net"
	"net/netip"

	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// xnetReader reads batches through golang.org/x/net: ipv4 or ipv6
// PacketConn.ReadBatch, whichever matches the socket's family. The messages
// and their one-buffer vectors are allocated once; x/net itself allocates a
// *net.UDPAddr (and its IP) per datagram.
type xnetReader struct {
	read  func([]ipv4.Message, int) (int, error) // ipv4.Message and ipv6.Message are one type
	msgs  []ipv4.Message
	vecs  [][]byte // vecs[i:i+1] is msgs[i].Buffers
	oob   []byte
	zones *zoneTable // the receiver's
}

func newXNetReader(conn *net.UDPConn, batch int, zones *zoneTable) *xnetReader {
	x := &xnetReader{
		zones: zones,
		msgs:  make([]ipv4.Message, batch),
		vecs:  make([][]byte, batch),
		oob:   make([]byte, batch*oobSize),
	}
	if la, ok := conn.LocalAddr().(*net.UDPAddr); ok && la.IP.To4() != nil {
		x.read = ipv4.NewPacketConn(conn).ReadBatch
	} else {
		x.read = ipv6.NewPacketConn(conn).ReadBatch
	}
	for i := range x.msgs {
		x.msgs[i].Buffers = x.vecs[i : i+1 : i+1]
	}
	return x
}

func (x *xnetReader) readBatch(bufs [][]byte, meta []msgMeta) (int, error) {
	msgs := x.msgs[:len(bufs)]
	for i := range msgs {
		x.vecs[i] = bufs[i][HeaderSize:]
		msgs[i].OOB = x.oob[i*oobSize : (i+1)*oobSize]
		msgs[i].Addr = nil
	}
	n, err := x.read(msgs, 0)
	clear(x.vecs[:len(bufs)]) // keep no pointer into the storage past the call
	if err != nil {
		return 0, err
	}
	for i := range n {
		m := &msgs[i]
		bufs[i] = bufs[i][:HeaderSize+m.N]
		var from netip.AddrPort
		if a, ok := m.Addr.(*net.UDPAddr); ok {
			from = a.AddrPort()
		}
		x.zones.putAddrPort(bufs[i], from)
		meta[i] = msgMeta{n: m.N, flags: m.Flags, oob: m.OOB[:m.NN]}
	}
	return n, nil
}
