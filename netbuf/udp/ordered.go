package udp

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/netbuf-go/netbuf/netbuf"
)

// SeqParser reads a datagram's sequence number from its bytes (a header
// field of its protocol), or reports ok false for a datagram that has none.
type SeqParser func(p []byte) (seq uint32, ok bool)

// RTPSeq is the SeqParser of RTP (RFC 3550): a version 2 packet of at least
// the 12-byte fixed header, not RTCP (second byte 192 to 223, as RFC 5761
// tells them apart), with its 16-bit sequence number at bytes 2 and 3. Use
// it with SeqBits 16.
func RTPSeq(p []byte) (uint32, bool) {
	if len(p) < 12 || p[0]>>6 != 2 || (p[1] >= 192 && p[1] <= 223) {
		return 0, false
	}
	return uint32(p[2])<<8 | uint32(p[3]), true
}

// ErrUnsequenced is OrderedReceiver.ReadOne's answer for a datagram whose
// sequence number the parser could not read (or that is too wide for
// SeqBits): it is dropped and counted.
var ErrUnsequenced = errors.New("udp: datagram without a sequence number")

// OrderedConfig sizes an OrderedReceiver. Zero fields take the defaults
// given; Parse is required.
type OrderedConfig struct {
	MTU        int // as Config.MTU (default 1500)
	Capacity   int // as Config.Capacity (default 1 MiB)
	MaxPackets int // as Config.MaxPackets (default 4096, or Capacity/HeaderSize if less)

	SeqBits int    // width of the sequence numbers, 2 to 32 (default 16, RTP's)
	Window  int    // sequences accepted ahead of Next (default min(MaxPackets, 2^(SeqBits-1)))
	First   uint32 // the first Next, unless SyncFirst
	Resync  bool   // a datagram ahead of the window moves the window instead of being refused

	// SyncFirst makes Next start at the first datagram's sequence minus
	// SyncBack (less than Window), rather than at First: a receiver that
	// joins a stream does not know where it starts, and up to SyncBack
	// datagrams sent before the first one received but overtaken by it
	// are still delivered. Sequences given up before the first delivery
	// are not counted as missing: they may never have been sent.
	SyncFirst bool
	SyncBack  int

	Parse SeqParser
}

// OrderedStats counts what an OrderedReceiver has done since it was made.
// Stats.Packets counts the datagrams committed (held for delivery); those
// refused are counted by their reason.
type OrderedStats struct {
	Stats
	Delivered   uint64 // datagrams popped, in sequence order
	Late        uint64 // refused: delivered already, or given up (netbuf.ErrLate)
	Duplicate   uint64 // refused: that sequence is held (netbuf.ErrDuplicate)
	Ahead       uint64 // beyond the window: refused (netbuf.ErrAhead) or, with Resync, moved it
	Unsequenced uint64 // refused: no sequence number (ErrUnsequenced)
	Skipped     uint64 // held datagrams dropped when the window moved on (SkipTo, Resync)
	Missing     uint64 // sequences given up that had not arrived (after the first delivery)
}

// String returns the counters with their names, as one line.
func (s OrderedStats) String() string {
	return fmt.Sprintf("%v delivered=%d late=%d duplicate=%d ahead=%d unsequenced=%d skipped=%d missing=%d",
		s.Stats, s.Delivered, s.Late, s.Duplicate, s.Ahead, s.Unsequenced, s.Skipped, s.Missing)
}

// OrderedReceiver fills a netbuf.OrderedBuffer from a UDP socket: each
// datagram is read straight into the buffer (one recvmsg), its sequence
// number read by the parser, and PopWith hands the datagrams out in
// sequence order, each with its source address (kept in the buffer with
// it, as Receiver does). Late and duplicate datagrams are refused and
// counted. Like the buffer, it is owned by one goroutine at a time.
type OrderedReceiver struct {
	conn  *net.UDPConn
	buf   *netbuf.OrderedBuffer
	parse SeqParser
	mtu   int
	room  int
	mask  uint32
	zones zoneTable
	stats OrderedStats

	oob      []byte
	got      bool // the current read took a datagram
	lastFlag int
	lastOOB  int
	fill     func([]byte) (uint32, int, error) // r.readInto, bound once

	sync    bool   // waiting for the first datagram to set Next
	back    uint32 // SyncBack
	scratch []byte // the first datagram, when syncing
	gap     []uint32
}

