package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"regexp"
	"testing"
	"time"
)

// TestRunSummary runs the sink on loopback with -count, sends it datagrams
// from a real socket and checks the READY and SUMMARY lines a script reads.
func TestRunSummary(t *testing.T) {
	for _, mode := range []string{"batch", "single", "xnet"} {
		t.Run(mode, func(t *testing.T) {
			pr, pw := io.Pipe()
			o := options{addr: "127.0.0.1:0", mode: mode, mtu: 1500, buffer: 1 << 20, slots: 1024, batch: 16,
				rcvbuf: 1 << 20, count: 500, duration: 20 * time.Second, interval: time.Second}
			done := make(chan error, 1)
			go func() { done <- run(o, pw); pw.Close() }()
			lines := bufio.NewScanner(pr)
			if !lines.Scan() {
				t.Fatal("no READY line")
			}
			var addr string
			if _, err := fmt.Sscanf(lines.Text(), "READY addr=%s", &addr); err != nil {
				t.Fatalf("%q: %v", lines.Text(), err)
			}
			sc, err := net.Dial("udp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer sc.Close()
			for i := range 500 {
				if _, err := sc.Write(make([]byte, i%100)); err != nil { // 0..99 bytes
					t.Fatal(err)
				}
			}
			var summary string
			for lines.Scan() {
				if l := lines.Text(); regexp.MustCompile(`^SUMMARY `).MatchString(l) {
					summary = l
				}
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			want := regexp.MustCompile(`^SUMMARY packets=500 bytes=24750 drops=0 truncated=0 seconds=[0-9.]+$`)
			if !want.MatchString(summary) {
				t.Fatalf("summary %q, want %v", summary, want)
			}
		})
	}
}
