// Command mutate is `make mutate`: mutation testing of the library netbuf/
// with gremlins, pinned, in integration mode, then a check of the result
// against the equivalents file and the gate.
//
// For each mutant, `go test -failfast ./...` runs every test that verifies
// the library: netbuf's unit tests and examples, the model's tests, the
// property suite, the regression replay of the scenario corpus, the fuzz
// targets' seeds, and whatever package the module grows. What runs per
// mutant, and why (documented reductions, nothing else):
//
//   - The module is copied to a scratch directory without netbuf/udp (socket
//     code: its loopback tests wait on the network, and it is not the
//     library under test, so its files are not mutated), cmd/ (tools, whose
//     tests check the tools), docs/ and hidden directories, and without
//     rapid's saved fail files (left from a local failure; every run of a
//     property replays them first). Every other package is in the copy, so
//     a new package of tests joins the per-mutant suite without a change
//     here. gremlins runs `./...` in that copy.
//   - Fixed seeds (RAPID_SEED, NETBUF_GOPTER_SEED): every run draws the same
//     cases, so a mutant's fate, the efficacy and the equivalents list are
//     reproducible. Case counts are those of `make test` (scale 1).
//   - RAPID_SHRINKTIME and RAPID_NOFAILFILE: a mutant is killed by the first
//     failure; shrinking it, or saving a fail file that the next mutant in
//     the same copy would replay, is wasted (or order-dependent) work.
//   - No -race: the race detector checks concurrency, which mutating an
//     operator does not change; `make test` runs the suite under -race.
//
// gremlins does not announce how many mutants it will run, so mutate counts
// them first (the same operators, the same mutators) and prefixes each of
// gremlins' per-mutant lines with its progress, "mutate 57/204".
//
// Then every surviving mutant is checked against the equivalents file; the
// mutants gremlins reports NOT COVERED (case-clause expressions) or TIMED
// OUT are run again the same way first (see retest.go). The gate fails
// (exit status 1) if the efficacy is below the threshold, if a survivor is
// neither killed nor listed as equivalent, or if an entry of the
// equivalents file no longer describes a surviving mutant. The last line is
// a summary for `make verify`:
//
//	MUTATE killed=198 lived=6 equivalent=6 unexplained=0 ... efficacy=97.06% result=PASS
//
// Usage, from the module root:
//
//	go run ./cmd/mutate [-workers 2] [-threshold 95] [-keep dir]
//	go run ./cmd/mutate -report dir/gremlins.json -log dir/gremlins.log
//
// The second form checks a kept report again without running gremlins.
// The GO environment variable names the go command (default go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// gremlinsVersion is the pinned mutation tester.
const (
	gremlinsPkg     = "github.com/go-gremlins/gremlins/cmd/gremlins"
	gremlinsVersion = "v0.6.0"
)

// seeds and settings for every run of the suite; the caller's value wins
// for the seeds and the shrink time.
var suiteEnv = []struct{ key, value string }{
	{"RAPID_SEED", "20261125"},
	{"NETBUF_GOPTER_SEED", "20261125"},
	{"RAPID_SHRINKTIME", "100ms"},
}

// unsetEnv would change what the suite runs (scale, seed corpus, flags).
var unsetEnv = []string{"NETBUF_PROPERTY_SCALE", "NETBUF_FUZZ_SEEDS", "GOFLAGS"}

func main() {
	var (
		dir        = flag.String("dir", "netbuf", "package directory to mutate, relative to the module root")
		equivPath  = flag.String("equivalents", "cmd/mutate/equivalent.txt", "equivalents file")
		threshold  = flag.Float64("threshold", 95, "minimum efficacy in percent")
		workers    = flag.Int("workers", 2, "gremlins workers, and parallel retests")
		coeff      = flag.Int("timeout-coefficient", 5, "a mutant's run may take this many times the baseline run (with gremlins' default, 3, load can push a slow survivor to TIMED OUT, which hides it from the equivalents check)")
		retest     = flag.Bool("retest", true, "run the mutants gremlins reports NOT COVERED (case-clause expressions) or TIMED OUT again")
		keep       = flag.String("keep", "", "directory to keep gremlins' JSON report and log in")
		reportPath = flag.String("report", "", "check this gremlins JSON report instead of running gremlins")
		logPath    = flag.String("log", "", "with -report: gremlins' log, for its baseline run time")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, options{
		dir: *dir, equivalents: *equivPath, threshold: *threshold, workers: max(*workers, 1),
		coefficient: *coeff, retest: *retest, keep: *keep, report: *reportPath, log: *logPath,
	}))
}

type options struct {
	dir, equivalents string
	threshold        float64
	workers          int
	coefficient      int
	retest           bool
	keep             string
	report, log      string // a kept run to check instead of running gremlins
}

