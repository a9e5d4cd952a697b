// Command verify is `make verify`: it runs the stages of the verification
// suite one after the other, each a make target, streaming their output,
// and ends with one verdict: a table of every stage with PASS or FAIL and
// its wall time, and under each stage the summary lines it printed (the
// property engines' STATS lines, the FUZZ lines, the MUTATE line). A
// failed stage does not stop the others, so the table is always complete;
// verify exits with status 1 if any stage failed.
//
//	go run ./cmd/verify [-make make] NAME=TARGET...
//
// e.g. gate=test properties=verify-properties fuzz=fuzz-smoke mutation=mutate.
// The make command's flags and variables reach each stage's make through
// MAKEFLAGS, as for any recursive make.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
)

// stage is one step of the suite: a name for the table, a command and
// how the table shows it.
type stage struct {
	name, show string
	args       []string
}

// result is what the table says about a stage.
type result struct {
	stage
	ran     bool
	ok      bool
	wall    time.Duration
	summary []string // summary lines, in order, without repeats
}

func main() {
	makeCmd := flag.String("make", "make", "make command")
	flag.Parse()
	var stages []stage
	for _, arg := range flag.Args() {
		name, target, ok := strings.Cut(arg, "=")
		if !ok || name == "" || target == "" {
			fmt.Fprintf(os.Stderr, "verify: %q: want NAME=TARGET\n", arg)
			os.Exit(2)
		}
		stages = append(stages, stage{name, "make " + target, []string{*makeCmd, "--no-print-directory", target}})
	}
	if len(stages) == 0 {
		fmt.Fprintln(os.Stderr, "usage: verify [-make make] NAME=TARGET...")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	results := runAll(ctx, stages, os.Stdout)
	if !report(os.Stdout, results) {
		os.Exit(1)
	}
}

// runAll runs every stage in turn, its output copied to out, until ctx is
// done.
func runAll(ctx context.Context, stages []stage, out io.Writer) []result {
	var results []result
	for _, st := range stages {
		r := result{stage: st}
		if ctx.Err() == nil {
			fmt.Fprintf(out, "\n== verify: %s (%s)\n", st.name, st.show)
			r = runStage(ctx, st, out)
		}
		results = append(results, r)
	}
	return results
}

func runStage(ctx context.Context, st stage, out io.Writer) result {
	sum := &summaries{}
	cmd := exec.CommandContext(ctx, st.args[0], st.args[1:]...)
	cmd.Stdout = io.MultiWriter(out, sum)
	cmd.Stderr = cmd.Stdout
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = time.Minute
	t0 := time.Now()
	err := cmd.Run()
	sum.Write([]byte("\n")) // the last line, if unfinished
	return result{stage: st, ran: true, ok: err == nil, wall: time.Since(t0), summary: sum.lines}
}

// summaryLine matches a summary line, wherever it starts in an output line
// (go test -v prefixes t.Log output with the file and line).
var summaryLine = regexp.MustCompile(`\b(STATS|FUZZ|MUTATE) [a-z-]+=.*`)

// summaries collects the summary lines written to it.
type summaries struct {
	lines []string
	tail  []byte
}

func (s *summaries) Write(b []byte) (int, error) {
	text := append(s.tail, b...)
	end := bytes.LastIndexByte(text, '\n') + 1
	for _, m := range summaryLine.FindAll(text[:end], -1) {
		line := strings.TrimSpace(string(m))
		if !slices.Contains(s.lines, line) {
			s.lines = append(s.lines, line)
		}
	}
	s.tail = bytes.Clone(text[end:])
	return len(b), nil
}

// report writes the closing table and verdict, and reports whether every
// stage passed.
func report(w io.Writer, results []result) bool {
	rows := [][]string{{"stage", "result", "wall", "command"}}
	var total time.Duration
	var failed []string
	for _, r := range results {
		verdict, wall := "PASS", "-"
		switch {
		case !r.ran:
			verdict = "NOT RUN"
		case !r.ok:
			verdict = "FAIL"
		}
		if verdict != "PASS" {
			failed = append(failed, r.name)
		}
		if r.ran {
			wall = r.wall.Round(time.Second).String()
			total += r.wall
		}
		rows = append(rows, []string{r.name, verdict, wall, r.show})
	}
	rows = append(rows, []string{"total", "", total.Round(time.Second).String(), ""})
	width := make([]int, 3)
	for _, row := range rows {
		for i := range width {
			width[i] = max(width[i], len(row[i]))
		}
	}
	line := func(row []string) {
		text := fmt.Sprintf("%-*s  %-*s  %*s  %s", width[0], row[0], width[1], row[1], width[2], row[2], row[3])
		fmt.Fprintln(w, strings.TrimRight(text, " "))
	}
	fmt.Fprintln(w, "\n== verify: verdict")
	line(rows[0])
	for i, r := range results {
		line(rows[i+1])
		for _, s := range r.summary {
			fmt.Fprintf(w, "%*s%s\n", width[0]+2, "", s)
		}
	}
	line(rows[len(rows)-1])
	if len(failed) > 0 {
		fmt.Fprintf(w, "verify: FAIL (%s)\n", strings.Join(failed, ", "))
		return false
	}
	fmt.Fprintf(w, "verify: PASS (%d stages)\n", len(results))
	return true
}
