package udp

import (
	"errors"
	"fmt"

	"github.com/netbuf-go/netbuf/netbuf"
)

// GRO reads (Config.GRO, Linux UDP_GRO). With UDP_GRO on, the kernel hands
// over a run of datagrams of one flow as one message: equal-size segments
// back to back (the last may be shorter), with the segment size in a
// control message. A GSO sender (UDP_SEGMENT) produces such runs of up to
// 64 KiB, and so does the kernel's GRO on a NIC that coalesces a flow.
//
// A GRO read splits the message into its datagrams and commits each one as
// PushWith(MTU+HeaderSize) would commit it, one by one, all with the
// message's source: the buffer is left exactly as single reads of the same
// datagrams would leave it.
//
// Through a staging area. Each read takes the whole run into a 64 KiB
// staging area of the receiver's, with one iovec, and each datagram is
// copied from there into its place in the buffer, as room allows; what
// does not fit yet stays pending and is committed by the next read before
// anything new is read from the socket. One flat iovec costs the kernel
// about half of what one iovec per segment, laid out where the packets go
// (which needs no copy afterwards), costs at 64-byte segments on loopback;
// the copy out of the staging area, in cache, costs less than the
// difference (docs/benchmarks.md, "Against a C loop").

// groWindow is the most bytes one GRO read takes: the largest UDP payload,
// so that no coalesced message is ever cut.
const groWindow = 65535

// ErrGROUnsupported is the reason Receiver.GRO gives when Config.GRO was
// asked for and the platform or the kernel refused it (it wraps
// errors.ErrUnsupported). Reads are then ordinary batched reads.
var ErrGROUnsupported = fmt.Errorf("udp: GRO receive not supported: %w", errors.ErrUnsupported)

// errGROReadOne is ReadOne's answer on a receiver with GRO on: a
// single-datagram read would cut a coalesced message.
var errGROReadOne = fmt.Errorf("udp: ReadOne on a receiver with GRO on (use ReadBatch): %w", errors.ErrUnsupported)

// groMsg is what one GRO read reports.
type groMsg struct {
	n     int    // bytes read, scattered over the iovecs in order
	seg   int    // segment size from the UDP_GRO control message; 0: one datagram
	flags int    // MSG_TRUNC: the message was longer than the iovecs
	oob   []byte // control messages, for the drop counter
}

// groReader reads one message (one recvmsg) scattered over iovs in order,
// and writes its source into hdr.
type groReader interface {
	readGRO(iovs [][]byte, hdr []byte) (groMsg, error)
}

// groState is the receiver's GRO machinery.
type groState struct {
	r       groReader
	window  int      // bytes one read takes: groWindow (smaller in tests)
	iovs    [][]byte // one entry: the staging area, during a read
	staging []byte   // window bytes
	hdr     [HeaderSize]byte
	pend    pending
}

// pending is the tail of a message read but not yet committed: data holds
// its segments back to back in the staging area.
type pending struct {
	hdr   [HeaderSize]byte
	data  []byte
	seg   int  // segment size; data is one datagram if seg == 0
	left  int  // segments still to commit
	trunc bool // the last segment was cut by the read
}

// next removes and returns the next segment's bytes.
func (p *pending) next() []byte {
	k := len(p.data)
	if p.seg > 0 && p.left > 1 {
		k = min(p.seg, k)
	}
	s := p.data[:k:k]
	p.data = p.data[k:]
	p.left--
	return s
}

// segments returns the number of datagrams in a message of n bytes with
// segment size seg: at least one (a zero-length datagram is one).
func segments(n, seg int) int {
	if seg <= 0 || n <= seg {
		return 1
	}
	return (n + seg - 1) / seg
}

// readGRO is ReadBatch with GRO on: it commits pending segments if there
// are any, else makes one read and commits its datagrams.
func (r *Receiver) readGRO() (int, error) {
	g := r.gro
	if g.pend.left > 0 {
		m := r.drain()
		if m == 0 {
			r.stats.WouldBlock++
			return 0, netbuf.ErrWouldBlock
		}
		return m, nil
	}
	// A read only when one more datagram fits: a full buffer leaves the
	// datagrams in the kernel's queue, as the other reads do.
	if _, err := r.buf.Reserve(r.room); err != nil {
		if errors.Is(err, netbuf.ErrWouldBlock) {
			r.stats.WouldBlock++
		}
		return 0, err
	}
	_ = r.buf.Abort()
	return r.readStaged()
}

// readStaged makes one read into the staging area and commits what room
// allows, copying; the rest stays pending.
func (r *Receiver) readStaged() (int, error) {
	g := r.gro
	iovs := g.iovs[:1]
	iovs[0] = g.staging[:g.window]
	msg, err := g.r.readGRO(iovs, g.hdr[:])
	iovs[0] = nil
	if err != nil {
		return 0, err
	}
	r.stats.Reads++
	r.noteDrops(msg.oob)
	segs := segments(msg.n, msg.seg)
	g.pend = pending{hdr: g.hdr, data: g.staging[:msg.n], seg: msg.seg, left: segs, trunc: msg.flags&msgTrunc != 0}
	if segs == 1 {
		g.pend.seg = 0
	}
	return r.drain(), nil
}

// drain commits pending segments, copied from the staging area, until
// none is left or the buffer refuses one; it returns how many it
// committed.
func (r *Receiver) drain() int {
	g := r.gro
	m := 0
	for g.pend.left > 0 {
		p, err := r.buf.Reserve(r.room)
		if err != nil {
			break
		}
		last := g.pend.left == 1
		s := g.pend.next()
		c := min(len(s), r.mtu)
		copy(p, g.pend.hdr[:])
		copy(p[HeaderSize:], s[:c])
		_ = r.buf.Commit(HeaderSize + c)
		r.commitStats(c, len(s) > r.mtu || (last && g.pend.trunc))
		m++
	}
	if g.pend.left == 0 {
		g.pend = pending{}
	}
	return m
}

// commitStats counts one datagram committed with c bytes.
func (r *Receiver) commitStats(c int, truncated bool) {
	r.stats.Packets++
	r.stats.Bytes += uint64(c)
	if truncated {
		r.stats.Truncated++
	}
}

// GRO reports whether ReadBatch makes GRO reads, and if Config.GRO was
// asked for but is off, why (an error wrapping ErrGROUnsupported).
func (r *Receiver) GRO() (on bool, err error) {
	return r.gro != nil, r.groErr
}

// Pending returns the number of datagrams a GRO read took from the socket
// that the buffer had no room for yet. The next ReadBatch commits them
// before it reads anything new. Reset leaves them.
func (r *Receiver) Pending() int {
	if r.gro == nil {
		return 0
	}
	return r.gro.pend.left
}

func newGROState(r groReader, mtu int) *groState {
	return &groState{
		r:       r,
		window:  groWindow,
		iovs:    make([][]byte, 1),
		staging: make([]byte, groWindow),
	}
}
