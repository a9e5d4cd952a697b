package netbuf

import (
	"context"
	"runtime"
	"sync/atomic"
)

// spinYields is how many times a Wait yields the processor and looks
// again before it sleeps: a packet or room that comes within a few
// scheduler passes costs no wake-up.
const spinYields = 3

// notifier wakes a half that waits for the other (Producer.Wait,
// Consumer.Wait) with no busy loop and no lock. The waiter first yields
// the processor spinYields times, looking again after each (what comes
// within a few scheduler passes then costs no sleep and no wake-up). Then
// it announces itself (sleeping), looks at the shared counters again, and
// sleeps on a 1-buffered channel; the other half stores its counter, then
// looks at sleeping, and if set sends without blocking. Both sides store,
// then load, sequentially consistent atomics (the Go memory model), so at
// least one of them sees the other's store: either the waiter sees the
// change and does not sleep, or the other half sees the waiter and wakes
// it. A token left in the channel only causes one more look.
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
// a packet, with no busy loop.
func (w *Producer) Wait(ctx context.Context, maxSize int) error {
	if _, ok := w.fits(maxSize); ok {
		return nil
	}
	for range spinYields {
		runtime.Gosched()
		if _, _, err := w.place(maxSize); err != ErrWouldBlock {
			return err
		}
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
// with no busy loop.
func (r *Consumer) Wait(ctx context.Context) error {
	if r.busy {
		return ErrBusy
	}
	if _, err := r.front(); err != ErrEmpty {
		return err
	}
	for range spinYields {
		runtime.Gosched()
		if _, err := r.front(); err != ErrEmpty {
			return err
		}
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
