package properties

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// CheckReorder drives buffers from f with rapid: a stream of packets that
// starts near 65535 (so that it wraps), shuffled within a window, some
// duplicated, some late, some missing until the end, pops in between; in
// one case out of two, then, a run round the whole sequence space and a
// second stream over the same sequences. Packet #k is the k-th of the
// stream: sequence start+k, payload k on 8 bytes. It checks:
//
//	(a) at most once: a packet, however many copies were pushed;
//	(b) serial order: each delivery follows the last in RFC 1982 order, so
//	    a late packet (pushed after a later one was delivered) never is;
//	(c) byte for byte: the payload delivered is the payload pushed;
//	(d) only what was pushed: a sequence, in this round of the sequence
//	    space, only once its packet was pushed;
//	(e) liveness: no held packet is skipped (delivering s+1 while s is held
//	    loses s); once every packet from the next expected to the last held
//	    was pushed, pops deliver them all. Before that, Pop may fail.
//
// A failure is reported once, shrunk: the pushes and pops of the case, and
// what was expected and observed (in Failure.Err: the case is not a corpus
// scenario). ReorderFirstInOrder, ReorderNoCycle and KeepsSlice declare
// documented policies.
func CheckReorder(t testing.TB, f ReorderFactory, opts ...Option) {
	t.Helper()
	r := newRun(t, "CheckReorder", opts)
	o := reorderOpts{firstInOrder: r.cfg.firstInOrder, noCycle: r.cfg.noCycle, keepsSlice: r.cfg.keepsSlice}
	var last string // the newest failing case: after shrinking, the minimal one
	failed, replay := runRapid(r, 100, shrinkTime, func(rt *rapid.T) {
		c := &reorderCase{opts: o, rt: rt, buf: f(), report: &last, pending: map[int64]bool{}, delivered: make([]bool, 1<<17), run: -1}
		cycle := !o.noCycle && rapid.IntRange(0, 1).Draw(rt, "cycle") == 1 // first: shrinks first
		c.start = rapid.Uint16Range(65520, 65535).Draw(rt, "start")
		c.stream(0)
		c.drain()
		if !cycle {
			return
		}
		for c.run, c.at = c.next, c.next-1; c.at < 1<<16-1; { // logged as one line
			c.at++
			c.push(c.at, "")
			c.pop()
		}
		c.ops = append(c.ops, c.runLine(""))
		c.run = -1
		c.stream(1 << 16)
		c.drain()
	})
	if failed { // a panic of the buffer is in rapid's message, not in last
		r.fail(&Failure{Engine: "rapid", Replay: replay, Err: errors.New(last)})
	}
}

// reorderOpts are the policies CheckReorder steps around.
type reorderOpts struct{ firstInOrder, noCycle, keepsSlice bool }

// reorderCase is one case: the buffer, what it may deliver, and the log.
type reorderCase struct {
	opts      reorderOpts
	rt        *rapid.T
	buf       Reorderer
	report    *string
	start     uint16         // sequence of packet #0
	started   bool           // something was delivered
	next      int64          // after a delivery: the packet expected next
	pending   map[int64]bool // pushed, not delivered, still deliverable
	delivered []bool         // by packet
	ops       []string       // the log of the case
	run, at   int64          // the run round the sequence space: its first packet (-1: none) and the last pushed
}

// stream pushes packets #from.. as a network delivers them; 0 to 2 pops
// follow each push.
func (c *reorderCase) stream(from int64) {
	rt := c.rt
	var arr [][2]int64 // arrival time, packet
	for i := range rapid.IntRange(1, 24).Draw(rt, "packets") {
		k, at, fate := from+int64(i), int64(i+rapid.IntRange(0, 4).Draw(rt, "delay")), rapid.IntRange(0, 5).Draw(rt, "fate")
		if i == 0 && from == 0 && c.opts.firstInOrder {
			at, fate = -1, fate%4 // a copy may follow, later
		}
		switch fate {
		case 3: // duplicated, the copy up to 8 places later
			arr = append(arr, [2]int64{at, k}, [2]int64{at + int64(rapid.IntRange(0, 8).Draw(rt, "copy delay")), k})
		case 4: // late
			arr = append(arr, [2]int64{at + 12 + int64(rapid.IntRange(0, 12).Draw(rt, "lateness")), k})
		case 5: // missing until the drain
		default:
			arr = append(arr, [2]int64{at, k})
		}
	}
	slices.SortStableFunc(arr, func(a, b [2]int64) int { return int(a[0] - b[0]) })
	for _, a := range arr {
		c.push(a[1], "")
		for range rapid.IntRange(0, 2).Draw(rt, "pops") {
			c.pop()
		}
	}
}

