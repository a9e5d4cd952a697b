package pion

import (
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
	one := jitterbuffer.WithMinimumPacketCount(1)
	for _, tc := range []struct {
		name  string
		jb    []jitterbuffer.Option
		opts  []properties.Option
		finds []finding // those the run may report: rapid reports the first it meets
	}{
		{"default", nil, nil, []finding{policyMinimumPacketCount}},
		{"min count 1", []jitterbuffer.Option{one}, nil,
			[]finding{policyPushDoesNotClone, findingPlayoutHeadIsFirstArrival, findingStalePacketAfterWrap}},
		{"min count 1, caller copies", []jitterbuffer.Option{one}, []properties.Option{properties.KeepsSlice()},
			[]finding{findingPlayoutHeadIsFirstArrival, findingStalePacketAfterWrap}},
		{"min count 1, caller copies, first packet first", []jitterbuffer.Option{one},
			[]properties.Option{properties.KeepsSlice(), properties.ReorderFirstInOrder()},
			[]finding{findingStalePacketAfterWrap}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got *properties.Failure
			properties.CheckReorder(t, Factory(tc.jb...), append(tc.opts, properties.OnFailure(func(f *properties.Failure) { got = f }))...)
			if got == nil {
				t.Fatalf("CheckReorder passed; want one of %v", tc.finds)
			}
			report := got.Error()
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
		properties.KeepsSlice(), properties.ReorderFirstInOrder(), properties.ReorderNoCycle())
}

func (f finding) String() string { return f.name }
