package netbuf_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/netbuf-go/netbuf/netbuf"
)

// A producer goroutine and a consumer goroutine share one buffer with no
// lock: the producer writes straight into the storage (Reserve, Commit),
// waits when the consumer is behind, and closes; the consumer waits for
// packets, reads them in place (Peek, Release) and stops at ErrClosed.
func ExampleNewSPSC() {
	p, c, err := netbuf.NewSPSC(64, 4) // tiny, so that the producer waits
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	go func() {
		for i := range 10 {
			// The window for a packet of up to 16 bytes; a socket read
			// would go here: n, err := conn.Read(b).
			b, err := p.Reserve(16)
			if errors.Is(err, netbuf.ErrWouldBlock) {
				if err = p.Wait(ctx, 16); err == nil { // sleeps until the consumer frees room
					b, err = p.Reserve(16)
				}
			}
			if err != nil {
				panic(err)
			}
			_ = p.Commit(copy(b, fmt.Sprintf("packet %d", i)))
		}
		_ = p.Close() // the consumer gets what was committed, then ErrClosed
	}()
	for {
		if err := c.Wait(ctx); errors.Is(err, netbuf.ErrClosed) {
			break
		}
		b, _ := c.Peek() // valid until Release; the producer never writes a held packet
		fmt.Println(string(b))
		_ = c.Release()
	}
	// Output:
	// packet 0
	// packet 1
	// packet 2
	// packet 3
	// packet 4
	// packet 5
	// packet 6
	// packet 7
	// packet 8
	// packet 9
}

// PushWith and PopWith scope the access to the storage to a callback;
// each half is busy only for itself, so the consumer may pop while fill
// runs (here, for brevity, on one goroutine).
func ExampleProducer_PushWith() {
	p, c, _ := netbuf.NewSPSC(1500, 8)
	_, _ = p.PushWith(100, func(b []byte) (int, error) {
		return copy(b, "hello"), nil
	})
	_ = c.PopWith(func(b []byte) error {
		fmt.Printf("%s (%d packets held while consuming)\n", b, c.Len())
		return nil
	})
	_, err := c.Pop(make([]byte, 100))
	fmt.Println(err)
	// Output:
	// hello (1 packets held while consuming)
	// netbuf: buffer is empty
}
