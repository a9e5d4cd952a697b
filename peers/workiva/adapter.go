// Package workiva checks the bounded queue of
// github.com/Workiva/go-datastructures (queue.RingBuffer, a lock-free
// multi-producer multi-consumer ring) with netbuf's ring properties
// (properties.CheckRing). It is a module of its own, so that netbuf's
// module does not depend on go-datastructures.
package workiva

import (
	"errors"
	"time"

	"github.com/Workiva/go-datastructures/queue"
	"github.com/netbuf-go/netbuf/properties"
)

// ErrFull is what Push answers when Offer reports false: "If the queue is
// full, this call will return false."
var ErrFull = errors.New("workiva: Offer returned false: the ring is full")

// Adapter is a queue.RingBuffer as a properties.Ring, method for method:
// Push is Offer, Pop is Poll, Len and Cap are Len and Cap.
type Adapter struct {
	R *queue.RingBuffer
}

// Factory is a properties.RingFactory of Adapters: NewRingBuffer(capacity),
// which has no error to return (a negative capacity converts to a huge
// uint64, as any caller's conversion would).
func Factory(capacity int) (properties.Ring, error) {
	return &Adapter{R: queue.NewRingBuffer(uint64(capacity))}, nil
}

// Push is Offer: ErrFull when it returns false.
func (a *Adapter) Push(v uint64) error {
	ok, err := a.R.Offer(v)
	if err == nil && !ok {
		err = ErrFull
	}
	return err
}

// Pop is Poll with the shortest timeout: a value at once if one is held,
// else queue.ErrTimeout. (Get and Poll(0) wait for a value.)
func (a *Adapter) Pop() (uint64, error) {
	v, err := a.R.Poll(time.Nanosecond)
	if err != nil {
		return 0, err
	}
	return v.(uint64), nil
}

// Len is Len.
func (a *Adapter) Len() int { return int(a.R.Len()) }

// Cap is Cap.
func (a *Adapter) Cap() int { return int(a.R.Cap()) }
