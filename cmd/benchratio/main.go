// Command benchratio reads `go test -bench` output of netbuf's benchmarks
// (bench.txt from `make bench`) and prints, for each benchmark, the median
// ns/op of every implementation and netbuf's ratio to the floor and to each
// baseline, then netbuf's figures against the project's targets.
//
// Every figure comes from the one input, so all ratios are taken within a
// single run: on a shared machine absolute times drift, ratios much less.
//
//	go run ./cmd/benchratio bench.txt
//
// Benchmarks are grouped by name with the impl=NAME element removed, so
// BenchmarkPushPop/impl=floor/size=64-2 and BenchmarkPushPop/impl=netbuf/size=64-2
// form the row PushPop/size=64.
package main

import (
	"bufio"
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
	t, err := parse(bufio.NewScanner(in))
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(2)
	}
	if len(t.rows) == 0 {
		fmt.Fprintln(os.Stderr, "benchratio: no impl=... benchmark lines in the input")
		os.Exit(2)
	}
	t.print(os.Stdout)
	fmt.Fprintln(os.Stdout)
	for _, r := range t.targets() {
		fmt.Fprintln(os.Stdout, r)
	}
}