// drain pushes every packet missing from the next expected to the last
// held, then pops until everything held is delivered: liveness (e).
func (c *reorderCase) drain() {
	if len(c.pending) == 0 {
		return
	}
	for k := c.expected(); k < slices.Max(slices.Collect(maps.Keys(c.pending))); k++ {
		if !c.pending[k] {
			c.push(k, " (drain: fills a gap)")
		}
	}
	for len(c.pending) > 0 {
		if !c.pop() {
			c.fail("(e) liveness", fmt.Sprintf("pop -> %s: it and all after it up to the last held were pushed", c.name(c.expected())), c.ops[len(c.ops)-1])
		}
	}
}

// push pushes packet #k; the model holds it unless it is late.
func (c *reorderCase) push(k int64, tag string) {
	p := binary.BigEndian.AppendUint64(nil, uint64(k))
	err := c.buf.Push(c.seq(k), p)
	if c.started && k < c.next {
		tag += " (late)"
	} else if c.pending[k] {
		tag += " (copy)"
	}
	if c.run < 0 && err != nil {
		c.ops = append(c.ops, "push "+c.name(k)+tag+" -> error: "+err.Error())
	} else if c.run < 0 {
		c.ops = append(c.ops, "push "+c.name(k)+tag)
	}
	if !c.opts.keepsSlice {
		for i := range p {
			p[i] = ^p[i] // the caller reads its next datagram into p
		}
	}
	if err == nil && (!c.started || k >= c.next) {
		c.pending[k] = true
	}
}

// pop pops and checks what it delivers against (a) to (e).
func (c *reorderCase) pop() bool {
	s, p, err := c.buf.Pop()
	if err != nil {
		if c.run < 0 {
			c.ops = append(c.ops, "pop -> error: "+err.Error())
		}
		return false
	}
	k := c.expected() + int64(int16(s-c.seq(c.expected()))) // the packet with sequence s nearest to it
	got := func() string { return fmt.Sprintf("pop -> %s, %s", c.name(k), payload(p)) }
	if c.run < 0 {
		c.ops = append(c.ops, got())
	}
	switch {
	case k >= 0 && k < int64(len(c.delivered)) && c.delivered[k]:
		c.fail("(a) at most once", "each packet delivered once", got()+": delivered again")
	case c.started && k < c.next:
		c.fail("(b) serial order", fmt.Sprintf("a sequence after %d", c.seq(c.next-1)), got())
	case !c.pending[k]:
		c.fail("(d) only what was pushed", fmt.Sprintf("nothing for %s: it is not held", c.name(k)), got())
	case len(p) != 8 || binary.BigEndian.Uint64(p) != uint64(k):
		c.fail("(c) byte for byte", fmt.Sprintf("payload of #%d", k), got())
	case k > c.expected() && slices.Min(slices.Collect(maps.Keys(c.pending))) < k:
		h := c.name(slices.Min(slices.Collect(maps.Keys(c.pending))))
		c.fail("(e) liveness", "pop -> "+h+", which is held", got()+": "+h+" is skipped")
	}
	delete(c.pending, k)
	c.delivered[k], c.started, c.next = true, true, k+1 // held, so 0 <= k < 1<<17
	return true
}

// expected is the packet expected next: after a delivery the one after it;
// before any, the earliest held.
func (c *reorderCase) expected() int64 {
	if c.started || len(c.pending) == 0 {
		return c.next
	}
	return slices.Min(slices.Collect(maps.Keys(c.pending)))
}

func (c *reorderCase) seq(k int64) uint16  { return c.start + uint16(k) }
func (c *reorderCase) name(k int64) string { return fmt.Sprintf("%d (#%d)", c.seq(k), k) }

// runLine sums up the run round the sequence space, in the log.
func (c *reorderCase) runLine(end string) string {
	return fmt.Sprintf("push, then pop, each of %s..%s (%d packets)%s", c.name(c.run), c.name(c.at), c.at-c.run+1, end)
}

// fail records the case as the newest failure and stops it.
func (c *reorderCase) fail(property, want, got string) {
	if c.run >= 0 {
		c.ops = append(c.ops, c.runLine(", the last pop: "+got))
	}
	*c.report = fmt.Sprintf("property %s violated\n  expected: %s\n  observed: %s\n%d ops, sequence of packet #0 = %d:\n  %s",
		property, want, got, len(c.ops), c.start, strings.Join(c.ops, "\n  "))
	c.rt.Fatalf("property %s: expected %s, observed %s", property, want, got)
}

// payload names a payload by the packet it was pushed for, if it is one.
func payload(p []byte) string {
	if len(p) == 8 && binary.BigEndian.Uint64(p) < 1<<20 {
		return fmt.Sprintf("payload of #%d", binary.BigEndian.Uint64(p))
	}
	return fmt.Sprintf("payload [% x]", p)
}
