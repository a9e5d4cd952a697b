// Command mutate is `make mutate`: mutation testing of the library netbuf/
// with gremlins, pinned, in integration mode, then a check of the result
// against the equivalents file and the gate.
//
// The library is split into shards by concept (shards.go): ring+unordered,
// ordered, spsc. Each shard has its own files, the only ones gremlins
// mutates in its run, and its own per-mutant suite: the tests that verify
// those files, as stages that run cheapest first and stop at the first
// failure (netbuf's unit tests and examples, the fuzz seeds, the corpus
// replay, the property engines). gremlins runs `go test -failfast ./...`
// per mutant; mutate is the go in gremlins' PATH and runs the shard's
// stages instead (suite.go). The shards run one after the other, each
// gated on its own; every Go file of netbuf/ must be in exactly one.
//
// What runs per mutant, and why (documented reductions, nothing else):
//
//   - Only the shard's stages: a mutant of the OrderedBuffer cannot be seen
//     by the unordered property engines, and the tests of the suite itself
//     (the broken-buffer children, the gopter engine's shrinking, the
//     parser, the codec), of the model and of the benchmark harness check
//     those, not the library.
//   - The first failing stage ends the run: most mutants die in the unit
//     tests, and the property engines are then neither built nor run.
//   - Each stage's tests have a limit: 5 times (-timeout-coefficient) their
//     time on the unmutated code, and at least 15 s. A mutant past it
//     hangs (a loop that no longer ends) and is TIMED OUT in seconds, not
//     after a timeout sized for the whole suite.
//   - No vet in go test: vet checks the source, which `make test` vets.
//   - The module is copied to a scratch directory without netbuf/udp
//     (socket code, not the library under test), cmd/, docs/, hidden
//     directories and rapid's saved fail files (every run of a property
//     replays them first).
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
// gremlins' per-mutant lines with its progress, "mutate ordered 57/280".
//
// Then every surviving mutant is checked against the equivalents file; the
// mutants gremlins reports NOT COVERED (case-clause expressions) or TIMED
// OUT, and those that hung, are run again the same way first (retest.go).
// A shard fails if its efficacy is below the threshold, if a survivor is
// neither killed nor listed as equivalent, or if an entry of the
// equivalents file on its files no longer describes a surviving mutant.
// Each shard ends with its MUTATE line, and a run of several shards with
// an overall one, the last line, for `make verify`:
//
//	MUTATE shard=ordered mutants=280 killed=270 lived=8 ... result=PASS
//	MUTATE shards=ring+unordered,ordered,spsc mutants=734 ... result=PASS
//
// Usage, from the module root:
//
//	go run ./cmd/mutate [-shard name,...] [-workers 2] [-threshold 95] [-keep dir]
//	go run ./cmd/mutate -shard name -report dir/name.json
//
// The second form checks a kept report (with the runs file beside it)
// again without running gremlins. The GO environment variable names the
// go command (default go).
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
	"slices"
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

// unsetEnv would change what the suite runs (scale, seed corpus, stress
// time, flags).
var unsetEnv = []string{"NETBUF_PROPERTY_SCALE", "NETBUF_FUZZ_SEEDS", "NETBUF_SPSC_STRESS", "GOFLAGS"}

func main() {
	if isShim() {
		os.Exit(goShim(os.Args[1:]))
	}
	var (
		dir        = flag.String("dir", "netbuf", "package directory to mutate, relative to the module root")
		shard      = flag.String("shard", "", "run these shards only, comma-separated ("+shardNames()+"); default every shard, in turn")
		equivPath  = flag.String("equivalents", "cmd/mutate/equivalent.txt", "equivalents file")
		threshold  = flag.Float64("threshold", 95, "minimum efficacy in percent, of every shard")
		workers    = flag.Int("workers", 2, "gremlins workers, and parallel retests")
		coeff      = flag.Int("timeout-coefficient", 5, "a mutant's tests may take this many times the unmutated tests' time in each stage, and at least "+minLimit.String()+" (retests twice that)")
		retest     = flag.Bool("retest", true, "run the mutants gremlins reports NOT COVERED (case-clause expressions) or TIMED OUT again")
		keep       = flag.String("keep", "", "directory to keep each shard's gremlins JSON report and log in (SHARD.json, SHARD.log)")
		reportPath = flag.String("report", "", "with -shard: check this gremlins JSON report (and the runs file beside it) instead of running gremlins")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, options{
		dir: *dir, shard: *shard, equivalents: *equivPath, threshold: *threshold, workers: max(*workers, 1),
		coefficient: *coeff, retest: *retest, keep: *keep, report: *reportPath,
	}))
}

