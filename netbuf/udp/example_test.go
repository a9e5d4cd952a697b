package udp_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/netip"
	"time"

	"github.com/netbuf-go/netbuf/netbuf"
	"github.com/netbuf-go/netbuf/netbuf/udp"
)

// Receive real datagrams on 127.0.0.1 in batches (recvmmsg on Linux), each
// written by the kernel straight into the buffer, and pop them with their
// source address.
func Example() {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	r, err := udp.NewReceiver(conn, udp.Config{MTU: 1500, Capacity: 64 << 10, Batch: 32})
	if err != nil {
		log.Fatal(err)
	}

	sender, err := net.DialUDP("udp", nil, conn.LocalAddr().(*net.UDPAddr))
	if err != nil {
		log.Fatal(err)
	}
	defer sender.Close()
	for _, msg := range []string{"hello", "", "world"} { // an empty datagram is a datagram
		if _, err := sender.Write([]byte(msg)); err != nil {
			log.Fatal(err)
		}
	}

	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for r.Len() < 3 {
		if _, err := r.ReadBatch(); err != nil && !errors.Is(err, netbuf.ErrWouldBlock) {
			log.Fatal(err) // a deadline or a closed socket; what was read is still held
		}
	}
	from := sender.LocalAddr().(*net.UDPAddr).AddrPort()
	for r.PopWith(func(p []byte, src netip.AddrPort) error {
		fmt.Printf("%q from the sender: %v\n", p, src == from)
		return nil
	}) == nil {
	}
	st := r.Stats()
	fmt.Println("packets", st.Packets, "bytes", st.Bytes, "drops", st.Drops)
	// Output:
	// "hello" from the sender: true
	// "" from the sender: true
	// "world" from the sender: true
	// packets 3 bytes 10 drops 0
}

// Read on one goroutine and process on another: the SPSCReceiver's own
// goroutine reads datagrams straight into the buffer while this one pops
// them. After Close (or conn closed, or ctx done) the consumer still gets
// every datagram read, then an error that says why reading ended.
func ExampleSPSCReceiver() {
	conn, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	r, err := udp.NewSPSCReceiver(ctx, conn, udp.Config{MTU: 1500, Capacity: 64 << 10})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close() // stops the reading goroutine and waits for it

	sender, err := net.DialUDP("udp", nil, conn.LocalAddr().(*net.UDPAddr))
	if err != nil {
		log.Fatal(err)
	}
	defer sender.Close()
	for _, msg := range []string{"hello", "", "world"} {
		if _, err := sender.Write([]byte(msg)); err != nil {
			log.Fatal(err)
		}
	}

	from := sender.LocalAddr().(*net.UDPAddr).AddrPort()
	handle := func(p []byte, src netip.AddrPort) error {
		fmt.Printf("%q from the sender: %v\n", p, src == from)
		return nil
	}
	for got := 0; got < 3; {
		if err := r.Wait(ctx); err != nil { // sleeps until the reader commits
			log.Fatal(err)
		}
		for r.PopWith(handle) == nil {
			got++
		}
	}
	_ = r.Close()
	err = r.PopWith(handle) // drained: the end, and its cause
	fmt.Println(errors.Is(err, netbuf.ErrClosed), errors.Is(err, udp.ErrStopped))
	fmt.Println("packets", r.Stats().Packets)
	// Output:
	// "hello" from the sender: true
	// "" from the sender: true
	// "world" from the sender: true
	// true true
	// packets 3
}
