package netbuf_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/netbuf-go/netbuf/netbuf"
)

// Reserve and Commit are PushWith without the callback: a reader writes
// straight into the reserved room, and only what it wrote is committed.
// Until Commit or Abort the buffer is busy.
func ExampleUnorderedBuffer_Reserve() {
	buf, _ := netbuf.NewUnorderedBuffer(64, 8)
	conn := strings.NewReader("hello") // stands for a socket

	p, err := buf.Reserve(16) // room for the largest datagram expected
	if err != nil {
		panic(err)
	}
	n, err := conn.Read(p)
	if err != nil {
		_ = buf.Abort() // a failed read commits nothing
		panic(err)
	}
	if err := buf.Commit(n); err != nil {
		panic(err)
	}
	fmt.Println("held:", buf.Len(), "used:", buf.Used())

	if _, err := buf.Reserve(16); err != nil {
		panic(err)
	}
	fmt.Println("Push while reserved:", buf.Push([]byte("x")))
	fmt.Println("Abort:", buf.Abort(), "used:", buf.Used())
	fmt.Println("Abort again:", buf.Abort())
	// Output:
	// held: 1 used: 5
	// Push while reserved: netbuf: buffer is busy
	// Abort: <nil> used: 5
	// Abort again: netbuf: no reservation or peek open
}

// Peek and Release are PopWith without the callback: the packet is read in
// place (len == cap, so an append cannot reach its neighbour) and removed
// by Release.
func ExampleUnorderedBuffer_Peek() {
	buf, _ := netbuf.NewUnorderedBuffer(64, 8)
	for _, d := range []string{"first", "", "third"} {
		if err := buf.Push([]byte(d)); err != nil {
			panic(err)
		}
	}
	for {
		p, err := buf.Peek()
		if errors.Is(err, netbuf.ErrEmpty) {
			break
		}
		fmt.Printf("%q len %d cap %d\n", p, len(p), cap(p))
		if err := buf.Release(); err != nil {
			panic(err)
		}
	}
	fmt.Println("used:", buf.Used())
	// Output:
	// "first" len 5 cap 5
	// "" len 0 cap 0
	// "third" len 5 cap 5
	// used: 0
}