type options struct {
	dir, shard, equivalents string
	threshold               float64
	workers                 int
	coefficient             int
	retest                  bool
	keep                    string
	report                  string // a kept run to check instead of running gremlins
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
	sel, err := selectShards(o.shard)
	if err != nil {
		return fail(err)
	}
	if o.report != "" && len(sel) != 1 {
		return fail(errors.New("-report checks the report of one shard: name it with -shard"))
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
	files, err := sourceFiles(filepath.Join(src, o.dir))
	if err != nil {
		return fail(err)
	}
	if err := checkAssignment(files); err != nil {
		return fail(err)
	}
	orphans := orphanEntries(entries, o.dir)
	for _, kv := range suiteEnv {
		if os.Getenv(kv.key) == "" {
			os.Setenv(kv.key, kv.value)
		}
	}
	os.Setenv("RAPID_NOFAILFILE", "1")
	for _, k := range unsetEnv {
		os.Unsetenv(k)
	}
	if o.report == "" {
		if err := prepare(ctx, work, src, sel); err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(os.Stderr, "mutate: interrupted")
				return 130
			}
			return fail(err)
		}
	}

	t0 := time.Now()
	var results []*Result
	for i := range sel {
		s := &sel[i]
		res, code := runShard(ctx, work, src, s, files, entries, o)
		if code != 0 {
			return code
		}
		results = append(results, res)
	}
	all := Overall(results, orphans, o.threshold, time.Since(t0))
	if len(results) > 1 || len(orphans) > 0 {
		all.Print(os.Stdout)
	}
	if !all.Pass() {
		return 1
	}
	return 0
}

// orphanEntries returns a problem for each entry of the equivalents file
// on a file that no shard mutates: it can never match a mutant.
func orphanEntries(entries []Entry, dir string) []string {
	var out []string
	for _, e := range entries {
		if f := fileOf(dir, e.File); f == "" || shardOf(f) == nil {
			out = append(out, fmt.Sprintf("entry on line %d is on a file that no shard mutates: update or remove it\n    %s", e.Source, e))
		}
	}
	return out
}

// shardEntries returns the entries on the shard's files.
func shardEntries(entries []Entry, dir string, s *Shard) []Entry {
	var out []Entry
	for _, e := range entries {
		if f := fileOf(dir, e.File); f != "" && s.Has(f) {
			out = append(out, e)
		}
	}
	return out
}

