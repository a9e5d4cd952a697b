// Command udpsink receives UDP datagrams with netbuf (package netbuf/udp)
// and reports what it took: once a second a progress line with packets/s,
// MB/s, kernel drops and buffer fill, and at the end one summary line that
// a script can check:
//
//	SUMMARY packets=<n> bytes=<n> drops=<n> truncated=<n> seconds=<s>
//
// Use it against real clients, for example:
//
//	udpsink -addr 127.0.0.1:9999 -mode batch -idle 2s &
//	socat -u - UDP:127.0.0.1:9999 < file     # or: iperf3 -u -c 127.0.0.1 -p 9999
//
// It stops after -count packets, after -duration, after -idle without a
// packet once the first one came, or on SIGINT/SIGTERM (the summary is
// printed in every case).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/netbuf/udp"
)

type options struct {
	addr     string
	mode     string
	mtu      int
	buffer   int
	slots    int
	batch    int
	rcvbuf   int
	count    uint64
	duration time.Duration
	idle     time.Duration
	interval time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:9999", "UDP address to listen on (host:port; [::1]:port for IPv6)")
	flag.StringVar(&o.mode, "mode", "batch", "receive mode: batch (recvmmsg), single (one read per datagram) or xnet (x/net ReadBatch)")
	flag.IntVar(&o.mtu, "mtu", 1500, "largest datagram kept whole (longer ones are truncated and counted)")
	flag.IntVar(&o.buffer, "buffer", 4<<20, "netbuf storage in bytes")
	flag.IntVar(&o.slots, "slots", 16384, "netbuf metadata slots (most datagrams held)")
	flag.IntVar(&o.batch, "batch", 64, "datagrams per recvmmsg in batch modes")
	flag.IntVar(&o.rcvbuf, "rcvbuf", 4<<20, "SO_RCVBUF to ask for (the kernel caps it at net.core.rmem_max)")
	flag.Uint64Var(&o.count, "count", 0, "stop after this many datagrams (0: no limit)")
	flag.DurationVar(&o.duration, "duration", 0, "stop after this long (0: no limit)")
	flag.DurationVar(&o.idle, "idle", 0, "stop after this long without a datagram, once the first one came (0: never)")
	flag.DurationVar(&o.interval, "interval", time.Second, "progress line interval")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		log.Fatal("udpsink: ", err)
	}
}

// sink is the receive loop's state.
type sink struct {
	o       options
	r       *udp.Receiver
	conn    *net.UDPConn
	peak    int // most bytes held since the previous progress line
	read    func() (int, error)
	out     io.Writer
	start   time.Time
	last    udp.Stats // at the previous progress line
	lastAt  time.Time
	lastPkt time.Time // when a datagram last came
}

func run(o options, out io.Writer) error {
	ap, err := netip.ParseAddrPort(o.addr)
	if err != nil {
		return err
	}
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetReadBuffer(o.rcvbuf); err != nil {
		return err
	}
	r, err := udp.NewReceiver(conn, udp.Config{MTU: o.mtu, Capacity: o.buffer, MaxPackets: o.slots, Batch: o.batch, XNet: o.mode == "xnet"})
	if err != nil {
		return err
	}
	s := &sink{o: o, r: r, conn: conn, out: out}
	switch o.mode {
	case "batch", "xnet":
		s.read = r.ReadBatch
	case "single":
		s.read = r.ReadOne
	default:
		return fmt.Errorf("unknown -mode %q", o.mode)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); _ = conn.SetReadDeadline(time.Unix(1, 0)) }() // wake the loop

	fmt.Fprintf(out, "READY addr=%v mode=%s mtu=%d buffer=%d slots=%d\n", conn.LocalAddr(), o.mode, o.mtu, o.buffer, o.slots)
	err = s.loop(ctx)
	st := r.Stats()
	fmt.Fprintf(out, "SUMMARY packets=%d bytes=%d drops=%d truncated=%d seconds=%.3f\n",
		st.Packets, st.Bytes, st.Drops, st.Truncated, time.Since(s.start).Seconds())
	return err
}

// loop reads and consumes until a stop condition. The read deadline is the
// next moment something is due (a progress line, the end), so the loop
// wakes on time even without traffic.
func (s *sink) loop(ctx context.Context) error {
	s.start = time.Now()
	s.lastAt = s.start
	consume := func([]byte, netip.AddrPort) error { return nil }
	for {
		now := time.Now()
		if now.Sub(s.lastAt) >= s.o.interval {
			s.progress(now)
		}
		if s.done(ctx, now) {
			return nil
		}
		if err := s.conn.SetReadDeadline(s.due(now)); err != nil {
			return err
		}
		n, err := s.read()
		switch {
		case err == nil:
			if n > 0 {
				s.lastPkt = time.Now()
			}
		case errors.Is(err, netbuf.ErrWouldBlock):
			// Full: consume below, then read on.
		case errors.Is(err, os.ErrDeadlineExceeded):
		default:
			return err
		}
		s.peak = max(s.peak, s.r.Used())
		for s.r.PopWith(consume) == nil {
		}
	}
}

// due is when the loop must wake next.
func (s *sink) due(now time.Time) time.Time {
	t := s.lastAt.Add(s.o.interval)
	if s.o.duration > 0 {
		t = earliest(t, s.start.Add(s.o.duration))
	}
	if s.o.idle > 0 && !s.lastPkt.IsZero() {
		t = earliest(t, s.lastPkt.Add(s.o.idle))
	}
	return t
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func (s *sink) done(ctx context.Context, now time.Time) bool {
	st := s.r.Stats()
	switch {
	case ctx.Err() != nil:
		return true
	case s.o.count > 0 && st.Packets >= s.o.count:
		return true
	case s.o.duration > 0 && now.Sub(s.start) >= s.o.duration:
		return true
	case s.o.idle > 0 && !s.lastPkt.IsZero() && now.Sub(s.lastPkt) >= s.o.idle:
		return true
	}
	return false
}

// progress prints one line of rates since the previous line, with the
// buffer's peak fill in that time (the loop drains after every read, so
// the fill at any one moment says little).
func (s *sink) progress(now time.Time) {
	st := s.r.Stats()
	dt := now.Sub(s.lastAt).Seconds()
	fmt.Fprintf(s.out, "t=%.0fs pkts/s=%.0f MB/s=%.2f drops=%d fill=%.1f%% packets=%d bytes=%d\n",
		now.Sub(s.start).Seconds(),
		float64(st.Packets-s.last.Packets)/dt,
		float64(st.Bytes-s.last.Bytes)/dt/1e6,
		st.Drops,
		100*float64(s.peak)/float64(s.r.Cap()),
		st.Packets, st.Bytes)
	s.last, s.lastAt, s.peak = st, now, 0
}
