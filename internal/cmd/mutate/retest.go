package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Retesting the mutants gremlins reports NOT COVERED.
//
// gremlins decides "covered" by locating a mutant's position inside a block
// of the coverage profile, and Go's cover tool puts no block around the
// expression of a case clause: in `switch { case maxSize < 0: ... }` the
// clause's body is a block, `maxSize < 0` is not. So every mutant of a case
// expression is NOT COVERED however often the tests run it, which hides the
// error-order checks of reserveSlow, PopWith, Pop, PushBatch and every test
// in Check. These mutants are run here, the way gremlins runs the others:
// the same operator swap, the shard's stages with -failfast in a copy of
// the module (suite.go), the same environment.
//
// The mutants gremlins reports TIMED OUT, and those whose tests ran past a
// stage's limit, are run again too, with twice the limits: a load spike
// can push a surviving mutant past them. A run that passes is LIVED, and
// then needs an entry like any other survivor; a run that reaches the
// timeout after a test has failed is KILLED; one that hangs again stays
// TIMED OUT.

// swaps is gremlins v0.6.0's table (internal/engine/mappings.go): the token
// each mutator puts in place of each token.
var swaps = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE":         {token.ADD: token.SUB, token.MUL: token.QUO, token.QUO: token.MUL, token.REM: token.MUL, token.SUB: token.ADD},
	"CONDITIONALS_BOUNDARY":   {token.GEQ: token.GTR, token.GTR: token.GEQ, token.LEQ: token.LSS, token.LSS: token.LEQ},
	"CONDITIONALS_NEGATION":   {token.EQL: token.NEQ, token.GEQ: token.LSS, token.GTR: token.LEQ, token.LEQ: token.GTR, token.LSS: token.GEQ, token.NEQ: token.EQL},
	"INCREMENT_DECREMENT":     {token.DEC: token.INC, token.INC: token.DEC},
	"INVERT_ASSIGNMENTS":      {token.ADD_ASSIGN: token.SUB_ASSIGN, token.MUL_ASSIGN: token.QUO_ASSIGN, token.QUO_ASSIGN: token.MUL_ASSIGN, token.REM_ASSIGN: token.REM_ASSIGN, token.SUB_ASSIGN: token.ADD_ASSIGN},
	"INVERT_BITWISE":          {token.AND: token.OR, token.OR: token.AND, token.XOR: token.AND, token.AND_NOT: token.AND, token.SHL: token.SHR, token.SHR: token.SHL},
	"INVERT_BWASSIGN":         {token.AND_ASSIGN: token.OR_ASSIGN, token.OR_ASSIGN: token.AND_ASSIGN, token.XOR_ASSIGN: token.AND_ASSIGN, token.AND_NOT_ASSIGN: token.AND_ASSIGN, token.SHL_ASSIGN: token.SHR_ASSIGN, token.SHR_ASSIGN: token.SHL_ASSIGN},
	"INVERT_LOGICAL":          {token.LAND: token.LOR, token.LOR: token.LAND},
	"INVERT_LOOPCTRL":         {token.BREAK: token.CONTINUE, token.CONTINUE: token.BREAK},
	"INVERT_NEGATIVES":        {token.SUB: token.ADD},
	"REMOVE_SELF_ASSIGNMENTS": {token.ADD_ASSIGN: token.ASSIGN, token.AND_ASSIGN: token.ASSIGN, token.AND_NOT_ASSIGN: token.ASSIGN, token.MUL_ASSIGN: token.ASSIGN, token.OR_ASSIGN: token.ASSIGN, token.QUO_ASSIGN: token.ASSIGN, token.REM_ASSIGN: token.ASSIGN, token.SHL_ASSIGN: token.ASSIGN, token.SHR_ASSIGN: token.ASSIGN, token.SUB_ASSIGN: token.ASSIGN, token.XOR_ASSIGN: token.ASSIGN},
}

// tokens maps an operator's text back to its token.
var tokens = func() map[string]token.Token {
	m := map[string]token.Token{}
	for tok := token.ADD; tok <= token.TILDE; tok++ {
		m[tok.String()] = tok
	}
	m["break"], m["continue"] = token.BREAK, token.CONTINUE
	return m
}()

// mutate returns src (a whole file) with the operator at line:col replaced
// as mutator does it.
func mutate(src []byte, line, col int, mutator string) ([]byte, error) {
	lines := bytes.SplitAfter(src, []byte("\n"))
	if line < 1 || line > len(lines) {
		return nil, fmt.Errorf("no line %d", line)
	}
	marked, err := markToken(string(bytes.TrimRight(lines[line-1], "\n")), col)
	if err != nil {
		return nil, err
	}
	op := marked[strings.Index(marked, markOpen)+len(markOpen) : strings.Index(marked, markClose)]
	to, ok := swaps[mutator][tokens[op]]
	if !ok {
		return nil, fmt.Errorf("%s does not apply to %q", mutator, op)
	}
	off := col - 1
	for _, l := range lines[:line-1] {
		off += len(l)
	}
	out := append([]byte{}, src[:off]...)
	out = append(out, to.String()...)
	return append(out, src[off+len(op):]...), nil
}

