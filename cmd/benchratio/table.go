package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

// The implementations, in column order. The floor is the reference for
// netbuf's ratio; the others are what netbuf is compared against.
const (
	floor  = "floor"
	netbuf = "netbuf"
)

var baselines = []string{"chanpool", "naive"}

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
	impls   []string
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
		if !slices.Contains(t.impls, impl) {
			t.impls = append(t.impls, impl)
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
	for _, p := range strings.Split(name, "/") {
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

// median returns the median ns/op of row and impl and the spread of the
// samples around it, (max-min)/median, or ok == false if there are none.
func (t *table) median(row, impl string) (med, spread float64, ok bool) {
	ss := t.samples[row][impl]
	if len(ss) == 0 {
		return 0, 0, false
	}
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = t.time(s)
	}
	slices.Sort(v)
	med = v[len(v)/2]
	if len(v)%2 == 0 {
		med = (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return med, (v[len(v)-1] - v[0]) / med, true
}

// minimum returns the fastest ns/op of row and impl: the run least
// disturbed by other load on a shared machine.
func (t *table) minimum(row, impl string) (float64, bool) {
	ss := t.samples[row][impl]
	if len(ss) == 0 {
		return 0, false
	}
	m := t.time(ss[0])
	for _, s := range ss[1:] {
		m = min(m, t.time(s))
	}
	return m, true
}

// minRatio is ratio over the fastest runs instead of the medians.
func (t *table) minRatio(row, a, b string) (float64, bool) {
	x, ok1 := t.minimum(row, a)
	y, ok2 := t.minimum(row, b)
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

// ratio returns the median time of impl a over that of impl b in row.
func (t *table) ratio(row, a, b string) (float64, bool) {
	x, _, ok1 := t.median(row, a)
	y, _, ok2 := t.median(row, b)
	if !ok1 || !ok2 || y == 0 {
		return 0, false
	}
	return x / y, true
}

func (t *table) print(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"benchmark", "netbuf/floor"}
	for _, b := range baselines {
		head = append(head, b+"/netbuf")
	}
	for _, im := range t.impls {
		head = append(head, im+" "+t.unit())
	}
	head = append(head, "netbuf allocs/op")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, row := range t.rows {
		cells := []string{row, t.ratioCell(row, netbuf, floor)}
		for _, b := range baselines {
			cells = append(cells, t.ratioCell(row, b, netbuf))
		}
		for _, im := range t.impls {
			cells = append(cells, t.timeCell(row, im))
		}
		cells = append(cells, allocCell(t.maxAllocs(row, netbuf)))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintf(w, "%s: median ± (max-min)/median over the runs; ratios of medians (x/y: how many times y's time x takes).\n", t.unit())
	if t.useCPU {
		fmt.Fprintln(w, "cpu-ns/op is the benchmark thread's CPU time: time descheduled by other load is not in it.")
	}
}

func (t *table) ratioCell(row, a, b string) string {
	if r, ok := t.ratio(row, a, b); ok {
		return fmt.Sprintf("%.2fx", r)
	}
	return "-"
}

func (t *table) timeCell(row, impl string) string {
	if m, spread, ok := t.median(row, impl); ok {
		return fmt.Sprintf("%.1f ±%.0f%%", m, 100*spread)
	}
	return "-"
}

func allocCell(a float64) string {
	if a < 0 {
		return "-"
	}
	return strconv.FormatFloat(a, 'f', -1, 64)
}
