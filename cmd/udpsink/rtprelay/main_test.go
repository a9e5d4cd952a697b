package main

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestRelay: every datagram comes out at least once, at most twice, never
// more than -reorder+1 places behind, and the RELAY line counts them.
func TestRelay(t *testing.T) {
	sink, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	_ = sink.SetReadBuffer(1 << 20) // room for the relay's bursts while the test goroutine waits for a CPU
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run("127.0.0.1:0", sink.LocalAddr().String(), 4, 5, 9, 300*time.Millisecond, 10*time.Millisecond, pw)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "READY addr=") {
		t.Fatalf("READY: %q", lines.Text())
	}
	addr := strings.Fields(strings.TrimPrefix(lines.Text(), "READY addr="))[0]
	c, err := net.Dial("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const n, first = 500, 65500
	for i := range n {
		seq := uint16(first + i)
		if _, err := c.Write([]byte{0x80, 96, byte(seq >> 8), byte(seq), 0, 0, 0, 0, 0, 0, 0, 0}); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			// Paced, so that the relay's socket never overflows on a busy
			// machine: a datagram lost by the kernel is not the relay's.
			time.Sleep(time.Millisecond)
		}
	}
	seen := map[uint16]int{}
	highest, got := -1, 0
	_ = sink.SetReadDeadline(time.Now().Add(10 * time.Second))
	b := make([]byte, 100)
	for len(seen) < n {
		if _, err := sink.Read(b); err != nil {
			t.Fatalf("after %d: %v", got, err)
		}
		got++
		i := int(uint16(uint16(b[2])<<8|uint16(b[3])) - first)
		seen[uint16(i)]++
		if highest-i > 5 {
			t.Fatalf("datagram %d after %d", i, highest)
		}
		highest = max(highest, i)
	}
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "RELAY ") {
	}
	relay := lines.Text()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"received=500 ", "first_seq=65500 ", "last_seq=463 "} {
		if !strings.Contains(relay, want) {
			t.Fatalf("%q, want %s", relay, want)
		}
	}
	for i, c := range seen {
		if c > 2 {
			t.Fatalf("datagram %d out %d times", i, c)
		}
	}
}