// runShard runs gremlins over the shard's files with the shard's suite (or
// reads o.report), retests, checks the survivors against the shard's
// entries and prints the shard's report, ending in its MUTATE line. The
// status is non-zero only if the run could not be made (an error, 2) or
// was interrupted (130); a failed gate is in the Result.
func runShard(ctx context.Context, work, src string, s *Shard, files []string, entries []Entry, o options) (*Result, int) {
	fail := func(err error) (*Result, int) {
		fmt.Fprintf(os.Stderr, "mutate %s: %v\n", s.Name, err)
		return nil, 2
	}
	interrupted := func() (*Result, int) {
		fmt.Fprintln(os.Stderr, "mutate: interrupted")
		return nil, 130
	}
	t0 := time.Now()
	report := o.report
	var wall time.Duration
	if err := measureStages(ctx, src, s, o.coefficient); err != nil {
		if ctx.Err() != nil {
			return interrupted()
		}
		return fail(err)
	}
	if report == "" {
		dir := filepath.Join(work, "shard-"+s.Name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return fail(err)
		}
		report = filepath.Join(dir, "gremlins.json")
		logPath := filepath.Join(dir, "gremlins.log")
		var err error
		wall, err = runGremlins(ctx, work, src, s, files, report, logPath, o)
		if o.keep != "" {
			if kerr := keepFiles(o.keep, report, s.Name+".json", logPath, s.Name+".log", runsFile(report), s.Name+".runs"); kerr != nil {
				fmt.Fprintln(os.Stderr, "mutate:", kerr)
			}
		}
		if ctx.Err() != nil {
			return interrupted()
		}
		if err != nil {
			return fail(err)
		}
	}

	mutants, err := load(report, src, o.dir)
	if err != nil {
		return fail(err)
	}
	runs, err := readRuns(runsFile(report))
	if err != nil {
		return fail(err)
	}
	if n := applyRuns(mutants, runs); n > 0 {
		fmt.Printf("%d mutants that gremlins reports KILLED ran past a stage's limit: TIMED OUT\n", n)
	}
	gremlins := map[string]int{}
	var again []*Mutant
	for i, m := range mutants {
		if f := fileOf(o.dir, m.File); !s.Has(f) {
			return fail(fmt.Errorf("the report has a mutant of %s, which is not in this shard", m.File))
		}
		gremlins[m.Status]++
		if m.Status == notCovered || m.Status == timedOut {
			again = append(again, &mutants[i])
		}
	}
	if o.retest {
		t1 := time.Now()
		twice := *s
		twice.limits = nil
		for _, l := range s.limits {
			twice.limits = append(twice.limits, 2*l)
		}
		if err := Retest(ctx, again, src, &twice, o.workers, os.Stdout); err != nil {
			if ctx.Err() != nil {
				return interrupted()
			}
			return fail(fmt.Errorf("retest: %w", err))
		}
		if len(again) > 0 {
			fmt.Printf("retest wall time %s\n", time.Since(t1).Round(time.Second))
		}
	}
	res := Assess(mutants, shardEntries(entries, o.dir, s), o.threshold)
	res.Shard, res.Gremlins, res.Wall = s.Name, gremlins, time.Since(t0)
	for _, st := range s.Stages {
		res.Stages = append(res.Stages, st.Pkg)
	}
	res.Print(os.Stdout, o.equivalents, wall, o.workers)
	return res, 0
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

// prepare installs the pinned gremlins in work/bin, and fails in seconds,
// not after gremlins' coverage run, if the packages of the shards' suites
// do not build in the copy at src (the per-mutant runs reuse what this
// compiles).
func prepare(ctx context.Context, work, src string, sel []Shard) error {
	goCmd := goCommand()
	install := exec.CommandContext(ctx, goCmd, "install", gremlinsPkg+"@"+gremlinsVersion)
	install.Env = append(os.Environ(), "GOBIN="+filepath.Join(work, "bin"))
	install.Stdout, install.Stderr = os.Stderr, os.Stderr
	if err := install.Run(); err != nil {
		return fmt.Errorf("installing gremlins %s: %w", gremlinsVersion, err)
	}
	var pkgs []string
	for i := range sel {
		for _, p := range sel[i].Packages() {
			if !slices.Contains(pkgs, p) {
				pkgs = append(pkgs, p)
			}
		}
	}
	build := exec.CommandContext(ctx, goCmd, append([]string{"test", "-count=1", "-run", "^$"}, pkgs...)...)
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("the unmutated suite does not build: %w\n%s", err, out)
	}
	return nil
}

