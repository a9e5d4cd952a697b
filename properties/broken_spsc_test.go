package properties_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// closing is a flag the two halves of a broken SPSC buffer share.
type closing struct{ closed, filling bool }

// closeNow's consumer answers ErrClosed as soon as the producer is closed,
// dropping the packets committed before Close instead of draining them.
type closeNowProducer struct {
	properties.SPSCProducer
	f *closing
}

func (p closeNowProducer) Close() error {
	err := p.SPSCProducer.Close()
	p.f.closed = p.f.closed || err == nil
	return err
}

type closeNowConsumer struct {
	properties.SPSCConsumer
	f *closing
}

func (c closeNowConsumer) Pop(dst []byte) (int, error) {
	if c.f.closed {
		return 0, netbuf.ErrClosed
	}
	return c.SPSCConsumer.Pop(dst)
}

// oneBusy's halves share one busy mark, as a buffer owned by one
// goroutine would: the consumer answers ErrBusy while the producer is
// inside fill.
type oneBusyProducer struct {
	properties.SPSCProducer
	f *closing
}

func (p oneBusyProducer) PushWith(maxSize int, fill func([]byte) (int, error)) (int, error) {
	if fill == nil {
		return p.SPSCProducer.PushWith(maxSize, nil)
	}
	return p.SPSCProducer.PushWith(maxSize, func(b []byte) (int, error) {
		p.f.filling = true
		defer func() { p.f.filling = false }()
		return fill(b)
	})
}

type oneBusyConsumer struct {
	properties.SPSCConsumer
	f *closing
}

func (c oneBusyConsumer) Pop(dst []byte) (int, error) {
	if c.f.filling {
		return 0, netbuf.ErrBusy
	}
	return c.SPSCConsumer.Pop(dst)
}

var brokenSPSC = map[string]properties.SPSCFactory{
	"close-now": wrapSPSC(func(p properties.SPSCProducer, c properties.SPSCConsumer, f *closing) (properties.SPSCProducer, properties.SPSCConsumer) {
		return closeNowProducer{p, f}, closeNowConsumer{c, f}
	}),
	"one-busy": wrapSPSC(func(p properties.SPSCProducer, c properties.SPSCConsumer, f *closing) (properties.SPSCProducer, properties.SPSCConsumer) {
		return oneBusyProducer{p, f}, oneBusyConsumer{c, f}
	}),
}

func wrapSPSC(w func(properties.SPSCProducer, properties.SPSCConsumer, *closing) (properties.SPSCProducer, properties.SPSCConsumer)) properties.SPSCFactory {
	return func(c, n int) (properties.SPSCProducer, properties.SPSCConsumer, error) {
		p, q, err := netbuf.NewSPSC(c, n)
		if err != nil {
			return nil, nil, err
		}
		bp, bq := w(p, q, &closing{})
		return bp, bq, nil
	}
}

func newSPSC(c, n int) (properties.SPSCProducer, properties.SPSCConsumer, error) {
	p, q, err := netbuf.NewSPSC(c, n)
	if err != nil {
		return nil, nil, err
	}
	return p, q, nil
}

// spscBlock matches a failure's SPSC scenario.
var spscBlock = regexp.MustCompile(`(?m)^\s*spsc \d+ \d+\n(?:\s+[a-z]+ ?[^\n]*-> [^\n]*\n?)*`)

// TestCheckSPSCCatchesBrokenBuffers is TestCheckUnorderedCatchesBrokenBuffers
// for CheckSPSC: each broken SPSC buffer above is rejected by both engines
// with a counterexample of at most 10 calls, printed as a scenario that
// replays on netbuf and fails on the broken buffer.
func TestCheckSPSCCatchesBrokenBuffers(t *testing.T) {
	if name := os.Getenv(brokenEnv); name != "" {
		properties.CheckSPSC(t, brokenSPSC[name])
		return
	}
	for name := range brokenSPSC {
		t.Run(name, func(t *testing.T) {
			for _, s := range childRejects(t, "TestCheckSPSCCatchesBrokenBuffers", name, spscBlock, 2) {
				if err := scenario.ReplaySPSC(s, newSPSC); err != nil {
					t.Errorf("the scenario does not replay on netbuf: %v\n%s", err, scenario.Format([]scenario.Scenario{s}))
				}
				if err := scenario.ReplaySPSC(s, brokenSPSC[name]); err == nil {
					t.Errorf("the scenario passes on the broken buffer:\n%s", scenario.Format([]scenario.Scenario{s}))
				}
			}
		})
	}
}