// NewOrderedReceiver returns a receiver for conn with an empty buffer
// configured by cfg. As NewReceiver, it turns on the kernel's drop counter
// on Linux, leaves SO_RCVBUF and conn's closing to the caller, and refuses
// a nil conn with ErrConfig.
func NewOrderedReceiver(conn *net.UDPConn, cfg OrderedConfig) (*OrderedReceiver, error) {
	if conn == nil {
		return nil, errNilConn
	}
	base := withDefaults(Config{MTU: cfg.MTU, Capacity: cfg.Capacity, MaxPackets: cfg.MaxPackets})
	if err := base.check(); err != nil {
		return nil, err
	}
	if cfg.SeqBits == 0 {
		cfg.SeqBits = 16
	}
	if cfg.SeqBits < 2 || cfg.SeqBits > 32 {
		return nil, fmt.Errorf("%w: SeqBits %d outside [2, 32]", ErrConfig, cfg.SeqBits)
	}
	half := 1 << (cfg.SeqBits - 1)
	if cfg.Window == 0 {
		cfg.Window = min(base.MaxPackets, half)
	}
	switch {
	case cfg.Window < 1 || cfg.Window > half:
		return nil, fmt.Errorf("%w: Window %d outside [1, 2^(SeqBits-1) = %d]", ErrConfig, cfg.Window, half)
	case cfg.SyncBack < 0 || cfg.SyncBack >= cfg.Window:
		return nil, fmt.Errorf("%w: SyncBack %d outside [0, Window-1 = %d]", ErrConfig, cfg.SyncBack, cfg.Window-1)
	case cfg.Parse == nil:
		return nil, fmt.Errorf("%w: no Parse", ErrConfig)
	}
	buf, err := netbuf.NewOrderedBuffer(netbuf.OrderedConfig{Capacity: base.Capacity, MaxPackets: base.MaxPackets,
		Window: cfg.Window, SeqBits: cfg.SeqBits, First: cfg.First, Resync: cfg.Resync})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if err := enableDropReport(conn); err != nil {
		return nil, err
	}
	r := &OrderedReceiver{
		conn:  conn,
		buf:   buf,
		parse: cfg.Parse,
		mtu:   base.MTU,
		room:  base.MTU + HeaderSize,
		mask:  uint32(1<<cfg.SeqBits - 1),
		oob:   make([]byte, oobSize),
		sync:  cfg.SyncFirst,
		back:  uint32(cfg.SyncBack),
		gap:   make([]uint32, 256),
	}
	if r.sync {
		r.scratch = make([]byte, r.room)
	}
	r.fill = r.readInto
	return r, nil
}

// ReadOne reads one datagram with one system call straight into the
// buffer, and returns its sequence number and length. It blocks until a
// datagram arrives, the read deadline passes or conn is closed.
//
// A datagram read but refused comes back with its sequence number, length
// 0 and the reason, and is counted: netbuf.ErrLate, netbuf.ErrDuplicate,
// netbuf.ErrAhead (without Resync), or ErrUnsequenced. The caller reads
// on. netbuf.ErrWouldBlock (no room or slot for an MTU-sized datagram) and
// socket errors are as for Receiver.ReadOne.
func (r *OrderedReceiver) ReadOne() (uint32, int, error) {
	if r.sync {
		return r.readFirst()
	}
	next, held := r.buf.Next(), r.buf.Len()
	r.got = false
	seq, n, err := r.buf.PushWith(r.room, r.fill)
	if r.got {
		r.stats.Reads++
		r.noteDrops(r.oob[:r.lastOOB])
	}
	switch {
	case err == nil:
		n -= HeaderSize
		r.committed(n, r.lastFlag)
		if moved := (r.buf.Next() - next) & r.mask; moved != 0 { // Resync: ahead, and the window moved
			r.stats.Ahead++
			r.gaveUp(moved, held+1-r.buf.Len())
		}
		return seq, n, nil
	case errors.Is(err, netbuf.ErrWouldBlock):
		r.stats.WouldBlock++
	case errors.Is(err, netbuf.ErrLate):
		r.stats.Late++
	case errors.Is(err, netbuf.ErrDuplicate):
		r.stats.Duplicate++
	case errors.Is(err, netbuf.ErrAhead):
		r.stats.Ahead++
	case errors.Is(err, ErrUnsequenced), errors.Is(err, netbuf.ErrInvalidSeq):
		r.stats.Unsequenced++
		return seq, 0, ErrUnsequenced
	}
	return seq, 0, err
}

// readInto is the fill of ReadOne: one recvmsg after the header room, the
// sequence number parsed, the source into the header.
func (r *OrderedReceiver) readInto(p []byte) (uint32, int, error) {
	n, oobn, flags, from, err := r.conn.ReadMsgUDPAddrPort(p[HeaderSize:], r.oob)
	if err != nil {
		return 0, 0, err
	}
	r.got, r.lastFlag, r.lastOOB = true, flags, oobn
	seq, ok := r.parse(p[HeaderSize : HeaderSize+n])
	if !ok {
		return 0, 0, ErrUnsequenced
	}
	r.zones.putAddrPort(p, from)
	return seq, HeaderSize + n, nil
}

