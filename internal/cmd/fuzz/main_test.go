package main

import "testing"

func TestStats(t *testing.T) {
	out := "fuzz: elapsed: 0s, gathering baseline coverage: 0/40 completed\n" +
		"fuzz: elapsed: 3s, execs: 6021 (2006/sec), new interesting: 1 (total: 41)\n" +
		"fuzz: elapsed: 1m0s, execs: 123456 (2057/sec), new interesting: 3 (total: 43)\n" +
		"PASS\n"
	s := &stats{}
	for i := 0; i < len(out); i += 7 { // in pieces, as a pipe delivers it
		s.Write([]byte(out[i:min(i+7, len(out))]))
	}
	if got, want := s.summary("FuzzRing", true), "FUZZ target=FuzzRing execs=123456 seconds=60 execs/s=2057 result=ok"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
	if got, want := (&stats{}).summary("FuzzX", false), "FUZZ target=FuzzX execs=0 seconds=0 execs/s=0 result=FAIL"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
}
