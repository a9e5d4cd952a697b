// Command mutate is `make mutate`: the mutation gate of the library
// netbuf/, run by gremlins (pinned; configured by .gremlins.yaml: every
// mutator, integration mode, workers, the efficacy threshold). mutate adds
// what gremlins cannot do itself:
//
//   - Shards (shards.go): netbuf/ split by concept (ring+unordered, ordered,
//     spsc), each with its own files, the only ones gremlins mutates in its
//     run (--exclude-files), and its own per-mutant suite, the tests that
//     verify those files as stages run cheapest first until one fails
//     (stages.go: mutate is the go in gremlins' PATH). Every Go file of
//     netbuf/ must be in exactly one shard.
//
//   - The audited equivalents file (equivalent.go, equivalent.txt): every
//     surviving mutant must be listed there with the reason it cannot
//     change behaviour, matched by file, mutator and source text.
//
//   - The verdict per shard: efficacy at least the threshold, and every
//     survivor listed; one MUTATE line per shard and an overall one, the
//     last line, for `make verify`:
//
//     MUTATE shard=ordered mutants=280 killed=272 lived=8 ... result=PASS
//     MUTATE shards=ring+unordered,ordered,spsc mutants=734 ... result=PASS
//
// The suite runs with fixed seeds (RAPID_SEED, NETBUF_GOPTER_SEED), so that
// the result is reproducible, at `make test`'s scale, without shrinking or
// rapid's fail files, in a copy of the module without netbuf/udp, cmd/,
// docs/ and hidden directories.
//
// Usage, from the module root (GO names the go command, default go):
//
//	go run ./internal/cmd/mutate [-shard name,...] [-workers 2] [-threshold 95] [-keep dir]
//	go run ./internal/cmd/mutate -shard name -report dir/name.json
//
// The second form checks a kept gremlins report again without running it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

const (
	gremlinsPkg     = "github.com/go-gremlins/gremlins/cmd/gremlins"
	gremlinsVersion = "v0.6.0"
	gremlinsConfig  = ".gremlins.yaml"
)

// suiteEnv: seeds and settings of every run of the suite; the caller's
// value wins for the seeds and the shrink time. unsetEnv would change
// what the suite runs (scale, seed corpus, stress time, flags).
var (
	suiteEnv = [][2]string{{"RAPID_SEED", "20261125"}, {"NETBUF_GOPTER_SEED", "20261125"}, {"RAPID_SHRINKTIME", "100ms"}}
	unsetEnv = []string{"NETBUF_PROPERTY_SCALE", "NETBUF_FUZZ_SEEDS", "NETBUF_SPSC_STRESS", "GOFLAGS"}
)

type options struct {
	shard, equivalents, keep, report string
	threshold                        float64
	workers                          int
}

func main() {
	if isShim() {
		os.Exit(goShim(os.Args[1:]))
	}
	var o options
	flag.StringVar(&o.shard, "shard", "", "run these shards only, comma-separated ("+shardNames()+"); default every shard, in turn")
	flag.StringVar(&o.equivalents, "equivalents", "internal/cmd/mutate/equivalent.txt", "equivalents file")
	flag.Float64Var(&o.threshold, "threshold", 95, "minimum efficacy in percent, of every shard")
	flag.IntVar(&o.workers, "workers", 2, "gremlins workers")
	flag.StringVar(&o.keep, "keep", "", "directory to keep each shard's gremlins JSON report and log in (SHARD.json, SHARD.log)")
	flag.StringVar(&o.report, "report", "", "with -shard: check this gremlins JSON report instead of running gremlins")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		if ctx.Err() != nil {
			code = 130
		}
	}
	os.Exit(code)
}

