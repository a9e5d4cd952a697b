package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync/atomic"

	"github.com/netbuf-go/netbuf/netbuf"
)

// ErrStopped is the cause SPSCReceiver.Err reports when the receiver's
// Close stopped the reading goroutine.
var ErrStopped = errors.New("udp: receiver stopped by Close")

// SPSCReceiver reads datagrams on a goroutine of its own, straight into
// the producer half of a netbuf SPSC buffer (netbuf.NewSPSC), while the
// caller consumes them from the consumer half on its goroutine: a read
// loop and a processing loop that run in parallel, with no lock, no
// channel and no copy per datagram (the kernel writes each datagram into
// the buffer's storage, and PopWith hands out a slice of it).
//
// Goroutines. NewSPSCReceiver starts the reading goroutine; it is the only
// reader of conn and the only writer of the buffer. The consumer methods
// (PopWith, Wait) belong to one goroutine at a time, the caller's. Stats,
// Err, Done, Len and Close may be called from any goroutine.
//
// The reading goroutine reserves MTU+HeaderSize bytes, reads one datagram
// into them (recvmsg) with its source address in front (the header, as for
// Receiver) and commits it. When the buffer has no room for one more, it
// counts it (Stats.WouldBlock) and blocks until the consumer frees room,
// reading nothing meanwhile: datagrams wait in the kernel's receive queue
// (SO_RCVBUF), and what does not fit there is dropped by the kernel and
// counted (Stats.Drops, Linux). Held datagrams are never overwritten.
//
// The reading goroutine ends when a read fails (net.ErrClosed once conn is
// closed, os.ErrDeadlineExceeded for a read deadline the caller set), when
// ctx ends, or on Close. (ctx and Close also end a reader waiting for
// room; a closed conn or a passed deadline is seen by the next read, once
// the consumer has freed room.) It then closes the producer half: the
// consumer pops every datagram read before, then gets an error wrapping
// both netbuf.ErrClosed and the cause, which Err also reports.
type SPSCReceiver struct {
	conn *net.UDPConn
	p    *netbuf.Producer // the reading goroutine's
	c    *netbuf.Consumer // the consumer's
	mtu  int
	room int // mtu + HeaderSize: the room reserved per datagram

	zones zoneTable // written by the reader, read by PopWith (see zoneTable)
	oob   []byte    // the reader's control message room (drop counter)
	stats spscStats

	ctx    context.Context // ends the reader; cancelled with ErrStopped by Close
	cancel context.CancelCauseFunc
	cause  error         // why the reader ended; written before end is published
	ended  error         // the consumer's answer once drained: wraps netbuf.ErrClosed and cause
	done   chan struct{} // closed when the reader has returned
}

// spscStats are Stats as atomic counters: the reader adds, Stats loads.
// Reads is Packets: the reader makes one successful read per datagram.
type spscStats struct {
	packets, bytes, truncated, drops, wouldBlock atomic.Uint64
}

// NewSPSCReceiver returns a receiver for conn with an empty SPSC buffer
// sized by cfg (MTU, Capacity and MaxPackets, with Receiver's defaults and
// limits), and starts its reading goroutine, which runs until ctx ends,
// Close is called, or a read fails. A Config out of range, or one that sets
// Batch, XNet or GRO (the reading goroutine makes one recvmsg per
// datagram), is refused with an error wrapping ErrConfig that names the
// field, and no goroutine is started; so are a nil conn and a nil ctx.
//
// conn stays the caller's: the receiver does not close it, and the caller
// must not read from it while the receiver runs. To interrupt a read when
// ctx ends or on Close, the receiver sets conn's read deadline in the past,
// and clears it once the reader has returned.
func NewSPSCReceiver(ctx context.Context, conn *net.UDPConn, cfg Config) (*SPSCReceiver, error) {
	switch {
	case conn == nil:
		return nil, errNilConn
	case ctx == nil:
		return nil, fmt.Errorf("%w: ctx is nil", ErrConfig)
	case cfg.Batch != 0:
		return nil, fmt.Errorf("%w: Batch %d: must be 0 for SPSCReceiver (one datagram per read)", ErrConfig, cfg.Batch)
	case cfg.XNet:
		return nil, fmt.Errorf("%w: XNet: not used by SPSCReceiver (one datagram per read)", ErrConfig)
	case cfg.GRO:
		return nil, fmt.Errorf("%w: GRO: not supported by SPSCReceiver (one datagram per read)", ErrConfig)
	}
	cfg = withDefaults(cfg)
	if err := cfg.check(); err != nil {
		return nil, err
	}
	p, c, err := netbuf.NewSPSC(cfg.Capacity, cfg.MaxPackets)
	if err != nil {
		return nil, errors.Join(ErrConfig, err)
	}
	if err := enableDropReport(conn); err != nil {
		return nil, err
	}
	r := &SPSCReceiver{
		conn: conn,
		p:    p,
		c:    c,
		mtu:  cfg.MTU,
		room: cfg.MTU + HeaderSize,
		oob:  make([]byte, oobSize),
		done: make(chan struct{}),
	}
	r.ctx, r.cancel = context.WithCancelCause(ctx)
	go r.read()
	return r, nil
}

