package step

// End ends whatever a case left open on the buffers under test (a
// reservation, a peek), so that a bug which shares state between buffers
// cannot leak from one case into the next. A panic of the buffer is
// swallowed: the case is over.
func (p *Pair) End() {
	for _, b := range []Buffer{p.Impl, p.ImplOther} {
		if tp, ok := b.(TwoPhase); ok {
			func() {
				defer func() { _ = recover() }()
				_ = tp.Abort()
				_ = tp.Release()
			}()
		}
	}
}

// CheckOps runs ops on fresh buffers from newBuffer and on the model in
// lockstep, and returns the first difference (nil if there is none, or if
// both sides refuse the configuration).
func CheckOps(newBuffer Factory, capacityBytes, maxPackets int, ops []Op) error {
	p, err := NewPair(newBuffer, capacityBytes, maxPackets)
	if err != nil || p == nil {
		return err
	}
	defer p.End()
	for _, op := range ops {
		if _, err := p.Apply(op); err != nil {
			return err
		}
	}
	return nil
}

// Shrink returns a sublist of ops that still fails CheckOps, made by
// removing operations one at a time while the failure stays, to a fixed
// point. It depends on no engine and no clock: the same input always
// shrinks to the same list. A list that does not fail is returned as is.
func Shrink(newBuffer Factory, capacityBytes, maxPackets int, ops []Op) []Op {
	return shrinkList(ops, func(ops []Op) bool { return CheckOps(newBuffer, capacityBytes, maxPackets, ops) != nil })
}

// CheckOrderedOps is CheckOps for an ordered buffer.
func CheckOrderedOps(newBuffer OrderedFactory, cfg OrderedConfig, ops []OrderedOp) error {
	p, err := NewOrderedPair(newBuffer, cfg)
	if err != nil || p == nil {
		return err
	}
	for _, op := range ops {
		if _, err := p.Apply(op); err != nil {
			return err
		}
	}
	return nil
}

// ShrinkOrdered is Shrink for an ordered buffer.
func ShrinkOrdered(newBuffer OrderedFactory, cfg OrderedConfig, ops []OrderedOp) []OrderedOp {
	return shrinkList(ops, func(ops []OrderedOp) bool { return CheckOrderedOps(newBuffer, cfg, ops) != nil })
}

// shrinkList removes elements of list, last first, while fails holds.
func shrinkList[T any](list []T, fails func([]T) bool) []T {
	if !fails(list) {
		return list
	}
	for changed := true; changed; {
		changed = false
		for i := len(list) - 1; i >= 0; i-- {
			q := append(append(make([]T, 0, len(list)-1), list[:i]...), list[i+1:]...)
			if fails(q) {
				list, changed = q, true
			}
		}
	}
	return list
}
