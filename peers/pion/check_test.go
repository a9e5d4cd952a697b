package pion

import (
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/properties"
	"github.com/pion/interceptor/pkg/jitterbuffer"
)

// finding tells a CheckReorder report of one of the findings documented in
// docs/peers.md, each reproduced by the test of the same name in
// findings_test.go.
type finding struct {
	name  string
	match func(report string) bool
}

var (
	policyMinimumPacketCount = finding{"TestPolicyMinimumPacketCount", func(r string) bool {
		return strings.Contains(r, "property (e) liveness violated") && strings.Contains(r, jitterbuffer.ErrPopWhileBuffering.Error())
	}}
	policyPushDoesNotClone = finding{"TestPolicyPushDoesNotClone", func(r string) bool {
		return strings.Contains(r, "property (c) byte for byte violated")
	}}
	findingPlayoutHeadIsFirstArrival = finding{"TestFindingPlayoutHeadIsFirstArrival", func(r string) bool {
		return strings.Contains(r, "property (e) liveness violated") && strings.Contains(r, "is skipped")
	}}
	findingStalePacketAfterWrap = finding{"TestFindingStalePacketAfterWrap", func(r string) bool {
		return strings.Contains(r, "property (d) only what was pushed violated")
	}}
)

// TestCheckReorder runs CheckReorder on pion's jitter buffer, first as it
// comes, then with CheckReorder's options stepping around each finding in
// turn: each run must fail, and only with findings it may still meet.
func TestCheckReorder(t *testing.T) {
	defer setFlag(t, "rapid.nofailfile", "true")()
	defer setFlag(t, "rapid.shrinktime", "10s")() // the regression tests hold the minimal cases
	one := jitterbuffer.WithMinimumPacketCount(1)
	for _, tc := range []struct {
		name  string
		jb    []jitterbuffer.Option
		opts  []properties.ReorderOption
		finds []finding // those the run may report: rapid reports the first it meets
	}{
		{"default", nil, nil, []finding{policyMinimumPacketCount}},
		{"min count 1", []jitterbuffer.Option{one}, nil,
			[]finding{policyPushDoesNotClone, findingPlayoutHeadIsFirstArrival, findingStalePacketAfterWrap}},
		{"min count 1, caller copies", []jitterbuffer.Option{one}, []properties.ReorderOption{properties.ReorderKeepsSlice()},
			[]finding{findingPlayoutHeadIsFirstArrival, findingStalePacketAfterWrap}},
		{"min count 1, caller copies, first packet first", []jitterbuffer.Option{one},
			[]properties.ReorderOption{properties.ReorderKeepsSlice(), properties.ReorderFirstInOrder()},
			[]finding{findingStalePacketAfterWrap}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordTB{TB: t}
			properties.CheckReorder(rec, Factory(tc.jb...), tc.opts...)
			report := strings.Join(rec.errors, "\n")
			if !rec.failed {
				t.Fatalf("CheckReorder passed; want one of %v", tc.finds)
			}
			for _, f := range tc.finds {
				if f.match(report) {
					t.Logf("found as expected (see %s):\n%s", f.name, report)
					return
				}
			}
			t.Errorf("a failure that is none of %v: a new finding?\n%s", tc.finds, report)
		})
	}
}

// TestCheckReorderStepsAroundFindings: with every finding stepped around
// (minimum packet count 1, a caller that copies, the first packet pushed
// first, no run round the sequence space), CheckReorder finds nothing else.
func TestCheckReorderStepsAroundFindings(t *testing.T) {
	properties.CheckReorder(t, Factory(jitterbuffer.WithMinimumPacketCount(1)),
		properties.ReorderKeepsSlice(), properties.ReorderFirstInOrder(), properties.ReorderNoCycle())
}

func (f finding) String() string { return f.name }

// recordTB records failures instead of failing the test.
type recordTB struct {
	testing.TB
	failed bool
	errors []string
}

func (r *recordTB) Errorf(format string, args ...any) {
	r.failed = true
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recordTB) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recordTB) Failed() bool                      { return r.failed }

// setFlag sets one of rapid's flags, unless the command line did, and
// returns a function that restores it.
func setFlag(t *testing.T, name, value string) func() {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	f := flag.Lookup(name)
	if given || f == nil {
		return func() {}
	}
	old := f.Value.String()
	if err := f.Value.Set(value); err != nil {
		t.Fatal(err)
	}
	return func() { _ = f.Value.Set(old) }
}
