// Command libfuzz runs the module's native fuzz targets as libFuzzer
// binaries, the way OSS-Fuzz and ClusterFuzzLite build Go targets
// (go-118-fuzz-build, then clang's libFuzzer), and brings what libFuzzer
// finds back to go test. `make fuzz-libfuzzer` is `libfuzz local`.
//
//	libfuzz prepare [-pkg fuzz] [-dir fuzz/libfuzzer]
//	libfuzz seeds   [-pkg fuzz] [-dir ...] -out DIR
//	libfuzz local   [-work DIR] [-fuzztime 30s] [-jobs N] [-workers N] [-native=false] [TARGET...]
//	libfuzz gotest  -target FuzzX [-pkg fuzz] FILE...
//
// prepare and seeds are steps of .clusterfuzzlite/build.sh, which runs in a
// copy of the tree (go-118-fuzz-build edits the files it builds). prepare
// writes the fuzz targets (the external test files of -pkg that declare
// one, merged) as a package of their own (dir/), which
// go-118-fuzz-build turns into one libFuzzer binary per target, and a
// program (dir/seeds/) that runs each target against a stand-in for
// testing.F to record its f.Add values; it prints the targets' names.
// seeds runs that program and writes $OUT/<target>_seed_corpus.zip: those
// values and the files of testdata/fuzz/<target>/, the seeds of
// `go test -fuzz`, in go-118-fuzz-build's input format (see headers.go).
//
// local emulates OSS-Fuzz's base-builder-go image on this machine (clang
// from Debian's packages, installed if missing; $SRC, $OUT, $WORK, $CC,
// $CXX, $CFLAGS, $CXXFLAGS, $LIB_FUZZING_ENGINE, $SANITIZER), runs
// build.sh in a copy of the work tree, then fuzzes each target (all that
// build.sh built, or those named) for -fuzztime with the native engine
// (cmd/fuzz) and then with its libFuzzer binary, with -jobs and -workers
// set from the cores, from the seed corpus, and prints one line per target:
//
//	LIBFUZZER target=<name> execs=<n> execs/s=<rate> native_execs/s=<rate> native=<ok|FAIL> corpus=<files> crashes=<n> result=<ok|FAIL>
//
// A crash is written as a go test seed file, fuzz/testdata/fuzz/<target>/<id>,
// with the go test command that reproduces it; `make corpus` turns it into a
// scenario. gotest does that for crash files from elsewhere (a
// ClusterFuzzLite artifact). The work directory (-work, default a new
// temporary one, removed unless the run failed) keeps the build, the
// corpora (which grow from run to run when -work is given) and the logs.
//
// The GO environment variable names the go command (default go).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	goCmd := os.Getenv("GO")
	if goCmd == "" {
		goCmd = "go"
	}
	cmd, args := os.Args[1], os.Args[2:]
	fs := flag.NewFlagSet("libfuzz "+cmd, flag.ExitOnError)
	pkgDir := fs.String("pkg", "fuzz", "the directory of the package whose external test files hold the fuzz targets")
	dir := fs.String("dir", "fuzz/libfuzzer", "prepare, seeds: where the generated package goes (inside the module)")
	var err error
	switch cmd {
	case "prepare":
		fs.Parse(args)
		var ts []target
		if ts, err = prepare(*pkgDir, *dir); err == nil {
			for _, t := range ts {
				fmt.Println(t.Name)
			}
		}
	case "seeds":
		out := fs.String("out", "", "where <target>_seed_corpus.zip go ($OUT)")
		fs.Parse(args)
		if *out == "" {
			usage()
		}
		var st map[string]seedStats
		st, err = writeSeedCorpora(goCmd, *pkgDir, *dir, testdataDir(*pkgDir), *out)
		names := make([]string, 0, len(st))
		for n := range st {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			s := st[n]
			fmt.Printf("SEEDS target=%s f.Add=%d testdata=%d inputs=%d not_representable=%d\n", n, s.added, s.testdata, s.written, s.skipped)
		}
	case "local":
		work := fs.String("work", "", "work directory, kept (default: a new temporary one, removed unless the run failed)")
		fuzztime := fs.Duration("fuzztime", 30*time.Second, "fuzzing time per target, for each engine")
		jobs := fs.Int("jobs", runtime.NumCPU(), "libFuzzer -jobs")
		workers := fs.Int("workers", runtime.NumCPU(), "libFuzzer -workers")
		native := fs.Bool("native", true, "run the native engine (cmd/fuzz) on each target for the same time first")
		minimize := fs.String("minimizetime", "1000x", "cmd/fuzz -minimizetime")
		flags := fs.String("flags", "", "cmd/fuzz -flags (go test flags)")
		fs.Parse(args)
		err = local(runOptions{
			work: *work, fuzztime: *fuzztime, jobs: *jobs, workers: *workers, native: *native,
			goCmd: goCmd, minimize: *minimize, flags: *flags,
			pkg: *pkgDir, testdata: testdataDir(*pkgDir),
		}, fs.Args())
	case "gotest":
		name := fs.String("target", "", "the fuzz target the crash files are inputs of")
		fs.Parse(args)
		if *name == "" || fs.NArg() == 0 {
			usage()
		}
		err = gotest(*pkgDir, *name, fs.Args())
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "libfuzz:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage:
  libfuzz prepare [-pkg fuzz] [-dir fuzz/libfuzzer]
  libfuzz seeds   [-pkg fuzz] [-dir ...] -out DIR
  libfuzz local   [-work DIR] [-fuzztime 30s] [-jobs N] [-workers N] [-native=false] [TARGET...]
  libfuzz gotest  -target FuzzX [-pkg fuzz] FILE...`)
	os.Exit(2)
}

// testdataDir is go test's seed corpus directory of the package in pkgDir.
func testdataDir(pkgDir string) string {
	return filepath.Join(pkgDir, "testdata", "fuzz")
}

// local builds with build.sh as the image would and fuzzes the targets.
func local(o runOptions, targets []string) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	keep := o.work != ""
	if !keep {
		if o.work, err = os.MkdirTemp("", "netbuf-libfuzzer-"); err != nil {
			return err
		}
	} else if o.work, err = filepath.Abs(o.work); err != nil {
		return err
	}
	if o.out, err = buildLocal(root, o.work); err != nil {
		fmt.Printf("work directory kept: %s\n", o.work)
		return err
	}
	if len(targets) == 0 { // every target build.sh built, in the harness's order
		h, err := parseHarness(o.pkg)
		if err != nil {
			return err
		}
		for _, t := range h.targets {
			if fi, err := os.Stat(filepath.Join(o.out, t.Name)); err == nil && fi.Mode()&0o111 != 0 {
				targets = append(targets, t.Name)
			}
		}
	}
	if len(targets) == 0 {
		return fmt.Errorf("build.sh built no target in %s", o.out)
	}
	results := runTargets(o, targets)
	fmt.Println("== summary")
	failed := false
	for _, r := range results {
		fmt.Println(r.line())
		failed = failed || len(r.crashes) > 0 || r.err != nil || (r.nativeResult != "" && r.nativeResult != "ok")
	}
	if failed || keep {
		fmt.Printf("work directory kept: %s (out/: binaries and seed corpora; run/<target>/: corpus, artifacts, logs)\n", o.work)
	} else {
		os.RemoveAll(o.work)
	}
	if failed {
		return fmt.Errorf("a target failed")
	}
	return nil
}

// gotest converts libFuzzer crash files of one target to go test seed files.
func gotest(pkgDir, name string, files []string) error {
	h, err := parseHarness(pkgDir)
	if err != nil {
		return err
	}
	t, ok := h.target(name)
	if !ok {
		var names []string
		for _, t := range h.targets {
			names = append(names, t.Name)
		}
		return fmt.Errorf("no target %s in %s (%s)", name, pkgDir, strings.Join(names, ", "))
	}
	for _, f := range files {
		out, err := crashToGoTest(t, f, testdataDir(pkgDir))
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		fmt.Printf("%s -> %s\n  reproduce: %s\n", f, out, reproduceCommand(pkgDir, name, out))
	}
	fmt.Println("then: make corpus")
	return nil
}
