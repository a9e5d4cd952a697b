package model

// BatchSize is the rule of PushBatch (docs/SPEC.md, "PushBatch"): the error
// it answers before calling fill (PushWith's checks in order, then
// ErrInvalidSize for no bufs; a nil fill is checked by PushBatch itself), or
// k, the number of windows of maxSize bytes it offers: as many as fit in
// the room where PushWith(maxSize) would put its packet, capped by nbufs and
// the free metadata slots (any number of empty windows fit).
func (m *Unordered) BatchSize(maxSize, nbufs int) (k int, err error) {
	_, wraps, err := m.Place(maxSize)
	if err != nil {
		return 0, err
	}
	if nbufs == 0 {
		return 0, ErrInvalidSize
	}
	k = min(nbufs, m.Slots-len(m.Packets))
	if maxSize == 0 {
		return k, nil
	}
	tail, head := m.Windows()
	room := tail
	if wraps {
		room = head
	}
	return min(k, room/maxSize), nil
}

// PushBatch mirrors netbuf's PushBatch as naively as its rule allows: it
// offers k fresh windows, and commits what fill reports as m PushWith calls
// of maxSize with those lengths would.
func (m *Unordered) PushBatch(maxSize int, bufs [][]byte, fill func(bufs [][]byte) (int, error)) (int, error) {
	if _, _, err := m.Place(maxSize); err != nil {
		return 0, err
	}
	if fill == nil {
		return 0, ErrNilFunc
	}
	k, err := m.BatchSize(maxSize, len(bufs))
	if err != nil {
		return 0, err
	}
	windows := make([][]byte, k)
	for i := range windows {
		windows[i] = make([]byte, maxSize)
		bufs[i] = windows[i]
	}
	mm, err := callFill(m, fill, bufs[:k])
	got := append([][]byte{}, bufs[:k]...)
	clear(bufs[:k])
	if err != nil {
		return 0, err
	}
	if mm < 0 || mm > k {
		return 0, ErrInvalidLength
	}
	for i, w := range got[:mm] {
		if cap(w) != maxSize || maxSize > 0 && &w[:1][0] != &windows[i][0] {
			return 0, ErrInvalidLength
		}
	}
	for _, w := range got[:mm] {
		_, err := m.PushWith(maxSize, func(p []byte) (int, error) { return copy(p, w), nil })
		if err != nil {
			panic("model: a batch window the rule offered did not fit: " + err.Error())
		}
	}
	return mm, nil
}
