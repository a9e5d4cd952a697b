package main

import "fmt"

// target is one of issue 5's goals: the ratio a/b in row is at most (or at
// least) limit.
type target struct {
	row    string
	a, b   string
	limit  float64
	atMost bool
}

var targets = []target{
	{"PushPop/size=1500", netbuf, floor, 1.15, true},
	{"PushPop/size=64", netbuf, floor, 2, true},
	{"PushPop/size=64", "chanpool", netbuf, 3, false},
	{"PushPop/size=1500", "naive", netbuf, 8, false},
}

// targets reports netbuf's measured figure (the ratio of medians) against
// each target, met or not, with the ratio of the fastest runs beside it as
// a check on noise, and whether netbuf allocated in any benchmark.
func (t *table) targets() []string {
	var out []string
	worst, rows := -1.0, 0
	for _, row := range t.rows {
		if a := t.maxAllocs(row, netbuf); a >= 0 {
			worst, rows = max(worst, a), rows+1
		}
	}
	if rows > 0 {
		out = append(out, fmt.Sprintf("target netbuf 0 allocs/op everywhere: max %g over %d benchmarks: %s", worst, rows, verdict(worst == 0)))
	}
	for _, g := range targets {
		r, ok := t.ratio(g.row, g.a, g.b)
		if !ok {
			out = append(out, fmt.Sprintf("target %s %s/%s: not measured", g.row, g.a, g.b))
			continue
		}
		cmp, met := ">=", r >= g.limit
		if g.atMost {
			cmp, met = "<=", r <= g.limit
		}
		rmin, _ := t.minRatio(g.row, g.a, g.b)
		out = append(out, fmt.Sprintf("target %s %s/%s %s %.2fx: measured %.2fx: %s (fastest runs: %.2fx)",
			g.row, g.a, g.b, cmp, g.limit, r, verdict(met), rmin))
	}
	return out
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "NOT MET"
}
