package properties_test

import (
	"encoding/binary"
	"errors"
	"io"
)

// lenRing is a correct FIFO of datagrams with a layout unlike netbuf's: a
// byte ring where each packet is a 2-byte length and its bytes, both split
// across the end of the storage where they reach it, with no padding. It
// has its own errors and no Len. bug breaks it on purpose, to show that
// CheckFIFO bites.
type lenRing struct {
	buf               []byte
	head, used, count int
	slots             int
	bug               string
}

var (
	errRingFull  = errors.New("lenring: full")
	errRingEmpty = errors.New("lenring: empty")
)

func newLenRing(capacityBytes, maxPackets int, bug string) (*lenRing, error) {
	if capacityBytes < 1 || maxPackets < 1 {
		return nil, errors.New("lenring: bad size")
	}
	size := capacityBytes + 2*maxPackets
	if bug == "tight" { // not a bug: its size limit counts the lengths
		size = capacityBytes
	}
	return &lenRing{buf: make([]byte, size), slots: maxPackets, bug: bug}, nil
}

func (r *lenRing) put(off int, p []byte) {
	n := copy(r.buf[off%len(r.buf):], p)
	copy(r.buf, p[n:])
}

func (r *lenRing) get(off int, p []byte) {
	n := copy(p, r.buf[off%len(r.buf):])
	copy(p[n:], r.buf)
}

func (r *lenRing) Push(p []byte) error {
	room := len(r.buf) - r.used
	if r.bug == "refuse-exact-fit" {
		room--
	}
	if r.count == r.slots || 2+len(p) > room || len(p) > 1<<16-1 {
		return errRingFull
	}
	var n [2]byte
	binary.BigEndian.PutUint16(n[:], uint16(len(p)))
	r.put(r.head+r.used, n[:])
	if r.bug == "no-wrap" {
		copy(r.buf[(r.head+r.used+2)%len(r.buf):], p) // loses what passes the end
	} else {
		r.put(r.head+r.used+2, p)
	}
	r.used += 2 + len(p)
	r.count++
	return nil
}

func (r *lenRing) Pop(dst []byte) (int, error) {
	if r.count == 0 {
		return 0, errRingEmpty
	}
	var n [2]byte
	r.get(r.head, n[:])
	size := int(binary.BigEndian.Uint16(n[:]))
	if len(dst) < size && r.bug != "short-pop-drops" {
		return 0, io.ErrShortBuffer
	}
	out := min(size, len(dst))
	r.get(r.head+2, dst[:out])
	r.head = (r.head + 2 + size) % len(r.buf)
	r.used -= 2 + size
	r.count--
	if out < size {
		return 0, io.ErrShortBuffer
	}
	return size, nil
}
