//go:build linux

package udp

import (
	"net"
	"net/netip"
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
	zones zoneCache

	k     int                // messages asked for in the current call
	got   int                // messages the kernel filled
	errno syscall.Errno      // the call's error, 0 if none
	recvF func(uintptr) bool // r.recv, bound once so that no call allocates
}

func newMmsgReader(conn *net.UDPConn, batch int) (*mmsgReader, error) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	r := &mmsgReader{
		rc:    rc,
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

// readBatch points message i at window bufs[i], makes one recvmmsg (waiting
// in the runtime's poller, so deadlines and Close apply) and reports what
// the kernel filled.
func (r *mmsgReader) readBatch(bufs [][]byte, from []netip.AddrPort, meta []msgMeta) (int, error) {
	for i, w := range bufs {
		iov := &r.iovs[i]
		iov.Base = nil
		if len(w) > 0 {
			iov.Base = &w[0]
		}
		iov.SetLen(len(w))
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
		bufs[i] = bufs[i][:h.n]
		from[i] = r.zones.addrPort(&r.names[i])
		meta[i] = msgMeta{flags: int(h.hdr.Flags), oob: r.oob[i*oobSize : i*oobSize+int(h.hdr.Controllen)]}
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

// zoneCache names IPv6 scope ids once, so that a link-local source costs no
// allocation after the first datagram from its interface.
type zoneCache map[uint32]string

// addrPort converts a sockaddr filled by the kernel into a netip.AddrPort,
// as net.UDPConn.ReadMsgUDPAddrPort would: an IPv4 socket gives 4-byte
// addresses, an IPv6 one 16-byte addresses (IPv4 senders to a dual-stack
// socket appear IPv4-mapped).
func (z *zoneCache) addrPort(sa *unix.RawSockaddrInet6) netip.AddrPort {
	switch sa.Family {
	case unix.AF_INET:
		sa4 := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		return netip.AddrPortFrom(netip.AddrFrom4(sa4.Addr), ntohs(sa4.Port))
	case unix.AF_INET6:
		a := netip.AddrFrom16(sa.Addr)
		if sa.Scope_id != 0 {
			a = a.WithZone(z.name(sa.Scope_id))
		}
		return netip.AddrPortFrom(a, ntohs(sa.Port))
	}
	return netip.AddrPort{}
}

func (z *zoneCache) name(id uint32) string {
	if s, ok := (*z)[id]; ok {
		return s
	}
	if *z == nil {
		*z = make(zoneCache)
	}
	s := ""
	if ifi, err := net.InterfaceByIndex(int(id)); err == nil {
		s = ifi.Name
	} else {
		s = uitoa(id)
	}
	(*z)[id] = s
	return s
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
