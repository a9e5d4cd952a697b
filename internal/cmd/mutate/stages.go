package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The per-mutant suite of a shard is its stages, run one after the other:
// `go test -vet=off -failfast -timeout L -run R [-skip S] <pkg>` for each,
// stopping at the first that fails. gremlins, in integration mode, runs
// `go test ... ./...` per mutant; mutate puts itself first in gremlins'
// PATH under the name go and, as that go (goShim), runs the shard's stages
// instead. Its exit status is the failing stage's: 1 when a test fails,
// which gremlins counts as KILLED.
//
// gremlins' coverage run (`go test -coverprofile P ./...`) runs every stage
// once on the unmutated code: a failing stage fails the run, since the gate
// needs a suite that passes. Each stage's time sets its limit L for the
// mutants (limitFactor times it, at least minLimit), so that a mutant whose
// tests hang (a loop that no longer ends) is stopped by its test binary's
// -timeout, a failed test, in seconds; gremlins' own timeout (its
// coefficient times the coverage run) stays as a backstop. The profile
// written covers every line of the shard's files: Go's cover tool puts no
// block around a case clause's expression, so gremlins would call those
// mutants NOT COVERED and never run them; here every mutant runs.

// Environment of mutate's go, set for gremlins.
const (
	envRealGo = "NETBUF_MUTATE_GO"     // the go command the stages run
	envShard  = "NETBUF_MUTATE_SHARD"  // the shard whose stages replace ./...
	envLimits = "NETBUF_MUTATE_LIMITS" // the file of each stage's limit, written by the coverage run
	envDryRun = "NETBUF_MUTATE_DRYRUN" // set: the coverage run runs no stage (gremlins --dry-run)
)

const (
	limitFactor = 5
	minLimit    = 15 * time.Second
)

// runStages runs the shard's stages in dir, writing go's output to out,
// and stops at the first that fails; limits, if not nil, are the stages'
// -timeout. It returns each stage's time and the first error.
func runStages(ctx context.Context, goCmd, dir string, s *Shard, limits []time.Duration, out io.Writer) ([]time.Duration, error) {
	var times []time.Duration
	for i, st := range s.Stages {
		// No vet: it checks the source, which `make test` vets.
		args := []string{"test", "-vet=off", "-failfast", "-count=1", "-run", st.Run}
		if st.Skip != "" {
			args = append(args, "-skip", st.Skip)
		}
		if i < len(limits) {
			args = append(args, "-timeout", limits[i].String())
		}
		cmd := exec.CommandContext(ctx, goCmd, append(args, st.Pkg)...)
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, out, out
		cmd.Env = append(os.Environ(), s.Env...)
		cmd.WaitDelay = 5 * time.Second
		dieWithParent(cmd)
		t0 := time.Now()
		err := cmd.Run()
		times = append(times, time.Since(t0))
		if err != nil {
			return times, fmt.Errorf("stage %d (go test %s -run '%s'): %w", i+1, st.Pkg, st.Run, err)
		}
	}
	return times, nil
}

// goShim is main when mutate runs as gremlins' go; it returns the exit
// status. `go test ... ./...` runs the shard's stages, anything else the
// real go.
func goShim(args []string) int {
	realGo := os.Getenv(envRealGo)
	s := shardByName(os.Getenv(envShard))
	n := len(args)
	if s == nil || n < 2 || args[0] != "test" || args[n-1] != "./..." {
		return passThrough(realGo, args)
	}
	limitsFile := os.Getenv(envLimits)
	if i := slices.Index(args, "-coverprofile"); i >= 0 && i+1 < n {
		if os.Getenv(envDryRun) == "" {
			times, err := runStages(context.Background(), realGo, ".", s, nil, os.Stdout)
			if err != nil {
				return exitStatus(fmt.Errorf("the unmutated suite fails: %w", err))
			}
			var limits []string
			for _, d := range times {
				limits = append(limits, max(minLimit, limitFactor*d).Round(time.Second).String())
			}
			if err := os.WriteFile(limitsFile, []byte(strings.Join(limits, ",")), 0o644); err != nil {
				return exitStatus(err)
			}
		}
		return exitStatus(writeProfile(args[i+1], s))
	}
	b, err := os.ReadFile(limitsFile)
	if err != nil {
		return exitStatus(err)
	}
	var limits []time.Duration
	for f := range strings.SplitSeq(string(b), ",") {
		d, err := time.ParseDuration(f)
		if err != nil {
			return exitStatus(fmt.Errorf("%s: %w", limitsFile, err))
		}
		limits = append(limits, d)
	}
	_, err = runStages(context.Background(), realGo, ".", s, limits, os.Stdout)
	return exitStatus(err)
}

// writeProfile writes a cover profile in which every line of the shard's
// files in the mutated directory is covered.
func writeProfile(dst string, s *Shard) error {
	files, err := sourceFiles(mutatedDir)
	if err != nil {
		return err
	}
	mod := modulePath(".")
	var b strings.Builder
	b.WriteString("mode: set\n")
	for _, f := range files {
		if !s.Has(f) {
			continue
		}
		src, err := os.ReadFile(filepath.Join(mutatedDir, f))
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s:1.1,%d.1 1 1\n", path.Join(mod, mutatedDir, f), strings.Count(string(src), "\n")+2)
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
// gremlins' environment: bin first in PATH, the real go, the shard, and
// the file of its stages' limits.
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
		envRealGo+"="+realGo, envShard+"="+s.Name, envLimits+"="+filepath.Join(bin, s.Name+".limits"))
	return append(env, s.Env...), nil
}

// isShim reports whether this process is gremlins' go.
func isShim() bool {
	return filepath.Base(os.Args[0]) == "go" && os.Getenv(envRealGo) != ""
}
