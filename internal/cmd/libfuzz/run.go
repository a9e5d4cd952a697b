package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	seedtesting "github.com/netbuf-go/netbuf/internal/cmd/libfuzz/seedtesting"
)

// runOptions are the settings of one fuzzing run of every target.
type runOptions struct {
	out, work     string        // the built binaries ($OUT); where corpora, artifacts and logs go
	fuzztime      time.Duration // per target, for each engine
	jobs, workers int
	native        bool   // also run the native engine (cmd/fuzz) for the same time
	goCmd         string // the go command
	minimize      string // cmd/fuzz -minimizetime
	flags         string // cmd/fuzz -flags
	pkg           string // the directory of the fuzz targets' package
	testdata      string // go test's seed corpus directory (testdata/fuzz)
}

// result is one target's line.
type result struct {
	target       string
	execs        int64
	rate         int64 // the sum over jobs of libFuzzer's average exec/s
	jobsDone     int
	corpus       int
	nativeRate   int64
	nativeResult string
	crashes      []string      // the go test files written
	firstCrash   time.Duration // from the start of the libFuzzer run to its first crash file
	err          error
}

func (r result) line() string {
	res := "ok"
	if len(r.crashes) > 0 || r.err != nil {
		res = "FAIL"
	}
	first := "-"
	if len(r.crashes) > 0 {
		first = fmt.Sprintf("%.1fs", r.firstCrash.Seconds())
	}
	native := "native_execs/s=- native=-"
	if r.nativeResult != "" {
		native = fmt.Sprintf("native_execs/s=%d native=%s", r.nativeRate, r.nativeResult)
	}
	return fmt.Sprintf("LIBFUZZER target=%s execs=%d execs/s=%d %s corpus=%d crashes=%d first_crash=%s result=%s",
		r.target, r.execs, r.rate, native, r.corpus, len(r.crashes), first, res)
}

// runTargets fuzzes each target, natively (if asked) and then with its
// libFuzzer binary, for the same time, and returns one result per target.
func runTargets(o runOptions, targets []string) []result {
	h, err := parseHarness(o.pkg)
	var results []result
	for _, name := range targets {
		r := result{target: name}
		if err != nil {
			r.err = err
			results = append(results, r)
			continue
		}
		t, ok := h.target(name)
		if !ok {
			r.err = fmt.Errorf("no target %s in %s", name, o.pkg)
			results = append(results, r)
			continue
		}
		dir := filepath.Join(o.work, "run", name)
		if o.native {
			r.nativeRate, r.nativeResult = runNative(o, name, filepath.Join(dir, "native.log"))
		}
		r.err = runLibFuzzer(o, t, dir, &r)
		if r.err != nil {
			fmt.Printf("%s: %v\n", name, r.err)
		}
		fmt.Println(r.line())
		results = append(results, r)
	}
	return results
}

// fuzzLine is cmd/fuzz's summary line.
var fuzzLine = regexp.MustCompile(`(?m)^FUZZ target=(\S+) execs=(\d+) seconds=(\d+) execs/s=(\d+) result=(\S+)`)

// runNative runs `go run ./cmd/fuzz` on the target for the same time and
// returns its execs/s and result.
func runNative(o runOptions, name, logPath string) (int64, string) {
	fmt.Printf("== %s: native (go test -fuzz) for %s\n", name, o.fuzztime)
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return 0, "error"
	}
	args := []string{"run", "./cmd/fuzz", "-fuzztime", o.fuzztime.String(), "-minimizetime", o.minimize}
	if o.flags != "" {
		args = append(args, "-flags", o.flags)
	}
	cmd := exec.Command(o.goCmd, append(args, name)...)
	outb, _ := cmd.CombinedOutput()
	_ = os.WriteFile(logPath, outb, 0o644)
	m := fuzzLine.FindSubmatch(outb)
	if m == nil {
		fmt.Printf("%s: no FUZZ line from cmd/fuzz (log: %s)\n", name, logPath)
		return 0, "error"
	}
	rate, _ := strconv.ParseInt(string(m[4]), 10, 64)
	fmt.Printf("%s\n", m[0])
	if string(m[5]) != "ok" {
		fmt.Printf("%s: the native engine failed; go test saved the input under %s (log: %s)\n",
			name, filepath.Join(o.testdata, name), logPath)
	}
	return rate, string(m[5])
}

