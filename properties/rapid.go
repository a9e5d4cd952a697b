package properties

import (
	"flag"
	"strconv"
	"testing"
	"time"

	"github.com/netbuf-go/netbuf/internal/step"
	"github.com/netbuf-go/netbuf/model"
	"pgregory.net/rapid"
)

// checkRapid is the pgregory.net/rapid engine: a state machine (T.Repeat
// with named actions) that drives a Pair one Op at a time, then drains it.
// It runs the profiles in turn (tiny buffers first, where a failure shrinks
// to a few ops), stops at the first that fails, and reports that failure
// once, as a scenario (see report.go).
func checkRapid(t *testing.T, newBuffer Factory, feat step.Features) {
	t.Helper()
	var total Stats
	for _, p := range rapidProfiles {
		ok := t.Run(p.name, func(t *testing.T) {
			defer setRapidFlag("rapid.checks", strconv.Itoa(p.checks*scale()))()
			defer setRapidFlag("rapid.shrinktime", shrinkTime.String())()
			var ps Stats
			var last failure[step.Op] // the newest failing case: after shrinking, the minimal one
			q := &quietTB{TB: t}
			rapid.Check(q, func(rt *rapid.T) {
				var stats Stats
				defer func() { ps.Add(stats) }()
				m := newRapidMachine(rt, p, newBuffer, feat, &stats, &last)
				if m == nil {
					return // both sides refused the constructor arguments, as they should
				}
				defer m.pair.End()
				rt.Repeat(m.actions())
				m.drain(rt)
			})
			t.Logf("%s: %s", p.name, ps)
			total.Add(ps)
			if q.failed {
				t.Errorf("rapid, profile %s: %s\n%s", p.name, q.replay(), last.report())
			}
		})
		if !ok {
			return
		}
	}
	logStats(t, "rapid", total)
}

// shrinkTime bounds rapid's shrinking. Shrinking stops long before it when
// no smaller case fails; where it does not, the report shrinks the case
// further with step.Shrink, which removes operations while the failure
// stays and depends on no clock, so a loaded machine still gets a short
// counterexample.
const shrinkTime = time.Minute

// rapidProfile is a family of configurations and how many cases of it one
// unit of scale() runs.
type rapidProfile struct {
	name   string
	checks int
	config func(t *rapid.T) (c, slots, mtu int)
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
func tinyConfig(t *rapid.T) (c, slots, mtu int) {
	kind := rapid.IntRange(0, 9).Draw(t, "config")
	c = rapid.IntRange(1, 64).Draw(t, "capacity")
	slots = rapid.IntRange(1, 8).Draw(t, "slots")
	mtu = rapid.IntRange(1, c).Draw(t, "mtu")
	bad := []int{0, -1, 1, beyondLimit}
	badC, badSlots := rapid.SampledFrom(bad).Draw(t, "bad capacity"), rapid.SampledFrom(bad).Draw(t, "bad slots")
	if kind == 9 {
		c, slots = badC, badSlots
	}
	return c, slots, mtu
}

// realisticConfig draws 64 KiB (or, one time in four, between 1500 bytes
// and 64 KiB) of 1500-byte datagrams, with 44 slots (about as many as fit),
// 64 or 1024.
func realisticConfig(t *rapid.T) (c, slots, mtu int) {
	c = 64 << 10
	if rapid.IntRange(0, 3).Draw(t, "any capacity") == 3 {
		c = rapid.IntRange(realisticMTU, 64<<10).Draw(t, "capacity")
	}
	return c, rapid.SampledFrom([]int{44, 64, 1024}).Draw(t, "slots"), realisticMTU
}

// realisticMTU is an Ethernet payload.
const realisticMTU = 1500

// beyondLimit is one more than the documented limit on both constructor
// arguments, which must be refused; 0 where int cannot hold it (32 bits).
var beyondLimit = func() int {
	n := int64(model.MaxCapacity) + 1
	if int64(int(n)) != n {
		return 0
	}
	return int(n)
}()

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
