package properties

import (
	"fmt"
	"strings"
	"testing"
)

// Failure is a check's first failure: what differed, and the shortest
// sequence of calls found that shows it, written as a scenario of the
// regression corpus (the format of netbuf's testdata/*.scn). Saved in a
// file under testdata/, the scenario is replayed by the check with
// Corpus.
type Failure struct {
	Check    string // the check that failed: "CheckUnordered", ...
	Engine   string // what found it: "constructor", "corpus", "rapid", "gopter", "concurrent", "allocs" or "fuzz"
	Replay   string // how to run the engine again to the same failure, e.g. "-rapid.seed=42"; "" if it is deterministic
	Err      error  // the difference, on the shrunk case
	Scenario string // the shrunk case as a scenario; "" where there is none
	Calls    int    // the calls in Scenario
}

// Error describes f in a few lines, the scenario last.
func (f *Failure) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %v", f.Check, f.Engine, f.Err)
	if f.Replay != "" {
		fmt.Fprintf(&b, "\nto run the engine again to this failure: %s", f.Replay)
	}
	if f.Scenario != "" {
		fmt.Fprintf(&b, "\nshrunk to %d calls; as a scenario (save it as testdata/<name>.scn and replay it with properties.Corpus):\n%s",
			f.Calls, strings.TrimRight(f.Scenario, "\n"))
	}
	return b.String()
}

// Unwrap returns f.Err.
func (f *Failure) Unwrap() error { return f.Err }

// run is one call of a Check: where it logs, its options, and its one
// failure report.
type run struct {
	t      testing.TB
	check  string
	cfg    config
	failed bool
}

func newRun(t testing.TB, check string, opts []Option) *run {
	return &run{t: t, check: check, cfg: newConfig(opts)}
}

// fail reports f, the run's first failure; later ones are dropped.
func (r *run) fail(f *Failure) {
	r.t.Helper()
	if r.failed || f == nil {
		return
	}
	r.failed = true
	f.Check = r.check
	if r.cfg.onFailure != nil {
		r.cfg.onFailure(f)
		return
	}
	r.t.Error(f.Error())
}

// engine runs one engine unless the run already failed (or the suite's
// own tests run another alone).
func (r *run) engine(name string, check func() *Failure) {
	r.t.Helper()
	if name == "allocs" && r.cfg.allocates {
		r.logf("allocs: not checked (Allocates)")
		return
	}
	if !r.failed && (r.cfg.only == "" || r.cfg.only == name) {
		r.fail(check())
	}
}

// logf logs one line of progress.
func (r *run) logf(format string, args ...any) {
	r.t.Helper()
	r.t.Logf(format, args...)
}

// stats logs what an engine exercised in the line that `make verify`
// collects: "STATS test=<test> engine=<name> ...".
func (r *run) stats(engine string, s fmt.Stringer) {
	r.t.Helper()
	name, _, _ := strings.Cut(r.t.Name(), "/")
	r.t.Logf("STATS test=%s engine=%s %s", name, engine, s)
}
