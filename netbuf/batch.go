package netbuf

// PushBatch is PushWith for a reader that takes several datagrams per
// system call (recvmmsg). It sets bufs[i] (i < k) to k windows of maxSize
// bytes (len == cap), back to back where PushWith(maxSize) would put its
// packet, k = min(len(bufs), free slots, contiguous room/maxSize): a batch
// never spans the wrap. fill(bufs[:k]) returns m, the windows it filled, and
// reslices each in place to its length (bufs[i] = bufs[i][:n]). The m packets
// are committed as m PushWith calls with those lengths would commit them, and
// bufs[:k] are set to nil. It returns (m, nil), m == 0 committing nothing, or
// 0 and the first that applies: PushWith's errors up to ErrNilFunc;
// ErrInvalidSize if len(bufs) == 0; fill's error, unchanged; ErrInvalidLength
// if m is outside [0, k] or some bufs[i], i < m, is no prefix of window i.
// Failure, a panic in fill included, commits nothing. A partial read should
// return its data with a nil error, and its error on the next call.
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
	k := min(len(bufs), b.meta.Cap()-b.meta.Len())
	if maxSize > 0 {
		k = min(k, b.contiguous(off)/maxSize) // >= 1: reserve found maxSize bytes there
	}
	for i := range k {
		start, end := off+i*maxSize, off+(i+1)*maxSize
		bufs[i] = b.data[start:end:end]
	}
	b.enter()
	defer b.leave()
	m, err := fill(bufs[:k])
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
// packet down to the end of the one before it when they are apart (the
// storage holds no gap but padding before a wrap). copy is a memmove, so
// overlapping source and destination are fine (dst < src).
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
