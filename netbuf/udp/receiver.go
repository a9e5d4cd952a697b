// Package udp takes datagrams off a *net.UDPConn straight into a
// netbuf.UnorderedBuffer: one datagram per read system call, or a batch per
// recvmmsg, each written by the kernel directly into the buffer's storage,
// with the source address of every datagram kept beside it, and no heap
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
	"net"
	"net/netip"

	"github.com/netbuf-go/netbuf/netbuf"
)

// MaxBatch is the largest Config.Batch: Linux's UIO_MAXIOV, the most
// messages one recvmmsg call takes.
const MaxBatch = 1024

// Config sizes a Receiver. Zero fields take the defaults given.
type Config struct {
	// MTU is the largest datagram kept whole, the room reserved per read.
	// A longer datagram is committed cut to MTU bytes and counted in
	// Stats.Truncated. Default 1500; at most 65535.
	MTU int
	// Capacity is the buffer's storage in bytes (default 1 MiB); at least
	// MTU.
	Capacity int
	// MaxPackets is the buffer's number of metadata slots (default 4096).
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
}

// Stats counts what a Receiver has done since it was made.
type Stats struct {
	Packets    uint64 // datagrams committed to the buffer
	Bytes      uint64 // their bytes (as committed, so truncated ones count MTU)
	Reads      uint64 // successful read calls (a batch counts once)
	Truncated  uint64 // datagrams longer than MTU, committed cut to MTU bytes
	Drops      uint64 // the kernel's count of datagrams dropped on this socket (Linux SO_RXQ_OVFL) as of the last datagram read; 0 elsewhere
	WouldBlock uint64 // reads not attempted because the buffer was full
}

// ErrConfig reports a Config out of range.
var ErrConfig = errors.New("udp: invalid receiver config")

// Receiver fills an UnorderedBuffer from a UDP socket and keeps each
// packet's source address in a ring of the same capacity, in lockstep with
// the buffer: the i-th held packet came from the i-th held address.
type Receiver struct {
	conn  *net.UDPConn
	buf   *netbuf.UnorderedBuffer
	from  *netbuf.Ring[netip.AddrPort] // sources, one per held packet
	mtu   int
	stats Stats

	// Single reads.
	oob      []byte         // control message room (drop counter)
	lastFrom netip.AddrPort // set by readOne for the commit that follows
	lastFlag int
	lastOOB  int
	fillOne  func([]byte) (int, error) // r.readOne, bound once so no call allocates

	// Batched reads.
	bufs      [][]byte         // windows handed out by PushBatch
	batchFrom []netip.AddrPort // sources of the current batch
	batchMeta []msgMeta        // flags and control bytes of the current batch
	batch     batchReader
	fillBatch func([][]byte) (int, error) // r.readBatch, bound once
}

// msgMeta is what a read reports beside the bytes of one datagram.
type msgMeta struct {
	n     int    // bytes committed
	flags int    // MSG_TRUNC and friends
	oob   []byte // control messages as received (aliases the reader's room)
}

// batchReader reads up to len(bufs) datagrams in one call into the windows
// bufs, reslices each filled window to the datagram's length and records
// its source and metadata. On error it reports no datagram.
type batchReader interface {
	readBatch(bufs [][]byte, from []netip.AddrPort, meta []msgMeta) (int, error)
}

// NewReceiver returns a receiver for conn with an empty buffer sized by
// cfg. It does not change SO_RCVBUF (use conn.SetReadBuffer); on Linux it
// turns on SO_RXQ_OVFL to count kernel drops. The receiver does not own
// conn: closing it is the caller's business (and makes reads return
// net.ErrClosed).
func NewReceiver(conn *net.UDPConn, cfg Config) (*Receiver, error) {
	cfg = withDefaults(cfg)
	if cfg.MTU < 1 || cfg.MTU > 65535 || cfg.Capacity < cfg.MTU || cfg.Batch < 1 || cfg.Batch > MaxBatch {
		return nil, ErrConfig
	}
	buf, err := netbuf.NewUnorderedBuffer(cfg.Capacity, cfg.MaxPackets)
	if err != nil {
		return nil, errors.Join(ErrConfig, err)
	}
	from, err := netbuf.NewRing[netip.AddrPort](cfg.MaxPackets)
	if err != nil {
		return nil, errors.Join(ErrConfig, err)
	}
	if err := enableDropReport(conn); err != nil {
		return nil, err
	}
	r := &Receiver{
		conn:      conn,
		buf:       buf,
		from:      from,
		mtu:       cfg.MTU,
		oob:       make([]byte, oobSize),
		bufs:      make([][]byte, cfg.Batch),
		batchFrom: make([]netip.AddrPort, cfg.Batch),
		batchMeta: make([]msgMeta, cfg.Batch),
	}
	if !cfg.XNet {
		r.batch, err = newMmsgReader(conn, cfg.Batch)
		if err != nil {
			return nil, err
		}
	}
	if r.batch == nil { // XNet asked for, or no direct recvmmsg here
		r.batch = newXNetReader(conn, cfg.Batch)
	}
	r.fillOne = r.readOne
	r.fillBatch = r.readBatch
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
		cfg.MaxPackets = 4096
	}
	if cfg.Batch == 0 {
		cfg.Batch = 64
	}
	return cfg
}

