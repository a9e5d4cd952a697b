package scenario

// transitional: properties/ moves to the family packages, then this file goes.
//
// The names below are the scenario API as it was before the families got
// their own packages: Replay, Record and Ops per family, and a Scenario's
// Cap, Slots, Ordered and SPSC fields, derived from its Config. Their new
// forms are ReplayOf, RecordOf and OpsOf with the family's Family, and
// Scenario.Config.

import (
	"github.com/netbuf-go/netbuf/internal/step/lockstep"
	"github.com/netbuf-go/netbuf/internal/step/ordered"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/internal/step/unordered"
)

// Compat are a Scenario's fields as they were, derived from its Config.
type Compat struct {
	Cap     int             // capacityBytes
	Slots   int             // maxPackets
	Ordered *ordered.Config // an OrderedBuffer's configuration; nil for another buffer
	SPSC    bool            // an SPSC buffer's scenario
}

func compatOf(c lockstep.Config) Compat {
	var x Compat
	switch c := c.(type) {
	case unordered.Config:
		x.Cap, x.Slots = c.Capacity, c.MaxPackets
	case ordered.Config:
		x.Cap, x.Slots, x.Ordered = c.Capacity, c.MaxPackets, &c
	case spsc.Config:
		x.Cap, x.Slots, x.SPSC = c.Capacity, c.MaxPackets, true
	}
	return x
}

func (s Scenario) Unordered() bool {
	_, ok := s.Config.(unordered.Config)
	return ok
}
func (s Scenario) Needs() lockstep.Features        { return needs(s) }
func (s Scenario) Ops() []unordered.Op             { return OpsOf[unordered.Op](s) }
func (s Scenario) OrderedOps() []ordered.Op        { return OpsOf[ordered.Op](s) }
func (s Scenario) SPSCOps() []spsc.Op              { return OpsOf[spsc.Op](s) }
func Replay(s Scenario, f unordered.Factory) error { return ReplayOf(unordered.Family{New: f}, s) }
func ReplayOrdered(s Scenario, f ordered.Factory) error {
	return ReplayOf(ordered.Family{New: f}, s)
}
func ReplaySPSC(s Scenario, f spsc.Factory) error { return ReplayOf(spsc.Family{New: f}, s) }
func Record(c, n int, ops []unordered.Op) Scenario {
	return RecordOf(unordered.Family{}, unordered.Config{Capacity: c, MaxPackets: n}, ops)
}
func RecordOrdered(c ordered.Config, ops []ordered.Op) Scenario {
	return RecordOf(ordered.Family{}, c, ops)
}
func RecordSPSC(c, n int, ops []spsc.Op) Scenario {
	return RecordOf(spsc.Family{}, spsc.Config{Capacity: c, MaxPackets: n}, ops)
}