// runLibFuzzer runs out/<target> for fuzztime with -jobs and -workers on
// dir/corpus (first filled from the seed corpus zip), then reads the jobs'
// statistics and turns each crash into a go test seed file.
func runLibFuzzer(o runOptions, t target, dir string, r *result) error {
	bin := filepath.Join(o.out, t.Name)
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("not built: %w", err)
	}
	corpus, artifacts, logs := filepath.Join(dir, "corpus"), filepath.Join(dir, "artifacts"), filepath.Join(dir, "logs")
	for _, d := range []string{corpus, artifacts} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(logs); err != nil {
		return err
	}
	if err := os.MkdirAll(logs, 0o755); err != nil {
		return err
	}
	seeds, err := unzipInto(filepath.Join(o.out, t.Name+"_seed_corpus.zip"), corpus)
	if err != nil {
		return fmt.Errorf("seed corpus: %w", err)
	}
	before, _ := filepath.Glob(filepath.Join(artifacts, "*"))
	secs := max(int(o.fuzztime.Round(time.Second)/time.Second), 1)
	args := []string{
		fmt.Sprintf("-jobs=%d", o.jobs), fmt.Sprintf("-workers=%d", o.workers),
		fmt.Sprintf("-max_total_time=%d", secs), "-print_final_stats=1",
		"-timeout=25", "-rss_limit_mb=2560", // OSS-Fuzz's defaults
		"-artifact_prefix=" + artifacts + "/", corpus,
	}
	fmt.Printf("== %s: libFuzzer for %ds, -jobs=%d -workers=%d, %d seeds (logs: %s)\n", t.Name, secs, o.jobs, o.workers, seeds, logs)
	cmd := exec.Command(bin, args...)
	cmd.Dir = logs // -jobs writes fuzz-<n>.log in the working directory
	start := time.Now()
	outb, runErr := cmd.CombinedOutput()
	_ = os.WriteFile(filepath.Join(logs, "libfuzzer.log"), outb, 0o644)
	st := jobStats(logs)
	r.execs, r.rate, r.jobsDone = st.execs, st.rate, st.jobs
	entries, _ := os.ReadDir(corpus)
	r.corpus = len(entries)
	after, _ := filepath.Glob(filepath.Join(artifacts, "*"))
	for i, a := range newFiles(before, after) {
		if fi, err := os.Stat(a); err == nil && (i == 0 || fi.ModTime().Sub(start) < r.firstCrash) {
			r.firstCrash = max(fi.ModTime().Sub(start), 0)
		}
		file, err := crashToGoTest(t, a, o.testdata)
		if err != nil {
			fmt.Printf("%s: %s: %v\n", t.Name, a, err)
			r.crashes = append(r.crashes, a)
			continue
		}
		r.crashes = append(r.crashes, file)
		fmt.Printf("%s: libFuzzer crash %s\n  %s\n  as a go test seed: %s\n  reproduce: %s\n  then: make corpus\n",
			t.Name, a, strings.ReplaceAll(replay(bin, a), "\n", "\n  "), file, reproduceCommand(o.pkg, t.Name, file))
	}
	if runErr != nil && len(r.crashes) == 0 && st.jobs == 0 {
		return fmt.Errorf("%s: %v\n%s", bin, runErr, lastLines(outb, 20))
	}
	return nil
}

// stats sums the final statistics of the jobs' logs.
type stats struct {
	execs, rate int64
	jobs        int
}

var (
	statUnits = regexp.MustCompile(`(?m)^stat::number_of_executed_units:\s*(\d+)`)
	statRate  = regexp.MustCompile(`(?m)^stat::average_exec_per_sec:\s*(\d+)`)
)

func jobStats(logs string) stats {
	var s stats
	files, _ := filepath.Glob(filepath.Join(logs, "fuzz-*.log"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		u, r := statUnits.FindAllSubmatch(b, -1), statRate.FindAllSubmatch(b, -1)
		if len(u) == 0 || len(r) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(string(u[len(u)-1][1]), 10, 64)
		x, _ := strconv.ParseInt(string(r[len(r)-1][1]), 10, 64)
		s.execs += n
		s.rate += x
		s.jobs++
	}
	return s
}

// replay runs the binary on one input, as libFuzzer reproduces a crash,
// and returns what the fuzz function printed up to Go's panic line (the
// harness prints the failure, and the scenario, before it panics).
func replay(bin, input string) string {
	cmd := exec.Command(bin, "-timeout=25", input)
	timer := time.AfterFunc(time.Minute, func() {
		if cmd.Process != nil {
			cmd.Process.Kill()
		}
	})
	defer timer.Stop()
	outb, _ := cmd.CombinedOutput()
	return failureText(outb)
}

// failureText extracts the fuzz function's own output from a libFuzzer
// run of one input: after "Running: <file>", up to the first "panic: "
// line, at most 40 lines; or the last 20 lines.
func failureText(out []byte) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	from := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "Running: ") {
			from = i + 1
			break
		}
	}
	if from < 0 {
		return lastLines(out, 20)
	}
	var kept []string
	for _, l := range lines[from:] {
		kept = append(kept, l)
		if strings.HasPrefix(l, "panic: ") || len(kept) == 40 {
			break
		}
	}
	return strings.Join(kept, "\n")
}

func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

func newFiles(before, after []string) []string {
	seen := map[string]bool{}
	for _, f := range before {
		seen[f] = true
	}
	var out []string
	for _, f := range after {
		if !seen[f] {
			out = append(out, f)
		}
	}
	return out
}

// crashToGoTest writes the values that the libFuzzer input at path gave
// the target's fuzz function as a go test seed file,
// testdata/<target>/<id>, named as go test names the inputs it saves, and
// returns its path.
func crashToGoTest(t target, path, testdata string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	args, err := decodeArgs(t.Kinds, data)
	if err != nil {
		return "", fmt.Errorf("go-118-fuzz-build would not call the fuzz function with this input (%v): the failure is outside f.Fuzz's function", err)
	}
	b, err := seedtesting.Marshal(args)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	dir := filepath.Join(testdata, t.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	file := filepath.Join(dir, hex.EncodeToString(sum[:])[:16])
	return file, os.WriteFile(file, b, 0o644)
}

// reproduceCommand is the go test command that runs the seed file.
func reproduceCommand(pkgDir, target, file string) string {
	return fmt.Sprintf("go test ./%s -run '^%s$/^%s$'", filepath.ToSlash(pkgDir), target, filepath.Base(file))
}
