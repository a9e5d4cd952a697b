package netbuf_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
)

// A receive queue of datagrams: push them as they arrive, pop them in order.
func Example() {
	buf, err := netbuf.NewUnorderedBuffer(64, 8) // 64 bytes of storage, up to 8 packets
	if err != nil {
		panic(err)
	}
	for _, d := range []string{"first", "", "third"} { // zero-length datagrams are packets too
		if err := buf.Push([]byte(d)); err != nil {
			panic(err)
		}
	}
	dst := make([]byte, 64)
	for buf.Len() > 0 {
		n, err := buf.Pop(dst)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%q\n", dst[:n])
	}
	// Output:
	// "first"
	// ""
	// "third"
}

// Receiving real datagrams from a UDP socket: conn.Read writes straight into
// the buffer's storage, and only the bytes it read are committed. A failed
// read (here, one past its deadline) commits nothing and its error comes back
// unchanged.
func ExampleUnorderedBuffer_PushWith_udp() {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)}) // port 0: any free port
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	sender, err := net.DialUDP("udp", nil, conn.LocalAddr().(*net.UDPAddr))
	if err != nil {
		panic(err)
	}
	defer sender.Close()
	for _, d := range []string{"hello", "", "world"} {
		if _, err := sender.Write([]byte(d)); err != nil {
			panic(err)
		}
	}

	const mtu = 1500
	buf, err := netbuf.NewUnorderedBuffer(8*mtu, 64)
	if err != nil {
		panic(err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		panic(err)
	}
	for range 3 {
		n, err := buf.PushWith(mtu, conn.Read)
		if err != nil {
			panic(err)
		}
		fmt.Println("received", n, "bytes")
	}

	// Nothing more is coming: a read past its deadline fails, and the
	// buffer is exactly as it was.
	if err := conn.SetReadDeadline(time.Now()); err != nil {
		panic(err)
	}
	_, err = buf.PushWith(mtu, conn.Read)
	fmt.Println("timed out:", errors.Is(err, os.ErrDeadlineExceeded), "- packets held:", buf.Len())

	// Process them in arrival order, straight from the buffer's storage.
	for buf.Len() > 0 {
		if err := buf.PopWith(func(p []byte) error {
			fmt.Printf("%q\n", p)
			return nil
		}); err != nil {
			panic(err)
		}
	}
	// Output:
	// received 5 bytes
	// received 0 bytes
	// received 5 bytes
	// timed out: true - packets held: 3
	// "hello"
	// ""
	// "world"
}

// fill has the shape of io.Reader.Read: any reader's Read method can fill a
// packet. An error from fill commits nothing.
func ExampleUnorderedBuffer_PushWith() {
	buf, err := netbuf.NewUnorderedBuffer(1024, 16)
	if err != nil {
		panic(err)
	}
	r := strings.NewReader("a frame")
	n, err := buf.PushWith(512, r.Read) // room for up to 512 bytes; 7 are committed
	fmt.Println(n, err, buf.Len(), buf.Used())
	n, err = buf.PushWith(512, r.Read) // the reader is drained: io.EOF, nothing committed
	fmt.Println(n, err, buf.Len(), buf.Used())
	// Output:
	// 7 <nil> 1 7
	// 0 EOF 1 7
}

// Errors are sentinels: ErrTooLarge means never, ErrWouldBlock means not now.
func ExampleUnorderedBuffer_PushWith_errors() {
	buf, err := netbuf.NewUnorderedBuffer(100, 2)
	if err != nil {
		panic(err)
	}
	fill := func(p []byte) (int, error) { return len(p), nil }
	_, err = buf.PushWith(101, fill)
	fmt.Println(errors.Is(err, netbuf.ErrTooLarge))
	_, _ = buf.PushWith(60, fill)
	_, err = buf.PushWith(60, fill) // 40 bytes free
	fmt.Println(errors.Is(err, netbuf.ErrWouldBlock))
	_ = buf.PopWith(func([]byte) error { return nil })
	_, err = buf.PushWith(60, fill) // retry after a pop
	fmt.Println(err)
	// Output:
	// true
	// true
	// <nil>
}

// consume sees the packet in place; if it returns an error the packet stays,
// so it can be retried.
func ExampleUnorderedBuffer_PopWith() {
	buf, err := netbuf.NewUnorderedBuffer(64, 4)
	if err != nil {
		panic(err)
	}
	if err := buf.Push([]byte("payload")); err != nil {
		panic(err)
	}
	errLater := errors.New("downstream busy")
	err = buf.PopWith(func(p []byte) error { return errLater })
	fmt.Println(err, "- packets held:", buf.Len())
	err = buf.PopWith(func(p []byte) error {
		fmt.Printf("%s (len %d, cap %d)\n", p, len(p), cap(p))
		return nil
	})
	fmt.Println(err, "- packets held:", buf.Len())
	// Output:
	// downstream busy - packets held: 1
	// payload (len 7, cap 7)
	// <nil> - packets held: 0
}

// Pop copies out; a dst too short for the packet leaves it in place.
func ExampleUnorderedBuffer_Pop() {
	buf, err := netbuf.NewUnorderedBuffer(64, 4)
	if err != nil {
		panic(err)
	}
	if err := buf.Push([]byte("twelve bytes")); err != nil {
		panic(err)
	}
	_, err = buf.Pop(make([]byte, 4))
	fmt.Println(err == io.ErrShortBuffer, buf.Len())
	dst := make([]byte, 1500)
	n, err := buf.Pop(dst)
	fmt.Printf("%q %v %d\n", dst[:n], err, buf.Len())
	// Output:
	// true 1
	// "twelve bytes" <nil> 0
}

// When a packet does not fit at the tail but fits at offset 0, it wraps, and
// the bytes it skipped become padding of the packet before it: they count in
// Used until that packet is popped.
func ExampleUnorderedBuffer_wrap() {
	buf, err := netbuf.NewUnorderedBuffer(10, 4)
	if err != nil {
		panic(err)
	}
	_ = buf.Push([]byte("AAAA"))    // [AAAA......]
	_ = buf.Push([]byte("BBBB"))    // [AAAABBBB..]
	_, _ = buf.Pop(make([]byte, 4)) // [....BBBB..] head 4, tail window 2, head window 4
	fmt.Println("used", buf.Used())
	_ = buf.Push([]byte("CCC")) // [CCC.BBBBpp] the 2 tail bytes pad BBBB
	fmt.Println("used", buf.Used())
	_, _ = buf.Pop(make([]byte, 4)) // frees BBBB and its padding
	fmt.Println("used", buf.Used())
	// Output:
	// used 4
	// used 9
	// used 3
}

// Ring is the fixed-capacity FIFO that indexes the packets; it is usable on
// its own and never allocates after NewRing.
func ExampleRing() {
	r, err := netbuf.NewRing[string](2)
	if err != nil {
		panic(err)
	}
	_ = r.Push("a")
	_ = r.Push("b")
	err = r.Push("c") // full
	fmt.Println(r.Len(), r.Full(), errors.Is(err, netbuf.ErrWouldBlock))
	v, _ := r.Pop()
	fmt.Println(v, r.Len(), r.Full())
	_ = r.Push("c") // wraps around the backing array
	// Drain until ErrEmpty.
	for v, err := r.Pop(); err == nil; v, err = r.Pop() {
		fmt.Println(v)
	}
	// Output:
	// 2 true true
	// a 1 false
	// b
	// c
}
