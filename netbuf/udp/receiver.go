// Package udp takes datagrams off a *net.UDPConn straight into a
// netbuf.UnorderedBuffer: one datagram per read system call, a batch per
// recvmmsg, or with GRO (Config.GRO, Linux) a whole coalesced run of
// datagrams per recvmsg, each written by the kernel directly into the
// buffer's storage, with the source address of every datagram kept in the
// same buffer entry (HeaderSize bytes in front of its bytes), and no heap
// allocation per datagram.
//
// A Receiver is owned by one goroutine at a time (like the buffer it wraps):
// the usual shape is one loop that reads until ErrWouldBlock or an error,
// then pops what it holds:
//
//	for {
//		if _, err := r.ReadBatch(); err != nil && !errors.Is(err, netbuf.ErrWouldBlock) {
//			return err // deadline, closed socket: what was read is still held
//		}
//		for r.PopWith(handle) == nil {
//		}
//	}
//
// Backpressure: when the buffer has no room for one more MTU-sized datagram
// (or no free metadata slot), ReadOne and ReadBatch return
// netbuf.ErrWouldBlock without touching the socket, so held packets are
// never overwritten; datagrams wait in the kernel's receive queue
// (SO_RCVBUF, see net.UDPConn.SetReadBuffer) and the kernel drops what does
// not fit there. On Linux those drops are counted: the receiver turns on
// SO_RXQ_OVFL and reads the socket's cumulative drop counter from the
// control message of each datagram (Stats.Drops). The kernel attaches the
// counter to datagrams queued after a drop, so a drop shows up with the
// next datagram received, not before.
//
// Errors from the socket (a read deadline, os.ErrDeadlineExceeded; a
// closed socket, net.ErrClosed) come back wrapped in *net.OpError, so
// errors.Is works, and commit nothing: every packet read before the error
// is still held and pops out intact.
package udp

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/netbuf-go/netbuf/netbuf"
)

// MaxBatch is the largest Config.Batch: Linux's UIO_MAXIOV, the most
// messages one recvmmsg call takes.
const MaxBatch = 1024

// MaxMTU is the largest Config.MTU: the largest UDP payload there is.
const MaxMTU = 65535

// Config sizes a Receiver. Zero fields take the defaults given.
type Config struct {
	// MTU is the largest datagram kept whole. A longer datagram is
	// committed cut to MTU bytes and counted in Stats.Truncated. Default
	// 1500; at most MaxMTU. Each read reserves MTU+HeaderSize bytes.
	MTU int
	// Capacity is the buffer's storage in bytes (default 1 MiB), at least
	// MTU+HeaderSize. A held datagram of n bytes takes n+HeaderSize.
	Capacity int
	// MaxPackets is the buffer's number of metadata slots, at most
	// Capacity/HeaderSize: the most datagrams the storage can hold
	// (zero-length ones take HeaderSize bytes each). Default 4096, or
	// Capacity/HeaderSize if less.
	MaxPackets int
	// Batch is the most datagrams one ReadBatch takes (default 64, at
	// most MaxBatch). Fewer are read when the room left before the end of
	// the storage, or the free slots, hold fewer MTU-sized windows (see
	// netbuf.UnorderedBuffer.PushBatch).
	Batch int
	// XNet makes ReadBatch go through golang.org/x/net's ipv4/ipv6
	// PacketConn.ReadBatch instead of calling recvmmsg directly. It is the
	// portable path (one datagram per call outside Linux), and on Linux it
	// costs two heap allocations per datagram (x/net builds a
	// *net.UDPAddr for every message). Off by default; the direct path is
	// used on Linux, x/net elsewhere.
	XNet bool
	// GRO asks for coalesced reads (UDP_GRO, Linux): ReadBatch then takes
	// a whole run of datagrams of one flow per system call (up to 64 KiB,
	// as a GSO sender sends them) and commits each datagram of it as a
	// single read would. Where UDP_GRO is not available the receiver
	// makes ordinary batched reads, and Receiver.GRO says why. ReadOne is
	// refused with GRO on (it would cut a run). Not with XNet.
	GRO bool
}

// Stats counts what a Receiver has done since it was made.
type Stats struct {
	Packets    uint64 // datagrams committed to the buffer
	Bytes      uint64 // their bytes (as committed, so truncated ones count MTU; headers not counted)
	Reads      uint64 // successful read calls (a batch counts once)
	Truncated  uint64 // datagrams longer than MTU, committed cut to MTU bytes
	Drops      uint64 // the kernel's count of datagrams dropped on this socket (Linux SO_RXQ_OVFL) as of the last datagram read; 0 elsewhere
	WouldBlock uint64 // reads not attempted because the buffer was full
}

// String returns the counters with their names, as one line:
//
//	packets=3 bytes=10 reads=1 truncated=0 drops=0 wouldblock=0
func (s Stats) String() string {
	return fmt.Sprintf("packets=%d bytes=%d reads=%d truncated=%d drops=%d wouldblock=%d",
		s.Packets, s.Bytes, s.Reads, s.Truncated, s.Drops, s.WouldBlock)
}

