package main

import (
	"bufio"
	"slices"
	"strconv"
	"strings"
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

// parse reads benchmark lines, ignoring everything else (headers, PASS, ok).
func parse(sc *bufio.Scanner) (*table, error) {
	t := &table{samples: map[string]map[string][]sample{}, useCPU: true}
	for sc.Scan() {
		row, impl, s, ok := parseLine(sc.Text())
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
	return t, sc.Err()
}

// parseLine splits "BenchmarkPushPop/impl=netbuf/size=64-2  N  12.3 ns/op ..."
// into the row "PushPop/size=64", the impl "netbuf" and its figures.
func parseLine(line string) (row, impl string, s sample, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", "", s, false
	}
	name := strings.TrimPrefix(f[0], "Benchmark")
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			name = name[:i] // the GOMAXPROCS suffix
		}
	}
	var parts []string
	for p := range strings.SplitSeq(name, "/") {
		if v, found := strings.CutPrefix(p, "impl="); found {
			impl = v
			continue
		}
		parts = append(parts, p)
	}
	s.ns, s.cpu, s.allocs = -1, -1, -1
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return "", "", s, false
		}
		switch f[i+1] {
		case "ns/op":
			s.ns = v
		case "cpu-ns/op":
			s.cpu = v
		case "allocs/op":
			s.allocs = v
		}
	}
	if impl == "" || s.ns < 0 {
		return "", "", s, false
	}
	return strings.Join(parts, "/"), impl, s, true
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