// run is main's body; it returns the exit status.
func run(ctx context.Context, o options) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		return 2
	}
	if _, err := os.Stat("go.mod"); err != nil {
		return fail(errors.New("run from the module root (no go.mod here)"))
	}
	// Read the equivalents first: a typo fails now, not after the run.
	entries, err := readEquivalents(o.equivalents)
	if err != nil {
		return fail(err)
	}
	work, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	if err := copyModule(src, "."); err != nil {
		return fail(fmt.Errorf("copying the module: %w", err))
	}
	for _, kv := range suiteEnv {
		if os.Getenv(kv.key) == "" {
			os.Setenv(kv.key, kv.value)
		}
	}
	os.Setenv("RAPID_NOFAILFILE", "1")
	for _, k := range unsetEnv {
		os.Unsetenv(k)
	}

	var wall time.Duration
	if o.report == "" {
		o.report, o.log = filepath.Join(work, "gremlins.json"), filepath.Join(work, "gremlins.log")
		wall, err = runGremlins(ctx, work, src, o)
		if o.keep != "" {
			if kerr := keepFiles(o.keep, o.report, o.log); kerr != nil {
				fmt.Fprintln(os.Stderr, "mutate:", kerr)
			}
		}
		if ctx.Err() != nil {
			fmt.Fprintln(os.Stderr, "mutate: interrupted")
			return 130
		}
		if err != nil {
			return fail(err)
		}
	}

	mutants, err := load(o.report, src, o.dir)
	if err != nil {
		return fail(err)
	}
	gremlins := map[string]int{}
	var again []*Mutant
	for i, m := range mutants {
		gremlins[m.Status]++
		if m.Status == notCovered || m.Status == timedOut {
			again = append(again, &mutants[i])
		}
	}
	if o.retest {
		t0 := time.Now()
		if err := Retest(ctx, again, src, o.workers, o.coefficient, coverageTime(o.log), os.Stdout); err != nil {
			return fail(fmt.Errorf("retest: %w", err))
		}
		if len(again) > 0 {
			fmt.Printf("retest wall time %s\n", time.Since(t0).Round(time.Second))
		}
	}
	res := Assess(mutants, entries, o.threshold)
	res.Gremlins = gremlins
	res.Print(os.Stdout, o.equivalents, wall, o.workers)
	if !res.Pass() {
		return 1
	}
	return 0
}

func readEquivalents(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := ParseEquivalents(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}

// runGremlins installs the pinned gremlins in work/bin and runs it over
// o.dir in the copy at src, writing its JSON report to o.report and its
// output to o.log and (with progress) to stdout. It returns gremlins' wall
// time.
func runGremlins(ctx context.Context, work, src string, o options) (time.Duration, error) {
	goCmd := goCommand()
	install := exec.CommandContext(ctx, goCmd, "install", gremlinsPkg+"@"+gremlinsVersion)
	install.Env = append(os.Environ(), "GOBIN="+filepath.Join(work, "bin"))
	install.Stdout, install.Stderr = os.Stderr, os.Stderr
	if err := install.Run(); err != nil {
		return 0, fmt.Errorf("installing gremlins %s: %w", gremlinsVersion, err)
	}
	total, err := countMutants(filepath.Join(src, o.dir))
	if err != nil {
		return 0, err
	}
	// Fail in seconds, not after gremlins' coverage run, if the suite
	// does not build (the per-mutant runs reuse what this compiles).
	build := exec.CommandContext(ctx, goCmd, "test", "-count=1", "-run", "^$", "./...")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("the unmutated suite does not build: %w\n%s", err, out)
	}
	list := exec.Command(goCmd, "list", "./...")
	list.Dir = src
	pkgs, err := list.Output()
	if err != nil {
		return 0, fmt.Errorf("go list in the copy: %w", err)
	}
	fmt.Printf("== mutate: gremlins %s over %s/ (%d mutants), %d workers, per-mutant suite: %s\n",
		gremlinsVersion, o.dir, total, o.workers, suiteList(string(pkgs), modulePath(src)))

	args := []string{"unleash", "./" + o.dir, "--integration",
		"--coverpkg", modulePath(src) + "/" + o.dir,
		// gremlins' own gate (equivalents count as survivors) exits 10
		// below it; the check after the run applies it too, and says
		// what lived.
		"--threshold-efficacy", fmt.Sprint(o.threshold),
		"--workers", fmt.Sprint(o.workers), "--timeout-coefficient", fmt.Sprint(o.coefficient),
		"-o", o.report}
	for _, m := range mutatorNames() {
		args = append(args, "--"+strings.ToLower(strings.ReplaceAll(m, "_", "-")))
	}
	cmd := exec.CommandContext(ctx, filepath.Join(work, "bin", "gremlins"), args...)
	cmd.Dir = src
	// gremlins' own scratch copies go under work too, so that they go
	// with it even if gremlins is killed.
	tmp := filepath.Join(work, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return 0, err
	}
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // gremlins stops gracefully
	cmd.WaitDelay = 30 * time.Second
	logFile, err := os.Create(o.log)
	if err != nil {
		return 0, err
	}
	defer logFile.Close()
	p := &progress{total: total, out: os.Stdout, log: logFile}
	cmd.Stdout, cmd.Stderr = p, p
	t0 := time.Now()
	err = cmd.Run()
	wall := time.Since(t0)
	p.flush()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 10 {
		err = nil // below gremlins' threshold: the check reports it
	}
	if err != nil {
		return wall, fmt.Errorf("gremlins: %w", err)
	}
	if fi, err := os.Stat(o.report); err != nil || fi.Size() == 0 {
		return wall, errors.New("gremlins wrote no report")
	}
	if p.done != total {
		fmt.Printf("note: gremlins reported %d mutants, %d were counted beforehand\n", p.done, total)
	}
	return wall, nil
}

func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

// modulePath reads the module path from src/go.mod.
func modulePath(src string) string {
	b, _ := os.ReadFile(filepath.Join(src, "go.mod"))
	for line := range strings.Lines(string(b)) {
		if p, ok := strings.CutPrefix(line, "module "); ok {
			return strings.TrimSpace(p)
		}
	}
	return ""
}

// suiteList shortens `go list` output to "./fuzz ./model ...".
func suiteList(pkgs, module string) string {
	fields := strings.Fields(pkgs)
	for i, f := range fields {
		if rest, ok := strings.CutPrefix(f, module+"/"); ok {
			fields[i] = "./" + rest
		} else if f == module {
			fields[i] = "."
		}
	}
	return strings.Join(fields, " ")
}

func keepFiles(dir string, files ...string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