// ErrConfig reports a Config out of range, or a nil conn. The
// constructors' errors wrap it and say which field and which limit.
var ErrConfig = errors.New("udp: invalid receiver config")

var errNilConn = fmt.Errorf("%w: conn is nil", ErrConfig)

// Receiver fills an UnorderedBuffer from a UDP socket. Each packet in the
// buffer is a HeaderSize-byte source address followed by the datagram's
// bytes: PopWith splits them again.
type Receiver struct {
	conn  *net.UDPConn
	buf   *netbuf.UnorderedBuffer
	mtu   int
	room  int // mtu + HeaderSize: the room reserved per datagram
	zones zoneTable
	stats Stats

	// Single reads.
	oob []byte // control message room (drop counter)

	// Batched reads.
	bufs      [][]byte  // windows handed out by PushBatch
	batchMeta []msgMeta // lengths, flags and control bytes of the current batch
	batch     batchReader
	fillBatch func([][]byte) (int, error) // r.readBatch, bound once

	// GRO reads: nil when off, with the reason in groErr if asked for.
	gro    *groState
	groErr error
}

// msgMeta is what a read reports beside the bytes of one datagram.
type msgMeta struct {
	n     int    // datagram bytes committed (the header not counted)
	flags int    // MSG_TRUNC and friends
	oob   []byte // control messages as received (aliases the reader's room)
}

// batchReader reads up to len(bufs) datagrams in one call into the windows
// bufs (each datagram after HeaderSize bytes of header room), writes each
// source into its window's header, reslices each filled window to header
// plus datagram and records the datagram's metadata. On error it reports
// no datagram.
type batchReader interface {
	readBatch(bufs [][]byte, meta []msgMeta) (int, error)
}

// NewReceiver returns a receiver for conn with an empty buffer sized by
// cfg. It does not change SO_RCVBUF (use conn.SetReadBuffer); on Linux it
// turns on SO_RXQ_OVFL to count kernel drops. The receiver does not own
// conn: closing it is the caller's business (and makes reads return
// net.ErrClosed). A nil conn is refused with ErrConfig.
func NewReceiver(conn *net.UDPConn, cfg Config) (*Receiver, error) {
	if conn == nil {
		return nil, errNilConn
	}
	cfg = withDefaults(cfg)
	if err := cfg.check(); err != nil {
		return nil, err
	}
	buf, err := netbuf.NewUnorderedBuffer(cfg.Capacity, cfg.MaxPackets)
	if err != nil {
		return nil, errors.Join(ErrConfig, err)
	}
	if err := enableDropReport(conn); err != nil {
		return nil, err
	}
	r := &Receiver{
		conn:      conn,
		buf:       buf,
		mtu:       cfg.MTU,
		room:      cfg.MTU + HeaderSize,
		oob:       make([]byte, oobSize),
		bufs:      make([][]byte, cfg.Batch),
		batchMeta: make([]msgMeta, cfg.Batch),
	}
	if !cfg.XNet {
		r.batch, err = newMmsgReader(conn, cfg.Batch, &r.zones)
		if err != nil {
			return nil, err
		}
	}
	if r.batch == nil { // XNet asked for, or no direct recvmmsg here
		r.batch = newXNetReader(conn, cfg.Batch, &r.zones)
	}
	r.fillBatch = r.readBatch
	if cfg.GRO {
		var gr groReader
		if gr, r.groErr = newGROConn(conn, &r.zones); r.groErr == nil {
			r.gro = newGROState(gr, cfg.MTU)
		}
	}
	return r, nil
}

func withDefaults(cfg Config) Config {
	if cfg.MTU == 0 {
		cfg.MTU = 1500
	}
	if cfg.Capacity == 0 {
		cfg.Capacity = 1 << 20
	}
	if cfg.MaxPackets == 0 {
		cfg.MaxPackets = max(1, min(4096, cfg.Capacity/HeaderSize))
	}
	if cfg.Batch == 0 {
		cfg.Batch = 64
	}
	return cfg
}

// check reports the first field out of range, naming it and its limit.
func (cfg Config) check() error {
	switch {
	case cfg.MTU < 1 || cfg.MTU > MaxMTU:
		return fmt.Errorf("%w: MTU %d outside [1, %d]", ErrConfig, cfg.MTU, MaxMTU)
	case cfg.Capacity < cfg.MTU+HeaderSize || cfg.Capacity > netbuf.MaxCapacity:
		return fmt.Errorf("%w: Capacity %d outside [MTU+HeaderSize = %d, %d]", ErrConfig, cfg.Capacity, cfg.MTU+HeaderSize, netbuf.MaxCapacity)
	case cfg.MaxPackets < 1 || cfg.MaxPackets > cfg.Capacity/HeaderSize:
		return fmt.Errorf("%w: MaxPackets %d outside [1, Capacity/HeaderSize = %d]", ErrConfig, cfg.MaxPackets, cfg.Capacity/HeaderSize)
	case cfg.Batch < 1 || cfg.Batch > MaxBatch:
		return fmt.Errorf("%w: Batch %d outside [1, %d]", ErrConfig, cfg.Batch, MaxBatch)
	case cfg.GRO && cfg.XNet:
		return fmt.Errorf("%w: GRO and XNet together", ErrConfig)
	}
	return nil
}

