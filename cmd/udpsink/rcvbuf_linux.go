package main

import (
	"net"

	"golang.org/x/sys/unix"
)

// rcvbuf returns the socket's SO_RCVBUF as the kernel set it (it doubles
// the size asked for, for its bookkeeping, and caps it at rmem_max).
func rcvbuf(conn *net.UDPConn, asked int) int {
	rc, err := conn.SyscallConn()
	if err != nil {
		return asked
	}
	v := asked
	_ = rc.Control(func(fd uintptr) {
		if n, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF); err == nil {
			v = n
		}
	})
	return v
}
