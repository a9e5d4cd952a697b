package properties_test

import (
	"testing"

	"github.com/netbuf-go/netbuf/internal/scenario"
	"github.com/netbuf-go/netbuf/internal/step/spsc"
	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/properties"
)

// closing is a flag the two halves of a broken SPSC buffer share.
type closing struct{ closed, filling bool }

// closeNow's consumer answers ErrClosed as soon as the producer is closed,
// dropping the packets committed before Close instead of draining them.
type closeNowProducer struct {
	properties.Producer
	f *closing
}

func (p closeNowProducer) Close() error {
	err := p.Producer.Close()
	p.f.closed = p.f.closed || err == nil
	return err
}

type closeNowConsumer struct {
	properties.Consumer
	f *closing
}

func (c closeNowConsumer) Pop(dst []byte) (int, error) {
	if c.f.closed {
		return 0, netbuf.ErrClosed
	}
	return c.Consumer.Pop(dst)
}

// oneBusy's halves share one busy mark, as a buffer owned by one
// goroutine would: the consumer answers ErrBusy while the producer is
// inside fill.
type oneBusyProducer struct {
	properties.Producer
	f *closing
}

func (p oneBusyProducer) PushWith(maxSize int, fill func([]byte) (int, error)) (int, error) {
	if fill == nil {
		return p.Producer.PushWith(maxSize, nil)
	}
	return p.Producer.PushWith(maxSize, func(b []byte) (int, error) {
		p.f.filling = true
		defer func() { p.f.filling = false }()
		return fill(b)
	})
}

type oneBusyConsumer struct {
	properties.Consumer
	f *closing
}

func (c oneBusyConsumer) Pop(dst []byte) (int, error) {
	if c.f.filling {
		return 0, netbuf.ErrBusy
	}
	return c.Consumer.Pop(dst)
}

var brokenSPSC = map[string]properties.SPSCFactory{
	"close-now": wrapSPSC(func(p properties.Producer, c properties.Consumer, f *closing) (properties.Producer, properties.Consumer) {
		return closeNowProducer{p, f}, closeNowConsumer{c, f}
	}),
	"one-busy": wrapSPSC(func(p properties.Producer, c properties.Consumer, f *closing) (properties.Producer, properties.Consumer) {
		return oneBusyProducer{p, f}, oneBusyConsumer{c, f}
	}),
}

func wrapSPSC(w func(properties.Producer, properties.Consumer, *closing) (properties.Producer, properties.Consumer)) properties.SPSCFactory {
	return func(c, n int) (properties.Producer, properties.Consumer, error) {
		p, q, err := netbuf.NewSPSC(c, n)
		if err != nil {
			return nil, nil, err
		}
		bp, bq := w(p, q, &closing{})
		return bp, bq, nil
	}
}

func newSPSC(c, n int) (properties.Producer, properties.Consumer, error) {
	p, q, err := netbuf.NewSPSC(c, n)
	if err != nil {
		return nil, nil, err
	}
	return p, q, nil
}

// TestCheckSPSCCatchesBrokenBuffers is TestCheckUnorderedCatchesBrokenBuffers
// for CheckSPSC: each broken SPSC buffer above is rejected with a
// counterexample of at most 10 calls, a scenario that replays on netbuf
// and fails on the broken buffer.
func TestCheckSPSCCatchesBrokenBuffers(t *testing.T) {
	for name, f := range brokenSPSC {
		t.Run(name, func(t *testing.T) {
			for _, engines := range [][]properties.Option{nil, {properties.EnginesOnly()}} {
				s := rejects(t, func(opts ...properties.Option) { properties.CheckSPSC(t, f, append(opts, engines...)...) })
				if err := scenario.ReplayOf(spsc.Family{New: stepSPSC(newSPSC)}, s); err != nil {
					t.Errorf("the scenario does not replay on netbuf: %v", err)
				}
				if err := scenario.ReplayOf(spsc.Family{New: stepSPSC(f)}, s); err == nil {
					t.Errorf("the scenario passes on the broken buffer")
				}
			}
		})
	}
}

func stepSPSC(f properties.SPSCFactory) spsc.Factory {
	return func(c, n int) (spsc.Producer, spsc.Consumer, error) { return f(c, n) }
}
