package netbuf

// Batched publication (docs/SPEC.md, section 7.5). Each half publishes its
// progress with one atomic store per call; these calls end a packet
// without that store, and Flush makes one store for all of them. A
// deferred commit takes its room and slot at once, as a commit does, but
// the consumer sees it only from the Flush (or the Commit, PushWith,
// Push, Wait or Close) that publishes it; a deferred release frees its
// room for the producer only from the Flush (or the Release, PopWith,
// Pop or Wait) that publishes it.

// CommitDeferred ends the open reservation as Commit does, answering the
// same errors, but does not publish the packet: the consumer cannot see
// it until a Flush, or a Commit, PushWith, Push, Wait or Close of this
// producer, publishes it with every other deferred commit. The producer
// counts it at once (Len, Used, the room left).
func (w *Producer) CommitDeferred(n int) error {
	if !w.open {
		return w.notOpen()
	}
	r := w.res
	w.busy, w.open = false, false
	if uint(n) > uint(r.max) {
		return ErrInvalidLength
	}
	w.record(r.off, n, r.pad)
	return nil
}

// Flush publishes every deferred commit with one atomic store, and wakes
// a waiting consumer if there were any. It returns ErrBusy inside fill or
// with a reservation open, ErrClosed after Close (which flushed), and
// otherwise nil, doing nothing when nothing is deferred.
func (w *Producer) Flush() error {
	switch {
	case w.busy:
		return ErrBusy
	case w.closed:
		return ErrClosed
	}
	if w.pub != w.pushed {
		w.publish()
	}
	return nil
}

// ReleaseDeferred ends the open peek as Release does, answering the same
// errors, but does not tell the producer: the consumer moves on to the
// next packet (and its Len no longer counts this one), while the
// producer sees the room only from a Flush, or a Release, PopWith, Pop or
// Wait of this consumer, which publishes every deferred release. The
// peeked bytes stay the consumer's until then: the producer cannot write
// over them.
func (r *Consumer) ReleaseDeferred() error {
	if !r.open {
		if r.busy {
			return ErrBusy
		}
		return ErrInvalidState
	}
	r.busy, r.open = false, false
	r.take()
	return nil
}

// Flush publishes every deferred release with one atomic store, and
// wakes a waiting producer if there were any. It returns ErrBusy inside
// consume or with a peek open, and otherwise nil, doing nothing when
// nothing is deferred.
func (r *Consumer) Flush() error {
	if r.busy {
		return ErrBusy
	}
	if r.pub != r.popped {
		r.publish()
	}
	return nil
}
