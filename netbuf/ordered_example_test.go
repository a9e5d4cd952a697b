package netbuf_test

import (
	"errors"
	"fmt"

	"github.com/netbuf-go/netbuf/netbuf"
)

// Datagrams numbered with 16-bit sequence numbers arrive out of order,
// across the wrap from 65535 to 0; the buffer hands them out in sequence
// order, reports the gap it waits on, and gives up on a lost one with
// SkipTo.
func ExampleOrderedBuffer() {
	buf, err := netbuf.NewOrderedBuffer(netbuf.OrderedConfig{
		Capacity:   256,   // storage bytes
		MaxPackets: 8,     // arrivals held at once
		Window:     8,     // accept up to Next+7
		SeqBits:    16,    // sequence numbers wrap after 65535
		First:      65534, // the first sequence expected
	})
	if err != nil {
		panic(err)
	}
	dst := make([]byte, 64)
	popAll := func() {
		for {
			seq, n, err := buf.Pop(dst)
			if errors.Is(err, netbuf.ErrGap) {
				fmt.Printf("waiting for %d, missing %v\n", buf.Next(), buf.AppendMissing(nil, 8))
				return
			}
			if err != nil { // ErrEmpty
				return
			}
			fmt.Printf("%d %q\n", seq, dst[:n])
		}
	}
	for _, d := range []struct {
		seq  uint32
		text string
	}{{65535, "b"}, {1, "d"}, {65534, "a"}} {
		if err := buf.Push(d.seq, []byte(d.text)); err != nil {
			panic(err)
		}
	}
	popAll()
	_ = buf.Push(0, []byte("c")) // the missing one arrives
	if err := buf.Push(65535, []byte("b")); errors.Is(err, netbuf.ErrLate) {
		fmt.Println("65535 again: late") // a retransmission, already delivered
	}
	popAll()
	_ = buf.Push(4, []byte("g")) // 2 and 3 are lost
	popAll()
	dropped, _ := buf.SkipTo(4) // give up waiting for them
	fmt.Println("skipped to 4, dropped", dropped)
	popAll()
	// Output:
	// 65534 "a"
	// 65535 "b"
	// waiting for 0, missing [0]
	// 65535 again: late
	// 0 "c"
	// 1 "d"
	// waiting for 2, missing [2 3]
	// skipped to 4, dropped 0
	// 4 "g"
}
