package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The per-mutant suite of a shard is its stages, run one after the other:
// `go test <flags> -run R [-skip S] <pkg>` for each, stopping at the first
// that fails. gremlins runs `go test -timeout T -failfast ./...`; mutate
// puts itself first in gremlins' PATH under the name go, and, as that go,
// runs the shard's stages with gremlins' flags instead (goShim). Retest
// runs the same stages the same way. The first stages are the unit tests,
// which kill most mutants in a fraction of a second, so that the property
// engines run (and are built) only for the mutants that get past them.

// Environment of mutate's go, set for gremlins.
const (
	envRealGo = "NETBUF_MUTATE_GO"     // the go command the stages run
	envShard  = "NETBUF_MUTATE_SHARD"  // the shard whose stages replace ./...
	envLimits = "NETBUF_MUTATE_LIMITS" // each stage's -timeout, comma-separated
	envSrc    = "NETBUF_MUTATE_SRC"    // the unmutated copy, to find the mutated line
	envDir    = "NETBUF_MUTATE_DIR"    // the mutated directory, relative to the module root
	envRuns   = "NETBUF_MUTATE_RUNS"   // the file that records each mutant's run
)

// A stage's limit is its tests' time on the unmutated code times the
// timeout coefficient, and at least minLimit: a mutant whose tests run
// past it hangs (typically a loop that no longer ends). go test's -timeout
// enforces it on the test binary alone, not on the build. gremlins' own
// timeout (the coefficient times its coverage run) stays as a backstop.
const minLimit = 15 * time.Second

// buildAllowance is what a mutant's run may spend beyond its stages'
// limits: building netbuf and the stages' test binaries.
const buildAllowance = time.Minute

// runTimeout bounds a mutant's whole run: every stage to its limit, and
// the builds. Only a run whose builds crawl reaches it; a hang stops at
// its stage's limit.
func runTimeout(s *Shard) time.Duration {
	d := buildAllowance
	for _, l := range s.limits {
		d += l
	}
	return d
}

// gremlinsCoefficient is gremlins' --timeout-coefficient for the shard:
// gremlins gives each mutant that many times its coverage run, which takes
// about the stages' time on the unmutated code (more, with coverage), so
// that its timeout is at least runTimeout, a backstop. At least min.
func gremlinsCoefficient(s *Shard, min int) int {
	var sum time.Duration
	for _, t := range s.times {
		sum += t
	}
	sum = max(sum, time.Second)
	return max(min, int((runTimeout(s)+sum-1)/sum))
}

// hungMark is how a test binary reports its -timeout.
const hungMark = "panic: test timed out after"

// stageRun is the outcome of runStages.
type stageRun struct {
	err   error // the first failing stage's
	stage int   // that stage's index, or -1
	hung  bool  // its tests ran past the stage's limit
}

// runStages runs the shard's stages in dir with flags (go test's, before
// -run), writing go's output to out. With all false it stops at the first
// stage that fails; with all true (coverage) it runs every stage. Each
// stage's -timeout is the stage's limit if it has one and it is shorter.
// stageFlags, if not nil, may rewrite each stage's flags.
func runStages(ctx context.Context, goCmd, dir string, s *Shard, flags []string, all bool, out io.Writer, stageFlags func(i int, flags []string) []string) stageRun {
	res := stageRun{stage: -1}
	for i, st := range s.Stages {
		f := slices.Clone(flags)
		if stageFlags != nil {
			f = stageFlags(i, f)
		}
		if i < len(s.limits) {
			f = withTimeout(f, s.limits[i])
		}
		// No vet: it checks the source, which `make test` vets, not the
		// behaviour, and costs a vet of netbuf's tests per mutant.
		args := append(append([]string{"test", "-vet=off"}, f...), "-run", st.Run)
		if st.Skip != "" {
			args = append(args, "-skip", st.Skip)
		}
		args = append(args, st.Pkg)
		cmd := exec.CommandContext(ctx, goCmd, args...)
		cmd.Dir = dir
		tail := &tailBuffer{max: 64 << 10}
		cmd.Stdout = io.MultiWriter(out, tail)
		cmd.Stderr = cmd.Stdout
		cmd.Env = append(os.Environ(), s.Env...)
		cmd.WaitDelay = 5 * time.Second
		dieWithParent(cmd)
		err := cmd.Run()
		if err != nil && res.err == nil {
			res.err, res.stage = err, i
			res.hung = strings.Contains(tail.String(), hungMark) && !strings.Contains(tail.String(), "--- FAIL")
		}
		if err != nil && (!all || ctx.Err() != nil) {
			break
		}
	}
	return res
}

