package netbuf_test

import (
	"fmt"

	"github.com/netbuf-go/netbuf/netbuf"
)

// PushBatch hands out several MTU-sized windows at once, as a recvmmsg
// needs; the fill reports each datagram's length by reslicing its window,
// and the packets are committed back to back. (Package netbuf/udp does this
// with a real socket.)
func ExampleUnorderedBuffer_PushBatch() {
	buf, _ := netbuf.NewUnorderedBuffer(64, 8)
	windows := make([][]byte, 4) // at most 4 datagrams per call
	m, err := buf.PushBatch(16, windows, func(w [][]byte) (int, error) {
		fmt.Println("windows:", len(w), "of", len(w[0]), "bytes") // 64/16 = 4 fit
		for i, d := range []string{"one", "", "three"} {          // "the kernel" fills 3
			w[i] = w[i][:copy(w[i], d)]
		}
		return 3, nil
	})
	fmt.Println("committed:", m, err, "used:", buf.Used())
	for buf.Len() > 0 {
		_ = buf.PopWith(func(p []byte) error { fmt.Printf("%q\n", p); return nil })
	}
	// Output:
	// windows: 4 of 16 bytes
	// committed: 3 <nil> used: 8
	// "one"
	// ""
	// "three"
}