// PopWith passes the oldest datagram and its source address to consume,
// and removes it if consume returns nil. p aliases the buffer (len == cap)
// and is valid only during the call; the reading goroutine keeps reading
// meanwhile. It returns netbuf.ErrEmpty when nothing is held yet,
// netbuf.ErrNilFunc for a nil consume, consume's error unchanged (the
// datagram stays), netbuf.ErrBusy when called from inside consume, and,
// once the reader has ended and every datagram it read has been popped,
// an error wrapping netbuf.ErrClosed and the cause (see Err).
func (r *SPSCReceiver) PopWith(consume func(p []byte, from netip.AddrPort) error) error {
	if consume == nil {
		return r.c.PopWith(nil) // ErrBusy first, as the buffer orders them, then ErrNilFunc
	}
	called := false
	err := r.c.PopWith(func(p []byte) error {
		called = true
		return consume(p[HeaderSize:], r.zones.addrPort(p))
	})
	if !called && err == netbuf.ErrClosed {
		return r.ended
	}
	return err
}

// Wait blocks until a datagram is held, and returns nil: a PopWith that
// follows then finds it. It returns the error PopWith would (wrapping
// netbuf.ErrClosed and the cause) once the reader has ended and every
// datagram has been popped, netbuf.ErrBusy from inside consume, and
// ctx.Err() if ctx ends first. It sleeps, with no busy loop, until the
// reader commits or ends.
func (r *SPSCReceiver) Wait(ctx context.Context) error {
	err := r.c.Wait(ctx)
	if err == netbuf.ErrClosed {
		return r.ended
	}
	return err
}

// Close stops the reading goroutine and waits until it has returned; the
// datagrams it read before still pop out, then PopWith and Wait answer an
// error wrapping netbuf.ErrClosed and ErrStopped (or the cause that ended
// the reader before). It does not close conn. It may be called from any
// goroutine, more than once (it returns nil), and from inside consume.
func (r *SPSCReceiver) Close() error {
	r.cancel(ErrStopped)
	<-r.done
	return nil
}

// Done returns a channel closed once the reading goroutine has returned.
func (r *SPSCReceiver) Done() <-chan struct{} { return r.done }

// Err returns why the reading goroutine ended: the read error as the
// socket gave it (errors.Is works with net.ErrClosed and
// os.ErrDeadlineExceeded), context.Cause of the ctx given to
// NewSPSCReceiver, or ErrStopped after Close. It returns nil while the
// reader runs.
func (r *SPSCReceiver) Err() error {
	select {
	case <-r.done:
		return r.cause
	default:
		return nil
	}
}

// Stats returns the reader's counters so far, each read atomically (they
// may be a few datagrams apart from one another). WouldBlock counts the
// times the reader found the buffer full and waited for room.
func (r *SPSCReceiver) Stats() Stats {
	s := &r.stats
	packets := s.packets.Load()
	return Stats{Packets: packets, Bytes: s.bytes.Load(), Reads: packets,
		Truncated: s.truncated.Load(), Drops: s.drops.Load(), WouldBlock: s.wouldBlock.Load()}
}

// Len returns the number of datagrams held, as of now.
func (r *SPSCReceiver) Len() int { return r.c.Len() }

// Cap returns the buffer's storage size in bytes, Config.Capacity.
func (r *SPSCReceiver) Cap() int { return r.c.Cap() }

// MaxPackets returns the most datagrams held at once, Config.MaxPackets.
func (r *SPSCReceiver) MaxPackets() int { return r.c.MaxPackets() }

// MTU returns the largest datagram kept whole, Config.MTU.
func (r *SPSCReceiver) MTU() int { return r.mtu }
