// Command benchratio checks netbuf's benchmark results against the
// project's targets (targets.go): ratios of medians between two
// implementations of one benchmark, and 0 allocs/op. benchstat already
// prints every figure and its spread (`make bench`); benchratio prints
// only what benchstat does not: each target, the measured ratio, met or
// not, and the ratio of the fastest runs beside it as a check on noise.
//
// Every figure comes from the one input, so all ratios are taken within a
// single run: under other load absolute times drift, ratios much less.
// When every line has cpu-ns/op (the benchmark thread's CPU time, which
// time descheduled by other load is not in), ratios use it, else ns/op.
//
//	go run ./internal/cmd/benchratio bench.txt
//
// Benchmarks are grouped by name with the impl=NAME element removed, so
// BenchmarkPushPop/impl=floor/size=64-2 and BenchmarkPushPop/impl=netbuf/size=64-2
// form the row PushPop/size=64. A target whose implementation is not in
// the input is "not measured".
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	in := io.Reader(os.Stdin)
	if len(os.Args) > 1 {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchratio:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	t, err := parse(in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(2)
	}
	if len(t.rows) == 0 {
		fmt.Fprintln(os.Stderr, "benchratio: no impl=... benchmark lines in the input")
		os.Exit(2)
	}
	fmt.Printf("targets, from ratios of median %s:\n", t.unit())
	for _, r := range t.targets() {
		fmt.Println(r)
	}
}
