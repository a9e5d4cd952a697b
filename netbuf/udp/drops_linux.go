//go:build linux

package udp

import (
	"encoding/binary"
	"net"

	"golang.org/x/sys/unix"
)

// oobSize is the control room per datagram: one SO_RXQ_OVFL message.
var oobSize = unix.CmsgSpace(4)

// msgTrunc is the flag set on a datagram cut to fit the window.
const msgTrunc = unix.MSG_TRUNC

// enableDropReport turns on SO_RXQ_OVFL: from then on, each datagram queued
// after a drop carries the socket's cumulative drop counter.
func enableDropReport(conn *net.UDPConn) error {
	rc, err := conn.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RXQ_OVFL, 1)
	}); err != nil {
		return err
	}
	return serr
}

// parseDrops finds the SO_RXQ_OVFL counter among control messages, without
// allocating.
func parseDrops(oob []byte) (uint32, bool) {
	for len(oob) >= unix.SizeofCmsghdr {
		h, data, rest, err := unix.ParseOneSocketControlMessage(oob)
		if err != nil {
			return 0, false
		}
		if h.Level == unix.SOL_SOCKET && h.Type == unix.SO_RXQ_OVFL && len(data) >= 4 {
			return binary.NativeEndian.Uint32(data), true
		}
		oob = rest
	}
	return 0, false
}
