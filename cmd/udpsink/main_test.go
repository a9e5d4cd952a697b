package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/cmd/udpsink/internal/shuffle"
	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/netbuf/udp"
)

// running is a sink started by start: its READY fields, and its output
// lines as they come.
type running struct {
	ready   map[string]string
	ordered map[string]string // the ORDERED line's fields, read by summary
	lines   *bufio.Scanner
	done    chan error
}

// fields parses "KEY a=1 b=2" into {a: 1, b: 2}.
func fields(line string) map[string]string {
	m := map[string]string{}
	for _, f := range strings.Fields(line)[1:] {
		if k, v, ok := strings.Cut(f, "="); ok {
			m[k] = v
		}
	}
	return m
}

// start runs the sink with o on a goroutine and waits for its READY line.
func start(t *testing.T, o options) *running {
	t.Helper()
	if err := o.check(); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	s := &running{lines: bufio.NewScanner(pr), done: make(chan error, 1)}
	go func() { s.done <- run(o, pw, io.Discard); pw.Close() }()
	if !s.lines.Scan() || !strings.HasPrefix(s.lines.Text(), "READY ") {
		t.Fatalf("no READY line: %q", s.lines.Text())
	}
	s.ready = fields(s.lines.Text())
	t.Cleanup(func() {
		go func() {
			for s.lines.Scan() {
			}
		}()
	})
	return s
}

// summary waits for the sink to end and returns its SUMMARY fields.
func (s *running) summary(t *testing.T) map[string]string {
	t.Helper()
	var line string
	for s.lines.Scan() {
		switch l := s.lines.Text(); {
		case strings.HasPrefix(l, "SUMMARY "):
			line = l
		case strings.HasPrefix(l, "ORDERED "):
			s.ordered = fields(l)
		}
	}
	if err := <-s.done; err != nil {
		t.Fatal(err)
	}
	if line == "" {
		t.Fatal("no SUMMARY line")
	}
	return fields(line)
}

