//go:build linux

package udp

import (
	"encoding/binary"
	"net"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is struct mmsghdr: a msghdr and the byte count the kernel
// reports for it. Go lays it out as C does (msg_len after the msghdr,
// padded to the msghdr's alignment).
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
}

// mmsgReader calls recvmmsg directly on the socket's descriptor, with
// headers, iovecs, address and control room allocated once, so a batch
// allocates nothing. x/net's ReadBatch does the same system call but
// returns each source as a new *net.UDPAddr (two allocations a datagram).
type mmsgReader struct {
	rc    syscall.RawConn
	hs    []mmsghdr
	iovs  []unix.Iovec
	names []unix.RawSockaddrInet6 // large enough for either family
	oob   []byte                  // oobSize bytes per message
	zones *zoneTable              // the receiver's

	k     int                // messages asked for in the current call
	got   int                // messages the kernel filled
	errno syscall.Errno      // the call's error, 0 if none
	recvF func(uintptr) bool // r.recv, bound once so that no call allocates
}

func newMmsgReader(conn *net.UDPConn, batch int, zones *zoneTable) (*mmsgReader, error) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	r := &mmsgReader{
		rc:    rc,
		zones: zones,
		hs:    make([]mmsghdr, batch),
		iovs:  make([]unix.Iovec, batch),
		names: make([]unix.RawSockaddrInet6, batch),
		oob:   make([]byte, batch*oobSize),
	}
	for i := range r.hs {
		h := &r.hs[i].hdr
		h.Name = (*byte)(unsafe.Pointer(&r.names[i]))
		h.Iov = &r.iovs[i]
		h.SetIovlen(1)
		h.Control = &r.oob[i*oobSize]
	}
	r.recvF = r.recv
	return r, nil
}

// readBatch points message i at window bufs[i] (its bytes after the
// header room), makes one recvmmsg (waiting in the runtime's poller, so
// deadlines and Close apply) and reports what the kernel filled, each
// source written into its window's header.
func (r *mmsgReader) readBatch(bufs [][]byte, meta []msgMeta) (int, error) {
	for i, w := range bufs {
		iov := &r.iovs[i]
		iov.Base = nil
		if len(w) > HeaderSize {
			iov.Base = &w[HeaderSize]
		}
		iov.SetLen(len(w) - HeaderSize)
		h := &r.hs[i]
		h.hdr.Namelen = unix.SizeofSockaddrInet6
		h.hdr.SetControllen(oobSize)
		h.hdr.Flags = 0
		h.n = 0
	}
	r.k, r.got, r.errno = len(bufs), 0, 0
	err := r.rc.Read(r.recvF)
	for i := range bufs {
		r.iovs[i].Base = nil // keep no pointer into the storage past the call
	}
	if err != nil {
		return 0, err
	}
	if r.errno != 0 {
		return 0, os.NewSyscallError("recvmmsg", r.errno)
	}
	for i := range r.got {
		h := &r.hs[i]
		bufs[i] = bufs[i][:HeaderSize+int(h.n)]
		r.zones.putSockaddr(bufs[i], &r.names[i])
		meta[i] = msgMeta{n: int(h.n), flags: int(h.hdr.Flags), oob: r.oob[i*oobSize : i*oobSize+int(h.hdr.Controllen)]}
	}
	return r.got, nil
}

// recv is the RawConn.Read callback: false means "not ready, wait for the
// poller" (EAGAIN), true means done, with the result in r.
func (r *mmsgReader) recv(fd uintptr) bool {
	for {
		n, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&r.hs[0])), uintptr(r.k), unix.MSG_DONTWAIT, 0, 0)
		switch e {
		case 0:
			r.got = int(n)
			return true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		default:
			r.errno = e
			return true
		}
	}
}

// putSockaddr writes the source address the kernel filled in (a
// sockaddr_in or sockaddr_in6) into the header h, as putAddrPort would
// write what net.UDPConn.ReadMsgUDPAddrPort returns: an IPv4 socket gives
// 4-byte addresses, an IPv6 one 16-byte addresses (IPv4 senders to a
// dual-stack socket appear IPv4-mapped).
func (z *zoneTable) putSockaddr(h []byte, sa *unix.RawSockaddrInet6) {
	h = h[:HeaderSize]
	h[1] = 0
	switch sa.Family {
	case unix.AF_INET:
		sa4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		h[hdrFamily] = 4
		binary.BigEndian.PutUint16(h[hdrPort:], ntohs(sa4.Port))
		binary.LittleEndian.PutUint32(h[hdrZone:], 0)
		copy(h[hdrAddr:], sa4.Addr[:])
		clear(h[hdrAddr+4:])
	case unix.AF_INET6:
		h[hdrFamily] = 6
		binary.BigEndian.PutUint16(h[hdrPort:], ntohs(sa.Port))
		binary.LittleEndian.PutUint32(h[hdrZone:], z.fromScope(sa.Scope_id))
		copy(h[hdrAddr:], sa.Addr[:])
	default:
		clear(h)
	}
}

// fromScope returns the zone id of a kernel scope id (an interface index),
// naming it once.
func (z *zoneTable) fromScope(scope uint32) uint32 {
	if scope == 0 {
		return 0
	}
	if id, ok := z.scopes[scope]; ok {
		return id
	}
	name := uitoa(scope)
	if ifi, err := net.InterfaceByIndex(int(scope)); err == nil {
		name = ifi.Name
	}
	if z.scopes == nil {
		z.scopes = make(map[uint32]uint32)
	}
	id := z.fromName(name)
	z.scopes[scope] = id
	return id
}

// ntohs reads a port stored in network byte order.
func ntohs(p uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&p))
	return uint16(b[0])<<8 | uint16(b[1])
}

func uitoa(v uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			return string(b[i:])
		}
	}
}
