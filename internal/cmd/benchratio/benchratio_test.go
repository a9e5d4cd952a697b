package main

import (
	"strings"
	"testing"
)

const sampleOutput = `goos: linux
BenchmarkPushPop/impl=floor/size=64-2     100  10.0 ns/op  6400 MB/s  0 B/op  0 allocs/op
BenchmarkPushPop/impl=netbuf/size=64-2    100  19.0 ns/op  3368 MB/s  0 B/op  0 allocs/op
BenchmarkPushPop/impl=chanpool/size=64-2  100  60.0 ns/op  1066 MB/s  0 B/op  0 allocs/op
BenchmarkPushPop/impl=floor/size=64-2     100  12.0 ns/op  6400 MB/s  0 B/op  0 allocs/op
BenchmarkPushPop/impl=netbuf/size=64-2    100  21.0 ns/op  3368 MB/s  0 B/op  0 allocs/op
BenchmarkPushPop/impl=chanpool/size=64-2  100  62.0 ns/op  1066 MB/s  0 B/op  0 allocs/op
BenchmarkPushPop/impl=floor/size=1500-2   100  40.0 ns/op
BenchmarkPushPop/impl=netbuf/size=1500-2  100  50.0 ns/op  0 B/op  1 allocs/op
BenchmarkPushPop/impl=naive/size=1500-2   100  500 ns/op
PASS
`

func TestParseAndTargets(t *testing.T) {
	tb, err := parse(strings.NewReader(sampleOutput))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"PushPop/size=64", "PushPop/size=1500"}; strings.Join(tb.rows, ",") != strings.Join(want, ",") {
		t.Fatalf("rows %q, want %q", tb.rows, want)
	}
	if m, _ := tb.median("PushPop/size=64", netbuf); m != 20 {
		t.Errorf("median netbuf 64 = %v, want 20 (mean of the middle two)", m)
	}
	if r, _ := tb.ratio(tb.median, "PushPop/size=64", netbuf, floor); r != 20.0/11 {
		t.Errorf("netbuf/floor 64 = %v, want %v", r, 20.0/11)
	}
	got := strings.Join(tb.targets(), "\n")
	for _, want := range []string{
		"target netbuf 0 allocs/op everywhere: max 1 over 2 benchmarks: NOT MET",
		"PushPop/size=1500 netbuf/floor <= 1.15x: measured 1.25x: NOT MET",
		"PushPop/size=64 netbuf/floor <= 2.00x: measured 1.82x: met (fastest runs: 1.90x)",
		"PushPop/size=64 chanpool/netbuf >= 3.00x: measured 3.05x: met",
		"PushPop/size=1500 naive/netbuf >= 8.00x: measured 10.00x: met",
		// No twophase lines in the input.
		"target PushPop/size=1500 twophase/floor: not measured",
		"target PushPop/size=64 chanpool/twophase: not measured",
		"target PushPop/size=mix twophase/floor: not measured",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("targets lack %q; got:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n") + 1; n != len(zeroAllocs)+len(targets) {
		t.Errorf("%d lines, want %d (one per zero-allocation check, one per target):\n%s", n, len(zeroAllocs)+len(targets), got)
	}
}

func TestTwophaseTargets(t *testing.T) {
	const out = `BenchmarkPushPop/impl=floor/size=mix-2     100  100 ns/op  0 allocs/op
BenchmarkPushPop/impl=twophase/size=mix-2  100  120 ns/op  0 allocs/op
BenchmarkPushPop/impl=floor/size=64-2      100  10 ns/op
BenchmarkPushPop/impl=twophase/size=64-2   100  17 ns/op
BenchmarkPushPop/impl=chanpool/size=64-2   100  51 ns/op
`
	tb, err := parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(tb.targets(), "\n")
	for _, want := range []string{
		"PushPop/size=mix twophase/floor <= 1.20x: measured 1.20x: met",
		"PushPop/size=64 twophase/floor <= 1.40x: measured 1.70x: NOT MET",
		"PushPop/size=64 chanpool/twophase >= 3.00x: measured 3.00x: met",
		"target PushPop/size=1500 twophase/floor: not measured",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("targets lack %q; got:\n%s", want, got)
		}
	}
}

// With cpu-ns/op on every line, ratios use it rather than wall time.
func TestPrefersCPUTime(t *testing.T) {
	const out = `BenchmarkPushPop/impl=floor/size=64-2   100  30.0 ns/op  10.0 cpu-ns/op  0 allocs/op
BenchmarkPushPop/impl=netbuf/size=64-2  100  90.0 ns/op  15.0 cpu-ns/op  0 allocs/op
`
	tb, err := parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := tb.ratio(tb.median, "PushPop/size=64", netbuf, floor); r != 1.5 || tb.unit() != "cpu-ns/op" {
		t.Errorf("netbuf/floor = %v in %s, want 1.5 in cpu-ns/op", r, tb.unit())
	}
	// One line without it: wall time for all, so that every ratio is like for like.
	tb, _ = parse(strings.NewReader(out + "BenchmarkPushPop/impl=floor/size=64-2 100 30.0 ns/op\n"))
	if r, _ := tb.ratio(tb.median, "PushPop/size=64", netbuf, floor); r != 3 || tb.unit() != "ns/op" {
		t.Errorf("netbuf/floor = %v in %s, want 3 in ns/op", r, tb.unit())
	}
}
