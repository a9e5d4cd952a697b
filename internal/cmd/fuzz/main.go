// Command fuzz is `make fuzz`: it runs each named native fuzz target of a
// package in turn (go test takes one -fuzz pattern per run), for -fuzztime
// each, streaming go test's output, then prints one summary line per
// target that ran:
//
//	FUZZ target=<name> execs=<n> seconds=<s> execs/s=<rate> result=<ok|FAIL>
//
// The rate is the total execs over the fuzzing time of the last status
// line go test printed. A failure stops the run with go test's exit
// status; go test saves the failing input under <pkg>/testdata/fuzz/<target>/
// (`make corpus` turns it into a scenario).
//
//	go run ./cmd/fuzz [-pkg ./fuzz] [-fuzztime 30s] [-minimizetime 1000x] [-flags "-parallel=1"] TARGET...
//
// The GO environment variable names the go command (default go).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	pkg := flag.String("pkg", "./fuzz", "package holding the fuzz targets")
	fuzztime := flag.String("fuzztime", "30s", "go test -fuzztime for each target")
	minimize := flag.String("minimizetime", "1000x", "go test -fuzzminimizetime: bounds the minimization of each new input, which otherwise stalls the search for up to a minute at a time")
	extra := flag.String("flags", "", "more go test flags, space-separated (e.g. -parallel=1)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: fuzz [flags] TARGET...")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	goCmd := os.Getenv("GO")
	if goCmd == "" {
		goCmd = "go"
	}
	var summary []string
	status := 0
	for _, target := range flag.Args() {
		fmt.Printf("== %s for %s\n", target, *fuzztime)
		args := append([]string{"test", *pkg, "-run", "^$", "-fuzz", "^" + target + "$",
			"-fuzztime", *fuzztime, "-fuzzminimizetime", *minimize}, strings.Fields(*extra)...)
		cmd := exec.CommandContext(ctx, goCmd, args...)
		st := &stats{}
		cmd.Stdout = io.MultiWriter(os.Stdout, st)
		cmd.Stderr = cmd.Stdout
		err := cmd.Run()
		summary = append(summary, st.summary(target, err == nil))
		if err != nil {
			status = 1
			var exit *exec.ExitError
			if errors.As(err, &exit) && exit.ExitCode() > 0 {
				status = exit.ExitCode()
			}
			break
		}
	}
	for _, line := range summary {
		fmt.Println(line)
	}
	os.Exit(status)
}

// statusLine matches go test's fuzzing status line, e.g.
// "fuzz: elapsed: 1m0s, execs: 123456 (2057/sec), new interesting: 3 (total: 40)".
var statusLine = regexp.MustCompile(`(?m)^fuzz: elapsed: (\S+), execs: (\d+) `)

// stats keeps the last status line of the output written to it.
type stats struct {
	elapsed time.Duration
	execs   int64
	tail    []byte // an unfinished line
}

func (s *stats) Write(b []byte) (int, error) {
	text := append(s.tail, b...)
	end := bytes.LastIndexByte(text, '\n') + 1
	for _, m := range statusLine.FindAllSubmatch(text[:end], -1) {
		d, err1 := time.ParseDuration(string(m[1]))
		n, err2 := strconv.ParseInt(string(m[2]), 10, 64)
		if err1 == nil && err2 == nil {
			s.elapsed, s.execs = d, n
		}
	}
	s.tail = bytes.Clone(text[end:])
	return len(b), nil
}

func (s *stats) summary(target string, ok bool) string {
	result := "ok"
	if !ok {
		result = "FAIL"
	}
	secs := int64(s.elapsed.Seconds())
	rate := int64(0)
	if secs > 0 {
		rate = s.execs / secs
	}
	return fmt.Sprintf("FUZZ target=%s execs=%d seconds=%d execs/s=%d result=%s", target, s.execs, secs, rate, result)
}
