package model

// Reserve mirrors netbuf's Reserve: PushWith up to the call of fill. The
// window is a fresh slice; Commit copies what was written into it.
func (m *Unordered) Reserve(maxSize int) ([]byte, error) {
	off, wraps, err := m.Place(maxSize)
	if err != nil {
		return nil, err
	}
	m.open = &open{p: make([]byte, maxSize), off: off, wraps: wraps}
	return m.open.p, nil
}

// Commit mirrors netbuf's Commit: fill returning (n, nil).
func (m *Unordered) Commit(n int) error {
	r, err := m.end(false)
	if err != nil {
		return err
	}
	if n < 0 || n > len(r.p) {
		return ErrInvalidLength
	}
	m.commit(r.off, r.wraps, r.p[:n])
	return nil
}

// Abort mirrors netbuf's Abort: fill returning an error.
func (m *Unordered) Abort() error {
	_, err := m.end(false)
	return err
}

// Peek mirrors netbuf's Peek: PopWith up to the call of consume. It
// returns a copy of the oldest packet.
func (m *Unordered) Peek() ([]byte, error) {
	if m.busy() {
		return nil, ErrBusy
	}
	if len(m.Packets) == 0 {
		return nil, ErrEmpty
	}
	m.open = &open{peek: true}
	return append(make([]byte, 0, len(m.Packets[0].Data)), m.Packets[0].Data...), nil
}

// Release mirrors netbuf's Release: consume returning nil.
func (m *Unordered) Release() error {
	if _, err := m.end(true); err != nil {
		return err
	}
	m.Packets = m.Packets[1:]
	return nil
}

// end closes the open Reserve (peek false) or Peek (peek true): ErrBusy
// inside a callback, ErrInvalidState if no such operation is open.
func (m *Unordered) end(peek bool) (*open, error) {
	switch r := m.open; {
	case m.inCall:
		return nil, ErrBusy
	case r == nil || r.peek != peek:
		return nil, ErrInvalidState
	default:
		m.open = nil
		return r, nil
	}
}

// Reserving reports the size of the open reservation, if one is open.
func (m *Unordered) Reserving() (maxSize int, ok bool) {
	if m.open == nil || m.open.peek {
		return 0, false
	}
	return len(m.open.p), true
}

// Peeking reports whether a peek is open.
func (m *Unordered) Peeking() bool { return m.open != nil && m.open.peek }
