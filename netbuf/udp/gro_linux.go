//go:build linux

package udp

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// groOOBSize is the control room of a GRO read: the segment size and the
// drop counter, with room to spare for options set on the socket by its
// owner (a control message cut for lack of room could be the segment size,
// and a run would then pass for one datagram).
const groOOBSize = 512

// groConn makes GRO reads: one recvmsg on the socket's descriptor, with
// the header, iovecs, address and control room allocated once.
type groConn struct {
	rc    syscall.RawConn
	zones *zoneTable // the receiver's
	msg   unix.Msghdr
	iovs  [1]unix.Iovec // the staging area
	name  unix.RawSockaddrInet6
	oob   [groOOBSize]byte

	n     int
	errno syscall.Errno
	recvF func(uintptr) bool // g.recv, bound once so that no call allocates
}

// newGROConn turns UDP_GRO on for conn and returns its reader, or an error
// wrapping ErrGROUnsupported if the kernel refuses the option.
func newGROConn(conn *net.UDPConn, zones *zoneTable) (groReader, error) {
	rc, err := conn.SyscallConn()
	if err != nil {
		return nil, err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_UDP, unix.UDP_GRO, 1)
	}); err != nil {
		return nil, err
	}
	if serr != nil {
		return nil, fmt.Errorf("%w: %w", ErrGROUnsupported, os.NewSyscallError("setsockopt UDP_GRO", serr))
	}
	g := &groConn{rc: rc, zones: zones}
	g.msg.Name = (*byte)(unsafe.Pointer(&g.name))
	g.msg.Iov = &g.iovs[0]
	g.msg.Control = &g.oob[0]
	g.recvF = g.recv
	return g, nil
}

func (g *groConn) readGRO(iovs [][]byte, hdr []byte) (groMsg, error) {
	for k, v := range iovs {
		g.iovs[k].Base = nil
		if len(v) > 0 {
			g.iovs[k].Base = &v[0]
		}
		g.iovs[k].SetLen(len(v))
	}
	g.msg.Namelen = unix.SizeofSockaddrInet6
	g.msg.SetIovlen(len(iovs))
	g.msg.SetControllen(groOOBSize)
	g.msg.Flags = 0
	g.n, g.errno = 0, 0
	err := g.rc.Read(g.recvF)
	for k := range iovs {
		g.iovs[k].Base = nil // keep no pointer into the storage past the call
	}
	if err != nil {
		return groMsg{}, err
	}
	if g.errno != 0 {
		return groMsg{}, os.NewSyscallError("recvmsg", g.errno)
	}
	g.zones.putSockaddr(hdr, &g.name)
	oob := g.oob[:g.msg.Controllen]
	return groMsg{n: g.n, seg: parseSegment(oob), flags: int(g.msg.Flags), oob: oob}, nil
}

// recv is the RawConn.Read callback, as mmsgReader.recv.
func (g *groConn) recv(fd uintptr) bool {
	for {
		n, _, e := unix.Syscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&g.msg)), unix.MSG_DONTWAIT)
		switch e {
		case 0:
			g.n = int(n)
			return true
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		default:
			g.errno = e
			return true
		}
	}
}

// parseSegment finds the UDP_GRO control message (the segment size, an
// int) among control messages, without allocating; 0 if there is none.
func parseSegment(oob []byte) int {
	for len(oob) >= unix.SizeofCmsghdr {
		h, data, rest, err := unix.ParseOneSocketControlMessage(oob)
		if err != nil {
			return 0
		}
		if h.Level == unix.IPPROTO_UDP && h.Type == unix.UDP_GRO {
			switch {
			case len(data) >= 4:
				return int(binary.NativeEndian.Uint32(data))
			case len(data) >= 2:
				return int(binary.NativeEndian.Uint16(data))
			}
		}
		oob = rest
	}
	return 0
}
