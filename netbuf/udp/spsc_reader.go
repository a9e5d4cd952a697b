package udp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
)

// read is the reading goroutine of an SPSCReceiver: it reads datagrams
// into the producer half until a read fails, the receiver's ctx ends or
// the producer refuses for a reason no wait cures; then it records why,
// closes the producer (the consumer drains, then gets r.ended) and closes
// r.done.
func (r *SPSCReceiver) read() {
	// A read blocked in the kernel does not watch ctx: its end sets the
	// read deadline in the past, which wakes the read.
	interrupted := make(chan struct{})
	stop := context.AfterFunc(r.ctx, func() {
		defer close(interrupted)
		_ = r.conn.SetReadDeadline(time.Unix(1, 0))
	})

	cause := r.loop()

	if !stop() { // the deadline was moved: wait for that, then clear it
		<-interrupted
		_ = r.conn.SetReadDeadline(time.Time{})
	}
	r.cancel(cause) // release the context's resources; Cause keeps the first
	r.cause = cause
	r.ended = fmt.Errorf("udp: receiver ended: %w: %w", netbuf.ErrClosed, cause)
	_ = r.p.Close() // after cause and ended: the consumer reads them once it sees the close
	close(r.done)
}

// loop reads until it must stop, and returns why.
func (r *SPSCReceiver) loop() error {
	for {
		if r.ctx.Err() != nil {
			return context.Cause(r.ctx)
		}
		p, err := r.p.Reserve(r.room)
		if errors.Is(err, netbuf.ErrWouldBlock) {
			r.stats.wouldBlock.Add(1)
			if err := r.p.Wait(r.ctx, r.room); err != nil && r.ctx.Err() != nil {
				return context.Cause(r.ctx)
			}
			continue // room, or Reserve's own error, next time round
		}
		if err != nil {
			return err // cannot happen: the room fits the storage and nobody else closes the producer
		}
		n, oobn, flags, from, err := r.conn.ReadMsgUDPAddrPort(p[HeaderSize:], r.oob)
		if err != nil {
			_ = r.p.Abort()
			if r.ctx.Err() != nil { // the deadline set to wake this read
				return context.Cause(r.ctx)
			}
			return err
		}
		r.zones.putAddrPort(p, from)
		_ = r.p.Commit(HeaderSize + n) // n <= MTU: cannot fail
		r.account(n, flags, oobn)
	}
}

// account updates the counters for one datagram read and committed.
func (r *SPSCReceiver) account(n, flags, oobn int) {
	s := &r.stats
	s.packets.Add(1)
	s.bytes.Add(uint64(n))
	if flags&msgTrunc != 0 {
		s.truncated.Add(1)
	}
	if oobn > 0 {
		if d, ok := parseDrops(r.oob[:oobn]); ok && uint64(d) > s.drops.Load() {
			s.drops.Store(uint64(d))
		}
	}
}
