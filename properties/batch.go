package properties

import (
	"fmt"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// Batcher is the optional batched push (netbuf's PushBatch). A Buffer that
// has it is also checked against the rule its documentation states: a batch
// of k windows of maxSize bytes, back to back where PushWith(maxSize) would
// put its packet, with k = min(len(bufs), free slots, room/maxSize); and a
// batch of m packets leaves the buffer exactly as m PushWith(maxSize) calls
// with the same lengths leave the model. Failures commit nothing.
type Batcher interface {
	PushBatch(maxSize int, bufs [][]byte, fill func(bufs [][]byte) (int, error)) (int, error)
}

// batchFill says what a batch fill does.
type batchFill uint8

const (
	batchOK       batchFill = iota // fill the first M windows with Lens[i] bytes, return M
	batchErr                       // return M and ErrCallback
	batchPanic                     // panic(panicValue)
	batchInvalidM                  // return k+1 (or -1)
	batchForeign                   // replace bufs[0] by a slice that is not a prefix of window 0
	batchReenter                   // call PushWith on the same buffer (ErrBusy), then behave as batchOK
	numBatchFills
)

var batchFillNames = [...]string{"ok", "err", "panic", "invalid-m", "foreign", "reenter"}

// batchOp is one PushBatch call.
type batchOp struct {
	MaxSize int
	Bufs    int // len(bufs)
	Fill    batchFill
	Lens    []int // lengths of the packets a batchOK fill writes; M = len(Lens), capped at k
	Seed    byte
}

func (o batchOp) String() string {
	return fmt.Sprintf("pushbatch %d bufs=%d fill=%s lens=%v seed=%d", o.MaxSize, o.Bufs, batchFillNames[o.Fill], o.Lens, o.Seed)
}

// batchResult is what a PushBatch observed.
type batchResult struct {
	M       int
	Err     string
	Panic   string
	Windows [][2]int // len and cap of each window fill got
	Called  bool
	Nested  string // the reentrant call's error
	Cleared bool   // bufs[:k] were set to nil after the call
}

// pushBatch is the rapid action: it skips buffers without PushBatch.
func (m *rapidMachine) pushBatch(t *rapid.T) {
	b, ok := m.pair.Impl.(Batcher)
	if !ok {
		t.Skip("no PushBatch") // no draw yet: rapid picks another action
	}
	op := batchOp{MaxSize: m.mtu}
	if rapid.Bool().Draw(t, "any size") {
		op.MaxSize = m.drawMaxSize(t)
	}
	op.Bufs = rapid.IntRange(0, 8).Draw(t, "bufs")
	op.Fill = batchFill(rapid.IntRange(0, int(numBatchFills)-1).Draw(t, "batch fill"))
	k, wantErr := m.predictBatch(op.MaxSize, op.Bufs)
	if wantErr == "" {
		for range rapid.IntRange(0, k).Draw(t, "m") {
			op.Lens = append(op.Lens, drawN(t, op.MaxSize))
		}
	}
	op.Seed = rapid.Byte().Draw(t, "seed")
	m.ops = append(m.ops, op.String())

	before := m.pair.Ref.Used() + m.pair.Ref.Head()
	_, wraps, _ := m.pair.Ref.Place(op.MaxSize)
	got := runBatch(b, op)
	want := batchResult{Err: wantErr}
	if wantErr == "" {
		want = m.modelBatch(t, op, k)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("%s: buffer differs from model (-model +buffer):\n%s\n%s", op, d, m.counterexample())
	}
	if m.pair.Stats != nil {
		m.recordBatch(op, want, wraps, wraps && m.pair.Ref.Cap() > before)
	}
}

// predictBatch restates the batch size rule from the model: the error
// PushBatch must return first (PushWith's, then ErrInvalidSize for no
// bufs), else k.
func (m *rapidMachine) predictBatch(maxSize, nbufs int) (k int, err string) {
	ref := m.pair.Ref
	if _, _, err := ref.Place(maxSize); err != nil {
		return 0, errKind(err)
	}
	if nbufs == 0 {
		return 0, "ErrInvalidSize"
	}
	k = min(nbufs, ref.MaxPackets()-ref.Len())
	if maxSize == 0 {
		return k, ""
	}
	c, h, u := ref.Cap(), ref.Head(), ref.Used()
	room := h // wraps to 0: the head window
	if t := h + u; t > c {
		room = c - u // wrapped: the gap up to the head
	} else if c-t >= maxSize {
		room = c - t // at the tail
	}
	return min(k, room/maxSize), ""
}

// modelBatch applies op to the model as the sequence of PushWith calls a
// successful batch stands for, and returns what PushBatch must answer.
func (m *rapidMachine) modelBatch(t *rapid.T, op batchOp, k int) batchResult {
	r := batchResult{Called: true, Cleared: true, Windows: make([][2]int, k)}
	for i := range r.Windows {
		r.Windows[i] = [2]int{op.MaxSize, op.MaxSize}
	}
	switch op.Fill {
	case batchErr:
		r.Err = "ErrCallback"
		return r
	case batchPanic:
		r.Panic, r.Cleared = "propagated", false // the panic leaves bufs as fill left them
		return r
	case batchInvalidM:
		r.Err = "ErrInvalidLength"
		return r
	case batchForeign:
		if len(op.Lens) > 0 && (op.MaxSize > 0 || op.Seed%2 == 1) {
			r.Err = "ErrInvalidLength"
			return r
		}
	case batchReenter:
		r.Nested = "ErrBusy"
	}
	for i, n := range op.Lens {
		_, err := m.pair.Ref.PushWith(op.MaxSize, func(p []byte) (int, error) {
			payload(p[:n], op.Seed+byte(i))
			return n, nil
		})
		if err != nil {
			t.Fatalf("%s: the model refused packet %d of the batch: %v\n%s", op, i, err, m.counterexample())
		}
	}
	r.M = len(op.Lens)
	return r
}

// runBatch calls PushBatch as op says and reports what it observed.
func runBatch(b Batcher, op batchOp) (r batchResult) {
	bufs := make([][]byte, op.Bufs)
	defer func() {
		r.Panic = panicKind(recover(), op.Seed)
	}()
	var err error
	r.M, err = b.PushBatch(op.MaxSize, bufs, func(w [][]byte) (int, error) {
		r.Called = true
		r.Windows = make([][2]int, len(w))
		for i, p := range w {
			r.Windows[i] = [2]int{len(p), cap(p)}
		}
		mm := min(len(op.Lens), len(w))
		for i := range mm {
			n := min(op.Lens[i], len(w[i]))
			payload(w[i][:n], op.Seed+byte(i))
			w[i] = w[i][:n]
		}
		switch op.Fill {
		case batchErr:
			return mm, ErrCallback
		case batchPanic:
			panic(panicValue{op.Seed})
		case batchInvalidM:
			if op.Seed%2 == 0 {
				return -1, nil
			}
			return len(w) + 1, nil
		case batchForeign:
			if mm > 0 { // same length and capacity, or one more capacity: both foreign
				w[0] = make([]byte, len(w[0]), cap(w[0])+int(op.Seed%2))
			}
		case batchReenter:
			if pb, ok := b.(Buffer); ok {
				_, err := pb.PushWith(1, func([]byte) (int, error) { return 0, nil })
				r.Nested = errKind(err)
			}
		}
		return mm, nil
	})
	r.Err = errKind(err)
	if r.Called {
		r.Cleared = true
		for _, p := range bufs[:len(r.Windows)] {
			r.Cleared = r.Cleared && p == nil
		}
	}
	return r
}

// recordBatch counts a batch in the stats: each committed packet as a push
// (the first may wrap), a failure as one step.
func (m *rapidMachine) recordBatch(op batchOp, r batchResult, wrapped, padded bool) {
	s := m.pair.Stats
	s.Batches++
	if r.M == 0 {
		s.record(Op{Kind: OpPushWith, MaxSize: op.MaxSize, Fill: CallErr}, Result{Err: r.Err, Panic: r.Panic}, false, false)
		return
	}
	for i, n := range op.Lens {
		s.record(Op{Kind: OpPushWith, MaxSize: op.MaxSize, N: n}, Result{N: n}, wrapped && i == 0, padded && i == 0)
	}
}