// withTimeout sets -timeout in flags to d, unless it is already shorter.
func withTimeout(flags []string, d time.Duration) []string {
	for i, f := range flags {
		if f == "-timeout" && i+1 < len(flags) {
			if cur, err := time.ParseDuration(flags[i+1]); err == nil && cur <= d {
				return flags
			}
			flags[i+1] = d.String()
			return flags
		}
	}
	return append(flags, "-timeout", d.String())
}

// tailBuffer keeps the last max bytes written to it (at least).
type tailBuffer struct {
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }

// goShim is main when mutate runs as gremlins' go: `go test ... ./...`
// runs the shard's stages instead of ./..., anything else runs the real
// go. It returns the exit status: the failing stage's (1 when a test
// fails, which gremlins counts as KILLED), else 0. A mutant whose tests
// run is recorded (see recordRun): which stage killed it, or whether it
// hung, which mutate counts as TIMED OUT.
func goShim(args []string) int {
	realGo := os.Getenv(envRealGo)
	s := shardByName(os.Getenv(envShard))
	n := len(args)
	if s == nil || n < 2 || args[0] != "test" || args[n-1] != "./..." {
		return passThrough(realGo, args)
	}
	limits, err := parseLimits(os.Getenv(envLimits))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate (as go):", err)
		return 2
	}
	sh := *s
	flags := args[1 : n-1]
	if i := slices.Index(flags, "-coverprofile"); i >= 0 && i+1 < len(flags) {
		return exitStatus(coverStages(realGo, &sh, flags, i+1))
	}
	sh.limits = limits
	r := runStages(context.Background(), realGo, ".", &sh, flags, false, os.Stdout, nil)
	if err := recordRun(os.Getenv(envRuns), os.Getenv(envSrc), os.Getenv(envDir), &sh, r); err != nil {
		fmt.Fprintln(os.Stderr, "mutate (as go): recording the run:", err)
	}
	return exitStatus(r.err)
}

// parseLimits reads envLimits.
func parseLimits(v string) ([]time.Duration, error) {
	if v == "" {
		return nil, nil
	}
	var out []time.Duration
	for _, f := range strings.Split(v, ",") {
		d, err := time.ParseDuration(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", envLimits, err)
		}
		out = append(out, d)
	}
	return out, nil
}

func formatLimits(ds []time.Duration) string {
	var fs []string
	for _, d := range ds {
		fs = append(fs, d.String())
	}
	return strings.Join(fs, ",")
}

// recordRun appends one line about the run in the working copy (the
// current directory) to the runs file: the mutated file, the position of
// the mutated operator, the stage that failed (0 if none, else 1-based),
// whether it hung, and the operator put there. gremlins only sees go
// test's exit status: a hang is a failed go test, KILLED; mutate finds the
// mutant by its position and operator and counts it TIMED OUT, and counts
// the kills per stage. Appends of one short line are atomic, so gremlins'
// workers share the file.
func recordRun(runs, src, dir string, s *Shard, r stageRun) error {
	if runs == "" || src == "" {
		return errors.New("no runs file or source copy in the environment")
	}
	files, err := sourceFiles(dir)
	if err != nil {
		return err
	}
	for _, f := range s.mine(files) {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return err
		}
		orig, err := os.ReadFile(filepath.Join(src, dir, f))
		if err != nil {
			return err
		}
		line, col, op, ok := changedToken(orig, got)
		if !ok {
			continue
		}
		h, err := os.OpenFile(runs, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(h, "%s %d %d %s %d %t\n", filepath.ToSlash(filepath.Join(dir, f)), line, col, op, r.stage+1, r.hung)
		if cerr := h.Close(); err == nil {
			err = cerr
		}
		return err
	}
	return nil // the unmutated suite (gremlins runs none but its coverage run)
}

// changedToken returns the position in a (line and byte column, 1-based)
// of the first token where b differs from a, and that token in b. gremlins
// writes a mutated file back through go/printer, which may change the
// layout elsewhere, and adds parentheses where the new operator binds
// differently (a || b && c for a && b && c): tokens, not lines, are
// compared, parentheses left out.
func changedToken(a, b []byte) (line, col int, tok string, ok bool) {
	scan := func(src []byte) func() (token.Pos, token.Token, string) {
		var sc scanner.Scanner
		sc.Init(token.NewFileSet().AddFile("", -1, len(src)), src, nil, 0)
		return func() (token.Pos, token.Token, string) {
			for {
				p, t, l := sc.Scan()
				if t != token.LPAREN && t != token.RPAREN {
					return p, t, l
				}
			}
		}
	}
	sa, sb := scan(a), scan(b)
	for {
		pa, ta, la := sa()
		_, tb, lb := sb()
		if ta != tb || la != lb {
			p := tokenPos(a, pa)
			text := lb
			if text == "" || tb.IsOperator() {
				text = tb.String()
			}
			return p.Line, p.Column, text, true
		}
		if ta == token.EOF {
			return 0, 0, "", false
		}
	}
}

