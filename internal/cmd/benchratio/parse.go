package main

import (
	"io"
	"slices"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// sample is what one benchmark line reports.
type sample struct {
	ns     float64 // ns/op: wall time
	cpu    float64 // cpu-ns/op: the benchmark thread's CPU time; -1 when absent
	allocs float64 // -1 when the line has no allocs/op
}

// table holds every sample by row (the benchmark name without its impl)
// and impl, rows in order of first appearance.
type table struct {
	rows    []string
	samples map[string]map[string][]sample
	useCPU  bool // every sample has cpu-ns/op: compare those, not wall time
}

// unit names the figure the table compares.
func (t *table) unit() string {
	if t.useCPU {
		return "cpu-ns/op"
	}
	return "ns/op"
}

// time is the figure of s that the table compares.
func (t *table) time(s sample) float64 {
	if t.useCPU {
		return s.cpu
	}
	return s.ns
}

// parse reads Go benchmark output with benchfmt; results without an
// impl=NAME element or without ns/op are skipped, as are lines benchfmt
// reports as syntax errors. The error is a read error of in.
func parse(in io.Reader) (*table, error) {
	t := &table{samples: map[string]map[string][]sample{}, useCPU: true}
	rd := benchfmt.NewReader(in, "bench.txt")
	for rd.Scan() {
		res, ok := rd.Result().(*benchfmt.Result)
		if !ok {
			continue
		}
		row, impl, s, ok := split(res)
		if !ok {
			continue
		}
		if t.samples[row] == nil {
			t.samples[row] = map[string][]sample{}
			t.rows = append(t.rows, row)
		}
		t.samples[row][impl] = append(t.samples[row][impl], s)
		t.useCPU = t.useCPU && s.cpu >= 0
	}
	return t, rd.Err()
}

// split turns the result "PushPop/impl=netbuf/size=64-2 ... ns/op ..."
// into the row "PushPop/size=64", the impl "netbuf" and its figures.
func split(res *benchfmt.Result) (row, impl string, s sample, ok bool) {
	base, parts := res.Name.Parts()
	name := []string{string(base)}
	for _, p := range parts {
		if v, found := strings.CutPrefix(string(p), "/impl="); found {
			impl = v
		} else if p[0] == '/' {
			name = append(name, string(p[1:]))
		}
	}
	s = sample{ns: value(res, "ns/op"), cpu: value(res, "cpu-ns/op"), allocs: value(res, "allocs/op")}
	return strings.Join(name, "/"), impl, s, impl != "" && s.ns >= 0
}

// value is the figure of res in unit as written in the input (benchfmt
// tidies ns/op into sec/op), or -1.
func value(res *benchfmt.Result, unit string) float64 {
	for _, v := range res.Values {
		if v.OrigUnit == unit {
			return v.OrigValue
		}
		if v.OrigUnit == "" && v.Unit == unit {
			return v.Value
		}
	}
	return -1
}

// times returns the compared figure of every sample of row and impl,
// sorted.
func (t *table) times(row, impl string) []float64 {
	var v []float64
	for _, s := range t.samples[row][impl] {
		v = append(v, t.time(s))
	}
	slices.Sort(v)
	return v
}

// median returns the median time of row and impl, or ok == false if there
// are no samples.
func (t *table) median(row, impl string) (float64, bool) {
	v := t.times(row, impl)
	switch {
	case len(v) == 0:
		return 0, false
	case len(v)%2 == 0:
		return (v[len(v)/2-1] + v[len(v)/2]) / 2, true
	}
	return v[len(v)/2], true
}

// fastest returns the fastest time of row and impl: the run least
// disturbed by other load.
func (t *table) fastest(row, impl string) (float64, bool) {
	v := t.times(row, impl)
	if len(v) == 0 {
		return 0, false
	}
	return v[0], true
}

// ratio returns stat(a)/stat(b) in row, stat being median or fastest.
func (t *table) ratio(stat func(row, impl string) (float64, bool), row, a, b string) (float64, bool) {
	x, ok1 := stat(row, a)
	y, ok2 := stat(row, b)
	if !ok1 || !ok2 || y == 0 {
		return 0, false
	}
	return x / y, true
}

// maxAllocs returns the largest allocs/op of row and impl, or -1.
func (t *table) maxAllocs(row, impl string) float64 {
	m := -1.0
	for _, s := range t.samples[row][impl] {
		m = max(m, s.allocs)
	}
	return m
}
