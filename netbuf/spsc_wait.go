package netbuf

import (
	"context"
	"sync/atomic"
)

// notifier wakes a half that waits for the other (Producer.Wait,
// Consumer.Wait) with no busy loop and no lock. The waiter announces
// itself (sleeping), looks at the shared counters again, and sleeps on a
// 1-buffered channel; the other half stores its counter, then looks at
// sleeping, and if set sends without blocking. Both sides store, then
// load, sequentially consistent atomics (the Go memory model), so at least
// one of them sees the other's store: either the waiter sees the change
// and does not sleep, or the other half sees the waiter and wakes it. A
// token left in the channel only causes one more look.
//
// The waiter sleeps as soon as it has looked once and found nothing: it
// does not yield and look again first. While it sleeps, the other half
// runs on alone and commits (or frees) a batch, which the waiter then
// takes in one stretch; a waiter that yields and looks again finds one
// packet or one slot at a time, and both halves then pay, on every packet,
// for cache lines the other has just written (docs/spsc.md, benchmarks).
type notifier struct {
	sleeping atomic.Bool
	ch       chan struct{}
}

func (n *notifier) init() { n.ch = make(chan struct{}, 1) }

// wake wakes the waiter, if one is announced, and takes the announcement
// back, so that the commits or releases made before the waiter runs again
// do not each send: the waiter announces itself again if it must sleep
// again. It costs one atomic load when nobody sleeps.
func (n *notifier) wake() {
	if n.sleeping.Load() && n.sleeping.CompareAndSwap(true, false) {
		select {
		case n.ch <- struct{}{}:
		default: // a token is there already
		}
	}
}

// sleep waits for a wake or for ctx, and returns ctx's error if ctx ended
// first; the caller announced itself and looked again before.
func (n *notifier) sleep(ctx context.Context) error {
	select {
	case <-n.ch:
		return nil
	case <-ctx.Done():
		n.sleeping.Store(false)
		return ctx.Err()
	}
}

// Wait blocks until Reserve(maxSize) would succeed, and returns nil; a
// call of Reserve, PushWith or Push of maxSize bytes that follows then
// succeeds, since only the producer takes room. It returns at once the
// errors no wait can cure (ErrBusy, ErrClosed, ErrInvalidSize,
// ErrTooLarge), and ctx.Err() if ctx ends first (room found before that
// wins, even with ctx already done). It wakes when the consumer releases
// a packet, with no busy loop. Unless busy or closed, it first publishes
// the deferred commits (as Flush), so that a consumer waiting for them
// wakes.
func (w *Producer) Wait(ctx context.Context, maxSize int) error {
	if !w.busy && w.pub != w.pushed {
		w.publish() // closed implies nothing deferred
	}
	if _, ok := w.fits(maxSize); ok {
		return nil
	}
	for {
		w.s.room.sleeping.Store(true)
		if _, _, err := w.place(maxSize); err != ErrWouldBlock {
			w.s.room.sleeping.Store(false)
			return err
		}
		if err := w.s.room.sleep(ctx); err != nil {
			return err
		}
	}
}

// Wait blocks until a packet is held, and returns nil: a Peek, PopWith or
// Pop that follows then finds it. It returns ErrClosed once the producer
// is closed and every packet it committed has been popped, ErrBusy at
// once if the consumer is busy, and ctx.Err() if ctx ends first (a packet
// found before that wins). It wakes when the producer commits or closes,
// with no busy loop. Unless busy, it first publishes the deferred
// releases (as Flush), so that a producer waiting for the room wakes.
func (r *Consumer) Wait(ctx context.Context) error {
	if r.busy {
		return ErrBusy
	}
	if r.pub != r.popped {
		r.publish()
	}
	if _, err := r.front(); err != ErrEmpty {
		return err
	}
	for {
		r.s.ready.sleeping.Store(true)
		if _, err := r.front(); err != ErrEmpty {
			r.s.ready.sleeping.Store(false)
			return err
		}
		if err := r.s.ready.sleep(ctx); err != nil {
			return err
		}
	}
}