// ReadOne reads one datagram with one system call
// (UDPConn.ReadMsgUDPAddrPort) straight into the buffer and returns its
// length. It blocks until a datagram arrives, the read deadline passes or
// conn is closed. It returns netbuf.ErrWouldBlock, without reading, when
// the buffer has no room for an MTU-sized datagram; a socket error comes
// back as the socket gave it (errors.Is works with os.ErrDeadlineExceeded
// and net.ErrClosed) and commits nothing.
//
// It goes through the buffer's two-phase API: Reserve the room, read into
// it, Commit what came (or Abort on an error), with no callback.
func (r *Receiver) ReadOne() (int, error) {
	if r.gro != nil {
		return 0, errGROReadOne
	}
	p, err := r.buf.Reserve(r.room)
	if err != nil {
		if errors.Is(err, netbuf.ErrWouldBlock) {
			r.stats.WouldBlock++
		}
		return 0, err
	}
	n, oobn, flags, from, err := r.conn.ReadMsgUDPAddrPort(p[HeaderSize:], r.oob)
	if err != nil {
		_ = r.buf.Abort()
		return 0, err
	}
	r.zones.putAddrPort(p, from)
	_ = r.buf.Commit(HeaderSize + n) // n <= MTU: cannot fail
	r.stats.Reads++
	r.account(msgMeta{n: n, flags: flags, oob: r.oob[:oobn]})
	return n, nil
}

// ReadBatch reads up to Config.Batch datagrams with one recvmmsg, each
// written by the kernel straight into a window of the buffer (see
// netbuf.UnorderedBuffer.PushBatch for the windows and the cost of packing
// them back to back), and returns how many it committed. It blocks until
// at least one datagram arrives, the read deadline passes or conn is
// closed; it does not wait to fill the batch. Errors are those of ReadOne.
//
// With GRO on (Config.GRO) it makes one GRO read instead, and commits the
// datagrams of the run it gets; if the buffer has no room for all of them,
// the rest stay pending (see Pending) and the next call commits them
// before it reads again.
func (r *Receiver) ReadBatch() (int, error) {
	if r.gro != nil {
		return r.readGRO()
	}
	m, err := r.buf.PushBatch(r.room, r.bufs, r.fillBatch)
	if err != nil {
		if errors.Is(err, netbuf.ErrWouldBlock) {
			r.stats.WouldBlock++
		}
		return 0, err
	}
	r.stats.Reads++
	for i := range m {
		r.account(r.batchMeta[i])
	}
	return m, nil
}

// readBatch is the fill of ReadBatch.
func (r *Receiver) readBatch(bufs [][]byte) (int, error) {
	return r.batch.readBatch(bufs, r.batchMeta)
}

// account updates the counters for one committed datagram.
func (r *Receiver) account(meta msgMeta) {
	r.stats.Packets++
	r.stats.Bytes += uint64(meta.n)
	if meta.flags&msgTrunc != 0 {
		r.stats.Truncated++
	}
	if len(meta.oob) > 0 {
		r.noteDrops(meta.oob)
	}
}

// noteDrops keeps the kernel's drop counter if the control messages carry
// a newer one.
func (r *Receiver) noteDrops(oob []byte) {
	if d, ok := parseDrops(oob); ok && uint64(d) > r.stats.Drops {
		r.stats.Drops = uint64(d)
	}
}

// PopWith passes the oldest datagram and its source address to consume,
// and removes it if consume returns nil. p aliases the buffer (len == cap)
// and is valid only during the call. It returns netbuf.ErrEmpty when
// nothing is held, netbuf.ErrNilFunc for a nil consume, or consume's error
// unchanged (the datagram stays). Inside consume the receiver is busy:
// its reads and PopWith return netbuf.ErrBusy, and Reset does nothing.
func (r *Receiver) PopWith(consume func(p []byte, from netip.AddrPort) error) error {
	if consume == nil {
		return netbuf.ErrNilFunc
	}
	return r.buf.PopWith(func(p []byte) error {
		return consume(p[HeaderSize:], r.zones.addrPort(p))
	})
}

// Len returns the number of datagrams held.
func (r *Receiver) Len() int { return r.buf.Len() }

// Used returns the buffer's bytes held: the datagrams, a header each, and
// the padding before a wrap.
func (r *Receiver) Used() int { return r.buf.Used() }

// Cap returns the buffer's storage size in bytes, Config.Capacity.
func (r *Receiver) Cap() int { return r.buf.Cap() }

// MaxPackets returns the most datagrams held at once, Config.MaxPackets.
func (r *Receiver) MaxPackets() int { return r.buf.MaxPackets() }

// MTU returns the largest datagram kept whole, Config.MTU.
func (r *Receiver) MTU() int { return r.mtu }

// Stats returns the counters so far.
func (r *Receiver) Stats() Stats { return r.stats }

// Reset drops every held datagram (their sources go with them). Inside
// PopWith's consume it does nothing, as the buffer's Reset does there.
func (r *Receiver) Reset() { r.buf.Reset() }
