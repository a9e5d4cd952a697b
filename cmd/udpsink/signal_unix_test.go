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
// summary, every datagram taken counted, with and without -workers 1.
func TestStopSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT} {
		for _, workers := range []string{"0", "1"} {
			t.Run(sig.String()+"/workers="+workers, func(t *testing.T) { stopSignal(t, sig, workers) })
		}
	}
}

func stopSignal(t *testing.T, sig syscall.Signal, workers string) {
	s := start(t, defaults(t, "-duration", "60s", "-interval", "100ms", "-workers", workers))
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
}

// containsField reports whether the progress line has the field k=v.
func containsField(line, f string) bool {
	k, v, _ := strings.Cut(f, "=")
	return fields("progress " + line)[k] == v
}
