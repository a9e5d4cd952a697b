// Command rtprelay forwards a UDP stream (RTP, say) on loopback with its
// order disturbed, by a bounded amount, and some datagrams repeated: the
// conditions an in-order receiver must handle (udpsink -ordered rtp), made
// on one machine. It is a test tool of scripts/e2e.sh.
//
//	rtprelay -to 127.0.0.1:5004 -reorder 8 -dup 20 -idle 2s
//
// It prints a READY line with the address it listens on and a second,
// rtcp=, that takes the sender's RTCP (and drops it), and when the stream
// has been quiet for -idle after its first datagram, a RELAY line:
//
//	RELAY received=<n> sent=<n> duplicates=<n> first_seq=<n> last_seq=<n> late_max=<n>
//
// first_seq and last_seq are the RTP sequence numbers of the first and last
// datagrams received (the sender's order), late_max the furthest a
// datagram was sent behind the newest one before it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/netbuf-go/netbuf/cmd/udpsink/internal/shuffle"
	"github.com/netbuf-go/netbuf/netbuf/udp"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to receive the stream on")
	to := flag.String("to", "", "address to forward to (required)")
	reorder := flag.Int("reorder", 8, "most datagrams held back: each goes out at most this many places late (0: in order)")
	dup := flag.Int("dup", 20, "repeat about one datagram in this many (0: none)")
	seed := flag.Uint64("seed", 1, "seed of the random choices")
	idle := flag.Duration("idle", 2*time.Second, "stop after this long without a datagram, once the first one came")
	flush := flag.Duration("flush", 20*time.Millisecond, "let every held datagram out after this long without a new one")
	flag.Parse()
	if err := run(*listen, *to, *reorder, *dup, *seed, *idle, *flush, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "rtprelay:", err)
		os.Exit(1)
	}
}

func run(listen, to string, reorder, dup int, seed uint64, idle, flush time.Duration, out io.Writer) error {
	switch {
	case to == "":
		return errors.New("-to is required")
	case reorder < 0 || dup < 0 || idle <= 0 || flush <= 0:
		return errors.New("-reorder and -dup must be >= 0, -idle and -flush > 0")
	}
	laddr, err := net.ResolveUDPAddr("udp", listen)
	if err != nil {
		return err
	}
	in, err := net.ListenUDP("udp", laddr)
	if err != nil {
		return err
	}
	defer in.Close()
	_ = in.SetReadBuffer(4 << 20)
	rtcp, err := net.ListenUDP("udp", &net.UDPAddr{IP: laddr.IP})
	if err != nil {
		return err
	}
	defer rtcp.Close()
	go func() { // the sender's RTCP: taken, so that it does not bounce, and dropped
		b := make([]byte, 2048)
		for {
			if _, _, err := rtcp.ReadFrom(b); err != nil {
				return
			}
		}
	}()
	raddr, err := net.ResolveUDPAddr("udp", to)
	if err != nil {
		return err
	}
	fwd, err := net.DialUDP("udp", nil, raddr)
	if err != nil {
		return err
	}
	defer fwd.Close()
	fmt.Fprintf(out, "READY addr=%v rtcp=%v\n", in.LocalAddr(), rtcp.LocalAddr())

	s := shuffle.New(seed, reorder, dup)
	var received, sent, lateMax int
	var first, last, newest uint32
	var sendErr error
	emit := func(p []byte) {
		if seq, ok := udp.RTPSeq(p); ok {
			if sent > 0 && int16(uint16(newest-seq)) > 0 {
				lateMax = max(lateMax, int(int16(uint16(newest-seq))))
			} else {
				newest = seq
			}
		}
		if _, err := fwd.Write(p); err != nil && sendErr == nil {
			sendErr = err
		}
		sent++
	}
	var lastAt time.Time
	for {
		wait := flush
		if s.Held() == 0 && !lastAt.IsZero() {
			wait = time.Until(lastAt.Add(idle))
		}
		_ = in.SetReadDeadline(time.Now().Add(wait))
		b := make([]byte, 65536)
		n, err := in.Read(b)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			s.Flush(emit)
			if !lastAt.IsZero() && time.Since(lastAt) >= idle {
				break
			}
			continue
		}
		if err != nil {
			return err
		}
		p := b[:n:n]
		if seq, ok := udp.RTPSeq(p); ok {
			if received == 0 {
				first = seq
			}
			last = seq
		}
		received++
		lastAt = time.Now()
		s.Push(p, emit)
	}
	fmt.Fprintf(out, "RELAY received=%d sent=%d duplicates=%d first_seq=%d last_seq=%d late_max=%d\n",
		received, sent, s.Dups, first, last, lateMax)
	return sendErr
}
