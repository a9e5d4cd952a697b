package packetio

import (
	"strings"
	"testing"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
	"github.com/pion/transport/v3/packetio"
)

// declared are packetio's documented policies, as CheckFIFO's options.
// PopBlocksWhenEmpty is declared in every run: without it the check would
// Read an empty Buffer, which waits for good (TestPolicyReadBlocks).
var declared = map[string]properties.Option{
	"TestPolicyErrFull":        properties.ErrorMeans(packetio.ErrFull, netbuf.ErrWouldBlock),
	"TestPolicyShortReadDrops": properties.ShortPopDrops(),
	"TestFindingMaxPacket":     properties.MaxPacket(1<<16 - 1),
	// SetLimitSize counts a 2-byte length per packet.
	"TestPolicyLimitSizeCountsLength": properties.PacketOverhead(2),
}

// TestCheckFIFO runs CheckFIFO with every policy declared but one, in
// turn: each run must fail, with the failure of the policy left out.
func TestCheckFIFO(t *testing.T) {
	for _, tc := range []struct {
		finding string // the test in findings_test.go that pins it
		factory properties.FIFOFactory
		want    string // in the failure's report, however far rapid shrank it
	}{
		{"TestPolicyLimitSizeCountsLength", Factory, "an empty buffer refused a "},
		{"TestPolicyErrFull", Factory, "unexpected error: " + packetio.ErrFull.Error()},
		{"TestPolicyShortReadDrops", Factory, "-> io.ErrShortBuffer: Len() = "},
		{"TestFindingMaxPacket", Factory, "-> unexpected error: packet too big"},
	} {
		t.Run(tc.finding, func(t *testing.T) {
			opts := []properties.Option{properties.PopBlocksWhenEmpty()}
			for name, o := range declared {
				if name != tc.finding {
					opts = append(opts, o)
				}
			}
			var got *properties.Failure
			properties.CheckFIFO(t, tc.factory, append(opts, properties.OnFailure(func(f *properties.Failure) { got = f }))...)
			if got == nil {
				t.Fatalf("CheckFIFO passed; want the failure of %s: %q", tc.finding, tc.want)
			}
			if !strings.Contains(got.Error(), tc.want) {
				t.Fatalf("a failure other than %s's (%q): a new finding?\n%s", tc.finding, tc.want, got)
			}
			t.Logf("found as expected (see %s):\n%s", tc.finding, got)
		})
	}
}

// TestCheckFIFODeclared: with its policies declared, packetio.Buffer
// passes CheckFIFO.
func TestCheckFIFODeclared(t *testing.T) {
	opts := []properties.Option{properties.PopBlocksWhenEmpty()}
	for _, o := range declared {
		opts = append(opts, o)
	}
	properties.CheckFIFO(t, Factory, opts...)
}
