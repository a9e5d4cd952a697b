package netbuf

// PushBatch is the batched form of PushWith, for a producer that takes
// several datagrams per system call (recvmmsg): the kernel writes each
// datagram straight into the buffer's storage, with no intermediate copy.
//
// Sizes are unknown before the read, so PushBatch reserves k windows of
// maxSize bytes, back to back in the contiguous room where PushWith(maxSize)
// would put its packet (the tail window, or the head window after a wrap),
// with
//
//	k = min(len(bufs), free metadata slots, room / maxSize)   (room/0 counts as unlimited)
//
// It sets bufs[i] to window i (len == cap == maxSize) for i < k and calls
// fill(bufs[:k]). fill returns m, the number of windows it filled (0 <= m <=
// k), and reports the length of each by reslicing it in place,
// bufs[i] = bufs[i][:n], the way ReadBatch reports Message.N. A batch never
// spans the wrap: when the room left before the end of the storage holds
// fewer than len(bufs) windows, the batch is shorter, and the next one wraps.
//
// Cost, stated because it is a copy: the committed packets must lie back to
// back (the contract allows no gap but padding before a wrap), so packet 0
// stays where the kernel wrote it and each later packet i is moved down
// (memmove within the storage, data still hot in cache) to follow packet
// i-1, unless every packet before it filled its window exactly. The bytes
// moved are at most the batch's bytes minus packet 0's; none when every
// packet has exactly maxSize bytes. Keep maxSize near the real MTU: the
// larger maxSize is relative to the datagrams, the fewer windows fit.
//
// After a successful call the buffer is exactly as m calls of
// PushWith(maxSize, ...) reporting the same lengths would have left it
// (placement, padding, order), and bufs[:k] are set to nil: the windows
// alias the storage and are valid only during fill.
//
// It returns m and nil on success; m == 0 commits nothing. Otherwise it
// returns 0 and, the first that applies: the errors of PushWith in its
// order (ErrBusy, ErrInvalidSize, ErrTooLarge, ErrWouldBlock, then
// ErrNilFunc if fill is nil); ErrInvalidSize if len(bufs) == 0; the error
// fill returned, unchanged, whatever it wrote; or ErrInvalidLength if fill
// returned m < 0 or m > k, or left some bufs[i] (i < m) not a prefix of
// window i. Nothing is committed on failure, and a panic in fill propagates
// with the buffer unchanged. A fill that has both data and an error (a
// partial recvmmsg) should return the data with a nil error and the error on
// the next call.
func (b *UnorderedBuffer) PushBatch(maxSize int, bufs [][]byte, fill func(bufs [][]byte) (m int, err error)) (int, error) {
	off, pad, err := b.reserve(maxSize)
	switch {
	case err != nil:
		return 0, err
	case fill == nil:
		return 0, ErrNilFunc
	case len(bufs) == 0:
		return 0, ErrInvalidSize
	}
	k := min(len(bufs), len(b.meta.buf)-b.meta.n)
	if maxSize > 0 {
		k = min(k, b.room(off)/maxSize) // >= 1: reserve found maxSize bytes there
	}
	for i := range k {
		start, end := off+i*maxSize, off+(i+1)*maxSize
		bufs[i] = b.data[start:end:end]
	}
	b.busy = true
	m, err := b.callBatchFill(fill, bufs[:k])
	if err != nil {
		clear(bufs[:k])
		return 0, err
	}
	if !b.validBatch(off, maxSize, bufs[:k], m) {
		clear(bufs[:k])
		return 0, ErrInvalidLength
	}
	b.commitBatch(off, pad, maxSize, bufs[:m])
	clear(bufs[:k])
	return m, nil
}

// room returns the contiguous free bytes starting at off, where reserve
// placed the next packet: the gap up to head when wrapped, the tail window
// when the packet goes at the tail, else (a wrap to 0) the head window.
func (b *UnorderedBuffer) room(off int) int {
	c, tail := len(b.data), b.head+b.used
	switch {
	case tail > c:
		return c - b.used
	case off == tail:
		return c - tail
	default:
		return b.head
	}
}

// callBatchFill runs fill with the buffer marked busy, clearing the mark
// even if fill panics.
func (b *UnorderedBuffer) callBatchFill(fill func([][]byte) (int, error), bufs [][]byte) (int, error) {
	defer b.release()
	return fill(bufs)
}

// validBatch reports whether fill's answer is usable: 0 <= m <= len(bufs)
// and each of the first m windows is still a prefix of the window it was
// given (same first byte, same capacity).
func (b *UnorderedBuffer) validBatch(off, maxSize int, bufs [][]byte, m int) bool {
	if m < 0 || m > len(bufs) {
		return false
	}
	for i, w := range bufs[:m] {
		if cap(w) != maxSize {
			return false
		}
		if maxSize > 0 && &w[:1][0] != &b.data[off+i*maxSize] {
			return false
		}
	}
	return true
}

// commitBatch commits the filled windows back to back from off, moving each
// packet down to the end of the one before it when they are apart. copy is
// a memmove, so overlapping source and destination are fine (dst < src).
func (b *UnorderedBuffer) commitBatch(off, pad, maxSize int, bufs [][]byte) {
	pos := off
	for i, w := range bufs {
		n, src := len(w), off+i*maxSize
		if src != pos && n > 0 {
			copy(b.data[pos:pos+n], b.data[src:src+n])
		}
		b.commit(pos, n, pad)
		pad = 0 // only the first packet of a batch can wrap
		pos += n
	}
}
