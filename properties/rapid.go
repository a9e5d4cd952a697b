package properties

import (
	"flag"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
	"pgregory.net/rapid"
)

// checkRapid is the pgregory.net/rapid engine: a state machine (T.Repeat
// with named actions) that drives a Pair one Op at a time, then drains it.
// It runs the profiles in turn (tiny buffers first, where a failure shrinks
// to a few ops) and stops at the first that fails.
func checkRapid(r *run, newBuffer unordered.Factory, feat lockstep.Features) *Failure {
	var total unorderedStats
	for _, p := range rapidProfiles {
		var ps unorderedStats
		var last failure[unordered.Op] // the newest failing case: after shrinking, the minimal one
		failed, replay := runRapid(r, p.checks, shrinkTime, func(rt *rapid.T) {
			var stats unorderedStats
			defer func() { ps.Add(stats) }()
			m := newRapidMachine(rt, p, &r.cfg, newBuffer, feat, &stats, &last)
			if m == nil {
				return // both sides refused the constructor arguments, as they should
			}
			defer m.pair.End()
			rt.Repeat(m.actions())
			m.drain(rt)
		})
		r.logf("rapid, %s buffers: %s", p.name, ps)
		total.Add(ps)
		if failed {
			return last.value("rapid", fmt.Sprintf("%s (%s buffers)", replay, p.name))
		}
	}
	r.stats("rapid", total)
	return nil
}

// rapidMu serializes the checks' use of rapid, whose settings are
// process-wide flags: checks in parallel tests take turns.
var rapidMu sync.Mutex

// runRapid runs prop with rapid for checks cases (times the scale), its
// shrinking bounded by shrink, and no fail file written. It reports
// whether a case failed and rapid's line on how to reproduce it.
func runRapid(r *run, checks int, shrink time.Duration, prop func(*rapid.T)) (failed bool, replay string) {
	rapidMu.Lock()
	defer rapidMu.Unlock()
	defer setRapidFlag("rapid.checks", strconv.Itoa(checks*scale()))()
	defer setRapidFlag("rapid.shrinktime", shrink.String())()
	defer setRapidFlag("rapid.nofailfile", "true")()
	q := &quietTB{TB: r.t}
	rapid.Check(q, prop)
	return q.failed, q.replay()
}

// shrinkTime bounds rapid's shrinking, so that a failure is reported in
// seconds on a loaded machine. The report shrinks the case further with
// unordered.Shrink and its kin, which remove operations while the failure
// stays and depend on no clock, so the counterexample stays short.
const shrinkTime = 3 * time.Second

// rapidProfile is a family of configurations and how many cases of it one
// unit of scale() runs.
type rapidProfile struct {
	name   string
	checks int
	config func(t *rapid.T, o *config) (c, slots, mtu int)
}

// rapidProfiles: tiny buffers (1..64 bytes, 1..8 slots, and invalid
// constructor arguments) wrap every few pushes; realistic ones (1500-byte
// datagrams in 64 KiB) take longer cases, so fewer of them.
var rapidProfiles = []rapidProfile{
	{"tiny", 1000, tinyConfig},
	{"realistic", 200, realisticConfig},
}

// tinyConfig draws 1..64 bytes, 1..8 slots and a typical size up to Cap;
// or, one time in ten, invalid constructor arguments, which both sides must
// refuse. Every draw is made whatever the kind, so that when rapid shrinks
// an invalid configuration to a valid one, the draws after it keep their
// meaning.
func tinyConfig(t *rapid.T, o *config) (c, slots, mtu int) {
	kind := rapid.IntRange(0, 9).Draw(t, "config")
	c = rapid.IntRange(1, min(64, o.capLimit())).Draw(t, "capacity")
	slots = rapid.IntRange(1, min(8, o.slotLimit())).Draw(t, "slots")
	mtu = rapid.IntRange(1, min(c, o.packetLimit())).Draw(t, "mtu")
	bad := []int{0, -1, 1, o.beyondModel()}
	badC, badSlots := rapid.SampledFrom(bad).Draw(t, "bad capacity"), rapid.SampledFrom(bad).Draw(t, "bad slots")
	if kind == 9 {
		c, slots = badC, badSlots
	}
	return c, slots, mtu
}

// realisticConfig draws 64 KiB (or, one time in four, between 1500 bytes
// and 64 KiB) of 1500-byte datagrams, with 44 slots (about as many as fit),
// 64 or 1024.
func realisticConfig(t *rapid.T, o *config) (c, slots, mtu int) {
	c = 64 << 10
	if rapid.IntRange(0, 3).Draw(t, "any capacity") == 3 {
		c = rapid.IntRange(realisticMTU, 64<<10).Draw(t, "capacity")
	}
	slots = rapid.SampledFrom([]int{44, 64, 1024}).Draw(t, "slots")
	return min(c, o.capLimit()), min(slots, o.slotLimit()), min(realisticMTU, c, o.capLimit(), o.packetLimit())
}

// realisticMTU is an Ethernet payload.
const realisticMTU = 1500

// setRapidFlag sets one of rapid's flags unless it was given on the
// command line or through its RAPID_ environment variable (an explicit
// value wins), and returns a function that restores it. rapid reads its
// flags only through package variables, so this is the one way to size it
// from inside a test. Not for parallel tests using rapid at the same time.
func setRapidFlag(name, value string) (restore func()) {
	f := flag.Lookup(name)
	if f == nil || flagGiven(name) || envGiven(name) {
		return func() {}
	}
	old := f.Value.String()
	_ = f.Value.Set(value) // Value.Set, not flag.Set: the flag stays "not given"
	return func() { _ = f.Value.Set(old) }
}

// flagGiven reports whether the named flag was set on the command line.
func flagGiven(name string) bool {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
