package udp

import (
	"encoding/binary"
	"fmt"
	"net"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// gsoSender sends runs of datagrams with UDP generic segmentation offload:
// one sendmsg carries up to 64 KiB, and the kernel cuts it into datagrams
// of seg bytes (the last may be shorter), as quic-go and wireguard-go send.
// On loopback a GRO receiver gets each run whole, as one message.
type gsoSender struct {
	conn *net.UDPConn // connected
	oob  []byte
}

// gsoMaxSegments is the most datagrams one GSO send may carry on every
// kernel with UDP_SEGMENT (Linux 6.13 raised it from 64 to 128).
const gsoMaxSegments = 64

func newGSOSender(conn *net.UDPConn) *gsoSender {
	oob := make([]byte, unix.CmsgSpace(2))
	h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
	h.Level = unix.IPPROTO_UDP
	h.Type = unix.UDP_SEGMENT
	h.SetLen(unix.CmsgLen(2))
	return &gsoSender{conn: conn, oob: oob}
}

// send sends run as datagrams of seg bytes in one system call. A run of
// one datagram (len(run) <= seg) goes without the control message: the
// kernel refuses a segment size with nothing to segment on some versions.
func (s *gsoSender) send(run []byte, seg int) error {
	if len(run) <= seg {
		_, err := s.conn.Write(run)
		return err
	}
	if n := (len(run) + seg - 1) / seg; n > gsoMaxSegments || seg > 65535 {
		return fmt.Errorf("gso: %d segments of %d bytes", n, seg)
	}
	binary.NativeEndian.PutUint16(s.oob[unix.CmsgLen(0):], uint16(seg))
	_, _, err := s.conn.WriteMsgUDP(run, s.oob, nil)
	return err
}

// newGSOBatchSender returns a function sending n datagrams of size bytes as
// GSO runs of as many as one send takes (up to 64 KiB), then giving the
// kernel a millisecond to queue them, as newBatchSender does.
func newGSOBatchSender(sc *net.UDPConn, size int) func(testing.TB, int) {
	g := newGSOSender(sc)
	per := min(gsoMaxSegments, 65000/size)
	run := make([]byte, per*size)
	return func(tb testing.TB, n int) {
		for n > 0 {
			k := min(n, per)
			if err := g.send(run[:k*size], size); err != nil {
				tb.Fatal(err)
			}
			n -= k
		}
		time.Sleep(time.Millisecond)
	}
}
