package model

// FIFO is the naive model of a first-in first-out datagram buffer of any
// layout: the packets it holds, oldest first, each its own copy. It knows
// nothing of where a buffer stores them; CheckFIFO decides what a push may
// answer from the declared limits, then tells the model what happened.
type FIFO struct {
	Packets [][]byte
}

// Push appends a copy of p.
func (f *FIFO) Push(p []byte) { f.Packets = append(f.Packets, append([]byte{}, p...)) }

// Pop removes and returns the oldest packet; nil if there is none.
func (f *FIFO) Pop() []byte {
	if len(f.Packets) == 0 {
		return nil
	}
	p := f.Packets[0]
	f.Packets = f.Packets[1:]
	return p
}

// Oldest returns the oldest packet without removing it; nil if none.
func (f *FIFO) Oldest() []byte {
	if len(f.Packets) == 0 {
		return nil
	}
	return f.Packets[0]
}

// Len is the number of packets held.
func (f *FIFO) Len() int { return len(f.Packets) }

// Bytes is the number of payload bytes held.
func (f *FIFO) Bytes() int {
	n := 0
	for _, p := range f.Packets {
		n += len(p)
	}
	return n
}
