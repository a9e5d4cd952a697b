//go:build unix

package main

import (
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStopSignals: SIGHUP, SIGTERM and SIGINT each stop the sink with its
// summary, every datagram taken counted.
func TestStopSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			s := start(t, defaults(t, "-duration", "60s", "-interval", "100ms"))
			c := s.dial(t)
			for range 20 {
				if _, err := c.Write([]byte("datagram")); err != nil {
					t.Fatal(err)
				}
			}
			// Wait for a progress line that shows all 20 taken.
			for s.lines.Scan() && !containsField(s.lines.Text(), "packets=20") {
			}
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			begin := time.Now()
			sum := s.summary(t)
			if sum["packets"] != "20" || sum["bytes"] != "160" || time.Since(begin) > 5*time.Second {
				t.Fatalf("after %v: summary %v", sig, sum)
			}
		})
	}
}

// containsField reports whether the progress line has the field k=v.
func containsField(line, f string) bool {
	k, v, _ := strings.Cut(f, "=")
	return fields("progress " + line)[k] == v
}
