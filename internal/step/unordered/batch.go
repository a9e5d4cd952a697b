package unordered

import "github.com/netbuf-go/netbuf/internal/step/lockstep"

// runBatch calls PushBatch as op says. Its fill writes min(M, k) windows,
// window i with Lens[i] bytes (capped at its length) of the pattern of
// Seed+i, and reports them by reslicing; then it ends as Fill says.
func runBatch(b, other Buffer, op Op, r *Result) error {
	bb, ok := b.(Batcher)
	if !ok {
		return errUnsupported(op)
	}
	bufs := make([][]byte, max(op.Bufs, 0))
	fill := func(w [][]byte) (int, error) {
		r.Called = true
		r.Windows = make([][2]int, len(w))
		for i, p := range w {
			r.Windows[i] = [2]int{len(p), cap(p)}
		}
		m := min(op.batchLen(), len(w))
		for i := range m {
			n := lockstep.Clamp(op.Lens[i], 0, len(w[i]))
			lockstep.Payload(w[i][:n], op.Seed+byte(i))
			w[i] = w[i][:n]
		}
		switch op.Fill {
		case lockstep.CallInvalidM:
			if op.Seed%2 == 0 {
				return -1, nil
			}
			return len(w) + 1, nil
		case lockstep.CallForeign:
			if m > 0 { // same length and capacity, or one more capacity: both foreign
				w[0] = make([]byte, len(w[0]), cap(w[0])+int(op.Seed%2))
			}
			return m, nil
		}
		return m, finish(b, other, op, op.Fill, r)
	}
	if op.Fill == lockstep.CallNil {
		fill = nil
	}
	defer func() {
		if r.Called {
			r.Cleared = true
			for _, p := range bufs[:len(r.Windows)] {
				r.Cleared = r.Cleared && p == nil
			}
		}
	}()
	var err error
	r.N, err = bb.PushBatch(op.MaxSize, bufs, fill)
	return err
}