// readFirst reads the first datagram (SyncFirst) into the scratch room,
// starts Next SyncBack sequences before it, and copies it in.
func (r *OrderedReceiver) readFirst() (uint32, int, error) {
	p := r.scratch
	n, oobn, flags, from, err := r.conn.ReadMsgUDPAddrPort(p[HeaderSize:], r.oob)
	if err != nil {
		return 0, 0, err
	}
	r.stats.Reads++
	r.noteDrops(r.oob[:oobn])
	seq, ok := r.parse(p[HeaderSize : HeaderSize+n])
	if !ok || seq > r.mask {
		r.stats.Unsequenced++
		return seq, 0, ErrUnsequenced
	}
	// SkipTo moves Next forward by less than half the sequence space at a
	// time; two steps reach anywhere. Nothing is held yet: nothing drops.
	start := (seq - r.back) & r.mask
	for r.buf.Next() != start {
		step := min((start-r.buf.Next())&r.mask, r.mask>>1)
		if _, err := r.buf.SkipTo((r.buf.Next() + step) & r.mask); err != nil {
			return seq, 0, err
		}
	}
	r.sync = false
	r.zones.putAddrPort(p, from)
	if err := r.buf.Push(seq, p[:HeaderSize+n]); err != nil {
		return seq, 0, err
	}
	r.committed(n, flags)
	return seq, n, nil
}

func (r *OrderedReceiver) committed(n, flags int) {
	r.stats.Packets++
	r.stats.Bytes += uint64(n)
	if flags&msgTrunc != 0 {
		r.stats.Truncated++
	}
}

// gaveUp counts a move of the window by moved sequences that dropped
// dropped held datagrams.
func (r *OrderedReceiver) gaveUp(moved uint32, dropped int) {
	r.stats.Skipped += uint64(dropped)
	if r.stats.Delivered > 0 {
		r.stats.Missing += uint64(moved) - uint64(dropped)
	}
}

func (r *OrderedReceiver) noteDrops(oob []byte) {
	if len(oob) > 0 {
		if d, ok := parseDrops(oob); ok && uint64(d) > r.stats.Drops {
			r.stats.Drops = uint64(d)
		}
	}
}

// PopWith passes the datagram with sequence Next, its sequence and its
// source to consume, and delivers it if consume returns nil. p aliases the
// buffer (len == cap) and is valid only during the call. It returns
// netbuf.ErrGap if Next has not arrived but later datagrams have (wait, or
// give it up with SkipGap or SkipTo), netbuf.ErrEmpty if none is held, or
// consume's error unchanged (the datagram stays).
func (r *OrderedReceiver) PopWith(consume func(seq uint32, p []byte, from netip.AddrPort) error) error {
	if consume == nil {
		return netbuf.ErrNilFunc
	}
	err := r.buf.PopWith(func(seq uint32, p []byte) error {
		return consume(seq, p[HeaderSize:], r.zones.addrPort(p))
	})
	if err == nil {
		r.stats.Delivered++
	}
	return err
}

// SkipTo gives up waiting for the sequences [Next, seq), as
// netbuf.OrderedBuffer.SkipTo, and counts them (Skipped, Missing).
func (r *OrderedReceiver) SkipTo(seq uint32) (int, error) {
	moved := (seq - r.buf.Next()) & r.mask
	dropped, err := r.buf.SkipTo(seq)
	if err == nil {
		r.gaveUp(moved, dropped)
	}
	return dropped, err
}

// SkipGap gives up the sequences missing from Next up to the first one
// held, so that PopWith can go on, and returns how many it gave up (0 if
// Next is held or nothing is).
func (r *OrderedReceiver) SkipGap() (int, error) {
	total := 0
	for r.buf.Len() > 0 {
		next := r.buf.Next()
		miss := r.buf.AppendMissing(r.gap[:0], len(r.gap))
		k := 0
		for k < len(miss) && miss[k] == (next+uint32(k))&r.mask {
			k++
		}
		if k == 0 {
			break
		}
		if _, err := r.SkipTo((next + uint32(k)) & r.mask); err != nil {
			return total, err
		}
		total += k
		if k < len(r.gap) {
			break
		}
	}
	return total, nil
}

// AppendMissing appends the sequences missing between Next and the
// highest held, as netbuf.OrderedBuffer.AppendMissing (for NACKs).
func (r *OrderedReceiver) AppendMissing(dst []uint32, max int) []uint32 {
	return r.buf.AppendMissing(dst, max)
}

// Next returns the sequence PopWith waits for.
func (r *OrderedReceiver) Next() uint32 { return r.buf.Next() }

// Len returns the number of datagrams held, not yet delivered or dropped.
func (r *OrderedReceiver) Len() int { return r.buf.Len() }

// Used returns the buffer's bytes held, headers and padding included.
func (r *OrderedReceiver) Used() int { return r.buf.Used() }

// Cap returns the buffer's storage size in bytes.
func (r *OrderedReceiver) Cap() int { return r.buf.Cap() }

// MTU returns the largest datagram kept whole.
func (r *OrderedReceiver) MTU() int { return r.mtu }

// Window returns how many sequences from Next on are accepted.
func (r *OrderedReceiver) Window() int { return r.buf.Window() }

// Stats returns the counters so far.
func (r *OrderedReceiver) Stats() OrderedStats { return r.stats }

// Reset drops every held datagram and keeps Next, as the buffer's Reset;
// inside PopWith's consume it does nothing.
func (r *OrderedReceiver) Reset() { r.buf.Reset() }
