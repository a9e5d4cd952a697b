// Command udpsink receives UDP datagrams with netbuf (package netbuf/udp)
// and reports what it took: a READY line with the settings in use once it
// listens, a progress line every -interval with packets/s, MB/s, the
// buffer's peak fill and the receiver's counters, and at the end one
// summary line that a script can check:
//
//	SUMMARY packets=<n> bytes=<n> drops=<n> truncated=<n> skipped=<n> extra=<n> seconds=<s> active=<s> avg_pkts/s=<r> avg_MB/s=<r>
//
// packets and bytes are the datagrams consumed; drops is the kernel's count
// of datagrams it dropped on the socket (Linux); truncated counts datagrams
// longer than -mtu, cut; skipped counts reads not attempted because the
// buffer was full; extra counts datagrams read past -count (a GRO read takes
// a whole run at once, and with -workers 1 the reader runs ahead of the
// consumer); active is the time from the first datagram to the last, over
// which the averages are taken.
//
// Feed it from any UDP client. socat sends each block it reads as one
// datagram, so give it a block size (-b) no larger than -mtu: its default
// of 8192 bytes would be cut to the MTU.
//
//	udpsink -addr 127.0.0.1:9999 -idle 2s &
//	socat -u -b 1472 - UDP:127.0.0.1:9999 < file
//
//	udpsink -addr [::1]:9999 -mode single -count 20000 &
//	socat -u -b 64 - UDP6:[::1]:9999 < file
//
//	udpsink -addr localhost:9999 -mode gro -idle 2s &
//	socat -u -b 1400 - UDP:localhost:9999 < file
//
//	udpsink -addr 127.0.0.1:9999 -workers 1 -count 20000 &
//	socat -u -b 1000 - UDP:127.0.0.1:9999 < file
//
// With -workers 1 datagrams are read on a goroutine of their own (netbuf/udp's
// SPSCReceiver: one read per datagram, so -mode single) and consumed on the
// main one, through the SPSC buffer. -workers takes 0 or 1: the buffer has
// exactly one consumer. skipped then counts the times the reader found the
// buffer full and waited for room, and a progress line's fill is of the
// slots (-slots) rather than the bytes.
//
// With -ordered rtp it delivers RTP datagrams in sequence order (one read
// per datagram, netbuf/udp's OrderedReceiver): a missing sequence is given
// up after -gap, or once a quarter of -window is held behind it, and one
// more line reports the ordering:
//
//	ORDERED delivered=<n> late=<n> duplicate=<n> skipped=<n> missing=<n> ahead=<n> unsequenced=<n> first_seq=<n> last_seq=<n> wraps=<n> disorder=<n>
//
// -addr takes host:port, [ipv6]:port, a name (localhost:9999) or :port for
// every local address. It stops after -count datagrams, after -duration,
// after -idle without a datagram once the first one came, or on SIGINT,
// SIGTERM or SIGHUP (kill -HUP <pid>), and prints the summary in every case.
// An invalid flag is refused with its limit, before anything is bound.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strings"
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
	ordered  string
	window   int
	gap      time.Duration
	workers  int
	modeSet  bool // -mode given
}

// Limits of the flags that the receiver does not set itself.
const (
	maxBuffer   = 1 << 30 // storage allocated up front: 1 GiB is plenty
	maxRcvbuf   = 1 << 30
	minInterval = 10 * time.Millisecond // a progress line more often is noise
	minGap      = time.Millisecond
)

var modes = []string{"batch", "single", "xnet", "gro"}

// orderings are the sequence numbers -ordered knows.
var orderings = map[string]struct {
	parse udp.SeqParser
	bits  int
}{"rtp": {udp.RTPSeq, 16}}

func main() {
	o, err := parseArgs(os.Args[1:], os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "udpsink:", err)
		os.Exit(2)
	}
	if err := run(o, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "udpsink:", err)
		os.Exit(1)
	}
}

