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
// In place. The read is laid out so that the segments land where their
// packets go: one iovec per segment, HeaderSize bytes apart (the header of
// each packet), sized by the segment size of the previous run. When the
// guess holds (a steady GSO flow) the kernel writes every datagram into its
// final place, and committing it writes only its header. The room needed
// is reserved first, at the place PushWith would use, so the commits land
// there too.
//
// Copied. A read goes through a staging area of the receiver's instead
// when the room is not there (a buffer smaller than a 64 KiB run, the end
// of the storage near, the buffer nearly full); and the segments that do
// not fit in place (a segment size other than the guess, more segments
// than free slots or iovecs, datagrams longer than the MTU) are gathered
// there. They are committed from there, copied, as room allows; what does
// not fit yet stays pending and is committed by the next read before
// anything new is read from the socket.

// groWindow is the most bytes one GRO read takes: the largest UDP payload,
// so that no coalesced message is ever cut.
const groWindow = 65535

// groIovecs is the most segments laid out in place by one read (the kernel
// limits a GSO send to 128 segments since Linux 6.13, to 64 before).
const groIovecs = 128

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
	seg     int      // the segment size the in-place layout expects; 0: single datagrams
	singles int      // single-datagram reads in a row
	iovs    [][]byte // groIovecs entries
	staging []byte   // window bytes
	hdr     [HeaderSize]byte
	pend    pending

	placed, copied uint64 // datagrams committed in place, and from the staging area
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
	p0, err := r.buf.Reserve(r.room)
	if err != nil {
		if errors.Is(err, netbuf.ErrWouldBlock) {
			r.stats.WouldBlock++
		}
		return 0, err
	}
	_ = r.buf.Abort()

	// The in-place layout: j segments of seg bytes, packet k at
	// k*(HeaderSize+seg), its bytes after its header; the last iovec
	// takes the rest of the window. Packet k+1 needs room for a whole
	// PushWith from its place: span covers it for every k < j. When
	// single datagrams are expected, one iovec takes the whole window.
	seg, j := r.mtu, 1
	if g.seg > 0 {
		seg = g.seg
		j = min((g.window+seg-1)/seg, groIovecs, r.buf.MaxPackets()-r.buf.Len())
	}
	span := j*HeaderSize + g.window + r.mtu
	w, err := r.buf.Reserve(span)
	if err == nil && &w[0] != &p0[0] {
		_ = r.buf.Abort() // the run would not start where PushWith puts a packet
		err = netbuf.ErrWouldBlock
	}
	if err != nil {
		return r.readStaged()
	}
	iovs := g.iovs[:j]
	for k := range j {
		start := k*(HeaderSize+seg) + HeaderSize
		end := start + seg
		if k == j-1 {
			end = start + g.window - (j-1)*seg
		}
		iovs[k] = w[start:end:end]
	}
	msg, err := g.r.readGRO(iovs, w[:HeaderSize])
	_ = r.buf.Abort()
	if err != nil {
		clear(iovs)
		return 0, err
	}
	r.stats.Reads++
	r.noteDrops(msg.oob)

	// The segments that landed in their own iovec, in order from the first,
	// are in place; gather the rest into the staging area.
	n, segs := msg.n, segments(msg.n, msg.seg)
	inPlace := 0
	switch {
	case segs == 1:
		if n <= len(iovs[0]) {
			inPlace = 1
		}
	case msg.seg == seg:
		inPlace = min(segs, j)
	case msg.seg <= len(iovs[0]):
		inPlace = 1
	}
	if inPlace < segs {
		from := inPlace * msg.seg
		g.pend = pending{hdr: [HeaderSize]byte(w[:HeaderSize]), data: gather(g.staging, iovs, seg, from, n),
			seg: msg.seg, left: segs - inPlace, trunc: msg.flags&msgTrunc != 0}
		if segs == 1 {
			g.pend.seg = 0
		}
	}
	clear(iovs)
	r.learnSegment(n, msg.seg)

	for k := range inPlace {
		at := k * (HeaderSize + seg)
		p, err := r.buf.Reserve(r.room)
		if err != nil || &p[0] != &w[at] {
			panic("udp: the buffer placed a GRO datagram off its reserved run")
		}
		if k > 0 {
			copy(p, w[:HeaderSize])
		}
		size := n - k*msg.seg
		if segs > 1 {
			size = min(msg.seg, size)
		}
		c := min(size, r.mtu)
		_ = r.buf.Commit(HeaderSize + c)
		r.commitStats(c, size > r.mtu || (k == segs-1 && msg.flags&msgTrunc != 0))
	}
	g.placed += uint64(inPlace)
	return inPlace + r.drain(), nil
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
	r.learnSegment(msg.n, msg.seg)
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
	g.copied += uint64(m)
	if g.pend.left == 0 {
		g.pend = pending{}
	}
	return m
}

// groSingles is the number of single-datagram reads in a row after which
// the in-place layout expects single datagrams (one iovec) rather than a
// run: the sender does not use GSO, and the path does not coalesce.
const groSingles = 4

// learnSegment sets what the next in-place layout expects: runs of the
// last run's segment size, while it fits the MTU; the MTU after a single
// datagram longer than that; single datagrams after groSingles of them in
// a row.
func (r *Receiver) learnSegment(n, seg int) {
	g := r.gro
	if segments(n, seg) > 1 {
		g.seg, g.singles = min(seg, r.mtu), 0
		return
	}
	g.singles++
	switch {
	case g.singles >= groSingles:
		g.seg = 0
	case g.seg > 0 && n > g.seg:
		g.seg = r.mtu
	}
}

// gather copies the bytes [from, n) of a message read over iovs (each of
// seg bytes but the last, which takes the rest) into dst, and returns them.
func gather(dst []byte, iovs [][]byte, seg, from, n int) []byte {
	out := dst[:0]
	pos := 0 // message offset of iovs[k]
	for k, v := range iovs {
		end := pos + len(v)
		if k < len(iovs)-1 {
			end = pos + seg
		}
		lo, hi := max(from, pos), min(n, end)
		if lo < hi {
			out = append(out, v[lo-pos:hi-pos]...)
		}
		pos = end
		if pos >= n {
			break
		}
	}
	return out
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
		seg:     mtu,
		iovs:    make([][]byte, groIovecs),
		staging: make([]byte, groWindow),
	}
}