// tokenPos converts an offset-based position of a scan of src (a file
// based at 1) to a line and byte column.
func tokenPos(src []byte, p token.Pos) token.Position {
	off := int(p) - 1
	line := 1 + strings.Count(string(src[:off]), "\n")
	col := off - strings.LastIndexByte(string(src[:off]), '\n')
	return token.Position{Line: line, Column: col}
}

// Run is a line of the runs file.
type Run struct {
	File      string
	Line, Col int
	Op        string // the operator the mutant put there
	Stage     int    // 1-based; 0: every stage passed
	Hung      bool
}

// readRuns reads the runs file; a missing file has no runs.
func readRuns(path string) ([]Run, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Run
	for l := range strings.Lines(string(b)) {
		var r Run
		if _, err := fmt.Sscanf(l, "%s %d %d %s %d %t", &r.File, &r.Line, &r.Col, &r.Op, &r.Stage, &r.Hung); err != nil {
			return nil, fmt.Errorf("%s: %q: %w", path, l, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// applyRuns matches the runs to the mutants by position and operator: it
// sets each mutant's Stage, and TIMED OUT on the KILLED ones that hung. It
// returns how many hung. Two mutators that put the same operator at the
// same place make the same program, and share the run.
func applyRuns(ms []Mutant, runs []Run) int {
	type key struct {
		file      string
		line, col int
		op        string
	}
	byKey := map[key]Run{}
	for _, r := range runs {
		byKey[key{r.File, r.Line, r.Col, r.Op}] = r
	}
	hung := 0
	for i := range ms {
		m := &ms[i]
		op := m.Text[strings.Index(m.Text, markOpen)+len(markOpen) : strings.Index(m.Text, markClose)]
		r, ok := byKey[key{m.File, m.Line, m.Col, swaps[m.Mutator][tokens[op]].String()}]
		if !ok {
			continue
		}
		m.Stage = r.Stage
		if r.Hung && m.Status == killed {
			m.Status = timedOut
			hung++
		}
	}
	return hung
}

// coverStages is gremlins' coverage run over the stages: every stage
// writes its own profile, merged into the one gremlins asked for (the
// flag value at flags[at]).
func coverStages(realGo string, s *Shard, flags []string, at int) error {
	profile := flags[at]
	parts := make([]string, len(s.Stages))
	err := runStages(context.Background(), realGo, ".", s, flags, true, os.Stdout, func(i int, f []string) []string {
		parts[i] = fmt.Sprintf("%s.stage%d", profile, i)
		f[at] = parts[i]
		return f
	}).err
	if merr := mergeProfiles(profile, parts); err == nil {
		err = merr
	}
	return err
}

// mergeProfiles writes the cover profiles parts, one after the other with
// one mode line, to dst. A block that several parts list is merged by
// whoever reads the profile, as for `go test -coverpkg` over several
// packages.
func mergeProfiles(dst string, parts []string) error {
	var b strings.Builder
	for _, p := range parts {
		f, err := os.Open(p)
		if err != nil {
			continue // the stage failed before writing it
		}
		sc := bufio.NewScanner(f)
		for first := true; sc.Scan(); first = false {
			line := sc.Text()
			if first && strings.HasPrefix(line, "mode:") {
				if b.Len() > 0 {
					continue
				}
			}
			b.WriteString(line + "\n")
		}
		f.Close()
		os.Remove(p)
		if err := sc.Err(); err != nil {
			return err
		}
	}
	return os.WriteFile(dst, []byte(b.String()), 0o644)
}

// passThrough runs the real go with args, as gremlins asked.
func passThrough(realGo string, args []string) int {
	cmd := exec.Command(realGo, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	dieWithParent(cmd)
	return exitStatus(cmd.Run())
}

func exitStatus(err error) int {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode()
	default:
		fmt.Fprintln(os.Stderr, "mutate (as go):", err)
		return 1
	}
}

// installShim makes bin/go run this program as gremlins' go and returns
// gremlins' environment: bin first in PATH, the real go, the shard and its
// stages' limits.
func installShim(bin, realGo string, s *Shard) ([]string, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return nil, err
	}
	link := filepath.Join(bin, "go")
	os.Remove(link)
	if err := os.Symlink(self, link); err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		envRealGo+"="+realGo,
		envShard+"="+s.Name,
		envLimits+"="+formatLimits(s.limits))
	return append(env, s.Env...), nil
}

// isShim reports whether this process is gremlins' go.
func isShim() bool {
	return filepath.Base(os.Args[0]) == "go" && os.Getenv(envRealGo) != ""
}