// parseArgs parses and checks the command line. Errors name the flag and
// its limit.
func parseArgs(args []string, errOut io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("udpsink", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:9999", "UDP address to listen on: host:port, [ipv6]:port, name:port, or :port for every local address")
	fs.StringVar(&o.mode, "mode", "batch", "receive mode: batch (recvmmsg), single (one read per datagram), xnet (x/net ReadBatch) or gro (coalesced runs, Linux UDP_GRO; batch elsewhere)")
	fs.IntVar(&o.mtu, "mtu", 1500, fmt.Sprintf("largest datagram kept whole, in [1, %d] (longer ones are cut and counted)", udp.MaxMTU))
	fs.IntVar(&o.buffer, "buffer", 4<<20, fmt.Sprintf("netbuf storage in bytes, in [mtu+%d, %d]; a datagram of n bytes takes n+%d", udp.HeaderSize, maxBuffer, udp.HeaderSize))
	fs.IntVar(&o.slots, "slots", 16384, fmt.Sprintf("most datagrams held, in [1, buffer/%d]", udp.HeaderSize))
	fs.IntVar(&o.batch, "batch", 64, fmt.Sprintf("datagrams per recvmmsg in batch and xnet modes, in [1, %d]", udp.MaxBatch))
	fs.IntVar(&o.rcvbuf, "rcvbuf", 4<<20, fmt.Sprintf("SO_RCVBUF to ask for, in [0, %d] (0: the kernel's default; the kernel caps it at net.core.rmem_max)", maxRcvbuf))
	fs.Uint64Var(&o.count, "count", 0, "stop after this many datagrams (0: no limit)")
	fs.DurationVar(&o.duration, "duration", 0, "stop after this long (0: no limit)")
	fs.DurationVar(&o.idle, "idle", 0, "stop after this long without a datagram, once the first one came (0: never)")
	fs.DurationVar(&o.interval, "interval", time.Second, fmt.Sprintf("progress line interval, at least %v", minInterval))
	fs.StringVar(&o.ordered, "ordered", "", "deliver in sequence order, by the sequence numbers of: rtp (RTP, 16 bits); single reads")
	fs.IntVar(&o.window, "window", 1024, "with -ordered: sequences accepted ahead of the next one, in [1, half the sequence space]")
	fs.IntVar(&o.workers, "workers", 0, "0: read and process on one goroutine; 1: read on a goroutine of its own (netbuf/udp's SPSCReceiver, one read per datagram, -mode single) and process on the main one; must be 0 or 1 (the SPSC buffer has exactly one consumer)")
	fs.DurationVar(&o.gap, "gap", 200*time.Millisecond, fmt.Sprintf("with -ordered: how long to wait for a missing sequence before giving it up (also given up once window/4 datagrams wait behind it), at least %v", minGap))
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	fs.Visit(func(f *flag.Flag) { o.modeSet = o.modeSet || f.Name == "mode" })
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q: udpsink takes flags only (udpsink -h lists them)", fs.Args())
	}
	return o, o.check()
}