// run is main's body: the exit status, and an error if the run could not
// be made (status 2).
func run(ctx context.Context, o options) (int, error) {
	if o.threshold <= 0 || o.threshold > 100 || o.workers < 1 {
		return 2, fmt.Errorf("-threshold must be in (0, 100] and -workers at least 1 (got %g, %d)", o.threshold, o.workers)
	}
	entries, err := readEquivalents(o.equivalents) // a typo fails now, not after the run
	if err != nil {
		return 2, err
	}
	sel, err := selectShards(o.shard)
	if err != nil {
		return 2, err
	}
	if o.report != "" && len(sel) != 1 {
		return 2, errors.New("-report checks the report of one shard: name it with -shard")
	}
	work, err := os.MkdirTemp("", "mutate-")
	if err != nil {
		return 2, err
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	if err := copyModule(src, "."); err != nil {
		return 2, fmt.Errorf("copying the module: %w", err)
	}
	files, err := sourceFiles(filepath.Join(src, mutatedDir))
	if err != nil {
		return 2, err
	}
	if err := checkAssignment(files); err != nil {
		return 2, err
	}
	for _, kv := range suiteEnv {
		if os.Getenv(kv[0]) == "" {
			os.Setenv(kv[0], kv[1])
		}
	}
	os.Setenv("RAPID_NOFAILFILE", "1")
	for _, k := range unsetEnv {
		os.Unsetenv(k)
	}
	if o.report == "" {
		install := exec.CommandContext(ctx, goCommand(), "install", gremlinsPkg+"@"+gremlinsVersion)
		install.Env = append(os.Environ(), "GOBIN="+filepath.Join(work, "bin"))
		install.Stdout, install.Stderr = os.Stderr, os.Stderr
		if err := install.Run(); err != nil {
			return 2, fmt.Errorf("installing gremlins %s: %w", gremlinsVersion, err)
		}
	}
	t0 := time.Now()
	var results []*Result
	for i := range sel {
		s := &sel[i]
		t1 := time.Now()
		report := o.report
		if report == "" {
			if report, err = runGremlins(ctx, work, src, s, files, o); err != nil {
				return 2, fmt.Errorf("shard %s: %w", s.Name, err)
			}
		}
		mutants, err := load(report, src)
		if err != nil {
			return 2, err
		}
		res := Assess(mutants, shardEntries(entries, s), o.threshold)
		res.Shard, res.Wall = s.Name, time.Since(t1)
		res.Print(os.Stdout, o.equivalents)
		results = append(results, res)
	}
	all := &Total{Shards: results, Problems: orphanEntries(entries), Threshold: o.threshold, Wall: time.Since(t0)}
	if len(results) > 1 || len(all.Problems) > 0 {
		all.Print(os.Stdout)
	}
	if !all.Pass() {
		return 1, nil
	}
	return 0, nil
}

// runGremlins runs gremlins over the shard's files in the copy at src, with
// the shard's stages as the per-mutant suite, and returns the path of its
// JSON report. First a dry run counts the mutants, for the progress lines.
func runGremlins(ctx context.Context, work, src string, s *Shard, files []string, o options) (string, error) {
	realGo, err := exec.LookPath(goCommand())
	if err == nil {
		realGo, err = filepath.Abs(realGo)
	}
	if err != nil {
		return "", err
	}
	env, err := installShim(filepath.Join(work, "shim"), realGo, s)
	if err != nil {
		return "", fmt.Errorf("making mutate gremlins' go: %w", err)
	}
	dir := filepath.Join(work, "shard-"+s.Name)
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return "", err
	}
	report, logPath := filepath.Join(dir, "gremlins.json"), filepath.Join(dir, "gremlins.log")
	args := []string{"unleash", "./" + mutatedDir, "--config", filepath.Join(src, gremlinsConfig),
		"--threshold-efficacy", fmt.Sprint(o.threshold), "--workers", fmt.Sprint(o.workers)}
	for _, x := range s.excludeFiles(files) {
		args = append(args, "--exclude-files", x)
	}
	gremlins := func(out *progress, extra []string, extraEnv ...string) error {
		cmd := exec.CommandContext(ctx, filepath.Join(work, "bin", "gremlins"), append(slices.Clone(args), extra...)...)
		// gremlins' scratch copies go under work, so that they go with it.
		cmd.Dir, cmd.Env = src, append(append(env, "TMPDIR="+filepath.Join(dir, "tmp")), extraEnv...)
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // gremlins stops gracefully
		cmd.WaitDelay = 30 * time.Second
		cmd.Stdout, cmd.Stderr = out, out
		err := cmd.Run()
		out.flush()
		if exit := (*exec.ExitError)(nil); errors.As(err, &exit) && exit.ExitCode() == 10 {
			return nil // below gremlins' threshold: the check reports it
		}
		return err
	}
	var dryLog strings.Builder
	dry := &progress{out: io.Discard, log: &dryLog}
	if err := gremlins(dry, []string{"--dry-run"}, envDryRun+"=1"); err != nil {
		return "", fmt.Errorf("gremlins --dry-run: %w\n%s", err, dryLog.String())
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return "", err
	}
	defer logFile.Close()
	p := &progress{name: s.Name, total: dry.done, out: os.Stdout, log: logFile}
	fmt.Printf("== mutate %s: gremlins %s over %s/{%s} (%d mutants), %d workers; per mutant, until a stage fails:\n%s",
		s.Name, gremlinsVersion, mutatedDir, strings.Join(s.mine(files), ","), p.total, o.workers, s.describe())
	t0 := time.Now()
	err = gremlins(p, []string{"-o", report})
	fmt.Printf("gremlins wall time %s\n", time.Since(t0).Round(time.Second))
	if o.keep != "" {
		if kerr := keepFiles(o.keep, report, s.Name+".json", logPath, s.Name+".log"); kerr != nil {
			fmt.Fprintln(os.Stderr, "mutate:", kerr)
		}
	}
	if err != nil {
		return "", fmt.Errorf("gremlins: %w", err)
	}
	return report, nil
}

func goCommand() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

// modulePath reads the module path from root/go.mod.
func modulePath(root string) string {
	b, _ := os.ReadFile(filepath.Join(root, "go.mod"))
	for line := range strings.Lines(string(b)) {
		if p, ok := strings.CutPrefix(line, "module "); ok {
			return strings.TrimSpace(p)
		}
	}
	return ""
}

// skipped reports whether the module copy leaves out name (slash-separated,
// relative to the module root): socket code, commands, docs, hidden
// directories (the copy's gremlins configuration excepted), and rapid's
// saved fail files, which every run of a property would replay first.
func skipped(name string) bool {
	switch {
	case name == "cmd", name == "docs", name == mutatedDir+"/udp", path.Base(name) == "rapid" && path.Base(path.Dir(name)) == "testdata":
		return true
	}
	return strings.HasPrefix(path.Base(name), ".") && name != "." && name != gremlinsConfig
}

// copyModule copies the module at root to dst, minus what skipped names.
func copyModule(dst, root string) error {
	return os.CopyFS(dst, skipFS{os.DirFS(root).(fs.ReadDirFS)})
}

// skipFS hides what skipped names from directory listings, which is all
// that os.CopyFS walks.
type skipFS struct{ fs.ReadDirFS }

func (s skipFS) ReadDir(name string) ([]fs.DirEntry, error) {
	es, err := s.ReadDirFS.ReadDir(name)
	return slices.DeleteFunc(es, func(e fs.DirEntry) bool { return skipped(path.Join(name, e.Name())) }), err
}

// keepFiles copies files, given as pairs of source path and name, to dir.
func keepFiles(dir string, pairs ...string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		b, err := os.ReadFile(pairs[i])
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, pairs[i+1]), b, 0o644)
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}
