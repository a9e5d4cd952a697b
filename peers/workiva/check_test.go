package workiva

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/Workiva/go-datastructures/queue"
	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// declared are RingBuffer's policies, as CheckRing's options: its own
// answers for a full and an empty ring, and its capacity rounded up to a
// power of two (TestPolicyCapacityRoundsUp).
var declared = map[string]properties.Option{
	"TestPolicyOwnErrors/full":   properties.ErrorMeans(ErrFull, netbuf.ErrWouldBlock),
	"TestPolicyOwnErrors/empty":  properties.ErrorMeans(queue.ErrTimeout, netbuf.ErrEmpty),
	"TestPolicyCapacityRoundsUp": properties.CapacityRoundsUp(),
	"TestPolicyBoxesValues":      properties.Allocates(),
}

// positive steps around TestFindingCapacityZeroPanics: it refuses a
// capacity below 1 with netbuf.ErrInvalidSize, as CheckRing requires and
// NewRingBuffer, which has no error, cannot. No option of CheckRing
// declares a constructor that refuses nothing.
func positive(capacity int) (properties.Ring, error) {
	if capacity < 1 {
		return nil, netbuf.ErrInvalidSize
	}
	return Factory(capacity)
}

// atLeastTwo steps around TestFindingCapacityOneNeverFull as well: it asks
// for 2 cells when 1 is asked for, which CapacityRoundsUp allows.
func atLeastTwo(capacity int) (properties.Ring, error) {
	if capacity == 1 {
		capacity = 2
	}
	return positive(capacity)
}

// TestCheckRing runs CheckRing on RingBuffer as it comes, then with each
// finding stepped around in turn, then with each policy left undeclared:
// each run must fail, the way of the finding or policy it names.
func TestCheckRing(t *testing.T) {
	for _, tc := range []struct {
		finding string // the test in findings_test.go that pins it
		factory properties.RingFactory
		omit    string // the declared option left out
		want    func(report string) bool
	}{
		{"TestFindingCapacityZeroPanics", Factory, "", has("New(0) = a buffer, want ErrInvalidSize")},
		{"TestFindingCapacityOneNeverFull", positive, "", has("ring {Err: V:0 Len:2 Cap:1 Panic:}, model {Err:ErrWouldBlock")},
		{"TestPolicyCapacityRoundsUp", atLeastTwo, "TestPolicyCapacityRoundsUp", capDiffers},
		{"TestPolicyOwnErrors/full", atLeastTwo, "TestPolicyOwnErrors/full", has("unexpected error: " + ErrFull.Error())},
		{"TestPolicyOwnErrors/empty", atLeastTwo, "TestPolicyOwnErrors/empty", has("unexpected error: " + queue.ErrTimeout.Error())},
		{"TestPolicyBoxesValues", atLeastTwo, "TestPolicyBoxesValues", has("Push then Pop allocates 1.0 times per call")},
	} {
		t.Run(tc.finding, func(t *testing.T) {
			var opts []properties.Option
			for name, o := range declared {
				if name != tc.omit {
					opts = append(opts, o)
				}
			}
			var got *properties.Failure
			properties.CheckRing(t, tc.factory, append(opts, properties.OnFailure(func(f *properties.Failure) { got = f }))...)
			if got == nil {
				t.Fatalf("CheckRing passed; want the failure of %s", tc.finding)
			}
			if !tc.want(got.Error()) {
				t.Fatalf("a failure other than %s's: a new finding?\n%s", tc.finding, got)
			}
			t.Logf("found as expected (see %s):\n%s", tc.finding, got)
		})
	}
}

func has(s string) func(string) bool {
	return func(report string) bool { return strings.Contains(report, s) }
}

var capsOf = regexp.MustCompile(`ring \{.* Cap:(\d+) Panic:\}, model \{.* Cap:(\d+) Panic:\}`)

// capDiffers tells a report of the ring's Cap() differing from the model's.
func capDiffers(report string) bool {
	m := capsOf.FindStringSubmatch(report)
	return m != nil && m[1] != m[2]
}

// TestCheckRingStepsAroundFindings: with both findings stepped around
// (capacities below 1 refused, at least 2 cells) and its policies
// declared, RingBuffer passes CheckRing.
func TestCheckRingStepsAroundFindings(t *testing.T) {
	var opts []properties.Option
	for _, o := range declared {
		opts = append(opts, o)
	}
	properties.CheckRing(t, atLeastTwo, opts...)
}

// TestCheckRingReplaysFinding: the shrunk case of
// TestFindingCapacityOneNeverFull, saved in testdata/, is replayed by
// CheckRing's corpus engine before rapid, and passes once the finding is
// stepped around.
func TestCheckRingReplaysFinding(t *testing.T) {
	opts := []properties.Option{properties.Corpus(os.DirFS("testdata"))}
	for _, o := range declared {
		opts = append(opts, o)
	}
	var got *properties.Failure
	properties.CheckRing(t, positive, append(opts, properties.OnFailure(func(f *properties.Failure) { got = f }))...)
	if got == nil || got.Engine != "corpus" || !strings.Contains(got.Error(), "capacity-one-never-full.scn") {
		t.Fatalf("want the saved scenario to fail in the corpus engine, got %v", got)
	}
	properties.CheckRing(t, atLeastTwo, opts...)
}