// ReadOne reads one datagram with one system call
// (UDPConn.ReadMsgUDPAddrPort, through PushWith) straight into the buffer
// and returns its length. It blocks until a datagram arrives, the read
// deadline passes or conn is closed. It returns netbuf.ErrWouldBlock,
// without reading, when the buffer has no room for an MTU-sized datagram;
// a socket error comes back as the socket gave it (errors.Is works with
// os.ErrDeadlineExceeded and net.ErrClosed) and commits nothing.
func (r *Receiver) ReadOne() (int, error) {
	n, err := r.buf.PushWith(r.mtu, r.fillOne)
	if err != nil {
		if errors.Is(err, netbuf.ErrWouldBlock) {
			r.stats.WouldBlock++
		}
		return 0, err
	}
	_ = r.from.Push(r.lastFrom) // cannot fail: same capacity as the buffer's slots, in lockstep
	r.stats.Reads++
	r.account(msgMeta{n: n, flags: r.lastFlag, oob: r.oob[:r.lastOOB]})
	return n, nil
}

// readOne is the fill of ReadOne: one recvmsg into the reserved room.
func (r *Receiver) readOne(p []byte) (int, error) {
	n, oobn, flags, from, err := r.conn.ReadMsgUDPAddrPort(p, r.oob)
	if err != nil {
		return 0, err
	}
	r.lastFrom, r.lastFlag, r.lastOOB = from, flags, oobn
	return n, nil
}

// ReadBatch reads up to Config.Batch datagrams with one recvmmsg, each
// written by the kernel straight into a window of the buffer (see
// netbuf.UnorderedBuffer.PushBatch for the windows and the cost of packing
// them back to back), and returns how many it committed. It blocks until
// at least one datagram arrives, the read deadline passes or conn is
// closed; it does not wait to fill the batch. Errors are those of ReadOne.
func (r *Receiver) ReadBatch() (int, error) {
	m, err := r.buf.PushBatch(r.mtu, r.bufs, r.fillBatch)
	if err != nil {
		if errors.Is(err, netbuf.ErrWouldBlock) {
			r.stats.WouldBlock++
		}
		return 0, err
	}
	r.stats.Reads++
	for i := range m {
		_ = r.from.Push(r.batchFrom[i]) // cannot fail, as in ReadOne
		r.account(r.batchMeta[i])
	}
	return m, nil
}

// readBatch is the fill of ReadBatch.
func (r *Receiver) readBatch(bufs [][]byte) (int, error) {
	m, err := r.batch.readBatch(bufs, r.batchFrom, r.batchMeta)
	if err != nil {
		return 0, err
	}
	for i := range m {
		r.batchMeta[i].n = len(bufs[i])
	}
	return m, nil
}

// account updates the counters for one committed datagram.
func (r *Receiver) account(meta msgMeta) {
	r.stats.Packets++
	r.stats.Bytes += uint64(meta.n)
	if meta.flags&msgTrunc != 0 {
		r.stats.Truncated++
	}
	if len(meta.oob) > 0 {
		if d, ok := parseDrops(meta.oob); ok && uint64(d) > r.stats.Drops {
			r.stats.Drops = uint64(d)
		}
	}
}

// PopWith passes the oldest packet and its source address to consume, and
// removes both if consume returns nil. p aliases the buffer and is valid
// only during the call. It returns netbuf.ErrEmpty when nothing is held,
// or consume's error unchanged (the packet stays).
func (r *Receiver) PopWith(consume func(p []byte, from netip.AddrPort) error) error {
	if consume == nil {
		return netbuf.ErrNilFunc
	}
	from, err := r.from.Peek()
	if err != nil {
		return netbuf.ErrEmpty
	}
	if err := r.buf.PopWith(func(p []byte) error { return consume(p, from) }); err != nil {
		return err
	}
	_, _ = r.from.Pop()
	return nil
}

// Len returns the number of packets held.
func (r *Receiver) Len() int { return r.buf.Len() }

// Used returns the buffer's bytes held, padding included.
func (r *Receiver) Used() int { return r.buf.Used() }

// Cap returns the buffer's storage size in bytes.
func (r *Receiver) Cap() int { return r.buf.Cap() }

// MTU returns the room reserved per datagram.
func (r *Receiver) MTU() int { return r.mtu }

// Stats returns the counters so far.
func (r *Receiver) Stats() Stats { return r.stats }

// Reset drops every held packet and its address.
func (r *Receiver) Reset() {
	r.buf.Reset()
	r.from.Reset()
}