// Retest runs each mutant of ms in a copy of the module at src against
// the shard's stages, with `workers` copies in parallel, and sets its
// Status and Retested. A mutant whose tests run past a stage's limit, or
// whose whole run exceeds runTimeout(s), is TIMED OUT; one that does not
// build is NOT VIABLE. It stops early when ctx is done.
func Retest(ctx context.Context, ms []*Mutant, src string, s *Shard, workers int, log io.Writer) error {
	if len(ms) == 0 {
		return nil
	}
	tmp, err := os.MkdirTemp("", "mutation-retest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dirs := make([]string, max(1, min(workers, len(ms))))
	for i := range dirs {
		dirs[i] = filepath.Join(tmp, fmt.Sprint("w", i))
		if err := os.CopyFS(dirs[i], os.DirFS(src)); err != nil {
			return fmt.Errorf("copying %s: %w", src, err)
		}
	}
	if status, _, out := runSuite(ctx, dirs[0], s, time.Hour); status != lived {
		return fmt.Errorf("the unmutated suite does not pass (%s):\n%s", status, out)
	}
	timeout := runTimeout(s)
	fmt.Fprintf(log, "retesting %d mutants that gremlins reports NOT COVERED (case-clause expressions) or TIMED OUT, %d workers, stage limits %s, timeout %s each\n",
		len(ms), len(dirs), formatLimits(s.limits), timeout.Round(time.Second))
	jobs := make(chan *Mutant)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	done := 0
	for _, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range jobs {
				status, stage, err := retestOne(ctx, dir, s, m, timeout)
				mu.Lock()
				done++
				if err != nil && firstErr == nil {
					firstErr = err
				}
				m.Was, m.Status, m.Retested, m.Stage = m.Status, status, true, stage
				was := ""
				if m.Was == timedOut {
					was = " (TIMED OUT in gremlins)"
				}
				fmt.Fprintf(log, "retest %*d/%d %12s %s at %s%s\n", len(fmt.Sprint(len(ms))), done, len(ms), status, m.Mutator, m.pos(), was)
				mu.Unlock()
			}
		}()
	}
	for _, m := range ms {
		if ctx.Err() != nil {
			break
		}
		jobs <- m
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// retestOne applies m in the copy at dir, runs the suite and restores the
// file.
func retestOne(ctx context.Context, dir string, s *Shard, m *Mutant, timeout time.Duration) (string, int, error) {
	file := filepath.Join(dir, filepath.FromSlash(m.File))
	orig, err := os.ReadFile(file)
	if err != nil {
		return notCovered, 0, err
	}
	mutated, err := mutate(orig, m.Line, m.Col, m.Mutator)
	if err != nil {
		return notCovered, 0, fmt.Errorf("%s %s: %w", m.pos(), m.Mutator, err)
	}
	if err := os.WriteFile(file, mutated, 0o644); err != nil {
		return notCovered, 0, err
	}
	defer os.WriteFile(file, orig, 0o644)
	status, stage, _ := runSuite(ctx, dir, s, timeout)
	return status, stage, nil
}

// failed matches go test's report of a failed test or package.
var failed = regexp.MustCompile(`(?m)^(--- FAIL|FAIL\t)`)

// runSuite runs the shard's stages in dir with -failfast and their limits,
// as gremlins does through mutate's go, and classifies the outcome: a
// stage past its limit is TIMED OUT.
// The stage is the failing one (1-based), 0 if none failed.
func runSuite(parent context.Context, dir string, s *Shard, timeout time.Duration) (status string, stage int, output string) {
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	var out bytes.Buffer
	r := runStages(ctx, goCommand(), dir, s, []string{"-timeout", (timeout + 2*time.Second).String(), "-failfast"}, false, &out, nil)
	if r.hung {
		return timedOut, r.stage + 1, out.String() // past the stage's limit
	}
	return classify(errors.Is(ctx.Err(), context.DeadlineExceeded), r.err, out.Bytes()), r.stage + 1, out.String()
}

// classify names the outcome of a suite run: it reached the timeout or
// ended with err, having printed out.
func classify(deadline bool, err error, out []byte) string {
	var exit *exec.ExitError
	switch {
	case deadline && failed.Match(out):
		// A test failed, then went on until the timeout (one that reports
		// an error and then never returns on the broken buffer).
		return killed
	case deadline:
		return timedOut
	case err == nil:
		return lived
	case bytes.Contains(out, []byte("[build failed]")) || bytes.Contains(out, []byte("[setup failed]")):
		return notViable
	case errors.As(err, &exit) && failed.Match(out):
		return killed
	default:
		// The go command failed before any test ran (no module, no
		// package): the mutant was not tested.
		return notViable
	}
}
