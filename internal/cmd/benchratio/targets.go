package main

import "fmt"

// The implementations the targets name (netbuf/bench_test.go,
// netbuf/spsc_bench_test.go): floor, the same copies into a plain byte
// array (in the SPSC rows: the two-goroutine protocol alone, publishing
// every 16th packet), is the reference; netbuf and twophase are the
// library's two push paths, spsc and spscbatch the two-goroutine buffer
// (spscbatch publishing in batches); chanpool, naive and diodes
// (go-diodes' OneToOne) are what they are compared against.
const (
	floor     = "floor"
	netbuf    = "netbuf"
	twophase  = "twophase"
	chanpool  = "chanpool"
	naive     = "naive"
	spsc      = "spsc"
	spscbatch = "spscbatch"
	diodes    = "diodes"
)

// target: the ratio of median times a/b in row is at most (or at least)
// limit.
type target struct {
	row    string
	a, b   string
	limit  float64
	atMost bool
}

// targets are the project's performance goals, checked by `make
// bench-compare`.
var targets = []target{
	{"PushPop/size=1500", netbuf, floor, 1.15, true},
	{"PushPop/size=64", netbuf, floor, 2, true},
	{"PushPop/size=64", chanpool, netbuf, 3, false},
	{"PushPop/size=1500", naive, netbuf, 8, false},

	{"PushPop/size=1500", twophase, floor, 1.05, true},
	{"PushPop/size=64", twophase, floor, 1.4, true},
	{"PushPop/size=64", chanpool, twophase, 3, false},
	{"PushPop/size=mix", twophase, floor, 1.2, true},

	{"SPSC/size=64", diodes, spscbatch, 2, false},
	{"SPSC/size=1500", diodes, spscbatch, 2, false},
	{"SPSC/size=64", spscbatch, floor, 1.25, true},
	{"SPSC/size=1500", spscbatch, floor, 1.25, true},
}

// zeroAllocs are the implementations that must not allocate in any
// benchmark.
var zeroAllocs = []string{netbuf, twophase, spsc, spscbatch}

// targets reports each target: the measured ratio of medians, met or
// not, with the ratio of the fastest runs beside it as a check on noise;
// first, whether each implementation of zeroAllocs allocated anywhere.
func (t *table) targets() []string {
	var out []string
	for _, impl := range zeroAllocs {
		worst, rows := -1.0, 0
		for _, row := range t.rows {
			if a := t.maxAllocs(row, impl); a >= 0 {
				worst, rows = max(worst, a), rows+1
			}
		}
		if rows == 0 {
			out = append(out, fmt.Sprintf("target %s 0 allocs/op everywhere: not measured", impl))
			continue
		}
		out = append(out, fmt.Sprintf("target %s 0 allocs/op everywhere: max %g over %d benchmarks: %s", impl, worst, rows, verdict(worst == 0)))
	}
	for _, g := range targets {
		r, ok := t.ratio(t.median, g.row, g.a, g.b)
		if !ok {
			out = append(out, fmt.Sprintf("target %s %s/%s: not measured", g.row, g.a, g.b))
			continue
		}
		cmp, met := ">=", r >= g.limit
		if g.atMost {
			cmp, met = "<=", r <= g.limit
		}
		fast, _ := t.ratio(t.fastest, g.row, g.a, g.b)
		out = append(out, fmt.Sprintf("target %s %s/%s %s %.2fx: measured %.2fx: %s (fastest runs: %.2fx)",
			g.row, g.a, g.b, cmp, g.limit, r, verdict(met), fast))
	}
	return out
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "NOT MET"
}
