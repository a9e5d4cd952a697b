package packetio

// Each test here reproduces one finding of docs/peers.md (section
// packetio) and asserts what packetio.Buffer does today (observed), so
// that it passes now and fails, pointing here, the day pion changes. The
// comment of each classifies it and says where it is documented.

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/pion/transport/v3/packetio"
)

// newBuffer returns a Buffer with the two limits set.
func newBuffer(size, count int) *packetio.Buffer {
	b := packetio.NewBuffer()
	b.SetLimitSize(size)
	b.SetLimitCount(count)
	return b
}

// wantWrite writes n bytes and requires error want (nil: accepted).
func wantWrite(t *testing.T, b *packetio.Buffer, n int, want error) {
	t.Helper()
	if _, err := b.Write(make([]byte, n)); !errors.Is(err, want) {
		t.Fatalf("Write(%d bytes) -> %v; observed until now: %v", n, err, want)
	}
}

// TestPolicyLimitSizeCountsLength (documented policy, loosely; found by
// CheckFIFO). SetLimitSize(n) bounds the bytes stored, and packetio stores
// a 2-byte length before each packet: an empty Buffer takes packets of up
// to n-2 bytes, and n bytes hold n/2 empty packets. The docs say "the
// maximum number of bytes that can be buffered" (SetLimitSize) and "including
// a small amount of administrative overhead" (Size); the 2 bytes are in
// Write's code only. CheckFIFO has no option for a per-packet overhead.
//
//	fifo 1 1 (SetLimitSize(1)): push 0 -> ErrFull
//	expected (of a limit on payload bytes): ok
func TestPolicyLimitSizeCountsLength(t *testing.T) {
	wantWrite(t, newBuffer(1, 1), 0, packetio.ErrFull)
	wantWrite(t, newBuffer(10, 0), 9, packetio.ErrFull)
	b := newBuffer(10, 0)
	wantWrite(t, b, 8, nil)
	if b.Size() != 10 {
		t.Fatalf("Size() = %d after one 8-byte packet; observed until now 10", b.Size())
	}
	wantWrite(t, b, 0, packetio.ErrFull)
	e := newBuffer(10, 0)
	for range 5 {
		wantWrite(t, e, 0, nil)
	}
	wantWrite(t, e, 0, packetio.ErrFull)
}

// TestPolicyErrFull (documented policy; found by CheckFIFO). A Write past
// either limit answers packetio.ErrFull ("returned when the buffer has hit
// the configured limits") and stores nothing; declared with
// ErrorMeans(packetio.ErrFull, netbuf.ErrWouldBlock).
//
//	fifo 1 1: push 0 -> ok, push 0 -> ErrFull
func TestPolicyErrFull(t *testing.T) {
	b := newBuffer(3, 1)
	wantWrite(t, b, 0, nil)
	wantWrite(t, b, 0, packetio.ErrFull)
	if b.Count() != 1 || b.Size() != 2 {
		t.Fatalf("Count %d, Size %d after a refused Write; observed until now 1, 2", b.Count(), b.Size())
	}
}

// TestPolicyShortReadDrops (policy, documented by its error only; found by
// CheckFIFO). A Read into a dst shorter than the packet copies the first
// len(dst) bytes, answers io.ErrShortBuffer, and drops the packet, as a
// datagram socket truncates. Read's doc says only "Returns
// io.ErrShortBuffer is the packet is too small to copy the Write"; the drop
// is in a code comment ("discarding any data that wasn't copied").
//
//	fifo 1 1: push 1 -> ok, pop 0 -> io.ErrShortBuffer, Len() = 0
//	expected (of a buffer that keeps it): Len() = 1
func TestPolicyShortReadDrops(t *testing.T) {
	b := newBuffer(100, 0)
	_, _ = b.Write([]byte("abcdef"))
	_, _ = b.Write([]byte("xy"))
	dst := make([]byte, 3)
	if n, err := b.Read(dst); n != 3 || !errors.Is(err, io.ErrShortBuffer) || string(dst) != "abc" {
		t.Fatalf("Read(3) -> %d %q, %v; observed until now 3 \"abc\", io.ErrShortBuffer", n, dst[:n], err)
	}
	if b.Count() != 1 {
		t.Fatalf("Count() = %d; observed until now 1: the short-read packet is gone", b.Count())
	}
	if n, err := b.Read(dst); err != nil || string(dst[:n]) != "xy" {
		t.Fatalf("Read -> %q, %v; observed until now \"xy\"", dst[:n], err)
	}
}

// TestPolicyReadBlocks (documented policy). Read on an empty Buffer "Blocks
// until data is available or the buffer is closed"; declared with
// PopBlocksWhenEmpty in every run of CheckFIFO (a check without it would
// wait for good, so no run shows it failing). Here a Read started beside a
// Write gets the packet whichever comes first (that it waited is not shown:
// that would take timing), and a Read of an empty, closed Buffer answers
// io.EOF instead of waiting.
func TestPolicyReadBlocks(t *testing.T) {
	b := newBuffer(100, 0)
	got := make(chan string)
	go func() {
		dst := make([]byte, 10)
		n, err := b.Read(dst)
		got <- string(dst[:n]) + " " + errString(err)
	}()
	_, _ = b.Write([]byte("late"))
	if s := <-got; s != "late <nil>" {
		t.Fatalf("Read -> %s; observed until now \"late <nil>\"", s)
	}
	_ = b.Close()
	if _, err := b.Read(make([]byte, 10)); err != io.EOF {
		t.Fatalf("Read of a closed, empty Buffer -> %v; observed until now io.EOF", err)
	}
}

func errString(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// TestFindingMaxPacket (bug against its doc, minor; found by CheckFIFO).
// Write's doc: "the packet size is limited to 65536 bytes"; a packet of
// 65536 bytes is refused, the largest taken is 65535 (the length is stored
// on 16 bits). The refusal is an unexported error ("packet too big") that
// no errors.Is can tell from others. Declared with MaxPacket(65535).
//
//	fifo 65536 1: push 65536 -> error "packet too big"
//	expected (as documented): ok
func TestFindingMaxPacket(t *testing.T) {
	b := newBuffer(1<<20, 0)
	wantWrite(t, b, 1<<16-1, nil)
	_, err := b.Write(make([]byte, 1<<16))
	if err == nil || err.Error() != "packet too big" || errors.Is(err, packetio.ErrFull) {
		t.Fatalf("Write(65536 bytes) -> %v; observed until now: packet too big", err)
	}
	p := make([]byte, 1<<16)
	if n, err := b.Read(p); err != nil || n != 1<<16-1 || !bytes.Equal(p[:n], make([]byte, n)) {
		t.Fatalf("Read -> %d, %v; observed until now the 65535-byte packet", n, err)
	}
}