func (s *running) dial(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.Dial("udp", s.ready["addr"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*net.UDPConn)
}

// lanes are the ways the sink reads, as flags: each -mode on one
// goroutine, and -workers 1 (the second word names the lane).
func lanes() [][]string {
	var ls [][]string
	for _, m := range modes {
		ls = append(ls, []string{"-mode", m})
	}
	return append(ls, []string{"-workers", "1"})
}

func laneName(lane []string) string { return strings.TrimPrefix(strings.Join(lane, "="), "-") }

func defaults(t *testing.T, args ...string) options {
	t.Helper()
	o, err := parseArgs(append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestFlagErrors: every flag out of range is refused with an error that
// names the flag and its limit, as are extra arguments.
func TestFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-mtu", "0"}, "-mtu 0: must be in [1, 65535]"},
		{[]string{"-mtu", "-5"}, "-mtu -5: must be in [1, 65535]"},
		{[]string{"-mtu", "65536"}, "-mtu 65536: must be in [1, 65535]"},
		{[]string{"-buffer", "1500"}, "-buffer 1500: must be in [mtu+24 = 1524, 1073741824]"},
		{[]string{"-mtu", "9000", "-buffer", "9000"}, "-buffer 9000: must be in [mtu+24 = 9024,"},
		{[]string{"-buffer", "2147483647"}, "-buffer 2147483647: must be in [mtu+24 = 1524, 1073741824]"},
		{[]string{"-batch", "0"}, "-batch 0: must be in [1, 1024]"},
		{[]string{"-batch", "1025"}, "-batch 1025: must be in [1, 1024]"},
		{[]string{"-slots", "0"}, "-slots 0: must be in [1, buffer/24 = 174762]"},
		{[]string{"-slots", "2000000000"}, "-slots 2000000000: must be in [1, buffer/24 = 174762]"},
		{[]string{"-interval", "0s"}, "-interval 0s: must be at least 10ms"},
		{[]string{"-interval", "-1s"}, "-interval -1s: must be at least 10ms"},
		{[]string{"-interval", "1ns"}, "-interval 1ns: must be at least 10ms"},
		{[]string{"-duration", "-1s"}, "-duration -1s: must be >= 0"},
		{[]string{"-idle", "-1s"}, "-idle -1s: must be >= 0"},
		{[]string{"-rcvbuf", "-1"}, "-rcvbuf -1: must be in [0, 1073741824]"},
		{[]string{"-mode", "turbo"}, `-mode "turbo": must be one of batch, single, xnet, gro`},
		{[]string{"-addr", "9999"}, `-addr "9999": `},
		{[]string{"-addr", "127.0.0.1"}, `-addr "127.0.0.1": `},
		{[]string{"-count", "10", "stray"}, `unexpected arguments ["stray"]`},
		{[]string{"-count", "-1"}, `invalid value "-1" for flag -count`},
		{[]string{"-ordered", "srt"}, `-ordered "srt": must be rtp`},
		{[]string{"-ordered", "rtp", "-mode", "batch"}, "-ordered rtp reads one datagram per call: -mode must be single, not batch"},
		{[]string{"-ordered", "rtp", "-window", "0"}, "-window 0: must be in [1, 32768]"},
		{[]string{"-ordered", "rtp", "-window", "32769"}, "-window 32769: must be in [1, 32768]"},
		{[]string{"-ordered", "rtp", "-gap", "0s"}, "-gap 0s: must be at least 1ms"},
		{[]string{"-workers", "2"}, "-workers 2: must be 0 or 1"},
		{[]string{"-workers", "-1"}, "-workers -1: must be 0 or 1"},
		{[]string{"-workers", "1", "-mode", "batch"}, "-workers 1 reads one datagram per call: -mode must be single, not batch"},
		{[]string{"-workers", "1", "-ordered", "rtp"}, "-workers 1 with -ordered rtp: not supported"},
	} {
		_, err := parseArgs(c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.args, err, c.want)
		}
	}
	if _, err := parseArgs([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
	for _, args := range [][]string{nil, {"-ordered", "rtp"}, {"-ordered", "rtp", "-mode", "single", "-window", "32768"},
		{"-workers", "1"}, {"-workers", "1", "-mode", "single"}, {"-workers", "0", "-mode", "gro"}} {
		if _, err := parseArgs(args, io.Discard); err != nil {
			t.Errorf("%q refused: %v", args, err)
		}
	}
}

// TestAddrForms: :port (every local address), a name and bracketed IPv6
// are accepted; localhost is bound and receives.
func TestAddrForms(t *testing.T) {
	for _, c := range []struct{ addr, want string }{
		{":9999", ":9999"},
		{"127.0.0.1:9999", "127.0.0.1:9999"},
		{"[::1]:9999", "[::1]:9999"},
	} {
		a, err := resolve(c.addr)
		if err != nil || a.String() != c.want {
			t.Errorf("%q: %v %v, want %s", c.addr, a, err, c.want)
		}
	}
	a, err := resolve("localhost:9999")
	if err != nil || !a.IP.IsLoopback() || a.Port != 9999 {
		t.Fatalf("localhost:9999: %v, %v", a, err)
	}
	o := defaults(t, "-addr", "localhost:0", "-count", "3", "-duration", "20s")
	s := start(t, o)
	ap, err := netip.ParseAddrPort(s.ready["addr"])
	if err != nil || !ap.Addr().IsLoopback() {
		t.Fatalf("READY addr %q: %v", s.ready["addr"], err)
	}
	c := s.dial(t)
	for range 3 {
		_, _ = c.Write([]byte("x"))
	}
	if sum := s.summary(t); sum["packets"] != "3" {
		t.Fatalf("summary %v", sum)
	}
}

// TestReadyShowsValuesUsed: READY has every setting as used, the defaults
// included, and the SO_RCVBUF the kernel set.
func TestReadyShowsValuesUsed(t *testing.T) {
	o := defaults(t, "-duration", "10ms")
	s := start(t, o)
	want := map[string]string{"mode": "batch", "mtu": "1500", "buffer": "4194304", "slots": "16384", "batch": "64",
		"gro": "off", "count": "0", "duration": "10ms", "idle": "0s", "interval": "1s", "workers": "0"}
	for k, v := range want {
		if s.ready[k] != v {
			t.Errorf("READY %s=%q, want %q (%v)", k, s.ready[k], v, s.ready)
		}
	}
	if n, err := strconv.Atoi(s.ready["rcvbuf"]); err != nil || n <= 0 {
		t.Errorf("READY rcvbuf=%q", s.ready["rcvbuf"])
	}
	s.summary(t)

	o = defaults(t, "-mode", "gro", "-mtu", "9000", "-buffer", "100000", "-slots", "7", "-batch", "3", "-rcvbuf", "0", "-duration", "10ms")
	s = start(t, o)
	gro := "on"
	if runtime.GOOS != "linux" {
		gro = "off"
	}
	for k, v := range map[string]string{"mode": "gro", "mtu": "9000", "buffer": "100000", "slots": "7", "batch": "3", "gro": gro} {
		if s.ready[k] != v {
			t.Errorf("READY %s=%q, want %q", k, s.ready[k], v)
		}
	}
	s.summary(t)

	s = start(t, defaults(t, "-workers", "1", "-buffer", "100000", "-slots", "9", "-duration", "10ms"))
	for k, v := range map[string]string{"mode": "single", "buffer": "100000", "slots": "9", "gro": "off", "workers": "1"} {
		if s.ready[k] != v {
			t.Errorf("-workers 1: READY %s=%q, want %q", k, s.ready[k], v)
		}
	}
	s.summary(t)
}

var summaryLine = regexp.MustCompile(`^SUMMARY packets=\d+ bytes=\d+ drops=\d+ truncated=\d+ skipped=\d+ extra=\d+ seconds=[0-9.]+ active=[0-9.]+ avg_pkts/s=\d+ avg_MB/s=[0-9.]+$`)

// TestRunSummary runs the sink in every mode, and with -workers 1, with
// -count, sends it datagrams of 0 to 99 bytes from a real socket and
// checks the SUMMARY line a script reads, average rate included. The
// second half is sent once a progress line shows the first taken, so that
// the first and the last datagram come at two different moments.
func TestRunSummary(t *testing.T) {
	for _, lane := range lanes() {
		t.Run(laneName(lane), func(t *testing.T) {
			o := defaults(t, append(lane, "-count", "500", "-duration", "20s", "-batch", "16", "-slots", "1024", "-buffer", "1048576", "-interval", "10ms")...)
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() { done <- run(o, pw, io.Discard); pw.Close() }()
			lines := bufio.NewScanner(pr)
			if !lines.Scan() {
				t.Fatal("no READY line")
			}
			sc, err := net.Dial("udp", fields(lines.Text())["addr"])
			if err != nil {
				t.Fatal(err)
			}
			defer sc.Close()
			for i := range 500 {
				if i == 250 {
					for lines.Scan() && fields(lines.Text())["packets"] != "250" {
					}
				}
				if _, err := sc.Write(make([]byte, i%100)); err != nil {
					t.Fatal(err)
				}
			}
			var summary string
			for lines.Scan() {
				if strings.HasPrefix(lines.Text(), "SUMMARY ") {
					summary = lines.Text()
				}
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			f := fields(summary)
			if !summaryLine.MatchString(summary) || f["packets"] != "500" || f["bytes"] != "24750" || f["extra"] != "0" || f["truncated"] != "0" {
				t.Fatalf("summary %q", summary)
			}
			if rate, _ := strconv.ParseFloat(f["avg_pkts/s"], 64); rate <= 0 {
				t.Errorf("average rate %q", f["avg_pkts/s"])
			}
		})
	}
}

// TestCountExact: with more datagrams queued than -count, the sink takes
// exactly -count in batch and xnet modes (batches stop short of the count,
// single reads finish it); in gro mode a run is read whole, and what is
// read past the count is reported as extra.
func TestCountExact(t *testing.T) {
	for _, mode := range []string{"batch", "xnet", "single", "gro"} {
		t.Run(mode, func(t *testing.T) {
			o := defaults(t, "-mode", mode, "-count", "1000", "-duration", "20s", "-batch", "64")
			s := start(t, o)
			c := s.dial(t)
			for i := range 1500 {
				if _, err := c.Write(make([]byte, 10+i%7)); err != nil {
					t.Fatal(err)
				}
			}
			sum := s.summary(t)
			if sum["packets"] != "1000" || sum["extra"] != "0" {
				t.Fatalf("summary %v, want exactly 1000 packets", sum)
			}
		})
	}
}

// TestWorkersCount: with -workers 1 the receiver's goroutine reads ahead
// of the consumer; the sink consumes exactly -count, and what was read past
// it is reported as extra. A buffer of 16 slots makes the reader wait for
// room (counted as skipped) while the main goroutine consumes.
func TestWorkersCount(t *testing.T) {
	o := defaults(t, "-workers", "1", "-count", "2000", "-slots", "16", "-duration", "60s")
	s := start(t, o)
	c := s.dial(t)
	for i := range 2500 {
		if _, err := c.Write(make([]byte, 10+i%7)); err != nil {
			t.Fatal(err)
		}
	}
	sum := s.summary(t)
	extra, err := strconv.Atoi(sum["extra"])
	if sum["packets"] != "2000" || err != nil || extra > 500 {
		t.Fatalf("summary %v, want exactly 2000 packets and at most 500 extra", sum)
	}
	t.Logf("summary %v", sum)
}

// TestIdleCountsEmptyDatagrams: zero-length datagrams are datagrams: they
// start and restart the -idle clock, in single mode too.
func TestIdleCountsEmptyDatagrams(t *testing.T) {
	for _, lane := range lanes() {
		t.Run(laneName(lane), func(t *testing.T) {
			o := defaults(t, append(lane, "-idle", "300ms", "-duration", "60s")...)
			s := start(t, o)
			c := s.dial(t)
			begin := time.Now()
			for range 50 {
				if _, err := c.Write(nil); err != nil {
					t.Fatal(err)
				}
			}
			sum := s.summary(t)
			if sum["packets"] != "50" || sum["bytes"] != "0" {
				t.Fatalf("summary %v", sum)
			}
			if took := time.Since(begin); took > 10*time.Second {
				t.Fatalf("stopped after %v: -idle did not count the empty datagrams", took)
			}
		})
	}
}

// TestSummaryCountsSkippedReads: reads refused because the buffer was full
// are in SUMMARY as skipped.
func TestSummaryCountsSkippedReads(t *testing.T) {
	rc, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	r, err := udp.NewReceiver(rc, udp.Config{MTU: 100, Capacity: 124})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := net.DialUDP("udp", nil, rc.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	_, _ = sc.Write([]byte("a"))
	_ = rc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := r.ReadOne(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadOne(); !errors.Is(err, netbuf.ErrWouldBlock) {
		t.Fatalf("full buffer: %v", err)
	}
	var out strings.Builder
	s := &sink{out: &out, packets: 1, bytes: 1, start: time.Now(), stats: r.Stats,
		extra: func() uint64 { return r.Stats().Packets - 1 }}
	s.summary()
	if f := fields(out.String()); f["skipped"] != "1" || f["extra"] != "0" {
		t.Fatalf("summary %q", out.String())
	}
}

// TestGROMode: runs from a GSO sender through -mode gro arrive whole, and
// a -count that ends inside a run reports the rest as extra.
func TestGROMode(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("GRO is Linux only")
	}
	o := defaults(t, "-mode", "gro", "-count", "1000", "-duration", "20s")
	s := start(t, o)
	if s.ready["gro"] != "on" {
		t.Fatalf("READY %v", s.ready)
	}
	c := s.dial(t)
	run := make([]byte, 64*1000)
	for range 16 { // 1024 datagrams of 1000 bytes
		if err := gsoSend(c, run, 1000); err != nil {
			t.Fatal(err)
		}
	}
	sum := s.summary(t)
	if sum["packets"] != "1000" || sum["bytes"] != fmt.Sprint(1000*1000) || sum["extra"] != "24" {
		t.Fatalf("summary %v, want 1000 packets and 24 extra", sum)
	}
}

// TestOrderedRTP: an RTP stream that crosses the 16-bit wrap, reordered by
// up to 5 places and with repeats, through -ordered rtp: every packet
// delivered once, in order, the repeats counted late or duplicate, nothing
// missing or skipped.
func TestOrderedRTP(t *testing.T) {
	s := start(t, defaults(t, "-ordered", "rtp", "-idle", "500ms", "-gap", "300ms", "-window", "64"))
	if s.ready["ordered"] != "rtp" || s.ready["mode"] != "single" || s.ready["window"] != "64" || s.ready["gap"] != "300ms" {
		t.Fatalf("READY %v", s.ready)
	}
	c := s.dial(t)
	const n, first = 300, 65400
	sh := shuffle.New(7, 5, 10)
	send := func(p []byte) {
		if _, err := c.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		seq := uint16(first + i)
		p := make([]byte, 12+i%50)
		p[0], p[1], p[2], p[3] = 0x80, 96, byte(seq>>8), byte(seq)
		sh.Push(p, send)
		if i%50 == 0 {
			time.Sleep(5 * time.Millisecond) // not faster than the sink's queue
		}
	}
	sh.Flush(send)
	sum := s.summary(t)
	ordered := s.ordered
	want := map[string]string{"delivered": "300", "skipped": "0", "missing": "0", "ahead": "0", "unsequenced": "0",
		"first_seq": "65400", "last_seq": fmt.Sprint((first + n - 1) % 65536), "wraps": "1", "disorder": "0"}
	for k, v := range want {
		if ordered[k] != v {
			t.Errorf("ORDERED %s=%q, want %q (%v)", k, ordered[k], v, ordered)
		}
	}
	late, _ := strconv.Atoi(ordered["late"])
	dup, _ := strconv.Atoi(ordered["duplicate"])
	if late+dup != sh.Dups || sum["packets"] != "300" || sum["extra"] != "0" {
		t.Errorf("late %d + duplicate %d, %d repeats sent; summary %v", late, dup, sh.Dups, sum)
	}
}