// check reports the first flag out of range.
func (o options) check() error {
	switch {
	case !contains(modes, o.mode):
		return fmt.Errorf("-mode %q: must be one of %s", o.mode, strings.Join(modes, ", "))
	case o.mtu < 1 || o.mtu > udp.MaxMTU:
		return fmt.Errorf("-mtu %d: must be in [1, %d]", o.mtu, udp.MaxMTU)
	case o.buffer < o.mtu+udp.HeaderSize || o.buffer > maxBuffer:
		return fmt.Errorf("-buffer %d: must be in [mtu+%d = %d, %d]", o.buffer, udp.HeaderSize, o.mtu+udp.HeaderSize, maxBuffer)
	case o.slots < 1 || o.slots > o.buffer/udp.HeaderSize:
		return fmt.Errorf("-slots %d: must be in [1, buffer/%d = %d]", o.slots, udp.HeaderSize, o.buffer/udp.HeaderSize)
	case o.batch < 1 || o.batch > udp.MaxBatch:
		return fmt.Errorf("-batch %d: must be in [1, %d]", o.batch, udp.MaxBatch)
	case o.rcvbuf < 0 || o.rcvbuf > maxRcvbuf:
		return fmt.Errorf("-rcvbuf %d: must be in [0, %d]", o.rcvbuf, maxRcvbuf)
	case o.duration < 0:
		return fmt.Errorf("-duration %v: must be >= 0", o.duration)
	case o.idle < 0:
		return fmt.Errorf("-idle %v: must be >= 0", o.idle)
	case o.interval < minInterval:
		return fmt.Errorf("-interval %v: must be at least %v", o.interval, minInterval)
	case o.workers < 0 || o.workers > 1:
		return fmt.Errorf("-workers %d: must be 0 or 1 (one reading goroutine and one consuming: the SPSC buffer has one consumer)", o.workers)
	case o.workers == 1 && o.modeSet && o.mode != "single":
		return fmt.Errorf("-workers 1 reads one datagram per call: -mode must be single, not %s", o.mode)
	case o.workers == 1 && o.ordered != "":
		return fmt.Errorf("-workers 1 with -ordered %s: not supported (-ordered reads and orders on one goroutine)", o.ordered)
	}
	if o.ordered != "" {
		ord, ok := orderings[o.ordered]
		if !ok {
			return fmt.Errorf("-ordered %q: must be rtp", o.ordered)
		}
		half := 1 << (ord.bits - 1)
		switch {
		case o.modeSet && o.mode != "single":
			return fmt.Errorf("-ordered %s reads one datagram per call: -mode must be single, not %s", o.ordered, o.mode)
		case o.window < 1 || o.window > half:
			return fmt.Errorf("-window %d: must be in [1, %d]", o.window, half)
		case o.gap < minGap:
			return fmt.Errorf("-gap %v: must be at least %v", o.gap, minGap)
		}
	}
	if _, err := resolve(o.addr); err != nil {
		return err
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// resolve turns -addr into the address to bind: a name is looked up
// (localhost:9999), and :9999 means every local address.
func resolve(addr string) (*net.UDPAddr, error) {
	a, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %q: %v (want host:port, [ipv6]:port or :port)", addr, err)
	}
	return a, nil
}

// stopSignals end the run, with the summary printed.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// sink is the receive loop's state. The receiver is seen through a few
// functions, so that the loop is the same for Receiver and, with -ordered,
// OrderedReceiver.
type sink struct {
	o        options
	conn     *net.UDPConn
	out      io.Writer
	read     func(ctx context.Context, due time.Time) error // one read (or wait) until due; refused datagrams are not errors
	stats    func() udp.Stats                               // the receiver's counters
	used     func() int                                     // bytes held (slots held with -workers 1)
	capacity int                                            // storage bytes
	fillCap  int                                            // what used is a part of, for the fill in progress lines
	pop      func(now time.Time, final bool)                // consumes what can be consumed
	extra    func() uint64                                  // datagrams taken but not consumed
	wake     func() time.Time                               // when pop has something to do without a read (zero: never)
	stop     func()                                         // ends reading before the final pop (-workers 1)
	peak     int                                            // most of used since the previous progress line
	packets  uint64                                         // consumed
	bytes    uint64
	start    time.Time
	last     udp.Stats // at the previous progress line
	lastAt   time.Time
	reads    uint64    // the receiver's Reads when the loop last looked
	firstPkt time.Time // when the first datagram came
	lastPkt  time.Time // when a datagram last came
	ordered  *orderedSink
}

func run(o options, out, errOut io.Writer) error {
	laddr, err := resolve(o.addr)
	if err != nil {
		return err
	}
	conn, err := net.ListenUDP("udp", laddr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if o.rcvbuf > 0 {
		if err := conn.SetReadBuffer(o.rcvbuf); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	defer stop()
	s := &sink{o: o, conn: conn, out: out, stop: func() {}}
	var mtu, slots int
	gro := "off"
	switch {
	case o.workers == 1:
		o.mode = "single"
		r, err := udp.NewSPSCReceiver(ctx, conn, udp.Config{MTU: o.mtu, Capacity: o.buffer, MaxPackets: o.slots})
		if err != nil {
			return err
		}
		defer r.Close()
		s.read = spscRead(r)
		s.pop = s.popper(r.PopWith)
		s.wake = func() time.Time { return time.Time{} }
		s.stop = func() { _ = r.Close() }
		s.stats, s.used, s.capacity, s.fillCap = r.Stats, r.Len, r.Cap(), r.MaxPackets()
		s.extra = func() uint64 { return r.Stats().Packets - s.packets }
		mtu, slots = r.MTU(), r.MaxPackets()
	case o.ordered != "":
		o.mode = "single"
		ord := orderings[o.ordered]
		r, err := udp.NewOrderedReceiver(conn, udp.OrderedConfig{MTU: o.mtu, Capacity: o.buffer, MaxPackets: o.slots,
			SeqBits: ord.bits, Window: o.window, Resync: true, SyncFirst: true, SyncBack: o.window / 4, Parse: ord.parse})
		if err != nil {
			return err
		}
		s.ordered = &orderedSink{s: s, r: r}
		s.read, s.pop, s.wake = deadlineRead(conn, s.ordered.read), s.ordered.pop, s.ordered.wake
		s.stats = func() udp.Stats { return r.Stats().Stats }
		s.used, s.capacity, s.fillCap = r.Used, r.Cap(), r.Cap()
		s.extra = func() uint64 { return uint64(r.Len()) }
		mtu, slots = r.MTU(), o.slots
	default:
		r, err := udp.NewReceiver(conn, udp.Config{MTU: o.mtu, Capacity: o.buffer, MaxPackets: o.slots, Batch: o.batch,
			XNet: o.mode == "xnet", GRO: o.mode == "gro"})
		if err != nil {
			return err
		}
		if on, why := r.GRO(); on {
			gro = "on"
		} else if why != nil {
			fmt.Fprintf(errOut, "udpsink: -mode gro: %v; reading in batches instead\n", why)
		}
		s.read = deadlineRead(conn, plainRead(o, r))
		s.pop = s.popper(r.PopWith)
		s.wake = func() time.Time { return time.Time{} }
		s.stats, s.used, s.capacity, s.fillCap = r.Stats, r.Used, r.Cap(), r.Cap()
		s.extra = func() uint64 { return r.Stats().Packets - s.packets + uint64(r.Pending()) }
		mtu, slots = r.MTU(), r.MaxPackets()
	}

	if o.workers == 0 {
		go func() { <-ctx.Done(); _ = conn.SetReadDeadline(time.Unix(1, 0)) }() // wake the loop
	}

	fmt.Fprintf(out, "READY addr=%v mode=%s mtu=%d buffer=%d slots=%d batch=%d rcvbuf=%d gro=%s count=%d duration=%v idle=%v interval=%v workers=%d",
		conn.LocalAddr(), o.mode, mtu, s.capacity, slots, o.batch, rcvbuf(conn, o.rcvbuf), gro,
		o.count, o.duration, o.idle, o.interval, o.workers)
	if o.ordered != "" {
		fmt.Fprintf(out, " ordered=%s window=%d gap=%v", o.ordered, o.window, o.gap)
	}
	fmt.Fprintln(out)
	err = s.loop(ctx)
	s.stop()
	if !s.counted() {
		s.pop(time.Now(), true) // give up what is still missing, deliver the rest
	}
	s.summary()
	return err
}

// popper returns the pop of a receiver without -ordered: it consumes
// what is held, up to -count.
func (s *sink) popper(popWith func(func(p []byte, from netip.AddrPort) error) error) func(time.Time, bool) {
	consume := func(p []byte, _ netip.AddrPort) error {
		s.packets++
		s.bytes += uint64(len(p))
		return nil
	}
	return func(time.Time, bool) {
		for !s.counted() && popWith(consume) == nil {
		}
	}
}

// deadlineRead makes a read of the sink's own goroutine wake at due: it
// sets conn's read deadline.
func deadlineRead(conn *net.UDPConn, read func() error) func(context.Context, time.Time) error {
	return func(_ context.Context, due time.Time) error {
		if err := conn.SetReadDeadline(due); err != nil {
			return err
		}
		return read()
	}
}

// spscRead is the read of -workers 1: the receiver's goroutine reads, so
// the sink's waits for a datagram held, until due (answered as a read
// deadline is) or the end of ctx. The receiver's end (a read error) comes
// back once every datagram it read has been consumed.
func spscRead(r *udp.SPSCReceiver) func(context.Context, time.Time) error {
	return func(ctx context.Context, due time.Time) error {
		if r.Len() > 0 {
			return nil
		}
		wctx, cancel := context.WithDeadline(ctx, due)
		defer cancel()
		err := r.Wait(wctx)
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return nil // a stop signal: the loop sees it
		case errors.Is(err, context.DeadlineExceeded):
			return os.ErrDeadlineExceeded
		}
		return err
	}
}

// plainRead is the read of a mode without -ordered. Batches are not used
// for the last datagrams of -count: a batch takes whatever the kernel
// holds, single reads stop at the count exactly.
func plainRead(o options, r *udp.Receiver) func() error {
	switch o.mode {
	case "single":
		return func() error { _, err := r.ReadOne(); return err }
	case "gro":
		return func() error { _, err := r.ReadBatch(); return err }
	}
	return func() error {
		if o.count > 0 && o.count-r.Stats().Packets < uint64(o.batch) {
			_, err := r.ReadOne()
			return err
		}
		_, err := r.ReadBatch()
		return err
	}
}

// loop reads and consumes until a stop condition. The read deadline is the
// next moment something is due (a progress line, the end, a gap to give
// up), so the loop wakes on time even without traffic.
func (s *sink) loop(ctx context.Context) error {
	s.start = time.Now()
	s.lastAt = s.start
	for {
		now := time.Now()
		if now.Sub(s.lastAt) >= s.o.interval {
			s.progress(now)
		}
		if s.done(ctx, now) {
			return nil
		}
		err := s.read(ctx, s.due(now))
		switch {
		case err == nil:
		case errors.Is(err, netbuf.ErrWouldBlock):
			// Full: consume below, then read on.
		case errors.Is(err, os.ErrDeadlineExceeded):
		default:
			return err
		}
		now = time.Now()
		// Reads since the last look (with -workers 1 they are made on the
		// receiver's goroutine, at any time); zero-length datagrams count too.
		if reads := s.stats().Reads; reads > s.reads {
			s.reads = reads
			s.lastPkt = now
			if s.firstPkt.IsZero() {
				s.firstPkt = now
			}
		}
		s.peak = max(s.peak, s.used())
		s.pop(now, false)
	}
}

// counted reports whether -count datagrams have been consumed.
func (s *sink) counted() bool { return s.o.count > 0 && s.packets >= s.o.count }

// due is when the loop must wake next.
func (s *sink) due(now time.Time) time.Time {
	t := s.lastAt.Add(s.o.interval)
	if s.o.duration > 0 {
		t = earliest(t, s.start.Add(s.o.duration))
	}
	if s.o.idle > 0 && !s.lastPkt.IsZero() {
		t = earliest(t, s.lastPkt.Add(s.o.idle))
	}
	if w := s.wake(); !w.IsZero() {
		t = earliest(t, w)
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
	switch {
	case ctx.Err() != nil:
		return true
	case s.counted():
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
// the fill at any one moment says little) and the receiver's counters.
func (s *sink) progress(now time.Time) {
	st := s.stats()
	dt := now.Sub(s.lastAt).Seconds()
	fmt.Fprintf(s.out, "t=%.1fs pkts/s=%.0f MB/s=%.2f fill=%.1f%% ",
		now.Sub(s.start).Seconds(),
		float64(st.Packets-s.last.Packets)/dt,
		float64(st.Bytes-s.last.Bytes)/dt/1e6,
		100*float64(s.peak)/float64(s.fillCap))
	if s.ordered != nil {
		fmt.Fprintln(s.out, s.ordered.r.Stats())
	} else {
		fmt.Fprintln(s.out, st)
	}
	s.last, s.lastAt, s.peak = st, now, 0
}

// summary prints the SUMMARY line, and with -ordered the ORDERED line.
func (s *sink) summary() {
	st := s.stats()
	active := s.lastPkt.Sub(s.firstPkt).Seconds()
	var pps, mbps float64
	if active > 0 {
		pps, mbps = float64(s.packets)/active, float64(s.bytes)/active/1e6
	}
	fmt.Fprintf(s.out, "SUMMARY packets=%d bytes=%d drops=%d truncated=%d skipped=%d extra=%d seconds=%.3f active=%.3f avg_pkts/s=%.0f avg_MB/s=%.2f\n",
		s.packets, s.bytes, st.Drops, st.Truncated, st.WouldBlock, s.extra(), time.Since(s.start).Seconds(), active, pps, mbps)
	if s.ordered != nil {
		s.ordered.summary()
	}
}

// orderedSink is the -ordered part of the sink: it reads datagrams into
// an OrderedReceiver, delivers them in sequence order, and gives a missing
// sequence up once it has been waited for -gap, or once a quarter of the
// window is held behind it (waiting on would push datagrams past the
// window). It starts a quarter of the window before the first datagram it
// gets, for the ones that datagram overtook.
type orderedSink struct {
	s        *sink
	r        *udp.OrderedReceiver
	consume  func(seq uint32, p []byte, _ netip.AddrPort) error
	gapSince time.Time // when PopWith first answered ErrGap for the current Next
	first    uint32
	last     uint32
	wraps    uint64 // times the delivered sequence wrapped to 0
	disorder uint64 // deliveries out of sequence order: 0 by the buffer's contract
}

func (q *orderedSink) read() error {
	_, _, err := q.r.ReadOne()
	if errors.Is(err, netbuf.ErrLate) || errors.Is(err, netbuf.ErrDuplicate) || errors.Is(err, netbuf.ErrAhead) || errors.Is(err, udp.ErrUnsequenced) {
		return nil // refused and counted
	}
	return err
}

// pop delivers what is in order; a gap older than -gap (or any gap, when
// final) is given up.
func (q *orderedSink) pop(now time.Time, final bool) {
	if q.consume == nil {
		q.consume = func(seq uint32, p []byte, _ netip.AddrPort) error {
			s := q.s
			if seq != q.r.Next() {
				q.disorder++
			}
			if s.packets == 0 {
				q.first = seq
			} else if seq < q.last {
				q.wraps++
			}
			q.last = seq
			s.packets++
			s.bytes += uint64(len(p))
			return nil
		}
	}
	for !q.s.counted() {
		err := q.r.PopWith(q.consume)
		switch {
		case err == nil:
			q.gapSince = time.Time{}
			continue
		case errors.Is(err, netbuf.ErrGap):
			if q.gapSince.IsZero() {
				q.gapSince = now
			}
			if final || now.Sub(q.gapSince) >= q.s.o.gap || q.r.Len() >= max(1, q.r.Window()/4) {
				_, _ = q.r.SkipGap()
				q.gapSince = time.Time{}
				continue
			}
		}
		return
	}
}

// wake is when a gap waited for is due to be given up.
func (q *orderedSink) wake() time.Time {
	if q.gapSince.IsZero() {
		return time.Time{}
	}
	return q.gapSince.Add(q.s.o.gap)
}

func (q *orderedSink) summary() {
	st := q.r.Stats()
	fmt.Fprintf(q.s.out, "ORDERED delivered=%d late=%d duplicate=%d skipped=%d missing=%d ahead=%d unsequenced=%d first_seq=%d last_seq=%d wraps=%d disorder=%d\n",
		st.Delivered, st.Late, st.Duplicate, st.Skipped, st.Missing, st.Ahead, st.Unsequenced, q.first, q.last, q.wraps, q.disorder)
}