// runGremlins runs gremlins over the shard's files of o.dir in the copy at
// src, with the shard's stages as the per-mutant suite (mutate is
// gremlins' go, see suite.go), writing its JSON report to report and its
// output to logPath and (with progress) to stdout. It returns gremlins'
// wall time.
func runGremlins(ctx context.Context, work, src string, s *Shard, files []string, report, logPath string, o options) (time.Duration, error) {
	mine := s.mine(files)
	total, err := countMutants(filepath.Join(src, o.dir), mine)
	if err != nil {
		return 0, err
	}
	fmt.Printf("== mutate %s: gremlins %s over %s/{%s} (%d mutants), %d workers; per mutant, until a stage fails:\n%s",
		s.Name, gremlinsVersion, o.dir, strings.Join(mine, ","), total, o.workers, s.describe())

	args := []string{"unleash", "./" + o.dir, "--integration",
		"--coverpkg", modulePath(src) + "/" + o.dir,
		// gremlins' own gate (equivalents count as survivors) exits 10
		// below it; the check after the run applies it too, and says
		// what lived.
		"--threshold-efficacy", fmt.Sprint(o.threshold),
		"--workers", fmt.Sprint(o.workers), "--timeout-coefficient", fmt.Sprint(gremlinsCoefficient(s, o.coefficient)),
		"-o", report}
	for _, m := range mutatorNames() {
		args = append(args, "--"+strings.ToLower(strings.ReplaceAll(m, "_", "-")))
	}
	for _, x := range s.excludeFiles(files) {
		args = append(args, "--exclude-files", x)
	}
	realGo, err := exec.LookPath(goCommand())
	if err != nil {
		return 0, err
	}
	if realGo, err = filepath.Abs(realGo); err != nil {
		return 0, err
	}
	env, err := installShim(filepath.Join(work, "shim"), realGo, s)
	if err != nil {
		return 0, fmt.Errorf("making mutate gremlins' go: %w", err)
	}
	cmd := exec.CommandContext(ctx, filepath.Join(work, "bin", "gremlins"), args...)
	cmd.Dir = src
	// gremlins' own scratch copies go under work too, so that they go
	// with it even if gremlins is killed.
	tmp := filepath.Join(work, "tmp-"+s.Name)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return 0, err
	}
	cmd.Env = append(env, "TMPDIR="+tmp, envSrc+"="+src, envDir+"="+o.dir, envRuns+"="+runsFile(report))
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // gremlins stops gracefully
	cmd.WaitDelay = 30 * time.Second
	logFile, err := os.Create(logPath)
	if err != nil {
		return 0, err
	}
	defer logFile.Close()
	p := &progress{name: s.Name, total: total, out: os.Stdout, log: logFile}
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
	if fi, err := os.Stat(report); err != nil || fi.Size() == 0 {
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

// runsFile is where mutate's go records each mutant's run (see
// recordRun), beside gremlins' report.
func runsFile(report string) string {
	return strings.TrimSuffix(report, filepath.Ext(report)) + ".runs"
}

// measureStages runs the shard's stages on the unmutated copy at src,
// each once, and sets each stage's limit from its time (see minLimit). A
// stage that fails stops the run: the gate needs a suite that passes.
func measureStages(ctx context.Context, src string, s *Shard, coefficient int) error {
	s.limits, s.times = nil, nil
	for _, st := range s.Stages {
		one := *s
		one.Stages = []Stage{st}
		var out strings.Builder
		t0 := time.Now()
		r := runStages(ctx, goCommand(), src, &one, []string{"-count=1"}, false, &out, nil)
		d := time.Since(t0)
		if r.err != nil {
			return fmt.Errorf("the unmutated suite fails (go test %s -run '%s'): %w\n%s", st.Pkg, st.Run, r.err, out.String())
		}
		s.limits = append(s.limits, max(minLimit, time.Duration(coefficient)*d).Round(time.Second))
		s.times = append(s.times, d)
	}
	fmt.Printf("== mutate %s: the unmutated stages pass; limits per stage (%d x its time, at least %s): %s\n",
		s.Name, coefficient, minLimit, formatLimits(s.limits))
	return nil
}

// keepFiles copies files, given as pairs of source path and name, to dir;
// a missing source is skipped.
func keepFiles(dir string, pairs ...string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		b, err := os.ReadFile(pairs[i])
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, pairs[i+1]), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
